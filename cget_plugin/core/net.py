"""Every HTTP call of the plugin goes through here, on QGIS's network stack.

``QgsBlockingNetworkRequest`` applies the user's proxy, certificate authorities and
authentication configurations; ``requests`` would silently bypass them (ORS Tools #98).
This module adds what the plugin needs on top: a user agent, a per-request timeout, retries
with exponential backoff on 429 and 5xx that honour ``Retry-After``, per-host throttling
(IGN isochrones: 5 requests/s), cancellation through a ``QgsFeedback`` and clear, translated
errors naming the URL and the way out.
"""

from __future__ import annotations

import email.utils
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, Optional
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from qgis.core import QgsBlockingNetworkRequest, QgsNetworkAccessManager
from qgis.PyQt.QtCore import QByteArray, QUrl
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest

from ..__about__ import USER_AGENT
from .errors import CancelledError, NetworkError, QuotaError
from .feedback import push_info
from .i18n import tr

DEFAULT_TIMEOUT_S = 60
DEFAULT_RETRIES = 4
MAX_RETRY_WAIT_S = 120


@dataclass
class Response:
    url: str
    status: int
    content: bytes
    headers: Dict[str, str] = field(default_factory=dict)

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip().lower()

    def text(self, encoding: str = "utf-8") -> str:
        return self.content.decode(encoding, errors="replace")

    def json(self):
        import json

        try:
            return json.loads(self.content.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise NetworkError(
                tr(
                    "The server at {url} did not return valid JSON ({detail}). Check the URL or "
                    "try again later."
                ).format(url=self.url, detail=describe_body(self)),
                status=self.status,
                url=self.url,
            ) from exc

    def looks_like_html(self) -> bool:
        head = self.content[:512].lstrip().lower()
        return self.content_type in ("text/html", "application/xhtml+xml") or head.startswith(
            (b"<!doctype html", b"<html")
        )


def describe_body(resp: Response) -> str:
    if resp.looks_like_html():
        return tr("an HTML page instead of data")
    if not resp.content:
        return tr("an empty response")
    return tr("{n} bytes of type {ctype}").format(
        n=len(resp.content), ctype=resp.content_type or "?"
    )


def with_params(url: str, params: Optional[dict]) -> str:
    if not params:
        return url
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    query.extend((k, str(v)) for k, v in params.items() if v is not None)
    return urlunsplit(parts._replace(query=urlencode(query)))


class _Throttle:
    """Minimum interval between requests sharing a key (a host or an API)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._next_slot: Dict[str, float] = {}

    def wait(self, key: str, min_interval_s: float, feedback=None) -> None:
        with self._lock:
            now = time.monotonic()
            slot = max(now, self._next_slot.get(key, 0.0))
            self._next_slot[key] = slot + min_interval_s
        _sleep(slot - time.monotonic(), feedback)


THROTTLE = _Throttle()


def _sleep(seconds: float, feedback=None) -> None:
    """Sleep in small steps so that Cancel is honoured within a fraction of a second."""
    end = time.monotonic() + max(0.0, seconds)
    while True:
        if feedback is not None and feedback.isCanceled():
            raise CancelledError(tr("Cancelled by the user."))
        remaining = end - time.monotonic()
        if remaining <= 0:
            return
        time.sleep(min(0.1, remaining))


def parse_retry_after(value: str) -> Optional[float]:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


def backoff_delay(attempt: int, retry_after: Optional[float], base_s: float = 1.0) -> float:
    """Wait before retry number ``attempt`` (1-based): Retry-After when given, else exponential
    with jitter, capped."""
    if retry_after is not None:
        return min(MAX_RETRY_WAIT_S, retry_after)
    return min(MAX_RETRY_WAIT_S, base_s * (2 ** (attempt - 1)) * (1 + random.random() * 0.25))


RETRYABLE_STATUS = {429, 500, 502, 503, 504}
_NOT_RETRYABLE_ERRORS = (
    QNetworkReply.NetworkError.HostNotFoundError,
    QNetworkReply.NetworkError.ConnectionRefusedError,
    QNetworkReply.NetworkError.ProxyNotFoundError,
)


def request(
    url: str,
    method: str = "GET",
    params: Optional[dict] = None,
    data: Optional[bytes] = None,
    headers: Optional[dict] = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    retries: int = DEFAULT_RETRIES,
    feedback=None,
    authcfg: str = "",
    throttle_key: str = "",
    min_interval_s: float = 0.0,
    accept_status: tuple = (200,),
    force_refresh: bool = True,
    backoff_base_s: float = 1.0,
    on_retry: Optional[Callable[[int, float, int], None]] = None,
) -> Response:
    """Perform an HTTP request through QGIS and return the :class:`Response`.

    Retries on network errors, 429 and 5xx with backoff (``Retry-After`` honoured). Raises
    :class:`QuotaError` when a 429/403 quota persists, :class:`NetworkError` for other failures,
    :class:`CancelledError` when ``feedback`` is cancelled.

    ``force_refresh`` (default) bypasses QGIS's network disk cache: freshness is handled by
    ``core/cache.py`` with ETag/Last-Modified, and a stale QGIS copy must not answer instead.
    """
    full_url = with_params(url, params)
    last_error: Optional[NetworkError] = None
    for attempt in range(1, retries + 2):
        if feedback is not None and feedback.isCanceled():
            raise CancelledError(tr("Cancelled by the user."))
        if throttle_key and min_interval_s > 0:
            THROTTLE.wait(throttle_key, min_interval_s, feedback)
        resp, error_code, error_text = _perform(
            full_url, method, data, headers or {}, timeout_s, feedback, authcfg, force_refresh
        )
        if feedback is not None and feedback.isCanceled():
            raise CancelledError(tr("Cancelled by the user."))
        retry_after = None
        if resp is not None and resp.status in accept_status:
            return resp
        if resp is not None and resp.status:
            last_error = _http_error(resp)
            retryable = resp.status in RETRYABLE_STATUS
            retry_after = parse_retry_after(resp.headers.get("retry-after", ""))
        else:
            last_error = NetworkError(
                tr(
                    "Could not reach {url}: {error}. Check the network connection and the proxy "
                    "settings of QGIS (Settings > Options > Network), or use the cached copy."
                ).format(url=full_url, error=error_text or tr("no response")),
                url=full_url,
            )
            # Offline (unknown host, refused connection): waiting will not help, and callers
            # fall back to their cached copy at once instead of after several backoffs.
            retryable = error_code not in _NOT_RETRYABLE_ERRORS and (
                error_code != QNetworkReply.NetworkError.OperationCanceledError or feedback is None
            )
        if not retryable or attempt > retries:
            break
        delay = backoff_delay(attempt, retry_after, backoff_base_s)
        if on_retry is not None:
            on_retry(attempt, delay, resp.status if resp is not None else 0)
        push_info(
            feedback,
            tr("{url}: server busy or unreachable, new attempt in {s:.0f} s ({n}/{total}).").format(
                url=urlsplit(full_url).netloc, s=delay, n=attempt, total=retries
            ),
        )
        _sleep(delay, feedback)
    assert last_error is not None
    raise last_error


_MARKER_HEADER = b"X-Cget-Client"
_preprocessor_id = None


def _append_user_agent(request):
    """QGIS sets its own User-Agent when it creates a request; for the plugin's requests (marked),
    append ours so servers can identify the plugin without touching the user's global setting."""
    if request.hasRawHeader(_MARKER_HEADER):
        current = bytes(request.rawHeader(b"User-Agent")).decode("latin-1")
        if USER_AGENT not in current:
            request.setRawHeader(b"User-Agent", f"{current} {USER_AGENT}".strip().encode())


def install_user_agent_hook():
    """Register the User-Agent preprocessor once (idempotent)."""
    global _preprocessor_id
    if _preprocessor_id is None:
        _preprocessor_id = QgsNetworkAccessManager.setRequestPreprocessor(_append_user_agent)


def remove_user_agent_hook():
    """Unregister the preprocessor (plugin unload)."""
    global _preprocessor_id
    if _preprocessor_id is not None:
        QgsNetworkAccessManager.removeRequestPreprocessor(_preprocessor_id)
        _preprocessor_id = None


def _perform(url, method, data, headers, timeout_s, feedback, authcfg, force_refresh):
    install_user_agent_hook()
    req = QNetworkRequest(QUrl(url))
    req.setRawHeader(_MARKER_HEADER, b"1")
    for key, value in headers.items():
        req.setRawHeader(key.encode(), str(value).encode())
    if hasattr(req, "setTransferTimeout"):
        req.setTransferTimeout(int(timeout_s * 1000))
    req.setAttribute(QNetworkRequest.Attribute.FollowRedirectsAttribute, True)
    if force_refresh:
        # QGIS's disk cache must not answer: on an error reply Qt may hand back the older cached
        # body with the new status headers (seen: a 503 returned as the previous 200 body).
        cache = QgsNetworkAccessManager.instance().cache()
        if cache is not None:
            cache.remove(QUrl(url))
    blocking = QgsBlockingNetworkRequest()
    if authcfg:
        blocking.setAuthCfg(authcfg)
    method = method.upper()
    if method == "GET":
        code = blocking.get(req, force_refresh, feedback)
    elif method == "POST":
        code = blocking.post(req, QByteArray(data or b""), force_refresh, feedback)
    elif method == "HEAD":
        code = blocking.head(req, force_refresh, feedback)
    elif method == "PUT":
        code = blocking.put(req, QByteArray(data or b""), feedback)
    else:  # pragma: no cover - programming error
        raise ValueError(method)
    reply = blocking.reply()
    status = reply.attribute(QNetworkRequest.Attribute.HttpStatusCodeAttribute)
    status = int(status) if status is not None else 0
    hdrs = {}
    for name in reply.rawHeaderList():
        hdrs[bytes(name).decode("latin-1").lower()] = bytes(reply.rawHeader(name)).decode("latin-1")
    content = bytes(reply.content())
    if code != QgsBlockingNetworkRequest.ErrorCode.NoError and status == 0:
        return None, reply.error(), blocking.errorMessage()
    return Response(url=url, status=status, content=content, headers=hdrs), reply.error(), ""


def _http_error(resp: Response) -> NetworkError:
    host = urlsplit(resp.url).netloc
    detail = _server_message(resp)
    if resp.status == 429 or (resp.status == 403 and _mentions_quota(detail)):
        return QuotaError(
            tr(
                "{host} refused the request: quota or rate limit reached (HTTP {status}{detail}). "
                "Wait and run again, or reduce the number of requests."
            ).format(host=host, status=resp.status, detail=f" – {detail}" if detail else ""),
            status=resp.status,
            url=resp.url,
        )
    if resp.status == 404:
        msg = tr(
            "{url} was not found (HTTP 404). The source may have moved: check the URL, or "
            "point this source to a mirror or a local file in the plugin settings."
        )
    elif resp.status in (401, 403):
        msg = tr(
            "{url} refused access (HTTP {status}). Check the API key or the authentication "
            "configuration selected in QGIS."
        )
    elif resp.status >= 500:
        msg = tr(
            "The server {host} failed (HTTP {status}). Try again later or use the cached copy."
        )
    else:
        msg = tr("The request to {url} failed (HTTP {status}).")
    msg = msg.format(url=resp.url, host=host, status=resp.status)
    if detail:
        msg += " " + tr("Server message: {}").format(detail)
    return NetworkError(msg, status=resp.status, url=resp.url)


def _mentions_quota(text: str) -> bool:
    text = text.lower()
    return any(word in text for word in ("quota", "rate limit", "limit exceeded", "too many"))


def _server_message(resp: Response) -> str:
    """Short error message from a JSON body ({"error": {"message": ...}}) if any."""
    if not resp.content or resp.looks_like_html():
        return ""
    try:
        import json

        body = json.loads(resp.content.decode("utf-8", errors="replace"))
    except ValueError:
        return resp.content[:200].decode("utf-8", errors="replace").strip()
    if isinstance(body, dict):
        err = body.get("error", body.get("message", ""))
        if isinstance(err, dict):
            err = err.get("message", "") or err.get("description", "")
        return str(err)[:300]
    return ""


def multipart_form(fields: list, files: list, boundary: str = "") -> tuple:
    """Encode a multipart/form-data body. ``fields``: [(name, value)], ``files``:
    [(name, filename, bytes, content_type)]. Returns (body, content_type header)."""
    boundary = boundary or "cget" + "".join(random.choice("0123456789abcdef") for _ in range(24))
    chunks = []
    for name, value in fields:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        )
    for name, filename, payload, ctype in files:
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n"
        ).encode()
        chunks.append(head + payload + b"\r\n")
    chunks.append(f"--{boundary}--\r\n".encode())
    return b"".join(chunks), f"multipart/form-data; boundary={boundary}"
