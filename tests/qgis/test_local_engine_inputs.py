"""Issue 11: the local engine's inputs in one click, against the loopback replay server.

``troncon_de_route`` (BD TOPO v3 road sections around the territory, paged WFS) and
``carreaux_1km`` / ``carreaux_200m`` (INSEE Filosofi national file), through
``cget:loadgeography``; every fault of the issue (failed page, resume, fewer features than
announced, territory too large, corrupt or truncated ZIP, interrupted download, disk full, no
populated cell, overseas without grid, offline) has its test here. Expected figures come from
the replay's own data (the lattice of sections in the asked box, the cells of the national
file), computed independently of the plugin.
"""

import errno
import json
import math
import os
import re
import zipfile
from pathlib import Path

import pytest
from qgis.core import QgsProcessingException, QgsProcessingFeedback

from cget_plugin.core import download as download_mod
from cget_plugin.core.cache import Cache
from cget_plugin.core.provenance import read_from_layer
from tests.helpers.real_data import real_path, real_root

TERRITORY = "48"


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    real_path("communes/communes_48.gpkg")  # the committed extract the replay serves
    from tests.replay.server import start_server

    folder = tmp_path_factory.mktemp("replay")
    server = start_server(catalog_out=folder / "catalog.json")
    server.services.local_engine.ready()
    yield server
    server.stop()


@pytest.fixture
def engine(replay, monkeypatch):
    """The replay's local-engine services, faults reset; the plugin pointed at the replay."""
    monkeypatch.setenv("CGET_CATALOG", str(replay.catalog_path))
    monkeypatch.setattr(Cache, "__init__", _fast_cache_init(Cache.__init__))
    services = replay.services.local_engine
    services.roads.fail_pages.clear()
    services.roads.short_by = 0
    services.roads.calls.clear()
    for grid in services.grids.values():
        grid.damage, grid.fail_after_bytes, grid.fail_count = "", -1, 0
        grid.calls.clear()
    return services


def _fast_cache_init(original):
    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.backoff_s = 0.01  # retries without waiting

    return init


