#!/usr/bin/env python3
"""Generate the FICTITIOUS demonstration territory shipped in ``resources/sample/``.

Everything here is invented: names, codes, populations, roads, priority neighbourhoods and
service points. The territory only borrows real *formats* (ADMIN EXPRESS v4, BD TOPO v3
``troncon_de_route``, QPV 2024, the ANCT France Services list, INSEE Filosofi 200 m grid) so that
the plugin's tools, the demo and the tutorials run offline on something of realistic structure
and scale. See ``resources/sample/README.md`` for the codes and the layers.

Deterministic: the same seed gives the same features and attributes on every run; GeoPackage
timestamps are pinned too, so on one machine the file is byte-identical from run to run.

Usage: ``python scripts/make_sample.py [--output resources/sample/cget_sample.gpkg]``
(``make sample``). Needs numpy, scipy, GDAL and QGIS (for GEOS operations and layer metadata).
"""

from __future__ import annotations

import argparse
import hashlib
import math
import os
import sqlite3
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

SEED = 2024
DEFAULT_OUTPUT = REPO / "resources" / "sample" / "cget_sample.gpkg"

# -- the fictitious territory's identity ---------------------------------------------------------
# Codes in a namespace no real entity uses: département "00" (INSEE has none; "99" means abroad),
# communes "00001".."00018", région "00", SIREN "0000000xx" (Luhn-valid, real ones start 1-9).
DEP_CODE = "00"
DEP_NAME = "Haute-Sylve"
REG_CODE = "00"
REG_NAME = "Région fictive de démonstration"
MENTION = "Données fictives de démonstration – plugin CGET"
CREDIT = "Données fictives de démonstration (plugin CGET)"
VINTAGE = "fictif"
GENERATED_ON = "2026-01-01T00:00:00"  # pinned: the data is fictitious, not dated
CENTRE = (411000.0, 6349000.0)  # Lambert-93, a frame of ~33 x 26 km in south-west France
DEP_SEMI_AXES = (16500.0, 13000.0)
DEP_SHAPE_VARIANT = 11  # picked so that every chef-lieu lies well inside the outline


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def fictitious_siren(n: int) -> str:
    """9-digit, Luhn-valid identifier beginning with zeros (no real SIREN does)."""
    base = f"{n:08d}"
    for last in range(10):
        if luhn_ok(base + str(last)):
            return base + str(last)
    raise AssertionError(n)


@dataclass
class Place:
    code: str
    name: str
    population: int
    pos_km: Tuple[float, float]
    radius: float  # built-up radius (m)
    epci: str
    statut: str = "Commune simple"
    postal: str = ""
    spacing: float = 110.0
    # filled later
    xy: Tuple[float, float] = (0.0, 0.0)
    town: Optional[Town] = None

    @property
    def is_town(self) -> bool:
        return self.population >= 2500


# (code, name, population, position in km from CENTRE, built-up radius m, EPCI key, statut)
PLACES = [
    Place("00001", "Valmont-sur-Sylve", 56000, (0.0, 0.0), 3200, "CA", "Préfecture", "00100", 165),
    Place("00002", "Brenaval", 24000, (5.2, -1.6), 1550, "CA", postal="00110", spacing=145),
    Place(
        "00003",
        "Sarlande-la-Forêt",
        12500,
        (-9.5, -6.5),
        1250,
        "CS",
        "Sous-préfecture",
        "00200",
        125,
    ),
    Place("00004", "Courtevent", 8400, (10.5, 7.0), 1050, "CC", postal="00300", spacing=110),
    Place("00005", "Orlhac-sur-Sylve", 4900, (-8.5, 6.5), 800, "CS", postal="00210", spacing=105),
    Place("00006", "Mirebois", 3400, (7.5, -8.0), 700, "CC", postal="00310", spacing=100),
    Place("00007", "Saint-Aurel-des-Landes", 2150, (-3.6, -5.2), 500, "CA", postal="00120"),
    Place("00008", "Pradelune", 1850, (3.2, 5.2), 450, "CA", postal="00130"),
    Place("00009", "Fontsauge", 1250, (-4.6, 3.6), 400, "CA", postal="00140"),
    Place("00010", "Castelvieil", 780, (-14.0, 0.5), 350, "CS", postal="00220"),
    Place("00011", "Les Essarts-Brûlés", 540, (-13.2, -6.6), 300, "CS", postal="00230"),
    Place("00012", "Escoussac", 690, (-3.0, -10.3), 320, "CS", postal="00240"),
    Place("00013", "Montcalvet", 1420, (1.6, -6.0), 420, "CA", postal="00150"),
    Place("00014", "Pinsolles", 460, (12.8, -3.8), 300, "CC", postal="00320"),
    Place("00015", "Sainte-Odile-du-Marais", 630, (4.8, 10.0), 320, "CC", postal="00330"),
    Place("00016", "Belvezin", 390, (-4.2, 10.2), 280, "CS", postal="00250"),
    Place("00017", "Cazalère", 520, (13.0, 2.2), 300, "CC", postal="00340"),
    Place("00018", "Lanjuzac", 870, (-8.0, 0.6), 350, "CA", postal="00160"),
]

EPCIS = {
    "CA": (fictitious_siren(1), "CA Valmont Sylve Agglomération", "Communauté d'agglomération"),
    "CS": (fictitious_siren(2), "CC des Landes de Sarlande", "Communauté de communes"),
    "CC": (fictitious_siren(3), "CC du Pays de Courtevent", "Communauté de communes"),
}

# QPV 2024: code QN + 3-char département + 2-digit number + letter (N new, M modified, I same).
# (code, name, host place, bearing in degrees from its centre, distance m, radius m)
QPVS = [
    ("QN00001M", "Les Hauts de Valmont", "00001", 125, 1650, 430),
    ("QN00002N", "La Garenne", "00001", 235, 1350, 300),
    (
        "QN00003M",
        "Champ Rollin – Les Peupliers",
        "00001",
        None,
        None,
        360,
    ),  # on the 00001/00002 limit
    ("QN00004I", "Le Clos Fleuri", "00002", 290, 650, 280),
    ("QN00005N", "Bourg-Neuf", "00003", 20, 520, 240),
]

# Motorway (fictitious number) control points, km from CENTRE; interchanges at these indexes.
MOTORWAY_REF = "A 99"
MOTORWAY_KM = [
    (-19.0, -8.5),
    (-11.5, -3.4),
    (-5.8, 1.6),
    (-1.0, 5.0),
    (5.8, 7.2),
    (9.3, 9.8),
    (16.0, 15.0),
]

# Departmental roads: (number, importance, chain of place codes or "X<n>" exits / "J<n>" junctions)
D_ROADS = [
    ("D 1", "2", ["00001", "00007", "00003", "X5"]),
    ("D 2", "2", ["00001", "00008", "00004", "X1"]),
    ("D 3", "3", ["00001", "00009", "00005", "X3"]),
    ("D 4", "3", ["00001", "00013", "00006", "X7"]),
    ("D 5", "3", ["00003", "00011", "00010", "00005"]),
    ("D 6", "3", ["00004", "00017", "00014", "00006"]),
    ("D 7", "3", ["00001", "00002", "00014"]),
    ("D 8", "2", ["J0", "00001"]),
    ("D 9", "3", ["J1", "00004"]),
    ("D 15", "3", ["J2", "00003"]),
    ("D 10", "3", ["00003", "00012", "00006"]),
    ("D 11", "4", ["00001", "00018", "00010", "X4"]),
    ("D 12", "4", ["00005", "00016", "00015", "00004"]),
    ("D 13", "4", ["00002", "00006"]),
    ("D 14", "4", ["00003", "X6"]),
]
# Motorway interchanges: (town served, number of the link road, its importance)
INTERCHANGES = [("00001", "D 8", "2"), ("00004", "D 9", "3"), ("00003", "D 15", "3")]
EXIT_BEARINGS = [35, 70, 110, 160, 185, 215, 250, 300]  # degrees, X0..X7

Coord = Tuple[float, float]


# =============================================================================================
# small geometry helpers (numpy)
# =============================================================================================
def rng_for(*keys) -> np.random.Generator:
    digest = hashlib.sha256(repr((SEED, *keys)).encode()).digest()
    return np.random.default_rng(int.from_bytes(digest[:8], "little"))


def km(p):
    return (CENTRE[0] + p[0] * 1000.0, CENTRE[1] + p[1] * 1000.0)


def rnd(v: float) -> float:
    return round(v, 1)


def rnd_pts(pts) -> List[Coord]:
    out = []
    for x, y in pts:
        q = (rnd(x), rnd(y))
        if not out or out[-1] != q:
            out.append(q)
    return out


def line_length(pts) -> float:
    a = np.asarray(pts)
    return float(np.hypot(*np.diff(a, axis=0).T).sum()) if len(a) > 1 else 0.0


def wiggle(a: Coord, b: Coord, rng, amp=0.08, seg=60.0, decay=0.5, max_depth=8) -> List[Coord]:
    """Midpoint displacement between fixed ends: a natural-looking line."""
    pts = [np.array(a, float), np.array(b, float)]
    length = math.dist(a, b)
    depth = max(0, min(max_depth, int(math.ceil(math.log2(max(length / seg, 1.0))))))
    scale = amp * length
    for _ in range(depth):
        new = [pts[0]]
        for p, q in zip(pts[:-1], pts[1:]):
            d = q - p
            n = np.array([-d[1], d[0]])
            nn = np.hypot(*n) or 1.0
            m = (p + q) / 2 + n / nn * rng.normal(0, scale)
            new.extend([m, q])
        pts = new
        scale *= decay
    return [tuple(p) for p in pts]


def chaikin(pts, iterations=2) -> List[Coord]:
    a = np.asarray(pts, float)
    for _ in range(iterations):
        if len(a) < 3:
            break
        q = 0.75 * a[:-1] + 0.25 * a[1:]
        r = 0.25 * a[:-1] + 0.75 * a[1:]
        mid = np.empty((2 * (len(a) - 1), 2))
        mid[0::2] = q
        mid[1::2] = r
        a = np.vstack([a[:1], mid[1:-1], a[-1:]])
    return [tuple(p) for p in a]


def bearing_vec(deg: float):
    t = math.radians(deg)
    return math.cos(t), math.sin(t)


def harmonics(rng, n=5, amp=0.12):
    return [(k, rng.uniform(0, amp / k * 2), rng.uniform(0, 2 * math.pi)) for k in range(2, 2 + n)]


def radial(h, theta: float) -> float:
    return 1.0 + sum(a * math.cos(k * theta + ph) for k, a, ph in h)


# =============================================================================================
# QGIS / GEOS
# =============================================================================================
_QGS_APP = None


