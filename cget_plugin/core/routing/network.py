"""Road line layer -> routable graph in CSR arrays, snapping onto edges, session cache.

The graph is built once per run from any line layer (reprojected to a metric CRS when needed),
with speeds from :mod:`profiles`. A "part" is one single-part line (a feature or one part of a
multi-part feature); its two ends are graph nodes, joined with their neighbours within
``NODE_TOLERANCE_M``. Travel time along a part is proportional to distance, so a point anywhere
on a part has a well-defined time (used for snapping and for the isochrone raster).

Graphs are cached for the session, keyed by layer, source, size, modification and parameters,
so a second run on the same network does not rebuild it (see :func:`get_graph`).
"""

from __future__ import annotations

import math
import os
import struct
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ... import compat
from ..errors import CancelledError, InputError
from ..i18n import tr
from . import profiles as prof

#: line ends closer than this are the same node (metres)
NODE_TOLERANCE_M = 0.1
#: smallest edge cost in seconds (scipy treats a zero weight as no edge)
MIN_COST_S = 1e-6
#: a component holding less than this share of the nodes is a "small isolated piece"
SMALL_COMPONENT_SHARE = 0.05
CACHE_SIZE = 4


@dataclass
class Snap:
    """Points attached to the network: part index, fraction along it, distance and position."""

    part: np.ndarray  # int64, -1 when beyond the tolerance
    frac: np.ndarray  # float64 in [0, 1]
    dist: np.ndarray  # float64 metres from the point to the network
    xy: np.ndarray  # (n, 2) snapped position

    @property
    def ok(self) -> np.ndarray:
        return self.part >= 0

    def subset(self, mask) -> Snap:
        return Snap(self.part[mask], self.frac[mask], self.dist[mask], self.xy[mask])


