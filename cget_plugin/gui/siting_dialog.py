"""« Où implanter ? »: the dialog of the Accessibilité toolbar that runs ``cget:siting`` in the
background and shows its answer.

Defaults come from the project: the France Services already loaded as existing services, town
halls as candidates (or, without them, one point inside each commune), the finest population
layer, the road network, 30 minutes. The chosen sites are loaded numbered and styled
("Proposition n° 1"...), the coverage curve is drawn and tabulated, and "Carte du scénario…"
opens ``cget:exportmap`` with the scenario's layers and the threshold in the subtitle.
"""

from __future__ import annotations

from qgis.core import QgsApplication, QgsProcessing, QgsProject
from qgis.gui import QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QLocale, pyqtSlot
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from .. import compat as qc
from ..core.definitions import ID_FIELD_CANDIDATES, SITING_THRESHOLD_MIN, is_null
from ..core.i18n import tr
from ..processing.siting_outputs import scenario_subtitle
from .accessibility_tools import NETWORK_HINTS, guess_field, guess_layer, guess_population_layer
from .siting_chart import CoverageChart
from .tasks import TaskRunner

SITING_ALG = "cget:siting"
SERVICE_HINTS = ("france services", "france_services", "maison france", "service")
TOWN_HALL_HINTS = ("mairie", "hôtel de ville", "hotel de ville", "town hall")
COMMUNE_HINTS = ("commune",)
CANDIDATE_ID_FIELDS = ("nom_commune", "nom", "libelle", "code_insee", "insee_com", "code", "id")
OUTPUTS = ("OUTPUT", "OUTPUT_UNSERVED", "OUTPUT_CRITICAL", "OUTPUT_TABLE")


