"""Step 2: the road network, in the order its parts are drawn: motorway and interchanges,
rural roads, departmental roads through the towns, links between touching towns, town streets,
forest tracks and village footpaths."""

from __future__ import annotations

import math
from typing import List

import numpy as np

from .geometry import PolygonIndex, chaikin, line_length, rnd_pts, rng_for, wiggle
from .motorway import make_motorway, motorway_axis
from .roads import Road, road_attrs
from .rural import rural_roads
from .territory import PLACES

FOOTPATH = dict(acces_vehicule_leger="Physiquement impossible", sens="Sans objet")


def _through_towns(marks) -> None:
    """Departmental roads continue through towns up to the centre."""
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


def _town_links(roads, ta, tb) -> None:
    """Towns touching each other: a few links between their outer nodes, 350 m apart."""
    if math.dist(ta.centre, tb.centre) > ta.place.radius * 1.5 + tb.place.radius * 1.5:
        return
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


def _town_street_roads(roads, towns) -> None:
    """Town streets as roads, one-way ones digitised in the direction of travel."""
    for code in sorted(towns):
        t = towns[code]
        for (a, b), attrs in sorted(t.edges.items()):
            pa, pb = t.nodes[a], t.nodes[b]
            if attrs.get("oneway") and not attrs.get("forward", True):
                pa, pb = pb, pa
            attrs = dict(attrs)
            attrs["forward"] = True
            roads.append(Road([pa, pb], attrs))


def _track(line, trng, inside, axis_arr, all_places):
    """A track leaving the local road ``line`` sideways, stopped before built-up areas, the
    motorway corridor and the outline; None when too short (or ``line`` has no inner vertex)."""
    if len(line) < 3:
        return None
    k = int(trng.integers(1, len(line) - 1))
    start = line[k]
    d = np.array(line[k + 1]) - np.array(line[k - 1])
    d = d / (np.linalg.norm(d) or 1.0)
    side = 1 if trng.random() < 0.5 else -1
    ang = math.atan2(d[1], d[0]) + side * (math.pi / 2 + trng.normal(0, 0.25))
    length = trng.uniform(900, 3800)
    end = (start[0] + length * math.cos(ang), start[1] + length * math.sin(ang))
    pts = wiggle(start, end, trng, amp=0.015, seg=400.0)
    kept = [pts[0]]
    for q in pts[1:]:
        if any(math.dist(q, c) < r * 1.2 + 150 for c, r in all_places):
            break
        if np.min(np.hypot(*(axis_arr - q).T)) < 40:
            break
        if not inside(q):
            break
        kept.append(q)
    return kept if line_length(kept) >= 400 else None


def _tracks(roads, rural_lines, inside, axis_arr) -> None:
    """Forest tracks (some private) and footpaths off the local roads."""
    trng = rng_for("tracks")
    all_places = [(p.xy, p.radius) for p in PLACES]
    for _ in range(110):
        line = rural_lines[int(trng.integers(len(rural_lines)))]
        kept = _track(line, trng, inside, axis_arr, all_places)
        if kept is None:
            continue
        if trng.random() < 0.2:
            attrs = road_attrs("Sentier", "6", nombre_de_voies=0, **FOOTPATH)
        else:
            acc = "Libre" if trng.random() < 0.7 else "Restreint aux ayants droit"
            attrs = road_attrs("Chemin", "6", acces_vehicule_leger=acc, nombre_de_voies=1)
        roads.append(Road(rnd_pts(kept), attrs))


def _village_footpaths(roads, towns, inside) -> None:
    """A footpath out of each village from one of its outer nodes."""
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
                Road(rnd_pts(pts), road_attrs("Sentier", "6", nombre_de_voies=0, **FOOTPATH))
            )


def make_network(dep_geom, towns):
    """Every road of the sample (not yet noded) and the hamlets' positions."""
    roads: List[Road] = []
    dep_idx = PolygonIndex([(1, dep_geom)])
    dep_inner = PolygonIndex([(1, dep_geom.buffer(-400.0, 4))])

    def inside(xy, inner=False):
        return (dep_inner if inner else dep_idx).find(*xy) is not None

    axis_pts = motorway_axis()
    motorway_ends = make_motorway(roads, axis_pts, dep_geom)
    axis_arr = np.array(axis_pts)
    marks, rural_lines, hamlets = rural_roads(
        roads, dep_idx, inside, motorway_ends, axis_arr, towns
    )
    _through_towns(marks)
    codes = sorted(towns)
    for i, ca_ in enumerate(codes):
        for cb in codes[i + 1 :]:
            _town_links(roads, towns[ca_], towns[cb])
    _town_street_roads(roads, towns)
    _tracks(roads, rural_lines, inside, axis_arr)
    _village_footpaths(roads, towns, inside)
    return roads, hamlets
