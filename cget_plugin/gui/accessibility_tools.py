"""Toolbar "Accessibilité" (issue 4): actions that open or run the Processing algorithms.

- "Isochrones…" opens the ``cget:isochrones`` dialog pre-filled with the active point layer
  (its selected features only, when some are selected) and a road network guessed from the
  project; the dialog is non-modal and runs the algorithm as a Processing task.
- "Isochrone depuis ce point" is a map tool: click on the map, the isochrones are computed in
  the background (see :mod:`.accessibility_point`).
- "Temps d'accès au service le plus proche…" opens ``cget:accesstime`` with the services and
  the population guessed from the project.
- "Où implanter ?" opens :mod:`.siting_dialog` (``cget:siting`` in the background).
- "Population couverte…" opens ``cget:accesstime`` too, set for the coverage table: the zones
  (QPV first, else communes) are pre-filled so that the run gives the population and its share
  within each threshold per zone, the figures a note to the prefect quotes; for QPV, the
  communes (else EPCI) around them too, so that each QPV is compared with the rest of its
  commune (mean and median time, share beyond each threshold, gap).

Algorithms are looked up in the registry when the user clicks, so a missing one gives a clear
message, never a dead button.
"""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateTransform,
    QgsCsException,
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
    QgsVectorLayer,
)

from .. import compat as qc
from ..core import definitions as defs
from ..core.i18n import tr
from .accessibility_inputs import NETWORK_PROFILE, EngineInputsOffer
from .accessibility_point import (
    ISOCHRONES_ALG,
    MESSAGE_TITLE,
    IsochronePointPanel,
    IsochronePointTool,
    IsochroneRunner,
    place_name,
)
from .base_tools import ToolGroup
from .tasks import missing_algorithm_message

ACCESSTIME_ALG = "cget:accesstime"
NETWORK_HINTS = ("troncon", "route", "road", "reseau", "réseau", "network", "voie", "highway")
QPV_HINTS = ("qpv", "quartier", "qp_")
ZONE_HINTS = QPV_HINTS + ("commune", "epci", "iris")
#: Layers a QPV is compared with (the rest of its commune, else of its EPCI), in that order.
REFERENCE_HINTS = (("commune",), ("epci", "intercommunal"))


