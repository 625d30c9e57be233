"""Pure logic of the remote isochrone backends: input checks, GeoJSON repair, cache, batching
plan and provenance (no QGIS application, no network)."""

import json
import os

import pytest

from cget_plugin.core.errors import DataError, InputError
from cget_plugin.core.routing.backends import BACKENDS, get_backend
from cget_plugin.core.routing.backends.base import (
    ResponseCache,
    check_bands,
    check_origins,
    chunks,
    geojson_to_geometry,
)


def test_check_bands():
    assert check_bands([5, 10, 15]) == [5, 10, 15]
    assert check_bands(["5", 10.0]) == [5, 10]
    for bad, word in (
        ([], "No travel-time band"),
        ([10, 5], "increasing"),
        ([5, 5], "increasing"),
        ([0, 5], "positive"),
        ([-5], "positive"),
        ([7.5], "whole"),
        (["dix"], "not a number"),
        ([10, 400], "maximum"),
    ):
        with pytest.raises(InputError, match=word):
            check_bands(bad)


def test_check_origins_refuses_projected_coordinates():
    assert check_origins([("a", "3.5", 44.5)]) == [("a", 3.5, 44.5)]
    with pytest.raises(InputError, match="EPSG:4326"):
        check_origins([("a", 727000.0, 6380000.0)])
    with pytest.raises(InputError):
        check_origins([("a", 3.5)])


def test_chunks():
    assert chunks([1, 2, 3, 4, 5, 6, 7], 5) == [[1, 2, 3, 4, 5], [6, 7]]
    assert chunks([], 4) == []


def test_geojson_polygon_with_hole_and_multipolygon():
    outer = [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]]
    hole = [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]
    geom = geojson_to_geometry({"type": "Polygon", "coordinates": [outer, hole]})
    assert geom.isGeosValid() and geom.isMultipart()
    assert geom.area() == pytest.approx(15)
    multi = geojson_to_geometry(
        {"type": "MultiPolygon", "coordinates": [[outer, hole], [[[5, 0], [6, 0], [6, 1], [5, 0]]]]}
    )
    assert multi.area() == pytest.approx(15.5)
    assert len(list(multi.constParts())) == 2


def test_geojson_repairs_self_intersection_and_drops_degenerate_rings():
    bowtie = [[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]
    geom = geojson_to_geometry({"type": "Polygon", "coordinates": [bowtie]})
    assert geom.isGeosValid()
    assert geom.area() == pytest.approx(2)
    # unclosed ring is closed; a two-point ring is ignored -> empty
    assert geojson_to_geometry(
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1]]]}
    ).area() == pytest.approx(0.5)
    assert geojson_to_geometry({"type": "Polygon", "coordinates": [[[0, 0], [1, 1]]]}).isEmpty()


def test_geojson_rejects_non_polygons():
    with pytest.raises(DataError):
        geojson_to_geometry({"type": "LineString", "coordinates": [[0, 0], [1, 1]]})
    with pytest.raises(DataError):
        geojson_to_geometry({"type": "Polygon", "coordinates": "garbage"})
    with pytest.raises(DataError):
        geojson_to_geometry(None)


def test_cache_roundtrip_atomic_and_expiry(tmp_path):
    cache = ResponseCache("unit", max_age_s=3600)
    key = {"point": [3.5, 44.5], "minutes": 10}
    assert cache.get(key) is None
    cache.put(key, {"geometry": {"type": "Polygon"}, "version": "2025-09-25"})
    assert cache.get(key)["version"] == "2025-09-25"
    assert cache.get({"point": [3.5, 44.5], "minutes": 15}) is None
    files = os.listdir(cache.folder)
    assert len(files) == 1 and not files[0].startswith(".tmp"), "no temp file left behind"
    # a corrupt entry is a miss, never an exception
    (cache.folder / files[0]).write_text("{trunc")
    assert cache.get(key) is None
    # expired entries are misses
    cache.put(key, {"geometry": {}})
    old = cache.folder / files[0]
    os.utime(old, (1, 1))
    assert cache.get(key) is None
    assert json.loads(old.read_text())["key"] == key


def test_get_backend_and_profiles():
    assert set(BACKENDS) == {"ign", "ors", "valhalla"}
    with pytest.raises(InputError, match="ign, ors or valhalla"):
        get_backend("osrm")
    ign = get_backend("ign", {"url": "http://127.0.0.1:9/iso"})
    assert ign.url == "http://127.0.0.1:9/iso"
    assert ign.profile_for("car") == "car" and ign.profile_for("walk") == "pedestrian"
    with pytest.raises(InputError, match="bicycle"):
        ign.profile_for("bike")
    ors = get_backend("ors", {"url": "http://127.0.0.1:9"})
    assert [ors.profile_for(m) for m in ("car", "walk", "bike")] == [
        "driving-car",
        "foot-walking",
        "cycling-regular",
    ]
    assert ors.MAX_LOCATIONS == 5 and ors.MAX_RANGES == 10
    assert ors.throttle_interval() == 0  # self-hosted: no quota to respect
    val = get_backend("valhalla", {"url": "http://127.0.0.1:9"})
    assert [val.profile_for(m) for m in ("car", "walk", "bike")] == [
        "auto",
        "pedestrian",
        "bicycle",
    ]
    assert val.MAX_RANGES == 4


def test_ign_provenance_cites_graph_date():
    ign = get_backend("ign", {"url": "http://127.0.0.1:9/iso"})
    before = ign.provenance([10], "car", "arrival")
    assert "graphe du" not in before.credit_line()
    ign.versions.add("2025-09-25")
    prov = ign.provenance([10], "car", "arrival")
    assert prov.credit_line() == (
        "IGN Géoplateforme, calcul d'isochrone (BD TOPO®, moteur Valhalla, graphe du 2025-09-25)"
    )
    assert prov.source_date == "2025-09-25"
    assert prov.parameters["direction"] == "arrival"
    assert prov.parameters["bands_min"] == [10]
