"""cget:exportmap end to end on real data (QPV 2015, communes 31, France services): each
template to PDF and PNG, texts and sizes checked with poppler, legend = visible layers, atlas
page/file counts, and every bad input of issue 5 with its message."""

import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from qgis.core import (
    QgsExpressionContextUtils,
    QgsFillSymbol,
    QgsMarkerSymbol,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QColor, QImage

from cget_plugin.core.layouts.spec import GEOMETRY, PAGE_SIZE_MM
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


@pytest.fixture(autouse=True)
def clean_settings_and_project():
    settings = QgsSettings()
    settings.remove("cget/layout")
    yield
    settings.remove("cget/layout")
    QgsProject.instance().clear()


@pytest.fixture
def layers():
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


def _pdf_text(path, layout=False):
    args = ["pdftotext", "-layout", str(path), "-"] if layout else ["pdftotext", str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def _pdf_info(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    w, h = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out).groups())
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    return w * 25.4 / 72, h * 25.4 / 72, pages


def _flat(text):
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # "ﬃ" ligatures


def _map_area_variance(png, paper, orientation, dpi):
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
    w, h, pages = _pdf_info(pdf)
    assert pages == 1
    assert (w, h) == pytest.approx(PAGE_SIZE_MM[(paper, orientation)], abs=0.6)
    text = _flat(_pdf_text(pdf))
    assert "Quartiers prioritaires et France services en Haute-Garonne" in text
    assert "QPV 2015 – département de la Haute-Garonne (31)" in text
    assert (
        "Sources : ANCT – QPV 2015 ; ANCT – France services 2024 ; IGN – ADMIN EXPRESS COG 2026 ; INSEE – RP 2021"
        in text
    )
    assert "Réalisation : DDT 31 – SUEL/pôle géomatique – " in text
    assert re.search(r"Réalisation : .* – \d{2}/\d{2}/\d{4}", text)
    assert "Projection : RGF93 v1 / Lambert-93 (EPSG:2154)" in text
    scale = re.search(r"(?m)^.*\b0\s+(\d+)\s+(\d+) km\s*$", _pdf_text(pdf, layout=True))
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
    variance, distinct = _map_area_variance(png, paper, orientation, dpi)
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
    text = _flat(_pdf_text(result["OUTPUT"]))
    assert "Mairies" not in text
    assert "Fond de carte" in text and "Quartiers prioritaires 2015" in text
    assert [c.name() for c in root.children() if c.nodeType() == 0] == ["Fond de carte"]


def test_atlas_one_pdf_page_per_feature(run_alg, layers, tmp_path):
    out = tmp_path / "atlas.pdf"
    result = run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], layers["communes"]],
            "ATLAS_LAYER": layers["qpv"],
            "TITLE": "Quartiers prioritaires de la Haute-Garonne",
            "OUTPUT": str(out),
            "DPI": 72,
        },
    )
    assert result["PAGE_COUNT"] == QPV_31 == layers["qpv"].featureCount()
    assert _pdf_info(out)[2] == QPV_31
    text = _flat(_pdf_text(out))
    assert f"1/{QPV_31} – " in text and f"{QPV_31}/{QPV_31} – " in text
    assert "Empalot (QP031010)" in text


def test_atlas_one_file_per_feature(run_alg, layers, tmp_path, artifacts_dir):
    folder = tmp_path / "pages"
    result = run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], layers["communes"]],
            "ATLAS_LAYER": layers["qpv"],
            "OUTPUT": str(folder),
            "FORMAT": "png",
            "DPI": 50,
        },
    )
    files = sorted(folder.glob("*.png"))
    assert len(files) == QPV_31 == len(result["FILES"])
    assert (folder / "QP031010_Empalot.png").is_file()
    (artifacts_dir / "layouts").mkdir(exist_ok=True)
    shutil.copy(folder / "QP031010_Empalot.png", artifacts_dir / "layouts" / "atlas_QP031010.png")


