"""Issue 3, "Done when", in the real QGIS desktop under Xvfb: from the "Géographie prioritaire"
toolbar, QPV 2024, communes and France Services for the 93 and FRR for the 48 load as styled,
filtered layers in Lambert-93 with provenance, from the loopback replay server
(tests/replay/server.py, CGET_CATALOG) and then again with the server STOPPED, from the cache;
the address panel answers for one address and "Vérifier un fichier d'adresses…" for a file.

tests/gui/geography_toolbar_steps.py does the clicking inside QGIS and writes JSON findings;
screenshots land in tests/artifacts/geography_toolbar/.

Run (after ``make package``):
``QT_QPA_PLATFORM= xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python -m pytest
tests/gui/test_geography_toolbar.py -p no:qgis -q``
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from tests.gui.qgis_profile import (
    REPO,
    make_profile,
    require_desktop,
    run_qgis_code,
)

STEPS = Path(__file__).with_name("geography_toolbar_steps.py")
ARTIFACTS = REPO / "tests" / "artifacts" / "geography_toolbar"
FRR_CLASSES = {
    "FRR socle",
    "FRR+",
    "FRR bénéficiaire",
    "FRR bénéficiaire partiellement",
    "Classée FRR partiellement",
}
UNKNOWN_ADDRESS = "12 allée des Licornes Bleues 93999 Nullepart-sur-Marne"


def _expected_places(data):
    """Addresses of the replay geocoder index inside / outside a (synthetic) QPV 2024 of the
    93, computed here with OGR from the served data, independently of the plugin."""
    from osgeo import ogr

    polygons = [
        (f["properties"]["code_qp"], ogr.CreateGeometryFromJson(json.dumps(f["geometry"])))
        for f in data.qpv_features
        if f["properties"]["insee_dep"] == "93"
    ]
    inside, outside = [], []
    for entry in sorted(data.addresses, key=lambda e: e["label"]):
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(entry["lon"], entry["lat"])
        codes = [code for code, poly in polygons if poly.Contains(point)]
        if codes:
            inside.append((entry["label"], codes[0]))
        elif all(poly.Distance(point) > 0.002 for _c, poly in polygons):  # clearly outside
            outside.append((entry["label"], None))
    return inside, outside


def _age_cache(cache: Path, days: float) -> int:
    """Make every cached copy ``days`` older (as when the user comes back weeks later)."""
    n = 0
    for meta in cache.rglob("*.json"):
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(data, dict) and "retrieved_ts" in data:
            data["retrieved_ts"] = float(data["retrieved_ts"]) - days * 86400
            meta.write_text(json.dumps(data), encoding="utf-8")
            n += 1
    return n


@pytest.fixture(scope="module")
def sessions(tmp_path_factory):
    require_desktop()
    from tests.helpers.shared_data import real_path

    for name in (
        "communes/communes_93.gpkg",
        "communes/communes_48.gpkg",
        "qpv/qpv2024_communes_points.gpkg",
        "services/france_services_2024-08-01.gpkg",
    ):
        real_path(name)
    from tests.replay.server import start_server

    tmp = tmp_path_factory.mktemp("toolbar")
    server = start_server(catalog_out=tmp / "catalog.json")
    data = server.services.data
    inside, outside = _expected_places(data)
    assert len(inside) >= 2 and len(outside) >= 2, "replay geocoder index too small"
    address, address_code = inside[0]
    file_rows = [
        ("1", inside[0][0], inside[0][1]),
        ("2", outside[0][0], None),
        ("3", UNKNOWN_ADDRESS, None),
        ("4", inside[1][0], inside[1][1]),
        ("5", outside[1][0], None),
    ]
    csv_path = tmp / "adresses.csv"
    csv_path.write_bytes(
        b"\xef\xbb\xbf"
        + ("id;adresse\n" + "".join(f"{i};{a}\n" for i, a, _c in file_rows)).encode("utf-8")
    )
    cache = tmp / "cache"
    shots = tmp / "shots"
    out = {
        "expected": {"address": (address, address_code), "file": file_rows},
        "catalog": str(server.catalog_path),
    }
    started = time.monotonic()
    try:
        for phase in ("online", "offline"):
            if phase == "offline":
                server.stop()
                out["server_hits"] = dict(server.services.counts)
                out["aged"] = _age_cache(cache, 400)
            profiles = make_profile(tmp / f"qgis_{phase}", "fr")
            result = tmp / f"result_{phase}.json"
            proc = run_qgis_code(
                profiles,
                STEPS,
                {
                    "CGET_CATALOG": str(server.catalog_path),
                    "CGET_CACHE_DIR": str(cache),
                    "CGET_TB_RESULT": str(result),
                    "CGET_TB_SHOTS": str(shots),
                    "CGET_TB_PHASE": phase,
                    "CGET_TB_ADDRESS": address,
                    "CGET_TB_CSV": str(csv_path),
                },
                timeout=150,
            )
            assert (
                result.exists()
            ), f"QGIS wrote no result ({phase}, exit {proc.returncode}):\n{proc.stderr[-3000:]}"
            out[phase] = json.loads(result.read_text(encoding="utf-8"))
    finally:
        if "server_hits" not in out:
            server.stop()
    out["seconds"] = round(time.monotonic() - started, 1)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for phase in ("online", "offline"):
        for name in out.get(phase, {}).get("shots", []):
            shutil.copyfile(shots / name, ARTIFACTS / name)  # as taken (no palette)
    (ARTIFACTS / "result.json").write_text(
        json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8"
    )
    return out


@pytest.mark.parametrize("phase", ["online", "offline"])
def test_steps_ran_without_error(sessions, phase):
    assert not sessions[phase]["errors"], "\n".join(sessions[phase]["errors"])
    assert not sessions[phase]["steps"]["failed"], sessions[phase]["steps"]["failed"]


def test_territory_box_completer(sessions):
    steps = sessions["online"]["steps"]
    assert steps["territory_93"]["codes"] == "93"
    assert "Seine-Saint-Denis" in steps["territory_93"]["text"]
    assert steps["territory_48"]["codes"] == "48"
    assert "Lozère" in steps["territory_48"]["text"]
    menu = steps["load_93"]["menu"]
    assert menu["qpv2024"] == ("Politique de la ville", "QPV 2024") or menu["qpv2024"][1] == (
        "QPV 2024"
    ), menu
    assert steps["load_48"]["menu"]["frr"][1] == "FRR"


@pytest.mark.parametrize("phase", ["online", "offline"])
def test_layers_styled_filtered_lambert93_with_provenance(sessions, phase):
    layers = sessions[phase]["layers"]
    assert set(layers) == {"qpv2024", "france_services", "communes", "frr"}, list(layers)
    for key, info in layers.items():
        assert info["crs"] == "EPSG:2154", (key, info["crs"])
        assert info["valid"], key
        assert info["provenance"] and info["provenance"]["credit"], key
    for key in ("qpv2024", "france_services", "communes"):
        assert "Seine-Saint-Denis" in layers[key]["group"], layers[key]["group"]
        assert layers[key]["insee_dep"] == ["93"], (key, layers[key]["insee_dep"])
    assert "Lozère" in layers["frr"]["group"]
    assert layers["frr"]["insee_dep"] == ["48"]

    qpv = layers["qpv2024"]
    assert qpv["count"] > 30 and all(c.startswith("QN093") for c in qpv["codes"])
    assert qpv["renderer"] == "singleSymbol" and qpv["symbol"]["stroke"].startswith("0,0,145")
    assert qpv["provenance"]["producer"] == "ANCT"
    assert any("REPLAY" in n for n in qpv["provenance"]["notes"])
    assert layers["france_services"]["count"] == 32  # real list of 2024-08-01
    assert layers["communes"]["count"] == 39
    assert layers["communes"]["provenance"]["producer"] == "IGN"

    frr = layers["frr"]
    assert frr["renderer"] == "categorizedSymbol" and set(frr["categories"]) >= FRR_CLASSES
    assert frr["class_attribute"] == "classe"
    # resources/styles/frr.qml: FRR+ dark green, FRR socle green
    assert frr["category_colors"]["FRR+"] == "#1b5e20"
    assert frr["category_colors"]["FRR socle"] == "#43a047"
    assert set(frr["classes"]) <= FRR_CLASSES and len(frr["classes"]) >= 4
    assert frr["provenance"]["producer"] == "DGCL"


def test_frr_classes_are_those_served(sessions):
    from tests.replay.fixtures import frr_class

    served = sessions["online"]["layers"]["frr"]["code_classes"]
    assert served and all(frr_class(code, "48") == klass for code, klass in served.items())


def test_offline_session_reads_the_cache_and_says_so(sessions):
    online, offline = sessions["online"]["layers"], sessions["offline"]["layers"]
    assert sessions["aged"] > 5
    for key in online:
        assert offline[key]["count"] == online[key]["count"], key
        assert offline[key]["codes"] == online[key]["codes"], key
        assert offline[key]["renderer"] == online[key]["renderer"], key
    for key in ("qpv2024", "france_services", "frr"):
        notes = " ".join(offline[key]["provenance"]["notes"])
        assert "copie en cache" in notes, (key, notes)
        # the vintage shown is the one downloaded in the online session
        assert offline[key]["provenance"]["retrieved"] == online[key]["provenance"]["retrieved"]


def test_one_address_answer(sessions):
    address, code = sessions["expected"]["address"]
    answer = sessions["online"]["steps"]["address"]
    assert answer["zones_is_qpv"], answer
    # the geocoding runs as a task: right after the click the panel says it is searching
    assert answer["while_searching"] == "Recherche de l'adresse…", answer["while_searching"]
    assert answer["in_zone"] is True and answer["zone_code"] == code, answer
    assert code in answer["answer"] and "Dans" in answer["answer"], answer["answer"]
    assert "sig.ville.gouv.fr/territoire/" + code in answer["answer"]
    assert answer["answer_height"] >= answer["answer_needed"], "answer clipped"


def test_file_of_addresses(sessions):
    state = sessions["online"]["steps"]["address_file"]
    assert state["prefilled"].get("TERRITORY") == "93", state["prefilled"]
    out = state["output"]
    assert out["input_rows"] == 5 and len(out["rows"]) == 5, out
    rows = {r["id"]: r for r in out["rows"]}
    for ident, address, code in sessions["expected"]["file"]:
        row = rows[ident]
        assert row["adresse"] == address
        if address.startswith("12 allée des Licornes"):
            assert row["geocode_status"] != "ok" and row["zone_code"] in (None, ""), row
        else:
            assert row["geocode_status"] == "ok", row
            assert (row["zone_code"] or None) == code, row


def test_whole_run_is_quick(sessions):
    assert sessions["seconds"] < 120, sessions["seconds"]


def test_everything_came_from_the_loopback(sessions):
    """The QGIS session fetched through the replay catalogue only: each service was asked."""
    catalog = json.loads(Path(sessions["catalog"]).read_text(encoding="utf-8"))
    fetched = [catalog["datagouv_api"], catalog["wfs"]["url"], *catalog["services"].values()]
    for entry in catalog["entries"]:
        fetched += entry["source"].get("urls", [])
    assert all(u.startswith("http://127.0.0.1:") for u in fetched)
    hits = sessions["server_hits"]

    def asked(fragment):
        return sum(n for path, n in hits.items() if fragment in path)

    assert asked("qp2024-france-hexagonale") == 1
    assert asked("liste-fs-20240801.csv") == 1
    assert asked("FRR_juillet2025.xlsx") == 1
    assert asked("/wfs/ows") >= 2  # communes of the 93 and of the 48
    assert asked("/geocodage/search/csv") == 1 and asked("/geocodage/search") >= 2
