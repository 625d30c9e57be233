"""Shortest travel times on a :class:`RoadGraph` with scipy.sparse.csgraph.

Origins snapped onto edges become virtual source nodes joined to both ends of their edge with the
partial edge cost, so an origin in the middle of a long road is handled exactly. ``arrival`` runs
on the reversed graph: the time is then from the node *to* the origin.
"""

from __future__ import annotations

from typing import Iterator, Tuple

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from ..errors import CancelledError
from ..i18n import tr
from .graph import MIN_COST_S, RoadGraph, Snap, dedupe_min


def augmented_graph(graph: RoadGraph, origins: Snap, direction: str) -> Tuple[csr_matrix, int]:
    """CSR of the graph plus one virtual node per origin (index ``n_nodes + k``)."""
    n = graph.n_nodes
    k = len(origins.part)
    rows, cols, w = graph.coo(direction)
    ok = np.nonzero(origins.part >= 0)[0]
    part = origins.part[ok]
    f = origins.frac[ok]
    u = graph.part_u[part]
    v = graph.part_v[part]
    cf = graph.part_cost_f[part]
    cb = graph.part_cost_b[part]
    virt = n + ok
    with np.errstate(invalid="ignore"):
        if direction == "arrival":
            # reversed graph: origin -> u costs the forward way u..origin, origin -> v backward
            cand = [(virt, u, cf * f), (virt, v, cb * (1.0 - f))]
        else:
            cand = [(virt, v, cf * (1.0 - f)), (virt, u, cb * f)]
    # an origin lying on a node is at that node whatever the direction of its edge
    length = graph.part_len[part]
    at_u = f * length < 1e-6
    at_v = (1.0 - f) * length < 1e-6
    cand += [
        (virt[at_u], u[at_u], np.zeros(at_u.sum())),
        (virt[at_v], v[at_v], np.zeros(at_v.sum())),
    ]
    vr = np.concatenate([c[0] for c in cand])
    vc = np.concatenate([c[1] for c in cand])
    vw = np.concatenate([c[2] for c in cand])
    finite = np.isfinite(vw)
    vr, vc, vw = dedupe_min(vr[finite], vc[finite], np.maximum(vw[finite], MIN_COST_S))
    all_r = np.concatenate([rows, vr]).astype(np.int32)
    all_c = np.concatenate([cols, vc]).astype(np.int32)
    all_w = np.concatenate([w, vw])
    size = n + k
    return csr_matrix((all_w, (all_r, all_c)), shape=(size, size)), n


def nearest_origin(
    graph: RoadGraph, origins: Snap, direction: str, limit_s: float = np.inf
) -> Tuple[np.ndarray, np.ndarray]:
    """Multi-source times: ``(node_time (N,), node_origin (N,))`` to/from the nearest origin.

    ``node_origin`` is the origin index, -1 where nothing is reached within ``limit_s``."""
    csr, n = augmented_graph(graph, origins, direction)
    sources = n + np.nonzero(origins.part >= 0)[0]
    if not len(sources):
        return np.full(n, np.inf), np.full(n, -1, np.int64)
    dist, _pred, src = dijkstra(
        csr,
        directed=True,
        indices=sources,
        limit=limit_s,
        min_only=True,
        return_predecessors=True,
    )
    node_origin = np.where(src[:n] >= 0, src[:n] - n, -1).astype(np.int64)
    return dist[:n], node_origin


def per_origin(
    graph: RoadGraph,
    origins: Snap,
    direction: str,
    limit_s: float = np.inf,
    feedback=None,
    chunk: int = 8,
) -> Iterator[Tuple[int, np.ndarray]]:
    """For each snapped origin ``k``: ``(k, node_time (N,))``; honours cancel between origins."""
    csr, n = augmented_graph(graph, origins, direction)
    ok = np.nonzero(origins.part >= 0)[0]
    # a few origins per scipy call (one graph validation per chunk), rows kept small in memory
    for start in range(0, len(ok), chunk):
        if feedback is not None and feedback.isCanceled():
            raise CancelledError(tr("Cancelled during the travel-time computation."))
        ks = ok[start : start + chunk]
        dist = dijkstra(csr, directed=True, indices=n + ks, limit=limit_s)
        for row, k in enumerate(ks):
            if feedback is not None and feedback.isCanceled():
                raise CancelledError(tr("Cancelled during the travel-time computation."))
            yield int(k), dist[row, :n]
