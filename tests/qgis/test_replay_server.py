"""The loopback replay server (tests/replay/server.py) behind ``CGET_CATALOG``: the real
algorithms load QPV 2024, France Services and communes for the 93 and compute IGN isochrones
with nothing but the generated catalogue pointing at it. Nothing reaches the internet."""

import json
import threading
import time
import urllib.error
import urllib.request

import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from cget_plugin.core.provenance import read_from_layer

WFS_PAGE = 10


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    from tests.replay.server import start_server

    folder = tmp_path_factory.mktemp("replay")
    server = start_server(catalog_out=folder / "catalog.json", wfs_page_size=WFS_PAGE)
    yield server
    server.stop()


@pytest.fixture
def replay_env(replay, monkeypatch):
    monkeypatch.setenv("CGET_CATALOG", str(replay.catalog_path))
    settings = QgsSettings()
    keys = ["cget/routing/ign/url", "cget/geocoder/url"] + [
        f"cget/sources/{g}" for g in ("qpv2024", "france_services", "communes")
    ]
    saved = {k: settings.value(k, None) for k in keys}
    for key in keys:
        settings.remove(key)
    replay.services.counts.clear()
    yield replay
    for key, value in saved.items():
        if value not in (None, ""):
            settings.setValue(key, value)


def _counts(replay, fragment):
    return sum(n for path, n in replay.services.counts.items() if fragment in path)


def _load(run_alg, geography, territory="93"):
    result = run_alg(
        "cget:loadgeography",
        {"GEOGRAPHY": geography, "TERRITORY": territory, "OUTPUT": "TEMPORARY_OUTPUT"},
    )
    layer = result["OUTPUT"]
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer, geography, "ogr")
    return layer


def _all_valid(layer):
    return all(
        f.geometry().isGeosValid() and not f.geometry().isEmpty() for f in layer.getFeatures()
    )


def test_generated_catalogue_points_everything_at_the_loopback(replay):
    data = json.loads(replay.catalog_path.read_text(encoding="utf-8"))
    fetched = [data["datagouv_api"], data["wfs"]["url"], *data["services"].values()]
    for entry in data["entries"]:
        fetched += entry["source"].get("urls", [])
    assert fetched and all(u.startswith(replay.url + "/") for u in fetched), fetched
    assert data["wfs"]["page_size"] == WFS_PAGE
    assert set(data["services"]) >= {"ign_isochrone", "geocoder"}


def test_qpv2024_for_93_from_the_dataset_api(run_alg, replay_env):
    layer = _load(run_alg, "qpv2024")
    assert layer.isValid() and layer.featureCount() > 30
    assert layer.crs().authid() == "EPSG:2154"
    codes = {f["code"] for f in layer.getFeatures()}
    assert all(c.startswith("QN093") for c in codes)
    assert {"QN09328M", "QN09303M"} <= codes  # real codes of multi-commune QPV of the 93
    assert _all_valid(layer)
    names = {f["code"]: f["nom"] for f in layer.getFeatures()}
    assert names["QN09303M"] == "Haut Clichy - Centre Ville - Bosquets - Lucien Noel"
    prov = read_from_layer(layer)
    assert prov is not None and prov.producer == "ANCT"
    assert any("REPLAY" in n for n in prov.notes), prov.notes
    assert prov.source_date.startswith("2025-02-06")
    assert _counts(replay_env, "/api/1/datasets/5a561801c751df42d7fca9b6") == 1
    assert _counts(replay_env, "qp2024-france-hexagonale-outre-mer-wgs84-epsg4326.geojson") == 1


def test_france_services_for_93(run_alg, replay_env):
    layer = _load(run_alg, "france_services")
    # data README: 32 France Services in the 93 on 2024-08-01
    assert layer.featureCount() == 32
    assert QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.PointGeometry
    assert {f["insee_dep"] for f in layer.getFeatures()} == {"93"}
    assert _all_valid(layer)
    prov = read_from_layer(layer)
    assert prov is not None and prov.dataset == "Liste des structures France Services"
    assert _counts(replay_env, "liste-fs-20240801.csv") == 1


def test_communes_for_93_through_paged_wfs(run_alg, replay_env):
    layer = _load(run_alg, "communes")
    assert layer.featureCount() == 39
    assert {f["insee_dep"] for f in layer.getFeatures()} == {"93"}
    pop = {f["code"]: f["population"] for f in layer.getFeatures()}
    # numbers stay numbers across WFS pages (coverage needs a numeric POP_FIELD)
    assert isinstance(pop["93066"], int) and pop["93066"] > 100000  # Saint-Denis
    assert _all_valid(layer)
    assert read_from_layer(layer).producer == "IGN"
    # 39 communes in pages of 10: 4 GetFeature requests
    assert _counts(replay_env, "/wfs/ows") == 4