@dataclass
class RoadGraph:
    crs_authid: str
    layer_name: str
    profile: str
    profile_label: str
    mode: str
    credit: str
    node_xy: np.ndarray  # (N, 2)
    part_u: np.ndarray  # (P,) start node
    part_v: np.ndarray  # (P,) end node
    part_len: np.ndarray  # (P,) metres
    part_cost_f: np.ndarray  # (P,) seconds in the digitising direction, inf = forbidden
    part_cost_b: np.ndarray  # (P,) seconds against it, inf = forbidden
    part_fid: np.ndarray  # (P,) feature id
    part_limited: np.ndarray  # (P,) limited access (motorway): no samples, no snapping
    vert_xy: np.ndarray  # (M, 2) every vertex of every part
    vert_s: np.ndarray  # (M,) distance along its part
    vert_part: np.ndarray  # (M,) part index
    part_offsets: np.ndarray  # (P + 1,) first vertex of each part
    sample_xy: np.ndarray  # (S, 2) points every <= sample_spacing metres along the parts
    sample_part: np.ndarray  # (S,)
    sample_frac: np.ndarray  # (S,)
    sample_seg: np.ndarray  # (S,) segment (= index of its first vertex)
    sample_spacing: float
    rows: np.ndarray  # COO of the directed graph (deduplicated, min cost)
    cols: np.ndarray
    weights: np.ndarray
    component: np.ndarray  # (N,) weak component label
    component_size: np.ndarray  # (C,)
    build_seconds: float = 0.0
    stats: Dict[str, float] = field(default_factory=dict)
    _csr: Dict[str, object] = field(default_factory=dict, repr=False)
    _tree: Optional[cKDTree] = field(default=None, repr=False)

    @property
    def n_nodes(self) -> int:
        return len(self.node_xy)

    @property
    def n_edges(self) -> int:
        return len(self.rows)

    @property
    def tree(self) -> cKDTree:
        if self._tree is None:
            self._tree = cKDTree(self.sample_xy)
        return self._tree

    def coo(self, direction: str) -> Tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Directed edges for ``direction``: arrival works on the reversed graph."""
        if direction == "arrival":
            return self.cols, self.rows, self.weights
        return self.rows, self.cols, self.weights

    def largest_component(self) -> int:
        return int(np.argmax(self.component_size)) if len(self.component_size) else -1

    # -- snapping -------------------------------------------------------------------------
    def snap(self, xy: np.ndarray, tolerance: float, k: int = 8) -> Snap:
        """Nearest point on an edge (not just a node) for each point of ``xy`` (n, 2)."""
        xy = np.asarray(xy, dtype=float).reshape(-1, 2)
        n = len(xy)
        if n == 0 or len(self.sample_xy) == 0:
            return Snap(np.full(n, -1, np.int64), np.zeros(n), np.full(n, np.inf), np.zeros((n, 2)))
        best_d = np.full(n, np.inf)
        best_seg = np.zeros(n, np.int64)
        best_t = np.zeros(n)
        todo = np.arange(n)
        half = self.sample_spacing / 2.0
        # Candidates: the k nearest sample points; a segment not among them lies farther than
        # (k-th sample distance - spacing/2). Points still unsure get a larger k.
        for kk in (k, 4 * k, 16 * k):
            kk = min(kk, len(self.sample_xy))
            dist_k, idx_k = self.tree.query(xy[todo], k=kk)
            if kk == 1:
                dist_k, idx_k = dist_k[:, None], idx_k[:, None]
            d, sg, t = self._project(xy[todo], self.sample_seg[idx_k])
            best_d[todo], best_seg[todo], best_t[todo] = d, sg, t
            sure = (dist_k[:, -1] - half >= d) | (d > tolerance) | (kk == len(self.sample_xy))
            todo = todo[~sure]
            if not len(todo):
                break
        for i in todo:
            cand = self.tree.query_ball_point(xy[i], best_d[i] + half + 1e-9)
            if not cand:
                continue
            segs = np.unique(self.sample_seg[np.asarray(cand)])
            d, sg, t = self._project(xy[i : i + 1], segs[None, :])
            best_d[i], best_seg[i], best_t[i] = d[0], sg[0], t[0]
        a = self.vert_xy[best_seg]
        b = self.vert_xy[best_seg + 1]
        snapped = a + (b - a) * best_t[:, None]
        part = self.vert_part[best_seg].astype(np.int64)
        seg_len = np.hypot(*(b - a).T)
        s_along = self.vert_s[best_seg] + best_t * seg_len
        plen = self.part_len[part]
        frac = np.where(plen > 0, s_along / np.where(plen > 0, plen, 1.0), 0.0)
        frac = np.clip(frac, 0.0, 1.0)
        part = np.where(best_d <= tolerance, part, -1)
        return Snap(part, frac, best_d, snapped)

    def _project(self, xy, seg):
        a = self.vert_xy[seg]  # (n, k, 2)
        b = self.vert_xy[seg + 1]
        ab = b - a
        ap = xy[:, None, :] - a
        denom = (ab**2).sum(-1)
        t = np.where(denom > 0, (ap * ab).sum(-1) / np.where(denom > 0, denom, 1.0), 0.0)
        t = np.clip(t, 0.0, 1.0)
        proj = a + ab * t[..., None]
        d = np.hypot(*(xy[:, None, :] - proj).transpose(2, 0, 1))
        j = np.argmin(d, axis=1)
        rows = np.arange(len(xy))
        return d[rows, j], seg[rows, j], t[rows, j]

    # -- times at points on edges --------------------------------------------------------------
    def times_on_parts(
        self,
        part: np.ndarray,
        frac: np.ndarray,
        node_time: np.ndarray,
        direction: str,
        node_origin: Optional[np.ndarray] = None,
        origins: Optional[Snap] = None,
    ) -> Tuple[np.ndarray, np.ndarray]:
        """Time (s) at points ``frac`` along ``part`` given node times, and the origin index.

        ``node_time`` comes from :mod:`engine` on the graph of ``direction``. Points on the same
        part as an origin may be reached directly along the part, without a node: ``origins``
        (snapped origins, index = origin index) covers that case."""
        u = self.part_u[part]
        v = self.part_v[part]
        cf = self.part_cost_f[part]
        cb = self.part_cost_b[part]
        with np.errstate(invalid="ignore"):
            if direction == "arrival":
                via_a = node_time[v] + cf * (1.0 - frac)  # forward to v, then on
                via_b = node_time[u] + cb * frac
                ia, ib = v, u
            else:
                via_a = node_time[u] + cf * frac  # came in through u going forward
                via_b = node_time[v] + cb * (1.0 - frac)
                ia, ib = u, v
        via_a = np.where(np.isnan(via_a), np.inf, via_a)
        via_b = np.where(np.isnan(via_b), np.inf, via_b)
        use_b = via_b < via_a
        t = np.where(use_b, via_b, via_a)
        org = None
        if node_origin is not None:
            org = np.where(use_b, node_origin[ib], node_origin[ia]).astype(np.int64)
            org = np.where(np.isfinite(t), org, -1)
        if origins is not None and len(origins.part):
            t, org = self._same_part(part, frac, t, org, origins, direction)
        return t, org

    def _same_part(self, part, frac, t, org, origins, direction):
        ok = np.nonzero(origins.part >= 0)[0]
        if not len(ok):
            return t, org
        t = t.copy()
        org = org.copy() if org is not None else None
        if len(ok) <= 4:
            # a few origins (per-origin runs): plain comparisons beat sorting
            for k in ok:
                sel = np.nonzero(part == origins.part[k])[0]
                if len(sel):
                    f0 = np.full(len(sel), origins.frac[k])
                    self._direct(sel, part, frac, f0, np.full(len(sel), k), t, org, direction)
            return t, org
        o_part = origins.part[ok]
        order = np.argsort(o_part, kind="stable")
        o_part = o_part[order]
        o_idx = ok[order]
        o_frac = origins.frac[o_idx]
        lo = np.searchsorted(o_part, part, side="left")
        hi = np.searchsorted(o_part, part, side="right")
        count = hi - lo
        for rank in range(int(count.max()) if len(count) else 0):
            sel = np.nonzero(count > rank)[0]
            j = lo[sel] + rank
            self._direct(sel, part, frac, o_frac[j], o_idx[j], t, org, direction)
        return t, org

    def _direct(self, sel, part, frac, f0, o_idx, t, org, direction):
        """Points ``sel`` on the same part as origins at ``f0``: the time along the part."""
        f = frac[sel]
        p = part[sel]
        cf = self.part_cost_f[p]
        cb = self.part_cost_b[p]
        with np.errstate(invalid="ignore"):
            if direction == "arrival":
                # from the point to the origin along the part
                ahead = f0 >= f
                direct = np.where(ahead, cf * (f0 - f), cb * (f - f0))
            else:
                ahead = f >= f0
                direct = np.where(ahead, cf * (f - f0), cb * (f0 - f))
        direct = np.where(np.isnan(direct), np.inf, direct)
        better = direct < t[sel]
        t[sel[better]] = direct[better]
        if org is not None:
            org[sel[better]] = o_idx[better]


# ---------------------------------------------------------------------------------------------
# CRS


def metric_crs_for(extent_wgs84) -> str:
    """Lambert-93 for metropolitan France, the local official CRS overseas, else UTM."""
    x = (extent_wgs84.xMinimum() + extent_wgs84.xMaximum()) / 2.0
    y = (extent_wgs84.yMinimum() + extent_wgs84.yMaximum()) / 2.0
    if -5.5 <= x <= 10.0 and 41.0 <= y <= 51.5:
        return "EPSG:2154"
    overseas = [
        ((-63.2, -60.7, 15.8, 18.2), "EPSG:5490"),  # Guadeloupe, Martinique (RGAF09 UTM 20N)
        ((-62.0, -60.5, 14.2, 15.0), "EPSG:5490"),
        ((-54.7, -51.5, 2.0, 6.0), "EPSG:2972"),  # Guyane
        ((55.0, 56.0, -21.5, -20.8), "EPSG:2975"),  # La Réunion
        ((44.9, 45.4, -13.1, -12.5), "EPSG:4471"),  # Mayotte
    ]
    for (x0, x1, y0, y1), code in overseas:
        if x0 <= x <= x1 and y0 <= y <= y1:
            return code
    zone = int(math.floor((x + 180.0) / 6.0)) + 1
    zone = min(max(zone, 1), 60)
    return f"EPSG:{32600 + zone if y >= 0 else 32700 + zone}"


def layer_extent(layer):
    """The layer extent; read from the features when the provider does not know it (.osm)."""
    from qgis.core import QgsFeatureRequest

    extent = layer.extent()
    if extent.isNull() or extent.isEmpty():
        extent = compat.null_rectangle()
        request = QgsFeatureRequest().setNoAttributes()
        for n, feat in enumerate(layer.getFeatures(request)):
            if feat.hasGeometry():
                extent.combineExtentWith(feat.geometry().boundingBox())
            if n > 5000:
                break
    return extent


def working_crs(layer, feedback=None):
    """The layer's CRS if projected in metres, else a metric CRS (reported to ``feedback``)."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsProject,
    )

    crs = layer.crs()
    if crs.isValid() and not crs.isGeographic() and crs.mapUnits() == compat.DISTANCE_METERS:
        return crs
    if not crs.isValid():
        raise InputError(
            tr("The layer {name} has no valid coordinate reference system: set its CRS.").format(
                name=layer.name()
            )
        )
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    extent = layer_extent(layer)
    if crs != wgs84:
        extent = QgsCoordinateTransform(crs, wgs84, QgsProject.instance()).transformBoundingBox(
            extent
        )
    target = QgsCoordinateReferenceSystem(metric_crs_for(extent))
    if feedback is not None:
        feedback.pushInfo(
            tr(
                "The layer {name} is in {crs} (not in metres): it is reprojected to {target} "
                "for the computation."
            ).format(name=layer.name(), crs=crs.authid(), target=target.authid())
        )
    return target