def qgis_app():
    global _QGS_APP
    from qgis.core import QgsApplication

    if QgsApplication.instance() is None and _QGS_APP is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _QGS_APP = QgsApplication([], False)
        _QGS_APP.initQgis()
    return QgsApplication.instance()


def qline(pts):
    from qgis.core import QgsGeometry, QgsPointXY

    return QgsGeometry.fromPolylineXY([QgsPointXY(x, y) for x, y in pts])


def qpoint(xy):
    from qgis.core import QgsGeometry, QgsPointXY

    return QgsGeometry.fromPointXY(QgsPointXY(*xy))


def qpoly(pts):
    from qgis.core import QgsGeometry, QgsPointXY

    ring = [QgsPointXY(x, y) for x, y in pts]
    if ring[0] != ring[-1]:
        ring.append(ring[0])
    return QgsGeometry.fromPolygonXY([ring])


def lines_of(geom) -> List[List[Coord]]:
    """Single lines of a (multi)line geometry as coordinate lists."""
    out = []
    if geom.isEmpty():
        return out
    if geom.isMultipart():
        for part in geom.asMultiPolyline():
            out.append([(p.x(), p.y()) for p in part])
    else:
        out.append([(p.x(), p.y()) for p in geom.asPolyline()])
    return out


def polygons_of(geom):
    if geom.isEmpty():
        return []
    if geom.isMultipart():
        return geom.asMultiPolygon()
    return [geom.asPolygon()]


def clean_polygon(geom):
    """Snap to 0.1 m, make valid, keep polygons only."""
    from qgis.core import QgsGeometry, QgsWkbTypes

    g = geom.snappedToGrid(0.1, 0.1)
    if not g.isGeosValid():
        g = g.makeValid()
    if g.type() != QgsWkbTypes.PolygonGeometry:
        parts = [p for p in g.asGeometryCollection() if p.type() == QgsWkbTypes.PolygonGeometry]
        g = QgsGeometry.unaryUnion(parts)
    return g


class PolygonIndex:
    """Point-in-polygon over a few polygons with prepared GEOS engines."""

    def __init__(self, items):
        from qgis.core import QgsGeometry

        self.items = []
        for key, geom in items:
            eng = QgsGeometry.createGeometryEngine(geom.constGet())
            eng.prepareGeometry()
            self.items.append((key, geom.boundingBox(), eng))

    def find(self, x, y):
        from qgis.core import QgsPoint

        pt = QgsPoint(x, y)
        for key, bbox, eng in self.items:
            if bbox.xMinimum() <= x <= bbox.xMaximum() and bbox.yMinimum() <= y <= bbox.yMaximum():
                if eng.intersects(pt):
                    return key
        return None


# =============================================================================================
# 1. département outline and communes
# =============================================================================================
def make_departement() -> List[Coord]:
    """Outline: a smooth irregular shape, then river-like detail between its vertices."""
    rng = rng_for("departement", DEP_SHAPE_VARIANT)
    a, b = DEP_SEMI_AXES
    h = [
        (k, rng.uniform(0.3, 1.0) * 0.2 / k**1.1, rng.uniform(0, 2 * math.pi)) for k in range(2, 14)
    ]
    n = 90
    base = []
    for i in range(n):
        t = 2 * math.pi * i / n
        r = radial(h, t)
        base.append((CENTRE[0] + a * r * math.cos(t), CENTRE[1] + b * r * math.sin(t)))
    pts = []
    for i in range(n):
        seg = wiggle(base[i], base[(i + 1) % n], rng, amp=0.12, seg=70.0, decay=0.55)
        pts.extend(seg[:-1])
    return rnd_pts(pts)


def make_communes(dep_ring):
    """Voronoi cells of the chefs-lieux with wiggly limits, clipped to the département."""
    from qgis.core import QgsGeometry, QgsPointXY

    dep_geom = qpoly(dep_ring)
    seeds = [km(p.pos_km) for p in PLACES]
    inner = dep_geom.buffer(-1500.0, 4)
    for p, xy in zip(PLACES, seeds):
        if not inner.contains(qpoint(xy)):
            raise RuntimeError(f"{p.name} is too close to the département outline")
    mp = QgsGeometry.fromMultiPointXY([QgsPointXY(*s) for s in seeds])
    bbox = dep_geom.boundingBox().buffered(20000)
    edges = mp.voronoiDiagram(QgsGeometry.fromRect(bbox), 0.0, True)
    wiggled = []
    for line in lines_of(edges):
        a, b = line[0], line[-1]
        key = tuple(sorted([(round(a[0]), round(a[1])), (round(b[0]), round(b[1]))]))
        pts = wiggle(a, b, rng_for("limit", key), amp=0.07, seg=70.0, decay=0.55)
        wiggled.append(qline(rnd_pts(pts)))
    wiggled.append(qline(dep_ring + [dep_ring[0]]))
    noded = QgsGeometry.unaryUnion(wiggled)
    faces = QgsGeometry.polygonize([noded])
    dep_engine = PolygonIndex([(1, dep_geom)])
    by_place: Dict[str, list] = {p.code: [] for p in PLACES}
    seed_arr = np.array(seeds)
    for face in faces.asGeometryCollection():
        pos = face.pointOnSurface().asPoint()
        if dep_engine.find(pos.x(), pos.y()) is None:
            continue
        i = int(np.argmin(np.hypot(*(seed_arr - (pos.x(), pos.y())).T)))
        by_place[PLACES[i].code].append(face)
    communes = {}
    for p in PLACES:
        g = clean_polygon(QgsGeometry.unaryUnion(by_place[p.code]))
        if g.isMultipart():  # crossing wiggles can leave a crumb: keep the seed's part
            parts = [QgsGeometry.fromPolygonXY(x) for x in g.asMultiPolygon()]
            parts.sort(key=lambda x: -x.area())
            g = parts[0]
        communes[p.code] = g
    # crumbs dropped above go to the neighbour sharing most boundary, so the cover stays whole
    covered = QgsGeometry.unaryUnion(list(communes.values()))
    holes = clean_polygon(dep_geom.difference(covered))
    for hole in polygons_of(holes):
        hg = QgsGeometry.fromPolygonXY(hole)
        if hg.area() < 1.0:
            continue
        best = max(communes, key=lambda c: communes[c].intersection(hg.buffer(0.5, 4)).area())
        communes[best] = clean_polygon(communes[best].combine(hg))
    return dep_geom, communes


# =============================================================================================
# 2. road network
# =============================================================================================
@dataclass
class Road:
    pts: List[Coord]
    attrs: dict
    node: bool = True  # takes part in the noding (motorway carriageways do not)


def road_attrs(nature="Route à 1 chaussée", importance="5", urban=False, oneway=False, **kw):
    a = {
        "nature": nature,
        "importance": importance,
        "urbain": urban,
        "oneway": oneway,
        "cpx_numero": None,
        "cpx_classement_administratif": None,
        "acces_vehicule_leger": "Libre",
        "acces_pieton": "Libre",
        "position_par_rapport_au_sol": "0",
        "nombre_de_voies": 1 if oneway else 2,
    }
    a.update(kw)
    return a


URBAN_SPEED = {"2": 50, "3": 45, "4": 40, "5": 30, "6": 20}
RURAL_SPEED = {"2": 80, "3": 72, "4": 62, "5": 48, "6": 32}


@dataclass
class Town:
    place: Place
    centre: Coord
    nodes: Dict[Tuple[int, int], Coord] = field(default_factory=dict)
    edges: Dict[Tuple, dict] = field(default_factory=dict)  # (n1, n2) sorted -> attrs
    shape: list = field(default_factory=list)
    angle: float = 0.0

    def rel(self, xy):
        d = math.dist(xy, self.centre)
        t = math.atan2(xy[1] - self.centre[1], xy[0] - self.centre[0])
        return d / (self.place.radius * radial(self.shape, t))

    def adjacency(self):
        adj: Dict[tuple, list] = {}
        for a, b in self.edges:
            adj.setdefault(a, []).append(b)
            adj.setdefault(b, []).append(a)
        return adj

    def path(self, start, goal, turn_cost=350.0):
        """Shortest path between two grid nodes, turns penalised: main roads run straight
        along a few streets instead of zigzagging through the grid."""
        import heapq

        adj = self.adjacency()
        best = {(start, None): 0.0}
        prev = {}
        heap = [(0.0, start, None)]
        end_state = None
        while heap:
            d, u, du = heapq.heappop(heap)
            if u == goal:
                end_state = (u, du)
                break
            if d > best.get((u, du), math.inf):
                continue
            for v in adj.get(u, []):
                dv = (v[0] - u[0], v[1] - u[1])
                nd = d + math.dist(self.nodes[u], self.nodes[v])
                if du is not None and dv != du:
                    nd += turn_cost
                if nd < best.get((v, dv), math.inf):
                    best[(v, dv)] = nd
                    prev[(v, dv)] = (u, du)
                    heapq.heappush(heap, (nd, v, dv))
        if end_state is None:
            return []
        out = [end_state]
        while out[-1][0] != start or out[-1][1] is not None:
            out.append(prev[out[-1]])
        return [state[0] for state in out[::-1]]


def motorway_axis() -> List[Coord]:
    from qgis.core import QgsGeometry  # noqa: F401 - GEOS densify below

    axis = chaikin([km(p) for p in MOTORWAY_KM], 5)
    return [(p.x(), p.y()) for p in qline(axis).densifyByDistance(40.0).asPolyline()]


def build_towns(places, avoid=None) -> Dict[str, Town]:
    towns = {}
    for p in places:
        rng = rng_for("town", p.code)
        t = Town(p, p.xy, shape=harmonics(rng, 4, 0.16 if p.is_town else 0.25))
        t.angle = rng.uniform(0, math.pi / 2)
        towns[p.code] = t
    for t in towns.values():
        p = t.place
        rng = rng_for("grid", p.code)
        s = p.spacing
        n = int(math.ceil(1.7 * p.radius / s)) + 1
        ca, sa = math.cos(t.angle), math.sin(t.angle)
        gamma = 1.35 if p.population > 5000 else (1.15 if p.is_town else 1.0)
        waves = [
            (rng.uniform(900, 2200), rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi))
            for _ in range(3)
        ]
        amp = 0.22 * s
        for i in range(-n, n + 1):
            for j in range(-n, n + 1):
                bx, by = i * s, j * s
                d = math.hypot(bx, by)
                f = (d / p.radius) ** (gamma - 1.0) if d > 0 else 0.0
                bx, by = bx * f, by * f
                x = t.centre[0] + ca * bx - sa * by
                y = t.centre[1] + sa * bx + ca * by
                if i or j:
                    for lam, ph, dirn in waves:
                        w = math.sin(
                            2 * math.pi * (x * math.cos(dirn) + y * math.sin(dirn)) / lam + ph
                        )
                        x += amp * w * math.cos(dirn + 1.0)
                        y += amp * w * math.sin(dirn + 1.0)
                rel = t.rel((x, y))
                if rel >= 1.0:
                    continue
                if avoid is not None and np.min(np.hypot(*(avoid - (x, y)).T)) < 220:
                    continue
                # between neighbouring towns, each keeps its own side (no overlapping grids)
                if any(o is not t and o.rel((x, y)) < rel for o in towns.values()):
                    continue
                t.nodes[(i, j)] = (rnd(x), rnd(y))
    return towns


