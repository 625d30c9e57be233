"""The Géoplateforme WFS of ``BDTOPO_V3:troncon_de_route``, replayed on a SYNTHETIC network.

The network is a jittered lattice of road sections (spacing ``spacing_m``) in Lambert-93,
defined everywhere: any ``BBOX`` gets the sections of the lattice it meets, with BD TOPO v3
attributes (``nature``, ``importance``, ``vitesse_moyenne_vl``, ``sens_de_circulation``,
``acces_vehicule_leger``, ``etat_de_l_objet``, names, dates) set by position, so that trunk
roads, one-way streets and tracks exist. Deterministic: same request, same bytes.

Like the real server it caps ``COUNT`` (``max_count``, 4,000 here: fewer than the plugin
asks), sorts on ``SORTBY``, honours ``PROPERTYNAME`` (the geometry only when named) and
answers ``numberMatched``. Faults for the tests: ``fail_pages`` ({STARTINDEX: number of 503
answers before a good one}) and ``short_by`` (``numberMatched`` announces that many sections
more than are served). Standard library only.
"""

from __future__ import annotations

import json
import math
import threading
from typing import Dict, List, Tuple

from tests.replay.answers import Answer, ReplayError, server_error
from tests.replay.wfs import ows_exception

TYPENAME = "BDTOPO_V3:troncon_de_route"
GEOMETRY_FIELD = "geometrie"
EDITION_DATE = "2026-03-15"
# (nature, importance, speed km/h) by lattice line: every 20th line a trunk road, every 5th a
# secondary road, else local roads; tracks on a few sections.
TRUNK, SECONDARY, LOCAL, TRACK = (
    ("Route à 2 chaussées", "2", 90),
    ("Route à 1 chaussée", "3", 70),
    ("Route à 1 chaussée", "5", 50),
    ("Chemin", "6", 15),
)


