"""Issue 13 item 3 in the real French QGIS desktop under Xvfb: every algorithm's Processing
dialog shows French choices (« Moteur local », « Voiture », « Arrivée au service »,
« Tranches sans recouvrement »…) and numbers without six decimals, so do the batch dialog and
the modeler, while scripts keep passing the contract's ids (``local``, ``car``, ``arrival``,
``rings``) and what a dialog hands over is those ids.

tests/gui/processing_dialogs_steps.py opens the dialogs (throwaway French profile holding the
packaged plugin of ``make package``); this file asserts its findings. One screenshot per dialog
lands in tests/artifacts/dialogs/.

Run: ``make package`` then
``xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m pytest
tests/gui/test_processing_dialogs.py -p no:qgis``
"""

import json
from pathlib import Path

import pytest

from tests.gui.qgis_profile import make_profile, require_desktop, run_qgis_code

REPO = Path(__file__).resolve().parents[2]
STEPS = Path(__file__).with_name("processing_dialogs_steps.py")
ARTIFACTS = REPO / "tests" / "artifacts" / "dialogs"
SAMPLE = REPO / "resources" / "sample" / "cget_sample.gpkg"

ALGORITHMS = {
    "cget:loadgeography",
    "cget:locateaddresses",
    "cget:isochrones",
    "cget:accesstime",
    "cget:exportmap",
    "cget:siting",
}
MODES = ["Voiture", "À pied", "Vélo"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    require_desktop()
    tmp = tmp_path_factory.mktemp("dialogs")
    result = tmp / "result.json"
    proc = run_qgis_code(
        make_profile(tmp / "qgis"),
        STEPS,
        dict(
            CGET_DLG_RESULT=str(result), CGET_DLG_SHOTS=str(ARTIFACTS), CGET_DLG_SAMPLE=str(SAMPLE)
        ),
        timeout=360,
    )
    assert result.exists(), f"QGIS wrote no result (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    findings = json.loads(result.read_text(encoding="utf-8"))
    (ARTIFACTS / "result.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1))
    return findings


def test_steps_ran_without_error(run):
    assert not run["errors"], "\n".join(run["errors"])


def test_each_dialog_opened_and_was_shot(run):
    dialogs = run["steps"]["dialogs"]
    assert set(dialogs) >= ALGORITHMS
    for alg_id in dialogs:
        shot = alg_id.split(":")[1] + ".png"
        assert shot in run["shots"] and (ARTIFACTS / shot).stat().st_size > 10_000, shot


def _param(run, alg_id, name):
    return run["steps"]["dialogs"][alg_id]["params"][name]


def test_every_choice_is_a_label_not_an_id(run):
    """In every dialog, cget:siting's included, no enum shows its ids."""
    for alg_id, dialog in run["steps"]["dialogs"].items():
        for name, seen in dialog["params"].items():
            if seen["type"] != "enum" or name == "PAPER":  # A4 / A3 are the French too
                continue
            assert seen.get("items"), (alg_id, name, seen)
            assert not set(seen["items"]) & set(seen["options"]), (alg_id, name, seen["items"])


def test_routing_dialogs_speak_french(run):
    for alg_id in ("cget:isochrones", "cget:accesstime"):
        backend = _param(run, alg_id, "BACKEND")
        assert backend["items"][0] == "Moteur local (hors ligne)"
        assert backend["current"] == "Moteur local (hors ligne)"
        assert _param(run, alg_id, "MODE")["items"] == MODES
        assert _param(run, alg_id, "MODE")["current"] == "Voiture"
        assert "Arrivée au service" in _param(run, alg_id, "DIRECTION")["items"]
        profile = _param(run, alg_id, "NETWORK_PROFILE")
        assert profile["current"] == "Automatique (d'après les champs)"
    assert _param(run, "cget:accesstime", "DIRECTION")["current"] == "Arrivée au service"
    assert _param(run, "cget:isochrones", "DIRECTION")["current"] == "Départ de l'origine"
    output = _param(run, "cget:isochrones", "OUTPUT_MODE")
    assert output["items"] == [
        "Tranches sans recouvrement",
        "Tranches cumulées",
        "Tranches par origine",
    ]
    # what the dialog hands over untouched: the ids of the defaults
    given = run["steps"]["dialogs"]["cget:isochrones"]["given"]
    assert (given["BACKEND"], given["MODE"], given["DIRECTION"], given["OUTPUT_MODE"]) == (
        "local",
        "car",
        "departure",
        "rings",
    )


def test_numbers_show_sensible_precision(run):
    snap = _param(run, "cget:isochrones", "SNAP_TOLERANCE_M")
    assert snap["label"].startswith("Distance maximale au réseau (m)")
    assert snap["spin_text"] == "500"
    assert _param(run, "cget:isochrones", "CELL_SIZE_M")["spin_text"] == "0"
    assert _param(run, "cget:locateaddresses", "MIN_SCORE")["spin_text"] == "0,50"
    for alg_id, dialog in run["steps"]["dialogs"].items():
        for name, seen in dialog["params"].items():
            text = seen.get("spin_text") or ""
            assert ",000000" not in text and ",00000" not in text, (alg_id, name, text)


def test_map_and_geography_dialogs_speak_french(run):
    orientation = _param(run, "cget:exportmap", "ORIENTATION")
    assert orientation["label"] == "Orientation [optionnel]"
    assert orientation["items"][1:] == ["Automatique (selon l'emprise)", "Paysage", "Portrait"]
    assert _param(run, "cget:exportmap", "MODE")["current"] == "Projet (marqué PROJET)"
    assert _param(run, "cget:exportmap", "FORMAT")["items"][0] == "PDF (impression, vectoriel)"
    geography = _param(run, "cget:loadgeography", "GEOGRAPHY")
    assert geography["current"] == "Quartiers prioritaires de la politique de la ville 2024"
    zones = _param(run, "cget:locateaddresses", "GEOGRAPHY")
    assert "Communes" in zones["items"] and "France Services" not in zones["items"]


def test_batch_and_modeler_show_labels_and_keep_ids(run):
    batch = run["steps"]["batch"]
    assert batch["MODE"]["items"] == MODES
    assert batch["BACKEND"]["current"] == "Moteur local (hors ligne)"
    assert batch["row_values"] == {"MODE": "car", "DIRECTION": "departure"}
    modeler = run["steps"]["modeler"]
    assert modeler["MODE"]["items"][:3] == MODES
    assert modeler["OUTPUT_MODE"]["items"][0] == "Tranches sans recouvrement"
    assert modeler["stored"] == {"MODE": ["bike"], "DIRECTION": ["departure"]}
    for shot in ("isochrones_batch.png", "isochrones_modeler.png"):
        assert shot in run["shots"]


def test_runs_with_ids_from_a_script_and_from_the_dialog(run):
    assert run["steps"]["script_ids"]["bands"] == [5, 10]
    assert run["steps"]["script_ids"]["access_rows"] >= 1
    user = run["steps"]["user_choices"]
    assert user["given"] == {
        "BACKEND": "local",
        "MODE": "walk",
        "DIRECTION": "arrival",
        "OUTPUT_MODE": "cumulative",
    }
    assert user["bands"] == [5, 10]
