"""Issue 4, "Done when", in the real QGIS desktop under Xvfb: from the "Accessibilité" toolbar,
isochrones from the town halls on the real OSM network of Saint-Germain-en-Laye come out as
clean non-overlapping bands; access time and coverage tables for communes and for QPV; the IGN
router of the map tool answered by the loopback replay server.

tests/gui/accessibility_toolbar_steps.py clicks through it in QGIS (throwaway French profile
holding the packaged plugin of ``make package``); this file asserts its findings. Screenshots
land in tests/artifacts/accessibility/.

Run: ``make package`` then
``xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m pytest
tests/gui/test_accessibility_toolbar.py -p no:qgis``
"""

import json
from pathlib import Path

import pytest

from tests.gui.qgis_profile import require_desktop, run_steps_with_replay
from tests.helpers.shared_data import real_path

REPO = Path(__file__).resolve().parents[2]
STEPS = Path(__file__).with_name("accessibility_toolbar_steps.py")
ARTIFACTS = REPO / "tests" / "artifacts" / "accessibility"
SAMPLE = REPO / "resources" / "sample" / "cget_sample.gpkg"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    require_desktop()
    roads = real_path("roads/osm_saint_germain_en_laye_2022.gpkg")
    mairies = real_path("services/mairies_78.gpkg")
    communes = real_path("communes/communes_78.gpkg")
    findings = run_steps_with_replay(
        STEPS,
        tmp_path_factory.mktemp("acc"),
        "CGET_ACC_RESULT",
        dict(
            CGET_ACC_SHOTS=str(ARTIFACTS),
            CGET_ACC_ROADS=str(roads),
            CGET_ACC_MAIRIES=str(mairies),
            CGET_ACC_COMMUNES=str(communes),
            CGET_ACC_SAMPLE=str(SAMPLE),
        ),
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "result.json").write_text(json.dumps(findings, ensure_ascii=False, indent=1))
    return findings


def test_steps_ran_without_error(run):
    assert not run["errors"], "\n".join(run["errors"])
    assert run["seconds"] < 150


def test_real_data_loaded_as_the_data_readme_says(run):
    load = run["steps"]["load"]
    assert load["roads"] == 10588
    assert load["mairies"] == 11  # the town halls inside the network's extent
    assert "Poissy" in load["mairie_names"] and "Saint-Germain-en-Laye" in load["mairie_names"]
    assert load["communes"] >= 8 and load["commune_population"] > 100_000


def test_isochrones_from_the_toolbar_are_clean_non_overlapping_bands(run):
    iso = run["steps"]["isochrones"]
    # The toolbar pre-filled the dialog with the active town-hall layer and the OSM network.
    ids = run["steps"]["load"]["ids"]
    assert iso["prefilled"]["INPUT"] == ids["mairies"]
    assert iso["prefilled"]["NETWORK"] == ids["roads"]
    assert iso["prefilled"]["ID_FIELD"] == "code_insee"
    report = iso["report"]
    assert report, iso["new_layers"]
    assert report["crs"] == "EPSG:2154"
    assert report["count"] >= len(report["origins"]) >= 3
    assert report["invalid"] == 0
    assert report["empty"] == 0
    assert report["null_origin"] == 0
    # Split by nearest origin, under the town hall's INSEE code; the town halls farther than
    # the snapping tolerance from a drivable road are listed apart, never silently dropped.
    unsnapped = {r["ident"] for r in iso["unsnapped"] if r["role"] == "origine"}
    assert all(r["distance_m"] > 500 for r in iso["unsnapped"])  # SNAP_TOLERANCE_M default
    assert "78551" in report["origins"]  # Saint-Germain-en-Laye, 5 m from a street
    assert set(report["origins"]) | unsnapped == set(iso["mairie_codes"])
    assert not set(report["origins"]) & unsnapped
    assert {tuple(b) for b in report["bands"]} <= {(0, 5), (5, 10), (10, 15)}
    assert {b[1] for b in report["bands"]} == {5, 10, 15}
    # Non-overlapping: the pairwise intersections of the polygonal parts are ~0.
    assert report["total_area_m2"] > 5e6
    assert report["overlap_area_m2"] <= 1e-6 * report["total_area_m2"], report
    assert iso["seconds"] < 60


