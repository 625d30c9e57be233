"""Issue 12, "Done when", in the real QGIS desktop under Xvfb: the « Où implanter ? » action of
the Accessibilité toolbar, its dialog run on the sample in the background, the proposed sites
loaded numbered and styled, the coverage chart and table on screen, the scenario map offered.

tests/gui/siting_steps.py clicks through it in QGIS (French profile holding the packaged plugin
of ``make package``); this file asserts its findings. Screenshots land in
tests/artifacts/siting/.
"""

import json
import os
from pathlib import Path

import pytest

from tests.gui.qgis_profile import make_profile, optimise_png, require_desktop, run_qgis_code

REPO = Path(__file__).resolve().parents[2]
STEPS = Path(__file__).with_name("siting_steps.py")
ARTIFACTS = REPO / "tests" / "artifacts" / "siting"
SAMPLE = REPO / "resources" / "sample" / "cget_sample.gpkg"
GUIDE = REPO / "resources" / "help" / "guide_fr.html"
GUIDE_SHOT = REPO / "resources" / "help" / "img" / "12_ou_implanter.png"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    require_desktop()
    tmp = tmp_path_factory.mktemp("siting")
    result = tmp / "result.json"
    proc = run_qgis_code(
        make_profile(tmp / "qgis"),
        STEPS,
        {
            "CGET_SIT_RESULT": str(result),
            "CGET_SIT_SHOTS": str(ARTIFACTS),
            "CGET_SIT_SAMPLE": str(SAMPLE),
            "CGET_CACHE_DIR": str(tmp / "cache"),
        },
    )
    assert result.exists(), f"QGIS wrote no result (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    findings = json.loads(result.read_text(encoding="utf-8"))
    (ARTIFACTS / "result.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1))
    return findings


def test_steps_ran_without_error(run):
    assert not run["errors"], "\n".join(run["errors"])


def test_dialog_opens_from_the_toolbar_with_sensible_defaults(run):
    d = run["steps"]["defaults"]
    assert d["in_toolbar"] and d["action_text"] == "Où implanter ?"
    assert d["title"] == "Où implanter un nouveau service ?"
    assert d["facilities"] == "France Services (fictif)"
    assert d["candidates"] == "Mairies (fictif)"
    assert d["population"] == "Carreaux 200 m (fictif)" and d["pop_field"] == "ind"
    assert d["network"] == "Tronçons de route (fictif)"
    assert d["threshold"] == 30
    assert d["buttons"] == ["Calculer", "Annuler", "Carte du scénario…"]


def test_run_in_the_background_loads_numbered_sites_and_the_curve(run):
    r = run["steps"]["run"]
    assert r["cancel_enabled"] and not r["run_enabled"]  # Cancel offered while it runs
    names = dict(r["layers"])
    assert names.get("Implantations proposées") == 3
    assert any(name.startswith("Courbe de couverture") for name in names)
    assert any(name.startswith("Population à plus de 10") for name in names)
    assert [s[0] for s in r["sites"]] == [1, 2, 3]
    assert [s[1] for s in r["sites"]] == [f"Proposition n° {k}" for k in (1, 2, 3)]
    assert r["labels_enabled"] and r["renderer"] == "singleSymbol"
    shares = [p[1] for p in r["chart"]]
    assert [p[0] for p in r["chart"]] == [0, 1, 2, 3]
    assert 85 < shares[0] < 95 and shares == sorted(shares)
    assert r["table_rows"] == 4 and r["table_first"][0] == "0"
    assert "3 site" in r["status"] and r["map_enabled"]


def test_scenario_map_has_the_threshold_in_the_subtitle(run):
    m = run["steps"]["map"]
    assert m["subtitle"] == "3 implantations proposées, seuil de 10 min" and m["title"]


def test_screenshots_taken(run):
    assert {"siting_01_dialog_result.png", "siting_02_dialog.png"} <= set(run["shots"])
    shot = ARTIFACTS / "siting_01_dialog_result.png"
    assert shot.stat().st_size > 20_000
    if os.environ.get("CGET_UPDATE_GUIDE_SHOTS") == "1":  # as tests/gui/test_user_guide.py
        optimise_png(shot, GUIDE_SHOT)
    assert GUIDE_SHOT.name in GUIDE.read_text(encoding="utf-8")
