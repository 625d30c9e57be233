"""Map tool "Isochrone depuis ce point": click on the map, get the travel-time bands around
(or towards) that point, computed in the background by ``cget:isochrones``.

- :class:`IsochronePointPanel`: a small non-modal panel to choose the router (local road
  network, IGN Géoplateforme, openrouteservice, Valhalla), the mode, the direction and the
  bands; every choice is remembered in QgsSettings.
- :class:`IsochronePointTool`: the map tool; each click runs the algorithm at that point.
- :class:`IsochroneRunner`: builds a one-point memory layer, runs the algorithm with
  ``QgsProcessingAlgRunnerTask`` (progress and Cancel in the task manager), then adds the
  result layer, styled and named "Isochrones – <lieu>", or reports the error in the message
  bar, in French, without traceback.

No routing here: the GUI only opens or runs the Processing algorithms.
"""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.gui import QgsMapLayerComboBox, QgsMapToolEmitPoint, QgsVertexMarker
from qgis.PyQt.QtCore import QLocale, QRegularExpression, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor, QRegularExpressionValidator
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from .. import compat as qc
from ..compat import make_field
from ..core import definitions as defs
from ..core.errors import InputError
from ..core.i18n import tr
from ..core.routing.backends import get_backend
from ..core.routing.isochrones import parse_bands
from .tasks import TEMPORARY_OUTPUT, TaskRunner

ISOCHRONES_ALG = "cget:isochrones"
MESSAGE_TITLE = "CGET"


def _setting(name: str) -> str:
    return f"{defs.SETTINGS_POINT_TOOL_PREFIX}/{name}"


VALHALLA_URL_KEY = defs.routing_settings_key("valhalla", "url")
ORS_AUTHCFG_KEY = defs.routing_settings_key("ors", "authcfg")


# -- panel ------------------------------------------------------------------------------------


def backend_choices():
    return [(backend, defs.backend_label(backend)) for backend in defs.BACKENDS]


def mode_choices():
    return [(mode, defs.travel_mode_label(mode)) for mode in defs.TRAVEL_MODES]


def direction_choices():
    return [(direction, defs.direction_label(direction)) for direction in defs.DIRECTIONS]


