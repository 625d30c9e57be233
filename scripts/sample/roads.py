"""Road features and the network's topology: noding at crossings and commune limits,
roundabouts, one-way traps opened, the main connected component kept."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, Tuple

import numpy as np

from .geometry import PolygonIndex, line_length, lines_of, polygons_of, qline, rnd, rnd_pts
from .territory import Coord


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


def _road_ends(roads: List[Road]) -> Dict[Coord, List[Tuple[int, int]]]:
    """Road ends by position: (road index, 0 for the start or -1 for the end)."""
    ends: Dict[Coord, List[Tuple[int, int]]] = {}
    for ri, r in enumerate(roads):
        ends.setdefault(r.pts[0], []).append((ri, 0))
        ends.setdefault(r.pts[-1], []).append((ri, -1))
    return ends


def _roundabout_candidate(roads: List[Road], inc) -> bool:
    """A junction of at least three plain two-way ground roads, two of them main ones."""
    if len(inc) < 3:
        return False
    imps = sorted(int(roads[ri].attrs["importance"]) for ri, _ in inc)
    if imps[0] > 3 or imps[1] > 4:
        return False
    attrs = [roads[ri].attrs for ri, _ in inc]
    if any(a["nature"] != "Route à 1 chaussée" for a in attrs):
        return False
    if any(a.get("oneway") for a in attrs):
        return False
    return all(a.get("position_par_rapport_au_sol") == "0" for a in attrs)


def _roundabout_sites(roads: List[Road], ends, towns) -> List[Coord]:
    """At most nine junctions near a town's edge, 1.5 km apart."""
    candidates = []
    for xy, inc in ends.items():
        if not _roundabout_candidate(roads, inc):
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
    return chosen


def _cut_at_circle(pts, c, radius):
    """Where the line ``pts`` (starting at the centre ``c``) leaves the circle: its angle, the
    point on the circle and the rest of the line from there; None if it never does."""
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
            return ang, qq, [qq, *pts[k:]]
    return None


def _ring_arcs(c, radius, cut_angles, imp_best) -> List[Road]:
    """The one-way ring between consecutive cuts, anticlockwise."""
    arcs = []
    for i, (ang, qq, *_rest) in enumerate(cut_angles):
        ang2, qq2 = cut_angles[(i + 1) % len(cut_angles)][:2]
        span = (ang2 - ang) % (2 * math.pi) or 2 * math.pi
        steps = max(2, int(span / math.radians(20)))
        arc = [qq]
        for s in range(1, steps):
            t_ = ang + span * s / steps
            arc.append((rnd(c[0] + radius * math.cos(t_)), rnd(c[1] + radius * math.sin(t_))))
        arc.append(qq2)
        arcs.append(
            Road(
                rnd_pts(arc),
                road_attrs("Rond-point", imp_best, urban=True, oneway=True, forward=True),
            )
        )
    return arcs


def _make_roundabout(roads: List[Road], c, incident, radius) -> List[Road]:
    """Cut the roads meeting at ``c`` back to the circle and return the ring's arcs (none if
    a road is too short to be cut)."""
    cut_angles = []
    imp_best = "6"
    for ri, end in incident:
        r = roads[ri]
        pts = r.pts if end == 0 else r.pts[::-1]
        if line_length(pts) < 4 * radius:
            return []
        cut = _cut_at_circle(pts, c, radius)
        if cut is None:
            return []
        cut_angles.append((*cut[:2], ri, end, cut[2]))
        imp_best = min(imp_best, r.attrs["importance"], key=int)
    if not cut_angles:
        return []
    cut_angles.sort()
    for _ang, _qq, ri, end, rest in cut_angles:
        roads[ri].pts = rnd_pts(rest if end == 0 else rest[::-1])
    return _ring_arcs(c, radius, cut_angles, imp_best)


def add_roundabouts(roads: List[Road], towns) -> List[Road]:
    """Turn the busiest junctions at town gates into roundabouts (anticlockwise one-way ring)."""
    ends = _road_ends(roads)
    new_roads = []
    for c in _roundabout_sites(roads, ends, towns):
        new_roads.extend(_make_roundabout(roads, c, ends[c], radius=18.0))
    return roads + new_roads


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
