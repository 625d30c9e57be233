"""One request type for the replayed services, whoever received it: the standalone server
(``http.server``) or pytest-httpserver (werkzeug). Standard library only."""

from __future__ import annotations

import email.parser
import email.policy
import json
from typing import Dict, List, Mapping, Optional, Sequence, Tuple
from urllib.parse import parse_qsl, urlsplit


class ReplayRequest:
    def __init__(
        self,
        method: str,
        path: str,
        query: Sequence[Tuple[str, str]] = (),
        headers: Optional[Mapping[str, str]] = None,
        body: bytes = b"",
        client: str = "127.0.0.1",
    ):
        self.method = method.upper()
        self.path = path
        self.query = list(query)
        self.headers = {k.lower(): v for k, v in (headers or {}).items()}
        self.body = body
        self.client = client
        self._form: Optional[Tuple[Dict[str, List[str]], Dict[str, bytes]]] = None

    @classmethod
    def from_target(cls, method, target, headers=None, body=b"", client="127.0.0.1"):
        """From a raw request target (``/path?query``), as ``http.server`` gives it."""
        parts = urlsplit(target)
        query = parse_qsl(parts.query, keep_blank_values=True)
        return cls(method, parts.path, query, headers, body, client)

    @classmethod
    def from_werkzeug(cls, request) -> ReplayRequest:
        return cls(
            request.method,
            request.path,
            list(request.args.items(multi=True)),
            dict(request.headers),
            request.get_data(),
            request.remote_addr or "127.0.0.1",
        )

    @property
    def args(self) -> Dict[str, str]:
        """Query parameters, first value of each (as the services read them)."""
        out: Dict[str, str] = {}
        for key, value in self.query:
            out.setdefault(key, value)
        return out

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)

    def json(self):
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> Dict[str, List[str]]:
        """Text fields of a multipart/form-data body (repeated names kept in order)."""
        return self._multipart()[0]

    def files(self) -> Dict[str, bytes]:
        """File parts of a multipart/form-data body, by field name."""
        return self._multipart()[1]

    def is_multipart(self) -> bool:
        return "multipart/form-data" in self.header("Content-Type")

    def _multipart(self):
        if self._form is None:
            self._form = parse_multipart(self.header("Content-Type"), self.body)
        return self._form


def parse_multipart(content_type: str, body: bytes):
    """(text fields, files) of a multipart/form-data body; both empty for another type."""
    fields: Dict[str, List[str]] = {}
    files: Dict[str, bytes] = {}
    if "multipart/form-data" not in (content_type or ""):
        return fields, files
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_param("filename", header="content-disposition") is not None:
            files[name] = payload
        else:
            fields.setdefault(name, []).append(payload.decode("utf-8"))
    return fields, files