def town_streets(t: Town, qpv_zones) -> None:
    """Grid edges, pruned outside the centre; large blocks in QPV (grands ensembles)."""
    p = t.place
    rng = rng_for("streets", p.code)
    big = p.population > 5000
    prune = 0.24 if p.is_town else 0.33
    for (i, j), xy in sorted(t.nodes.items()):
        for di, dj in ((1, 0), (0, 1)):
            k = (i + di, j + dj)
            if k not in t.nodes:
                continue
            mid = ((xy[0] + t.nodes[k][0]) / 2, (xy[1] + t.nodes[k][1]) / 2)
            rel = t.rel(mid)
            on_line = (i % 3 == 0) if dj else (j % 3 == 0)
            in_qpv = any(math.dist(mid, c) < r for c, r in qpv_zones)
            if in_qpv and not on_line and rng.random() < 0.7:
                continue
            if rng.random() < prune * min(1.0, max(0.0, (rel - 0.3) / 0.6)):
                continue
            avenue = big and ((i % 6 == 0) if dj else (j % 6 == 0))
            imp = "4" if avenue else "5"
            one_way = big and not avenue and rel < 0.3
            attrs = road_attrs(importance=imp, urban=True, oneway=one_way)
            if one_way:
                # alternate directions street by street (one-way pairs)
                parity = (i if dj else j) % 2
                attrs["forward"] = (parity == 0) == (dj == 1)
            t.edges[((i, j), k)] = attrs
    # keep the largest connected piece
    adj = t.adjacency()
    seen, best = set(), []
    for start in sorted(adj):
        if start in seen:
            continue
        comp, stack = [], [start]
        seen.add(start)
        while stack:
            u = stack.pop()
            comp.append(u)
            for v in adj[u]:
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        if len(comp) > len(best):
            best = comp
    keep = set(best)
    t.edges = {e: a for e, a in t.edges.items() if e[0] in keep}
    t.nodes = {k: v for k, v in t.nodes.items() if k in keep}
    if (0, 0) not in t.nodes:
        raise RuntimeError(f"{p.name}: the centre fell off the street grid")
    degree: Dict[tuple, int] = {}
    for a, b in t.edges:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    for (a, b), attrs in t.edges.items():
        if (degree[a] == 1 or degree[b] == 1) and attrs["importance"] == "5":
            attrs["importance"] = "6"  # impasses


def gate_node(t: Town, target: Coord, used=None):
    """Outer node of ``t`` facing ``target``: where a road from outside enters the town."""
    adj = t.adjacency()
    want = math.atan2(target[1] - t.centre[1], target[0] - t.centre[0])
    best, best_score = None, math.inf
    for k, xy in t.nodes.items():
        if k not in adj or len(adj[k]) > 3:
            continue
        rel = t.rel(xy)
        if rel < 0.6:
            continue
        ang = math.atan2(xy[1] - t.centre[1], xy[0] - t.centre[0])
        diff = abs((ang - want + math.pi) % (2 * math.pi) - math.pi)
        score = diff * t.place.radius + math.dist(xy, target) * 0.15
        if used and k in used:
            score += 200
        if score < best_score:
            best, best_score = k, score
    return best