def test_atlas_names_not_valid_as_file_names(run_alg, tmp_path):
    layer = QgsVectorLayer(
        "Polygon?crs=EPSG:2154&field=code:string&field=nom:string", "zones", "memory"
    )
    from qgis.core import QgsFeature, QgsGeometry

    feats = []
    for i, (code, name) in enumerate(
        [("A1", "Nord / Sud : centre?"), ("A2", "CON"), ("A1", "Nord / Sud : centre?")]
    ):
        f = QgsFeature(layer.fields())
        f.setAttributes([code, name])
        x = 570000 + i * 3000
        f.setGeometry(
            QgsGeometry.fromWkt(
                f"POLYGON(({x} 6270000,{x+2000} 6270000,{x+2000} 6272000,{x} 6272000,{x} 6270000))"
            )
        )
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer)
    feedback = Feedback()
    run_alg(
        "cget:exportmap",
        {"ATLAS_LAYER": layer, "OUTPUT": str(tmp_path / "z"), "FORMAT": "png", "DPI": 50},
        feedback=feedback,
    )
    names = sorted(p.name for p in (tmp_path / "z").iterdir())
    assert names == ["A1_Nord_Sud_centre.png", "A1_Nord_Sud_centre_2.png", "A2_CON.png"]
    assert any("Nord / Sud" in w for w in feedback.warnings)


def test_atlas_layer_without_feature(run_alg, layers, tmp_path):
    layers["qpv"].setSubsetString("1 = 0")
    with pytest.raises(QgsProcessingException, match="no feature"):
        run_alg("cget:exportmap", {"ATLAS_LAYER": layers["qpv"], "OUTPUT": str(tmp_path / "a.pdf")})


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
    assert _pdf_info(out)[:2] == pytest.approx((297, 420), abs=0.6)  # the template wins


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
    text = _flat(_pdf_text(out))
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
    w, h, _ = _pdf_info(out)
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
    text = _flat(_pdf_text(out))
    assert "Lozère" not in text and "Fond de carte" not in text
    # the overview map draws the shipped département outlines (issue 14): they are cited too
    assert "Sources : ANCT – QPV 2015 ; IGN – ADMIN EXPRESS COG 2026 Projection" in text


def test_commune_atlas_page_key(run_alg, tmp_path):
    communes = real_layer("communes/communes_31.gpkg", "communes", "Communes")
    communes.setSubsetString(
        "code_insee IN ('31069', '31022', '31555')"
    )  # Blagnac, Aucamville, Toulouse
    apply_to_layer(communes, Provenance("IGN", "ADMIN EXPRESS COG", "2026"))
    QgsProject.instance().addMapLayer(communes)
    out = tmp_path / "communes.pdf"
    run_alg("cget:exportmap", {"ATLAS_LAYER": communes, "OUTPUT": str(out), "DPI": 50})
    text = _flat(_pdf_text(out))
    assert _pdf_info(out)[2] == 3
    assert "1/3 – Commune d'Aucamville (31022)" in text
    assert "2/3 – Commune de Blagnac (31069)" in text
    assert "3/3 – Commune de Toulouse (31555)" in text


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
    assert "Sources : ANCT – QPV 2015" in _flat(_pdf_text(out))


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
    text = _flat(_pdf_text(out))
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
    assert " km" in _flat(_pdf_text(plain)) or " m " in _flat(_pdf_text(plain))


def test_atlas_legend_filtered_per_page(run_alg, layers, tmp_path):
    out = tmp_path / "atlas.pdf"
    run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], layers["fs"], layers["communes"]],
            "ATLAS_LAYER": layers["qpv"],
            "OUTPUT": str(out),
            "DPI": 50,
        },
    )
    with_fs = []
    for page in range(1, QPV_31 + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(out), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        legend = text.split("Légende")[1].split("Sources")[0]
        assert "Quartiers prioritaires 2015" in _flat(legend)
        with_fs.append("France services 2024" in _flat(legend))
    # a France services site is in the frame of some QPV pages only
    assert any(with_fs) and not all(with_fs)


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
    assert "QPV" in _flat(_pdf_text(out))