class Messages(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.lines = []

    def pushInfo(self, text):
        self.lines.append(text)

    def pushWarning(self, text):
        self.lines.append(text)

    def reportError(self, text, fatal=False):
        self.lines.append(text)


def _load(run_alg, geography, territory=TERRITORY, feedback=None, **params):
    result = run_alg(
        "cget:loadgeography",
        {"GEOGRAPHY": geography, "TERRITORY": territory, "OUTPUT": "memory:", **params},
        feedback=feedback,
    )
    return result["OUTPUT"]


def _cache_root() -> Path:
    return Path(os.environ["CGET_CACHE_DIR"])


# -- road network -------------------------------------------------------------------------------


def test_road_network_of_a_departement_page_by_page(run_alg, engine):
    feedback = Messages()
    layer = _load(run_alg, "troncon_de_route", feedback=feedback)
    calls = list(engine.roads.calls)
    # The server caps pages at 4,000 (the plugin asks 5,000): paging followed numberMatched.
    assert calls == list(range(0, 4000 * len(calls), 4000))
    assert layer.crs().authid() == "EPSG:2154"
    # Exactly the sections of the replay's lattice in the box asked (computed by the replay).
    box = engine.roads.boxes[-1]
    assert layer.featureCount() == len(engine.roads.network.sections(box)) > 10000
    assert math.ceil(layer.featureCount() / 4000) == len(calls)
    # The box is the département's extent plus 20 km on every side.
    extent = layer.extent()
    assert extent.xMinimum() >= box[0] - 1500 and extent.xMaximum() <= box[2] + 1500  # a section
    names = layer.fields().names()
    for field in (
        "code",
        "nom",
        "insee_dep",
        "millesime",
        "cleabs",
        "nature",
        "importance",
        "vitesse_moyenne_vl",
        "sens_de_circulation",
        "acces_vehicule_leger",
        "etat_de_l_objet",
    ):
        assert field in names, field
    feat = next(layer.getFeatures())
    assert feat["code"] == feat["cleabs"] and feat["millesime"] == "2026-03-15"
    assert not feat.geometry().constGet().is3D()
    prov = read_from_layer(layer)
    assert re.fullmatch(r"IGN – BD TOPO® \((données du|data of) 15/03/2026\)", prov.credit_line())
    assert prov.retrieved and prov.licence == "etalab-2.0"
    assert any("page 2/" in line for line in feedback.lines)


def test_margin_widens_the_box_and_the_cache_is_reused(run_alg, engine):
    narrow = _load(run_alg, "troncon_de_route", MARGIN_M=0)
    wide = _load(run_alg, "troncon_de_route", MARGIN_M=20000)
    w, n = wide.extent(), narrow.extent()
    assert w.width() - n.width() == pytest.approx(40000, abs=3000)
    assert wide.featureCount() > narrow.featureCount()
    engine.roads.calls.clear()
    again = _load(run_alg, "troncon_de_route", MARGIN_M=20000)
    assert engine.roads.calls == [] and again.featureCount() == wide.featureCount()


def test_a_failing_page_is_retried(run_alg, engine):
    engine.roads.fail_pages[8000] = 1
    layer = _load(run_alg, "troncon_de_route")
    assert engine.roads.calls.count(8000) == 2 and layer.featureCount() > 8000


def test_a_page_failing_for_good_stops_then_the_next_try_resumes_there(run_alg, engine):
    engine.roads.fail_pages[8000] = 10  # more than the retries
    with pytest.raises(QgsProcessingException, match="503|failed|échoué"):
        _load(run_alg, "troncon_de_route")
    assert engine.roads.calls[:2] == [0, 4000] and set(engine.roads.calls[2:]) == {8000}
    assert not list((_cache_root() / "sources" / "networks").glob("*.gpkg"))
    engine.roads.fail_pages.clear()
    engine.roads.calls.clear()
    layer = _load(run_alg, "troncon_de_route")
    assert engine.roads.calls[0] == 8000  # pages 0 and 4000 came from the cache
    assert layer.featureCount() > 8000


def test_fewer_sections_than_announced_is_refused_not_truncated(run_alg, engine):
    engine.roads.short_by = 7
    with pytest.raises(QgsProcessingException, match="incomplete|incomplet"):
        _load(run_alg, "troncon_de_route")
    assert not list((_cache_root() / "sources" / "networks").glob("*.gpkg"))


def test_a_territory_too_large_is_refused_with_its_size(run_alg, engine, tmp_path, monkeypatch):
    catalog = json.loads(Path(os.environ["CGET_CATALOG"]).read_text(encoding="utf-8"))
    entry = next(e for e in catalog["entries"] if e["id"] == "troncon_de_route")
    entry["source"]["road_wfs"]["max_features"] = 5000
    small = tmp_path / "catalog.json"
    small.write_text(json.dumps(catalog), encoding="utf-8")
    monkeypatch.setenv("CGET_CATALOG", str(small))
    with pytest.raises(QgsProcessingException, match=r"MB") as info:
        _load(run_alg, "troncon_de_route")
    assert "5000" in str(info.value)
    assert engine.roads.calls == [0]  # refused after the first page, nothing more asked
    with pytest.raises(QgsProcessingException, match="20"):
        _load(run_alg, "troncon_de_route", territory="")  # all of France


def test_disk_full_while_writing_the_network_leaves_nothing(run_alg, engine, monkeypatch):
    from cget_plugin.core.geographies import roads

    def full(state, paged, conf, path):
        path.write_bytes(b"SQLite format 3\x00 half written")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(roads, "_write_sections", full)
    with pytest.raises(QgsProcessingException, match="disk space|espace disque"):
        _load(run_alg, "troncon_de_route")
    assert not [p.name for p in (_cache_root() / "sources" / "networks").iterdir()]


def test_offline_with_a_cache_works_without_says_so(run_alg, engine, replay, monkeypatch):
    layer = _load(run_alg, "troncon_de_route")
    catalog = json.loads(Path(os.environ["CGET_CATALOG"]).read_text(encoding="utf-8"))
    catalog["wfs"]["url"] = "http://127.0.0.1:9/data.geopf.fr/wfs/ows"  # nothing listens
    offline = Path(os.environ["CGET_CACHE_DIR"]).parent / "offline.json"
    offline.write_text(json.dumps(catalog), encoding="utf-8")
    monkeypatch.setenv("CGET_CATALOG", str(offline))
    cached = _load(run_alg, "troncon_de_route", MARGIN_M=20000)
    assert cached.featureCount() == layer.featureCount()
    with pytest.raises(QgsProcessingException, match="127.0.0.1:9"):
        _load(run_alg, "troncon_de_route", MARGIN_M=5000)  # another box: never downloaded


# -- population grid ----------------------------------------------------------------------------


def _national_cells(engine, resolution, code_prefix):
    """(cells, population) of the replay's national file whose commune is in the territory,
    read straight from the ZIP with OGR."""
    from osgeo import ogr

    body = engine.grids[resolution].body
    path = Path(os.environ["CGET_CACHE_DIR"]).parent / f"national_{resolution}.zip"
    path.write_bytes(body)
    with zipfile.ZipFile(path) as archive:
        member = next(n for n in archive.namelist() if n.endswith(".gpkg"))
    ds = ogr.Open(f"/vsizip/{path}/{member}")
    layer = ds.GetLayer(0)
    layer.SetAttributeFilter(f"lcog_geo LIKE '{code_prefix}%'")
    cells = [f.GetField("ind") for f in layer]
    return len(cells), sum(cells)


def test_population_grid_for_a_departement(run_alg, engine):
    feedback = Messages()
    layer = _load(run_alg, "carreaux_1km", feedback=feedback)
    cells, population = _national_cells(engine, "1km", "48")
    assert layer.featureCount() == cells > 100
    assert sum(f["ind"] for f in layer.getFeatures()) == pytest.approx(population)
    assert layer.crs().authid() == "EPSG:2154"
    feat = next(layer.getFeatures())
    assert feat["code"].startswith("CRS3035RES1000mN") and feat["insee_dep"] == "48"
    assert feat["millesime"] == "2021"
    prov = read_from_layer(layer)
    assert re.fullmatch(
        r"Insee – Filosofi 2021, données carroyées 1 km \((données du|data of) 18/02/2026\)",
        prov.credit_line(),
    )
    # Downloaded in Range chunks once, unpacked once: a second territory asks nothing.
    ranges = [c for c in engine.grids["1km"].calls if c[0] == "GET"]
    assert ranges and all(r.startswith("bytes=") for _, r in ranges)
    engine.grids["1km"].calls.clear()
    _load(run_alg, "carreaux_1km", territory="93")
    assert engine.grids["1km"].calls == []


def test_a_nested_7z_is_unpacked_on_every_qgis(run_alg, engine, monkeypatch):
    from tests.replay.filosofi import national_zip

    plain = _load(run_alg, "carreaux_1km")
    grid = engine.grids["1km"]
    shared = real_root()  # what the replay server builds its grids from
    monkeypatch.setattr(grid, "_good", national_zip(shared, "1km", nested_7z=True))
    monkeypatch.setenv("CGET_CACHE_DIR", str(_cache_root().parent / "cache7z"))
    with zipfile.ZipFile(__import__("io").BytesIO(grid.body)) as archive:
        assert any(n.endswith(".7z") for n in archive.namelist())
    nested = _load(run_alg, "carreaux_1km")
    assert nested.featureCount() == plain.featureCount()
    assert sum(f["ind"] for f in nested.getFeatures()) == pytest.approx(
        sum(f["ind"] for f in plain.getFeatures())
    )


@pytest.mark.parametrize("damage", ["truncated", "corrupt"])
def test_a_bad_new_zip_never_replaces_the_good_copy(run_alg, engine, damage):
    good = _load(run_alg, "carreaux_1km")
    kept = next((_cache_root() / "sources" / "national").glob("*.zip"))
    before = kept.read_bytes()
    meta = kept.with_name(kept.name + ".json")
    record = json.loads(meta.read_text(encoding="utf-8"))
    record["retrieved_ts"] = 0  # old enough to be checked again
    meta.write_text(json.dumps(record), encoding="utf-8")
    engine.grids["1km"].damage = damage
    feedback = Messages()
    again = _load(run_alg, "carreaux_1km", feedback=feedback)
    assert again.featureCount() == good.featureCount()
    assert kept.read_bytes() == before
    assert any("truncated" in m or "corrupt" in m or "tronqu" in m for m in feedback.lines)
    assert not list(kept.parent.glob("*.part"))
    # Without a good copy, the bad file is refused.
    os.environ["CGET_CACHE_DIR"] = str(_cache_root().parent / f"fresh-{damage}")
    with pytest.raises(QgsProcessingException, match="truncated|corrupt|tronqu"):
        _load(run_alg, "carreaux_1km")


def test_an_interrupted_download_resumes_where_it_stopped(run_alg, engine, monkeypatch):
    monkeypatch.setattr(download_mod, "CHUNK_BYTES", 256 * 1024)
    grid = engine.grids["1km"]
    grid.fail_after_bytes, grid.fail_count = 1024 * 1024, 50
    with pytest.raises(QgsProcessingException, match="503|failed|échoué"):
        _load(run_alg, "carreaux_1km")
    part = next((_cache_root() / "sources" / "national").glob("*.part"))
    have = part.stat().st_size
    assert have >= 1024 * 1024
    grid.fail_count = 0
    grid.calls.clear()
    layer = _load(run_alg, "carreaux_1km")
    first_range = next(r for m, r in grid.calls if m == "GET")
    assert first_range.startswith(f"bytes={have}-")
    assert layer.featureCount() > 100


def test_disk_full_while_downloading_leaves_nothing(run_alg, engine, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(download_mod.os, "fsync", full)
    with pytest.raises(QgsProcessingException, match="disk space|espace disque"):
        _load(run_alg, "carreaux_1km")
    folder = _cache_root() / "sources" / "national"
    assert not [p for p in folder.iterdir() if p.suffix in (".part", ".zip")]


def test_no_grid_overseas_and_no_populated_cell_are_said(run_alg, engine):
    with pytest.raises(QgsProcessingException, match="Guadeloupe") as info:
        _load(run_alg, "carreaux_200m", territory="971")
    assert "communes" in str(info.value)
    # Aveyron is not in the replay's data: the national file has no cell there.
    with pytest.raises(QgsProcessingException, match="populated|peupl"):
        _load(run_alg, "carreaux_1km", territory="12")
    with pytest.raises(QgsProcessingException, match="France"):
        _load(run_alg, "carreaux_1km", territory="")
