"""What the cget:exportmap tests share (tests/qgis/test_layout_export*.py, test_layout_atlas.py):
feedback collecting warnings, poppler readings of the PDF, the map area's pixel variance."""

import re
import subprocess
import unicodedata
from pathlib import Path

from qgis.core import (
    QgsFillSymbol,
    QgsMarkerSymbol,
    QgsProcessingFeedback,
    QgsProject,
)
from qgis.PyQt.QtGui import QColor, QImage

from cget_plugin.core.layouts.spec import GEOMETRY
from cget_plugin.core.provenance import Provenance, apply_to_layer
from tests.helpers.shared_data import real_layer

DATA = Path(__file__).resolve().parents[1] / "data" / "layouts"


TEST_LOGO = DATA / "test_logo.svg"


QPV_31 = 19  # QPV 2015 of Haute-Garonne in the shared extract (README)


class Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.warnings, self.infos = [], []

    def pushWarning(self, text):
        self.warnings.append(text)

    def pushInfo(self, text):
        self.infos.append(text)


def pdf_text(path, layout=False):
    args = ["pdftotext", "-layout", str(path), "-"] if layout else ["pdftotext", str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pdf_info(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out).groups())
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    return w * 25.4 / 72, h * 25.4 / 72, pages


def flat_text(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # "ﬃ" ligatures


def map_area_variance(png, paper, orientation, dpi):
    image = QImage(str(png))
    x, y, w, h = GEOMETRY[(paper, orientation)]["carte"]
    px = dpi / 25.4
    values = []
    step = max(1, int(min(w, h) * px / 60))
    for iy in range(int((y + 2) * px), int((y + h - 2) * px), step):
        for ix in range(int((x + 2) * px), int((x + w - 2) * px), step):
            values.append(QColor(image.pixel(ix, iy)).lightness())
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values), len(set(values))


def styled_layers_31():
    """Communes (base), QPV 2015 and France services of the 31, styled as a user would and
    with the provenance the plugin's loaders write."""
    project = QgsProject.instance()
    com = real_layer("communes/communes_31.gpkg", "communes", "communes_31")
    qpv = real_layer("qpv/qpv2015_occitanie.gpkg", "qpv2015", "Quartiers prioritaires 2015")
    qpv.setSubsetString("code_departement = '31'")
    fs = real_layer(
        "services/france_services_2024-08-01.gpkg", "france_services", "france_services"
    )
    fs.setSubsetString("insee_dep = '31'")
    apply_to_layer(com, Provenance("IGN", "ADMIN EXPRESS COG", "2026"))
    apply_to_layer(
        qpv,
        Provenance(
            "ANCT",
            "Quartiers prioritaires de la politique de la ville",
            "2015",
            credit="ANCT – QPV 2015",
        ),
    )
    apply_to_layer(
        fs, Provenance("ANCT", "France services", "2024", credit="ANCT – France services 2024")
    )
    com.renderer().setSymbol(
        QgsFillSymbol.createSimple(
            {"color": "#F6F6F6", "outline_color": "#9a9a9a", "outline_width": "0.15"}
        )
    )
    qpv.renderer().setSymbol(
        QgsFillSymbol.createSimple(
            {"color": "#E3E3FD", "outline_color": "#000091", "outline_width": "0.5"}
        )
    )
    fs.renderer().setSymbol(
        QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": "#E1000F", "outline_color": "white", "size": "2.4"}
        )
    )
    project.addMapLayers([com, qpv, fs])
    return {"communes": com, "qpv": qpv, "fs": fs}
