"""core.net against a loopback server: retries, Retry-After, errors, cancellation, user agent."""

import threading
import time

import pytest
from qgis.core import QgsFeedback
from werkzeug import Response

from cget_plugin.core import net
from cget_plugin.core.errors import CancelledError, NetworkError, QuotaError


def test_get_ok_and_user_agent(httpserver):
    httpserver.expect_request("/data").respond_with_json({"ok": True})
    resp = net.request(httpserver.url_for("/data"), params={"q": "é a"})
    assert resp.status == 200 and resp.json() == {"ok": True}
    request, _ = httpserver.log[0]
    assert request.args["q"] == "é a"
    assert "CGET" in request.headers.get("User-Agent", "")


def test_retry_after_429_then_success(httpserver):
    httpserver.expect_ordered_request("/busy").respond_with_response(
        Response("slow down", status=429, headers={"Retry-After": "1"})
    )
    httpserver.expect_ordered_request("/busy").respond_with_json({"ok": 1})
    retries = []
    start = time.monotonic()
    resp = net.request(httpserver.url_for("/busy"), on_retry=lambda *a: retries.append(a))
    assert resp.json() == {"ok": 1}
    assert retries and retries[0][1] == pytest.approx(1.0)
    assert time.monotonic() - start >= 0.9


def test_persistent_429_is_quota_error(httpserver):
    httpserver.expect_request("/quota").respond_with_response(
        Response(
            '{"error": {"message": "Rate limit exceeded"}}',
            status=429,
            headers={"Retry-After": "0"},
        )
    )
    with pytest.raises(QuotaError) as err:
        net.request(httpserver.url_for("/quota"), retries=2, backoff_base_s=0.01)
    assert "Rate limit exceeded" in str(err.value)
    assert len(httpserver.log) == 3


def test_500_retried_then_error(httpserver):
    httpserver.expect_request("/fail").respond_with_data("boom", status=500)
    with pytest.raises(NetworkError) as err:
        net.request(httpserver.url_for("/fail"), retries=1, backoff_base_s=0.01)
    assert err.value.status == 500
    assert len(httpserver.log) == 2


def test_404_not_retried_and_names_url(httpserver):
    httpserver.expect_request("/missing").respond_with_data("nope", status=404)
    with pytest.raises(NetworkError) as err:
        net.request(httpserver.url_for("/missing"), retries=3, backoff_base_s=0.01)
    assert "/missing" in str(err.value) and "404" in str(err.value)
    assert len(httpserver.log) == 1


def test_html_instead_of_json(httpserver):
    httpserver.expect_request("/html").respond_with_data(
        "<!DOCTYPE html><html><body>Maintenance</body></html>", content_type="text/html"
    )
    resp = net.request(httpserver.url_for("/html"))
    assert resp.looks_like_html()
    with pytest.raises(NetworkError) as err:
        resp.json()
    assert "HTML" in str(err.value)


def test_unreachable_host_is_network_error_without_retries():
    # Port 9 on loopback: connection refused, no internet involved. Offline is not a reason to
    # wait and retry: the caller falls back to its cache at once.
    retries = []
    start = time.monotonic()
    with pytest.raises(NetworkError):
        net.request(
            "http://127.0.0.1:9/x",
            retries=3,
            backoff_base_s=1.0,
            timeout_s=2,
            on_retry=lambda *a: retries.append(a),
        )
    assert retries == [] and time.monotonic() - start < 1.5


def test_timeout(httpserver):
    release = threading.Event()

    def slow(_request):
        release.wait(5)  # the loopback server is single-threaded: free it at the end
        return Response("late")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    try:
        with pytest.raises(NetworkError):
            net.request(httpserver.url_for("/slow"), timeout_s=0.5, retries=0)
    finally:
        release.set()
        time.sleep(0.2)


def test_cancel_during_backoff(httpserver):
    httpserver.expect_request("/busy").respond_with_response(
        Response("busy", status=503, headers={"Retry-After": "30"})
    )
    feedback = QgsFeedback()
    # Processing cancels from the GUI thread while the algorithm waits in a worker thread.
    threading.Timer(0.3, feedback.cancel).start()
    start = time.monotonic()
    with pytest.raises(CancelledError):
        net.request(httpserver.url_for("/busy"), feedback=feedback)
    assert time.monotonic() - start < 5


def test_post_and_multipart(httpserver):
    httpserver.expect_request("/upload", method="POST").respond_with_data("a,b\n1,2\n")
    body, ctype = net.multipart_form(
        [("columns", "adresse")], [("data", "f.csv", b"adresse\nx\n", "text/csv")]
    )
    resp = net.request(
        httpserver.url_for("/upload"), method="POST", data=body, headers={"Content-Type": ctype}
    )
    assert resp.text() == "a,b\n1,2\n"
    request, _ = httpserver.log[0]
    assert request.form["columns"] == "adresse"
    assert request.files["data"].read() == b"adresse\nx\n"


def test_throttle_spaces_requests(httpserver):
    httpserver.expect_request("/t").respond_with_data("ok")
    start = time.monotonic()
    for _ in range(3):
        net.request(httpserver.url_for("/t"), throttle_key="test", min_interval_s=0.25)
    assert time.monotonic() - start >= 0.5


def test_parse_retry_after_http_date():
    import email.utils

    future = email.utils.formatdate(time.time() + 10, usegmt=True)
    assert 8 <= net.parse_retry_after(future) <= 11
    assert net.parse_retry_after("3") == 3
    assert net.parse_retry_after("garbage") is None


def test_error_reply_never_returns_an_older_cached_body(httpserver):
    """Seen with QGIS 3.22: after a 200, a 503 on the same URL came back as the cached 200 body."""
    httpserver.expect_ordered_request("/c").respond_with_json({"ok": 1})
    httpserver.expect_ordered_request("/c").respond_with_data("down", status=503)
    assert net.request(httpserver.url_for("/c")).json() == {"ok": 1}
    with pytest.raises(NetworkError) as err:
        net.request(httpserver.url_for("/c"), retries=0)
    assert err.value.status == 503


def test_qgis_network_cache_not_used_by_default(httpserver):
    """The plugin keeps its own cache with freshness checks; QGIS's disk cache must not answer
    in its place with a stale copy."""
    httpserver.expect_ordered_request("/v").respond_with_data("first")
    httpserver.expect_ordered_request("/v").respond_with_data("second")
    assert net.request(httpserver.url_for("/v")).text() == "first"
    assert net.request(httpserver.url_for("/v")).text() == "second"