class IsochronePointPanel(QDialog):
    """Non-modal panel of the map tool. ``runRequested`` asks to compute at the last point."""

    runRequested = pyqtSignal()  # noqa: N815 - Qt signal naming

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("CgetIsochronePointPanel")
        self.setWindowTitle(tr("Isochrone from this point"))
        self.setModal(False)
        self.setWindowFlags(self.windowFlags() | Qt.WindowType.Tool)
        self._loading = True

        layout = QVBoxLayout(self)
        self.hint = QLabel(tr("Click on the map to choose the point."))
        self.hint.setWordWrap(True)
        layout.addWidget(self.hint)

        # A grid (not a QFormLayout): Qt 5 keeps the spacing of hidden form rows.
        form = _Grid()
        self._add_router_rows(form)
        self._add_trip_rows(form)
        layout.addLayout(form)
        layout.addStretch(1)
        self._add_status_and_buttons(layout)

        self.load_settings()
        self._connect_changes()
        self._loading = False
        self._update_rows()

    def _add_router_rows(self, form):
        self.backend_combo = QComboBox()
        self.backend_combo.setObjectName("backend")
        for key, label in backend_choices():
            self.backend_combo.addItem(label, key)
        self.backend_combo.setToolTip(
            tr(
                "Local road network: computed on a line layer of the project, offline. "
                "IGN Géoplateforme: free, whole of France, car and walking only. "
                "openrouteservice: needs a free API key, also cycling. "
                "Valhalla: your own server or a public one."
            )
        )
        form.addRow(tr("Router"), self.backend_combo)

        self.network_combo = QgsMapLayerComboBox()
        self.network_combo.setObjectName("network")
        self.network_combo.setFilters(qc.LAYER_FILTER_LINE)
        self.network_combo.setAllowEmptyLayer(True)
        self.network_combo.setToolTip(
            tr("Road network line layer (BD TOPO troncon_de_route, OSM roads...).")
        )
        self.network_label = QLabel(tr("Road network"))
        form.addRow(self.network_label, self.network_combo)

        self.auth_widget = None
        self.auth_label = QLabel(tr("openrouteservice key"))
        try:
            from qgis.gui import QgsAuthConfigSelect

            self.auth_widget = QgsAuthConfigSelect(self)
            self.auth_widget.setObjectName("ors_authcfg")
            self.auth_widget.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self.auth_widget.setToolTip(
                tr(
                    "Authentication configuration holding your openrouteservice key (stored "
                    "encrypted in the QGIS authentication database)."
                )
            )
            form.addRow(self.auth_label, self.auth_widget)
        except ImportError:  # pragma: no cover - QGIS built without the auth GUI
            self.auth_label.hide()

        self.valhalla_url = QLineEdit()
        self.valhalla_url.setObjectName("valhalla_url")
        self.valhalla_url.setPlaceholderText("https://valhalla1.openstreetmap.de")
        self.valhalla_url.setToolTip(tr("Base URL of the Valhalla server, e.g. http://host:8002"))
        self.valhalla_label = QLabel(tr("Valhalla server"))
        form.addRow(self.valhalla_label, self.valhalla_url)

    def _add_trip_rows(self, form):
        self.mode_combo = QComboBox()
        self.mode_combo.setObjectName("mode")
        for key, label in mode_choices():
            self.mode_combo.addItem(label, key)
        form.addRow(tr("Travel mode"), self.mode_combo)

        self.direction_combo = QComboBox()
        self.direction_combo.setObjectName("direction")
        for key, label in direction_choices():
            self.direction_combo.addItem(label, key)
        self.direction_combo.setToolTip(
            tr(
                "Arrival: who can reach this place within the bands (the usual question for a "
                "public service). Departure: where one can go from it."
            )
        )
        form.addRow(tr("Direction"), self.direction_combo)

        self.bands_edit = QLineEdit()
        self.bands_edit.setObjectName("bands")
        self.bands_edit.setValidator(
            QRegularExpressionValidator(QRegularExpression(r"^\s*\d+(\s*[,;]\s*\d+)*\s*$"))
        )
        self.bands_edit.setToolTip(tr("Travel-time bands in minutes, increasing, e.g. 5,10,15"))
        form.addRow(tr("Bands (minutes)"), self.bands_edit)

    def _add_status_and_buttons(self, layout):
        self.point_label = QLabel("")
        self.point_label.setObjectName("point")
        layout.addWidget(self.point_label)
        self.status = QLabel("")
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        layout.addWidget(self.status)

        buttons = QDialogButtonBox()
        self.run_button = QPushButton(tr("Compute"))
        self.run_button.setObjectName("run")
        self.run_button.setEnabled(False)
        self.run_button.setToolTip(tr("Compute again at the last point clicked"))
        buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setText(tr("Close"))
        buttons.rejected.connect(self.close)
        self.run_button.clicked.connect(self.runRequested)
        layout.addWidget(buttons)

    def _connect_changes(self):
        for signal in (
            self.backend_combo.currentIndexChanged,
            self.mode_combo.currentIndexChanged,
            self.direction_combo.currentIndexChanged,
            self.network_combo.layerChanged,
        ):
            signal.connect(self._changed)
        self.bands_edit.editingFinished.connect(self._changed)
        self.valhalla_url.editingFinished.connect(self._changed)
        if self.auth_widget is not None:
            self.auth_widget.selectedConfigIdChanged.connect(self._changed)

    # -- values -----------------------------------------------------------------------------
    def backend(self) -> str:
        return self.backend_combo.currentData()

    def mode(self) -> str:
        return self.mode_combo.currentData()

    def direction(self) -> str:
        return self.direction_combo.currentData()

    def bands_text(self) -> str:
        """The bands as the algorithm reads them ("5,10,15"); as typed when they are wrong."""
        try:
            return ",".join(str(band) for band in parse_bands(self.bands_edit.text()))
        except InputError:
            return self.bands_edit.text().strip()

    def network_layer(self):
        return self.network_combo.currentLayer()

    def validate(self) -> str:
        """An error message in the user's language, or "" when the run can start."""
        try:
            parse_bands(self.bands_edit.text())
            if self.backend() in defs.REMOTE_BACKENDS:
                get_backend(self.backend()).profile_for(self.mode())
        except InputError as exc:
            return str(exc)
        if self.backend() == "local" and self.network_layer() is None:
            return tr(
                "Choose a road network line layer for the local router, or choose an online "
                "router (IGN Géoplateforme, openrouteservice, Valhalla)."
            )
        return ""

    # -- settings ---------------------------------------------------------------------------
    def load_settings(self):
        settings = QgsSettings()
        _select(self.backend_combo, settings.value(_setting("backend"), "ign"))
        _select(self.mode_combo, settings.value(_setting("mode"), "car"))
        _select(self.direction_combo, settings.value(_setting("direction"), "arrival"))
        self.bands_edit.setText(str(settings.value(_setting("bands"), "5,10,15")))
        layer_id = settings.value(_setting("network_layer"), "")
        layer = QgsProject.instance().mapLayer(layer_id) if layer_id else None
        if layer is not None:
            self.network_combo.setLayer(layer)
        self.valhalla_url.setText(str(settings.value(VALHALLA_URL_KEY, "") or ""))
        if self.auth_widget is not None:
            self.auth_widget.setConfigId(str(settings.value(ORS_AUTHCFG_KEY, "") or ""))

    def save_settings(self):
        settings = QgsSettings()
        settings.setValue(_setting("backend"), self.backend())
        settings.setValue(_setting("mode"), self.mode())
        settings.setValue(_setting("direction"), self.direction())
        if self.bands_text():
            settings.setValue(_setting("bands"), self.bands_text())
        layer = self.network_layer()
        settings.setValue(_setting("network_layer"), layer.id() if layer else "")
        url = self.valhalla_url.text().strip()
        if url:
            settings.setValue(VALHALLA_URL_KEY, url)
        else:
            settings.remove(VALHALLA_URL_KEY)
        if self.auth_widget is not None:
            settings.setValue(ORS_AUTHCFG_KEY, self.auth_widget.configId())

    def _changed(self, *args):
        if self._loading:
            return
        self.save_settings()
        self._update_rows()

    def _update_rows(self):
        backend = self.backend()
        self.network_label.setVisible(backend == "local")
        self.network_combo.setVisible(backend == "local")
        if self.auth_widget is not None:
            self.auth_label.setVisible(backend == "ors")
            self.auth_widget.setVisible(backend == "ors")
        self.valhalla_label.setVisible(backend == "valhalla")
        self.valhalla_url.setVisible(backend == "valhalla")
        problem = self.validate()
        self.status.setText(problem)
        self.status.setStyleSheet("color: #b34000;" if problem else "")
        self.adjustSize()

    def set_point(self, text: str):
        self.point_label.setText(tr("Point: {place}").format(place=text))
        self.run_button.setEnabled(True)

    def set_running(self, running: bool):
        self.status.setStyleSheet("")
        self.status.setText(
            tr("Computing in the background (see the task manager to cancel)...")
            if running
            else self.validate()
        )


