"""“Adresse en QPV ?”: type an address (Géoplateforme ``/search``) or click on the map, and read
the answer: inside / outside / unknown, the QPV code and name, the distance to the nearest one
and a link to its SIG Ville page.

The answer comes from ``core.locate`` (the point tested against the polygons of the chosen
zones layer), as ``cget:locateaddresses`` does for a whole file.
"""

from __future__ import annotations

import html
from typing import Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsPointXY,
    QgsProject,
    QgsSettings,
)
from qgis.gui import QgsMapLayerComboBox, QgsMapToolEmitPoint, QgsVertexMarker
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from .. import compat as qc
from ..core import definitions as defs
from ..core import geocode as geo
from ..core import provenance as prov_mod
from ..core.i18n import tr
from ..core.locate import Location, ZoneIndex, sig_ville_link
from .tasks import TaskRunner

SEARCH_LIMIT = 5


def _crs(crs) -> QgsCoordinateReferenceSystem:
    return QgsCoordinateReferenceSystem(crs) if isinstance(crs, str) else crs


def format_answer(
    location: Optional[Location], found: Optional[geo.GeocodeResult] = None, zones_name: str = ""
) -> str:
    """The answer as rich text (French once translated)."""
    parts = []
    if found is not None:
        score = f"{found.score:.2f}" if found.score is not None else "–"
        parts.append(
            tr("Address found: <b>{label}</b> (score {score})").format(
                label=html.escape(found.label or "–"), score=score
            )
        )
    if location is None or location.in_zone is None:
        if found is not None and found.status == geo.STATUS_LOW_SCORE:
            reason = tr("the geocoding score is too low to conclude; check the address")
        elif found is not None and found.status != geo.STATUS_OK:
            reason = tr("the address was not found")
        else:
            reason = tr("no position")
        parts.append(
            "<span style='color:#b34000;font-size:120%'><b>{}</b></span>".format(
                tr("Unknown: {reason}.").format(reason=reason)
            )
        )
        return "<br>".join(parts)
    if location.in_zone:
        link = sig_ville_link(location.zone_code)
        name = html.escape(location.zone_nom or "")
        code = html.escape(location.zone_code or "")
        parts.append(
            "<span style='color:#18753c;font-size:120%'><b>{}</b></span>".format(
                tr("Inside: {code} – {name}").format(code=code, name=name)
            )
        )
        if len(location.zone_codes) > 1:
            parts.append(
                tr("Also in: {codes}").format(codes=html.escape(", ".join(location.zone_codes[1:])))
            )
        if link:
            text = tr("SIG Ville page of the QPV")
            parts.append(f"<a href='{link}'>{text}</a>")
    else:
        parts.append(
            "<span style='color:#000091;font-size:120%'><b>{}</b></span>".format(
                tr("Outside the zones of {zones}").format(zones=html.escape(zones_name or "–"))
            )
        )
        if location.distance_m is not None:
            nearest = html.escape(f"{location.nearest_code} – {location.nearest_nom}".strip(" –"))
            parts.append(
                tr("Nearest zone: {nearest}, at {distance} m").format(
                    nearest=nearest, distance=f"{location.distance_m:,.0f}".replace(",", " ")
                )
            )
            link = sig_ville_link(location.nearest_code)
            if link:
                text = tr("SIG Ville page of the nearest QPV")
                parts.append(f"<a href='{link}'>{text}</a>")
    return "<br>".join(parts)


class PointPickTool(QgsMapToolEmitPoint):
    """Map tool: one click gives a point in the canvas CRS."""

    picked = pyqtSignal(QgsPointXY)

    def __init__(self, canvas):
        super().__init__(canvas)
        self.canvasClicked.connect(self._clicked)
        self.setCursor(Qt.CursorShape.CrossCursor)

    def _clicked(self, point, button):
        if button == Qt.MouseButton.LeftButton:
            self.picked.emit(QgsPointXY(point))


