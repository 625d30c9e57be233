"""What a replayed service answers, and the ways real services fail, defined once.

An :class:`Answer` is a plain HTTP answer (status, body, content type, headers) that both the
standalone server (``server.py``) and pytest-httpserver (``httpserver.py``) send. The service
modules (``isochrones``, ``geocoder``, ``wfs``, ``datagouv``) build their answers and their
service-specific error bodies with it; the generic failures every client must survive are here:
rate limiting with ``Retry-After``, a server error, a maintenance HTML page served with status
200, a body cut short, a wrong content type.

Only the standard library: the standalone server runs with the system Python.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Dict, Union

RECORDED = Path(__file__).resolve().parent / "recorded"


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: bytes = b""
    content_type: str = "text/plain; charset=utf-8"
    headers: Dict[str, str] = field(default_factory=dict)

    def truncated(self, size: int = -1) -> Answer:
        """The same answer cut after ``size`` bytes (default: half), as a dropped connection
        or a proxy timeout leaves it."""
        size = len(self.body) // 2 if size < 0 else size
        return replace(self, body=self.body[:size])

    def retyped(self, content_type: str) -> Answer:
        return replace(self, content_type=content_type)

    def with_headers(self, **headers: str) -> Answer:
        return replace(self, headers={**self.headers, **headers})


class ReplayError(Exception):
    """Raised inside a service to answer with an error (``.answer``)."""

    def __init__(self, answer: Answer):
        super().__init__(answer.status)
        self.answer = answer

    @property
    def status(self) -> int:
        return self.answer.status

    @property
    def body(self) -> bytes:
        return self.answer.body


#: A service: a callable taking a :class:`~tests.replay.request.ReplayRequest`.
Service = Callable[..., Answer]
Reply = Union[Answer, Service]


def respond(reply: Reply, request) -> Answer:
    """The answer of ``reply`` (an :class:`Answer` or a service) to ``request``."""
    if isinstance(reply, Answer):
        return reply
    try:
        return reply(request)
    except ReplayError as exc:
        return exc.answer


def json_answer(payload, status: int = 200, content_type: str = "application/json", **headers):
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Answer(status, body, content_type, dict(headers))


def text_answer(text, status: int = 200, content_type: str = "text/plain; charset=utf-8", **h):
    body = text if isinstance(text, bytes) else str(text).encode("utf-8")
    return Answer(status, body, content_type, dict(h))


def recorded(name: str, status: int = 200, content_type: str = "application/json") -> Answer:
    """A body recorded from the real service (``recorded/<name>``)."""
    return Answer(status, (RECORDED / name).read_bytes(), content_type)


# -- the generic failures ---------------------------------------------------------------------


def too_many_requests(body=b"slow down", retry_after="1", content_type="text/plain") -> Answer:
    """HTTP 429 with ``Retry-After`` (seconds); the services' own bodies are in their modules."""
    if not isinstance(body, bytes):
        body = json.dumps(body).encode("utf-8") if not isinstance(body, str) else body.encode()
        content_type = "application/json" if content_type == "text/plain" else content_type
    headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
    return Answer(429, body, content_type, headers)


def server_error(body="Internal Server Error", status=500, content_type="text/plain", **headers):
    """A 5xx answer (default 500 with a plain-text body)."""
    return text_answer(body, status, content_type, **headers)


def maintenance_page(status: int = 200) -> Answer:
    """The HTML maintenance page a proxy serves in place of the data, often with status 200."""
    return recorded("maintenance.html", status, "text/html; charset=utf-8")


def not_found(path: str = "") -> Answer:
    return text_answer(f"Not replayed by the CGET replay server: {path}\n", 404)


def truncated(reply: Reply, size: int = -1) -> Reply:
    """``reply`` with its body cut after ``size`` bytes (default half); a wrapped service keeps
    its ``calls``."""
    if isinstance(reply, Answer):
        return reply.truncated(size)

    def cut(request) -> Answer:
        return respond(reply, request).truncated(size)

    cut.calls = getattr(reply, "calls", None)
    return cut
