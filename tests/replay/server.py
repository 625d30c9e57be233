#!/usr/bin/python3
"""Loopback replay server: the official services of the catalogue, in their real formats,
for tests and for ``make demo-replay`` (no internet).

    /usr/bin/python3 tests/replay/server.py --port 0 --catalog-out build/replay/catalog.json

prints ``URL <base>`` and ``CATALOG <path>`` and serves until killed (127.0.0.1 only). Point
the plugin at it with ``CGET_CATALOG=<path>``. Every replayed host is a path prefix of the
server: ``https://<host>/<path>`` becomes ``<base>/<host>/<path>``. See README.md here.

In a test::

    server = start_server(catalog_out=tmp / "catalog.json", wfs_page_size=10)
    ...
    server.stop()
"""

from __future__ import annotations

import argparse
import csv
import datetime as _dt
import email.parser
import email.policy
import io
import json
import math
import os
import sys
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, List, Optional, Tuple
from urllib.parse import parse_qsl, unquote, urlsplit

if __package__ in (None, ""):  # run as a script: make ``tests.replay`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.replay import fixtures  # noqa: E402

REPO = fixtures.REPO
OFFICIAL_CATALOG = REPO / "resources" / "catalog" / "catalog.json"
QPV_DATASET_ID = "5a561801c751df42d7fca9b6"
QPV_DATASET_SLUG = "quartiers-prioritaires-de-la-politique-de-la-ville-qpv"
QPV_STATIC = (
    "/static.data.gouv.fr/resources/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/"
    "20250206-161839/qp2024-france-hexagonale-outre-mer-wgs84-epsg4326.geojson"
)
QPV_ZIP = (
    "/static.data.gouv.fr/resources/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/"
    "20250206-161839/qp2024.zip"
)
QPV_STABLE_ZIP = "/www.data.gouv.fr/fr/datasets/r/942d4ee8-8142-4556-8ea1-335537ce1119"
FS_DATASET_ID = "5f2bd6ef3ef6ae2d1b1b8a4f"  # replay id; the catalogue asks by slug
FS_DATASET_SLUG = "liste-des-structures-france-services"
FS_STATIC = (
    "/static.data.gouv.fr/resources/liste-des-structures-france-services/"
    "20240801-000000/liste-fs-20240801.csv"
)
FS_STABLE = "/www.data.gouv.fr/fr/datasets/r/31576dff-fd61-4de9-819f-32c2f880b142"
#: FRR, as the catalogue fetches it (compared percent-decoded: clients differ on quoting).
FRR_XLSX = (
    "/www.collectivites-locales.gouv.fr/files/files/3. Animer les territoires/5. La cohésion "
    "territoriale et l'aménagement du territoire/Liste communes FRR_juillet2025.xlsx"
)
FRR_OBSERVATOIRE = (
    "/www.observatoire-des-territoires.gouv.fr/outils/cartographie-interactive/api/v1/"
    "functions/GC_API_download.php"
)
WFS_PATH = "/data.geopf.fr/wfs/ows"
ISOCHRONE_PATH = "/data.geopf.fr/navigation/isochrone"
GEOCODER_PATH = "/data.geopf.fr/geocodage"
WFS_MAX_COUNT = 5000
#: IGN navigation: 5 requests/s per IP, then HTTP 429 with Retry-After.
ISOCHRONE_RATE = 5
#: Mean speeds of the isochrone approximation (km/h): dense-suburb car traffic, walking.
SPEED_KMH = {"car": 25.0, "pedestrian": 4.0}
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


class ReplayError(Exception):
    def __init__(self, status: int, body: bytes, content_type: str, headers=None):
        super().__init__(status)
        self.status = status
        self.body = body
        self.content_type = content_type
        self.headers = headers or {}


def _json_error(status: int, message: str, headers=None) -> ReplayError:
    body = json.dumps({"error": {"message": message}}, ensure_ascii=False).encode("utf-8")
    return ReplayError(status, body, "application/json; charset=utf-8", headers)


def _ows_exception(code: str, locator: str, text: str) -> ReplayError:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">\n'
        f'  <ows:Exception exceptionCode="{code}" locator="{locator}">\n'
        f"    <ows:ExceptionText>{text}</ows:ExceptionText>\n"
        "  </ows:Exception>\n</ows:ExceptionReport>\n"
    )
    return ReplayError(400, xml.encode("utf-8"), "application/xml")