def make_network(dep_geom, dep_ring, communes, towns, qpv_polys):
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree, shortest_path
    from scipy.spatial import Delaunay

    roads: List[Road] = []
    dep_idx = PolygonIndex([(1, dep_geom)])

    dep_inner = PolygonIndex([(1, dep_geom.buffer(-400.0, 4))])

    def inside(xy, inner=False):
        return (dep_inner if inner else dep_idx).find(*xy) is not None

    # ---- motorway and interchanges ---------------------------------------------------------
    axis_pts = motorway_axis()
    junctions = []  # J0, J1 link-road ends on the town side: rural nodes
    link_outer = []
    ramps_at = []
    for place_code, _number, _imp in INTERCHANGES:
        c = PLACES_BY_CODE[place_code].xy
        k = int(np.argmin([math.dist(c, q) for q in axis_pts]))
        k = max(15, min(len(axis_pts) - 16, k))
        ramps_at.append(k)
    carriage = {+1: [], -1: []}
    half = 11.0

    def offset_point(k, side):
        a = np.array(axis_pts[max(0, k - 1)])
        b = np.array(axis_pts[min(len(axis_pts) - 1, k + 1)])
        d = (b - a) / np.linalg.norm(b - a)
        right = np.array([d[1], -d[0]])
        q = np.array(axis_pts[k]) + side * half * right
        return (rnd(q[0]), rnd(q[1])), d, right

    for side in (+1, -1):
        carriage[side] = [offset_point(k, side)[0] for k in range(len(axis_pts))]
    mway_cuts = {+1: set(), -1: set()}
    for jx, k in enumerate(ramps_at):
        m = np.array(axis_pts[k])
        _, d, right = offset_point(k, +1)
        # the link road crosses over the motorway, perpendicular to it
        towards = PLACES_BY_CODE[INTERCHANGES[jx][0]].xy
        side_town = 1 if np.dot(np.array(towards) - m, right) > 0 else -1
        j_near = {s: tuple(m + s * 160.0 * right) for s in (+1, -1)}
        end_town = tuple(m + side_town * 700.0 * right)
        end_out = tuple(m - side_town * 650.0 * right)
        bridge = {s: tuple(m + s * 35.0 * right) for s in (+1, -1)}
        for s in (+1, -1):
            j_near[s] = (rnd(j_near[s][0]), rnd(j_near[s][1]))
            bridge[s] = (rnd(bridge[s][0]), rnd(bridge[s][1]))
        end_town = (rnd(end_town[0]), rnd(end_town[1]))
        end_out = (rnd(end_out[0]), rnd(end_out[1]))
        _code, number, imp = INTERCHANGES[jx]
        la = dict(cpx_numero=number, cpx_classement_administratif="Départementale")
        town_side, out_side = side_town, -side_town
        roads.append(Road([end_town, j_near[town_side]], road_attrs(importance=imp, **la)))
        roads.append(Road([j_near[town_side], bridge[town_side]], road_attrs(importance=imp, **la)))
        roads.append(
            Road(
                [bridge[town_side], bridge[out_side]],
                road_attrs(importance=imp, position_par_rapport_au_sol="1", **la),
            )
        )
        roads.append(Road([bridge[out_side], j_near[out_side]], road_attrs(importance=imp, **la)))
        roads.append(Road([j_near[out_side], end_out], road_attrs(importance=imp, **la)))
        junctions.append(end_town)
        link_outer.append(end_out)
        # diamond: carriageway +1 runs along d on the right side, carriageway -1 the other way
        for s in (+1, -1):
            off_k = k - s * 9
            on_k = k + s * 9
            off_pt = carriage[s][off_k]
            on_pt = carriage[s][on_k]
            mway_cuts[s].update({off_k, on_k})
            ra = dict(cpx_numero=MOTORWAY_REF, cpx_classement_administratif="Autoroute")
            for a_pt, b_pt in ((off_pt, j_near[s]), (j_near[s], on_pt)):
                ctrl_pt = (np.array(a_pt) + np.array(b_pt)) / 2 + s * 45.0 * right
                bez = [
                    tuple(
                        (1 - u) ** 2 * np.array(a_pt)
                        + 2 * u * (1 - u) * ctrl_pt
                        + u**2 * np.array(b_pt)
                    )
                    for u in np.linspace(0, 1, 14)
                ]
                bez[0], bez[-1] = a_pt, b_pt
                roads.append(
                    Road(
                        rnd_pts(bez),
                        road_attrs("Bretelle", "1", oneway=True, forward=True, **ra),
                    )
                )
    for s in (+1, -1):
        pts = carriage[s]
        cuts = sorted(mway_cuts[s])
        bounds = [0, *cuts, len(pts) - 1]
        for a_i, b_i in zip(bounds[:-1], bounds[1:]):
            piece = pts[a_i : b_i + 1]
            if s < 0:
                piece = piece[::-1]  # digitised in the direction of travel
            clipped = qline(piece).intersection(dep_geom)
            for part in lines_of(clipped):
                roads.append(
                    Road(
                        rnd_pts(part),
                        road_attrs(
                            "Type autoroutier",
                            "1",
                            oneway=True,
                            forward=True,
                            nombre_de_voies=2,
                            cpx_numero=MOTORWAY_REF,
                            cpx_classement_administratif="Autoroute",
                        ),
                        node=False,
                    )
                )

    # ---- rural graph: chefs-lieux, hamlets, exits, link-road ends ------------------------------
    rng = rng_for("rural")
    nodes: List[Tuple[str, Coord]] = []
    for p in PLACES:
        nodes.append((p.code, p.xy))
    a_ax, b_ax = DEP_SEMI_AXES
    for i, brg in enumerate(EXIT_BEARINGS):
        dx, dy = bearing_vec(brg)
        # walk out along the bearing until just inside the outline
        r = 0.5
        while dep_idx.find(CENTRE[0] + dx * a_ax * r, CENTRE[1] + dy * b_ax * r) is not None:
            r += 0.002
        r -= 0.002
        nodes.append((f"X{i}", (CENTRE[0] + dx * a_ax * r, CENTRE[1] + dy * b_ax * r)))
    for i, xy in enumerate(link_outer):
        nodes.append((f"L{i}", xy))
    axis_arr = np.array(axis_pts)
    hamlets = 0
    tries = 0
    while hamlets < 95 and tries < 5000:
        tries += 1
        x = CENTRE[0] + rng.uniform(-a_ax, a_ax)
        y = CENTRE[1] + rng.uniform(-b_ax, b_ax)
        if not inside((x, y)):
            continue
        if any(math.dist((x, y), p.xy) < p.radius * 1.35 + 500 for p in PLACES):
            continue
        if np.min(np.hypot(*(axis_arr - (x, y)).T)) < 350:
            continue
        if any(math.dist((x, y), q) < 900 for _, q in nodes[len(PLACES) :]):
            continue
        if not inside((x, y), inner=True):
            continue
        nodes.append((f"H{hamlets}", (x, y)))
        hamlets += 1
    n_tri = len(nodes)
    for i, q in enumerate(junctions):  # link-road ends join their town only (added last)
        nodes.append((f"J{i}", q))
    names = [n for n, _ in nodes]
    xy = np.array([q for _, q in nodes])
    index = {n: i for i, n in enumerate(names)}
    tri = Delaunay(xy[:n_tri])
    cand = set()
    for simplex in tri.simplices:
        for a, b in ((0, 1), (1, 2), (0, 2)):
            u, v = sorted((int(simplex[a]), int(simplex[b])))
            cand.add((u, v))

    def seg_dist(p, a, b):
        ab = b - a
        t_ = np.clip(np.dot(p - a, ab) / max(np.dot(ab, ab), 1e-9), 0, 1)
        return float(np.hypot(*(a + t_ * ab - p)))

    good = {}
    for u, v in sorted(cand):
        a, b = xy[u], xy[v]
        length = float(np.hypot(*(b - a)))
        if length > 9000:
            continue
        mid = (a + b) / 2
        # Gabriel test: nobody inside the circle on (u, v)
        d_mid = np.hypot(*(xy - mid).T)
        d_mid[[u, v]] = np.inf
        gabriel = bool(np.all(d_mid >= length / 2))
        if not gabriel:
            continue
        blocked = False
        for p in PLACES:
            i = index[p.code]
            if i in (u, v):
                continue
            if seg_dist(np.array(p.xy), a, b) < p.radius * 1.15 + 150:
                blocked = True
                break
        if blocked:
            continue
        if not inside(tuple(mid)):
            continue
        # relative neighbourhood test: no third node closer to both
        du = np.hypot(*(xy - a).T)
        dv = np.hypot(*(xy - b).T)
        lune = np.maximum(du, dv) < length
        lune[[u, v]] = False
        good[(u, v)] = (length, not bool(lune.any()))
    n = len(xy)
    mat = csr_matrix(
        ([g[0] for g in good.values()], ([e[0] for e in good], [e[1] for e in good])), shape=(n, n)
    )
    mst = minimum_spanning_tree(mat).tocoo()
    chosen = {tuple(sorted((int(i), int(j)))) for i, j in zip(mst.row, mst.col)}
    for e, (_length, rn) in sorted(good.items()):
        if rn or rng.random() < 0.25:
            chosen.add(e)
    for jx, (place_code, _number, _imp) in enumerate(INTERCHANGES):
        chosen.add(tuple(sorted((index[f"J{jx}"], index[place_code]))))
    # classes: departmental roads follow shortest paths on the chosen graph
    sym = csr_matrix(
        (
            [good.get(e, (math.dist(xy[e[0]], xy[e[1]]),))[0] for e in sorted(chosen)],
            ([e[0] for e in sorted(chosen)], [e[1] for e in sorted(chosen)]),
        ),
        shape=(n, n),
    )
    sym = sym + sym.T
    edge_class: Dict[tuple, dict] = {}
    for number, imp, chain in D_ROADS:
        for a_name, b_name in zip(chain[:-1], chain[1:]):
            ia, ib = index[a_name], index[b_name]
            _, pred = shortest_path(sym, indices=ia, return_predecessors=True)
            k = ib
            while k != ia and k >= 0:
                e = tuple(sorted((int(pred[k]), int(k))))
                old = edge_class.get(e)
                if old is None or int(old["importance"]) > int(imp):
                    edge_class[e] = {"importance": imp, "cpx_numero": number}
                k = pred[k]
    for e in sorted(chosen):
        if e in edge_class:
            continue
        kinds = [names[k][0] for k in e]
        imp = "5" if "H" in kinds or "X" in kinds or "L" in kinds else "4"
        edge_class[e] = {"importance": imp, "cpx_numero": None}
    # ---- draw rural edges; enter towns through their outer nodes ---------------------------------
    gates_used: Dict[str, set] = {}
    marks: List[Tuple[Town, tuple, dict]] = []
    rural_lines = []
    for e in sorted(chosen):
        u, v = e
        cls = edge_class[e]
        ends = []
        for me, other in ((u, v), (v, u)):
            name = names[me]
            if name in towns:
                t = towns[name]
                g = gate_node(t, tuple(xy[other]), gates_used.get(name))
                gates_used.setdefault(name, set()).add(g)
                ends.append(t.nodes[g])
                marks.append((t, g, cls))
            else:
                ends.append((rnd(xy[me][0]), rnd(xy[me][1])))
        erng = rng_for("edge", names[u], names[v])
        amp = 0.05 if cls["importance"] in ("2", "3") else 0.08
        pts = chaikin(wiggle(ends[0], ends[1], erng, amp=amp, seg=90.0, decay=0.55), 2)
        pts = [ends[0], *pts[1:-1], ends[1]]
        g = qline(pts).simplify(1.0)
        pts = rnd_pts([(q.x(), q.y()) for q in g.asPolyline()])
        pts[0], pts[-1] = ends[0], ends[1]
        imp = cls["importance"]
        attrs = road_attrs(importance=imp)
        if cls["cpx_numero"]:
            attrs["cpx_numero"] = cls["cpx_numero"]
            attrs["cpx_classement_administratif"] = "Départementale"
        elif imp == "5" and erng.random() < 0.25:
            attrs["nature"] = "Route empierrée"
            attrs["importance"] = "6"
        roads.append(Road(pts, attrs))
        if imp in ("4", "5"):
            rural_lines.append(pts)
    # departmental roads continue through towns up to the centre
    for t, g, cls in marks:
        path = t.path(g, (0, 0))
        for a, b in zip(path[:-1], path[1:]):
            key = (a, b) if (a, b) in t.edges else (b, a)
            attrs = t.edges[key]
            if cls["cpx_numero"] and int(attrs["importance"]) > int(cls["importance"]):
                attrs["importance"] = cls["importance"]
                attrs["cpx_numero"] = cls["cpx_numero"]
                attrs["cpx_classement_administratif"] = "Départementale"
                attrs["oneway"] = False
            elif int(attrs["importance"]) > 5:
                attrs["importance"] = "5"
    # towns touching each other: a few links between their outer nodes
    codes = sorted(towns)
    for i, ca_ in enumerate(codes):
        for cb in codes[i + 1 :]:
            ta, tb = towns[ca_], towns[cb]
            if math.dist(ta.centre, tb.centre) > ta.place.radius * 1.5 + tb.place.radius * 1.5:
                continue
            pairs = []
            for ka, pa in ta.nodes.items():
                if ta.rel(pa) < 0.55:
                    continue
                for kb, pb in tb.nodes.items():
                    dd = math.dist(pa, pb)
                    if dd < 260:
                        pairs.append((dd, ka, kb))
            pairs.sort()
            used_pts = []
            for _dd, ka, kb in pairs:
                pa, pb = ta.nodes[ka], tb.nodes[kb]
                if any(math.dist(pa, q) < 350 for q in used_pts):
                    continue
                used_pts.append(pa)
                roads.append(Road([pa, pb], road_attrs(importance="5", urban=True)))
    # ---- town streets as roads -----------------------------------------------------------
    for code in sorted(towns):
        t = towns[code]
        for (a, b), attrs in sorted(t.edges.items()):
            pa, pb = t.nodes[a], t.nodes[b]
            if attrs.get("oneway") and not attrs.get("forward", True):
                pa, pb = pb, pa
            attrs = dict(attrs)
            attrs["forward"] = True
            roads.append(Road([pa, pb], attrs))
    # ---- forest tracks and footpaths ------------------------------------------------------
    trng = rng_for("tracks")
    all_places = [(p.xy, p.radius) for p in PLACES]
    for _ in range(110):
        line = rural_lines[int(trng.integers(len(rural_lines)))]
        if len(line) < 3:
            continue
        k = int(trng.integers(1, len(line) - 1))
        start = line[k]
        d = np.array(line[k + 1]) - np.array(line[k - 1])
        d = d / (np.linalg.norm(d) or 1.0)
        side = 1 if trng.random() < 0.5 else -1
        ang = math.atan2(d[1], d[0]) + side * (math.pi / 2 + trng.normal(0, 0.25))
        length = trng.uniform(900, 3800)
        end = (start[0] + length * math.cos(ang), start[1] + length * math.sin(ang))
        pts = wiggle(start, end, trng, amp=0.015, seg=400.0)
        # stop before built-up areas, the motorway corridor and the outline
        kept = [pts[0]]
        for q in pts[1:]:
            if any(math.dist(q, c) < r * 1.2 + 150 for c, r in all_places):
                break
            if np.min(np.hypot(*(axis_arr - q).T)) < 40:
                break
            if not inside(q):
                break
            kept.append(q)
        if line_length(kept) < 400:
            continue
        is_path = trng.random() < 0.2
        if is_path:
            attrs = road_attrs(
                "Sentier",
                "6",
                acces_vehicule_leger="Physiquement impossible",
                sens="Sans objet",
                nombre_de_voies=0,
            )
        else:
            acc = "Libre" if trng.random() < 0.7 else "Restreint aux ayants droit"
            attrs = road_attrs("Chemin", "6", acces_vehicule_leger=acc, nombre_de_voies=1)
        roads.append(Road(rnd_pts(kept), attrs))
    # village footpaths
    for p in PLACES:
        if p.is_town:
            continue
        t = towns[p.code]
        prng = rng_for("sentier", p.code)
        outer = sorted(k for k, q in t.nodes.items() if t.rel(q) > 0.7)
        if not outer:
            continue
        k = outer[int(prng.integers(len(outer)))]
        start = t.nodes[k]
        ang = math.atan2(start[1] - t.centre[1], start[0] - t.centre[0]) + prng.normal(0, 0.4)
        length = prng.uniform(500, 1400)
        end = (start[0] + length * math.cos(ang), start[1] + length * math.sin(ang))
        pts = chaikin(wiggle(start, end, prng, amp=0.12, seg=60.0), 1)
        pts = [q for q in pts if inside(q)]
        if len(pts) > 1 and pts[0] == start:
            roads.append(
                Road(
                    rnd_pts(pts),
                    road_attrs(
                        "Sentier",
                        "6",
                        acces_vehicule_leger="Physiquement impossible",
                        sens="Sans objet",
                        nombre_de_voies=0,
                    ),
                )
            )
    hamlet_xy = [tuple(xy[i]) for i, nm in enumerate(names) if nm.startswith("H")]
    return roads, hamlet_xy


def _pt(xy):
    from qgis.core import QgsPointXY

    return QgsPointXY(*xy)


