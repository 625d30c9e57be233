"""The Géoplateforme geocoder (``/geocodage/search`` and ``/geocodage/search/csv``) in its real
formats, and its own errors (``{"code": …, "message": …}``).

``/search`` answers a GeoCodeJSON FeatureCollection; ``/search/csv`` reads the multipart request
as the service does (``data`` file, repeated ``columns``, ``citycode``/``postcode`` column
names, ``result_columns``) and answers the service's CSV: the input columns followed by the
result columns, same delimiter, one row per input row, ``result_status`` ``ok`` /
``not-found`` / ``skipped``.

Where the addresses come from is an index: :class:`KnownAddresses` (positions set by a test:
fixtures, not real geocoding results) or :class:`AddressIndex` (the standalone server's real
addresses, scored by token overlap, not BAN's scoring). Standard library only.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from typing import Dict, List, Tuple

from tests.replay.answers import Answer, ReplayError, json_answer, recorded, text_answer

SEARCH_PATH = "/search"
BATCH_PATH = "/search/csv"
#: Result columns of the service, in its order (docs/data-sources.md §6.1).
BATCH_RESULT_COLUMNS = (
    "latitude",
    "longitude",
    "result_label",
    "result_score",
    "result_score_next",
    "result_type",
    "result_id",
    "result_housenumber",
    "result_name",
    "result_street",
    "result_postcode",
    "result_city",
    "result_context",
    "result_citycode",
    "result_oldcitycode",
    "result_oldcity",
    "result_district",
    "result_status",
)


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def tokens(text: str) -> List[str]:
    text = strip_accents((text or "").lower())
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return [t for t in text.split() if t]


# -- errors and recorded answers ------------------------------------------------------------


def geocoder_error(status: int, message: str, **headers) -> ReplayError:
    return ReplayError(json_answer({"code": status, "message": message}, status, **headers))


def geocoder_too_many_requests(retry_after="0") -> Answer:
    return geocoder_error(429, "Too Many Requests", **{"Retry-After": str(retry_after)}).answer


def geocoder_server_error(**headers) -> Answer:
    return geocoder_error(500, "Internal Server Error", **headers).answer


def search_recorded(name: str) -> Answer:
    """A recorded ``/search`` answer (``search_segur.json``, ``search_empty.json``)."""
    return recorded(name)


# -- address indexes ------------------------------------------------------------------------


def _key(text: str) -> str:
    return " ".join(text.lower().split())


class KnownAddresses:
    """{address text (as the service concatenates the columns): dict(label, score, lon, lat,
    citycode, type, postcode, city)}: exact matches only; with a citycode filter an address
    only matches when the row's citycode equals the result's (as the real service filters)."""

    def __init__(self, known: Dict[str, dict]):
        self.known = {_key(k): v for k, v in known.items()}

    def find(self, query: str, citycode: str = "", postcode: str = "", limit: int = 10):
        hit = self.known.get(_key(query))
        if hit is None or (citycode and hit.get("citycode") != citycode):
            return []
        if postcode and hit.get("postcode") and hit["postcode"] != postcode:
            return []
        entry = {"type": "housenumber", "id": "", "housenumber": "", "name": "", "street": ""}
        entry.update(hit)
        return [(hit.get("score", 0.95), entry)]


class AddressIndex:
    """Entries (label, lon, lat, citycode, postcode, city, … and ``tokens``) scored by the
    Dice overlap of their tokens with the query's."""

    def __init__(self, entries: List[dict]):
        self.entries = entries

    def find(self, query: str, citycode: str = "", postcode: str = "", limit: int = 10):
        words = set(tokens(query))
        if not words:
            return []
        scored = []
        for entry in self.entries:
            if citycode and entry["citycode"] != citycode:
                continue
            if postcode and entry["postcode"] != postcode:
                continue
            common = words & entry["tokens"]
            if not common:
                continue
            dice = 2.0 * len(common) / (len(words) + len(entry["tokens"]))
            score = round(min(0.99, 0.25 + 0.74 * dice), 4)
            if score >= 0.3:
                scored.append((score, entry))
        scored.sort(key=lambda item: (-item[0], item[1]["label"]))
        return scored[:limit]


# -- /search ----------------------------------------------------------------------------------