class _Grid(QGridLayout):
    """Label / field rows, like QFormLayout.addRow."""

    def addRow(self, label, field):  # mirrors QFormLayout.addRow
        row = self.rowCount()
        if isinstance(label, str):
            label = QLabel(label)
        self.addWidget(label, row, 0)
        self.addWidget(field, row, 1)
        self.setColumnStretch(1, 1)


def _select(combo: QComboBox, value) -> None:
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)


# -- map tool ---------------------------------------------------------------------------------


class IsochronePointTool(QgsMapToolEmitPoint):
    """Emits ``pointChosen(QgsPointXY in the canvas CRS)`` on a left click."""

    pointChosen = pyqtSignal(object)  # noqa: N815 - Qt signal naming

    def __init__(self, canvas):
        super().__init__(canvas)
        self.marker = None
        self.canvasClicked.connect(self._clicked)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def _clicked(self, point, button):
        if button != Qt.MouseButton.LeftButton:
            return
        self.show_marker(point)
        self.pointChosen.emit(point)

    def show_marker(self, point):
        if self.marker is None:
            self.marker = QgsVertexMarker(self.canvas())
            self.marker.setIconType(QgsVertexMarker.ICON_CROSS)
            self.marker.setColor(QColor("#000091"))
            self.marker.setIconSize(14)
            self.marker.setPenWidth(3)
        self.marker.setCenter(point)

    def clear_marker(self):
        if self.marker is not None:
            self.canvas().scene().removeItem(self.marker)
            self.marker = None

    def deactivate(self):
        self.clear_marker()
        super().deactivate()


# -- running the algorithm --------------------------------------------------------------------


class IsochroneRun:
    """One click's run: the place, the one-point layer given to the algorithm (kept alive with
    the run), the background run and the layer it added."""

    def __init__(self, place, point_layer):
        self.place = place
        self.point_layer = point_layer
        self.job = None
        self.result_layer = None

    @property
    def task(self):
        return self.job.task if self.job is not None else None

    @property
    def error(self) -> str:
        return self.job.error if self.job is not None else ""


