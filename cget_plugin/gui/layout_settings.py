"""Dialog "Réglages" of the Cartes préfecture toolbar: authority line, service, official
bloc-marque file, default page and resolution, template override. Filled once, remembered in
QgsSettings (``cget/layout/...``)."""

from __future__ import annotations

from qgis.gui import QgsFileWidget
from qgis.PyQt.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
)

from ..core.errors import InputError
from ..core.i18n import tr
from ..core.layouts.builder import check_logo, set_setting, setting


class LayoutSettingsDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("CgetLayoutSettingsDialog")
        self.setWindowTitle(tr("Prefecture maps – settings"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        note = QLabel(
            tr(
                "The plugin never draws the Marianne nor the bloc-marque: give the official "
                "file (SVG, or PNG at 300 dpi) supplied by your prefecture's communication "
                "service. Without it, maps are drafts marked « PROJET »."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        form = QFormLayout()
        self.authority_edit = QLineEdit(setting("authority", ""))
        self.authority_edit.setPlaceholderText(tr("e.g. Préfète de la Haute-Garonne"))
        self.service_edit = QLineEdit(setting("service", ""))
        self.service_edit.setPlaceholderText(tr("e.g. DDT 31 – SUEL/pôle géomatique"))
        self.logo_widget = QgsFileWidget()
        self.logo_widget.setFilter(tr("Images (*.svg *.png *.jpg *.jpeg)"))
        self.logo_widget.setFilePath(setting("logo", ""))
        self.paper_combo = QComboBox()
        self.paper_combo.addItems(["A4", "A3"])
        self.paper_combo.setCurrentText(setting("paper", "A4") or "A4")
        self.format_combo = QComboBox()
        self.format_combo.addItems(["pdf", "png", "svg"])
        self.format_combo.setCurrentText(setting("format", "pdf") or "pdf")
        self.dpi_spin = QSpinBox()
        self.dpi_spin.setRange(50, 1200)
        self.dpi_spin.setValue(int(setting("dpi", 300) or 300))
        self.template_widget = QgsFileWidget()
        self.template_widget.setFilter(tr("Layout templates (*.qpt)"))
        self.template_widget.setFilePath(setting("template", ""))
        form.addRow(tr("Authority (intitulé)"), self.authority_edit)
        form.addRow(tr("Service (Réalisation)"), self.service_edit)
        form.addRow(tr("Official bloc-marque"), self.logo_widget)
        form.addRow(tr("Default paper"), self.paper_combo)
        form.addRow(tr("Default format"), self.format_combo)
        form.addRow(tr("Default resolution (dpi)"), self.dpi_spin)
        form.addRow(tr("Own template (.qpt, optional)"), self.template_widget)
        layout.addLayout(form)
        self.error_label = QLabel("")
        self.error_label.setStyleSheet("color: #C9191E;")
        self.error_label.setWordWrap(True)
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def save(self) -> bool:
        logo = self.logo_widget.filePath().strip()
        if logo:
            try:
                check_logo(logo)
            except InputError as exc:
                self.error_label.setText(str(exc))
                return False
        set_setting("authority", self.authority_edit.text().strip())
        set_setting("service", self.service_edit.text().strip())
        set_setting("logo", logo)
        set_setting("paper", self.paper_combo.currentText())
        set_setting("format", self.format_combo.currentText())
        set_setting("dpi", self.dpi_spin.value())
        set_setting("template", self.template_widget.filePath().strip())
        self.accept()
        return True
