"""Dialog "Carte préfecture…" / "Atlas…": the form builds the parameters of cget:exportmap,
the preview renders the page the algorithm would build, the export runs the algorithm through
Processing. Nothing is composed here."""

from __future__ import annotations

from qgis.core import QgsLayoutExporter, QgsProcessingContext, QgsProject
from qgis.gui import QgsExtentWidget, QgsFileWidget, QgsMapLayerComboBox
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QPixmap
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from .. import compat as qc
from ..core.definitions import map_format_label, map_mode_label, map_orientation_label
from ..core.errors import CgetError
from ..core.i18n import tr
from ..core.layouts.builder import build_layout, setting
from ..core.layouts.spec import FORMATS, MODES, ORIENTATIONS, PAPERS
from .tasks import TaskRunner

ALG_ID = "cget:exportmap"


class LayoutDialog(QDialog):
    def __init__(self, iface, atlas=False, parent=None):
        super().__init__(parent or (iface.mainWindow() if iface else None))
        self.iface = iface
        self.atlas = atlas
        self.last_result = None
        self._preview_layout = None
        self.setObjectName("CgetAtlasDialog" if atlas else "CgetLayoutDialog")
        self.setWindowTitle(tr("Prefecture atlas") if atlas else tr("Prefecture map"))
        self.layer_list = QListWidget(self)
        self.layer_list.setObjectName("CgetLayoutLayers")
        self.atlas_combo = QgsMapLayerComboBox(self) if atlas else None
        self.per_feature_check = (
            QCheckBox(tr("One file per feature (else one PDF)"), self) if atlas else None
        )
        self.extent_widget = None if atlas else QgsExtentWidget(self)
        self._build()
        self.runner = TaskRunner(iface, self.windowTitle(), self)
        self.populate_layers()

    # -- form -------------------------------------------------------------------------------
    def _build(self):
        outer = QHBoxLayout(self)
        left = QWidget(self)
        form_box = QVBoxLayout(left)
        form_box.addLayout(self._page_form())
        layers_box = QGroupBox(tr("Layers on the map"), self)
        QVBoxLayout(layers_box).addWidget(self.layer_list)
        form_box.addWidget(layers_box)
        if self.atlas:
            form_box.addWidget(self._atlas_box())
        else:
            self._add_extent(form_box)
        form_box.addLayout(self._output_form())
        form_box.addLayout(self._buttons())
        outer.addWidget(left, 0)
        outer.addLayout(self._preview_side(), 1)
        self.resize(1100, 680)

    def _page_form(self) -> QFormLayout:
        form = QFormLayout()
        self.title_edit = QLineEdit(self)
        self.title_edit.setPlaceholderText(
            tr("Theme and place, e.g. Quartiers prioritaires de la Haute-Garonne")
        )
        self.subtitle_edit = QLineEdit(self)
        self.subtitle_edit.setPlaceholderText(tr("Territory, spatial unit and vintage"))
        form.addRow(tr("Title"), self.title_edit)
        form.addRow(tr("Subtitle"), self.subtitle_edit)

        self.paper_combo = QComboBox(self)
        for code in PAPERS:
            self.paper_combo.addItem(code, code)
        self.paper_combo.setCurrentIndex(max(0, self.paper_combo.findData(setting("paper", "A4"))))
        self.orientation_combo = QComboBox(self)
        for code in ("auto",) + ORIENTATIONS:
            self.orientation_combo.addItem(map_orientation_label(code), code)
        self.format_combo = QComboBox(self)
        for code in FORMATS:
            self.format_combo.addItem(map_format_label(code), code)
        self.format_combo.setCurrentIndex(
            max(0, self.format_combo.findData(setting("format", "pdf")))
        )
        self.dpi_spin = QSpinBox(self)
        self.dpi_spin.setRange(50, 1200)
        self.dpi_spin.setValue(int(setting("dpi", 300) or 300))
        self.dpi_spin.setSuffix(" dpi")
        row = QHBoxLayout()
        for widget in (self.paper_combo, self.orientation_combo, self.format_combo, self.dpi_spin):
            row.addWidget(widget)
        form.addRow(tr("Page"), row)

        self.logo_widget = QgsFileWidget(self)
        self.logo_widget.setFilter(tr("Images (*.svg *.png *.jpg *.jpeg)"))
        self.logo_widget.setFilePath(setting("logo", ""))
        form.addRow(tr("Bloc-marque"), self.logo_widget)
        self.sources_edit = QLineEdit(self)
        self.sources_edit.setPlaceholderText(tr("Further sources, separated by ;"))
        form.addRow(tr("Sources"), self.sources_edit)

        self.mode_combo = QComboBox(self)
        for code in MODES:
            self.mode_combo.addItem(map_mode_label(code), code)
        self.mode_combo.setCurrentIndex(1 if setting("logo", "") else 0)
        form.addRow(tr("Mode"), self.mode_combo)
        return form

    def _atlas_box(self) -> QGroupBox:
        atlas_box = QGroupBox(tr("Atlas: one page per feature"), self)
        af = QFormLayout(atlas_box)
        self.atlas_combo.setFilters(qc.LAYER_FILTER_POLYGON)
        af.addRow(tr("Layer"), self.atlas_combo)
        af.addRow(self.per_feature_check)
        self.per_feature_check.toggled.connect(self._output_mode_changed)
        return atlas_box

    def _add_extent(self, form_box) -> None:
        if self.iface is not None and self.iface.mapCanvas() is not None:
            canvas = self.iface.mapCanvas()
            self.extent_widget.setMapCanvas(canvas)
            self.extent_widget.setCurrentExtent(
                canvas.extent(), canvas.mapSettings().destinationCrs()
            )
            self.extent_widget.setOutputCrs(canvas.mapSettings().destinationCrs())
        self.extent_widget.setNullValueAllowed(True, tr("Extent of the layers"))
        self.extent_widget.clear()
        form_box.addWidget(QLabel(tr("Extent (empty: the extent of the ticked layers)")))
        form_box.addWidget(self.extent_widget)

    def _output_form(self) -> QFormLayout:
        out_form = QFormLayout()
        self.output_widget = QgsFileWidget(self)
        self.output_widget.setStorageMode(QgsFileWidget.StorageMode.SaveFile)
        self.output_widget.setFilter("PDF (*.pdf);;PNG (*.png);;SVG (*.svg)")
        out_form.addRow(tr("Save as"), self.output_widget)
        self.overwrite_check = QCheckBox(tr("Replace an existing file"), self)
        self.outlines_check = QCheckBox(tr("Text as outlines (print shop)"), self)
        checks = QHBoxLayout()
        checks.addWidget(self.overwrite_check)
        checks.addWidget(self.outlines_check)
        out_form.addRow(checks)
        return out_form

    def _buttons(self) -> QHBoxLayout:
        buttons = QHBoxLayout()
        self.preview_button = QPushButton(tr("Preview"), self)
        self.export_button = QPushButton(tr("Export"), self)
        self.export_button.setDefault(True)
        close_button = QPushButton(tr("Close"), self)
        buttons.addWidget(self.preview_button)
        buttons.addStretch(1)
        buttons.addWidget(self.export_button)
        buttons.addWidget(close_button)
        self.preview_button.clicked.connect(self.preview)
        self.export_button.clicked.connect(self.export)
        close_button.clicked.connect(self.reject)
        return buttons

    def _preview_side(self) -> QVBoxLayout:
        right = QVBoxLayout()
        self.preview_label = QLabel(tr("Preview the page here."), self)
        self.preview_label.setObjectName("CgetLayoutPreview")
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_label.setMinimumSize(QSize(420, 300))
        self.preview_label.setStyleSheet("background: #F6F6F6; border: 1px solid #DDDDDD;")
        self.messages = QPlainTextEdit(self)
        self.messages.setReadOnly(True)
        self.messages.setMaximumHeight(110)
        right.addWidget(self.preview_label, 1)
        right.addWidget(self.messages)
        return right

    def _output_mode_changed(self, per_feature):
        self.output_widget.setStorageMode(
            QgsFileWidget.StorageMode.GetDirectory
            if per_feature
            else QgsFileWidget.StorageMode.SaveFile
        )

    def populate_layers(self):
        """Every spatial layer of the project; the visible ones ticked, in layer order."""
        self.layer_list.clear()
        root = QgsProject.instance().layerTreeRoot()
        for node in root.findLayers():
            layer = node.layer()
            if layer is None or not layer.isSpatial():
                continue
            item = QListWidgetItem(layer.name())
            item.setData(Qt.ItemDataRole.UserRole, layer.id())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if node.isVisible() else Qt.CheckState.Unchecked
            )
            self.layer_list.addItem(item)

    def checked_layers(self):
        project = QgsProject.instance()
        out = []
        for i in range(self.layer_list.count()):
            item = self.layer_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                layer = project.mapLayer(item.data(Qt.ItemDataRole.UserRole))
                if layer is not None:
                    out.append(layer)
        return out

    def default_output(self, fmt: str) -> str:
        """A free file name next to the project (or in the home folder), from the title, so
        that one click on Export is enough; never an existing file."""
        import datetime
        from pathlib import Path

        from ..core.layouts.spec import sanitize_file_stem

        home = QgsProject.instance().homePath() or str(Path.home())
        folder = Path(home) / tr("Prefecture maps")
        stem = sanitize_file_stem(self.title_edit.text())
        if not stem and self.atlas_combo is not None and self.atlas_combo.currentLayer():
            stem = sanitize_file_stem(
                tr("Atlas {name}").format(name=self.atlas_combo.currentLayer().name())
            )
        stem = stem or tr("map")
        stem = f"{stem}_{datetime.date.today():%Y%m%d}"
        per_feature = self.per_feature_check is not None and self.per_feature_check.isChecked()
        suffix = "" if per_feature else f".{'pdf' if self.atlas else fmt}"
        candidate = folder / f"{stem}{suffix}"
        i = 2
        while candidate.exists():
            candidate = folder / f"{stem}_{i}{suffix}"
            i += 1
        return str(candidate)

    def parameters(self) -> dict:
        fmt = self.format_combo.currentData()
        output = self.output_widget.filePath().strip()
        if not output:
            output = self.default_output(fmt)
            self.output_widget.setFilePath(output)
        if output and not self.atlas and not output.lower().endswith(f".{fmt}"):
            output = (
                output.rsplit(".", 1)[0]
                if output.lower()[-4:] in (".pdf", ".png", ".svg")
                else output
            )
            output = f"{output}.{fmt}"
        params = {
            "LAYERS": self.checked_layers(),
            "TITLE": self.title_edit.text().strip(),
            "SUBTITLE": self.subtitle_edit.text().strip(),
            "LOGO": self.logo_widget.filePath().strip(),
            "SOURCES": self.sources_edit.text().strip(),
            "PAPER": self.paper_combo.currentData(),
            "ORIENTATION": self.orientation_combo.currentData(),
            "DPI": self.dpi_spin.value(),
            "MODE": self.mode_combo.currentData(),
            "OVERWRITE": self.overwrite_check.isChecked(),
            "TEXT_AS_OUTLINES": self.outlines_check.isChecked(),
            "FORMAT": fmt,
            "OUTPUT": output,
        }
        if self.extent_widget is not None and self.extent_widget.isValid():
            rect = self.extent_widget.outputExtent()
            crs = self.extent_widget.outputCrs()
            params["EXTENT"] = (
                f"{rect.xMinimum()},{rect.xMaximum()},{rect.yMinimum()},{rect.yMaximum()} "
                f"[{crs.authid()}]"
            )
        if self.atlas_combo is not None and self.atlas_combo.currentLayer() is not None:
            params["ATLAS_LAYER"] = self.atlas_combo.currentLayer()
            if self.per_feature_check.isChecked() and output.lower().endswith(".pdf"):
                params["OUTPUT"] = output[:-4]
        return params

    # -- actions ----------------------------------------------------------------------------
    def _context(self):
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        return context

    def _say(self, text):
        self.messages.appendPlainText(text)

    def _no_layer(self) -> bool:
        if self.layer_list.count() and not self.checked_layers():
            self._say(tr("Tick at least one layer to put on the map."))
            return True
        return False

    def preview(self):
        """Render the page the algorithm would build (not added to the project)."""
        from ..processing.export_map import ExportMapAlgorithm

        self.messages.clear()
        if self._no_layer():
            return None
        alg = ExportMapAlgorithm()
        alg.initAlgorithm()
        try:
            request = alg.request_from_parameters(self.parameters(), self._context())
            project = QgsProject.instance()
            result = build_layout(
                request, project, register=False, transform_context=project.transformContext()
            )
        except CgetError as exc:
            self._say(str(exc))
            return None
        for warning in result.warnings:
            self._say(warning)
        if result.missing_for_final:
            self._say(
                tr("Missing for a final map: {missing}.").format(
                    missing="; ".join(result.missing_for_final)
                )
            )
        if result.atlas_count:
            result.layout.atlas().beginRender()
            result.layout.atlas().first()
        target = self.preview_label.size()
        image = QgsLayoutExporter(result.layout).renderPageToImage(0, target)
        if result.atlas_count:
            result.layout.atlas().endRender()
        pixmap = QPixmap.fromImage(image)
        self.preview_label.setPixmap(
            pixmap.scaled(
                target,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self._preview_layout = result.layout  # keep alive while shown
        return image

    def export(self):
        """Run cget:exportmap as a task (progress and Cancel; the algorithm runs on the GUI
        thread, as layouts require, while the window keeps repainting). Returns the run, or
        None when nothing was started."""
        self.messages.clear()
        if self._no_layer():
            return None
        self.last_result = None
        run = self.runner.run_algorithm(
            ALG_ID,
            self.parameters(),
            tr("Exporting the map “{title}”").format(
                title=self.title_edit.text().strip() or self.windowTitle()
            ),
            on_success=self._exported,
            on_done=self._export_ended,
            outputs=(),
            widget=self,
            cancelled=tr("Map export cancelled."),
        )
        if run is not None:
            run.feedback.message.connect(lambda _kind, text: self._say(text))
            self._set_busy(True)
        return run

    def _exported(self, run):
        self.last_result = run.results
        files = run.results.get("FILES") or [run.results.get("OUTPUT")]
        self._say(
            tr("Done: {n} file(s); layout « {name} » kept in the project.").format(
                n=len(files), name=run.results.get("LAYOUT_NAME")
            )
        )
        return tr("Written: {path}").format(path=run.results.get("OUTPUT"))

    def _export_ended(self, run):
        self._set_busy(False)
        if run.cancelled:
            self._say(run.message)

    def _set_busy(self, busy: bool) -> None:
        for button in (self.export_button, self.preview_button):
            button.setEnabled(not busy)

    def busy(self) -> bool:
        return bool(self.runner.runs)
