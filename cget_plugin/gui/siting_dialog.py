"""« Où implanter ? »: the dialog of the Accessibilité toolbar that runs ``cget:siting`` in the
background and shows its answer.

Defaults come from the project: the France Services already loaded as existing services, town
halls as candidates (or, without them, one point inside each commune), the finest population
layer, the road network, 30 minutes. The chosen sites are loaded numbered and styled
("Proposition n° 1"...), the coverage curve is drawn and tabulated, and "Carte du scénario…"
opens ``cget:exportmap`` with the scenario's layers and the threshold in the subtitle.
"""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsMapLayerProxyModel,
    QgsProcessing,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsWkbTypes,
)
from qgis.gui import QgsFieldComboBox, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QLocale
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

from ..core.definitions import SITING_THRESHOLD_MIN, is_null
from ..core.i18n import tr
from ..processing.siting_outputs import scenario_subtitle
from .accessibility_tools import (
    ID_FIELDS,
    NETWORK_HINTS,
    guess_field,
    guess_layer,
    guess_population_layer,
)
from .siting_chart import CoverageChart

SITING_ALG = "cget:siting"
SERVICE_HINTS = ("france services", "france_services", "maison france", "service")
TOWN_HALL_HINTS = ("mairie", "hôtel de ville", "hotel de ville", "town hall")
COMMUNE_HINTS = ("commune",)
CANDIDATE_ID_FIELDS = ("nom_commune", "nom", "libelle", "code_insee", "insee_com", "code", "id")
OUTPUTS = ("OUTPUT", "OUTPUT_UNSERVED", "OUTPUT_CRITICAL", "OUTPUT_TABLE")


class _Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.errors = []

    def reportError(self, error, fatalError=False):  # noqa: N802 (QGIS API)
        self.errors.append(error)
        super().reportError(error, fatalError)


class SitingDialog(QDialog):
    def __init__(self, iface, parent=None):
        super().__init__(parent or iface.mainWindow())
        self.iface = iface
        self.task = None
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
        points = QgsMapLayerProxyModel.PointLayer
        self.facilities = self._combo(points, empty=True)
        self.candidates = self._combo(points | QgsMapLayerProxyModel.PolygonLayer)
        self.candidates.setToolTip(
            tr("Points (town halls, sites you propose), or communes: one point inside each.")
        )
        self.population = self._combo(points | QgsMapLayerProxyModel.PolygonLayer)
        self.pop_field = QgsFieldComboBox(self)
        self.population.layerChanged.connect(self.pop_field.setLayer)
        self.network = self._combo(QgsMapLayerProxyModel.LineLayer)
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
        services = guess_layer(QgsWkbTypes.PointGeometry, SERVICE_HINTS)
        self.facilities.setLayer(services)
        candidates = guess_layer(QgsWkbTypes.PointGeometry, TOWN_HALL_HINTS) or guess_layer(
            QgsWkbTypes.PolygonGeometry, COMMUNE_HINTS
        )
        if candidates is not None:
            self.candidates.setLayer(candidates)
        population, field = guess_population_layer(exclude=services)
        if population is not None:
            self.population.setLayer(population)
            self.pop_field.setLayer(population)
            self.pop_field.setField(field)
        network = guess_layer(QgsWkbTypes.LineGeometry, NETWORK_HINTS)
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
            params["ID_FIELD"] = guess_field(services, ID_FIELDS) or ""
        for name in OUTPUTS:
            if name != "OUTPUT_CRITICAL" or services is not None:
                params[name] = QgsProcessing.TEMPORARY_OUTPUT
        return params

    def _candidate_points(self):
        layer = self.candidates.currentLayer()
        if layer is None or layer.geometryType() != QgsWkbTypes.PolygonGeometry:
            return layer
        import processing

        result = processing.run(
            "native:pointonsurface",
            {"INPUT": layer, "ALL_PARTS": False, "OUTPUT": QgsProcessing.TEMPORARY_OUTPUT},
        )
        points = result["OUTPUT"]
        points.setName(tr("Centres of {layer}").format(layer=layer.name()))
        return points

    def start(self):
        """Start ``cget:siting`` in a background task. Returns the task (None if refused)."""
        alg = QgsApplication.processingRegistry().createAlgorithmById(SITING_ALG)
        if alg is None:
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
        self.context = QgsProcessingContext()
        self.context.setProject(QgsProject.instance())
        self.feedback = _Feedback()
        self.feedback.progressChanged.connect(lambda v: self.progress.setValue(int(v)))
        task = QgsProcessingAlgRunnerTask(alg, self.params, self.context, self.feedback)
        task.setDescription(tr("Where to open a new service?"))
        task.executed.connect(self._finished)
        self.task = task
        self._running(True)
        self._say(tr("Computing: one travel-time tree per useful candidate site…"))
        QgsApplication.taskManager().addTask(task)
        return task

    def cancel(self):
        if self.task is not None:
            self.task.cancel()

    def _running(self, running):
        self.run_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.progress.setValue(0)

    def _finished(self, ok, results):
        self.task = None
        self._running(False)
        if not ok:
            if self.feedback.isCanceled():
                self._say(tr("Computation cancelled: nothing was added."))
            else:
                errors = [e for e in self.feedback.errors if e and e.strip()]
                self._say(errors[-1] if errors else tr("The computation failed."), error=True)
            return
        self.progress.setValue(100)
        self._load(results)

    def _load(self, results):
        project = QgsProject.instance()
        root = project.layerTreeRoot()
        group = root.insertGroup(
            0, tr("Where to open? – {t} min").format(t=self.params["THRESHOLD_MIN"])
        )
        self.layers = {}
        for name in OUTPUTS:
            dest = results.get(name)
            layer = self.context.takeResultLayer(dest) if dest else None
            if layer is None:
                continue
            self.layers[name] = layer
            project.addMapLayer(layer, False)
            group.addLayer(layer)
        table = self.layers.get("OUTPUT_TABLE")
        rows = list(table.getFeatures()) if table is not None else []
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
        self.map_button.setEnabled("OUTPUT" in self.layers)
        last = rows[-1] if rows else None
        if last is not None:
            self._say(
                tr("{k} site(s) proposed: {share} % of the population within {t} min.").format(
                    k=last["k"],
                    share=QLocale().toString(float(last["covered_share"]), "f", 1),
                    t=self.params["THRESHOLD_MIN"],
                )
            )
        for text in self.feedback.errors:
            self.iface.messageBar().pushMessage(tr("Where to open?"), text, Qgis.Warning, 8)

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