class AccessibilityTools(ToolGroup):
    def setup(self):
        self.tool = None
        self.panel = None
        self.last_point = None
        self.dialogs = []
        self.runner = IsochroneRunner(self.iface)
        self.inputs_offer = EngineInputsOffer(self.iface, MESSAGE_TITLE)
        self.runner.on_finished = self._run_finished
        self.add_action(
            "CgetIsochronesAction",
            tr("Isochrones…"),
            self.open_isochrones,
            icon="access_isochrones.svg",
            tooltip=tr(
                "Travel-time bands (isochrones) around the points of the active layer, or "
                "towards them, on a local road network or with IGN Géoplateforme, "
                "openrouteservice or Valhalla. Opens the Processing dialog pre-filled with "
                "the selected point layer."
            ),
        )
        self.point_action = self.add_action(
            "CgetIsochronePointAction",
            tr("Isochrone from this point"),
            self.toggle_point_tool,
            icon="access_point.svg",
            tooltip=tr(
                "Click on the map: the travel-time bands around this point are computed in "
                "the background and added to the project. A small panel sets the router, "
                "the mode and the bands."
            ),
            checkable=True,
        )
        self.add_action(
            "CgetAccessTimeAction",
            tr("Time to the nearest service…"),
            self.open_access_time,
            icon="access_time.svg",
            tooltip=tr(
                "For each inhabitant unit (population grid, communes, addresses), the travel "
                "time to the nearest service and which one it is. Opens the Processing dialog."
            ),
        )
        self.add_action(
            "CgetCoverageAction",
            tr("Population covered…"),
            self.open_coverage,
            icon="access_population.svg",
            tooltip=tr(
                "How many people live within 10, 20, 30 minutes of the services, and which "
                "share of the population, per QPV or per commune: the table to quote in a note. "
                "Opens the access-time algorithm with the zones pre-filled; its table output "
                "holds the figures."
            ),
        )

        self.add_action(
            "CgetSitingAction",
            tr("Where to open?"),
            self.open_siting,
            icon="access_siting.svg",
            tooltip=tr(
                "Where should new services open so that the most people are within 30 minutes, "
                "and which existing ones are indispensable? Chooses among candidate sites (town "
                "halls...) on the local road network, in the background."
            ),
        )

    # -- dialogs ----------------------------------------------------------------------------
    def open_siting(self):
        """The « Où implanter ? » dialog (:mod:`.siting_dialog`), one per toolbar."""
        from .siting_dialog import SitingDialog

        if not _alive(getattr(self, "siting_dialog", None)):
            self.siting_dialog = SitingDialog(self.iface)
        self.siting_dialog.show()
        self.siting_dialog.raise_()
        return self.siting_dialog

    def open_isochrones(self):
        points = active_point_layer(self.iface)
        params = {}
        if points is not None:
            params["INPUT"] = source_value(points)
            id_field = guess_field(points, defs.ID_FIELD_CANDIDATES)
            if id_field:
                params["ID_FIELD"] = id_field
        network = guess_layer(qc.GEOMETRY_LINE, NETWORK_HINTS)
        if network is not None:
            params["NETWORK"] = network.id()
        return self.open_dialog(ISOCHRONES_ALG, params)

    def open_access_time(self):
        return self._open_access(zones=False)

    def open_coverage(self):
        return self._open_access(zones=True)

    def _open_access(self, zones: bool):
        """The access-time dialog pre-filled; on the local engine without a road network in
        the project, first the offer to load the territory's (:mod:`.accessibility_inputs`).
        Returns the dialog, or the offer when one is shown."""
        params = self._access_params(zones)
        if "NETWORK" in params or not local_engine_in_use(ACCESSTIME_ALG):
            return self.open_dialog(ACCESSTIME_ALG, params)
        return self.inputs_offer.start(
            need_population="POPULATION" not in params,
            on_loaded=lambda loaded: self.open_dialog(
                ACCESSTIME_ALG, with_loaded_inputs(params, loaded)
            ),
            on_skipped=lambda: self.open_dialog(ACCESSTIME_ALG, params),
        )

    def _access_params(self, zones: bool) -> dict:
        params = {}
        facilities = active_point_layer(self.iface)
        if facilities is not None:
            params["FACILITIES"] = source_value(facilities)
            id_field = guess_field(facilities, defs.ID_FIELD_CANDIDATES)
            if id_field:
                params["ID_FIELD"] = id_field
        population, pop_field = guess_population_layer(exclude=facilities)
        if population is not None:
            params["POPULATION"] = population.id()
            params["POP_FIELD"] = pop_field
        network = guess_layer(qc.GEOMETRY_LINE, NETWORK_HINTS)
        if network is not None:
            params["NETWORK"] = network.id()
        if zones:
            params.update(zone_params(exclude=(population, facilities)))
        return params

    def open_dialog(self, alg_id: str, params: dict):
        """Open the non-modal Processing dialog of ``alg_id`` with ``params`` set (only those
        the algorithm defines). Returns the dialog, or None with a message when missing."""
        alg = QgsApplication.processingRegistry().algorithmById(alg_id)
        if alg is None:
            self.message(missing_algorithm_message(alg_id), Qgis.MessageLevel.Warning)
            return None
        params = {k: v for k, v in params.items() if alg.parameterDefinition(k) is not None}
        from processing import createAlgorithmDialog

        dialog = createAlgorithmDialog(alg_id, params)
        if dialog is None:  # pragma: no cover - registry changed in between
            self.message(missing_algorithm_message(alg_id), Qgis.MessageLevel.Warning)
            return None
        self.dialogs = [d for d in self.dialogs if _alive(d)]
        self.dialogs.append(dialog)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    # -- map tool ---------------------------------------------------------------------------
    def toggle_point_tool(self, checked=True):
        canvas = self.iface.mapCanvas()
        if not checked:
            if self.tool is not None and canvas.mapTool() is self.tool:
                canvas.unsetMapTool(self.tool)
            return
        if QgsApplication.processingRegistry().algorithmById(ISOCHRONES_ALG) is None:
            self.point_action.setChecked(False)
            self.message(missing_algorithm_message(ISOCHRONES_ALG), Qgis.MessageLevel.Warning)
            return
        if self.tool is None:
            self.tool = IsochronePointTool(canvas)
            self.tool.setAction(self.point_action)
            self.tool.pointChosen.connect(self.point_chosen)
            self.tool.deactivated.connect(self._tool_deactivated)
        if self.panel is None:
            self.panel = IsochronePointPanel(self.iface.mainWindow())
            self.panel.runRequested.connect(self.rerun)
            self.panel.finished.connect(self._panel_closed)
        canvas.setMapTool(self.tool)
        self.panel.show()
        self.panel.raise_()
        self.last_point = None

    def point_chosen(self, point):
        self.last_point = point
        place_crs = self.iface.mapCanvas().mapSettings().destinationCrs()
        if self.panel is None:
            return None
        self.panel.set_point(place_name(point, place_crs))
        return self.rerun()

    def rerun(self):
        point = self.last_point
        if point is None or self.panel is None:
            return None
        if (
            self.panel.backend() == "local"
            and self.panel.network_layer() is None
            and guess_layer(qc.GEOMETRY_LINE, NETWORK_HINTS) is None
        ):
            return self._offer_network_for_tool()
        problem = self.panel.validate()
        if problem:
            self.message(problem, Qgis.MessageLevel.Warning)
            return None
        self.panel.save_settings()
        values = {
            "backend": self.panel.backend(),
            "mode": self.panel.mode(),
            "direction": self.panel.direction(),
            "bands": self.panel.bands_text(),
            "network": self.panel.network_layer(),
        }
        crs = self.iface.mapCanvas().mapSettings().destinationCrs()
        run = self.runner.start(point, crs, values)
        if run is not None:
            self.panel.set_running(True)
        return run

    def _offer_network_for_tool(self):
        """The local router without a network: offer the territory's; once loaded, it is
        chosen in the panel and the isochrones of the clicked point are computed."""

        def loaded(layers):
            if self.panel is not None and layers.get("network") is not None:
                self.panel.network_combo.setLayer(layers["network"])
                self.rerun()

        def skipped():
            if self.panel is not None:
                self.message(self.panel.validate(), Qgis.MessageLevel.Warning)

        return self.inputs_offer.start(False, loaded, skipped, for_dialog=False)

    def _run_finished(self, run):
        if self.panel is not None and not self.runner.runs:
            self.panel.set_running(False)

    def _tool_deactivated(self):
        if self.panel is not None:
            self.panel.hide()

    def _panel_closed(self, *args):
        canvas = self.iface.mapCanvas()
        if self.tool is not None and canvas.mapTool() is self.tool:
            canvas.unsetMapTool(self.tool)
        self.point_action.setChecked(False)

    def message(self, text, level):
        self.iface.messageBar().pushMessage(MESSAGE_TITLE, text, level, 8)

    def teardown(self):
        self.runner.cancel_all()
        self.inputs_offer.cancel_all()
        canvas = self.iface.mapCanvas()
        if self.tool is not None:
            if canvas.mapTool() is self.tool:
                canvas.unsetMapTool(self.tool)
            self.tool.clear_marker()
            try:
                self.tool.deactivated.disconnect(self._tool_deactivated)
            except TypeError:
                pass
            self.tool.deleteLater()
            self.tool = None
        if self.panel is not None:
            self.panel.close()
            self.panel.deleteLater()
            self.panel = None
        for dialog in self.dialogs:
            if _alive(dialog):
                dialog.close()
                dialog.deleteLater()
        self.dialogs = []


