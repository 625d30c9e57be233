"""cget:exportmap: every bad input of issue 5 with its message (no visible layer, empty extent,
logos, templates, output folder, existing files, final mode on an incomplete map)."""

import os
import shutil
from pathlib import Path

import pytest
from qgis.core import (
    QgsExpressionContextUtils,
    QgsProcessingException,
    QgsProject,
)
from qgis.PyQt.QtGui import QColor, QImage

from tests.helpers.layout_export import (
    Feedback,
    pdf_info,
)

pytestmark = pytest.mark.usefixtures("layout_clean_settings")


def test_no_visible_layer(run_alg, tmp_path):
    with pytest.raises(QgsProcessingException, match="No visible layer"):
        run_alg("cget:exportmap", {"TITLE": "x", "OUTPUT": str(tmp_path / "a.pdf")})


def test_zero_area_extent(run_alg, layers, tmp_path):
    with pytest.raises(QgsProcessingException, match="zero area"):
        run_alg(
            "cget:exportmap",
            {
                "LAYERS": [layers["qpv"]],
                "EXTENT": "570000,570000,6270000,6280000 [EPSG:2154]",
                "OUTPUT": str(tmp_path / "a.pdf"),
            },
        )


def test_logo_missing_or_not_an_image(run_alg, layers, tmp_path):
    with pytest.raises(QgsProcessingException, match="does not exist"):
        run_alg(
            "cget:exportmap",
            {
                "LAYERS": [layers["qpv"]],
                "LOGO": str(tmp_path / "nope.svg"),
                "OUTPUT": str(tmp_path / "a.pdf"),
            },
        )
    fake = tmp_path / "logo.png"
    fake.write_text("not a picture")
    with pytest.raises(QgsProcessingException, match="not a readable image"):
        run_alg(
            "cget:exportmap",
            {"LAYERS": [layers["qpv"]], "LOGO": str(fake), "OUTPUT": str(tmp_path / "a.pdf")},
        )
    doc = tmp_path / "logo.docx"
    doc.write_text("x")
    with pytest.raises(QgsProcessingException, match="not an SVG, PNG or JPEG"):
        run_alg(
            "cget:exportmap",
            {"LAYERS": [layers["qpv"]], "LOGO": str(doc), "OUTPUT": str(tmp_path / "a.pdf")},
        )


def test_small_raster_logo_warns(run_alg, layers, tmp_path):
    png = tmp_path / "test_logo.png"
    image = QImage(120, 60, QImage.Format.Format_RGB32)
    image.fill(QColor("#9e9e9e"))
    assert image.save(str(png))
    feedback = Feedback()
    run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"]],
            "LOGO": str(png),
            "ORIENTATION": "landscape",
            "OUTPUT": str(tmp_path / "a.pdf"),
            "DPI": 300,
        },
        feedback=feedback,
    )
    # 45 x 22 mm box, 2:1 picture -> printed 44 mm wide -> 520 px needed at 300 dpi
    assert any("120 px" in w and "520 px" in w for w in feedback.warnings), feedback.warnings


def test_template_without_expected_ids(run_alg, layers, tmp_path):
    shipped = Path(__file__).resolve().parents[2] / "resources" / "layouts" / "A4_landscape.qpt"
    broken = tmp_path / "mine.qpt"
    broken.write_text(
        shipped.read_text(encoding="utf-8")
        .replace('id="legende"', 'id="legend"')
        .replace('id="echelle"', 'id="scale"'),
        encoding="utf-8",
    )
    with pytest.raises(QgsProcessingException, match="legende, echelle"):
        run_alg(
            "cget:exportmap",
            {"LAYERS": [layers["qpv"]], "TEMPLATE": str(broken), "OUTPUT": str(tmp_path / "a.pdf")},
        )


def test_user_template_from_project_variable(run_alg, layers, tmp_path):
    shipped = Path(__file__).resolve().parents[2] / "resources" / "layouts" / "A3_portrait.qpt"
    mine = tmp_path / "maison.qpt"
    shutil.copy(shipped, mine)
    QgsExpressionContextUtils.setProjectVariable(
        QgsProject.instance(), "cget_layout_template", str(mine)
    )
    out = tmp_path / "a.pdf"
    run_alg(
        "cget:exportmap",
        {"LAYERS": [layers["qpv"]], "ORIENTATION": "landscape", "OUTPUT": str(out), "DPI": 72},
    )
    assert pdf_info(out)[:2] == pytest.approx((297, 420), abs=0.6)  # the template wins


def test_output_folder_not_writable(run_alg, layers, tmp_path, monkeypatch):
    blocker = tmp_path / "file.txt"
    blocker.write_text("x")
    with pytest.raises(QgsProcessingException, match="Cannot create the output folder"):
        run_alg("cget:exportmap", {"LAYERS": [layers["qpv"]], "OUTPUT": str(blocker / "a.pdf")})
    locked = tmp_path / "locked"
    locked.mkdir()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda p, m: False if Path(p) == locked else real_access(p, m)
    )
    with pytest.raises(QgsProcessingException, match="not writable"):
        run_alg("cget:exportmap", {"LAYERS": [layers["qpv"]], "OUTPUT": str(locked / "a.pdf")})


def test_existing_file_kept_unless_overwrite(run_alg, layers, tmp_path):
    out = tmp_path / "carte.pdf"
    out.write_bytes(b"precious")
    with pytest.raises(QgsProcessingException, match="already exist"):
        run_alg("cget:exportmap", {"LAYERS": [layers["qpv"]], "OUTPUT": str(out)})
    assert out.read_bytes() == b"precious"
    run_alg(
        "cget:exportmap",
        {"LAYERS": [layers["qpv"]], "OUTPUT": str(out), "OVERWRITE": True, "DPI": 72},
    )
    assert out.read_bytes()[:5] == b"%PDF-"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["carte.pdf"]


def test_final_mode_refuses_incomplete_map(run_alg, layers, tmp_path):
    with pytest.raises(QgsProcessingException) as err:
        run_alg(
            "cget:exportmap",
            {"LAYERS": [layers["qpv"]], "MODE": "final", "OUTPUT": str(tmp_path / "a.pdf")},
        )
    message = str(err.value)
    assert "title" in message and "bloc-marque" in message and "Réalisation" in message
    assert not (tmp_path / "a.pdf").exists()
    assert QgsProject.instance().layoutManager().layouts() == []
