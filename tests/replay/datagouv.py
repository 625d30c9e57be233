"""data.gouv.fr: the dataset API's JSON (``/api/1/datasets/<id or slug>/``) and the files it
points to (``Last-Modified`` as the static server sends it). Standard library only."""

from __future__ import annotations

import datetime as _dt
import email.utils
from typing import Dict, List, Optional

from tests.replay.answers import Answer, ReplayError, json_answer

API_PATH = "/api/1/datasets/"


def resource(
    rid: str,
    title: str,
    fmt: str,
    url: str,
    last_modified: str,
    size: Optional[int] = None,
    mime: str = "",
    description: str = "",
) -> dict:
    return {
        "id": rid,
        "title": title,
        "description": description,
        "format": fmt,
        "url": url,
        "latest": url,
        "filetype": "file",
        "type": "main",
        "mime": mime,
        "filesize": size,
        "created_at": last_modified,
        "last_modified": last_modified,
    }


def dataset(
    did: str,
    title: str,
    resources: List[dict],
    slug: str = "",
    description: str = "",
    last_modified: str = "",
    page: str = "",
    organization: str = "Agence Nationale de la Cohésion des Territoires",
) -> dict:
    return {
        "id": did,
        "slug": slug or did,
        "title": title,
        "description": description,
        "license": "fr-lo",
        "organization": {"name": organization},
        "page": page,
        "last_modified": last_modified,
        "resources": resources,
    }


def not_found() -> ReplayError:
    return ReplayError(json_answer({"message": "Not found"}, 404))


class DatasetApi:
    """Answers ``<prefix><id or slug>/`` with the dataset of that id or slug."""

    def __init__(self, datasets: List[dict]):
        self.by_key: Dict[str, dict] = {}
        for item in datasets:
            self.by_key[item["id"]] = item
            self.by_key[item["slug"]] = item
        self.calls = []

    def __call__(self, request) -> Answer:
        key = request.path.rstrip("/").rsplit("/", 1)[-1]
        self.calls.append(key)
        if key not in self.by_key:
            raise not_found()
        return json_answer(self.by_key[key])


def file_headers(last_modified_iso: str) -> Dict[str, str]:
    stamp = _dt.datetime.fromisoformat(last_modified_iso.replace("Z", "+00:00"))
    return {"Last-Modified": email.utils.format_datetime(stamp, usegmt=True)}


def file_answer(body: bytes, content_type: str, last_modified_iso: str = "") -> Answer:
    headers = file_headers(last_modified_iso) if last_modified_iso else {}
    return Answer(200, body, content_type, headers)


def redirect(location: str) -> Answer:
    return Answer(302, b"", "text/plain", {"Location": location})