class AddressCheckDialog(QDialog):
    """Small non-modal panel: address box, map click, zones layer, answer."""

    def __init__(self, iface=None, parent=None, geocoder_url: str = "", load_zones=None):
        super().__init__(parent or (iface.mainWindow() if iface else None))
        self.load_zones = load_zones  # callable starting the QPV 2024 load (toolbar territory)
        self.iface = iface
        self.canvas = iface.mapCanvas() if iface else None
        self.geocoder_url = geocoder_url
        self.runner = TaskRunner(iface, tr("Address in a QPV?"), self)
        self._index_cache = {}
        self._candidates = []
        self.last_location: Optional[Location] = None
        self.marker = None
        self.setObjectName("CgetAddressCheckDialog")
        self.setWindowTitle(tr("Address in a QPV?"))
        self.setMinimumWidth(460)
        form = QFormLayout()
        form.addRow(tr("Address"), self._address_row())
        form.addRow(tr("Zones"), self._zones_row())
        self.candidates = QListWidget()
        self.candidates.setObjectName("CgetAddressCandidates")
        self.candidates.setMaximumHeight(80)
        self.candidates.setVisible(False)
        self.candidates.currentRowChanged.connect(self._candidate_chosen)
        self.answer = _answer_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.candidates)
        layout.addWidget(self.answer)
        layout.addWidget(buttons)

        self.tool = PointPickTool(self.canvas) if self.canvas is not None else None
        if self.tool is not None:
            self.tool.picked.connect(self.check_map_point)
            self.tool.deactivated.connect(lambda: self.pick_button.setChecked(False))

    def _address_row(self) -> QHBoxLayout:
        self.address = QLineEdit()
        self.address.setObjectName("CgetAddressEdit")
        self.address.setPlaceholderText(tr("e.g. 1 place de la Mairie 93200 Saint-Denis"))
        self.address.setToolTip(
            tr("Address geocoded by the IGN Géoplateforme (Base Adresse Nationale).")
        )
        self.address.returnPressed.connect(self.search)
        self.search_button = QPushButton(tr("Search"))
        self.search_button.setObjectName("CgetAddressSearch")
        self.search_button.clicked.connect(self.search)
        self.pick_button = QPushButton(tr("Click on the map"))
        self.pick_button.setObjectName("CgetAddressPick")
        self.pick_button.setCheckable(True)
        self.pick_button.setToolTip(tr("Click a place on the map to test it"))
        self.pick_button.toggled.connect(self._toggle_pick)
        row = QHBoxLayout()
        row.addWidget(self.address, 1)
        row.addWidget(self.search_button)
        row.addWidget(self.pick_button)
        return row

    def _zones_row(self) -> QHBoxLayout:
        self.zones = QgsMapLayerComboBox()
        self.zones.setObjectName("CgetAddressZones")
        self.zones.setFilters(qc.LAYER_FILTER_POLYGON)
        self.zones.setToolTip(
            tr("Polygon layer of the zones (load QPV 2024 from the catalogue menu first)")
        )
        self._select_default_zones()
        self.zones.layerChanged.connect(self._remember_layer)
        zones_row = QHBoxLayout()
        zones_row.addWidget(self.zones, 1)
        self.load_button = QPushButton(tr("Load QPV 2024"))
        self.load_button.setObjectName("CgetAddressLoadQpv")
        self.load_button.setToolTip(
            tr("Load the QPV 2024 of the territory chosen on the toolbar (in the background)")
        )
        self.load_button.setVisible(self.load_zones is not None)
        self.load_button.clicked.connect(self._load_zones)
        zones_row.addWidget(self.load_button)
        return zones_row

    # -- zones ----------------------------------------------------------------------------
    def _select_default_zones(self):
        wanted = QgsSettings().value(defs.SETTINGS_ADDRESS_ZONES_LAYER, "", type=str)
        layers = [self.zones.layer(i) for i in range(self.zones.count()) if self.zones.layer(i)]
        chosen = next((lyr for lyr in layers if lyr.id() == wanted), None)
        if chosen is None:
            chosen = next((lyr for lyr in layers if _looks_like_qpv(lyr)), None)
        if chosen is not None:
            self.zones.setLayer(chosen)

    def _load_zones(self):
        if self.load_zones is not None:
            self._show(tr("Loading QPV 2024… the answer will use them once loaded."))
            self.load_zones()

    def _remember_layer(self, layer):
        if layer is not None:
            QgsSettings().setValue(defs.SETTINGS_ADDRESS_ZONES_LAYER, layer.id())

    def set_zones_layer(self, layer):
        self.zones.setLayer(layer)

    def offer_zones(self, layer):
        """A layer was just loaded: take it as the zones when it holds QPV."""
        if _looks_like_qpv(layer):
            self.set_zones_layer(layer)
            self._show(
                tr("Zones ready: {layer}. Type an address or click on the map.").format(
                    layer=layer.name()
                )
            )

    def _index(self):
        layer = self.zones.currentLayer()
        if layer is None:
            return None, ""
        key = layer.id()
        stamp = (layer.featureCount(), layer.extent().toString())
        cached = self._index_cache.get(key)
        if cached is None or cached[0] != stamp:
            context = QgsProject.instance().transformContext()
            cached = (stamp, ZoneIndex.from_layer(layer, transform_context=context))
            self._index_cache[key] = cached
        return cached[1], layer.name()

    # -- actions --------------------------------------------------------------------------
    def search(self):
        """Geocode the typed address in the background (the answer follows); returns the run."""
        text = self.address.text().strip()
        url = self.geocoder_url
        self.search_button.setEnabled(False)
        self._show(tr("Searching for the address…"))
        return self.runner.run_function(
            tr("Geocoding “{address}”").format(address=text),
            lambda feedback: geo.search(text, limit=SEARCH_LIMIT, url=url, feedback=feedback),
            on_success=lambda run: None,  # the answer is shown in the panel
            on_done=self._searched,
        )

    def _searched(self, run):
        self.search_button.setEnabled(True)
        if run.cancelled:
            self._show(tr("Search cancelled."))
            return
        if not run.ok:
            self._show(tr("<b>Geocoding failed</b>: {error}").format(error=html.escape(run.error)))
            return
        found = run.value or []
        self._candidates = found
        self.candidates.blockSignals(True)
        self.candidates.clear()
        for r in found:
            self.candidates.addItem(
                f"{r.label}  ({r.score:.2f})" if r.score is not None else r.label
            )
        self.candidates.setVisible(len(found) > 1)
        if found:
            self.candidates.setCurrentRow(0)
        self.candidates.blockSignals(False)
        if not found:
            self.last_location = None
            self._show(format_answer(None, geo.GeocodeResult(status=geo.STATUS_NOT_FOUND)))
            return
        self.check_geocoded(found[0])

    def _candidate_chosen(self, row):
        if 0 <= row < len(self._candidates):
            self.check_geocoded(self._candidates[row])

    def check_geocoded(self, found: geo.GeocodeResult):
        point = QgsPointXY(found.lon, found.lat) if found.has_point else None
        location = None
        if point is not None and found.usable:
            location = self._locate(point, _crs(defs.WGS84))
        self.last_location = location
        index_name = self.zones.currentLayer().name() if self.zones.currentLayer() else ""
        if location is not None or point is None or not found.usable:
            self._show(format_answer(location, found, index_name))
        if point is not None:
            self._mark(point, _crs(defs.WGS84))
        return location

    def check_map_point(self, point: QgsPointXY, crs=None):
        if crs is None:
            canvas = self.canvas
            crs = canvas.mapSettings().destinationCrs() if canvas is not None else defs.WGS84
        crs = _crs(crs)
        location = self._locate(point, crs)
        self.last_location = location
        if location is not None:
            name = self.zones.currentLayer().name() if self.zones.currentLayer() else ""
            self._show(format_answer(location, None, name))
        self._mark(point, crs, center=False)
        return location

    def _locate(self, point, crs):
        index, _name = self._index()
        if index is None:
            self._show(
                tr(
                    "<b>No zones layer.</b> Load QPV 2024 from the catalogue menu (or add a "
                    "polygon layer), then choose it here."
                )
            )
            return None
        return index.locate([point], crs)[0]

    def _show(self, text):
        self.answer.setText(text)
        # A word-wrapped label does not make its window taller: grow the panel so that the
        # whole answer, down to the SIG Ville link, stays visible.
        missing = self.answer.heightForWidth(self.answer.width()) - self.answer.height()
        if missing > 0 and self.isVisible():
            self.resize(self.width(), self.height() + missing)

    def _toggle_pick(self, on):
        if self.canvas is None or self.tool is None:
            return
        if on:
            self.canvas.setMapTool(self.tool)
        elif self.canvas.mapTool() is self.tool:
            self.canvas.unsetMapTool(self.tool)

    def _mark(self, point, crs, center=True):
        if self.canvas is None:
            return
        dest = self.canvas.mapSettings().destinationCrs()
        try:
            xform = QgsCoordinateTransform(crs, dest, QgsProject.instance())
            p = xform.transform(point)
        except Exception:  # outside the canvas CRS: no marker
            return
        if self.marker is None:
            self.marker = QgsVertexMarker(self.canvas)
            self.marker.setIconType(QgsVertexMarker.ICON_CIRCLE)
            self.marker.setColor(QColor("#e1000f"))
            self.marker.setIconSize(14)
            self.marker.setPenWidth(3)
        self.marker.setCenter(p)
        if center:
            self.canvas.setCenter(p)
            self.canvas.refresh()

    def done(self, result):
        self._toggle_pick(False)
        if self.marker is not None and self.canvas is not None:
            self.canvas.scene().removeItem(self.marker)
            self.marker = None
        super().done(result)


def _answer_label() -> QLabel:
    answer = QLabel(tr("Type an address or click on the map."))
    answer.setObjectName("CgetAddressAnswer")
    answer.setWordWrap(True)
    answer.setTextFormat(Qt.TextFormat.RichText)
    answer.setOpenExternalLinks(True)
    answer.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
    answer.setMinimumHeight(70)
    answer.setStyleSheet("QLabel{background:#f6f6f6;border:1px solid #ddd;padding:6px}")
    return answer


def _looks_like_qpv(layer) -> bool:
    prov = prov_mod.read_from_layer(layer)
    text = f"{layer.name()} {prov.dataset if prov else ''}".lower()
    return "qpv" in text or "quartiers prioritaires" in text or "code_qp" in layer.fields().names()
