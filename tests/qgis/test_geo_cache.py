"""On-disk cache against a loopback server: freshness, conditional requests, errors that never
replace a good copy, offline reuse, size cap."""

import io
import json
import os
import time
import zipfile

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from cget_plugin.core import cache as cache_mod
from cget_plugin.core import net
from cget_plugin.core.errors import DataError, NetworkError, QuotaError

GEOJSON = b'{"type": "FeatureCollection", "features": []}'


@pytest.fixture(autouse=True)
def _fast(monkeypatch, qgis_app):
    monkeypatch.setattr(cache_mod, "DEFAULT_BACKOFF_S", 0.01)
    monkeypatch.setattr(net, "DEFAULT_TIMEOUT_S", 5)


@pytest.fixture
def cache(tmp_path):
    return cache_mod.Cache(tmp_path / "c")


def _zip_bytes(name="a.geojson", payload=GEOJSON):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, payload)
    return buf.getvalue()


def test_fetch_then_fresh_copy_without_network(httpserver, cache):
    httpserver.expect_ordered_request("/data.geojson").respond_with_data(
        GEOJSON, content_type="application/geo+json", headers={"ETag": '"v1"'}
    )
    url = httpserver.url_for("/data.geojson")
    first = cache.fetch(url, expect="geojson")
    assert not first.from_cache and not first.stale
    assert first.path.read_bytes() == GEOJSON and first.etag == '"v1"'
    second = cache.fetch(url, expect="geojson", max_age_s=3600)
    assert second.from_cache and not second.stale
    assert len(httpserver.log) == 1  # no second request


def test_conditional_request_304_keeps_the_copy(httpserver, cache):
    url = httpserver.url_for("/cond.geojson")
    httpserver.expect_ordered_request("/cond.geojson").respond_with_data(
        GEOJSON,
        headers={"ETag": '"abc"', "Last-Modified": "Wed, 05 Feb 2025 10:00:00 GMT"},
    )
    httpserver.expect_ordered_request(
        "/cond.geojson", headers={"If-None-Match": '"abc"'}
    ).respond_with_data(b"", status=304)
    cache.fetch(url, expect="geojson")
    again = cache.fetch(url, expect="geojson", max_age_s=0)
    assert again.from_cache and not again.stale
    assert again.path.read_bytes() == GEOJSON
    assert again.last_modified == "Wed, 05 Feb 2025 10:00:00 GMT"
    httpserver.check_assertions()


def test_same_datagouv_last_modified_means_no_download(httpserver, cache):
    httpserver.expect_request("/r.csv").respond_with_data("a;b\n1;2")
    url = httpserver.url_for("/r.csv")
    cache.fetch(url, source_date="2025-02-06T16:18:39")
    hit = cache.fetch(url, source_date="2025-02-06T16:18:39", max_age_s=0)
    assert hit.from_cache and len(httpserver.log) == 1
    cache.fetch(url, source_date="2025-03-01T00:00:00", max_age_s=0)
    assert len(httpserver.log) == 2  # the resource changed: downloaded again


@pytest.mark.parametrize(
    "status, error, text",
    [
        (404, NetworkError, "HTTP 404"),
        (500, NetworkError, "HTTP 500"),
        (429, QuotaError, "quota"),
    ],
)
def test_http_errors_without_copy_raise(httpserver, cache, status, error, text):
    headers = {"Retry-After": "0"} if status == 429 else {}
    httpserver.expect_request("/err").respond_with_data("nope", status=status, headers=headers)
    with pytest.raises(error, match=text):
        cache.fetch(httpserver.url_for("/err"))
    if status in (429, 500):
        assert len(httpserver.log) == cache.retries + 1  # retried with backoff
    else:
        assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    "bad",
    [
        ("html", b"<!DOCTYPE html><html><body>Erreur</body></html>", "text/html"),
        ("status500", b"", None),
        ("truncated-json", GEOJSON[:20], "application/json"),
        ("corrupt-zip", _zip_bytes()[:40], "application/zip"),
    ],
)
def test_bad_download_never_replaces_the_good_copy(httpserver, cache, bad):
    kind, body, ctype = bad
    url = httpserver.url_for("/qp.zip" if "zip" in kind else "/qp.geojson")
    good = _zip_bytes() if "zip" in kind else GEOJSON
    expect = "zip" if "zip" in kind else "geojson"
    httpserver.expect_ordered_request(url.split(":%d" % httpserver.port)[1]).respond_with_data(good)
    first = cache.fetch(url, expect=expect)
    if kind == "status500":
        httpserver.expect_request("/qp.geojson").respond_with_data("boom", status=500)
    else:
        httpserver.expect_request(url.split(":%d" % httpserver.port)[1]).respond_with_data(
            body, content_type=ctype
        )
    second = cache.fetch(url, expect=expect, max_age_s=0)
    assert second.stale and second.from_cache
    assert second.path.read_bytes() == good
    assert "cached copy of" in second.note
    assert second.warnings and "Using the cached copy" in second.warnings[0]
    assert second.retrieved == first.retrieved


