"""Step 3: priority neighbourhoods (QPV) on street blocks and the population grid (INSEE
Filosofi 200 m cells on the INSPIRE grid), each commune's population shared over its cells."""

from __future__ import annotations

import math
from typing import Dict, Tuple

import numpy as np

from .geometry import (
    PolygonIndex,
    bearing_vec,
    clean_polygon,
    harmonics,
    line_length,
    qpoly,
    radial,
    rnd_pts,
    rng_for,
)
from .territory import PLACES, PLACES_BY_CODE, QPVS


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


def _houses(roads, hamlets, rng):
    """Scattered houses along rural roads and around hamlets: positions and weights."""
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
    return house_pts, house_w


def _town_weight(towns, x, y) -> float:
    """Density of the built-up areas at (x, y): a peak at each centre, by size."""
    w = 0.0
    for t in towns.values():
        p = t.place
        rel = t.rel((x, y))
        if rel < 1.08:
            peak = 40.0 if p.population > 5000 else (22.0 if p.is_town else 10.0)
            w += peak * math.exp(-((rel / 0.62) ** 2)) + 2.0
    return w


def _weigh_cells(cells, com_idx, qpv_idx, towns, houses, rng) -> None:
    """Each cell's commune, QPV and relative weight (towns, QPV, houses, some noise)."""
    house_pts, house_w = houses
    for cell in cells:
        x, y = cell["centre"]
        cell["commune"] = com_idx.find(x, y)
        w = _town_weight(towns, x, y)
        qpv = qpv_idx.find(x, y)
        cell["qpv"] = qpv
        if qpv:
            w = w * 2.6 + 40.0
        if len(house_pts):
            d = np.hypot(*(house_pts - (x, y)).T)
            w += float(house_w[d < 141].sum()) * 0.6
        cell["w"] = w * float(rng.lognormal(0.0, 0.35)) if w > 0 else 0.0


def _share_population(cells) -> None:
    """Each commune's population over its cells by weight, largest remainders rounded up, so
    that the cells of a commune sum to its population exactly."""
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


def make_population(cells, communes, towns, qpv_polys, roads, hamlets):
    """Inhabited cells with Filosofi's counts: persons, households, poor households, income."""
    com_idx = PolygonIndex([(c, g) for c, g in sorted(communes.items())])
    qpv_idx = PolygonIndex([(q[0], g) for q, g in qpv_polys])
    rng = rng_for("population")
    houses = _houses(roads, hamlets, rng)
    _weigh_cells(cells, com_idx, qpv_idx, towns, houses, rng)
    _share_population(cells)
    kept = [c for c in cells if c["ind"] > 0]
    for c in kept:
        hh = 2.55 if c["qpv"] else (2.05 if c["w"] > 25 else 2.35)
        c["men"] = max(1, int(round(c["ind"] / hh * rng.uniform(0.92, 1.08))))
        poor = 0.42 if c["qpv"] else (0.14 if c["w"] > 25 else 0.09)
        c["men_pauv"] = int(round(c["men"] * min(0.9, poor * rng.uniform(0.7, 1.3))))
        level = 13800 if c["qpv"] else (21500 if c["w"] > 25 else 23500)
        c["ind_snv"] = round(c["ind"] * level * rng.uniform(0.85, 1.15), 1)
    return kept
