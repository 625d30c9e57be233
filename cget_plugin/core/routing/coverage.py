"""Population units -> time to the nearest facility, and population covered per threshold/zone.

Each sample of a population unit (:mod:`population`) is attached to the network (nearest point
on an edge within the tolerance); its time is the network time at that point plus the
off-network leg at walking speed, as in the isochrones. Zones (QPV, communes...) get the exact
share of each unit inside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..definitions import CODE_FIELD_CANDIDATES, NAME_FIELD_CANDIDATES, first_field, kmh_to_ms
from ..errors import CancelledError
from ..i18n import tr
from . import graph_memo
from .graph import RoadGraph, Snap
from .population import PopulationUnits
from .profiles import WALK_SPEED_KMH


def _check_cancel(feedback, what=None):
    if feedback is not None and feedback.isCanceled():
        raise CancelledError(what or tr("Cancelled during the access-time computation."))


# ---------------------------------------------------------------------------------------------
def points_in_rings(xy: np.ndarray, rings: Sequence[np.ndarray], chunk: int = 4096) -> np.ndarray:
    """Even-odd point-in-polygon of ``xy`` against all ``rings`` (outer and holes) at once."""
    inside = np.zeros(len(xy), bool)
    if not len(xy):
        return inside
    px = xy[:, 0]
    py = xy[:, 1]
    for ring in rings:
        if len(ring) < 3:
            continue
        x1, y1 = ring[:-1, 0], ring[:-1, 1]
        x2, y2 = ring[1:, 0], ring[1:, 1]
        for start in range(0, len(x1), chunk):
            sl = slice(start, start + chunk)
            a1, b1, a2, b2 = x1[sl], y1[sl], x2[sl], y2[sl]
            cond = (b1[None, :] > py[:, None]) != (b2[None, :] > py[:, None])
            with np.errstate(divide="ignore", invalid="ignore"):
                xcross = (a2 - a1)[None, :] * (py[:, None] - b1[None, :]) / (b2 - b1)[None, :] + a1[
                    None, :
                ]
            crossings = (cond & (px[:, None] < xcross)).sum(axis=1)
            inside ^= (crossings % 2).astype(bool)
    return inside


def wkb_rings(wkb: bytes) -> Tuple[List[np.ndarray], Tuple[float, float, float, float]]:
    """Every ring of a (multi)polygon WKB as (n, 2) arrays, and its envelope."""
    from osgeo import ogr

    geom = ogr.CreateGeometryFromWkb(wkb)
    rings: List[np.ndarray] = []
    if geom is None:
        return rings, (0, 0, 0, 0)

    def _walk(g):
        name = g.GetGeometryName()
        if name == "LINEARRING":
            pts = np.asarray(g.GetPoints() or [], float)
            if len(pts):
                rings.append(pts[:, :2])
            return
        for i in range(g.GetGeometryCount()):
            _walk(g.GetGeometryRef(i))

    _walk(geom)
    return rings, geom.GetEnvelope()


def points_in_wkb(xy: np.ndarray, wkb: bytes) -> np.ndarray:
    rings, (x0, x1, y0, y1) = wkb_rings(wkb)
    mask = np.zeros(len(xy), bool)
    if not rings or not len(xy):
        return mask
    box = (xy[:, 0] >= x0) & (xy[:, 0] <= x1) & (xy[:, 1] >= y0) & (xy[:, 1] <= y1)
    idx = np.nonzero(box)[0]
    mask[idx] = points_in_rings(xy[idx], rings)
    return mask


# ---------------------------------------------------------------------------------------------
@dataclass
class AccessResult:
    sample_minutes: np.ndarray  # (S,) inf when unreachable or unsnapped
    sample_origin: np.ndarray  # (S,) facility index, -1
    sample_snapped: np.ndarray  # (S,) bool
    sample_dist: np.ndarray  # (S,) metres to the network
    unit_minutes: np.ndarray  # (U,) population-weighted median, nan when none
    unit_origin: np.ndarray  # (U,) -1 when none
    unit_snapped_share: np.ndarray  # (U,) share of the unit's population attached
    unit_dist: np.ndarray  # (U,) distance of the representative sample


def access_times(
    graph: RoadGraph,
    facilities: Snap,
    units: PopulationUnits,
    direction: str,
    tolerance: float,
    feedback=None,
) -> AccessResult:
    """Minutes from every population sample to the nearest facility (``direction`` as seen
    from the facility: ``arrival`` = people travelling to it)."""
    # warm runs (same graph, facilities, population): from the session's memo
    node_t, node_o = graph_memo.nearest_origin(graph, facilities, direction)
    _check_cancel(feedback)
    snaps = graph_memo.snap(graph, units.sample_xy, tolerance)
    _check_cancel(feedback)
    ok = snaps.part >= 0
    t = np.full(len(ok), np.inf)
    org = np.full(len(ok), -1, np.int64)
    if ok.any():
        tt, oo = graph.times_on_parts(
            snaps.part[ok], snaps.frac[ok], node_t, direction, node_o, facilities
        )
        walk = kmh_to_ms(WALK_SPEED_KMH)
        t[ok] = tt + snaps.dist[ok] / walk
        org[ok] = oo
    minutes = t / 60.0
    return AccessResult(
        minutes, org, ok, snaps.dist, *unit_summary(units, minutes, org, ok, snaps.dist)
    )


def unit_summary(units: PopulationUnits, minutes, org, ok, dist):
    """Population-weighted median time of each unit (its attached samples) and its facility."""
    n_units = len(units.fids)
    unit = units.sample_unit
    w = units.sample_w + 1e-9  # empty units still get a median
    total_w = np.bincount(unit, weights=w, minlength=n_units)
    ok_w = np.bincount(unit[ok], weights=w[ok], minlength=n_units)
    share = np.divide(ok_w, total_w, out=np.zeros(n_units), where=total_w > 0)
    u_min = np.full(n_units, np.nan)
    u_org = np.full(n_units, -1, np.int64)
    u_dist = np.full(n_units, np.nan)
    sel = np.nonzero(ok)[0]
    if len(sel):
        order = sel[np.lexsort((minutes[sel], unit[sel]))]
        su = unit[order]
        cw = np.cumsum(w[order])
        start = np.ones(len(order), bool)
        start[1:] = su[1:] != su[:-1]
        group_first = np.nonzero(start)[0]
        base = np.repeat(
            cw[group_first] - w[order][group_first], np.diff(np.append(group_first, len(order)))
        )
        within = cw - base
        half = ok_w[su] / 2.0
        reached = within >= half - 1e-12
        cand = np.nonzero(reached)[0]
        _, first_idx = np.unique(su[cand], return_index=True)
        pick = order[cand[first_idx]]
        pu = unit[pick]
        m = minutes[pick]
        u_min[pu] = np.where(np.isfinite(m), m, np.nan)
        u_org[pu] = np.where(np.isfinite(m), org[pick], -1)
        u_dist[pu] = dist[pick]
    # units with nothing attached: distance of their closest sample
    none = np.nonzero(~np.isfinite(u_dist))[0]
    if len(none):
        best = np.full(n_units, np.inf)
        np.minimum.at(best, unit, dist)
        u_dist[none] = best[none]
    return u_min, u_org, share, u_dist


def coverage_table(
    units: PopulationUnits,
    result: AccessResult,
    thresholds: Sequence[int],
    zones: Optional[List[Tuple[str, bytes]]] = None,
    feedback=None,
    weights: Optional[List[np.ndarray]] = None,
) -> List[Dict[str, object]]:
    """Rows ``{zone, pop_total, pop_le_<t>, part_le_<t>, pop_beyond, pop_unsnapped}``.

    The first row is the whole population ("Ensemble"), then one row per zone ``(label, wkb)``
    (``weights``: the zones' :func:`zone_weights` when already computed)."""
    if weights is None:
        weights = zone_weights(units, zones or [], feedback)
    groups = [(tr("Overall"), units.sample_w)]
    groups += [(label, zw) for (label, _wkb), zw in zip(zones or [], weights)]
    rows = []
    for label, zw in groups:
        total = float(zw.sum())
        row: Dict[str, object] = {"zone": label, "pop_total": round(total, 1)}
        for th in thresholds:
            within = float(zw[result.sample_minutes <= th].sum())
            row[f"pop_le_{th}"] = round(within, 1)
            row[f"part_le_{th}"] = round(100.0 * within / total, 1) if total > 0 else None
        unsnapped = float(zw[~result.sample_snapped].sum())
        beyond = total - unsnapped - float(zw[result.sample_minutes <= thresholds[-1]].sum())
        row["pop_beyond"] = round(max(beyond, 0.0), 1)
        row["pop_unsnapped"] = round(unsnapped, 1)
        rows.append(row)
    return rows


def zone_weights(units: PopulationUnits, zones: List[Tuple[str, bytes]], feedback=None):
    """:func:`zone_sample_weights` of each zone ``(label, wkb)``, in order."""
    out = []
    for n, (_label, wkb) in enumerate(zones):
        if n % 20 == 0:
            _check_cancel(feedback)
        out.append(zone_sample_weights(units, wkb))
    return out


def unit_zone_shares(units: PopulationUnits, wkb: bytes) -> np.ndarray:
    """Share (0..1) of each unit's population inside the zone: points are in or out; polygons
    count the exact share of their area inside (GEOS), so a zone's total never depends on the
    sampling step, hence on the travel mode."""
    from osgeo import ogr

    shares = points_in_wkb(units.rep_xy, wkb).astype(float)
    if not units.is_polygon or units.wkbs is None:
        return shares
    zone = ogr.CreateGeometryFromWkb(wkb)
    if zone is None or zone.IsEmpty():
        return np.zeros(len(units.fids))
    env = _unit_envelopes(units)  # (U, 4) xmin, xmax, ymin, ymax
    zx0, zx1, zy0, zy1 = zone.GetEnvelope()
    near = (env[:, 1] >= zx0) & (env[:, 0] <= zx1) & (env[:, 3] >= zy0) & (env[:, 2] <= zy1)
    shares[:] = 0.0
    idx = np.nonzero(near)[0]
    if not len(idx):
        return shares
    # Fast path: a unit whose four box corners are in the zone, with no vertex of the zone in
    # its box, lies wholly inside (a boundary notch or hole would need a vertex there). The
    # rest (units on or near the zone's edge) get the exact intersection.
    rings, _ = wkb_rings(wkb)
    e = env[idx]
    corners = np.concatenate(
        [
            np.column_stack([e[:, 0], e[:, 2]]),
            np.column_stack([e[:, 1], e[:, 2]]),
            np.column_stack([e[:, 0], e[:, 3]]),
            np.column_stack([e[:, 1], e[:, 3]]),
        ]
    )
    c_in = points_in_rings(corners, rings).reshape(4, -1)
    verts = np.concatenate(rings) if rings else np.zeros((0, 2))
    from scipy.spatial import cKDTree

    centre = np.column_stack([(e[:, 0] + e[:, 1]) / 2.0, (e[:, 2] + e[:, 3]) / 2.0])
    radius = np.hypot(e[:, 1] - e[:, 0], e[:, 3] - e[:, 2]) / 2.0 + 1e-6
    if len(verts):
        n_verts = cKDTree(verts).query_ball_point(centre, radius, return_length=True)
    else:
        n_verts = np.zeros(len(idx), int)
    clear = np.asarray(n_verts) == 0
    shares[idx[clear & c_in.all(axis=0)]] = 1.0
    for i in idx[~(clear & c_in.all(axis=0))]:
        g = ogr.CreateGeometryFromWkb(units.wkbs[i])
        if g is None:
            continue
        area = g.GetArea()
        if area <= 0:
            shares[i] = 1.0 if zone.Intersects(g) else 0.0
            continue
        inter = zone.Intersection(g)
        if inter is not None and not inter.IsEmpty():
            shares[i] = min(inter.GetArea() / area, 1.0)
    return shares


def _unit_envelopes(units: PopulationUnits) -> np.ndarray:
    if units.envelopes is None:
        from osgeo import ogr

        env = np.zeros((len(units.fids), 4))
        for i, uwkb in enumerate(units.wkbs or []):
            g = ogr.CreateGeometryFromWkb(uwkb)
            if g is not None:
                env[i] = g.GetEnvelope()
        units.envelopes = env
    return units.envelopes


def zone_sample_weights(units: PopulationUnits, wkb: bytes) -> np.ndarray:
    """Population each sample brings to the zone. A unit's in-zone population (exact share)
    is carried by its samples inside the zone, rescaled; a unit with a sliver inside but no
    sample there lends its share to all its samples (its own time distribution)."""
    n_units = len(units.fids)
    share = unit_zone_shares(units, wkb)
    want = share * units.pop
    unit = units.sample_unit
    w = units.sample_w
    inside = points_in_wkb(units.sample_xy, wkb) & (share[unit] > 0)
    in_w = np.bincount(unit[inside], weights=w[inside], minlength=n_units)
    all_w = np.bincount(unit, weights=w, minlength=n_units)
    zw = np.zeros(len(w))
    has_in = in_w > 0
    scale_in = np.divide(want, in_w, out=np.zeros(n_units), where=has_in)
    zw[inside] = w[inside] * scale_in[unit[inside]]
    lend = (~has_in) & (want > 0)
    sel = lend[unit]
    scale_all = np.divide(want, all_w, out=np.zeros(n_units), where=all_w > 0)
    zw[sel] = w[sel] * scale_all[unit[sel]]
    # units with no population weight at all (pop 0) contribute nothing either way
    return zw


def table_fields(thresholds: Sequence[int]) -> List[Tuple[str, str, str]]:
    """``(name, type, French-first alias)`` of the coverage table's columns: populations in
    whole persons ("int"), shares in % with one decimal."""
    out = [
        ("zone", "string", tr("Zone")),
        ("pop_total", "int", tr("Total population")),
    ]
    for th in thresholds:
        out.append((f"pop_le_{th}", "int", tr("Population within {t} min").format(t=th)))
        out.append((f"part_le_{th}", "double", tr("Share within {t} min (%)").format(t=th)))
    out.append(
        (
            "pop_beyond",
            "int",
            tr("Population beyond {t} min or not reachable").format(t=thresholds[-1]),
        )
    )
    out.append(("pop_unsnapped", "int", tr("Population not attached to the network")))
    return out


def persons(value) -> Optional[int]:
    """A population in whole persons, for the tables people read (the computation keeps the
    fractions of units split between zones or bands)."""
    return None if value is None else int(round(float(value)))


def table_values(row: Dict[str, object], thresholds: Sequence[int]) -> List[object]:
    """A :func:`coverage_table` row in the columns of :func:`table_fields`, populations in
    whole persons; "beyond" is what the rounded total leaves, so each row still adds up."""
    whole = {
        name: persons(row.get(name)) for name, kind, _a in table_fields(thresholds) if kind == "int"
    }
    whole["pop_beyond"] = max(
        whole["pop_total"] - whole[f"pop_le_{thresholds[-1]}"] - whole["pop_unsnapped"], 0
    )
    return [
        whole[name] if kind == "int" else row.get(name)
        for name, kind, _a in table_fields(thresholds)
    ]


def remote_bands_for_samples(
    sample_xy: np.ndarray, remote: Dict[int, Dict[int, bytes]], bands: Sequence[int], feedback=None
) -> Tuple[np.ndarray, np.ndarray]:
    """Remote engines: the smallest band containing each sample (minutes, else inf) and its origin."""
    minutes = np.full(len(sample_xy), np.inf)
    origin = np.full(len(sample_xy), -1, np.int64)
    for b in sorted(bands, reverse=True):
        for o in sorted(remote):
            _check_cancel(feedback)
            wkb = remote[o].get(b)
            if wkb is None:
                continue
            inside = points_in_wkb(sample_xy, wkb)
            better = inside & (b <= minutes)
            minutes[better] = b
            origin[better] = o
    return minutes, origin


def remote_access(units: PopulationUnits, remote, thresholds: Sequence[int], feedback=None):
    """Remote engines: each sample's time is the smallest threshold whose isochrone holds it
    (``remote[origin][minutes]`` = cumulative polygon WKB in the working CRS)."""
    minutes, origin = remote_bands_for_samples(units.sample_xy, remote, thresholds, feedback)
    ok = np.ones(len(minutes), bool)
    dist = np.zeros(len(minutes))
    return AccessResult(minutes, origin, ok, dist, *unit_summary(units, minutes, origin, ok, dist))


def read_zones(layer, zone_field: str, crs, transform_context, feedback=None):
    """``[(label, polygon WKB in crs)]`` of a zone layer (None: no zones). Without
    ``zone_field``, the first usual name field, else code field, else the feature id."""
    from qgis.core import QgsFeatureRequest

    if layer is None:
        return []
    names = [f.name() for f in layer.fields()]
    zone_field = zone_field or first_field(names, NAME_FIELD_CANDIDATES + CODE_FIELD_CANDIDATES)
    idx = layer.fields().lookupField(zone_field) if zone_field else -1
    request = QgsFeatureRequest()
    request.setDestinationCrs(crs, transform_context)
    zones = []
    for feat in layer.getFeatures(request):
        _check_cancel(feedback, tr("Cancelled while reading the zones."))
        geom = feat.geometry()
        if geom.isNull() or geom.isEmpty():
            continue
        label = feat.attributes()[idx] if idx >= 0 else feat.id()
        zones.append((str(label), bytes(geom.asWkb())))
    return zones