def test_html_instead_of_data_without_copy_is_a_clear_error(httpserver, cache):
    httpserver.expect_request("/moved.csv").respond_with_data(
        "<html><head><title>Page introuvable</title></head></html>", content_type="text/html"
    )
    with pytest.raises(DataError, match="HTML page instead of data"):
        cache.fetch(httpserver.url_for("/moved.csv"))


def test_truncated_body_is_detected(httpserver, cache):
    def handler(request):
        resp = Response(b"code;nom\n01053;Bourg", content_type="text/csv")
        resp.headers["Content-Length"] = "5000"
        resp.automatically_set_content_length = False
        return resp

    httpserver.expect_request("/short.csv").respond_with_handler(handler)
    cache.retries = 0
    with pytest.raises((DataError, NetworkError)):
        cache.fetch(httpserver.url_for("/short.csv"))
    assert cache.cached(httpserver.url_for("/short.csv")) is None


def test_timeout_then_cached_copy(httpserver, cache):
    url = httpserver.url_for("/slow.csv")
    httpserver.expect_ordered_request("/slow.csv").respond_with_data("a;b\n1;2")
    cache.fetch(url)

    def slow(request):
        time.sleep(2.5)
        return Response("a;b\n3;4")

    httpserver.expect_request("/slow.csv").respond_with_handler(slow)
    cache.retries = 0
    cache.timeout_s = 1
    got = cache.fetch(url, max_age_s=0)
    assert got.stale and got.path.read_text() == "a;b\n1;2"


def test_offline_reuses_the_copy_with_a_note(cache):
    server = HTTPServer()
    server.start()
    try:
        server.expect_request("/fs.csv").respond_with_data("id_fs;lib_fs\n1;A")
        url = server.url_for("/fs.csv")
        cache.fetch(url)
    finally:
        server.stop()
    cache.retries = 0
    got = cache.fetch(url, max_age_s=0)  # nobody listens any more
    assert got.stale and got.path.read_text() == "id_fs;lib_fs\n1;A"
    assert got.note.startswith("cached copy of")
    with pytest.raises(NetworkError):
        cache.fetch(url + "?other=1", max_age_s=0)


def test_offline_flag_and_missing_copy(cache):
    with pytest.raises(NetworkError, match="downloaded once online"):
        cache.fetch("http://127.0.0.1:9/none", offline=True)


def test_writes_are_atomic_and_cache_is_size_capped(httpserver, tmp_path):
    cache = cache_mod.Cache(tmp_path / "cap", max_bytes=2500)
    for n in range(4):
        httpserver.expect_request(f"/f{n}").respond_with_data(b"x" * 1000)
    urls = [httpserver.url_for(f"/f{n}") for n in range(4)]
    for url in urls[:2]:
        cache.fetch(url)
        time.sleep(0.05)
    # touch the first one: it becomes the most recently used
    cache.fetch(urls[0], max_age_s=3600)
    time.sleep(0.05)
    cache.fetch(urls[2])
    kept = {url for url in urls[:3] if cache.cached(url) is not None}
    assert kept == {urls[0], urls[2]}  # the least recently used (f1) was evicted
    assert not [p for p in (tmp_path / "cap").iterdir() if p.name.startswith(".tmp-")]
    meta = json.loads(next((tmp_path / "cap").glob("*.json")).read_text())
    assert {"url", "retrieved", "size"} <= set(meta)


def test_damaged_cache_entry_is_ignored(httpserver, cache):
    httpserver.expect_request("/d.csv").respond_with_data("a;b\n1;2")
    url = httpserver.url_for("/d.csv")
    got = cache.fetch(url)
    with open(got.path, "ab") as handle:
        handle.write(b"garbage")  # size no longer matches the record
    assert cache.cached(url) is None
    assert os.path.exists(got.path)