# -- the service logic (no HTTP here) ------------------------------------------------------------


class ReplayServices:
    def __init__(self, data: fixtures.ReplayData, base_url: str = ""):
        self.data = data
        self.base_url = base_url
        self._iso_hits: Dict[str, deque] = {}
        self._iso_lock = threading.Lock()
        self.counts: Dict[str, int] = {}

    # data.gouv.fr dataset API ----------------------------------------------------------------
    def dataset(self, key: str) -> dict:
        base = self.base_url
        if key in (QPV_DATASET_ID, QPV_DATASET_SLUG):
            return {
                "id": QPV_DATASET_ID,
                "slug": QPV_DATASET_SLUG,
                "title": f"{fixtures.REPLAY_LABEL} – Quartiers prioritaires de la politique de "
                "la ville (QPV)",
                "description": (
                    f"{fixtures.REPLAY_LABEL}. Serveur de rejeu local du plugin CGET : codes, "
                    "noms et communes des QPV 2024 réels (ANCT), contours SYNTHÉTIQUES générés "
                    "pour les tests (polygones de 20 à 60 ha placés dans leurs communes). Ne pas "
                    "utiliser comme donnée officielle."
                ),
                "license": "fr-lo",
                "organization": {"name": "Agence Nationale de la Cohésion des Territoires"},
                "page": f"{base}/www.data.gouv.fr/fr/datasets/{QPV_DATASET_SLUG}/",
                "last_modified": fixtures.QPV_LAST_MODIFIED,
                "resources": [
                    _resource(
                        "b6ba3e63-9d3f-4b58-9b2a-4f1c0e1d1a01",
                        f"{fixtures.REPLAY_LABEL} – QP2024 France hexagonale et outre-mer WGS84 "
                        "(GeoJSON)",
                        "geojson",
                        base + QPV_STATIC,
                        fixtures.QPV_LAST_MODIFIED,
                        len(self.data.qpv_geojson),
                        "application/geo+json",
                    ),
                    _resource(
                        "942d4ee8-8142-4556-8ea1-335537ce1119",
                        f"{fixtures.REPLAY_LABEL} – QP2024 tous formats (ZIP)",
                        "zip",
                        base + QPV_ZIP,
                        fixtures.QPV_LAST_MODIFIED,
                        len(self.data.qpv_zip),
                        "application/zip",
                    ),
                ],
            }
        if key in (FS_DATASET_ID, FS_DATASET_SLUG):
            return {
                "id": FS_DATASET_ID,
                "slug": FS_DATASET_SLUG,
                "title": "REPLAY – Liste des structures France Services (instantané réel du "
                "1er août 2024)",
                "description": (
                    "Serveur de rejeu local du plugin CGET : liste réelle des structures France "
                    "Services au 1er août 2024 (ANCT, instantané anct-carto/france_services), "
                    "servie en boucle locale pour les tests."
                ),
                "license": "fr-lo",
                "organization": {"name": "Agence Nationale de la Cohésion des Territoires"},
                "page": f"{base}/www.data.gouv.fr/fr/datasets/{FS_DATASET_SLUG}/",
                "last_modified": fixtures.FS_LAST_MODIFIED,
                "resources": [
                    _resource(
                        "31576dff-fd61-4de9-819f-32c2f880b142",
                        "liste-fs-20240801.csv (REPLAY, instantané réel)",
                        "csv",
                        base + FS_STATIC,
                        fixtures.FS_LAST_MODIFIED,
                        len(self.data.fs_csv),
                        "text/csv",
                    )
                ],
            }
        raise _json_error(404, "Not found")

    # WFS GetFeature ----------------------------------------------------------------------------
    def wfs(self, params: Dict[str, str]) -> bytes:
        request = params.get("REQUEST", "")
        if params.get("SERVICE", "WFS").upper() != "WFS" or request.lower() != "getfeature":
            raise _ows_exception(
                "OperationNotSupported", "request", f"Replay server: only GetFeature ({request})"
            )
        typename = params.get("TYPENAMES") or params.get("TYPENAME") or ""
        layer = self.data.wfs_layers.get(typename)
        if layer is None:
            raise _ows_exception(
                "InvalidParameterValue", "typeName", f"Feature type {typename} unknown"
            )
        fmt = params.get("OUTPUTFORMAT", "application/json").lower()
        if fmt not in ("application/json", "json", "application/geo+json"):
            raise _ows_exception(
                "InvalidParameterValue", "outputFormat", f"Replay server: JSON only ({fmt})"
            )
        if params.get("BBOX"):
            raise _ows_exception("InvalidParameterValue", "bbox", "Replay server: no BBOX")
        srs = params.get("SRSNAME", "EPSG:4326").upper()
        epsg = srs.replace("URN:OGC:DEF:CRS:EPSG::", "EPSG:").replace("EPSG:", "")
        if epsg not in ("4326", "2154"):
            raise _ows_exception("InvalidParameterValue", "srsName", f"Unsupported CRS {srs}")
        names = set(layer[0]["props"]) if layer else set()
        test = _parse_cql(params.get("CQL_FILTER", ""), names)
        rows = [f for f in layer if test(f["props"])]
        sort = (params.get("SORTBY") or "cleabs").split()
        if sort[0] not in names:
            raise _ows_exception("InvalidParameterValue", "sortBy", f"Unknown {sort[0]}")
        rows.sort(
            key=lambda f: str(f["props"].get(sort[0]) or ""),
            reverse=len(sort) > 1 and sort[1].upper() in ("DESC", "D"),
        )
        try:
            count = min(int(params.get("COUNT") or WFS_MAX_COUNT), WFS_MAX_COUNT)
            start = int(params.get("STARTINDEX") or 0)
        except ValueError:
            raise _ows_exception("InvalidParameterValue", "count", "COUNT/STARTINDEX") from None
        page = rows[start : start + count]
        key = "geom2154" if epsg == "2154" else "geom4326"
        ndigits = 2 if epsg == "2154" else 7
        local = typename.split(":")[-1]
        features = [
            {
                "type": "Feature",
                "id": f"{local}.{f['props']['cleabs']}",
                "geometry": fixtures.geometry_json(f[key], ndigits),
                "geometry_name": "geometrie",
                "properties": f["props"],
            }
            for f in page
        ]
        body = {
            "type": "FeatureCollection",
            "features": features,
            "totalFeatures": len(rows),
            "numberMatched": len(rows),
            "numberReturned": len(features),
            "timeStamp": _dt.datetime.utcnow().strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}},
        }
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    # IGN navigation/isochrone --------------------------------------------------------------------
    def rate_limited(self, client: str) -> bool:
        now = time.monotonic()
        with self._iso_lock:
            hits = self._iso_hits.setdefault(client, deque())
            while hits and hits[0] <= now - 1.0:
                hits.popleft()
            if len(hits) >= ISOCHRONE_RATE:
                return True
            hits.append(now)
            return False

    def isochrone(self, params: Dict[str, str]) -> bytes:
        required = ("point", "resource", "costValue", "costType")
        for name in required:
            if not params.get(name):
                raise _json_error(400, f"Parameter [{name}] is required")
        try:
            lon, lat = (float(v) for v in params["point"].split(","))
        except ValueError:
            raise _json_error(400, "Parameter [point] is invalid: lon,lat expected") from None
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise _json_error(400, "Parameter [point] is invalid: out of bounds")
        resource = params["resource"]
        if resource not in ("bdtopo-valhalla", "bdtopo-pgr"):
            raise _json_error(
                400,
                "Parameter [resource] is invalid: value should be one of "
                "bdtopo-valhalla,bdtopo-pgr",
            )
        profile = params.get("profile", "car")
        if profile not in SPEED_KMH:
            raise _json_error(
                400, "Parameter [profile] is invalid: value should be one of car,pedestrian"
            )
        direction = params.get("direction", "departure")
        if direction not in ("departure", "arrival"):
            raise _json_error(
                400, "Parameter [direction] is invalid: value should be one of departure,arrival"
            )
        cost_type = params["costType"]
        if cost_type not in ("time", "distance"):
            raise _json_error(
                400, "Parameter [costType] is invalid: value should be one of time,distance"
            )
        try:
            value = float(params["costValue"])
        except ValueError:
            raise _json_error(400, "Parameter [costValue] is invalid") from None
        if value <= 0:
            raise _json_error(400, "Parameter [costValue] is invalid: must be positive")
        time_unit = params.get("timeUnit", "second")
        distance_unit = params.get("distanceUnit", "meter")
        if cost_type == "time":
            factor = {"hour": 3600.0, "minute": 60.0, "second": 1.0}.get(time_unit)
            if factor is None:
                raise _json_error(400, "Parameter [timeUnit] is invalid")
            metres = SPEED_KMH[profile] / 3.6 * value * factor
        else:
            factor = {"meter": 1.0, "kilometer": 1000.0}.get(distance_unit)
            if factor is None:
                raise _json_error(400, "Parameter [distanceUnit] is invalid")
            metres = value * factor
        crs = params.get("crs", "EPSG:4326")
        if crs != "EPSG:4326":
            raise _json_error(400, "Replay server: crs EPSG:4326 only")
        if params.get("geometryFormat", "geojson") != "geojson":
            raise _json_error(400, "Replay server: geometryFormat geojson only")
        geometry = approximate_isochrone(lon, lat, metres)
        body = {
            "point": params["point"],
            "resource": resource,
            "resourceVersion": f"replay-{self.data.today}",
            "costType": cost_type,
            "costValue": params["costValue"],
            "profile": profile,
            "direction": direction,
            "timeUnit": time_unit,
            "distanceUnit": distance_unit,
            "crs": crs,
            "constraints": [],
            "geometry": geometry,
            "replay": (
                "APPROXIMATION du serveur de rejeu : étoile irrégulière de rayon moyen "
                f"{metres:.0f} m (vitesse moyenne {SPEED_KMH[profile]:.0f} km/h), pas un calcul "
                "d'itinéraire."
            ),
        }
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    # geocoder ------------------------------------------------------------------------------------
    def geocode(self, query: str, citycode: str = "", postcode: str = "", limit: int = 10):
        """[(score, entry)] best first."""
        words = set(fixtures.tokens(query))
        if not words:
            return []
        scored = []
        for entry in self.data.addresses:
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

    def search(self, params: Dict[str, str]) -> bytes:
        query = (params.get("q") or "").strip()
        if len(query) < 3:
            raise _json_error(
                400, "q: must contain between 3 and 200 chars and start with a number or a letter"
            )
        try:
            limit = max(1, min(50, int(params.get("limit") or 10)))
        except ValueError:
            raise _json_error(400, "limit: must be an integer") from None
        results = self.geocode(query, params.get("citycode", ""), params.get("postcode", ""), limit)
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [e["lon"], e["lat"]]},
                "properties": _geocode_properties(score, e),
            }
            for score, e in results
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
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    def search_csv(self, content_type: str, body: bytes) -> bytes:
        fields, files = _parse_multipart(content_type, body)
        if "data" not in files:
            raise _json_error(400, "A CSV file must be provided in data field")
        raw = files["data"]
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _json_error(400, "The file must be UTF-8 encoded") from None
        first = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t", "|"), key=first.count)
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        if not rows:
            raise _json_error(400, "The CSV file is empty")
        header, rows = rows[0], [r for r in rows[1:] if r]
        columns = fields.get("columns", [])
        for name in columns + fields.get("citycode", []) + fields.get("postcode", []):
            if name not in header:
                raise _json_error(400, f"column {name} not found in the CSV header")
        wanted = fields.get("result_columns") or list(BATCH_RESULT_COLUMNS)
        idx = {name: header.index(name) for name in header}
        out = io.StringIO()
        writer = csv.writer(out, delimiter=delimiter, lineterminator="\n")
        writer.writerow(header + wanted)
        for row in rows:
            row = row + [""] * (len(header) - len(row))
            if columns:
                query = " ".join(row[idx[c]].strip() for c in columns if row[idx[c]].strip())
            else:
                query = " ".join(v.strip() for v in row if v.strip())
            city = row[idx[fields["citycode"][0]]].strip() if fields.get("citycode") else ""
            post = row[idx[fields["postcode"][0]]].strip() if fields.get("postcode") else ""
            values = {name: "" for name in BATCH_RESULT_COLUMNS}
            if not query.strip():
                values["result_status"] = "skipped"
            else:
                found = self.geocode(query, city, post, 2)
                if not found:
                    values["result_status"] = "not-found"
                else:
                    score, e = found[0]
                    values.update(
                        {
                            "latitude": str(e["lat"]),
                            "longitude": str(e["lon"]),
                            "result_label": e["label"],
                            "result_score": str(score),
                            "result_score_next": str(found[1][0]) if len(found) > 1 else "",
                            "result_type": e["type"],
                            "result_id": e["id"],
                            "result_housenumber": e["housenumber"],
                            "result_name": e["name"],
                            "result_street": e["street"],
                            "result_postcode": e["postcode"],
                            "result_city": e["city"],
                            "result_context": "93, Seine-Saint-Denis, Île-de-France",
                            "result_citycode": e["citycode"],
                            "result_status": "ok",
                        }
                    )
            writer.writerow(row[: len(header)] + [values.get(name, "") for name in wanted])
        return out.getvalue().encode("utf-8")


