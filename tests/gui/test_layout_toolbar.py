"""Issue 5, "Done when", in the real QGIS desktop under Xvfb: with QPV and isochrone layers
loaded, one click on Export in "Carte préfecture…" gives a PDF and a PNG meeting the checklist
of docs/map-conventions.md §1.1 in the four formats (A4/A3 × paysage/portrait); "Atlas…" on the
QPV of the Haute-Garonne gives one page per QPV; cget:exportmap does the same from a script.

tests/gui/layout_toolbar_steps.py clicks through it in QGIS (throwaway French profile holding
the packaged plugin of ``make package``; real QPV 2015 and France Services of the 31 loaded with
their provenance; isochrones from the IGN router of the loopback replay server); this file
checks the files with poppler (pdfinfo, pdftotext, pdftoppm) and Pillow. The files and a PNG
render of the first page of every PDF land in tests/artifacts/layouts/ for review.

Run: ``make package`` then
``xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m pytest
tests/gui/test_layout_toolbar.py -p no:qgis``
"""

import json
import math
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.gui.qgis_profile import require_desktop, run_steps_with_replay
from tests.helpers.shared_data import real_path

REPO = Path(__file__).resolve().parents[2]
STEPS = Path(__file__).with_name("layout_toolbar_steps.py")
ARTIFACTS = REPO / "tests" / "artifacts" / "layouts"
LOGO = REPO / "tests" / "data" / "layouts" / "test_logo.svg"
PAGES_MM = {
    "A4_landscape": (297, 210),
    "A4_portrait": (210, 297),
    "A3_landscape": (420, 297),
    "A3_portrait": (297, 420),
}


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    require_desktop()
    qpv = real_path("qpv/qpv2015_occitanie.gpkg")
    fs = real_path("services/france_services_2024-08-01.gpkg")
    tmp = tmp_path_factory.mktemp("lay")
    if ARTIFACTS.exists():
        shutil.rmtree(ARTIFACTS)
    ARTIFACTS.mkdir(parents=True)
    findings = run_steps_with_replay(
        STEPS,
        tmp,
        "CGET_LAY_RESULT",
        dict(
            CGET_LAY_OUT=str(ARTIFACTS),
            CGET_LAY_QPV=str(qpv),
            CGET_LAY_FS=str(fs),
            CGET_LAY_LOGO=str(LOGO),
        ),
    )
    (ARTIFACTS / "result.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1))
    return findings


def test_steps_ran_without_error(run):
    assert not run["errors"], "\n".join(run["errors"])
    assert run["seconds"] < 120


# -- helpers ---------------------------------------------------------------------------------
def _flat(text):
    return re.sub(r"\s+", " ", text).strip()


def _pdf_text(path, layout=False, page=None):
    args = ["pdftotext"] + (["-layout"] if layout else [])
    if page:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run(args + [str(path), "-"], capture_output=True, text=True).stdout


def _pdfinfo(path):
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", out).group(1))
    w, h = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+) pts", out).groups())
    return pages, w * 25.4 / 72, h * 25.4 / 72


def _render(pdf, dpi=50):
    """First page as PNG next to the PDF (review artefact); returns its path."""
    stem = pdf.with_name(pdf.stem + "_page1")
    subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", str(pdf), stem],
        check=True,
    )
    return stem.with_suffix(".png")


def _ink(png, rect_mm, dpi):
    """Share of non-white pixels and number of distinct colours inside ``rect_mm``."""
    from PIL import Image

    x, y, w, h = (v * dpi / 25.4 for v in rect_mm)
    with Image.open(png) as image:
        crop = image.convert("RGB").crop((int(x) + 2, int(y) + 2, int(x + w) - 2, int(y + h) - 2))
        pixels = list(crop.getdata())
    inked = sum(1 for p in pixels if min(p) < 235)
    return inked / len(pixels), len(set(pixels))


def _check_texts(text, layout_text, km=True):
    flat = _flat(text)
    assert "Accès aux France Services des quartiers prioritaires" in flat
    assert "Quartiers prioritaires 2015 – département de la Haute-Garonne" in flat
    sources = flat.split("Sources :", 1)[1].split("Projection :")[0]
    # Every dataset shown, producer and vintage, from the layers' provenance.
    assert re.search(r"\bANCT\b", sources) and re.search(r"\b(19|20)\d{2}\b", sources)
    assert "Quartiers prioritaires de la politique de la ville 2015" in sources
    assert "IGN" in sources and "France Services" in sources
    assert re.search(r"Réalisation : DDT 31 – test – \d{2}/\d{2}/\d{4}", flat)
    assert "Projection : RGF93 v1 / Lambert-93 (EPSG:2154)" in flat
    assert "Légende" in flat
    assert "PROJET" not in flat  # a final map: bloc-marque, title and sources all there
    if km:
        scale = re.search(r"(?m)^.*\b0\s+([\d,]+)\s+([\d,]+) km\s*$", layout_text)
        assert scale, "scale bar labels in km"
        first, second = (float(v.replace(",", ".")) for v in scale.groups())
        assert second == 2 * first
        # round ground distances (§1.1 #6): 1, 2, 2.5 or 5 × 10^n, never 0 – 19 – 38 km
        mantissa = first / 10 ** math.floor(math.log10(first))
        assert round(mantissa, 6) in (1.0, 2.0, 2.5, 5.0), scale.group(0)


