"""Small geometry helpers: seeded random generators, numpy line shaping (midpoint displacement,
Chaikin smoothing, radial harmonics) and the few QGIS/GEOS calls the generator makes."""

from __future__ import annotations

import hashlib
import math
import os
from typing import List

import numpy as np

from .territory import CENTRE, SEED, Coord


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