def _resource(rid, title, fmt, url, last_modified, size, mime) -> dict:
    return {
        "id": rid,
        "title": title,
        "description": fixtures.REPLAY_LABEL if "REPLAY" in title else "",
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


def _geocode_properties(score: float, e: dict) -> dict:
    props = {
        "label": e["label"],
        "score": score,
        "id": e["id"],
        "banId": e["banId"],
        "name": e["name"],
        "postcode": e["postcode"],
        "citycode": e["citycode"],
        "x": e["x"],
        "y": e["y"],
        "city": e["city"],
        "context": "93, Seine-Saint-Denis, Île-de-France",
        "type": e["type"],
        "importance": 0.6,
        "street": e["street"],
        "_type": "address",
    }
    if e["housenumber"]:
        props["housenumber"] = e["housenumber"]
    return props


def _parse_cql(text: str, names: set):
    """A predicate for the CQL subset the plugin sends: ``f IN ('a','b')``, ``f = 'a'``,
    ``f LIKE 'a%'``, joined by AND. Unknown properties are refused like GeoServer (400)."""
    import re

    text = (text or "").strip()
    if not text:
        return lambda props: True
    tests = []
    for clause in re.split(r"\s+AND\s+", text, flags=re.I):
        clause = clause.strip()
        while (
            clause.startswith("(")
            and clause.endswith(")")
            and not re.search(r"\bIN\s*\(", clause[1:], re.I)
        ):
            clause = clause[1:-1].strip()
        match = re.match(r"^(\w+)\s+IN\s*\((.*)\)$", clause, re.I | re.S)
        if match:
            field, values = match.group(1), re.findall(r"'((?:[^']|'')*)'", match.group(2))
            values = {v.replace("''", "'") for v in values}
            op = "in"
        else:
            match = re.match(r"^(\w+)\s*(=|LIKE)\s*'((?:[^']|'')*)'$", clause, re.I)
            if not match:
                raise _ows_exception(
                    "InvalidParameterValue", "cql_filter", f"Cannot parse {clause}"
                )
            field, op, value = match.group(1), match.group(2).upper(), match.group(3)
            values = {value.replace("''", "'")}
        if field not in names:
            raise _ows_exception(
                "InvalidParameterValue", "cql_filter", f"Illegal property name: {field}"
            )
        if op == "LIKE":
            pattern = re.compile(
                "^" + re.escape(next(iter(values))).replace("%", ".*").replace("_", ".") + "$"
            )
            tests.append(lambda p, f=field, r=pattern: bool(r.match(str(p.get(f) or ""))))
        else:
            tests.append(lambda p, f=field, v=values: str(p.get(f) or "") in v)
    return lambda props: all(t(props) for t in tests)


def _parse_multipart(
    content_type: str, body: bytes
) -> Tuple[Dict[str, List[str]], Dict[str, bytes]]:
    if "multipart/form-data" not in (content_type or ""):
        raise _json_error(400, "multipart/form-data expected")
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\nMIME-Version: 1.0\r\n\r\n" + body
    )
    fields: Dict[str, List[str]] = {}
    files: Dict[str, bytes] = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True) or b""
        if part.get_param("filename", header="content-disposition") is not None:
            files[name] = payload
        else:
            fields.setdefault(name, []).append(payload.decode("utf-8"))
    return fields, files