# ---------------------------------------------------------------------------------------------
# WKB


def _parse_wkb(buf: bytes, pos: int, out: List[np.ndarray]) -> int:
    """Append the (n, 2) coordinates of each line in the WKB at ``pos``; returns the new pos."""
    order = "<" if buf[pos] == 1 else ">"
    (gtype,) = struct.unpack_from(order + "I", buf, pos + 1)
    pos += 5
    has_z = bool(gtype & 0x80000000)
    has_m = bool(gtype & 0x40000000)
    gtype &= 0x0FFFFFFF
    base = gtype % 1000
    dims = gtype // 1000
    if dims in (1, 3):
        has_z = True
    if dims in (2, 3):
        has_m = True
    ncoord = 2 + int(has_z) + int(has_m)
    if base == 2:
        (npts,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        arr = np.frombuffer(buf, dtype=order + "f8", count=npts * ncoord, offset=pos)
        out.append(arr.reshape(npts, ncoord)[:, :2].astype(np.float64))
        return pos + 8 * npts * ncoord
    if base in (5, 7):
        (nparts,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        for _ in range(nparts):
            pos = _parse_wkb(buf, pos, out)
        return pos
    raise ValueError(f"unsupported WKB type {gtype}")


def _point_keys(xy: np.ndarray, precision: float = 0.001) -> np.ndarray:
    """One int64 per coordinate pair rounded to ``precision`` (equal points, equal keys)."""
    q = np.round(xy / precision).astype(np.int64)
    qx = q[:, 0] - q[:, 0].min()
    qy = q[:, 1] - q[:, 1].min()
    span = int(qy.max()) + 1
    if (int(qx.max()) + 1) * span < 2**62:
        return qx * span + qy
    _, inv = np.unique(q, axis=0, return_inverse=True)
    return inv.ravel().astype(np.int64)


def _split_at_shared_vertices(vert_xy, counts):
    """Split parts at interior vertices shared with another line (raw OSM ways cross there).

    Returns the new vertices, counts and, per new part, the index of the part it came from."""
    n_parts = len(counts)
    offsets = np.zeros(n_parts + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    first = offsets[:-1]
    last = offsets[1:] - 1
    _, inv, cnt = np.unique(_point_keys(vert_xy), return_inverse=True, return_counts=True)
    interior = np.ones(len(vert_xy), bool)
    interior[first] = False
    interior[last] = False
    cut = interior & (cnt[inv] > 1)
    if not cut.any():
        return vert_xy, counts, np.arange(n_parts)
    rep = 1 + cut.astype(np.int64)
    new_xy = np.repeat(vert_xy, rep, axis=0)
    old_part = np.repeat(np.repeat(np.arange(n_parts), counts), rep)
    pos = np.cumsum(rep) - rep  # position of the first copy of each old vertex
    start = np.zeros(len(new_xy), bool)
    start[pos[first]] = True
    start[pos[np.nonzero(cut)[0]] + 1] = True
    new_part = np.cumsum(start) - 1
    return new_xy, np.bincount(new_part), old_part[np.nonzero(start)[0]]


def _dedupe_min(rows, cols, w):
    """One edge per (row, col), the cheapest (csr_matrix would sum duplicates)."""
    if len(rows) == 0:
        return rows, cols, w
    order = np.lexsort((w, cols, rows))
    rows, cols, w = rows[order], cols[order], w[order]
    keep = np.ones(len(rows), bool)
    keep[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    return rows[keep], cols[keep], w[keep]


# ---------------------------------------------------------------------------------------------
# Build


def check_network_layer(layer):
    from qgis.core import QgsVectorLayer, QgsWkbTypes

    if layer is None or not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        raise InputError(tr("No valid road network layer was given (NETWORK)."))
    if layer.geometryType() != compat.GEOMETRY_LINE:
        raise InputError(
            tr(
                "The road network {name} is not a line layer ({kind}): give the road sections "
                "(lines), for instance BD TOPO troncon_de_route or OSM highways."
            ).format(
                name=layer.name(), kind=QgsWkbTypes.geometryDisplayString(layer.geometryType())
            )
        )
    if layer.featureCount() == 0:
        raise InputError(tr("The road network {name} is empty.").format(name=layer.name()))


def build_graph(
    layer,
    profile_name: str = "auto",
    mode: str = "car",
    speed_field: str = "",
    default_speed: Optional[float] = None,
    feedback=None,
) -> RoadGraph:
    """Read ``layer`` and build the routable graph (no cache; see :func:`get_graph`)."""
    from qgis.core import QgsFeatureRequest, QgsProject, QgsWkbTypes

    started = time.perf_counter()
    check_network_layer(layer)
    field_names = [f.name() for f in layer.fields()]
    profile = prof.make_profile(profile_name, mode, field_names, speed_field, default_speed)
    crs = working_crs(layer, feedback)
    lower_to_index = {}
    for i, name in enumerate(field_names):
        lower_to_index.setdefault(name.lower(), i)
    wanted = [(name, lower_to_index[name]) for name in profile.fields if name in lower_to_index]

    request = QgsFeatureRequest()
    request.setSubsetOfAttributes([i for _, i in wanted])
    if crs != layer.crs():
        request.setDestinationCrs(crs, QgsProject.instance().transformContext())

    total = layer.featureCount() if layer.featureCount() > 0 else 0
    coords: List[np.ndarray] = []
    part_speed_f: List[float] = []
    part_speed_b: List[float] = []
    part_fid: List[int] = []
    part_limited: List[bool] = []
    memo: Dict[tuple, Tuple[float, float, bool]] = {}
    bad_speed = 0
    forbidden = 0
    for n, feat in enumerate(layer.getFeatures(request)):
        if n % 2000 == 0 and feedback is not None:
            if feedback.isCanceled():
                raise CancelledError(tr("Cancelled while reading the road network."))
            if total:
                feedback.setProgress(60.0 * n / total)
        geom = feat.geometry()
        if geom.isNull() or geom.isEmpty():
            continue
        attrs = feat.attributes()
        key = tuple(attrs[i] for _, i in wanted)
        speeds = memo.get(key)
        if speeds is None:
            values = {name: attrs[i] for name, i in wanted}
            sf, sb = profile.speeds(values)
            speeds = (sf if sf > 0 else 0.0, sb if sb > 0 else 0.0)
            if profile.name == "generic" and mode == "car" and (sf <= 0 and sb <= 0):
                speeds = (-1.0, -1.0)  # marks a bad speed (counted below)
            speeds = speeds + (profile.limited_access(values),)
            memo[key] = speeds
        sf, sb, limited = speeds
        if sf < 0:
            bad_speed += 1
            continue
        if sf <= 0 and sb <= 0:
            forbidden += 1
            continue
        if QgsWkbTypes.isCurvedType(geom.wkbType()):
            geom = geom.__class__(geom.constGet().segmentize())
        before = len(coords)
        try:
            _parse_wkb(bytes(geom.asWkb()), 0, coords)
        except (ValueError, struct.error):
            continue
        for _ in range(len(coords) - before):
            part_speed_f.append(sf)
            part_speed_b.append(sb)
            part_fid.append(feat.id())
            part_limited.append(limited)

    if bad_speed and feedback is not None:
        feedback.reportError(
            tr(
                "{n} road sections have no speed, a zero or a negative speed: they are left out "
                "of the network."
            ).format(n=bad_speed)
        )
    # single-vertex parts cannot carry anything
    keep = [i for i, c in enumerate(coords) if len(c) >= 2]
    if not keep:
        if bad_speed:
            raise InputError(
                tr(
                    "No road section of {name} has a usable speed (all are empty, zero or "
                    "negative): choose another SPEED_FIELD or set DEFAULT_SPEED_KMH."
                ).format(name=layer.name())
            )
        raise InputError(
            tr("No road section of {name} can be used for the mode {mode}.").format(
                name=layer.name(), mode=prof.MODE_LABELS[mode]()
            )
        )
    coords = [coords[i] for i in keep]
    speed_f = np.asarray(part_speed_f, float)[keep]
    speed_b = np.asarray(part_speed_b, float)[keep]
    fids = np.asarray(part_fid, np.int64)[keep]
    limited_a = np.asarray(part_limited, bool)[keep]
    if feedback is not None:
        if feedback.isCanceled():
            raise CancelledError(tr("Cancelled while reading the road network."))
        feedback.setProgress(65)

    graph = graph_from_lines(
        coords,
        speed_f,
        speed_b,
        fids,
        crs_authid=crs.authid(),
        layer_name=layer.name(),
        profile=profile.name,
        profile_label=profile.label,
        credit=profile.credit,
        mode=mode,
        split_shared=profile.name in ("osm", "generic"),
        limited=limited_a,
    )
    graph.stats.update({"features_forbidden": forbidden, "features_bad_speed": bad_speed})
    graph.build_seconds = time.perf_counter() - started
    if feedback is not None:
        feedback.setProgress(100)
        report_graph(graph, feedback)
    return graph


def graph_from_lines(
    coords: List[np.ndarray],
    speed_f: np.ndarray,
    speed_b: np.ndarray,
    fids: np.ndarray,
    crs_authid: str = "",
    layer_name: str = "",
    profile: str = "generic",
    profile_label: str = "",
    credit: str = "",
    mode: str = "car",
    split_shared: bool = False,
    limited: Optional[np.ndarray] = None,
) -> RoadGraph:
    """The graph of single-part lines ``coords`` ((n, 2) arrays in metres) with speeds in km/h
    (0 = forbidden) in and against the digitising direction.

    ``limited`` marks limited-access lines (motorways and their ramps): they carry traffic
    but get no sample points, so they neither start the off-network walk of the isochrones
    nor take snapped origins and population."""
    limited = np.zeros(len(coords), bool) if limited is None else np.asarray(limited, bool)
    speed_f = np.asarray(speed_f, float)
    speed_b = np.asarray(speed_b, float)
    fids = np.asarray(fids, np.int64)
    counts = np.fromiter((len(c) for c in coords), dtype=np.int64, count=len(coords))
    vert_xy = np.concatenate(coords)
    if split_shared:
        # OSM ways (and many home-made networks) meet at shared interior vertices.
        vert_xy, counts, parent = _split_at_shared_vertices(vert_xy, counts)
        speed_f, speed_b, fids = speed_f[parent], speed_b[parent], fids[parent]
        limited = limited[parent]
    n_parts = len(counts)
    offsets = np.zeros(n_parts + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    vert_part = np.repeat(np.arange(n_parts), counts)
    seg_len = np.hypot(*(vert_xy[1:] - vert_xy[:-1]).T)
    is_seg = np.ones(len(vert_xy), bool)
    is_seg[offsets[1:] - 1] = False  # last vertex of each part starts no segment
    seg_len_full = np.zeros(len(vert_xy))
    seg_len_full[:-1] = np.where(is_seg[:-1], seg_len, 0.0)
    seg_len_full[~is_seg] = 0.0
    cum = np.cumsum(seg_len_full)
    start_cum = np.concatenate([[0.0], cum])[offsets[:-1]]
    vert_s = np.concatenate([[0.0], cum[:-1]]) - np.repeat(start_cum, counts)
    part_len = vert_s[offsets[1:] - 1]

    # Nodes: exact coordinate matches, then near ones within the tolerance.
    ends = np.concatenate([vert_xy[offsets[:-1]], vert_xy[offsets[1:] - 1]])
    _, first_of, inverse = np.unique(_point_keys(ends), return_index=True, return_inverse=True)
    uniq = ends[first_of]
    pairs = cKDTree(uniq).query_pairs(NODE_TOLERANCE_M, output_type="ndarray")
    if len(pairs):
        m = len(uniq)
        adj = csr_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(m, m))
        _, label = connected_components(adj, directed=False)
        node_of_uniq = label
        n_nodes = int(label.max()) + 1
        node_xy = np.zeros((n_nodes, 2))
        node_xy[label] = uniq  # any member stands for the node
    else:
        node_of_uniq = np.arange(len(uniq))
        n_nodes = len(uniq)
        node_xy = uniq
    node_of_end = node_of_uniq[inverse]
    part_u = node_of_end[:n_parts]
    part_v = node_of_end[n_parts:]

    with np.errstate(divide="ignore"):
        cost_f = np.where(speed_f > 0, part_len / (np.where(speed_f > 0, speed_f, 1) / 3.6), np.inf)
        cost_b = np.where(speed_b > 0, part_len / (np.where(speed_b > 0, speed_b, 1) / 3.6), np.inf)
    cost_f = np.where(np.isfinite(cost_f), np.maximum(cost_f, MIN_COST_S), np.inf)
    cost_b = np.where(np.isfinite(cost_b), np.maximum(cost_b, MIN_COST_S), np.inf)

    not_loop = part_u != part_v
    fw = np.isfinite(cost_f) & not_loop
    bw = np.isfinite(cost_b) & not_loop
    rows = np.concatenate([part_u[fw], part_v[bw]]).astype(np.int32)
    cols = np.concatenate([part_v[fw], part_u[bw]]).astype(np.int32)
    weights = np.concatenate([cost_f[fw], cost_b[bw]])
    rows, cols, weights = _dedupe_min(rows, cols, weights)

    adj = csr_matrix((weights, (rows, cols)), shape=(n_nodes, n_nodes))
    _, component = connected_components(adj, directed=True, connection="weak")
    component_size = np.bincount(component)

    # Sample points along every segment, spacing <= half the default cell of the mode, so that
    # nearly every cell a road crosses holds one.
    spacing = prof.DEFAULT_CELL_SIZE_M[mode] / 2.0
    seg_idx = np.nonzero(is_seg)[0]
    lens = seg_len_full[seg_idx]
    nsub = np.maximum(np.ceil(lens / spacing).astype(np.int64), 1)
    rep_seg = np.repeat(seg_idx, nsub)
    first = np.repeat(np.cumsum(nsub) - nsub, nsub)
    j = np.arange(len(rep_seg)) - first
    t = j / np.repeat(nsub, nsub)
    a = vert_xy[rep_seg]
    b = vert_xy[rep_seg + 1]
    s_xy = a + (b - a) * t[:, None]
    s_along = vert_s[rep_seg] + t * seg_len_full[rep_seg]
    last = offsets[1:] - 1
    s_xy = np.concatenate([s_xy, vert_xy[last]])
    s_part = np.concatenate([vert_part[rep_seg], np.arange(n_parts)])
    s_along = np.concatenate([s_along, part_len])
    s_seg = np.concatenate([rep_seg, last - 1])
    plen = part_len[s_part]
    s_frac = np.where(plen > 0, s_along / np.where(plen > 0, plen, 1.0), 0.0)
    order = np.argsort(s_part, kind="stable")
    order = order[~limited[s_part[order]]]

    graph = RoadGraph(
        crs_authid=crs_authid,
        layer_name=layer_name,
        profile=profile,
        profile_label=profile_label or profile,
        mode=mode,
        credit=credit,
        node_xy=node_xy,
        part_u=part_u,
        part_v=part_v,
        part_len=part_len,
        part_cost_f=cost_f,
        part_cost_b=cost_b,
        part_fid=fids,
        part_limited=limited,
        vert_xy=vert_xy,
        vert_s=vert_s,
        vert_part=vert_part,
        part_offsets=offsets,
        sample_xy=s_xy[order],
        sample_part=s_part[order],
        sample_frac=np.clip(s_frac[order], 0.0, 1.0),
        sample_seg=s_seg[order],
        sample_spacing=spacing,
        rows=rows,
        cols=cols,
        weights=weights,
        component=component,
        component_size=component_size,
    )
    graph.stats = {"parts": n_parts, "parts_limited": int(limited.sum())}
    _ = graph.tree  # build the snapping index now: it is part of the cached graph
    return graph


def report_graph(graph: RoadGraph, feedback) -> None:
    """Summary of the graph and of its connected components, into the feedback."""
    used = np.zeros(graph.n_nodes, bool)
    used[graph.rows] = True
    used[graph.cols] = True
    comps = np.unique(graph.component[used]) if used.any() else np.array([], int)
    n_comp = len(comps)
    biggest = graph.component_size.max() if len(graph.component_size) else 0
    share = 100.0 * biggest / max(graph.n_nodes, 1)
    feedback.pushInfo(
        tr(
            "Road network {name}: profile {profile}, {nodes} nodes, {edges} directed edges, "
            "built in {sec:.1f} s."
        ).format(
            name=graph.layer_name,
            profile=graph.profile_label,
            nodes=graph.n_nodes,
            edges=graph.n_edges,
            sec=graph.build_seconds,
        )
    )
    feedback.pushInfo(
        tr("{n} connected pieces; the largest holds {share:.1f} % of the nodes.").format(
            n=n_comp, share=share
        )
    )
    if graph.stats.get("features_forbidden"):
        feedback.pushInfo(
            tr("{n} road sections are not usable for this mode and were left out.").format(
                n=graph.stats["features_forbidden"]
            )
        )


def report_small_components(graph: RoadGraph, snaps: Snap, labels, feedback, what: str) -> int:
    """Warn about points attached to a small isolated piece of the network."""
    if feedback is None or not len(snaps.part):
        return 0
    ok = snaps.part >= 0
    if not ok.any():
        return 0
    comp = graph.component[graph.part_u[snaps.part[ok]]]
    small = graph.component_size[comp] < SMALL_COMPONENT_SHARE * graph.n_nodes
    idx = np.nonzero(ok)[0][small]
    if len(idx):
        names = ", ".join(str(labels[i]) for i in idx[:10])
        more = "…" if len(idx) > 10 else ""
        feedback.reportError(
            tr(
                "{n} {what} are attached to a small isolated piece of the road network "
                "(fewer than {share} % of the nodes), so their times may be cut short: "
                "{names}{more}. Check the network around them."
            ).format(
                n=len(idx),
                what=what,
                share=int(SMALL_COMPONENT_SHARE * 100),
                names=names,
                more=more,
            )
        )
    return len(idx)


# ---------------------------------------------------------------------------------------------
# Session cache

_CACHE: OrderedDict[tuple, RoadGraph] = OrderedDict()
CACHE_STATS = {"hits": 0, "builds": 0}
_WATCHED = set()


def _source_stamp(layer) -> tuple:
    source = layer.source()
    path = source.split("|")[0]
    stamp = ()
    if os.path.exists(path):
        st = os.stat(path)
        stamp = (st.st_mtime_ns, st.st_size)
        # GeoPackage writes may go to the -wal file first
        wal = path + "-wal"
        if os.path.exists(wal):
            st = os.stat(wal)
            stamp += (st.st_mtime_ns, st.st_size)
    extent = layer.extent()
    return (
        source,
        layer.subsetString(),
        layer.featureCount(),
        stamp,
        round(extent.xMinimum(), 6),
        round(extent.yMinimum(), 6),
        round(extent.xMaximum(), 6),
        round(extent.yMaximum(), 6),
    )


def cache_key(layer, profile_name, mode, speed_field, default_speed) -> tuple:
    # Keyed by the data source, not the layer id: a script that opens the same file again
    # (processing.run with a path) still finds its graph. Memory layers have a unique uid.
    return (
        _source_stamp(layer),
        layer.crs().authid(),
        profile_name or "auto",
        mode,
        speed_field or "",
        float(default_speed or 0.0),
        NODE_TOLERANCE_M,
    )


_KEY_LAYERS: Dict[tuple, str] = {}


def _forget_layer(layer_id):
    for key in [k for k, lid in _KEY_LAYERS.items() if lid == layer_id]:
        _CACHE.pop(key, None)
        _KEY_LAYERS.pop(key, None)


def _watch(layer):
    """Drop the cached graphs of a layer when it is edited (best effort)."""
    lid = layer.id()
    if lid in _WATCHED:
        return
    try:
        # afterCommitChanges: edits saved from QGIS (dataChanged is not emitted on 3.22)
        for signal in (layer.afterCommitChanges, layer.dataChanged, layer.subsetStringChanged):
            signal.connect(lambda *_, lid=lid: _forget_layer(lid))
        layer.destroyed.connect(lambda *_, lid=lid: (_forget_layer(lid), _WATCHED.discard(lid)))
        _WATCHED.add(lid)
    except (AttributeError, RuntimeError, TypeError):
        pass


def get_graph(
    layer,
    profile_name: str = "auto",
    mode: str = "car",
    speed_field: str = "",
    default_speed: Optional[float] = None,
    feedback=None,
) -> Tuple[RoadGraph, bool]:
    """The graph of ``layer`` for these parameters, from the session cache when it is there.

    Returns ``(graph, from_cache)``. A layer with unsaved edits is never cached."""
    check_network_layer(layer)
    editing = layer.isEditable() and layer.isModified()
    key = cache_key(layer, profile_name, mode, speed_field, default_speed)
    if not editing and key in _CACHE:
        _CACHE.move_to_end(key)
        CACHE_STATS["hits"] += 1
        graph = _CACHE[key]
        if feedback is not None:
            feedback.pushInfo(
                tr("Road network {name}: graph reused from this session's cache.").format(
                    name=graph.layer_name
                )
            )
        return graph, True
    graph = build_graph(layer, profile_name, mode, speed_field, default_speed, feedback)
    CACHE_STATS["builds"] += 1
    if not editing:
        _CACHE[key] = graph
        _KEY_LAYERS[key] = layer.id()
        while len(_CACHE) > CACHE_SIZE:
            old, _ = _CACHE.popitem(last=False)
            _KEY_LAYERS.pop(old, None)
        _watch(layer)
    return graph, False


def clear_cache() -> None:
    _CACHE.clear()
    _KEY_LAYERS.clear()