# -- guessing layers from the project ---------------------------------------------------------


def local_engine_in_use(alg_id: str) -> bool:
    """Whether ``alg_id``'s dialog opens on the local engine (its BACKEND default)."""
    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    backend = alg.parameterDefinition("BACKEND") if alg is not None else None
    return backend is not None and backend.defaultValue() in ("local", 0)


def with_loaded_inputs(params: dict, loaded: dict) -> dict:
    """``params`` with the layers the offer loaded: the network (BD TOPO profile) and the
    population with its field."""
    params = dict(params)
    network = loaded.get("network")
    if network is not None:
        params["NETWORK"] = network.id()
        params["NETWORK_PROFILE"] = NETWORK_PROFILE
    if loaded.get("population") is not None:
        layer, field = loaded["population"]
        params["POPULATION"] = layer.id()
        params["POP_FIELD"] = field
    return params


def _alive(widget) -> bool:
    from qgis.PyQt import sip

    return widget is not None and not sip.isdeleted(widget)


def _vector_layers():
    return [
        layer
        for layer in QgsProject.instance().mapLayers().values()
        if isinstance(layer, QgsVectorLayer) and layer.isValid()
    ]


def active_point_layer(iface):
    """The active layer if it is a point layer, else the first point layer selected in the
    layers panel, else None."""
    candidates = []
    try:
        candidates.append(iface.activeLayer())
    except AttributeError:  # pragma: no cover
        pass
    try:
        candidates.extend(iface.layerTreeView().selectedLayers())
    except AttributeError:  # test interfaces have no layer tree view
        pass
    for layer in candidates:
        if (
            isinstance(layer, QgsVectorLayer)
            and layer.isValid()
            and layer.geometryType() == qc.GEOMETRY_POINT
        ):
            return layer
    return None


