"""openrouteservice isochrone backend against a loopback replay of the v2 API."""

import json
import math
import time

import pytest
from qgis.core import QgsApplication

from cget_plugin.core.errors import InputError, NetworkError, QuotaError
from cget_plugin.core.routing.backends import get_backend
from cget_plugin.core.routing.backends.ors import read_api_key, store_api_key
from tests.replay.answers import maintenance_page, text_answer
from tests.replay.httpserver import serve
from tests.replay.isochrones import (
    ORS_ENGINE,
    OrsIsochrones,
    ors_key_refused,
    ors_quota_exceeded,
    ors_too_many_requests,
    ors_unreachable_point,
)

KEY = "5b3ce3597851110001cf6248-test-key-not-real"
CAR = "/ors/v2/isochrones/driving-car"
ORIGINS = [(f"fs{i}", 2.30 + 0.05 * i, 43.60 + 0.01 * i) for i in range(7)]


@pytest.fixture(scope="module")
def authcfg(qgis_app):
    """The key stored encrypted in the (temporary) QGIS authentication database."""
    manager = QgsApplication.authManager()
    if not manager.masterPasswordIsSet():
        assert manager.setMasterPassword("cget-test-master", True)
    return store_api_key(KEY, "openrouteservice (tests)")


@pytest.fixture
def ors(httpserver, authcfg):
    def _make(**overrides):
        options = {"url": httpserver.url_for("/ors"), "authcfg": authcfg, "min_interval_s": 0}
        options.update(overrides)
        return get_backend("ors", options)

    return _make


def test_key_comes_from_the_auth_database(authcfg):
    assert read_api_key(authcfg) == KEY
    with pytest.raises(InputError, match="authentication configuration"):
        read_api_key("nope123")


def test_batches_of_5_locations_and_10_ranges(qgis_app, httpserver, ors):
    replay = serve(httpserver, CAR, OrsIsochrones(), method="POST")
    bands = list(range(5, 65, 5))  # 12 bands
    backend = ors()
    results = backend.isochrones(ORIGINS, bands, "car", "departure", None)

    assert len(replay.calls) == math.ceil(7 / 5) * math.ceil(12 / 10)
    for call in replay.calls:
        body = call["body"]
        assert len(body["locations"]) <= 5
        assert len(body["range"]) <= 10
        assert body["range_type"] == "time"
        assert body["location_type"] == "start"
        assert all(r % 60 == 0 for r in body["range"])  # seconds
        assert call["auth"] == KEY
    assert len(results) == 7 * 12
    assert [(r.origin_id, r.minutes) for r in results[:3]] == [
        ("fs0", 5),
        ("fs0", 10),
        ("fs0", 15),
    ]
    # each origin gets its own polygons (group_index mapped back to the right origin)
    for result in results:
        origin = next(o for o in ORIGINS if o[0] == result.origin_id)
        centroid = result.geometry.centroid().asPoint()
        assert centroid.x() == pytest.approx(origin[1], abs=1e-6)
        assert centroid.y() == pytest.approx(origin[2], abs=1e-6)
        half_side = 0.001 * result.minutes
        assert result.geometry.area() == pytest.approx((2 * half_side) ** 2, rel=1e-3)

    prov = backend.provenance(bands, "car", "departure")
    assert ORS_ENGINE["version"] in prov.engine
    assert "© openrouteservice.org by HeiGIT" in prov.credits()
    assert "© les contributeurs d'OpenStreetMap" in prov.credits()
    assert prov.licence == "ODbL-1.0"
    assert KEY not in prov.to_json()


def test_arrival_and_profiles(qgis_app, httpserver, ors):
    walk = serve(httpserver, "/ors/v2/isochrones/foot-walking", OrsIsochrones())
    bike = serve(httpserver, "/ors/v2/isochrones/cycling-regular", OrsIsochrones())
    ors().isochrones(ORIGINS[:1], [10], "walk", "arrival", None)
    ors().isochrones(ORIGINS[:1], [10], "bike", "departure", None)
    assert walk.calls[0]["body"]["location_type"] == "destination"
    assert bike.calls[0]["body"]["location_type"] == "start"