def test_access_time_per_commune(run):
    step = run["steps"]["access_time"]
    units = step["units"]
    communes = run["steps"]["load"]["communes"]
    # Every commune is either timed or listed as not attached to the network (the network
    # covers Saint-Germain and its surroundings only), with its distance.
    # The town halls left out are in the same layer, as facilities ("équipement").
    apart = [r for r in step["unsnapped"] if r["role"] == "unité"]
    halls = [r for r in step["unsnapped"] if r["role"] == "équipement"]
    assert len(apart) + len(halls) == len(step["unsnapped"])
    assert halls and {r["ident"] for r in halls} <= set(run["steps"]["isochrones"]["mairie_codes"])
    assert len(units) + len(apart) == communes
    assert len(units) >= 5 and all(r["distance_m"] > 500 and r["population"] for r in apart)
    assert all("minutes" in u and "nearest_id" in u for u in units)
    reached = [u for u in units if u["minutes"] is not None]
    assert reached and all(0 <= u["minutes"] < 120 for u in reached)
    codes = set(run["steps"]["isochrones"]["mairie_codes"])
    assert {u["nearest_id"] for u in reached} <= codes


def _check_table(rows, zones, thresholds):
    assert rows[0]["zone"] == "Ensemble"
    assert sorted(r["zone"] for r in rows[1:]) == sorted(zones)
    for row in rows:
        total = row["pop_total"]
        previous = 0.0
        for t in thresholds:
            pop = row[f"pop_le_{t}"]
            assert previous - 1e-6 <= pop <= total + 1e-6
            if total > 0:
                assert abs(row[f"part_le_{t}"] - 100 * pop / total) < 0.1
            previous = pop
        covered = row[f"pop_le_{thresholds[-1]}"] + row["pop_beyond"] + row["pop_unsnapped"]
        assert abs(covered - total) <= max(1.0, 1e-3 * total)


def test_coverage_table_for_communes(run):
    step = run["steps"]["coverage_communes"]
    assert "ZONES" in step["prefilled"]  # "Population couverte…" pre-fills the zones
    rows = step["table"]
    _check_table(rows, step["communes"], (5, 10, 15))
    overall = rows[0]
    assert abs(overall["pop_total"] - run["steps"]["load"]["commune_population"]) <= 1
    assert 0 < overall["pop_le_15"] <= overall["pop_total"]


def test_coverage_table_for_qpv(run):
    step = run["steps"]["coverage_qpv"]
    rows = step["table"]
    assert len(step["qpv"]) >= 2
    _check_table(rows, step["qpv"], (10, 20, 30))
    assert rows[0]["pop_total"] > 0
    assert any(r["pop_le_30"] > 0 for r in rows[1:])
    # QPV loaded: the action proposes them as zones, against the communes around them
    prefilled, ids = step["prefilled"], step["ids"]
    assert prefilled["ZONES"] == ids["qpv"] and prefilled["REFERENCE_ZONES"] == ids["communes"]
    # and the table compares each QPV with the rest of its commune(s)
    assert rows[0]["rest_of"] is None
    for row in rows[1:]:
        assert row["rest_of"] and set(row["rest_of"].split(", ")) <= set(step["communes"])
        assert row["rest_pop"] > 0 and row["minutes_median"] is not None
        for key in ("minutes_mean", "part_gt_10"):
            gap = row[key] - row[f"rest_{key}"]
            assert abs(row[f"gap_{key}"] - gap) <= 0.15, (row["zone"], key)


def test_map_tool_with_ign_against_the_replay_server(run):
    step = run["steps"]["point_ign"]
    assert step["backend"] == "ign"
    assert step["catalog"]
    assert not step["error"], step["error"]
    assert len(step["layers"]) == 1 and step["layers"][0][1] >= 2
    assert "Saint-Germain-en-Laye" in step["layers"][0][0]
    report = step["report"]
    assert report["invalid"] == 0 and report["empty"] == 0
    assert report["bands"] == [[0, 5], [5, 10]]
    assert report["overlap_area_m2"] <= 1e-6 * report["total_area_m2"]
    assert report["contains_click"]
    # The replay server answered (nothing reached the internet) and the layer says which
    # engine and version computed it.
    assert run["replay_counts"].get("/data.geopf.fr/navigation/isochrone", 0) >= 2
    assert "IGN" in step["metadata"] and "replay-" in step["metadata"]


def test_screenshots_taken(run):
    assert run["shots"]
    for name in run["shots"]:
        assert (ARTIFACTS / name).stat().st_size > 20_000
