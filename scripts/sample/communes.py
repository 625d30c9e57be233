"""Step 1: the département outline and its communes (Voronoi cells with wiggly limits)."""

from __future__ import annotations

import math
from typing import Dict, List

import numpy as np

from .geometry import (
    PolygonIndex,
    clean_polygon,
    km,
    lines_of,
    polygons_of,
    qline,
    qpoint,
    qpoly,
    radial,
    rnd_pts,
    rng_for,
    wiggle,
)
from .territory import CENTRE, DEP_SEMI_AXES, DEP_SHAPE_VARIANT, PLACES, Coord


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