class IsochroneRunner:
    """Runs ``cget:isochrones`` for one point in the background and adds the result, styled by
    the algorithm (the same bands and colours as from the Processing dialog)."""

    alg_id = ISOCHRONES_ALG

    def __init__(self, iface):
        self.iface = iface
        self.tasks = TaskRunner(iface, MESSAGE_TITLE)
        self.runs = []
        self.on_finished = None  # optional callback(run), used by the panel and tests

    def start(self, point, canvas_crs, panel_values: dict):
        """Start a run at ``point`` (canvas CRS). Returns the :class:`IsochroneRun` or None
        when it could not start (the reason is in the message bar)."""
        place = place_name(point, canvas_crs)
        run = IsochroneRun(place, one_point_layer(point, canvas_crs, place))
        params = {
            "INPUT": run.point_layer,
            "ID_FIELD": "id",
            "BACKEND": panel_values["backend"],
            "MODE": panel_values["mode"],
            "DIRECTION": panel_values["direction"],
            "BANDS_MIN": panel_values["bands"],
            "OUTPUT_MODE": "rings",
            "OUTPUT": TEMPORARY_OUTPUT,
        }
        if panel_values["backend"] == "local":
            params["NETWORK"] = panel_values["network"]
        self.runs.append(run)
        run.job = self.tasks.run_algorithm(
            self.alg_id,
            params,
            tr("Isochrones – {place}").format(place=place),
            on_success=lambda job: self._add_layer(run, job),
            on_done=lambda job: self._finished(run),
            cancelled=tr("Isochrone computation cancelled: nothing was added."),
        )
        if run.job is None:
            if run in self.runs:
                self.runs.remove(run)
            return None
        return run

    @staticmethod
    def _add_layer(run, job):
        layer = job.layers.get("OUTPUT")
        if layer is None or not layer.isValid():
            raise InputError(tr("The isochrone computation produced no layer."))
        # The algorithm names its layer after the bands; a click names it after the place.
        layer.setName(tr("Isochrones – {place}").format(place=run.place))
        QgsProject.instance().addMapLayer(layer)
        run.result_layer = layer
        return tr("Isochrones computed around {place}.").format(place=run.place)

    def _finished(self, run):
        if run in self.runs:
            self.runs.remove(run)
        if self.on_finished is not None:
            self.on_finished(run)

    def cancel_all(self):
        self.tasks.cancel_all()


def one_point_layer(point, crs, place: str) -> QgsVectorLayer:
    """A temporary memory layer holding the clicked point (fields ``id``, ``nom``)."""
    layer = QgsVectorLayer(f"Point?crs={crs.authid() or crs.toWkt()}", "point", "memory")
    if not crs.authid():
        layer.setCrs(crs)
    provider = layer.dataProvider()
    provider.addAttributes([make_field("id", "string"), make_field("nom", "string")])
    layer.updateFields()
    feature = QgsFeature(layer.fields())
    feature.setGeometry(QgsGeometry.fromPointXY(point))
    feature.setAttributes(["point", place])
    provider.addFeatures([feature])
    layer.updateExtents()
    return layer


def place_name(point, crs) -> str:
    """Name of the polygon (commune, QPV...) of a loaded layer under ``point``, else its
    coordinates in degrees with the user's decimal separator."""
    project = QgsProject.instance()
    for layer in project.mapLayers().values():
        if not isinstance(layer, QgsVectorLayer) or not layer.isValid():
            continue
        if layer.geometryType() != qc.GEOMETRY_POLYGON:
            continue
        field = defs.first_field(layer.fields().names(), defs.NAME_FIELD_CANDIDATES)
        if field is None:
            continue
        try:
            to_layer = QgsCoordinateTransform(crs, layer.crs(), project)
            local = to_layer.transform(point)
        except QgsCsException:  # no transform available: try the next layer
            continue
        geom = QgsGeometry.fromPointXY(local)
        request = QgsFeatureRequest().setFilterRect(geom.boundingBox().buffered(1e-9))
        request.setSubsetOfAttributes([field], layer.fields())
        for feature in layer.getFeatures(request):
            if feature.hasGeometry() and feature.geometry().contains(geom):
                value = feature[field]
                if not defs.is_null(value) and str(value) != "":
                    return str(value)
    try:
        wgs84 = QgsCoordinateReferenceSystem(defs.WGS84)
        wgs = QgsCoordinateTransform(crs, wgs84, project).transform(point)
    except QgsCsException:
        wgs = point
    locale = QLocale()
    lat = locale.toString(abs(wgs.y()), "f", 4) + ("° N" if wgs.y() >= 0 else "° S")
    lon = locale.toString(abs(wgs.x()), "f", 4) + ("° E" if wgs.x() >= 0 else "° O")
    return f"{lat}, {lon}"
