"""Issue 11, second "Done when", in the real QGIS desktop under Xvfb (French): choose a territory,
click "Temps d'accès…", accept the offer to load the network and population, get the access-time
layer and the coverage table; screenshots in tests/artifacts/engine_inputs/.

tests/gui/engine_inputs_steps.py clicks through it in QGIS (throwaway French profile holding the
packaged plugin of ``make package``), the BD TOPO WFS and the Filosofi national file answered by
the loopback replay server; this file asserts its findings.

Run: ``make package`` then
``xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m pytest
tests/gui/test_engine_inputs.py -p no:qgis``
"""

import json
from pathlib import Path

import pytest

from tests.gui.qgis_profile import require_desktop, run_steps_with_replay
from tests.helpers.shared_data import real_path

REPO = Path(__file__).resolve().parents[2]
STEPS = Path(__file__).with_name("engine_inputs_steps.py")
ARTIFACTS = REPO / "tests" / "artifacts" / "engine_inputs"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    require_desktop()
    real_path("communes/communes_48.gpkg")  # what the replay server builds its data from
    services = real_path("services/france_services_2024-08-01.gpkg")
    findings = run_steps_with_replay(
        STEPS,
        tmp_path_factory.mktemp("engine"),
        "CGET_ENGINE_RESULT",
        dict(CGET_ENGINE_SHOTS=str(ARTIFACTS), CGET_ENGINE_SERVICES=str(services)),
        timeout=480,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "result.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1))
    return findings


def test_steps_ran_without_error(run):
    assert not run["errors"], "\n".join(run["errors"])
    setup = run["steps"]["setup"]
    assert setup["territory"] == "48" and setup["services"] == 20
    assert "Lozère (48)" in setup["shown"]  # chosen in the completer, as a user does
    assert setup["lines"] == []  # no road network in the project before the offer


def test_offer_in_french_with_the_sizes(run):
    offer = run["steps"]["offer"]
    text = offer["text"]
    assert offer["load"] == "Charger et ouvrir" and offer["skip"] == "Ouvrir sans charger"
    assert "Le moteur local a besoin d'un réseau routier" in text
    assert "Lozère (48)" in text and "(+20 km)" in text
    assert "tronçons de route à télécharger" in text
    assert "fichier national de" in text and "Mo à télécharger une fois" in text
    assert run["replay_counts"].get("/data.geopf.fr/wfs/ows", 0) >= 1


def test_layers_loaded_and_dialog_prefilled(run):
    loaded = run["steps"]["loaded"]
    prefilled = loaded["prefilled"]
    assert loaded["network"][1] > 10000 and loaded["population"][1] > 100
    assert loaded["group"].startswith("Lozère")
    assert loaded["network_renderer"] == "categorizedSymbol"
    assert loaded["population_renderer"] == "graduatedSymbol"
    assert prefilled["NETWORK_PROFILE"] in ("bdtopo", "1")
    assert prefilled["POP_FIELD"] == "ind"
    assert prefilled["FACILITIES"] == loaded["services_id"]


def test_access_time_layer_and_coverage_table(run):
    result = run["steps"]["run"]
    population_cells = run["steps"]["loaded"]["population"][1]
    assert result["units"] > 100 and result["units"] <= population_cells
    assert result["reached"] > 0.9 * result["units"]
    assert 0 < result["minutes_max"] < 180
    table = result["table"]
    assert table and table[0]["zone"] == "Ensemble"
    overall = table[0]
    assert overall["pop_total"] > 0
    assert 0 < overall["pop_le_10"] <= overall["pop_le_20"] <= overall["pop_le_30"]
    assert overall["pop_le_30"] <= overall["pop_total"]


def test_screenshots_taken(run):
    assert len(run["shots"]) == 4
    for name in run["shots"]:
        assert (ARTIFACTS / name).stat().st_size > 20_000