def approximate_isochrone(lon: float, lat: float, metres: float) -> dict:
    """An irregular star of mean radius ``metres`` around the point (a replay approximation,
    deterministic per point), as a GeoJSON Polygon in lon/lat."""
    seed = fixtures._stable_int(f"{lon:.6f},{lat:.6f}", 9)
    phases = [(seed >> (i * 7)) % 628 / 100.0 for i in range(3)]
    n = 36
    coords = []
    for i in range(n):
        a = 2 * math.pi * i / n
        r = metres * (
            0.82
            + 0.10 * math.sin(3 * a + phases[0])
            + 0.06 * math.sin(5 * a + phases[1])
            + 0.04 * math.sin(7 * a + phases[2])
        )
        dx, dy = r * math.cos(a), r * math.sin(a)
        coords.append(
            [
                round(lon + dx / (111320.0 * math.cos(math.radians(lat))), 6),
                round(lat + dy / 110574.0, 6),
            ]
        )
    coords.append(coords[0])
    return {"type": "Polygon", "coordinates": [coords]}


# -- HTTP ------------------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    server_version = "CGET-replay/1.0"
    protocol_version = "HTTP/1.1"

    @property
    def services(self) -> ReplayServices:
        return self.server.services  # type: ignore[attr-defined]

    def log_message(self, fmt, *args):  # noqa: D401 - quiet unless asked
        if getattr(self.server, "verbose", False):
            sys.stderr.write("replay: " + (fmt % args) + "\n")

    def _send(self, status, body: bytes, content_type: str, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self._dispatch(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._dispatch(self.rfile.read(length) if length else b"")

    def _dispatch(self, body: bytes):
        parts = urlsplit(self.path)
        path = parts.path
        params = dict(parse_qsl(parts.query, keep_blank_values=True))
        svc = self.services
        svc.counts[path] = svc.counts.get(path, 0) + 1
        try:
            self._route(path, params, body)
        except ReplayError as exc:
            self._send(exc.status, exc.body, exc.content_type, exc.headers)
        except Exception as exc:  # noqa: BLE001 - a replay bug must answer, not hang
            self._send(500, f"replay server error: {exc}".encode(), "text/plain")

    def _route(self, path, params, body):
        svc = self.services
        data = svc.data
        prefix = "/www.data.gouv.fr/api/1/datasets/"
        if path.startswith(prefix):
            key = path[len(prefix) :].strip("/")
            payload = json.dumps(svc.dataset(key), ensure_ascii=False).encode("utf-8")
            return self._send(200, payload, "application/json")
        if path == QPV_STATIC:
            return self._send(
                200,
                data.qpv_geojson,
                "application/geo+json",
                _file_headers(fixtures.QPV_LAST_MODIFIED),
            )
        if path == QPV_ZIP:
            return self._send(
                200, data.qpv_zip, "application/zip", _file_headers(fixtures.QPV_LAST_MODIFIED)
            )
        if path == QPV_STABLE_ZIP:
            return self._send(302, b"", "text/plain", {"Location": svc.base_url + QPV_ZIP})
        if path == FS_STATIC:
            return self._send(
                200,
                data.fs_csv,
                "text/csv; charset=utf-8",
                _file_headers(fixtures.FS_LAST_MODIFIED),
            )
        if path == FS_STABLE:
            return self._send(302, b"", "text/plain", {"Location": svc.base_url + FS_STATIC})
        plain = unquote(path)
        if plain == FRR_XLSX:
            return self._send(
                200,
                data.frr_xlsx,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                _file_headers(fixtures.FRR_LAST_MODIFIED),
            )
        if plain == FRR_OBSERVATOIRE:
            wanted = (params.get("dataset"), params.get("indic"), params.get("format"))
            if wanted != ("frr", "codefrr", "csv"):
                raise ReplayError(
                    404,
                    f"Not replayed by the CGET replay server: {path} {wanted}\n".encode(),
                    "text/plain; charset=utf-8",
                )
            return self._send(200, data.frr_csv, "text/csv; charset=utf-8")
        if path == WFS_PATH:
            upper = {k.upper(): v for k, v in params.items()}
            return self._send(200, svc.wfs(upper), "application/json;charset=UTF-8")
        if path == ISOCHRONE_PATH:
            if svc.rate_limited(self.client_address[0]):
                raise _json_error(
                    429, "Too Many Requests: 5 requests per second allowed", {"Retry-After": "1"}
                )
            return self._send(
                200,
                svc.isochrone(params),
                "application/json",
                {"Cache-Control": "private, max-age=1814400"},
            )
        if path == GEOCODER_PATH + "/search":
            return self._send(200, svc.search(params), "application/json; charset=utf-8")
        if path == GEOCODER_PATH + "/search/csv":
            if self.command != "POST":
                raise _json_error(405, "POST a multipart/form-data body")
            out = svc.search_csv(self.headers.get("Content-Type", ""), body)
            return self._send(200, out, "text/csv; charset=utf-8")
        raise ReplayError(
            404,
            f"Not replayed by the CGET replay server: {path}\n".encode(),
            "text/plain; charset=utf-8",
        )


def _file_headers(last_modified_iso: str) -> dict:
    stamp = _dt.datetime.fromisoformat(last_modified_iso.replace("Z", "+00:00"))
    import email.utils

    return {"Last-Modified": email.utils.format_datetime(stamp, usegmt=True)}


class ReplayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port: int, data: fixtures.ReplayData, verbose: bool = False):
        super().__init__(("127.0.0.1", port), Handler)
        self.verbose = verbose
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.services = ReplayServices(data, self.url)
        self.catalog_path: Optional[Path] = None
        self._thread: Optional[threading.Thread] = None

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


# -- the alternate catalogue ---------------------------------------------------------------------


def rewrite_url(url: str, base: str) -> str:
    """``https://<host>/<path>?<query>`` -> ``<base>/<host>/<path>?<query>``, whatever the
    host: nothing the plugin fetches through the replay catalogue can reach the internet (a
    source the server does not replay answers 404). Non-http values are left as they are."""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        rest = parts.path + (f"?{parts.query}" if parts.query else "")
        return f"{base}/{parts.netloc.lower()}{rest}"
    return url


def replay_catalog(base: str, wfs_page_size: int = 0, official: Path = OFFICIAL_CATALOG) -> dict:
    """The official catalogue with every fetched URL sent to the replay server at ``base``
    (dataset API, pinned URLs, WFS) and a ``services`` block for the IGN isochrone and the
    geocoder. Human links (``page``, ``link_template``) are left as they are."""
    data = json.loads(Path(official).read_text(encoding="utf-8-sig"))
    data["description"] = (
        f"REPLAY catalogue generated by tests/replay/server.py for {base}: every source points "
        "to the loopback replay server. " + data.get("description", "")
    )
    data["datagouv_api"] = rewrite_url(
        data.get("datagouv_api", "https://www.data.gouv.fr/api/1/datasets/"), base
    )
    wfs = dict(data.get("wfs") or {})
    wfs["url"] = rewrite_url(wfs.get("url", "https://data.geopf.fr/wfs/ows"), base)
    if wfs_page_size:
        wfs["page_size"] = int(wfs_page_size)
    data["wfs"] = wfs
    services = dict(data.get("services") or {})
    services["ign_isochrone"] = base + ISOCHRONE_PATH
    services["geocoder"] = base + GEOCODER_PATH
    data["services"] = services
    for entry in data.get("entries", []):
        source = entry.get("source") or {}
        if source.get("urls"):
            source["urls"] = [rewrite_url(u, base) for u in source["urls"]]
    return data


def write_catalog(path: Path, base: str, wfs_page_size: int = 0) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(
        json.dumps(replay_catalog(base, wfs_page_size), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    os.replace(tmp, path)
    return path


_DATA_MEMO: Dict[str, fixtures.ReplayData] = {}


def start_server(
    port: int = 0,
    catalog_out=None,
    wfs_page_size: int = 0,
    shared=None,
    verbose: bool = False,
) -> ReplayServer:
    """Start the server in a daemon thread (data built once per process and shared folder)."""
    key = str(shared or fixtures.shared_root())
    data = _DATA_MEMO.get(key)
    if data is None:
        data = _DATA_MEMO[key] = fixtures.ReplayData(shared, _dt.date.today().isoformat())
    server = ReplayServer(port, data, verbose).start()
    if catalog_out:
        server.catalog_path = write_catalog(catalog_out, server.url, wfs_page_size)
    return server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--catalog-out", type=Path, help="write the replay catalogue here")
    parser.add_argument(
        "--wfs-page-size",
        type=int,
        default=0,
        help="WFS page size written in the catalogue (default: the official one)",
    )
    parser.add_argument(
        "--shared-data", type=Path, help="default: CGET_SHARED_DATA or ../shared/data"
    )
    parser.add_argument("--url-file", type=Path, help="also write the base URL to this file")
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = parser.parse_args(argv)
    try:
        server = start_server(
            args.port, args.catalog_out, args.wfs_page_size, args.shared_data, args.verbose
        )
    except FileNotFoundError as exc:
        print(f"replay server: {exc}", file=sys.stderr)
        return 2
    print(f"URL {server.url}", flush=True)
    if server.catalog_path:
        print(f"CATALOG {server.catalog_path}", flush=True)
    if args.url_file:
        args.url_file.parent.mkdir(parents=True, exist_ok=True)
        args.url_file.write_text(server.url + "\n", encoding="utf-8")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