def _jitter(i: int, j: int, spacing: float) -> Tuple[float, float]:
    h = (i * 73856093) ^ (j * 19349663)
    return ((h % 1000) / 1000.0 - 0.5) * 0.3 * spacing, (
        ((h // 1000) % 1000) / 1000.0 - 0.5
    ) * 0.3 * spacing


class SyntheticNetwork:
    def __init__(self, spacing_m: float = 1000.0):
        self.spacing = float(spacing_m)
        self._memo: Dict[tuple, List[tuple]] = {}
        self._lock = threading.Lock()

    def node(self, i: int, j: int) -> Tuple[float, float]:
        dx, dy = _jitter(i, j, self.spacing)
        return i * self.spacing + dx, j * self.spacing + dy

    def sections(self, bbox: Tuple[float, float, float, float]) -> List[tuple]:
        """(cleabs, i, j, direction) of the sections meeting ``bbox``, sorted on cleabs."""
        key = tuple(round(v, 1) for v in bbox)
        with self._lock:
            if key in self._memo:
                return self._memo[key]
        xmin, ymin, xmax, ymax = bbox
        s = self.spacing
        out = []
        for i in range(math.floor(xmin / s) - 1, math.ceil(xmax / s) + 1):
            for j in range(math.floor(ymin / s) - 1, math.ceil(ymax / s) + 1):
                a = self.node(i, j)
                for d, (di, dj) in enumerate(((1, 0), (0, 1))):
                    b = self.node(i + di, j + dj)
                    if (
                        max(a[0], b[0]) >= xmin
                        and min(a[0], b[0]) <= xmax
                        and max(a[1], b[1]) >= ymin
                        and min(a[1], b[1]) <= ymax
                    ):
                        out.append((f"TRONROUT{i:07d}{j:07d}{d}", i, j, d))
        out.sort()
        with self._lock:
            if len(self._memo) > 4:
                self._memo.clear()
            self._memo[key] = out
        return out

    def properties(self, cleabs: str, i: int, j: int, d: int) -> dict:
        line = j if d == 0 else i  # the lattice line the section lies on
        if line % 20 == 0:
            nature, importance, speed = TRUNK
        elif line % 5 == 0:
            nature, importance, speed = SECONDARY
        elif (i * 7 + j * 13 + d) % 23 == 0:
            nature, importance, speed = TRACK
        else:
            nature, importance, speed = LOCAL
        oneway = importance == "5" and (i + j) % 17 == 0
        day = 1 + (i * 31 + j * 7) % 28
        return {
            "cleabs": cleabs,
            "nature": nature,
            "importance": importance,
            "nom_1_gauche": f"Route {line}" if importance != "6" else None,
            "nom_1_droite": f"Route {line}" if importance != "6" else None,
            "cpx_toponyme_route_nommee": None,
            "cpx_numero": f"D{line}" if importance in ("2", "3") else None,
            "cpx_classement_administratif": "Départementale" if importance in ("2", "3") else None,
            "vitesse_moyenne_vl": speed,
            "sens_de_circulation": "Sens direct" if oneway else "Double sens",
            "acces_vehicule_leger": "Libre",
            "etat_de_l_objet": "En service",
            "insee_commune_gauche": None,
            "date_modification": f"2025-{1 + (i + j) % 12:02d}-{day:02d}T10:00:00Z"
            if (i + j) % 3
            else None,
            "date_creation": "2006-06-14T00:00:00Z" if (i + j) % 3 else f"{EDITION_DATE}T08:00:00Z",
        }

    def geometry(self, i: int, j: int, d: int) -> dict:
        a = self.node(i, j)
        b = self.node(i + 1, j) if d == 0 else self.node(i, j + 1)
        mid = ((a[0] + b[0]) / 2 + self.spacing * 0.05, (a[1] + b[1]) / 2 - self.spacing * 0.05)
        coords = [[round(x, 2), round(y, 2), 100.0] for x, y in (a, mid, b)]
        return {"type": "LineString", "coordinates": coords}


class RoadWfs:
    """``GetFeature`` of :data:`TYPENAME`; ``calls`` holds the STARTINDEX of every request."""

    def __init__(self, network: SyntheticNetwork = None, max_count: int = 4000):
        self.network = network or SyntheticNetwork()
        self.max_count = max_count
        self.fail_pages: Dict[int, int] = {}
        self.short_by = 0
        self.calls: List[int] = []
        self.boxes: List[Tuple[float, float, float, float]] = []
        self.hits: List[Tuple[float, float, float, float]] = []  # boxes counted (RESULTTYPE=hits)
        self._lock = threading.Lock()

    def handles(self, params: Dict[str, str]) -> bool:
        return (params.get("TYPENAMES") or params.get("TYPENAME") or "") == TYPENAME

    def __call__(self, request) -> Answer:
        params = {k.upper(): v for k, v in request.args.items()}
        return Answer(200, self.get_feature(params), "application/json;charset=UTF-8")

    def get_feature(self, params: Dict[str, str]) -> bytes:
        if (params.get("RESULTTYPE") or "").lower() == "hits":
            return self.count(params)
        start = int(params.get("STARTINDEX") or 0)
        count = min(int(params.get("COUNT") or self.max_count), self.max_count)
        with self._lock:
            self.calls.append(start)
            failures = self.fail_pages.get(start, 0)
            if failures:
                self.fail_pages[start] = failures - 1
        if failures:
            raise ReplayError(server_error("Service temporarily unavailable", 503))
        srs = params.get("SRSNAME", "").upper().replace("URN:OGC:DEF:CRS:EPSG::", "EPSG:")
        if srs != "EPSG:2154":
            raise ows_exception(
                "InvalidParameterValue", "srsName", f"Replay: EPSG:2154 only ({srs})"
            )
        bbox = _bbox(params.get("BBOX", ""))
        sections = self.network.sections(bbox)
        self.boxes.append(bbox)
        names = [n for n in (params.get("PROPERTYNAME") or "").split(",") if n]
        page = sections[start : start + count]
        features = [self._feature(row, names) for row in page]
        body = {
            "type": "FeatureCollection",
            "features": features,
            "totalFeatures": len(sections) + self.short_by,
            "numberMatched": len(sections) + self.short_by,
            "numberReturned": len(features),
            "timeStamp": f"{EDITION_DATE}T12:00:00.000Z",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::2154"}},
        }
        return json.dumps(body, ensure_ascii=False).encode("utf-8")

    def count(self, params: Dict[str, str]) -> bytes:
        """The Géoplateforme's GeoJSON answer to ``RESULTTYPE=hits``: the counts, no feature
        (not recorded in ``calls``: no page was asked)."""
        bbox = _bbox(params.get("BBOX", ""))
        self.hits.append(bbox)
        matched = len(self.network.sections(bbox)) + self.short_by
        body = {
            "type": "FeatureCollection",
            "features": [],
            "totalFeatures": matched,
            "numberMatched": matched,
            "numberReturned": 0,
        }
        return json.dumps(body).encode("utf-8")

    def _feature(self, row, names) -> dict:
        cleabs, i, j, d = row
        props = self.network.properties(cleabs, i, j, d)
        if names:
            unknown = [n for n in names if n not in props and n != GEOMETRY_FIELD]
            if unknown:
                raise ows_exception(
                    "InvalidParameterValue", "propertyName", f"Illegal property name: {unknown[0]}"
                )
            props = {n: props[n] for n in names if n in props}
        with_geometry = not names or GEOMETRY_FIELD in names
        return {
            "type": "Feature",
            "id": f"troncon_de_route.{cleabs}",
            "geometry": self.network.geometry(i, j, d) if with_geometry else None,
            "geometry_name": GEOMETRY_FIELD,
            "properties": props,
        }


def _bbox(text: str) -> Tuple[float, float, float, float]:
    parts = text.split(",")
    try:
        xmin, ymin, xmax, ymax = (float(v) for v in parts[:4])
    except ValueError:
        raise ows_exception("InvalidParameterValue", "bbox", "Replay: BBOX required") from None
    if len(parts) > 4 and "2154" not in parts[4]:
        raise ows_exception("InvalidParameterValue", "bbox", "Replay: BBOX in EPSG:2154 only")
    return xmin, ymin, xmax, ymax
