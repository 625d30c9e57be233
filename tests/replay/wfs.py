"""A GeoServer-like WFS 2.0 ``GetFeature`` (the Géoplateforme's), and its OWS errors.

GeoJSON output with ``numberMatched``/``numberReturned``/``totalFeatures``/``crs``;
``TYPENAMES``, ``CQL_FILTER`` (the subset the plugin sends: ``f IN (…)``, ``f = '…'``,
``f LIKE '…'`` joined by AND), ``COUNT`` (capped by the server's maximum) / ``STARTINDEX`` /
``SORTBY``, ``SRSNAME``. An unknown property, type or CRS is refused with a 400 OWS
ExceptionReport, as GeoServer does. Standard library only.

Layers: {type name: [feature rows]}, a row being ``{"props": {...}, "geometry": {epsg: g}}``
where ``g`` is a GeoJSON dict or an OGR geometry (rounded on output).
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from typing import Dict, List

from tests.replay.answers import Answer, ReplayError

WFS_MAX_COUNT = 5000


def ows_exception(code: str, locator: str, text: str) -> ReplayError:
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ows:ExceptionReport xmlns:ows="http://www.opengis.net/ows/1.1" version="2.0.0">\n'
        f'  <ows:Exception exceptionCode="{code}" locator="{locator}">\n'
        f"    <ows:ExceptionText>{text}</ows:ExceptionText>\n"
        "  </ows:Exception>\n</ows:ExceptionReport>\n"
    )
    return ReplayError(Answer(400, xml.encode("utf-8"), "application/xml"))


def _round_coords(obj, ndigits):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), ndigits) for v in obj]
        return [_round_coords(v, ndigits) for v in obj]
    return obj


def geometry_json(geom, ndigits: int) -> dict:
    """GeoJSON of an OGR geometry, coordinates rounded; a GeoJSON dict is returned as is."""
    if isinstance(geom, dict):
        return geom
    data = json.loads(geom.ExportToJson())
    data["coordinates"] = _round_coords(data["coordinates"], ndigits)
    return data


class WfsGetFeature:
    """``calls`` holds the query parameters of every request, as sent."""

    def __init__(self, layers: Dict[str, List[dict]], max_count: int = WFS_MAX_COUNT):
        self.layers = layers
        self.max_count = max_count
        self.calls = []

    def __call__(self, request) -> Answer:
        self.calls.append(request.args)
        params = {k.upper(): v for k, v in request.args.items()}
        body = self.get_feature(params)
        return Answer(200, body, "application/json;charset=UTF-8")

    def get_feature(self, params: Dict[str, str]) -> bytes:
        req = params.get("REQUEST", "")
        if params.get("SERVICE", "WFS").upper() != "WFS" or req.lower() != "getfeature":
            raise ows_exception(
                "OperationNotSupported", "request", f"Replay server: only GetFeature ({req})"
            )
        typename = params.get("TYPENAMES") or params.get("TYPENAME") or ""
        layer = self.layers.get(typename)
        if layer is None and len(self.layers) == 1 and not typename:
            layer = next(iter(self.layers.values()))
        if layer is None:
            raise ows_exception(
                "InvalidParameterValue", "typeName", f"Feature type {typename} unknown"
            )
        _check_format(params)
        epsg = _epsg(params)
        names = set(layer[0]["props"]) if layer else set()
        test = parse_cql(params.get("CQL_FILTER", ""), names)
        rows = [f for f in layer if test(f["props"])]
        sort = (params.get("SORTBY") or "cleabs").split()
        if sort[0] not in names:
            raise ows_exception("InvalidParameterValue", "sortBy", f"Unknown {sort[0]}")
        rows.sort(
            key=lambda f: str(f["props"].get(sort[0]) or ""),
            reverse=len(sort) > 1 and sort[1].upper() in ("DESC", "D"),
        )
        try:
            count = min(int(params.get("COUNT") or self.max_count), self.max_count)
            start = int(params.get("STARTINDEX") or 0)
        except ValueError:
            raise ows_exception("InvalidParameterValue", "count", "COUNT/STARTINDEX") from None
        page = rows[start : start + count]
        local = typename.split(":")[-1] or "feature"
        ndigits = 2 if epsg == "2154" else 7
        features = [
            {
                "type": "Feature",
                "id": f"{local}.{f['props'].get('cleabs', start + n)}",
                "geometry": _geometry(f, epsg, ndigits),
                "geometry_name": "geometrie",
                "properties": f["props"],
            }
            for n, f in enumerate(page)
        ]
        body = {
            "type": "FeatureCollection",
            "features": features,
            "totalFeatures": len(rows),
            "numberMatched": len(rows),
            "numberReturned": len(features),
            "timeStamp": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3]
            + "Z",
            "crs": {"type": "name", "properties": {"name": f"urn:ogc:def:crs:EPSG::{epsg}"}},
        }
        return json.dumps(body, ensure_ascii=False).encode("utf-8")


def _check_format(params):
    fmt = params.get("OUTPUTFORMAT", "application/json").lower()
    if fmt not in ("application/json", "json", "application/geo+json"):
        raise ows_exception(
            "InvalidParameterValue", "outputFormat", f"Replay server: JSON only ({fmt})"
        )
    if params.get("BBOX"):
        raise ows_exception("InvalidParameterValue", "bbox", "Replay server: no BBOX")


def _epsg(params) -> str:
    srs = params.get("SRSNAME", "EPSG:4326").upper()
    epsg = srs.replace("URN:OGC:DEF:CRS:EPSG::", "EPSG:").replace("EPSG:", "")
    if epsg not in ("4326", "2154"):
        raise ows_exception("InvalidParameterValue", "srsName", f"Unsupported CRS {srs}")
    return epsg


def _geometry(row, epsg, ndigits):
    geometry = row["geometry"].get(epsg)
    if geometry is None:
        raise ows_exception("InvalidParameterValue", "srsName", f"No geometry in EPSG:{epsg}")
    return geometry_json(geometry, ndigits)


def _clauses(text: str):
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
            values = re.findall(r"'((?:[^']|'')*)'", match.group(2))
            yield match.group(1), "IN", {v.replace("''", "'") for v in values}
            continue
        match = re.match(r"^(\w+)\s*(=|LIKE)\s*'((?:[^']|'')*)'$", clause, re.I)
        if not match:
            raise ows_exception("InvalidParameterValue", "cql_filter", f"Cannot parse {clause}")
        yield match.group(1), match.group(2).upper(), {match.group(3).replace("''", "'")}


def parse_cql(text: str, names: set):
    """A predicate on a row's properties for the CQL subset the plugin sends. Property names
    compare without case (old schemas are upper case); an unknown one is refused like
    GeoServer (400)."""
    text = (text or "").strip()
    if not text:
        return lambda props: True
    by_lower = {n.lower(): n for n in names}
    tests = []
    for field, op, values in _clauses(text):
        if field.lower() not in by_lower:
            raise ows_exception(
                "InvalidParameterValue", "cql_filter", f"Illegal property name: {field}"
            )
        field = by_lower[field.lower()]
        if op == "LIKE":
            pattern = re.compile(
                "^" + re.escape(next(iter(values))).replace("%", ".*").replace("_", ".") + "$"
            )
            tests.append(lambda p, f=field, r=pattern: bool(r.match(str(p.get(f) or ""))))
        else:
            tests.append(lambda p, f=field, v=values: str(p.get(f) or "") in v)
    return lambda props: all(t(props) for t in tests)
