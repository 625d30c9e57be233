"""The motorway: two one-way carriageways along a smoothed axis, three diamond interchanges
whose link road crosses over it on a bridge."""

from __future__ import annotations

import math
from typing import List

import numpy as np

from .geometry import chaikin, km, lines_of, qline, rnd, rnd_pts
from .roads import Road, road_attrs
from .territory import INTERCHANGES, MOTORWAY_KM, MOTORWAY_REF, PLACES_BY_CODE, Coord

HALF_WIDTH = 11.0  # m from the axis to each carriageway
MOTORWAY_ATTRS = dict(cpx_numero=MOTORWAY_REF, cpx_classement_administratif="Autoroute")


def motorway_axis() -> List[Coord]:
    axis = chaikin([km(p) for p in MOTORWAY_KM], 5)
    return [(p.x(), p.y()) for p in qline(axis).densifyByDistance(40.0).asPolyline()]


def _ramp_indexes(axis_pts) -> List[int]:
    """Axis vertex of each interchange: the nearest to its town, away from the ends."""
    ramps_at = []
    for place_code, _number, _imp in INTERCHANGES:
        c = PLACES_BY_CODE[place_code].xy
        k = int(np.argmin([math.dist(c, q) for q in axis_pts]))
        ramps_at.append(max(15, min(len(axis_pts) - 16, k)))
    return ramps_at


def _offset_point(axis_pts, k, side):
    """Point of carriageway ``side`` (+1 right, -1 left) at axis vertex ``k``, the axis
    direction there and its right-hand normal."""
    a = np.array(axis_pts[max(0, k - 1)])
    b = np.array(axis_pts[min(len(axis_pts) - 1, k + 1)])
    d = (b - a) / np.linalg.norm(b - a)
    right = np.array([d[1], -d[0]])
    q = np.array(axis_pts[k]) + side * HALF_WIDTH * right
    return (rnd(q[0]), rnd(q[1])), d, right


def _rounded(q):
    return (rnd(q[0]), rnd(q[1]))


def _link_road(roads, m, right, jx):
    """The link road of interchange ``jx`` across the motorway at ``m``, perpendicular to it;
    returns its ramp junctions by side, its town end and its outer end."""
    towards = PLACES_BY_CODE[INTERCHANGES[jx][0]].xy
    side_town = 1 if np.dot(np.array(towards) - m, right) > 0 else -1
    j_near = {s: _rounded(tuple(m + s * 160.0 * right)) for s in (+1, -1)}
    bridge = {s: _rounded(tuple(m + s * 35.0 * right)) for s in (+1, -1)}
    end_town = _rounded(tuple(m + side_town * 700.0 * right))
    end_out = _rounded(tuple(m - side_town * 650.0 * right))
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
    return j_near, end_town, end_out


def _ramp(a_pt, b_pt, bulge) -> List[Coord]:
    """A quadratic Bézier from ``a_pt`` to ``b_pt`` bowed by the vector ``bulge``."""
    ctrl_pt = (np.array(a_pt) + np.array(b_pt)) / 2 + bulge
    bez = [
        tuple((1 - u) ** 2 * np.array(a_pt) + 2 * u * (1 - u) * ctrl_pt + u**2 * np.array(b_pt))
        for u in np.linspace(0, 1, 14)
    ]
    bez[0], bez[-1] = a_pt, b_pt
    return rnd_pts(bez)


def _diamond(roads, carriage, mway_cuts, k, j_near, right):
    """Exit and entry ramps of a diamond: carriageway +1 runs along the axis on the right
    side, carriageway -1 the other way."""
    for s in (+1, -1):
        off_k = k - s * 9
        on_k = k + s * 9
        mway_cuts[s].update({off_k, on_k})
        for a_pt, b_pt in ((carriage[s][off_k], j_near[s]), (j_near[s], carriage[s][on_k])):
            roads.append(
                Road(
                    _ramp(a_pt, b_pt, s * 45.0 * right),
                    road_attrs("Bretelle", "1", oneway=True, forward=True, **MOTORWAY_ATTRS),
                )
            )


def _carriageways(roads, carriage, mway_cuts, dep_geom):
    """Carriageway pieces between ramps, clipped to the département, in the direction of
    travel; they take no part in the noding (the bridges cross them)."""
    for s in (+1, -1):
        pts = carriage[s]
        bounds = [0, *sorted(mway_cuts[s]), len(pts) - 1]
        for a_i, b_i in zip(bounds[:-1], bounds[1:]):
            piece = pts[a_i : b_i + 1]
            if s < 0:
                piece = piece[::-1]  # digitised in the direction of travel
            clipped = qline(piece).intersection(dep_geom)
            for part in lines_of(clipped):
                attrs = road_attrs(
                    "Type autoroutier",
                    "1",
                    oneway=True,
                    forward=True,
                    nombre_de_voies=2,
                    **MOTORWAY_ATTRS,
                )
                roads.append(Road(rnd_pts(part), attrs, node=False))


def make_motorway(roads: List[Road], axis_pts, dep_geom):
    """Append the motorway and its interchanges to ``roads``; return the link roads' town
    ends (the J nodes of the rural graph) and outer ends (the L nodes)."""
    junctions, link_outer = [], []
    carriage = {
        side: [_offset_point(axis_pts, k, side)[0] for k in range(len(axis_pts))]
        for side in (+1, -1)
    }
    mway_cuts = {+1: set(), -1: set()}
    for jx, k in enumerate(_ramp_indexes(axis_pts)):
        m = np.array(axis_pts[k])
        _, _d, right = _offset_point(axis_pts, k, +1)
        j_near, end_town, end_out = _link_road(roads, m, right, jx)
        junctions.append(end_town)
        link_outer.append(end_out)
        _diamond(roads, carriage, mway_cuts, k, j_near, right)
    _carriageways(roads, carriage, mway_cuts, dep_geom)
    return junctions, link_outer