def _check_legend(entry, ticked, text):
    assert entry["layout_in_project"]
    # The legend lists exactly the layers visible on the map, by their readable names.
    assert sorted(entry["legend_layers"]) == sorted(ticked)
    assert sorted(entry["map_layers"]) == sorted(ticked)
    # Compared without spaces and hyphens: labels wrap, and pdftotext joins "Haute-⏎Garonne".
    joined = re.sub(r"[\s-]", "", text)
    for label in entry["legend_labels"]:
        assert re.sub(r"[\s-]", "", label) in joined, label


LOGO_MM = (10, 10, 40, 22)  # logo_etat, top-left, on every template


# -- tests -----------------------------------------------------------------------------------
def test_qpv_and_isochrones_loaded_with_provenance(run):
    load = run["steps"]["load"]
    assert load["layers"]["qpv"][1] == 19  # QPV 2015 of the 31 (data README)
    assert len(load["qpv_codes"]) == 19 and all(c.startswith("QP031") for c in load["qpv_codes"])
    assert load["layers"]["iso"][1] >= 2 and load["iso_origins"] >= 2
    assert "Quartiers prioritaires" in load["provenance"]["qpv"]
    assert "2015" in load["provenance"]["qpv"]
    assert "IGN" in load["provenance"]["iso"]


def test_settings_saved_from_the_toolbar(run):
    settings = run["steps"]["settings"]
    assert settings["saved"] and not settings["error_label"]
    assert settings["title"] == "Cartes préfecture – réglages"
    step = run["steps"]["map"]
    assert step["logo"].endswith("test_logo.svg")
    assert step["mode"] == "final"  # a bloc-marque is set: final by default
    assert step["ticked"] == step["visible"]


@pytest.mark.parametrize("key", sorted(PAGES_MM))
def test_one_click_pdf_meets_the_checklist(run, key):
    step = run["steps"]["map"]
    entry = step["exports"][key]["pdf"]
    pdf = Path(entry["path"])
    assert entry["exists"] and pdf.is_file(), entry["messages"]
    assert entry["result"]["PAGE_COUNT"] == 1
    pages, w, h = _pdfinfo(pdf)
    assert pages == 1
    assert abs(w - PAGES_MM[key][0]) <= 1 and abs(h - PAGES_MM[key][1]) <= 1
    assert entry["page_mm"] == list(PAGES_MM[key])
    text = _pdf_text(pdf)
    _check_texts(text, _pdf_text(pdf, layout=True))
    _check_legend(entry, step["ticked"], text)
    png = _render(pdf)
    share, colours = _ink(png, entry["map_mm"], 50)
    assert share > 0.005 and colours >= 4, (share, colours)  # the map area is not blank
    assert _ink(png, LOGO_MM, 50)[0] > 0.2  # the bloc-marque is drawn top-left


@pytest.mark.parametrize("key", sorted(PAGES_MM))
def test_one_click_png_at_the_dpi(run, key):
    from PIL import Image

    step = run["steps"]["map"]
    entry = step["exports"][key]["png"]
    png = Path(entry["path"])
    assert entry["exists"] and png.is_file(), entry["messages"]
    with Image.open(png) as image:
        size = image.size
    expected = [round(mm / 25.4 * 100) for mm in PAGES_MM[key]]  # 100 dpi
    assert abs(size[0] - expected[0]) <= 1 and abs(size[1] - expected[1]) <= 1, size
    _check_legend(entry, step["ticked"], " ".join(entry["legend_labels"]))
    share, colours = _ink(png, entry["map_mm"], 100)
    assert share > 0.005 and colours >= 4, (share, colours)
    assert _ink(png, LOGO_MM, 100)[0] > 0.2
    assert entry["seconds"] < 20


def test_atlas_one_page_per_qpv(run):
    entry = run["steps"]["atlas"]
    pdf = Path(entry["path"])
    assert entry["exists"] and pdf.is_file(), entry["messages"]
    pages, w, h = _pdfinfo(pdf)
    assert pages == entry["features"] == entry["result"]["PAGE_COUNT"] == 19
    assert abs(w - 210) <= 1 and abs(h - 297) <= 1
    text = _flat(_pdf_text(pdf))
    for code in run["steps"]["load"]["qpv_codes"]:
        assert code in text  # each QPV has its page, keyed by its code
    for page in (1, 10, 19):
        page_text = _flat(_pdf_text(pdf, page=page))
        assert re.search(rf"\b{page}/19 – ", page_text), page_text[:300]
        assert "Réalisation : DDT 31 – test" in page_text and "Sources :" in page_text
    _render(pdf)


def test_exportmap_from_a_script(run):
    entry = run["steps"]["script"]
    pdf = Path(entry["path"])
    assert entry["exists"] and pdf.is_file()
    pages, w, h = _pdfinfo(pdf)
    assert pages == 1 and abs(w - 210) <= 1 and abs(h - 297) <= 1
    text = _pdf_text(pdf)
    _check_texts(text, _pdf_text(pdf, layout=True))
    _check_legend(entry, run["steps"]["map"]["ticked"], text)
    assert entry["result"]["LAYOUT_NAME"] in entry["layouts"]  # left in the project
    share, colours = _ink(_render(pdf), entry["map_mm"], 50)
    assert share > 0.005 and colours >= 4
