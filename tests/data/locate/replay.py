"""Loopback replay of the Géoplateforme geocoder (``/geocodage/search`` and ``/search/csv``).

``/search`` answers are recorded GeoCodeJSON files of this folder. ``/search/csv`` is replayed
by :class:`BatchGeocoder`, which reads the multipart request as the service does (``data``
file, repeated ``columns``, ``citycode``/``postcode`` column names, ``result_columns``) and
answers the service's CSV: the input columns followed by the result columns, one row per input
row, ``result_status`` ``ok`` / ``not-found`` / ``skipped``. The positions of known addresses
are set by each test (they are test fixtures, not real geocoding results).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from werkzeug.wrappers import Response

from tests.replay.server import BATCH_RESULT_COLUMNS

HERE = Path(__file__).resolve().parent

# Result columns of the service, in its order (data-sources.md §6.1): one list for both replays.
ALL_RESULT_COLUMNS = list(BATCH_RESULT_COLUMNS)


def fixture_bytes(name: str) -> bytes:
    return (HERE / name).read_bytes()


def fixture_json(name: str) -> dict:
    return json.loads(fixture_bytes(name).decode("utf-8"))


def _key(text: str) -> str:
    return " ".join(text.lower().split())


class BatchGeocoder:
    """Handler for ``httpserver.expect_request("/geocodage/search/csv").respond_with_handler``.

    ``known``: {address text (as concatenated by the service): dict(label, score, lon, lat,
    citycode, type, postcode, city)}. With ``citycode`` filtering, an address only matches when
    the row's citycode equals the result's (as the real service filters).
    """

    def __init__(self, known: dict, truncate_after: int | None = None):
        self.known = {_key(k): v for k, v in known.items()}
        self.truncate_after = truncate_after
        self.calls = []  # one dict per request: columns, citycode, rows, result_columns

    def __call__(self, request):
        upload = request.files.get("data")
        if upload is None:
            return Response(
                '{"code":400,"message":"A CSV file must be provided in data field"}',
                status=400,
                content_type="application/json",
            )
        text = upload.read().decode("utf-8-sig")
        columns = request.form.getlist("columns")
        citycode_col = request.form.get("citycode")
        postcode_col = request.form.get("postcode")
        result_columns = request.form.getlist("result_columns") or ALL_RESULT_COLUMNS
        delimiter = max((",", ";", "\t", "|"), key=text.split("\n", 1)[0].count)
        reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
        header = list(reader.fieldnames or [])
        missing = [
            c for c in columns + [citycode_col or "", postcode_col or ""] if c and c not in header
        ]
        if missing:
            return Response(
                json.dumps({"code": 400, "message": f"Unknown column {missing[0]}"}),
                status=400,
                content_type="application/json",
            )
        rows = list(reader)
        self.calls.append(
            {
                "columns": columns,
                "citycode": citycode_col,
                "postcode": postcode_col,
                "rows": len(rows),
                "result_columns": result_columns,
            }
        )
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(header + [c for c in result_columns if c not in header])
        for row in rows:
            query = " ".join(row[c].strip() for c in columns if row.get(c, "").strip())
            result = self._answer(query, row.get(citycode_col) if citycode_col else None)
            writer.writerow(
                [row[h] for h in header]
                + [result.get(c, "") for c in result_columns if c not in header]
            )
        body = out.getvalue().encode("utf-8")
        if self.truncate_after is not None:
            body = body[: self.truncate_after]
        return Response(body, status=200, content_type="text/csv; charset=utf-8")

    def _answer(self, query: str, citycode) -> dict:
        if not query:
            return {"result_status": "skipped"}
        hit = self.known.get(_key(query))
        if hit is None or (citycode and hit.get("citycode") != citycode):
            return {"result_status": "not-found"}
        return {
            "latitude": f"{hit['lat']:.6f}",
            "longitude": f"{hit['lon']:.6f}",
            "result_label": hit["label"],
            "result_score": f"{hit.get('score', 0.95):.4f}",
            "result_score_next": "",
            "result_type": hit.get("type", "housenumber"),
            "result_id": hit.get("id", ""),
            "result_postcode": hit.get("postcode", ""),
            "result_city": hit.get("city", ""),
            "result_citycode": hit.get("citycode", ""),
            "result_status": "ok",
        }
