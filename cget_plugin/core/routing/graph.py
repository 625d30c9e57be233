"""The routable graph: a road network as arrays (CSR-ready edges), snapping and times on edges.

A "part" is one single-part line (a feature or one part of a multi-part feature); its two ends
are graph nodes, joined with their neighbours within ``NODE_TOLERANCE_M``. Travel time along a
part is proportional to distance, so a point anywhere on a part has a well-defined time (used
for snapping and for the isochrone raster). :func:`graph_from_lines` turns lines in metres with
speeds into a :class:`RoadGraph`; reading a layer into such lines is :mod:`building`'s job.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from scipy.spatial import cKDTree

from ..definitions import kmh_to_ms
from .profiles import DEFAULT_CELL_SIZE_M

#: line ends closer than this are the same node (metres)
NODE_TOLERANCE_M = 0.1
#: smallest edge cost in seconds (scipy treats a zero weight as no edge)
MIN_COST_S = 1e-6


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
            # both cores on large batches (300,000 population points: half the time)
            workers = -1 if len(todo) > 20000 else 1
            dist_k, idx_k = self.tree.query(xy[todo], k=kk, workers=workers)
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
    def via_nodes(self, part: np.ndarray, frac: np.ndarray, direction: str):
        """For points at ``frac`` along ``part``: ``(node_a, cost_a, node_b, cost_b)``, the two
        ends of the part a trip of ``direction`` passes through and the time (s) between the
        point and each (inf where the part forbids it)."""
        u, v = self.part_u[part], self.part_v[part]
        cf, cb = self.part_cost_f[part], self.part_cost_b[part]
        with np.errstate(invalid="ignore"):
            if direction == "arrival":  # forward to v, or backward to u, then on
                node_a, cost_a, node_b, cost_b = v, cf * (1.0 - frac), u, cb * frac
            else:  # came in through u going forward, or through v going backward
                node_a, cost_a, node_b, cost_b = u, cf * frac, v, cb * (1.0 - frac)
        cost_a = np.where(np.isnan(cost_a), np.inf, cost_a)
        cost_b = np.where(np.isnan(cost_b), np.inf, cost_b)
        return node_a, cost_a, node_b, cost_b

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
        ia, cost_a, ib, cost_b = self.via_nodes(part, frac, direction)
        via_a = node_time[ia] + cost_a
        via_b = node_time[ib] + cost_b
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
# Lines -> graph


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


def dedupe_min(rows, cols, w):
    """One edge per (row, col), the cheapest (csr_matrix would sum duplicates)."""
    if len(rows) == 0:
        return rows, cols, w
    order = np.lexsort((w, cols, rows))
    rows, cols, w = rows[order], cols[order], w[order]
    keep = np.ones(len(rows), bool)
    keep[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    return rows[keep], cols[keep], w[keep]


@dataclass
class _Layout:
    """Where each part's vertices sit in the flat vertex array, and distances along parts."""

    offsets: np.ndarray  # (P + 1,) first vertex of each part
    vert_part: np.ndarray  # (M,) part of each vertex
    vert_s: np.ndarray  # (M,) distance along its part
    seg_len: np.ndarray  # (M,) length of the segment a vertex starts (0 for a part's last)
    is_seg: np.ndarray  # (M,) the vertex starts a segment
    part_len: np.ndarray  # (P,)


def _layout(vert_xy: np.ndarray, counts: np.ndarray) -> _Layout:
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
    return _Layout(offsets, vert_part, vert_s, seg_len_full, is_seg, part_len)


def _join_ends(vert_xy: np.ndarray, offsets: np.ndarray):
    """``(node_xy, part_u, part_v)``: part ends equal to the millimetre are one node, then
    ends within ``NODE_TOLERANCE_M`` of each other too."""
    n_parts = len(offsets) - 1
    ends = np.concatenate([vert_xy[offsets[:-1]], vert_xy[offsets[1:] - 1]])
    _, first_of, inverse = np.unique(_point_keys(ends), return_index=True, return_inverse=True)
    uniq = ends[first_of]
    pairs = cKDTree(uniq).query_pairs(NODE_TOLERANCE_M, output_type="ndarray")
    if len(pairs):
        m = len(uniq)
        adj = csr_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(m, m))
        _, node_of_uniq = connected_components(adj, directed=False)
        node_xy = np.zeros((int(node_of_uniq.max()) + 1, 2))
        node_xy[node_of_uniq] = uniq  # any member stands for the node
    else:
        node_of_uniq = np.arange(len(uniq))
        node_xy = uniq
    node_of_end = node_of_uniq[inverse]
    return node_xy, node_of_end[:n_parts], node_of_end[n_parts:]


def travel_cost(length_m: np.ndarray, speed_kmh: np.ndarray) -> np.ndarray:
    """Seconds to travel ``length_m`` at ``speed_kmh``; inf where the speed is 0 (forbidden),
    at least ``MIN_COST_S``."""
    with np.errstate(divide="ignore"):
        cost = np.where(
            speed_kmh > 0, length_m / kmh_to_ms(np.where(speed_kmh > 0, speed_kmh, 1)), np.inf
        )
    return np.where(np.isfinite(cost), np.maximum(cost, MIN_COST_S), np.inf)


def _directed_edges(part_u, part_v, cost_f, cost_b):
    """COO of the directed graph: each allowed direction of each part, loops left out, the
    cheapest of parallel edges kept."""
    not_loop = part_u != part_v
    fw = np.isfinite(cost_f) & not_loop
    bw = np.isfinite(cost_b) & not_loop
    rows = np.concatenate([part_u[fw], part_v[bw]]).astype(np.int32)
    cols = np.concatenate([part_v[fw], part_u[bw]]).astype(np.int32)
    weights = np.concatenate([cost_f[fw], cost_b[bw]])
    return dedupe_min(rows, cols, weights)