def test_daily_quota_403_is_a_clear_quota_error(qgis_app, httpserver, ors):
    serve(httpserver, CAR, ors_quota_exceeded())
    with pytest.raises(QuotaError) as err:
        ors().isochrones(ORIGINS[:2], [10], "car", "departure", None)
    message = str(err.value)
    assert "daily quota" in message and "IGN" in message
    assert err.value.status == 403
    assert len(httpserver.log) == 1, "a daily quota is not retried"


def test_refused_key_is_not_called_a_quota(qgis_app, httpserver, ors):
    serve(httpserver, CAR, ors_key_refused())
    with pytest.raises(NetworkError) as err:
        ors().isochrones(ORIGINS[:2], [10], "car", "departure", None)
    assert not isinstance(err.value, QuotaError)
    assert "key" in str(err.value)


def test_per_minute_429_waits_retry_after_then_succeeds(qgis_app, httpserver, ors):
    serve(httpserver, CAR, ors_too_many_requests("1"), oneshot=True)
    replay = serve(httpserver, CAR, OrsIsochrones())
    start = time.monotonic()
    results = ors().isochrones(ORIGINS[:2], [10], "car", "departure", None)
    assert time.monotonic() - start >= 0.95
    assert len(results) == 2 and len(replay.calls) == 1


def test_persistent_429_says_what_to_do(qgis_app, httpserver, ors):
    serve(httpserver, CAR, ors_too_many_requests("0"))
    with pytest.raises(QuotaError) as err:
        ors(retries=2).isochrones(ORIGINS[:1], [10], "car", "departure", None)
    assert "per-minute" in str(err.value) and "Wait" in str(err.value)
    assert len(httpserver.log) == 3


def test_ors_error_body(qgis_app, httpserver, ors):
    serve(httpserver, CAR, ors_unreachable_point())
    with pytest.raises(NetworkError, match="Unable to build an isochrone map"):
        ors().isochrones(ORIGINS[:1], [10], "car", "departure", None)


def test_html_page_and_truncated_body(qgis_app, httpserver, ors):
    serve(httpserver, CAR, maintenance_page(), oneshot=True)
    with pytest.raises(NetworkError, match="HTML page"):
        ors(cache=False).isochrones(ORIGINS[:1], [10], "car", "departure", None)
    full = json.dumps({"type": "FeatureCollection", "features": [{"type": "Feature"}]})
    serve(httpserver, CAR, text_answer(full, content_type="application/json").truncated(30))
    with pytest.raises(NetworkError, match="incomplete"):
        ors(cache=False).isochrones(ORIGINS[:1], [10], "car", "departure", None)


def test_public_api_needs_a_key_and_limits_ranges(qgis_app, httpserver):
    backend = get_backend("ors", {"url": "https://api.openrouteservice.org", "authcfg": ""})
    with pytest.raises(InputError, match="API key"):
        backend.isochrones(ORIGINS[:1], [10], "car", "departure", None)
    with pytest.raises(InputError, match="60 min"):
        backend.isochrones(ORIGINS[:1], [30, 90], "car", "departure", None)
    assert backend.throttle_interval() >= 3.0  # free plan: about 20 requests per minute


def test_cache_serves_repeated_origins(qgis_app, httpserver, ors):
    replay = serve(httpserver, CAR, OrsIsochrones())
    ors().isochrones(ORIGINS[:3], [10, 20], "car", "departure", None)
    assert len(replay.calls) == 1
    again = ors()
    again.isochrones(ORIGINS[:5], [10, 20], "car", "departure", None)
    # only the two new origins are requested
    assert len(replay.calls) == 2
    assert len(replay.calls[1]["body"]["locations"]) == 2
    assert again.cache_hits == 6
