"""The French user guide (resources/help/guide_fr.html) performed in the real QGIS desktop under
Xvfb, with a throwaway profile holding the packaged plugin (``make package``), in French:
tests/gui/guide_steps.py clicks through every step and takes the guide's screenshots; this test
asserts what each step produced.

The screenshots land in tests/artifacts/guide/ (palette PNG). With CGET_UPDATE_GUIDE_SHOTS=1
they are also copied into resources/help/img/ (the guide's) and docs/img/ (the README's two).

Run: ``make test-gui``, or alone:
``xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python -m pytest tests/gui/test_user_guide.py -p no:qgis``
"""

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.gui.qgis_profile import make_profile

REPO = Path(__file__).resolve().parents[2]
STEPS = Path(__file__).with_name("guide_steps.py")
ARTIFACTS = REPO / "tests" / "artifacts" / "guide"
HELP_IMG = REPO / "resources" / "help" / "img"
DOCS_IMG = REPO / "docs" / "img"
GUIDE = REPO / "resources" / "help" / "guide_fr.html"
README_SHOTS = {"01_barres_outils.png": "qgis_toolbars_fr.png"}


def _profile(root: Path) -> Path:
    return make_profile(root, "fr")


def _optimise(png: Path, target: Path):
    """Palette PNG (screenshots have few colours): a fraction of the RGB size."""
    from PIL import Image

    with Image.open(png) as image:
        image = image.convert("RGB")
        if image.width > 1280 or image.height > 800:
            image.thumbnail((1280, 800))
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            target, optimize=True
        )


