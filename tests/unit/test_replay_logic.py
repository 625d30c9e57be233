"""Replay logic without QGIS: the catalogue rewrite, the CQL subset, the IGN rate
limit, the isochrone approximation, and the command line (a real process, outside pytest's
own server fixtures)."""

import json
import math
import subprocess
import sys
import time
import urllib.request

import pytest

from cget_plugin.core.catalog import validate_catalog_data
from tests.helpers.shared_data import REPO
from tests.replay import catalog as replay
from tests.replay.answers import ReplayError
from tests.replay.isochrones import RateLimit, approximate_isochrone
from tests.replay.wfs import parse_cql


def test_rewrite_every_fetched_url_to_the_loopback():
    base = "http://127.0.0.1:5"
    assert (
        replay.rewrite_url("https://static.data.gouv.fr/resources/x/y.csv?a=1", base)
        == base + "/static.data.gouv.fr/resources/x/y.csv?a=1"
    )
    assert (
        replay.rewrite_url("https://Data.Geopf.fr/wfs/ows", base) == base + "/data.geopf.fr/wfs/ows"
    )
    assert replay.rewrite_url("/local/file.gpkg", base) == "/local/file.gpkg"


def test_replay_catalogue_is_valid_and_keeps_human_links():
    official = json.loads(replay.OFFICIAL_CATALOG.read_text(encoding="utf-8"))
    data = replay.replay_catalog("http://127.0.0.1:5", wfs_page_size=7)
    assert validate_catalog_data(data) == []
    assert data["wfs"]["page_size"] == 7
    assert (
        data["services"]["ign_isochrone"] == "http://127.0.0.1:5/data.geopf.fr/navigation/isochrone"
    )
    assert data["services"]["geocoder"] == "http://127.0.0.1:5/data.geopf.fr/geocodage"
    pages = {e["id"]: e.get("page") for e in official["entries"]}
    assert {e["id"]: e.get("page") for e in data["entries"]} == pages
    assert [e["id"] for e in data["entries"]] == [e["id"] for e in official["entries"]]


def test_cql_subset_like_geoserver():
    names = {"code_insee", "code_insee_du_departement"}
    test = parse_cql("code_insee_du_departement IN ('93','2A')", names)
    assert test({"code_insee_du_departement": "93"}) and test({"code_insee_du_departement": "2A"})
    assert not test({"code_insee_du_departement": "92"})
    both = parse_cql("(code_insee_du_departement = '93') AND code_insee LIKE '9306%'", names)
    assert both({"code_insee_du_departement": "93", "code_insee": "93066"})
    assert not both({"code_insee_du_departement": "93", "code_insee": "93001"})
    with pytest.raises(ReplayError) as err:
        parse_cql("insee_dep IN ('93')", names)
    assert err.value.status == 400 and b"Illegal property name" in err.value.body


def test_isochrone_rate_limit_five_per_second():
    limit = RateLimit(5)
    assert [limit.exceeded("1.2.3.4") for _ in range(6)] == [False] * 5 + [True]
    assert limit.exceeded("5.6.7.8") is False  # per client
    time.sleep(1.05)
    assert limit.exceeded("1.2.3.4") is False


def test_isochrone_approximation_scales_with_time():
    def mean_radius_m(geom, lon, lat):
        ring = geom["coordinates"][0][:-1]
        return sum(
            math.hypot((x - lon) * 111320.0 * math.cos(math.radians(lat)), (y - lat) * 110574.0)
            for x, y in ring
        ) / len(ring)

    small = approximate_isochrone(2.38, 48.94, 1000.0)
    big = approximate_isochrone(2.38, 48.94, 4000.0)
    assert small["coordinates"][0][0] == small["coordinates"][0][-1]
    assert 700 < mean_radius_m(small, 2.38, 48.94) < 1000
    assert mean_radius_m(big, 2.38, 48.94) == pytest.approx(
        4 * mean_radius_m(small, 2.38, 48.94), rel=0.01
    )


def test_command_line_serves_until_killed(tmp_path):
    catalog = tmp_path / "catalog.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            str(REPO / "tests/replay/server.py"),
            "--port",
            "0",
            "--catalog-out",
            str(catalog),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url_line = proc.stdout.readline().strip()
        assert url_line.startswith("URL http://127.0.0.1:"), proc.stderr.read()
        assert proc.stdout.readline().strip() == f"CATALOG {catalog}"
        base = url_line.split()[1]
        assert json.loads(catalog.read_text(encoding="utf-8"))["datagouv_api"].startswith(base)
        with urllib.request.urlopen(
            base + "/www.data.gouv.fr/api/1/datasets/liste-des-structures-france-services/"
        ) as resp:
            payload = json.loads(resp.read())
        assert payload["resources"][0]["url"].startswith(base + "/static.data.gouv.fr/")
        assert proc.poll() is None
    finally:
        proc.terminate()
        proc.wait(timeout=10)
