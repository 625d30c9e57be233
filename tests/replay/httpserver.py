"""The replayed services on pytest-httpserver: the same services and failures as the standalone
server, registered per test.

    replay = serve(httpserver, "/navigation/isochrone", IgnIsochrone())
    serve(httpserver, PATH, isochrones.ign_too_many_requests(), oneshot=True)
    serve(httpserver, PATH, server_error())
"""

from __future__ import annotations

from werkzeug import Response

from tests.replay.answers import Answer, Reply, respond
from tests.replay.request import ReplayRequest


def to_response(answer: Answer) -> Response:
    response = Response(answer.body, status=answer.status, headers=dict(answer.headers))
    # werkzeug would add "; charset=utf-8" to a text type given as content_type=: set it as is.
    response.headers["Content-Type"] = answer.content_type
    return response


def handler(reply: Reply):
    """A pytest-httpserver handler answering with ``reply`` (an Answer or a service)."""

    def _handle(request) -> Response:
        return to_response(respond(reply, ReplayRequest.from_werkzeug(request)))

    return _handle


def serve(httpserver, path: str, reply: Reply, method="", oneshot=False, ordered=False, **match):
    """Answer ``path`` (and ``method`` if given) with ``reply``: every time, once
    (``oneshot``) or in order with the other ordered requests (``ordered``); ``match``: other
    pytest-httpserver request matchers (``query_string``…). Returns ``reply`` (a service keeps
    its ``calls``)."""
    if ordered:
        expect = httpserver.expect_ordered_request
    elif oneshot:
        expect = httpserver.expect_oneshot_request
    else:
        expect = httpserver.expect_request
    if method:
        match["method"] = method
    expect(path, **match).respond_with_handler(handler(reply))
    return reply