class GeocoderSearch:
    def __init__(self, index):
        self.index = index
        self.calls = []

    def __call__(self, request) -> Answer:
        params = request.args
        self.calls.append(params)
        query = (params.get("q") or "").strip()
        if len(query) < 3:
            raise geocoder_error(
                400, "q: must contain between 3 and 200 chars and start with a number or a letter"
            )
        try:
            limit = max(1, min(50, int(params.get("limit") or 10)))
        except ValueError:
            raise geocoder_error(400, "limit: must be an integer") from None
        found = self.index.find(
            query, params.get("citycode", ""), params.get("postcode", ""), limit
        )
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [e["lon"], e["lat"]]},
                "properties": _properties(score, e),
            }
            for score, e in found
        ]
        body = {
            "type": "FeatureCollection",
            "version": "draft",
            "features": features,
            "attribution": "BAN",
            "licence": "ETALAB-2.0",
            "query": query,
            "filters": {k: params[k] for k in ("citycode", "postcode", "type") if params.get(k)},
            "limit": limit,
        }
        return json_answer(body, content_type="application/json; charset=utf-8")


def _properties(score: float, e: dict) -> dict:
    props = {"label": e["label"], "score": score}
    for name in ("id", "banId", "name", "postcode", "citycode", "x", "y", "city"):
        props[name] = e.get(name, "")
    props.update(
        context=e.get("context", ""),
        type=e.get("type", "housenumber"),
        importance=0.6,
        street=e.get("street", ""),
        _type="address",
    )
    if e.get("housenumber"):
        props["housenumber"] = e["housenumber"]
    return props


# -- /search/csv --------------------------------------------------------------------------------


class BatchGeocoder:
    """``POST /search/csv``; ``calls`` holds one dict per request: columns, citycode,
    postcode, rows, result_columns."""

    def __init__(self, index):
        self.index = index
        self.calls = []

    def __call__(self, request) -> Answer:
        if request.method != "POST":
            raise geocoder_error(405, "POST a multipart/form-data body")
        text, form = _upload(request)
        delimiter = max((",", ";", "\t", "|"), key=text.split("\n", 1)[0].count)
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        header = next(reader, [])
        rows = [r for r in reader if r]
        columns = form.get("columns", [])
        citycode_col = (form.get("citycode") or [""])[0]
        postcode_col = (form.get("postcode") or [""])[0]
        for name in columns + [citycode_col, postcode_col]:
            if name and name not in header:
                raise geocoder_error(400, f"Unknown column {name}")
        wanted = form.get("result_columns") or list(BATCH_RESULT_COLUMNS)
        self.calls.append(
            {
                "columns": columns,
                "citycode": citycode_col or None,
                "postcode": postcode_col or None,
                "rows": len(rows),
                "result_columns": wanted,
            }
        )
        added = [c for c in wanted if c not in header]
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header + added)
        for row in rows:
            cells = dict(zip(header, row + [""] * (len(header) - len(row))))
            values = self._answer(cells, columns, citycode_col, postcode_col)
            writer.writerow([cells[h] for h in header] + [values.get(c, "") for c in added])
        return text_answer(out.getvalue(), content_type="text/csv; charset=utf-8")

    def _answer(self, cells, columns, citycode_col, postcode_col) -> Dict[str, str]:
        names = columns or list(cells)
        query = " ".join(cells[c].strip() for c in names if cells[c].strip())
        if not query:
            return {"result_status": "skipped"}
        city = cells[citycode_col].strip() if citycode_col else ""
        post = cells[postcode_col].strip() if postcode_col else ""
        found = self.index.find(query, city, post, 2)
        if not found:
            return {"result_status": "not-found"}
        score, e = found[0]
        return {
            "latitude": f"{e['lat']:.6f}",
            "longitude": f"{e['lon']:.6f}",
            "result_label": e["label"],
            "result_score": f"{score:.4f}",
            "result_score_next": f"{found[1][0]:.4f}" if len(found) > 1 else "",
            "result_type": e.get("type", "housenumber"),
            "result_id": e.get("id", ""),
            "result_housenumber": e.get("housenumber", ""),
            "result_name": e.get("name", ""),
            "result_street": e.get("street", ""),
            "result_postcode": e.get("postcode", ""),
            "result_city": e.get("city", ""),
            "result_context": e.get("context", ""),
            "result_citycode": e.get("citycode", ""),
            "result_status": "ok",
        }


def _upload(request) -> Tuple[str, Dict[str, List[str]]]:
    files = request.files()
    if "data" not in files:
        raise geocoder_error(400, "A CSV file must be provided in data field")
    try:
        text = files["data"].decode("utf-8-sig")
    except UnicodeDecodeError:
        raise geocoder_error(400, "The file must be UTF-8 encoded") from None
    return text, request.form()