class SitingDialog(QDialog):
    def __init__(self, iface, parent=None):
        super().__init__(parent or iface.mainWindow())
        self.iface = iface
        self.runner = TaskRunner(iface, tr("Where to open?"), self)
        self.run = None  # the run under way
        self.params = {}
        self.layers = {}
        self.setObjectName("CgetSitingDialog")
        self.setWindowTitle(tr("Where to open a new service?"))
        self._build()
        self._defaults()

    # -- form ----------------------------------------------------------------------------
    def _combo(self, filters, empty=False):
        combo = QgsMapLayerComboBox(self)
        combo.setFilters(filters)
        combo.setAllowEmptyLayer(empty)
        return combo

    def _build(self):
        form = QFormLayout()
        points = qc.LAYER_FILTER_POINT
        self.facilities = self._combo(points, empty=True)
        self.candidates = self._combo(points | qc.LAYER_FILTER_POLYGON)
        self.candidates.setToolTip(
            tr("Points (town halls, sites you propose), or communes: one point inside each.")
        )
        self.population = self._combo(points | qc.LAYER_FILTER_POLYGON)
        self.pop_field = QgsFieldComboBox(self)
        self.population.layerChanged.connect(self.pop_field.setLayer)
        self.network = self._combo(qc.LAYER_FILTER_LINE)
        self.threshold = QSpinBox(self)
        self.threshold.setRange(1, 240)
        self.threshold.setSuffix(" min")
        self.sites = QSpinBox(self)
        self.sites.setRange(1, 100)
        self.sites.setValue(5)
        self.use_target = QCheckBox(tr("or stop once this share is reached:"), self)
        self.target = QDoubleSpinBox(self)
        self.target.setRange(0.1, 100.0)
        self.target.setValue(95.0)
        self.target.setSuffix(" %")
        self.target.setEnabled(False)
        self.use_target.toggled.connect(self.target.setEnabled)
        stop = QHBoxLayout()
        for widget in (self.sites, self.use_target, self.target):
            stop.addWidget(widget)
        form.addRow(tr("Existing services"), self.facilities)
        form.addRow(tr("Candidate sites"), self.candidates)
        form.addRow(tr("Population"), self.population)
        form.addRow(tr("Population field"), self.pop_field)
        form.addRow(tr("Road network"), self.network)
        form.addRow(tr("Threshold"), self.threshold)
        form.addRow(tr("New sites, at most"), stop)

        self.progress = QProgressBar(self)
        self.progress.setRange(0, 100)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.chart = CoverageChart(self)
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [tr("New sites"), tr("Site added"), tr("Population gained"), tr("Share (%)")]
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.run_button = QPushButton(tr("Compute"), self)
        self.cancel_button = QPushButton(tr("Cancel"), self)
        self.map_button = QPushButton(tr("Scenario map…"), self)
        close = QPushButton(tr("Close"), self)
        self.cancel_button.setEnabled(False)
        self.map_button.setEnabled(False)
        self.run_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.map_button.clicked.connect(self.open_map)
        close.clicked.connect(self.close)
        buttons = QHBoxLayout()
        for button in (self.run_button, self.cancel_button, self.map_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        results = QHBoxLayout()
        results.addWidget(self.chart, 3)
        results.addWidget(self.table, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addLayout(results, 1)
        layout.addLayout(buttons)
        self.resize(700, 620)

    def _defaults(self):
        self.threshold.setValue(int(SITING_THRESHOLD_MIN))
        services = guess_layer(qc.GEOMETRY_POINT, SERVICE_HINTS)
        self.facilities.setLayer(services)
        candidates = guess_layer(qc.GEOMETRY_POINT, TOWN_HALL_HINTS) or guess_layer(
            qc.GEOMETRY_POLYGON, COMMUNE_HINTS
        )
        if candidates is not None:
            self.candidates.setLayer(candidates)
        population, field = guess_population_layer(exclude=services)
        if population is not None:
            self.population.setLayer(population)
            self.pop_field.setLayer(population)
            self.pop_field.setField(field)
        network = guess_layer(qc.GEOMETRY_LINE, NETWORK_HINTS)
        if network is not None:
            self.network.setLayer(network)

    # -- run --------------------------------------------------------------------------------
    def parameters(self) -> dict:
        """The algorithm's parameters from the form (candidates as points)."""
        params = {
            "CANDIDATES": self._candidate_points(),
            "POPULATION": self.population.currentLayer(),
            "POP_FIELD": self.pop_field.currentField(),
            "NETWORK": self.network.currentLayer(),
            "BACKEND": "local",
            "DIRECTION": "arrival",
            "THRESHOLD_MIN": self.threshold.value(),
            "NEW_SITES": self.sites.value(),
        }
        cand = params["CANDIDATES"]
        if cand is not None:
            params["CANDIDATE_ID_FIELD"] = guess_field(cand, CANDIDATE_ID_FIELDS) or ""
        if self.use_target.isChecked():
            params["TARGET_SHARE"] = self.target.value()
        services = self.facilities.currentLayer()
        if services is not None:
            params["FACILITIES"] = services
            params["ID_FIELD"] = guess_field(services, ID_FIELD_CANDIDATES) or ""
        for name in OUTPUTS:
            if name != "OUTPUT_CRITICAL" or services is not None:
                params[name] = QgsProcessing.TEMPORARY_OUTPUT
        return params

    def _candidate_points(self):
        layer = self.candidates.currentLayer()
        if layer is None or layer.geometryType() != qc.GEOMETRY_POLYGON:
            return layer
        import processing

        result = processing.run(
            "native:pointonsurface",
            {"INPUT": layer, "ALL_PARTS": False, "OUTPUT": QgsProcessing.TEMPORARY_OUTPUT},
        )
        points = result["OUTPUT"]
        points.setName(tr("Centres of {layer}").format(layer=layer.name()))
        return points

    @property
    def task(self):
        """The background task under way (None when idle)."""
        return self.run.task if self.run is not None else None

    def start(self):
        """Start ``cget:siting`` in a background task. Returns the task (None if refused)."""
        if QgsApplication.processingRegistry().algorithmById(SITING_ALG) is None:
            self._say(tr("The algorithm cget:siting is not available."), error=True)
            return None
        missing = [
            label
            for label, combo in (
                (tr("Candidate sites"), self.candidates),
                (tr("Population"), self.population),
                (tr("Road network"), self.network),
            )
            if combo.currentLayer() is None
        ]
        if missing:
            self._say(tr("Choose: {what}.").format(what=", ".join(missing)), error=True)
            return None
        self.params = self.parameters()
        self._running(True)
        self._say(tr("Computing: one travel-time tree per useful candidate site…"))
        self.run = self.runner.run_algorithm(
            SITING_ALG,
            self.params,
            tr("Where to open a new service?"),
            on_success=self._load,
            on_done=self._done,
            outputs=OUTPUTS,
            widget=self,
        )
        if self.run is None:  # refused: the message bar says why
            self._running(False)
            self._say(tr("The computation could not start: see the message bar."), error=True)
            return None
        self.run.feedback.progressChanged.connect(self._progress)
        return self.run.task

    def cancel(self):
        if self.run is not None:
            self.run.cancel()

    @pyqtSlot(float)
    def _progress(self, value):
        self.progress.setValue(int(value))

    def _running(self, running):
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setValue(0)

    def _done(self, run):
        """After every end: the form back, and the outcome in the dialog as in the bar."""
        self.run = None
        self._running(False)
        if run.ok:
            self.progress.setValue(100)
        self._say(run.message, error=not run.ok and not run.cancelled)

    def _load(self, run):
        """The run's layers in a group on top, the curve drawn and tabulated; returns the
        message of the run."""
        project = QgsProject.instance()
        group = project.layerTreeRoot().insertGroup(
            0, tr("Where to open? – {t} min").format(t=self.params["THRESHOLD_MIN"])
        )
        self.layers = dict(run.layers)
        for name in OUTPUTS:
            layer = self.layers.get(name)
            if layer is not None:
                project.addMapLayer(layer, False)
                group.addLayer(layer)
        table = self.layers.get("OUTPUT_TABLE")
        rows = list(table.getFeatures()) if table is not None else []
        self._show_curve(rows)
        self.map_button.setEnabled("OUTPUT" in self.layers)
        if not rows:
            return None
        return tr("{k} site(s) proposed: {share} % of the population within {t} min.").format(
            k=rows[-1]["k"],
            share=QLocale().toString(float(rows[-1]["covered_share"]), "f", 1),
            t=self.params["THRESHOLD_MIN"],
        )

    def _show_curve(self, rows):
        self.chart.set_curve(
            [(f["k"], f["covered_share"]) for f in rows], self.params["THRESHOLD_MIN"]
        )
        self.table.setRowCount(len(rows))
        for i, f in enumerate(rows):
            gain, site = f["gain_pop"], f["candidate_id"]
            values = [
                str(f["k"]),
                "–" if is_null(site) else str(site),
                "" if is_null(gain) else f"{float(gain):,.0f}".replace(",", "\u202f"),
                QLocale().toString(float(f["covered_share"]), "f", 1),
            ]
            for j, text in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def open_map(self):
        """``cget:exportmap`` with the scenario: proposed sites, existing services, people
        still too far; the threshold in the subtitle."""
        layers = [self.layers.get("OUTPUT"), self.params.get("FACILITIES")]
        layers.append(self.layers.get("OUTPUT_UNSERVED"))
        from processing import createAlgorithmDialog

        dialog = createAlgorithmDialog(
            "cget:exportmap",
            {
                "LAYERS": [layer for layer in layers if layer is not None],
                "TITLE": tr("Where to open new services?", on_map=True),
                "SUBTITLE": scenario_subtitle(self.params["THRESHOLD_MIN"], len(self._chosen())),
            },
        )
        if dialog is not None:
            dialog.show()
        return dialog

    def _chosen(self):
        layer = self.layers.get("OUTPUT")
        return list(layer.getFeatures()) if layer is not None else []

    def _say(self, text, error=False):
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "")