def test_ign_isochrones_around_two_france_services(run_alg, replay_env):
    services = _load(run_alg, "france_services")
    origins = QgsVectorLayer("Point?crs=EPSG:2154", "origins", "memory")
    origins.dataProvider().addAttributes([QgsField("id", QVariant.String)])
    origins.updateFields()
    for feat in list(services.getFeatures())[:2]:
        out = QgsFeature(origins.fields())
        out.setGeometry(QgsGeometry(feat.geometry()))
        out["id"] = feat["code"]
        origins.dataProvider().addFeatures([out])
    assert origins.featureCount() == 2
    result = run_alg(
        "cget:isochrones",
        {
            "INPUT": origins,
            "ID_FIELD": "id",
            "BACKEND": "ign",
            "MODE": "car",
            "DIRECTION": "arrival",
            "BANDS_MIN": "5,10",
            "OUTPUT_MODE": "per_origin",
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    layer = result["OUTPUT"]
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer, "iso", "ogr")
    assert layer.featureCount() == 4  # 2 origins x 2 bands
    assert _all_valid(layer)
    areas = sorted(f.geometry().area() for f in layer.getFeatures())
    assert areas[0] > 1e6  # 5 min by car: a few km²
    prov = read_from_layer(layer)
    assert prov is not None and "replay-" in (prov.vintage + prov.engine)
    assert _counts(replay_env, "/navigation/isochrone") == 4
    assert replay_env.url in prov.url


def test_isochrone_burst_gets_429_with_retry_after(replay):
    url = (
        replay.url + "/data.geopf.fr/navigation/isochrone?point=2.38,48.94&resource=bdtopo-valhalla"
        "&costValue=5&costType=time&timeUnit=minute&profile=pedestrian"
    )
    time.sleep(1.1)  # an empty window
    statuses, retry_after = [], []
    lock = threading.Lock()

    def hit():
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:
                code = resp.status
        except urllib.error.HTTPError as exc:
            code = exc.code
            with lock:
                retry_after.append(exc.headers.get("Retry-After"))
        with lock:
            statuses.append(code)

    threads = [threading.Thread(target=hit) for _ in range(12)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    # 5 per second: a loaded machine may spread the burst over two windows, never more.
    windows = int(elapsed) + 1
    assert 5 <= statuses.count(200) <= 5 * windows, (statuses, elapsed)
    assert statuses.count(429) >= 12 - 5 * windows, (statuses, elapsed)
    assert statuses.count(429) >= 1, statuses
    assert retry_after == ["1"] * statuses.count(429)
    time.sleep(1.1)
    with urllib.request.urlopen(url, timeout=10) as resp:  # the window has passed
        body = json.loads(resp.read())
    assert body["resourceVersion"].startswith("replay-") and body["profile"] == "pedestrian"
    assert body["geometry"]["type"] == "Polygon"


def test_geocoder_search_and_batch_csv(replay):
    from urllib.parse import quote

    with urllib.request.urlopen(
        replay.url + "/data.geopf.fr/geocodage/search?q=" + quote("4 allée de la Pérouse Sevran")
    ) as resp:
        data = json.loads(resp.read())
    assert data["type"] == "FeatureCollection"
    best = data["features"][0]["properties"]
    assert best["citycode"] == "93071" and best["score"] > 0.8 and best["housenumber"] == "4"
    body = "id,adresse\n1,4 allée de la Pérouse 93270 Sevran\n2,\n3,zzzz qqqq\n".encode()
    boundary = "replayboundary"
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="columns"\r\n\r\nadresse\r\n',
        f'--{boundary}\r\nContent-Disposition: form-data; name="data"; filename="a.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n",
    ]
    payload = "".join(parts).encode() + body + f"\r\n--{boundary}--\r\n".encode()
    req = urllib.request.Request(
        replay.url + "/data.geopf.fr/geocodage/search/csv",
        data=payload,
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    with urllib.request.urlopen(req) as resp:
        lines = resp.read().decode("utf-8").splitlines()
    assert lines[0].startswith("id,adresse,latitude,longitude,result_label")
    statuses = [line.rsplit(",", 1)[-1] for line in lines[1:]]
    assert statuses == ["ok", "skipped", "not-found"]


def test_unknown_paths_and_bad_wfs_filters_fail_like_the_services(replay):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(replay.url + "/www.data.gouv.fr/api/1/datasets/nope/")
    assert err.value.code == 404
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(
            replay.url + "/data.geopf.fr/wfs/ows?SERVICE=WFS&REQUEST=GetFeature"
            "&TYPENAMES=ADMINEXPRESS-COG.LATEST:commune&CQL_FILTER=insee_dep%3D%2793%27"
        )
    assert err.value.code == 400 and b"ExceptionReport" in err.value.read()
