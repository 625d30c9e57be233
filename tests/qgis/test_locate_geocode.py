"""Géoplateforme geocoder client against a loopback replay (GeoCodeJSON, batch CSV, errors)."""

import pytest
from qgis.core import QgsSettings

from cget_plugin.core import geocode as geo
from cget_plugin.core.errors import InputError, NetworkError, QuotaError
from tests.helpers.locate_fixtures import (  # noqa: F401 - the geocoder fixture
    geocoder_fixture,
    serve_batch_geocoder,
)
from tests.replay.answers import maintenance_page, server_error
from tests.replay.geocoder import (
    geocoder_server_error,
    geocoder_too_many_requests,
    search_recorded,
)
from tests.replay.httpserver import serve

SEGUR = search_recorded("search_segur.json")


@pytest.fixture
def base(httpserver):
    return httpserver.url_for("/geocodage")


def test_search_parses_geocodejson_and_maps_arrondissement(httpserver, base):
    query = {"q": "20 avenue de segur paris", "limit": "5"}
    serve(httpserver, "/geocodage/search", SEGUR, query_string=query)
    results = geo.search("20 avenue de segur paris", url=base, min_score=0.5)
    assert [r.type for r in results] == ["housenumber", "street"]
    best = results[0]
    assert best.label == "20 Avenue de Ségur 75007 Paris"
    assert best.citycode == "75107" and best.commune == "75056"
    assert best.lon == pytest.approx(2.309563) and best.lat == pytest.approx(48.850374)
    assert best.status == geo.STATUS_OK and best.usable
    assert results[1].status == geo.STATUS_OK  # 0.64 >= 0.5
    assert geo.search("20 avenue de segur paris", url=base, min_score=0.7)[1].status == (
        geo.STATUS_LOW_SCORE
    )


def test_search_sends_citycode_and_reads_setting(httpserver):
    query = {"q": "avenue de segur", "limit": "1", "citycode": "75056"}
    serve(httpserver, "/mirror/search", SEGUR, query_string=query)
    settings = QgsSettings()
    settings.setValue(geo.SETTINGS_URL_KEY, httpserver.url_for("/mirror/"))
    try:
        assert geo.base_url() == httpserver.url_for("/mirror")
        found = geo.geocode_one("avenue de segur", citycode="75056")
    finally:
        settings.remove(geo.SETTINGS_URL_KEY)
    assert found.label.startswith("20 Avenue de Ségur")
    assert geo.base_url() == geo.DEFAULT_URL


def test_search_not_found_and_short_query(httpserver, base):
    serve(httpserver, "/geocodage/search", search_recorded("search_empty.json"))
    assert geo.geocode_one("xqzwv plop", url=base).status == geo.STATUS_NOT_FOUND
    assert geo.geocode_one("   ", url=base).status == geo.STATUS_EMPTY
    with pytest.raises(InputError, match="too short"):
        geo.search("ab", url=base)


def test_search_html_page_is_a_clear_error(httpserver, base):
    serve(httpserver, "/geocodage/search", maintenance_page())
    with pytest.raises(NetworkError, match="HTML"):
        geo.search("20 avenue de segur", url=base)


def test_search_429_then_ok(httpserver, base):
    serve(httpserver, "/geocodage/search", geocoder_too_many_requests("0"), ordered=True)
    serve(httpserver, "/geocodage/search", SEGUR, ordered=True)
    assert geo.search("20 avenue de segur", url=base)[0].commune == "75056"


def test_search_429_persisting_is_a_quota_error(httpserver, base):
    serve(httpserver, "/geocodage/search", geocoder_too_many_requests("0"))
    with pytest.raises(QuotaError):
        geo.search("20 avenue de segur", url=base, retries=1)


def test_batch_geocodes_every_row_in_order(geocoder, base):
    addresses = [
        ["20 avenue de Ségur", "Paris"],
        ["", ""],
        ["12 rue de la République", "Lyon"],
        ["nulle part", "ailleurs"],
        ["1 place de la Mairie", "93200 Saint-Denis"],
    ]
    results = geo.geocode_batch(addresses, url=base, min_score=0.5)
    assert [r.status for r in results] == [
        geo.STATUS_OK,
        geo.STATUS_EMPTY,
        geo.STATUS_LOW_SCORE,
        geo.STATUS_NOT_FOUND,
        geo.STATUS_OK,
    ]
    assert results[0].commune == "75056" and results[2].commune == "69123"
    assert results[4].lat == pytest.approx(48.9362)
    assert geocoder.calls[0]["columns"] == ["adresse_1", "adresse_2"]
    assert geocoder.calls[0]["rows"] == 4  # the empty address is not sent


def test_batch_chunks_and_citycode_column(geocoder, base):
    addresses = ["20 avenue de Ségur Paris", "1 place de la Mairie 93200 Saint-Denis"] * 5
    citycodes = ["75107", "93066"] * 4 + ["75107", "1000"]
    results = geo.geocode_batch(addresses, citycodes, url=base, chunk_rows=4, min_score=0.5)
    assert [c["rows"] for c in geocoder.calls] == [4, 4, 2]
    assert all(c["citycode"] == "cget_citycode" for c in geocoder.calls)
    assert [r.status for r in results[:9]] == [geo.STATUS_OK] * 9
    assert results[9].status == geo.STATUS_NOT_FOUND  # filtered out by its commune code


def test_batch_truncated_answer_flags_missing_rows(httpserver, base):
    serve_batch_geocoder(httpserver, truncate_after=600)
    addresses = ["20 avenue de Ségur Paris"] * 6
    warnings = []
    results = geo.geocode_batch(addresses, url=base, on_warning=warnings.append)
    assert len(results) == 6
    assert results[0].status == geo.STATUS_OK
    assert results[-1].status == geo.STATUS_ERROR
    assert warnings and "truncated" in warnings[0]


@pytest.mark.parametrize(
    "answer, expected",
    [
        (geocoder_server_error(**{"Retry-After": "0"}), "HTTP 500"),
        (maintenance_page().with_headers(**{"Retry-After": "0"}), "HTML"),
        (geocoder_too_many_requests("0"), "quota"),
    ],
)
def test_batch_server_errors_raise_when_nothing_geocoded(httpserver, base, answer, expected):
    serve(httpserver, "/geocodage/search/csv", answer, method="POST")
    with pytest.raises(NetworkError, match=expected):
        geo.geocode_batch(["20 avenue de Ségur Paris"], url=base, retries=1)


def test_batch_one_failed_chunk_keeps_the_others(httpserver, base):
    serve_batch_geocoder(httpserver, ordered=True)
    serve(
        httpserver,
        "/geocodage/search/csv",
        server_error("oops", **{"Retry-After": "0"}),
        method="POST",
        ordered=True,
    )
    warnings = []
    results = geo.geocode_batch(
        ["20 avenue de Ségur Paris"] * 3,
        url=base,
        chunk_rows=2,
        retries=0,
        on_warning=warnings.append,
    )
    assert [r.status for r in results] == [geo.STATUS_OK, geo.STATUS_OK, geo.STATUS_ERROR]
    assert "500" in results[2].message and warnings


def test_search_is_throttled_under_the_service_limit(httpserver, base):
    import time

    serve(httpserver, "/geocodage/search", search_recorded("search_empty.json"))
    start = time.monotonic()
    for _ in range(9):
        geo.search("rue de la paix", url=base)
    elapsed = time.monotonic() - start
    assert elapsed >= 8 / geo.MAX_REQUESTS_PER_S - 0.01  # at most 40 requests/s
    assert geo.MAX_REQUESTS_PER_S <= 40
