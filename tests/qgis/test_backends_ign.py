"""IGN Géoplateforme isochrone backend against a loopback replay of the real service."""

import time
from dataclasses import replace

import pytest
from qgis.core import QgsFeedback, QgsSettings, QgsWkbTypes

from cget_plugin.core.errors import CancelledError, InputError, NetworkError
from cget_plugin.core.routing.backends import RemoteIsochrone, get_backend
from tests.replay.answers import maintenance_page, recorded, server_error
from tests.replay.httpserver import serve
from tests.replay.isochrones import (
    IGN_RESOURCE_VERSION,
    IgnIsochrone,
    ign_outside_resource,
    ign_too_many_requests,
)

HOLES = recorded("ign_isochrone_multipolygon_holes.json")

PATH = "/navigation/isochrone"
MENDE = ("mende", 3.4997, 44.5181)
FLORAC = ("florac", 3.5936, 44.3242)


@pytest.fixture
def ign(httpserver):
    def _make(**overrides):
        options = {"url": httpserver.url_for(PATH), "min_interval_s": 0}
        options.update(overrides)
        return get_backend("ign", options)

    return _make


def test_requests_and_results(qgis_app, httpserver, ign):
    replay = serve(httpserver, PATH, IgnIsochrone(), method="GET")
    backend = ign()
    results = backend.isochrones([MENDE, FLORAC], [10, 20], "car", "departure", None)

    assert [(r.origin_id, r.minutes) for r in results] == [
        ("mende", 10),
        ("mende", 20),
        ("florac", 10),
        ("florac", 20),
    ]
    assert all(isinstance(r, RemoteIsochrone) for r in results)
    # one request per origin and band, with the documented parameters
    assert len(replay.calls) == 4
    first = replay.calls[0]
    assert first["point"] == "3.499700,44.518100"
    assert first["resource"] == "bdtopo-valhalla"
    assert first["profile"] == "car"
    assert first["direction"] == "departure"
    assert first["costType"] == "time"
    assert first["timeUnit"] == "minute"
    assert first["costValue"] == "10"
    assert first["geometryFormat"] == "geojson"
    assert first["crs"] == "EPSG:4326"
    for r in results:
        assert r.geometry.isGeosValid()
        assert QgsWkbTypes.geometryType(r.geometry.wkbType()) == QgsWkbTypes.PolygonGeometry
    # cumulative: the 20 min area contains the 10 min one and is larger
    assert results[0].geometry.within(results[1].geometry)
    assert results[1].geometry.area() > results[0].geometry.area() * 3
    assert results[0].geometry.contains(results[0].geometry.centroid())

    prov = backend.provenance([10, 20], "car", "departure")
    assert prov.producer == "IGN"
    assert prov.licence == "etalab-2.0"
    assert IGN_RESOURCE_VERSION in prov.engine
    assert IGN_RESOURCE_VERSION in prov.credit_line()
    assert "bdtopo-valhalla" in prov.engine
    assert prov.parameters["direction"] == "departure"
    assert prov.url == httpserver.url_for(PATH)


def test_walk_arrival_uses_pedestrian_profile(qgis_app, httpserver, ign):
    replay = serve(httpserver, PATH, IgnIsochrone())
    ign().isochrones([MENDE], [15], "walk", "arrival", None)
    assert replay.calls[0]["profile"] == "pedestrian"
    assert replay.calls[0]["direction"] == "arrival"


def test_bike_is_refused_with_a_way_out(qgis_app, httpserver, ign):
    with pytest.raises(InputError) as err:
        ign().isochrones([MENDE], [10], "bike", "departure", None)
    message = str(err.value)
    assert "bicycle" in message and "openrouteservice" in message and "local" in message
    assert len(httpserver.log) == 0


def test_multipolygon_with_holes_is_kept(qgis_app, httpserver, ign):
    serve(httpserver, PATH, HOLES)
    (result,) = ign().isochrones([MENDE], [10], "car", "departure", None)
    geom = result.geometry
    assert geom.isGeosValid() and geom.isMultipart()
    parts = list(geom.constParts())
    assert len(parts) == 2
    assert sum(p.numInteriorRings() for p in parts) == 1
    # outer 0.06 x 0.04 minus hole 0.01 x 0.01, plus the island 0.02 x 0.01
    assert geom.area() == pytest.approx(0.0024 - 0.0001 + 0.0002, rel=1e-6)


def test_self_intersecting_polygon_is_repaired(qgis_app, httpserver, ign):
    def bowtie(lon, lat, minutes, metres):
        d = 0.01
        ring = [[lon - d, lat - d], [lon + d, lat + d], [lon + d, lat - d], [lon - d, lat + d]]
        return {"type": "Polygon", "coordinates": [ring + [ring[0]]]}

    serve(httpserver, PATH, IgnIsochrone(bowtie))
    (result,) = ign().isochrones([MENDE], [5], "car", "departure", None)
    assert result.geometry.isGeosValid()
    assert result.geometry.area() == pytest.approx(0.0002, rel=1e-6)