# ---- noding: split every line where it meets another (except bridges) and at commune limits ----
class SegmentIndex:
    def __init__(self, roads: List[Road], cell=100.0):
        self.cell = cell
        self.grid: Dict[Tuple[int, int], list] = {}
        self.roads = roads
        for ri, r in enumerate(roads):
            pts = r.pts
            for si in range(len(pts) - 1):
                (x1, y1), (x2, y2) = pts[si], pts[si + 1]
                for gx in range(int(min(x1, x2) // cell), int(max(x1, x2) // cell) + 1):
                    for gy in range(int(min(y1, y2) // cell), int(max(y1, y2) // cell) + 1):
                        self.grid.setdefault((gx, gy), []).append((ri, si))

    def find(self, x, y, tol=0.05):
        best = None
        for ri, si in self.grid.get((int(x // self.cell), int(y // self.cell)), []):
            (x1, y1), (x2, y2) = self.roads[ri].pts[si], self.roads[ri].pts[si + 1]
            dx, dy = x2 - x1, y2 - y1
            ll = dx * dx + dy * dy
            t = 0.0 if ll == 0 else max(0.0, min(1.0, ((x - x1) * dx + (y - y1) * dy) / ll))
            d = math.hypot(x1 + t * dx - x, y1 + t * dy - y)
            if d <= tol and (best is None or d < best[0]):
                best = (d, ri, si, (dx, dy))
        return best


def node_network(roads: List[Road], communes, dep_geom) -> List[Road]:
    from qgis.core import QgsGeometry

    dep_idx = PolygonIndex([(1, dep_geom)])
    limits = []
    for code in sorted(communes):
        for poly in polygons_of(communes[code]):
            for ring in poly:
                limits.append(qline([(p.x(), p.y()) for p in ring]))
    out: List[Road] = []
    for group in (True, False):
        members = [r for r in roads if r.node == group]
        geoms = [qline(r.pts) for r in members]
        noded = QgsGeometry.unaryUnion(geoms + limits)
        index = SegmentIndex(members)
        for piece in lines_of(noded):
            piece = rnd_pts(piece)
            if len(piece) < 2:
                continue
            mx = (piece[0][0] + piece[1][0]) / 2
            my = (piece[0][1] + piece[1][1]) / 2
            hit = index.find(mx, my, tol=0.08)
            if hit is None:
                continue  # a piece of a commune limit
            if dep_idx.find(mx, my) is None:
                continue  # beyond the outline: the extract stops at the département limit
            _, ri, _, (dx, dy) = hit
            src = members[ri]
            pdx, pdy = piece[1][0] - piece[0][0], piece[1][1] - piece[0][1]
            if src.attrs.get("oneway") and pdx * dx + pdy * dy < 0:
                piece = piece[::-1]
            out.append(Road(piece, dict(src.attrs), node=group))
    return out


def merge_degree2(roads: List[Road]) -> List[Road]:
    """Not used for topology (ends stay ends): kept minimal on purpose."""
    return roads


def add_roundabouts(roads: List[Road], towns) -> List[Road]:
    """Turn the busiest junctions at town gates into roundabouts (anticlockwise one-way ring)."""
    ends: Dict[Coord, List[Tuple[int, int]]] = {}
    for ri, r in enumerate(roads):
        ends.setdefault(r.pts[0], []).append((ri, 0))
        ends.setdefault(r.pts[-1], []).append((ri, -1))
    candidates = []
    for xy, inc in ends.items():
        if len(inc) < 3:
            continue
        imps = sorted(int(roads[ri].attrs["importance"]) for ri, _ in inc)
        if imps[0] > 3 or imps[1] > 4:
            continue
        if any(roads[ri].attrs["nature"] != "Route à 1 chaussée" for ri, _ in inc):
            continue
        if any(roads[ri].attrs.get("oneway") for ri, _ in inc):
            continue
        if any(roads[ri].attrs.get("position_par_rapport_au_sol") != "0" for ri, _ in inc):
            continue
        near_town = min(
            (abs(t.rel(xy) - 0.95) for t in towns.values() if t.place.is_town), default=9
        )
        candidates.append((near_town, xy))
    candidates.sort()
    chosen = []
    for score, xy in candidates:
        if score > 0.35 or len(chosen) >= 9:
            break
        if all(math.dist(xy, c) > 1500 for c in chosen):
            chosen.append(xy)
    radius = 18.0
    removed = set()
    new_roads = []
    for c in chosen:
        cut_angles = []
        imp_best = "6"
        for ri, end in ends[c]:
            r = roads[ri]
            pts = r.pts if end == 0 else r.pts[::-1]
            if line_length(pts) < 4 * radius:
                cut_angles = None
                break
            # walk out to the circle
            for k in range(1, len(pts)):
                if math.dist(pts[k], c) >= radius:
                    a, b = np.array(pts[k - 1]), np.array(pts[k])
                    lo, hi = 0.0, 1.0
                    for _ in range(40):
                        mid = (lo + hi) / 2
                        if math.dist(tuple(a + mid * (b - a)), c) < radius:
                            lo = mid
                        else:
                            hi = mid
                    q = a + hi * (b - a)
                    ang = math.atan2(q[1] - c[1], q[0] - c[0])
                    qq = (rnd(c[0] + radius * math.cos(ang)), rnd(c[1] + radius * math.sin(ang)))
                    rest = [qq, *pts[k:]]
                    break
            else:
                cut_angles = None
                break
            cut_angles.append((ang, qq, ri, end, rest))
            imp_best = min(imp_best, r.attrs["importance"], key=int)
        if not cut_angles:
            continue
        cut_angles.sort()
        for _ang, _qq, ri, end, rest in cut_angles:
            r = roads[ri]
            pts = rest if end == 0 else rest[::-1]
            r.pts = rnd_pts(pts)
        for i, (ang, qq, *_rest) in enumerate(cut_angles):
            ang2, qq2 = cut_angles[(i + 1) % len(cut_angles)][:2]
            span = (ang2 - ang) % (2 * math.pi) or 2 * math.pi
            steps = max(2, int(span / math.radians(20)))
            arc = [qq]
            for s in range(1, steps):
                t_ = ang + span * s / steps
                arc.append((rnd(c[0] + radius * math.cos(t_)), rnd(c[1] + radius * math.sin(t_))))
            arc.append(qq2)
            new_roads.append(
                Road(
                    rnd_pts(arc),
                    road_attrs("Rond-point", imp_best, urban=True, oneway=True, forward=True),
                )
            )
    return [r for i, r in enumerate(roads) if i not in removed] + new_roads


def open_one_way_traps(roads: List[Road]) -> None:
    """One-way streets outside the main strongly connected part (e.g. a one-way impasse) become
    two-way, so that a car can leave every street it can enter. Motorway stubs cut by the
    département limit stay as they are, as in a real extract."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    for _ in range(5):
        ids: Dict[Coord, int] = {}
        rows, cols = [], []
        for r in roads:
            a = ids.setdefault(r.pts[0], len(ids))
            b = ids.setdefault(r.pts[-1], len(ids))
            if r.attrs["acces_vehicule_leger"] != "Libre" or r.attrs["nature"] == "Sentier":
                continue
            rows.append(a)
            cols.append(b)
            if not r.attrs.get("oneway"):
                rows.append(b)
                cols.append(a)
        n = len(ids)
        graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
        _k, labels = connected_components(graph, directed=True, connection="strong")
        main = np.bincount(labels).argmax()
        changed = 0
        for r in roads:
            if r.attrs.get("oneway") and r.attrs["nature"] == "Route à 1 chaussée":
                if labels[ids[r.pts[0]]] != main or labels[ids[r.pts[-1]]] != main:
                    r.attrs["oneway"] = False
                    r.attrs["nombre_de_voies"] = 2
                    changed += 1
        if not changed:
            return


def keep_main_component(roads: List[Road]) -> List[Road]:
    parent: Dict[Coord, Coord] = {}

    def find(a):
        while parent.setdefault(a, a) != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for r in roads:
        ra, rb = find(r.pts[0]), find(r.pts[-1])
        if ra != rb:
            parent[ra] = rb
    sizes: Dict[Coord, int] = {}
    for r in roads:
        k = find(r.pts[0])
        sizes[k] = sizes.get(k, 0) + 1
    # small isolated bits are realistic in BD TOPO, but a demo wants one network
    main = max(sizes, key=lambda k: (sizes[k], k))
    return [r for r in roads if find(r.pts[0]) == main]


# =============================================================================================
# 3. QPV, population grid, service points
# =============================================================================================
def qpv_anchor(q, communes):
    code, name, host, brg, dist, radius = q
    p = PLACES_BY_CODE[host]
    if brg is not None:
        dx, dy = bearing_vec(brg)
        return (p.xy[0] + dist * dx, p.xy[1] + dist * dy), radius
    # on the limit between 00001 and 00002, along the line joining their centres
    a, b = np.array(PLACES_BY_CODE["00001"].xy), np.array(PLACES_BY_CODE["00002"].xy)
    idx = PolygonIndex([("00001", communes["00001"])])
    lo, hi = 0.0, 1.0
    for _ in range(40):
        mid = (lo + hi) / 2
        q_ = a + mid * (b - a)
        if idx.find(*q_) == "00001":
            lo = mid
        else:
            hi = mid
    q_ = a + lo * (b - a)
    return (float(q_[0]), float(q_[1] - 120.0)), radius


def make_qpv_polygons(towns, communes):
    """QPV outlines follow street blocks: union of grid blocks around an anchor."""
    from qgis.core import QgsGeometry

    out = []
    for q in QPVS:
        code, name, host = q[:3]
        centre, radius = qpv_anchor(q, communes)
        t = towns[host]
        rng = rng_for("qpv", code)
        h = harmonics(rng, 3, 0.3)
        blocks = []
        for i, j in t.nodes:
            corners = [(i, j), (i + 1, j), (i + 1, j + 1), (i, j + 1)]
            if not all(c in t.nodes for c in corners):
                continue
            ring = [t.nodes[c] for c in corners]
            cx = sum(x for x, _ in ring) / 4
            cy = sum(y for _, y in ring) / 4
            ang = math.atan2(cy - centre[1], cx - centre[0])
            if math.dist((cx, cy), centre) < radius * radial(h, ang):
                blocks.append(qpoly(ring))
        geom = clean_polygon(QgsGeometry.unaryUnion(blocks))
        if geom.isMultipart():
            parts = sorted(
                (QgsGeometry.fromPolygonXY(x) for x in geom.asMultiPolygon()),
                key=lambda g: -g.area(),
            )
            geom = parts[0]
        # holes are courtyards of the union: a QPV outline has none here
        geom = clean_polygon(QgsGeometry.fromPolygonXY([geom.asPolygon()[0]]))
        out.append((q, geom))
    return out


def grid_cells(dep_geom):
    """200 m cells of the INSPIRE grid (EPSG:3035) whose centre is in the département."""
    from osgeo import osr

    s2154 = osr.SpatialReference()
    s2154.ImportFromEPSG(2154)
    s3035 = osr.SpatialReference()
    s3035.ImportFromEPSG(3035)
    for s in (s2154, s3035):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to3035 = osr.CoordinateTransformation(s2154, s3035)
    to2154 = osr.CoordinateTransformation(s3035, s2154)
    bb = dep_geom.boundingBox()
    corners = [
        to3035.TransformPoint(x, y)[:2]
        for x in (bb.xMinimum(), bb.xMaximum())
        for y in (bb.yMinimum(), bb.yMaximum())
    ]
    e0 = int(min(c[0] for c in corners) // 200 * 200) - 200
    e1 = int(max(c[0] for c in corners) // 200 * 200) + 400
    n0 = int(min(c[1] for c in corners) // 200 * 200) - 200
    n1 = int(max(c[1] for c in corners) // 200 * 200) + 400
    dep_idx = PolygonIndex([(1, dep_geom)])
    cells = []
    for n in range(n0, n1, 200):
        row = [(e + 100.0, n + 100.0) for e in range(e0, e1, 200)]
        centres = to2154.TransformPoints(row)
        for (ce, cn), c in zip(row, centres):
            if dep_idx.find(c[0], c[1]) is None:
                continue
            e, nn = int(ce - 100), int(cn - 100)
            ring = to2154.TransformPoints(
                [(e, nn), (e + 200, nn), (e + 200, nn + 200), (e, nn + 200)]
            )
            cells.append(
                {
                    "e": e,
                    "n": nn,
                    "centre": (c[0], c[1]),
                    "ring": rnd_pts([(x, y) for x, y, *_ in ring]),
                }
            )
    return cells


def make_population(cells, communes, towns, qpv_polys, roads, hamlets):
    com_idx = PolygonIndex([(c, g) for c, g in sorted(communes.items())])
    qpv_idx = PolygonIndex([(q[0], g) for q, g in qpv_polys])
    rng = rng_for("population")
    # scattered houses along rural roads, hamlets around their node
    houses: Dict[Tuple[int, int], float] = {}
    for r in roads:
        if r.attrs["urbain"] or r.attrs["nature"] not in ("Route à 1 chaussée", "Route empierrée"):
            continue
        L = line_length(r.pts)
        for _ in range(int(L // 250)):
            if rng.random() < 0.5:
                a = np.array(r.pts[int(rng.integers(len(r.pts)))])
                houses[(round(a[0] / 50), round(a[1] / 50))] = rng.uniform(0.5, 3.0)
    for hx, hy in hamlets:
        for _ in range(int(rng.integers(2, 6))):
            q = (hx + rng.normal(0, 120), hy + rng.normal(0, 120))
            houses[(round(q[0] / 50), round(q[1] / 50))] = rng.uniform(2.0, 6.0)
    house_pts = (
        np.array([(k[0] * 50.0, k[1] * 50.0) for k in houses]) if houses else np.zeros((0, 2))
    )
    house_w = np.array(list(houses.values())) if houses else np.zeros(0)
    for cell in cells:
        x, y = cell["centre"]
        code = com_idx.find(x, y)
        cell["commune"] = code
        w = 0.0
        for t in towns.values():
            p = t.place
            rel = t.rel((x, y))
            if rel < 1.08:
                peak = 40.0 if p.population > 5000 else (22.0 if p.is_town else 10.0)
                w += peak * math.exp(-((rel / 0.62) ** 2)) + 2.0
        qpv = qpv_idx.find(x, y)
        cell["qpv"] = qpv
        if qpv:
            w = w * 2.6 + 40.0
        if len(house_pts):
            d = np.hypot(*(house_pts - (x, y)).T)
            w += float(house_w[d < 141].sum()) * 0.6
        cell["w"] = w * float(rng.lognormal(0.0, 0.35)) if w > 0 else 0.0
    by_commune: Dict[str, list] = {}
    for cell in cells:
        if cell["commune"] and cell["w"] > 0:
            by_commune.setdefault(cell["commune"], []).append(cell)
    for p in PLACES:
        group = by_commune[p.code]
        weights = np.array([c["w"] for c in group])
        share = weights / weights.sum() * p.population
        base = np.floor(share).astype(int)
        rest = p.population - int(base.sum())
        order = np.argsort(-(share - base), kind="stable")
        base[order[:rest]] += 1
        for c, v in zip(group, base):
            c["ind"] = int(v)
    for cell in cells:
        cell.setdefault("ind", 0)
    kept = [c for c in cells if c["ind"] > 0]
    for c in kept:
        hh = 2.55 if c["qpv"] else (2.05 if c["w"] > 25 else 2.35)
        c["men"] = max(1, int(round(c["ind"] / hh * rng.uniform(0.92, 1.08))))
        poor = 0.42 if c["qpv"] else (0.14 if c["w"] > 25 else 0.09)
        c["men_pauv"] = int(round(c["men"] * min(0.9, poor * rng.uniform(0.7, 1.3))))
        level = 13800 if c["qpv"] else (21500 if c["w"] > 25 else 23500)
        c["ind_snv"] = round(c["ind"] * level * rng.uniform(0.85, 1.15), 1)
    return kept


# =============================================================================================
# 4. writing the GeoPackage
# =============================================================================================
LAYERS = {
    "departement": ("Département (fictif)", "MultiPolygon"),
    "communes": ("Communes (fictives)", "MultiPolygon"),
    "epci": ("EPCI (fictifs)", "MultiPolygon"),
    "troncon_de_route": ("Réseau routier (fictif)", "LineString"),
    "qpv": ("Quartiers prioritaires 2024 (fictifs)", "MultiPolygon"),
    "qpv_population": ("Population des QPV (fictive)", None),
    "france_services": ("France Services (fictives)", "Point"),
    "mairies": ("Mairies (fictives)", "Point"),
    "carreaux_200m": ("Population carroyée 200 m (fictive)", "Polygon"),
}

LAYER_ABSTRACTS = {
    "departement": "Contour du département fictif « {dep} » (code {code}).",
    "communes": "Communes fictives, champs au format IGN ADMIN EXPRESS COG v4 (plus nom, insee_dep, epci_siren, epci_nom).",
    "epci": "EPCI fictifs : union des communes membres, champs au format ADMIN EXPRESS COG v4.",
    "troncon_de_route": "Réseau routier fictif au format IGN BD TOPO v3 « troncon_de_route » : autoroute et bretelles, routes départementales, rues (dont sens uniques et giratoires), chemins et sentiers. Topologie : les tronçons se rejoignent par leurs extrémités.",
    "qpv": "Quartiers prioritaires fictifs au format ANCT QPV 2024 (fid, code_qp, lib_qp, insee_reg, lib_reg, insee_dep, lib_dep, insee_com, lib_com, siren_epci).",
    "qpv_population": "Population fictive des QPV (somme des carreaux dont le centre est dans le quartier).",
    "france_services": "Structures France Services fictives, champs de la liste ANCT (latitude/longitude WGS84 cohérentes avec la géométrie).",
    "mairies": "Mairies fictives, une par commune.",
    "carreaux_200m": "Population carroyée fictive au format INSEE Filosofi 200 m (identifiants INSPIRE EPSG:3035, géométrie Lambert-93). La somme de « ind » par commune (centre du carreau) égale la population de la commune.",
}


def field_specs(layer):
    S, I, R, B = "str", "int", "real", "bool"  # noqa: E741
    common = [("source", S)]
    specs = {
        "departement": [
            ("cleabs", S), ("nom_officiel", S), ("nom_officiel_en_majuscules", S),
            ("code_insee", S), ("code_insee_de_la_region", S), ("code_siren", S),
            ("nom", S), ("insee_dep", S),
        ],
        "communes": [
            ("cleabs", S), ("nom_officiel", S), ("nom_officiel_en_majuscules", S), ("statut", S),
            ("code_insee", S), ("population", I), ("date_du_recensement", S),
            ("organisme_recenseur", S), ("code_insee_du_departement", S),
            ("code_insee_de_la_region", S), ("code_siren", S), ("codes_siren_des_epci", S),
            ("code_postal", S), ("superficie_cadastrale", I),
            ("nom", S), ("insee_dep", S), ("epci_siren", S), ("epci_nom", S),
        ],
        "epci": [
            ("cleabs", S), ("nom_officiel", S), ("nom_officiel_en_majuscules", S), ("nature", S),
            ("codes_insee_des_communes_membres", S), ("codes_insee_des_departements_membres", S),
            ("code_siren", S), ("nom", S), ("epci_siren", S), ("population", I),
        ],
        "troncon_de_route": [
            ("cleabs", S), ("nature", S), ("importance", S), ("etat_de_l_objet", S),
            ("position_par_rapport_au_sol", S), ("nombre_de_voies", I), ("prive", B),
            ("sens_de_circulation", S), ("vitesse_moyenne_vl", I), ("acces_vehicule_leger", S),
            ("acces_pieton", S), ("urbain", B), ("insee_commune_gauche", S),
            ("insee_commune_droite", S), ("cpx_numero", S), ("cpx_classement_administratif", S),
        ],
        "qpv": [
            ("code_qp", S), ("lib_qp", S), ("insee_reg", S), ("lib_reg", S), ("insee_dep", S),
            ("lib_dep", S), ("insee_com", S), ("lib_com", S), ("siren_epci", S),
        ],
        "qpv_population": [("code_qp", S), ("lib_qp", S), ("insee_com", S), ("population", I)],
        "france_services": [
            ("id_fs", S), ("insee_dep", S), ("lib_fs", S), ("adresse", S),
            ("complement_adresse", S), ("insee_com", S), ("code_postal", S), ("lib_com", S),
            ("latitude", R), ("longitude", R), ("mail", S), ("telephone", S), ("h_lundi", S),
            ("h_mardi", S), ("h_mercredi", S), ("h_jeudi", S), ("h_vendredi", S),
            ("h_samedi", S), ("prise_rdv", S), ("commentaire", S), ("type_fs", S),
            ("format_fs", S), ("groupe_fs", S), ("labellisation_fs", S),
        ],
        "mairies": [
            ("code_insee", S), ("nom_commune", S), ("dep", S), ("adresse", S),
            ("telephone", S), ("email", S), ("site", S),
        ],
        "carreaux_200m": [
            ("idcar_200m", S), ("i_est_200", I),
            ("i_est_1km", I), ("lcog_geo", S), ("ind", R), ("men", R), ("men_pauv", R),
            ("ind_snv", R),
        ],
    }  # fmt: skip
    return specs[layer] + common


@dataclass
class Sample:
    """Everything the GeoPackage holds: per layer, a list of (wkt or None, attributes)."""

    layers: Dict[str, List[Tuple[Optional[str], dict]]]


PLACES_BY_CODE = {p.code: p for p in PLACES}


def build_sample(log=print) -> Sample:
    qgis_app()
    from qgis.core import QgsGeometry

    for p in PLACES:
        p.xy = (rnd(km(p.pos_km)[0]), rnd(km(p.pos_km)[1]))
    log("département and communes…")
    dep_ring = make_departement()
    dep_geom, communes = make_communes(dep_ring)
    log("towns and streets…")
    towns = build_towns(PLACES, np.array(motorway_axis()))
    qpv_zones = []
    for q in QPVS:
        centre, radius = qpv_anchor(q, communes)
        qpv_zones.append((centre, radius * 1.1))
    qpv_polys = make_qpv_polygons(towns, communes)
    for code in sorted(towns):
        town_streets(towns[code], qpv_zones)
    log("road network…")
    roads, hamlets = make_network(dep_geom, dep_ring, communes, towns, qpv_polys)
    roads = node_network(roads, communes, dep_geom)
    roads = add_roundabouts(roads, towns)
    roads = keep_main_component(roads)
    open_one_way_traps(roads)
    layers: Dict[str, list] = {k: [] for k in LAYERS}
    src = {"source": MENTION}

    # département
    dep_siren = fictitious_siren(100)
    layers["departement"].append(
        (
            QgsGeometry.collectGeometry([dep_geom]).asWkt(1),
            {
                "cleabs": "DEPARTE_" + "0" * 14 + "00",
                "nom_officiel": DEP_NAME,
                "nom_officiel_en_majuscules": DEP_NAME.upper(),
                "code_insee": DEP_CODE,
                "code_insee_de_la_region": REG_CODE,
                "code_siren": dep_siren,
                "nom": DEP_NAME,
                "insee_dep": DEP_CODE,
                **src,
            },
        )
    )
    # communes
    for i, p in enumerate(PLACES):
        g = communes[p.code]
        siren, ename, _nature = EPCIS[p.epci]
        layers["communes"].append(
            (
                QgsGeometry.collectGeometry([g]).asWkt(1),
                {
                    "cleabs": f"COMMUNE_{i + 1:016d}",
                    "nom_officiel": p.name,
                    "nom_officiel_en_majuscules": p.name.upper(),
                    "statut": p.statut,
                    "code_insee": p.code,
                    "population": p.population,
                    "date_du_recensement": "2023-01-01",
                    "organisme_recenseur": "Données fictives",
                    "code_insee_du_departement": DEP_CODE,
                    "code_insee_de_la_region": REG_CODE,
                    "code_siren": fictitious_siren(1000 + i + 1),
                    "codes_siren_des_epci": siren,
                    "code_postal": p.postal,
                    "superficie_cadastrale": int(round(g.area() / 10000.0)),
                    "nom": p.name,
                    "insee_dep": DEP_CODE,
                    "epci_siren": siren,
                    "epci_nom": ename,
                    **src,
                },
            )
        )
    # EPCI
    for i, key in enumerate(sorted(EPCIS, key=lambda k: EPCIS[k][0])):
        siren, ename, nature = EPCIS[key]
        members = [p for p in PLACES if p.epci == key]
        g = clean_polygon(QgsGeometry.unaryUnion([communes[p.code] for p in members]))
        layers["epci"].append(
            (
                QgsGeometry.collectGeometry([g]).asWkt(1),
                {
                    "cleabs": f"EPCI____{i + 1:016d}",
                    "nom_officiel": ename,
                    "nom_officiel_en_majuscules": ename.upper(),
                    "nature": nature,
                    "codes_insee_des_communes_membres": "/".join(p.code for p in members),
                    "codes_insee_des_departements_membres": DEP_CODE,
                    "code_siren": siren,
                    "nom": ename,
                    "epci_siren": siren,
                    "population": sum(p.population for p in members),
                    **src,
                },
            )
        )
    # roads
    log("road attributes…")
    com_idx = PolygonIndex([(c, g) for c, g in sorted(communes.items())])
    towns_urban = list(towns.values())
    feats = []
    for r in roads:
        a = r.attrs
        pts = r.pts
        k = len(pts) // 2 - (1 if len(pts) % 2 == 0 else 0)
        k = max(0, min(len(pts) - 2, k))
        (x1, y1), (x2, y2) = pts[k], pts[k + 1]
        mx, my = (x1 + x2) / 2, (y1 + y2) / 2
        L = math.hypot(x2 - x1, y2 - y1) or 1.0
        nx, ny = -(y2 - y1) / L, (x2 - x1) / L
        left = com_idx.find(mx + 3 * nx, my + 3 * ny)
        right = com_idx.find(mx - 3 * nx, my - 3 * ny)
        urban = a["urbain"] or any(t.rel((mx, my)) < 1.0 for t in towns_urban)
        nature = a["nature"]
        imp = a["importance"]
        if nature == "Type autoroutier":
            speed = 120
        elif nature == "Bretelle":
            speed = 50
        elif nature == "Rond-point":
            speed = 25
        elif nature == "Chemin":
            speed = 15
        elif nature == "Sentier":
            speed = 0
        elif nature == "Route empierrée":
            speed = 20
        elif urban:
            speed = URBAN_SPEED[imp] if not a["oneway"] else 25
        else:
            speed = RURAL_SPEED[imp]
        if a.get("sens") == "Sans objet":
            sens = "Sans objet"
        elif a["oneway"]:
            sens = "Sens direct"
        else:
            sens = "Double sens"
        if sens == "Sens direct" and nature == "Route à 1 chaussée":
            # half the one-way streets are digitised against the traffic, as in BD TOPO
            h = int(hashlib.md5(repr(pts[0]).encode()).hexdigest(), 16)
            if h % 2:
                pts = pts[::-1]
                sens = "Sens inverse"
        feats.append(
            (
                pts,
                {
                    "nature": nature,
                    "importance": imp,
                    "etat_de_l_objet": "En service",
                    "position_par_rapport_au_sol": a["position_par_rapport_au_sol"],
                    "nombre_de_voies": int(a["nombre_de_voies"]),
                    "prive": nature == "Chemin" and a["acces_vehicule_leger"] != "Libre",
                    "sens_de_circulation": sens,
                    "vitesse_moyenne_vl": speed,
                    "acces_vehicule_leger": a["acces_vehicule_leger"],
                    "acces_pieton": "Interdit"
                    if nature in ("Type autoroutier", "Bretelle")
                    else a["acces_pieton"],
                    "urbain": bool(urban),
                    "insee_commune_gauche": left,
                    "insee_commune_droite": right,
                    "cpx_numero": a["cpx_numero"],
                    "cpx_classement_administratif": a["cpx_classement_administratif"],
                    **src,
                },
            )
        )
    feats.sort(key=lambda f: (f[0][0], f[0][-1], len(f[0])))
    for i, (pts, attrs) in enumerate(feats):
        attrs = {"cleabs": f"TRONROUT{i + 1:016d}", **attrs}
        wkt = "LineString (" + ", ".join(f"{x:.1f} {y:.1f}" for x, y in pts) + ")"
        layers["troncon_de_route"].append((wkt, attrs))

    # QPV
    log("QPV, population grid, services…")
    place_names = {p.code: p.name for p in PLACES}
    cells = grid_cells(dep_geom)
    pop_cells = make_population(cells, communes, towns, qpv_polys, roads, hamlets)
    for q, geom in qpv_polys:
        code, name, host = q[:3]
        hosts = [c for c, g in sorted(communes.items()) if geom.intersection(g).area() > 10000.0]
        siren = EPCIS[PLACES_BY_CODE[host].epci][0]
        layers["qpv"].append(
            (
                QgsGeometry.collectGeometry([geom]).asWkt(1),
                {
                    "code_qp": code,
                    "lib_qp": name,
                    "insee_reg": REG_CODE,
                    "lib_reg": REG_NAME,
                    "insee_dep": DEP_CODE,
                    "lib_dep": DEP_NAME,
                    "insee_com": ", ".join(hosts),
                    "lib_com": ", ".join(place_names[c] for c in hosts),
                    "siren_epci": siren,
                    **src,
                },
            )
        )
        layers["qpv_population"].append(
            (
                None,
                {
                    "code_qp": code,
                    "lib_qp": name,
                    "insee_com": ", ".join(hosts),
                    "population": sum(c["ind"] for c in pop_cells if c["qpv"] == code),
                    **src,
                },
            )
        )
    # population grid
    by_km: Dict[Tuple[int, int], int] = {}
    for c in pop_cells:
        k = (c["e"] // 1000 * 1000, c["n"] // 1000 * 1000)
        by_km[k] = by_km.get(k, 0) + c["men"]
    cell_idx_geoms = sorted(communes.items())
    for c in sorted(pop_cells, key=lambda c: (c["n"], c["e"])):
        g = qpoly(c["ring"])
        touched = [
            code
            for code, cg in cell_idx_geoms
            if cg.boundingBox().intersects(g.boundingBox()) and cg.intersects(g)
        ]
        k1 = (c["e"] // 1000 * 1000, c["n"] // 1000 * 1000)
        layers["carreaux_200m"].append(
            (
                g.asWkt(1),
                {
                    "idcar_200m": f"CRS3035RES200mN{c['n']}E{c['e']}",
                    "i_est_200": 1 if c["men"] < 11 else 0,
                    "i_est_1km": 1 if by_km[k1] < 11 else 0,
                    "lcog_geo": "".join(touched),
                    "ind": float(c["ind"]),
                    "men": float(c["men"]),
                    "men_pauv": float(c["men_pauv"]),
                    "ind_snv": float(c["ind_snv"]),
                    **src,
                },
            )
        )
    # mairies and France Services: on the street, a few metres from a junction
    layers["mairies"] = make_mairies(towns)
    layers["france_services"] = make_france_services(towns, qpv_polys, communes)
    return Sample(layers)


def _frontage(t: Town, key, rng, offset=12.0):
    """A point beside the street near grid node ``key`` (building front)."""
    adj = t.adjacency()
    a = t.nodes[key]
    nbrs = sorted(adj.get(key, []))
    b = t.nodes[nbrs[int(rng.integers(len(nbrs)))]] if nbrs else (a[0] + 50, a[1])
    d = np.array(b) - np.array(a)
    L = np.linalg.norm(d) or 1.0
    along = min(30.0, L / 3)
    p = np.array(a) + d / L * along + np.array([-d[1], d[0]]) / L * offset
    return (rnd(p[0]), rnd(p[1]))


def _wgs84():
    from osgeo import osr

    s = osr.SpatialReference()
    s.ImportFromEPSG(2154)
    t = osr.SpatialReference()
    t.ImportFromEPSG(4326)
    for x in (s, t):
        x.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(s, t)


STREETS = ["place de la Mairie", "rue de la République", "avenue Jean-Jaurès", "rue Victor-Hugo",
           "place de l'Église", "rue des Écoles", "rue du Marché", "allée des Tilleuls"]  # fmt: skip


def make_mairies(towns):
    out = []
    for i, p in enumerate(PLACES):
        t = towns[p.code]
        rng = rng_for("mairie", p.code)
        xy = _frontage(t, (0, 0), rng)
        slug = _slug(p.name)
        out.append(
            (
                f"Point ({xy[0]:.1f} {xy[1]:.1f})",
                {
                    "code_insee": p.code,
                    "nom_commune": p.name,
                    "dep": DEP_CODE,
                    "adresse": f"{1 + i % 9} {STREETS[i % 2 * 4]}, {p.postal} {p.name}",
                    "telephone": f"01 99 00 {10 + i:02d} {20 + i:02d}",
                    "email": f"mairie@{slug}.example",
                    "site": f"https://www.{slug}.example",
                    "source": MENTION,
                },
            )
        )
    return out


def _slug(name):
    import unicodedata

    s = unicodedata.normalize("NFKD", name.lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return "".join(ch if ch.isalnum() else "-" for ch in s).strip("-")


FS_SITES = [
    # (host, where: "centre" | qpv code | bearing deg + relative radius, type, format, label)
    ("00001", "centre", "Principal", "Fixe", "France services Valmont-sur-Sylve – centre-ville"),
    ("00001", "QN00001M", "Principal", "Fixe", "France services Les Hauts de Valmont"),
    ("00002", "centre", "Principal", "Fixe", "France services Brenaval"),
    ("00003", "centre", "Principal", "Fixe_antenne(s)", "France services Sarlande-la-Forêt"),
    ("00004", "centre", "Principal", "Fixe", "France services du Pays de Courtevent"),
    (
        "00012",
        "centre",
        "Antenne",
        "Fixe_antenne(s)",
        "France services Sarlande – antenne d'Escoussac",
    ),
]


def make_france_services(towns, qpv_polys, communes):
    to_wgs = _wgs84()
    qpv_geom = {q[0]: g for q, g in qpv_polys}
    com_idx = PolygonIndex([(c, g) for c, g in sorted(communes.items())])
    out = []
    hours = [
        ("09:00 - 12:00 / 13:30 - 17:00",) * 5 + ("09:00 - 12:00",),
        ("09:00 - 12:30 / 14:00 - 17:30",) * 4 + ("09:00 - 12:30", ""),
        ("14:00 - 17:30", "09:00 - 12:00 / 14:00 - 17:30", "09:00 - 12:00", "09:00 - 12:00 / 14:00 - 17:30", "09:00 - 12:00 / 13:30 - 16:30", "09:30 - 12:00"),
    ]  # fmt: skip
    for i, (host, where, kind, fmt, label) in enumerate(FS_SITES):
        t = towns[host]
        rng = rng_for("fs", i)
        if where == "centre":
            cands = sorted(k for k in t.nodes if 1 <= abs(k[0]) + abs(k[1]) <= 2)
        else:
            g = qpv_geom[where]
            c = g.centroid().asPoint()
            cands = sorted(t.nodes, key=lambda k: math.dist(t.nodes[k], (c.x(), c.y())))[:3]
        cands = [k for k in cands if k in t.adjacency()] or [(0, 0)]
        key = cands[int(rng.integers(len(cands)))]
        xy = _frontage(t, key, rng)
        lon, lat, *_ = to_wgs.TransformPoint(xy[0], xy[1])
        code = com_idx.find(*xy) or host
        p = PLACES_BY_CODE[code]
        slug = _slug(p.name)
        h = hours[i % len(hours)]
        out.append(
            (
                f"Point ({xy[0]:.1f} {xy[1]:.1f})",
                {
                    "id_fs": f"{90001 + i}",
                    "insee_dep": DEP_CODE,
                    "lib_fs": label,
                    "adresse": f"{2 + 3 * i} {STREETS[(i + 1) % len(STREETS)]}",
                    "complement_adresse": "",
                    "insee_com": code,
                    "code_postal": p.postal,
                    "lib_com": p.name,
                    "latitude": round(lat, 6),
                    "longitude": round(lon, 6),
                    "mail": f"france-services@{slug}.example",
                    "telephone": f"01 99 00 {50 + i:02d} {60 + i:02d}",
                    "h_lundi": h[0],
                    "h_mardi": h[1],
                    "h_mercredi": h[2],
                    "h_jeudi": h[3],
                    "h_vendredi": h[4],
                    "h_samedi": h[5],
                    "prise_rdv": "Oui" if i % 3 == 0 else "Non",
                    "commentaire": MENTION,
                    "type_fs": kind,
                    "format_fs": fmt,
                    "groupe_fs": "Sarlande" if host in ("00003", "00012") else "",
                    "labellisation_fs": f"Espace labellisé 01/{1 + i % 9:02d}/2021",
                    "source": MENTION,
                },
            )
        )
    return out


def write_gpkg(sample: Sample, path: Path) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace."""
    from osgeo import gdal, ogr, osr

    gdal.UseExceptions()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".gpkg", dir=str(path.parent))
    os.close(fd)
    os.unlink(tmp)
    gdal.SetConfigOption("OGR_CURRENT_DATE", GENERATED_ON + "Z")
    try:
        drv = ogr.GetDriverByName("GPKG")
        ds = drv.CreateDataSource(tmp)
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(2154)
        types = {
            "str": ogr.OFTString,
            "int": ogr.OFTInteger,
            "real": ogr.OFTReal,
            "bool": ogr.OFTInteger,
        }
        gtypes = {
            "MultiPolygon": ogr.wkbMultiPolygon,
            "Polygon": ogr.wkbPolygon,
            "LineString": ogr.wkbLineString,
            "Point": ogr.wkbPoint,
        }
        for name, (title, gtype) in LAYERS.items():
            opts = [f"IDENTIFIER={title}", f"DESCRIPTION={MENTION}. {_abstract(name)}", "FID=fid"]
            if gtype:
                opts += ["GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"]
                lyr = ds.CreateLayer(name, srs, gtypes[gtype], options=opts)
            else:
                lyr = ds.CreateLayer(name, None, ogr.wkbNone, options=opts)
            for fname, ftype in field_specs(name):
                fd_ = ogr.FieldDefn(fname, types[ftype])
                if ftype == "bool":
                    fd_.SetSubType(ogr.OFSTBoolean)
                lyr.CreateField(fd_)
            lyr.StartTransaction()
            defn = lyr.GetLayerDefn()
            for wkt, attrs in sample.layers[name]:
                f = ogr.Feature(defn)
                for fname, _t in field_specs(name):
                    v = attrs.get(fname)
                    if v is None:
                        f.SetFieldNull(fname)
                    elif isinstance(v, bool):
                        f.SetField(fname, int(v))
                    else:
                        f.SetField(fname, v)
                if wkt:
                    f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
                lyr.CreateFeature(f)
            lyr.CommitTransaction()
        ds = None
        write_metadata(tmp)
        os.replace(tmp, path)
    finally:
        gdal.SetConfigOption("OGR_CURRENT_DATE", None)
        if os.path.exists(tmp):
            os.unlink(tmp)


def _abstract(name):
    return LAYER_ABSTRACTS[name].format(dep=DEP_NAME, code=DEP_CODE)


def provenance_for(name):
    from cget_plugin.core.provenance import Provenance

    title = LAYERS[name][0]
    return Provenance(
        producer="Plugin CGET",
        dataset=title,
        vintage=VINTAGE,
        licence="",
        retrieved=GENERATED_ON,
        notes=["données fictives", MENTION],
        credit=CREDIT,
        parameters={"generator": "scripts/make_sample.py", "seed": SEED},
    )


GPKG_METADATA_DDL = [
    "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL,"
    "md_scope TEXT NOT NULL DEFAULT 'dataset',md_standard_uri TEXT NOT NULL,"
    "mime_type TEXT NOT NULL DEFAULT 'text/xml',metadata TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL,"
    "table_name TEXT,column_name TEXT,row_id_value INTEGER,timestamp DATETIME NOT NULL DEFAULT "
    "(strftime('%Y-%m-%dT%H:%M:%fZ','now')),md_file_id INTEGER NOT NULL,md_parent_id INTEGER,"
    "CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),"
    "CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id))",
]
METADATA_EXTENSION = "http://www.geopackage.org/spec120/#extension_metadata"


def layer_metadata_xml(name) -> str:
    """QGIS layer metadata (title, abstract, rights, provenance keyword) as QGIS stores it in a
    GeoPackage: read back by QGIS on load, and by ``core.provenance.read_from_layer``."""
    qgis_app()
    from qgis.core import Qgis, QgsCoordinateReferenceSystem, QgsVectorLayer
    from qgis.PyQt.QtXml import QDomDocument, QDomImplementation

    from cget_plugin.core.provenance import apply_to_layer

    title = LAYERS[name][0]
    holder = QgsVectorLayer("None", title, "memory")
    apply_to_layer(holder, provenance_for(name))
    md = holder.metadata()
    md.setIdentifier(name)
    md.setTitle(title)
    md.setAbstract(
        f"{MENTION}.\n{_abstract(name)}\n"
        "Territoire, noms, codes, populations, routes et quartiers inventés : ils ne décrivent "
        "aucun lieu réel. / Fictitious demonstration data: invented territory, names, codes "
        "and figures; they describe no real place."
    )
    md.setLanguage("fra")
    md.setType("dataset")
    md.setRights([CREDIT])
    if LAYERS[name][1]:
        md.setCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    doc = QDomDocument(
        QDomImplementation().createDocumentType("qgis", "http://mrcc.com/qgis.dtd", "SYSTEM")
    )
    root = doc.createElement("qgis")
    root.setAttribute("version", Qgis.version())
    doc.appendChild(root)
    md.writeMetadataXml(root, doc)
    return doc.toString()


def write_metadata(path) -> None:
    con = sqlite3.connect(str(path))
    try:
        for ddl in GPKG_METADATA_DDL:
            con.execute(ddl)
        for table in ("gpkg_metadata", "gpkg_metadata_reference"):
            con.execute(
                "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
                "SELECT ?, NULL, 'gpkg_metadata', ?, 'read-write' WHERE NOT EXISTS "
                "(SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_metadata')",
                (table, METADATA_EXTENSION, table),
            )
        for name in LAYERS:
            cur = con.execute(
                "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                "VALUES ('dataset', 'http://mrcc.com/qgis.dtd', 'text/xml', ?)",
                (layer_metadata_xml(name),),
            )
            con.execute(
                "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, "
                "row_id_value, timestamp, md_file_id, md_parent_id) VALUES ('table', ?, NULL, NULL, ?, ?, NULL)",
                (name, GENERATED_ON + ".000Z", cur.lastrowid),
            )
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    log = (lambda *_: None) if args.quiet else (lambda m: print(f"make_sample: {m}", flush=True))
    sample = build_sample(log)
    out = Path(args.output)
    write_gpkg(sample, out)
    counts = ", ".join(f"{k} {len(v)}" for k, v in sample.layers.items())
    log(f"wrote {out} ({out.stat().st_size / 1e6:.2f} MB): {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
