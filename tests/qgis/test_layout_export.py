"""cget:exportmap end to end on real data (QPV 2015, communes 31, France services): each
template to PDF and PNG, texts and sizes checked with poppler, legend = visible layers, final
mode, fonts, orientation. Atlases: test_layout_atlas.py; bad inputs of issue 5:
test_layout_export_errors.py. Fixtures ``layers`` and ``layout_clean_settings``: conftest.py."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from qgis.core import (
    QgsProject,
)
from qgis.PyQt.QtGui import QImage

from cget_plugin.core.layouts.spec import PAGE_SIZE_MM
from cget_plugin.core.provenance import Provenance, apply_to_layer
from tests.helpers.layout_export import (
    TEST_LOGO,
    Feedback,
    flat_text,
    map_area_variance,
    pdf_info,
    pdf_text,
)
from tests.helpers.shared_data import real_layer

pytestmark = pytest.mark.usefixtures("layout_clean_settings")


@pytest.mark.parametrize(
    "paper,orientation",
    [("A4", "landscape"), ("A4", "portrait"), ("A3", "landscape"), ("A3", "portrait")],
)
def test_each_template_to_pdf_and_png(run_alg, layers, tmp_path, artifacts_dir, paper, orientation):
    params = {
        "LAYERS": [layers["qpv"], layers["fs"], layers["communes"]],
        "TITLE": "Quartiers prioritaires et France services en Haute-Garonne",
        "SUBTITLE": "QPV 2015 – département de la Haute-Garonne (31)",
        "AUTHOR": "DDT 31 – SUEL/pôle géomatique",
        "AUTHORITY": "Préfète de la Haute-Garonne",
        "SOURCES": "INSEE – RP 2021",
        "PAPER": paper,
        "ORIENTATION": orientation,
        "DPI": 300,
        "OUTPUT": str(tmp_path / "carte.pdf"),
    }
    result = run_alg("cget:exportmap", params)
    pdf = Path(result["OUTPUT"])
    w, h, pages = pdf_info(pdf)
    assert pages == 1
    assert (w, h) == pytest.approx(PAGE_SIZE_MM[(paper, orientation)], abs=0.6)
    text = flat_text(pdf_text(pdf))
    assert "Quartiers prioritaires et France services en Haute-Garonne" in text
    assert "QPV 2015 – département de la Haute-Garonne (31)" in text
    assert (
        "Sources : ANCT – QPV 2015 ; ANCT – France services 2024 ; IGN – ADMIN EXPRESS COG 2026 ; INSEE – RP 2021"
        in text
    )
    assert "Réalisation : DDT 31 – SUEL/pôle géomatique – " in text
    assert re.search(r"Réalisation : .* – \d{2}/\d{2}/\d{4}", text)
    assert "Projection : RGF93 v1 / Lambert-93 (EPSG:2154)" in text
    scale = re.search(r"(?m)^.*\b0\s+(\d+)\s+(\d+) km\s*$", pdf_text(pdf, layout=True))
    assert scale and int(scale.group(2)) == 2 * int(scale.group(1)), "scale bar labels in km"
    assert "PROJET" in text  # draft without bloc-marque marks itself
    assert "Bloc-marque officiel à fournir" in text
    # the layout stays in the project, named and editable
    layout = QgsProject.instance().layoutManager().layoutByName(result["LAYOUT_NAME"])
    assert layout is not None and layout.itemById("carte") is not None

    dpi = 100
    png_params = dict(params, OUTPUT=str(tmp_path / "carte.png"), DPI=dpi)
    png = Path(run_alg("cget:exportmap", png_params)["OUTPUT"])
    image = QImage(str(png))
    pw, ph = PAGE_SIZE_MM[(paper, orientation)]
    assert abs(image.width() - pw / 25.4 * dpi) <= 1 and abs(image.height() - ph / 25.4 * dpi) <= 1
    variance, distinct = map_area_variance(png, paper, orientation, dpi)
    assert variance > 20 and distinct > 5, "the map frame looks blank"
    shutil.copy(png, artifacts_dir / f"layout_{paper}_{orientation}.png")
    (artifacts_dir / "layouts").mkdir(exist_ok=True)
    shutil.copy(png, artifacts_dir / "layouts" / f"{paper}_{orientation}.png")
    assert not [p for p in tmp_path.iterdir() if ".cget-" in p.name], "temporary file left"


def test_svg_export(run_alg, layers, tmp_path):
    out = tmp_path / "carte.svg"
    run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], layers["communes"]],
            "TITLE": "QPV 31",
            "OUTPUT": str(out),
            "DPI": 96,
        },
    )
    head = out.read_text(encoding="utf-8", errors="replace")[:2000]
    assert "<svg" in head


def test_legend_lists_exactly_the_visible_layers(run_alg, layers, tmp_path):
    project = QgsProject.instance()
    hidden = real_layer("services/mairies_31.gpkg", "mairies", "Mairies de la Haute-Garonne")
    project.addMapLayer(hidden)
    project.layerTreeRoot().findLayer(hidden.id()).setItemVisibilityChecked(False)
    result = run_alg("cget:exportmap", {"TITLE": "Test légende", "OUTPUT": str(tmp_path / "l.pdf")})
    layout = project.layoutManager().layoutByName(result["LAYOUT_NAME"])
    legend = layout.itemById("legende")
    root = legend.model().rootGroup()
    names = [n.customProperty("legend/title-label") for n in root.findLayers()]
    flat = [n.replace("\n", " ") for n in names]
    assert flat[-1] == "ADMIN EXPRESS COG 2026"  # base layer last, in its own group
    assert sorted(flat) == sorted(
        ["Quartiers prioritaires 2015", "France services 2024", "ADMIN EXPRESS COG 2026"]
    )
    text = flat_text(pdf_text(result["OUTPUT"]))
    assert "Mairies" not in text
    assert "Fond de carte" in text and "Quartiers prioritaires 2015" in text
    assert [c.name() for c in root.children() if c.nodeType() == 0] == ["Fond de carte"]


def test_final_mode_complete_map(run_alg, layers, tmp_path, artifacts_dir):
    out = tmp_path / "final.pdf"
    result = run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], layers["fs"], layers["communes"]],
            "TITLE": "Quartiers prioritaires de Toulouse",
            "SUBTITLE": "QPV 2015 – Toulouse",
            "LOGO": str(TEST_LOGO),
            "AUTHOR": "DDT 31",
            "MODE": "final",
            "EXTENT": "565000,585000,6270000,6288000 [EPSG:2154]",
            "OUTPUT": str(out),
        },
    )
    text = flat_text(pdf_text(out))
    assert "PROJET" not in text and "Bloc-marque officiel" not in text
    assert "Quartiers prioritaires de Toulouse" in text
    layout = QgsProject.instance().layoutManager().layoutByName(result["LAYOUT_NAME"])
    assert layout.itemById("logo_etat").picturePath() == str(TEST_LOGO.resolve())
    png = tmp_path / "final.png"
    run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], layers["fs"], layers["communes"]],
            "TITLE": "Quartiers prioritaires de Toulouse",
            "SUBTITLE": "QPV 2015 – Toulouse",
            "LOGO": str(TEST_LOGO),
            "AUTHOR": "DDT 31",
            "MODE": "final",
            "EXTENT": "565000,585000,6270000,6288000 [EPSG:2154]",
            "OUTPUT": str(png),
            "DPI": 100,
        },
    )
    (artifacts_dir / "layouts").mkdir(exist_ok=True)
    shutil.copy(png, artifacts_dir / "layouts" / "final_toulouse.png")


def test_font_fallback_reported_and_embedded(run_alg, layers, tmp_path):
    from cget_plugin.core.layouts.fonts import choose_family

    choice = choose_family()
    feedback = Feedback()
    out = tmp_path / "a.pdf"
    run_alg(
        "cget:exportmap",
        {"LAYERS": [layers["qpv"]], "TITLE": "Polices", "OUTPUT": str(out), "DPI": 72},
        feedback=feedback,
    )
    if choice.is_fallback:
        assert any(choice.family in w and "Marianne" in w for w in feedback.warnings)
    fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True).stdout
    assert choice.family.replace(" ", "") in fonts.replace(" ", "")
    assert all(line.split()[-5] == "yes" for line in fonts.splitlines()[2:] if line.strip())


def test_orientation_from_aspect_ratio(run_alg, layers, tmp_path):
    out = tmp_path / "tall.pdf"
    run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"]],
            "EXTENT": "560000,570000,6260000,6290000 [EPSG:2154]",
            "OUTPUT": str(out),
            "DPI": 72,
        },
    )
    w, h, _ = pdf_info(out)
    assert h > w


def test_layers_outside_the_frame_are_neither_in_legend_nor_in_sources(run_alg, layers, tmp_path):
    lozere = real_layer("communes/communes_48.gpkg", "communes", "Communes de la Lozère")
    apply_to_layer(lozere, Provenance("IGN", "Communes de la Lozère", "2026"))
    QgsProject.instance().addMapLayer(lozere)
    out = tmp_path / "toulouse.pdf"
    run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], lozere],
            "TITLE": "Toulouse",
            "EXTENT": "565000,585000,6270000,6288000 [EPSG:2154]",
            "OUTPUT": str(out),
            "DPI": 72,
        },
    )
    text = flat_text(pdf_text(out))
    assert "Lozère" not in text and "Fond de carte" not in text
    # the overview map draws the shipped département outlines (issue 14): they are cited too
    assert "Sources : ANCT – QPV 2015 ; IGN – ADMIN EXPRESS COG 2026 Projection" in text


def test_script_with_layer_paths_keeps_layers_in_project(run_alg, tmp_path):
    from tests.helpers.shared_data import real_path

    qpv_uri = f"{real_path('qpv/qpv2015_occitanie.gpkg')}|layername=qpv2015"
    out = tmp_path / "script.pdf"
    result = run_alg(
        "cget:exportmap",
        {
            "LAYERS": [qpv_uri],
            "TITLE": "QPV d'Occitanie",
            "SOURCES": "ANCT – QPV 2015",
            "OUTPUT": str(out),
            "DPI": 72,
        },
    )
    layout = QgsProject.instance().layoutManager().layoutByName(result["LAYOUT_NAME"])
    # the shared outlines around the territory (issue 14) are not the script's layers
    map_layers = [
        lyr
        for lyr in layout.itemById("carte").layers()
        if not lyr.customProperty("cget/reference_outlines")
    ]
    assert len(map_layers) == 1 and map_layers[0].isValid()
    assert QgsProject.instance().mapLayer(map_layers[0].id()) is not None
    assert "Sources : ANCT – QPV 2015" in flat_text(pdf_text(out))


def test_text_as_outlines_for_print_shops(run_alg, layers, tmp_path):
    out = tmp_path / "imprimeur.pdf"
    run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"]],
            "TITLE": "Titre vectorisé",
            "TEXT_AS_OUTLINES": True,
            "OUTPUT": str(out),
            "DPI": 72,
        },
    )
    text = flat_text(pdf_text(out))
    assert " km" not in text  # the scale bar labels are curves, not text
    from qgis.core import QgsLayoutItemLabel

    if hasattr(QgsLayoutItemLabel, "setTextFormat"):
        # QGIS >= 3.24 draws layout labels with the text renderer: they become outlines too.
        assert "Titre vectorisé" not in text
    plain = tmp_path / "diffusion.pdf"
    run_alg(
        "cget:exportmap",
        {"LAYERS": [layers["qpv"]], "TITLE": "Titre vectorisé", "OUTPUT": str(plain), "DPI": 72},
    )
    assert " km" in flat_text(pdf_text(plain)) or " m " in flat_text(pdf_text(plain))


def test_bare_context_without_project_writes_the_map(cget_provider, tmp_path):
    """A script's bare QgsProcessingContext() has no project: the map is still written, the
    algorithm returns normally and says the layout could not be kept."""
    from qgis.core import QgsApplication, QgsProcessingContext

    from tests.helpers.shared_data import real_path

    qpv_uri = f"{real_path('qpv/qpv2015_occitanie.gpkg')}|layername=qpv2015"
    alg = QgsApplication.processingRegistry().createAlgorithmById("cget:exportmap")
    context = QgsProcessingContext()
    assert context.project() is None
    feedback = Feedback()
    out = tmp_path / "bare.pdf"
    params = {"LAYERS": [qpv_uri], "TITLE": "QPV", "OUTPUT": str(out), "DPI": 72}
    results, ok = alg.run(params, context, feedback)
    assert ok, feedback.infos
    assert results["OUTPUT"] == str(out) and out.stat().st_size > 0
    assert results["LAYOUT_NAME"] == "" and results["PAGE_COUNT"] == 1
    assert any("not kept" in info and "no project" in info for info in feedback.infos)
    assert QgsProject.instance().layoutManager().layouts() == []
    assert "QPV" in flat_text(pdf_text(out))