def test_429_with_retry_after_then_success(qgis_app, httpserver, ign):
    serve(httpserver, PATH, ign_too_many_requests("1"), oneshot=True)
    replay = serve(httpserver, PATH, IgnIsochrone())
    feedback = QgsFeedback()
    start = time.monotonic()
    (result,) = ign().isochrones([MENDE], [10], "car", "departure", feedback)
    elapsed = time.monotonic() - start
    assert elapsed >= 0.95, "Retry-After must be honoured"
    assert elapsed < 5
    assert len(httpserver.log) == 2 and len(replay.calls) == 1
    assert result.geometry.isGeosValid()


def test_server_error_500_is_reported(qgis_app, httpserver, ign):
    serve(httpserver, PATH, server_error())
    with pytest.raises(NetworkError) as err:
        ign(retries=1).isochrones([MENDE], [10], "car", "departure", None)
    assert err.value.status == 500
    assert "500" in str(err.value) and "mende" in str(err.value)
    assert len(httpserver.log) == 2  # first try + one retry


def test_ign_error_body_message_is_shown(qgis_app, httpserver, ign):
    serve(httpserver, PATH, ign_outside_resource())
    with pytest.raises(NetworkError) as err:
        ign().isochrones([MENDE], [10], "car", "departure", None)
    message = str(err.value)
    assert "outside the bbox of the resource" in message
    assert "mende" in message and "IGN" in message
    assert len(httpserver.log) == 1  # a 400 is not retried


def test_error_body_with_status_200(qgis_app, httpserver, ign):
    serve(httpserver, PATH, replace(ign_outside_resource(), status=200))
    with pytest.raises(NetworkError, match="outside the bbox"):
        ign().isochrones([MENDE], [10], "car", "departure", None)


def test_html_page_instead_of_json(qgis_app, httpserver, ign):
    serve(httpserver, PATH, maintenance_page())
    with pytest.raises(NetworkError, match="HTML page"):
        ign().isochrones([MENDE], [10], "car", "departure", None)


def test_truncated_json(qgis_app, httpserver, ign):
    serve(httpserver, PATH, HOLES.truncated())
    with pytest.raises(NetworkError, match="incomplete"):
        ign().isochrones([MENDE], [10], "car", "departure", None)


def test_throttled_to_four_requests_per_second(qgis_app, httpserver, ign):
    replay = serve(httpserver, PATH, IgnIsochrone())
    backend = ign(min_interval_s=None, cache=False)  # None: the built-in 0.25 s applies
    bands = [5, 10, 15, 20, 25, 30]
    start = time.monotonic()
    backend.isochrones([MENDE], bands, "car", "departure", None)
    elapsed = time.monotonic() - start
    n = len(replay.calls)
    assert n == len(bands)
    assert elapsed >= (n - 1) / 4.0 - 0.02


def test_cache_hit_avoids_a_second_request(qgis_app, httpserver, ign):
    replay = serve(httpserver, PATH, IgnIsochrone())
    first = ign().isochrones([MENDE], [10, 20], "car", "departure", None)
    assert len(replay.calls) == 2
    again = ign()
    second = again.isochrones([MENDE], [10, 20], "car", "departure", None)
    assert len(replay.calls) == 2, "served from the disk cache"
    assert again.cache_hits == 2
    assert [g.geometry.asWkt(6) for g in second] == [g.geometry.asWkt(6) for g in first]
    # the graph date survives in the cache
    assert IGN_RESOURCE_VERSION in again.provenance([10, 20], "car", "departure").engine
    # another direction or profile is another key
    ign().isochrones([MENDE], [10], "car", "arrival", None)
    assert len(replay.calls) == 3


def test_cancel_stops_before_the_next_request(qgis_app, httpserver, ign):
    replay = serve(httpserver, PATH, IgnIsochrone())

    class Cancelling(QgsFeedback):
        # The user presses Cancel while the first answer is being read.
        def setProgress(self, value):  # QGIS API
            self.cancel()

    with pytest.raises(CancelledError):
        ign().isochrones([MENDE, FLORAC], [10], "car", "departure", Cancelling())
    assert len(replay.calls) == 1


def test_url_from_qgis_settings(qgis_app, httpserver):
    replay = serve(httpserver, "/mirror/isochrone", IgnIsochrone())
    settings = QgsSettings()
    settings.setValue("cget/routing/ign/url", httpserver.url_for("/mirror/isochrone"))
    try:
        backend = get_backend("ign", {"min_interval_s": 0})
        assert backend.url.endswith("/mirror/isochrone")
        backend.isochrones([MENDE], [10], "car", "departure", None)
    finally:
        settings.remove("cget/routing/ign/url")
    assert len(replay.calls) == 1
    assert get_backend("ign").url == "https://data.geopf.fr/navigation/isochrone"


def test_feedback_names_the_endpoint(qgis_app, httpserver, ign):
    serve(httpserver, PATH, IgnIsochrone())
    messages = []

    class Recorder(QgsFeedback):
        def pushInfo(self, info):  # QGIS API
            messages.append(info)

    ign().isochrones([MENDE], [10], "car", "departure", Recorder())
    assert any(httpserver.url_for(PATH) in m for m in messages)