@pytest.fixture(scope="module")
def guide_run(tmp_path_factory):
    if not shutil.which("qgis"):
        pytest.fail("QGIS desktop not installed (make setup installs it)")
    if not os.environ.get("DISPLAY"):
        pytest.skip("no X display: run under xvfb-run (make test-gui)")
    tmp = tmp_path_factory.mktemp("guide")
    root = _profile(tmp / "qgis")
    result = tmp / "result.json"
    shots = tmp / "shots"
    env = dict(os.environ)
    env.update(
        CGET_GUIDE_RESULT=str(result),
        CGET_GUIDE_SHOTS=str(shots),
        CGET_GUIDE_WORK=str(tmp / "work"),
        CGET_CACHE_DIR=str(tmp / "cache"),
        QT_QPA_PLATFORM="xcb",
        LANG="fr_FR.UTF-8",
    )
    proc = subprocess.run(
        [
            "qgis",
            "--profiles-path",
            str(root),
            "--nologo",
            "--noversioncheck",
            "--code",
            str(STEPS),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.exists(), f"QGIS wrote no result (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    findings = json.loads(result.read_text(encoding="utf-8"))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for name in findings["shots"]:
        _optimise(shots / name, ARTIFACTS / name)
    (ARTIFACTS / "result.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1))
    if os.environ.get("CGET_UPDATE_GUIDE_SHOTS") == "1" and not findings["errors"]:
        HELP_IMG.mkdir(parents=True, exist_ok=True)
        DOCS_IMG.mkdir(parents=True, exist_ok=True)
        for name in findings["shots"]:
            shutil.copyfile(ARTIFACTS / name, HELP_IMG / name)
        for name, target in README_SHOTS.items():
            shutil.copyfile(ARTIFACTS / name, DOCS_IMG / target)
    return findings


def test_guide_steps_ran_without_error(guide_run):
    assert not guide_run["errors"], "\n".join(guide_run["errors"])
    assert guide_run["seconds"] < 150


def test_step1_install_three_french_toolbars(guide_run):
    install = guide_run["steps"]["install"]
    assert install["active"]
    assert list(install["toolbars"].values()) == [
        "Géographie prioritaire",
        "Accessibilité",
        "Cartes préfecture",
    ]
    assert "CGET – Égalité des territoires" in install["menu"]


def test_step2_territory_catalogue_and_sample(guide_run):
    load = guide_run["steps"]["load"]
    assert load["territory"]["completions"] > 0
    assert load["territory"]["codes"] == "93"
    assert "Politique de la ville" in load["catalog"]["themes"][0]
    assert any("QPV" in e or "Quartiers" in e for e in load["catalog"]["first_theme_entries"])
    assert load["catalog"]["last_entry"] == "Essayer avec l'exemple"
    assert "FICTIVES" in load["catalog"]["last_entry_tooltip"]
    assert load["group"] == "Exemple fictif (données de démonstration)"
    counts = dict(load["layers"])
    assert len(counts) == 5 and all(n > 0 for n in counts.values())
    assert "fictiv" in load["qpv_provenance"].lower() or "fictiv" in load["qpv_abstract"].lower()


def test_step3_click_in_a_qpv_answers_inside(guide_run):
    address = guide_run["steps"]["address"]
    assert address["expected_code"].startswith("QN000")
    assert address["expected_code"] in address["answer"]
    assert re.search(r"(?i)dans|à l.intérieur", address["answer"]), address["answer"]


def test_step4_isochrones_dialog_and_map_tool(guide_run):
    iso = guide_run["steps"]["isochrones"]
    assert iso["prefilled"].get("INPUT") and iso["prefilled"].get("NETWORK")
    assert iso["bands"] >= 3
    assert iso["population_field"]
    point = guide_run["steps"]["isochrone_point"]
    assert point["layers"] and all(n > 0 for _name, n in point["layers"])


def test_step5_coverage_table(guide_run):
    cov = guide_run["steps"]["coverage"]
    assert cov["prefilled"].get("ZONES"), "the zones (QPV) should be pre-filled"
    assert cov["table"]
    rows = cov["rows"]
    assert len(rows) >= 6  # overall + the 5 QPV of the sample
    assert any("pop_le_10" in key for key in rows[0])
    total = float(rows[0]["pop_total"])
    assert 100_000 < total < 130_000  # the sample's 120,750 inhabitants
    # each QPV against the rest of its commune (pre-filled), with the gap
    assert cov["prefilled"].get("REFERENCE_ZONES"), "the communes should be pre-filled"
    for row in rows[1:]:
        assert row["rest_of"] not in ("", "NULL", "None") and row["gap_minutes_mean"] != "NULL"


def test_step6_prefecture_map_exported(guide_run):
    layout = guide_run["steps"]["layout"]
    assert layout["settings"].get("saved") is True
    assert layout["title"] == "Carte préfecture"
    pdf_path, pdf_size, _ = layout["pdf"]
    png_path, png_size, _ = layout["png"]
    assert pdf_size > 20_000, layout["pdf"]
    assert png_size > 20_000, layout["png"]
    assert "PROJET" in layout["preview_messages"] or "bloc-marque" in layout["preview_messages"]


def test_step7_script_examples_use_real_parameters(guide_run):
    scripts = guide_run["steps"]["scripts"]
    ids = {alg_id for alg_id, _keys in scripts["calls"]}
    assert ids == {
        "cget:loadgeography",
        "cget:locateaddresses",
        "cget:isochrones",
        "cget:accesstime",
        "cget:exportmap",
    }
    assert not scripts["unknown"], scripts["unknown"]


def test_screenshots_taken_and_used_by_the_guide(guide_run):
    expected = {
        "01_barres_outils.png",
        "02_territoire.png",
        "03_menu_catalogue.png",
        "04_adresse_qpv.png",
        "05_isochrones_dialogue.png",
        "06_isochrones_carte.png",
        "07_isochrone_point.png",
        "08_couverture_dialogue.png",
        "09_tableau_couverture.png",
        "09b_ecart_qpv.png",
        "10_reglages_cartes.png",
        "11_carte_prefecture.png",
    }
    assert expected <= set(guide_run["shots"])
    for name in expected:
        assert (ARTIFACTS / name).stat().st_size > 5_000, name
    if GUIDE.exists():
        html = GUIDE.read_text(encoding="utf-8")
        for name in expected:
            assert f"img/{name}" in html, f"the guide does not show {name}"