def source_value(layer):
    """The layer id, or its selected features only when the user selected some."""
    if layer.selectedFeatureCount() > 0:
        return QgsProcessingFeatureSourceDefinition(layer.id(), True)
    return layer.id()


def guess_field(layer, candidates):
    return defs.first_field(layer.fields().names(), candidates)


def guess_layer(geometry_type, hints, exclude=(), overlapping=None):
    """First layer of ``geometry_type`` whose name or source mentions one of ``hints`` (and
    whose extent meets the ``overlapping`` layer's, when given)."""
    excluded = {layer.id() for layer in exclude if layer is not None}
    for layer in _vector_layers():
        if layer.id() in excluded or layer.geometryType() != geometry_type:
            continue
        text = f"{layer.name()} {layer.source()}".lower()
        if any(hint in text for hint in hints) and _meets(layer, overlapping):
            return layer
    return None


def _meets(layer, other) -> bool:
    """Whether the extents of two layers meet (True without ``other`` or when unknown)."""
    if other is None:
        return True
    try:
        to_other = QgsCoordinateTransform(layer.crs(), other.crs(), QgsProject.instance())
        return to_other.transformBoundingBox(layer.extent()).intersects(other.extent())
    except QgsCsException:
        return True


def zone_params(exclude) -> dict:
    """``ZONES`` (a QPV layer first, else communes, EPCI…) and, for QPV, ``REFERENCE_ZONES``:
    a commune (else EPCI) layer over the same area."""
    polygon = qc.GEOMETRY_POLYGON
    qpv = guess_layer(polygon, QPV_HINTS, exclude=exclude)
    zone_layer = qpv or guess_layer(polygon, ZONE_HINTS, exclude=exclude)
    if zone_layer is None:
        return {}
    params = {"ZONES": zone_layer.id()}
    zone_field = zone_name_field(zone_layer)
    if zone_field:
        params["ZONE_FIELD"] = zone_field
    if qpv is None:
        return params
    for hints in REFERENCE_HINTS:
        reference = guess_layer(polygon, hints, exclude=(qpv,), overlapping=qpv)
        if reference is not None:
            params["REFERENCE_ZONES"] = reference.id()
            name_field = zone_name_field(reference)
            if name_field:
                params["REFERENCE_FIELD"] = name_field
            break
    return params


def zone_name_field(layer):
    return guess_field(layer, defs.NAME_FIELD_CANDIDATES) or guess_field(
        layer, defs.CODE_FIELD_CANDIDATES
    )


def guess_population_layer(exclude=None):
    """A point or polygon layer with a population-like numeric field, and that field.

    The finest units (most features) win whatever the layer order: a 200 m population grid
    before the communes, since coverage is computed per unit."""
    best = None
    for layer in _vector_layers():
        if exclude is not None and layer.id() == exclude.id():
            continue
        if layer.geometryType() not in (qc.GEOMETRY_POINT, qc.GEOMETRY_POLYGON):
            continue
        numeric = [f.name() for f in layer.fields() if f.isNumeric()]
        field = defs.first_field(numeric, defs.POPULATION_FIELD_CANDIDATES)
        if field is not None:
            rank = [c.lower() for c in defs.POPULATION_FIELD_CANDIDATES].index(field.lower())
            key = (-layer.featureCount(), rank)
            if best is None or key < best[0]:
                best = (key, layer, field)
    return (best[1], best[2]) if best else (None, None)
