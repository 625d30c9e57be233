"""“Sources et miroirs…”: point any catalogue source to a mirror URL or a local file, set the
geocoder URL and the minimum geocoding score. Stored in the QGIS settings
(``cget/sources/<id>``, ``cget/geocoder/url``, ``cget/geocoder/min_score``), read by
``core.catalog`` and ``core.geocode``."""

from __future__ import annotations

from qgis.core import QgsSettings
from qgis.gui import QgsFileWidget
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..core import catalog as catalog_mod
from ..core import definitions as defs
from ..core import geocode as geo
from ..core.i18n import tr


class SourcesDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("CgetSourcesDialog")
        self.setWindowTitle(tr("Sources and mirrors"))
        self.resize(640, 560)
        settings = QgsSettings()

        intro = QLabel(
            tr(
                "Leave a field empty to use the official source of the catalogue. Otherwise "
                "give a mirror URL or a local file (GeoJSON, GeoPackage, shapefile, ZIP, CSV): "
                "useful offline or behind a restrictive proxy."
            )
        )
        intro.setWordWrap(True)

        self.source_widgets = {}
        sources_box = QGroupBox(tr("Geographies of the catalogue"))
        form = QFormLayout(sources_box)
        try:
            entries = catalog_mod.load_catalog().entries()
        except Exception as exc:  # broken catalogue: say it in the dialog
            entries = []
            form.addRow(QLabel(tr("Catalogue unavailable: {error}").format(error=exc)))
        for entry in entries:
            widget = QgsFileWidget()
            widget.setStorageMode(QgsFileWidget.GetFile)
            widget.setFilter(
                tr("Geodata (*.geojson *.json *.gpkg *.shp *.zip *.csv *.xlsx);;All files (*)")
            )
            widget.lineEdit().setPlaceholderText(tr("official source"))
            widget.setFilePath(
                settings.value(defs.SETTINGS_SOURCES_PREFIX + entry.id, "", type=str)
            )
            widget.setToolTip(
                tr("{title} – {producer}, {vintage}").format(
                    title=entry.title, producer=entry.producer, vintage=entry.vintage
                )
            )
            form.addRow(entry.display_name, widget)
            self.source_widgets[entry.id] = widget
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        holder = QWidget()
        QVBoxLayout(holder).addWidget(sources_box)
        scroll.setWidget(holder)

        geocoder_box = QGroupBox(tr("Geocoder"))
        gform = QFormLayout(geocoder_box)
        self.geocoder_url = QLineEdit(settings.value(defs.SETTINGS_GEOCODER_URL, "", type=str))
        self.geocoder_url.setObjectName("CgetGeocoderUrl")
        self.geocoder_url.setPlaceholderText(geo.DEFAULT_URL)
        self.geocoder_url.setToolTip(
            tr(
                "Root URL of a geocoding service with the /search and /search/csv API of the "
                "Géoplateforme (empty: IGN Géoplateforme)."
            )
        )
        self.min_score = QDoubleSpinBox()
        self.min_score.setRange(0.0, 1.0)
        self.min_score.setSingleStep(0.05)
        self.min_score.setDecimals(2)
        self.min_score.setValue(geo.min_score_setting())
        self.min_score.setToolTip(
            tr("Below this score the answer is “unknown”: the address must be checked.")
        )
        gform.addRow(tr("Geocoder URL"), self.geocoder_url)
        gform.addRow(tr("Minimum score"), self.min_score)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(geocoder_box)
        layout.addWidget(buttons)

    def accept(self):
        self.save()
        super().accept()

    def save(self):
        for gid, widget in self.source_widgets.items():
            catalog_mod.set_source_override(gid, widget.filePath().strip())
        settings = QgsSettings()
        url = self.geocoder_url.text().strip()
        if url:
            settings.setValue(defs.SETTINGS_GEOCODER_URL, url)
        else:
            settings.remove(defs.SETTINGS_GEOCODER_URL)
        settings.setValue(defs.SETTINGS_GEOCODER_MIN_SCORE, self.min_score.value())