def _samples(vert_xy: np.ndarray, lay: _Layout, spacing: float, limited: np.ndarray):
    """Points every <= ``spacing`` metres along every segment plus each part's last vertex,
    sorted by part, limited-access parts left out: ``(xy, part, frac, seg)``."""
    n_parts = len(lay.part_len)
    seg_idx = np.nonzero(lay.is_seg)[0]
    lens = lay.seg_len[seg_idx]
    nsub = np.maximum(np.ceil(lens / spacing).astype(np.int64), 1)
    rep_seg = np.repeat(seg_idx, nsub)
    t = np.arange(len(rep_seg), dtype=np.float64)
    t -= np.repeat(np.cumsum(nsub) - nsub, nsub)
    t /= np.repeat(nsub, nsub)
    seg_part = lay.vert_part[rep_seg]
    last = lay.offsets[1:] - 1
    # Segments come part by part: each part's last vertex goes right after its own samples
    # (placed directly rather than sorted: millions of samples on a région's network).
    n_out = len(rep_seg) + n_parts
    at_seg = np.arange(len(rep_seg)) + seg_part
    at_last = np.cumsum(np.bincount(seg_part, minlength=n_parts)) + np.arange(n_parts)
    s_xy = np.empty((n_out, 2))
    s_xy[at_seg] = vert_xy[rep_seg]
    s_xy[at_seg] += (vert_xy[rep_seg + 1] - vert_xy[rep_seg]) * t[:, None]
    s_xy[at_last] = vert_xy[last]
    s_part = np.empty(n_out, np.int64)
    s_part[at_seg] = seg_part
    s_part[at_last] = np.arange(n_parts)
    s_along = np.empty(n_out)
    s_along[at_seg] = lay.vert_s[rep_seg] + t * lay.seg_len[rep_seg]
    s_along[at_last] = lay.part_len
    s_seg = np.empty(n_out, np.int64)
    s_seg[at_seg] = rep_seg
    s_seg[at_last] = last - 1
    plen = lay.part_len[s_part]
    s_frac = np.divide(s_along, plen, out=np.zeros(n_out), where=plen > 0)
    np.clip(s_frac, 0.0, 1.0, out=s_frac)
    if limited.any():
        keep = ~limited[s_part]
        return s_xy[keep], s_part[keep], s_frac[keep], s_seg[keep]
    return s_xy, s_part, s_frac, s_seg


def _flat_input(coords, counts) -> Tuple[np.ndarray, np.ndarray]:
    """``(vertices (M, 2), vertex count of each part)`` from a list of lines or already so."""
    if counts is None:
        counts = np.fromiter((len(c) for c in coords), dtype=np.int64, count=len(coords))
        return np.concatenate(coords), counts
    return np.asarray(coords, np.float64), np.asarray(counts, np.int64)


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
    counts: Optional[np.ndarray] = None,
) -> RoadGraph:
    """The graph of single-part lines ``coords`` ((n, 2) arrays in metres) with speeds in km/h
    (0 = forbidden) in and against the digitising direction. With ``counts``, ``coords`` is
    already one (M, 2) vertex array and part ``p`` has ``counts[p]`` vertices.

    ``limited`` marks limited-access lines (motorways and their ramps): they carry traffic
    but get no sample points, so they neither start the off-network walk of the isochrones
    nor take snapped origins and population."""
    vert_xy, counts = _flat_input(coords, counts)
    limited = np.zeros(len(counts), bool) if limited is None else np.asarray(limited, bool)
    speed_f = np.asarray(speed_f, float)
    speed_b = np.asarray(speed_b, float)
    fids = np.asarray(fids, np.int64)
    if split_shared:
        # OSM ways (and many home-made networks) meet at shared interior vertices.
        vert_xy, counts, parent = _split_at_shared_vertices(vert_xy, counts)
        speed_f, speed_b, fids = speed_f[parent], speed_b[parent], fids[parent]
        limited = limited[parent]
    lay = _layout(vert_xy, counts)
    node_xy, part_u, part_v = _join_ends(vert_xy, lay.offsets)
    n_nodes = len(node_xy)
    cost_f = travel_cost(lay.part_len, speed_f)
    cost_b = travel_cost(lay.part_len, speed_b)
    rows, cols, weights = _directed_edges(part_u, part_v, cost_f, cost_b)
    adj = csr_matrix((weights, (rows, cols)), shape=(n_nodes, n_nodes))
    _, component = connected_components(adj, directed=True, connection="weak")
    # Sample spacing <= half the default cell of the mode, so that nearly every cell a road
    # crosses holds one.
    spacing = DEFAULT_CELL_SIZE_M[mode] / 2.0
    s_xy, s_part, s_frac, s_seg = _samples(vert_xy, lay, spacing, limited)
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
        part_len=lay.part_len,
        part_cost_f=cost_f,
        part_cost_b=cost_b,
        part_fid=fids,
        part_limited=limited,
        vert_xy=vert_xy,
        vert_s=lay.vert_s,
        vert_part=lay.vert_part,
        part_offsets=lay.offsets,
        sample_xy=s_xy,
        sample_part=s_part,
        sample_frac=s_frac,
        sample_seg=s_seg,
        sample_spacing=spacing,
        rows=rows,
        cols=cols,
        weights=weights,
        component=component,
        component_size=np.bincount(component),
    )
    graph.stats = {"parts": len(counts), "parts_limited": int(limited.sum())}
    _ = graph.tree  # build the snapping index now: it is part of the cached graph
    return graph
