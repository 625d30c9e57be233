"""FRR through the loopback replay server (tests/replay/server.py): the DGCL workbook (title row
above the header, REAL communes of the shared files, SYNTHETIC classification) and the
Observatoire des territoires CSV twin, joined by cget:loadgeography to the commune polygons of
the replayed Géoplateforme WFS. Nothing reaches the internet."""

import json
import urllib.error
import urllib.request
from collections import Counter

import pytest
from qgis.core import QgsSettings, QgsVectorLayer

from cget_plugin.core.provenance import read_from_layer
from tests.helpers.shared_data import real_path

CLASSES = {
    "Non classée",
    "FRR socle",
    "FRR+",
    "FRR bénéficiaire",
    "FRR bénéficiaire partiellement",
    "Classée FRR partiellement",
}


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    from tests.replay.server import start_server

    server = start_server(catalog_out=tmp_path_factory.mktemp("replay_frr") / "catalog.json")
    yield server
    server.stop()


@pytest.fixture
def replay_env(replay, monkeypatch, tmp_path):
    monkeypatch.setenv("CGET_CATALOG", str(replay.catalog_path))
    monkeypatch.setenv("CGET_CACHE_DIR", str(tmp_path / "cache"))
    settings = QgsSettings()
    keys = [f"cget/sources/{g}" for g in ("frr", "communes")]
    saved = {k: settings.value(k, None) for k in keys}
    for key in keys:
        settings.remove(key)
    replay.services.counts.clear()
    yield replay
    for key, value in saved.items():
        if value not in (None, ""):
            settings.setValue(key, value)


def _catalog_urls(replay):
    data = json.loads(replay.catalog_path.read_text(encoding="utf-8"))
    entry = next(e for e in data["entries"] if e["id"] == "frr")
    return entry["source"]["urls"]


def _load(run_alg, territory, source=None):
    params = {"GEOGRAPHY": "frr", "TERRITORY": territory, "OUTPUT": "TEMPORARY_OUTPUT"}
    if source:
        params["SOURCE"] = source
    layer = run_alg("cget:loadgeography", params)["OUTPUT"]
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer, "frr", "ogr")
    return layer


def test_fixture_real_communes_synthetic_documented_classes(replay):
    from osgeo import ogr

    from tests.replay.fixtures import frr_class

    rows = {r[0]: r for r in replay.services.data.frr_rows}
    ds = ogr.Open(str(real_path("communes/communes_48.gpkg")))
    real = {f.GetField("code_insee"): f.GetField("nom") for f in ds.GetLayer(0)}
    assert len(real) > 100
    assert {c: rows[c][2] for c in real} == real  # every commune of the 48, real name
    assert {r[3] for r in rows.values()} <= CLASSES
    lozere = Counter(rows[c][3] for c in real)
    assert len(lozere) >= 4 and lozere["Non classée"] < len(real) / 2, lozere
    # deterministic, and urban départements unclassed
    assert all(frr_class(c, "48") == rows[c][3] for c in real)
    assert {r[3] for r in rows.values() if r[1] == "93"} == {"Non classée"}


def test_both_formats_served_at_the_catalogue_urls(replay):
    xlsx_url, csv_url = _catalog_urls(replay)
    with urllib.request.urlopen(xlsx_url, timeout=10) as resp:
        body = resp.read()
        assert body[:2] == b"PK" and resp.headers["Last-Modified"]
    with urllib.request.urlopen(csv_url, timeout=10) as resp:
        lines = resp.read().decode("utf-8").splitlines()
    assert lines[0] == "codgeo;libgeo;codefrr"
    assert any(line.endswith(";-9999") for line in lines)
    assert not any("Non classée" in line for line in lines)
    with pytest.raises(urllib.error.HTTPError) as err:  # another indicator: not replayed
        urllib.request.urlopen(csv_url.replace("indic=codefrr", "indic=zrr"), timeout=10)
    assert err.value.code == 404


def test_frr_for_lozere_from_the_dgcl_workbook(run_alg, replay_env):
    layer = _load(run_alg, "48")
    rows = [r for r in replay_env.services.data.frr_rows if r[1] == "48"]
    classed = {r[0]: r[3] for r in rows if r[3] != "Non classée"}
    assert layer.isValid() and layer.featureCount() == len(classed)
    assert layer.crs().authid() == "EPSG:2154"
    feats = list(layer.getFeatures())
    assert {f["code"]: f["classe"] for f in feats} == classed
    assert {f["insee_dep"] for f in feats} == {"48"}
    assert all(f.geometry().isGeosValid() and not f.geometry().isEmpty() for f in feats)
    prov = read_from_layer(layer)
    assert prov is not None and prov.producer == "DGCL"
    assert prov.url.startswith(replay_env.url + "/www.collectivites-locales.gouv.fr/")
    hits = replay_env.services.counts
    assert sum(n for p, n in hits.items() if p.endswith(".xlsx")) == 1
    assert sum(n for p, n in hits.items() if "GC_API_download" in p) == 0
    assert sum(n for p, n in hits.items() if "/wfs/ows" in p) >= 1  # geometries by the WFS


def test_frr_for_creuse_from_the_observatoire_csv(run_alg, replay_env):
    csv_url = _catalog_urls(replay_env)[1]
    layer = _load(run_alg, "23", source=csv_url)
    rows = [r for r in replay_env.services.data.frr_rows if r[1] == "23"]
    classed = {r[0]: r[3] for r in rows if r[3] != "Non classée"}
    assert {f["code"]: f["classe"] for f in layer.getFeatures()} == classed
    assert {f["insee_dep"] for f in layer.getFeatures()} == {"23"}
