"""Valhalla isochrone backend against a loopback replay of ``/isochrone`` and ``/status``."""

import pytest

from cget_plugin.core.errors import DataError, InputError, NetworkError
from cget_plugin.core.routing.backends import get_backend
from tests.replay.answers import server_error
from tests.replay.httpserver import serve
from tests.replay.isochrones import (
    ValhallaIsochrone,
    valhalla_bad_request,
    valhalla_collection,
    valhalla_status,
)

ISOCHRONE = "/valhalla/isochrone"
LYON = ("mairie-lyon", 4.8357, 45.7676)


@pytest.fixture
def valhalla(httpserver):
    serve(httpserver, "/valhalla/status", valhalla_status())

    def _make(**overrides):
        options = {"url": httpserver.url_for("/valhalla")}
        options.update(overrides)
        return get_backend("valhalla", options)

    return _make


def test_contours_batched_by_four_and_version_recorded(qgis_app, httpserver, valhalla):
    replay = serve(httpserver, ISOCHRONE, ValhallaIsochrone(), method="POST")
    bands = [5, 10, 15, 20, 25, 30]
    backend = valhalla()
    results = backend.isochrones([LYON], bands, "bike", "departure", None)

    assert len(replay.calls) == 2
    assert [len(c["contours"]) for c in replay.calls] == [4, 2]
    first = replay.calls[0]
    assert first["costing"] == "bicycle"
    assert first["polygons"] is True
    assert "reverse" not in first
    assert first["locations"] == [{"lat": 45.7676, "lon": 4.8357}]
    assert [r.minutes for r in results] == bands  # Valhalla answers largest first: reordered
    areas = [r.geometry.area() for r in results]
    assert areas == sorted(areas)
    assert all(r.geometry.isGeosValid() for r in results)

    prov = backend.provenance(bands, "bike", "departure")
    assert "3.5.1" in prov.engine
    assert "© les contributeurs d'OpenStreetMap" in prov.credits()


def test_arrival_is_reverse_and_one_request_per_origin(qgis_app, httpserver, valhalla):
    replay = serve(httpserver, ISOCHRONE, ValhallaIsochrone())
    other = ("mairie-villeurbanne", 4.8798, 45.7667)
    results = valhalla().isochrones([LYON, other], [10, 20], "car", "arrival", None)
    assert len(replay.calls) == 2  # Valhalla would merge several locations into one area
    assert "denoise" not in replay.calls[0]
    valhalla(denoise=0).isochrones([LYON], [30], "car", "arrival", None)
    assert replay.calls[-1]["denoise"] == 0.0
    assert all(c["reverse"] is True and c["costing"] == "auto" for c in replay.calls)
    assert [r.origin_id for r in results] == ["mairie-lyon"] * 2 + ["mairie-villeurbanne"] * 2


def test_multipolygon_with_holes_in_feature_collection(qgis_app, httpserver, valhalla):
    def handler(request):
        body = request.json()
        lon, lat = body["locations"][0]["lon"], body["locations"][0]["lat"]
        outer = [[lon - 0.02, lat - 0.02], [lon + 0.02, lat - 0.02], [lon + 0.02, lat + 0.02]]
        outer += [[lon - 0.02, lat + 0.02], [lon - 0.02, lat - 0.02]]
        hole = [[lon + 0.005, lat + 0.005], [lon + 0.01, lat + 0.005], [lon + 0.01, lat + 0.01]]
        hole += [[lon + 0.005, lat + 0.01], [lon + 0.005, lat + 0.005]]
        island = [[lon + 0.05, lat], [lon + 0.06, lat], [lon + 0.06, lat + 0.01], [lon + 0.05, lat]]
        geometry = {"type": "MultiPolygon", "coordinates": [[outer, hole], [island]]}
        feature = {
            "properties": {"contour": 15.0, "metric": "time", "color": "#bf4040"},
            "geometry": geometry,
            "type": "Feature",
        }
        return valhalla_collection([feature])

    serve(httpserver, ISOCHRONE, handler)
    (result,) = valhalla().isochrones([LYON], [15], "walk", "departure", None)
    parts = list(result.geometry.constParts())
    assert len(parts) == 2
    assert sum(p.numInteriorRings() for p in parts) == 1
    assert result.geometry.area() == pytest.approx(0.0016 - 0.000025 + 0.00005, rel=1e-6)
    # a point in the hole is not reachable
    from qgis.core import QgsGeometry, QgsPointXY

    in_hole = QgsGeometry.fromPointXY(QgsPointXY(LYON[1] + 0.0075, LYON[2] + 0.0075))
    assert not result.geometry.contains(in_hole)


def test_error_body_is_shown(qgis_app, httpserver, valhalla):
    serve(httpserver, ISOCHRONE, valhalla_bad_request())
    with pytest.raises(NetworkError) as err:
        valhalla().isochrones([LYON], [10], "car", "departure", None)
    assert "No suitable edges near location" in str(err.value)
    assert "mairie-lyon" in str(err.value)


def test_server_error_500(qgis_app, httpserver, valhalla):
    serve(httpserver, ISOCHRONE, server_error("oops"))
    with pytest.raises(NetworkError) as err:
        valhalla(retries=0).isochrones([LYON], [10], "car", "departure", None)
    assert err.value.status == 500


def test_missing_contour_is_not_silently_dropped(qgis_app, httpserver, valhalla):
    serve(httpserver, ISOCHRONE, valhalla_collection([]))
    with pytest.raises(DataError) as err:
        valhalla().isochrones([LYON], [10], "car", "departure", None)
    assert "mairie-lyon" in str(err.value) and "10 min" in str(err.value)


def test_bad_inputs(qgis_app, valhalla):
    backend = valhalla()
    with pytest.raises(InputError, match="increasing"):
        backend.isochrones([LYON], [20, 10], "car", "departure", None)
    with pytest.raises(InputError, match="EPSG:4326"):
        backend.isochrones([("x", 652000, 6862000)], [10], "car", "departure", None)
    with pytest.raises(InputError, match="mode"):
        backend.isochrones([LYON], [10], "plane", "departure", None)
