"""Indispensable sites: what happens to the residents of each existing site if it alone closed.

Closing site ``f`` only changes the nodes whose nearest site is ``f`` (its catchment ``R_f``).
Their new time comes from the nearest *other* site, and a shortest path from another site into
``R_f`` enters it for the last time through an edge ``y -> x`` with ``y`` outside, where ``y``'s
time is unchanged. So one Dijkstra answers for every site at once: a super-source joined to each
catchment node ``x`` by such entry edges (weight ``time(y) + w(y, x)``) and the edges inside each
catchment (catchments are disjoint, so the trees cannot mix).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from . import engine
from .graph import RoadGraph, Snap, dedupe_min
from .siting_matrix import SampleSet, sample_minutes


@dataclass
class CriticalSite:
    facility: int  # index in the facilities
    pop_served: float  # residents whose nearest site it is
    pop_lost: float  # of them, beyond the threshold if it closed
    minutes_mean: float  # their mean time today (population-weighted)
    new_minutes_mean: float  # with the site closed (nan when some could reach no other site)
    pop_stranded: float  # of them, reaching no other site at all


def _times_without_own_site(graph, facilities, direction):
    """Node times to the nearest site, their site, and the time to the nearest *other* site."""
    csr, n = engine.augmented_graph(graph, facilities, direction)
    sources = n + np.nonzero(facilities.part >= 0)[0]
    dist, _pred, src = dijkstra(
        csr, directed=True, indices=sources, min_only=True, return_predecessors=True
    )
    origin = np.where(src >= 0, src - n, -1).astype(np.int64)
    coo = csr.tocoo()
    r, c, w = coo.row, coo.col, coo.data
    o_r, o_c = origin[r], origin[c]
    inside = (r < n) & (c < n) & (o_r == o_c) & (o_c >= 0)
    entry = (o_c >= 0) & (c < n) & (o_r != o_c) & np.isfinite(dist[r])
    size = csr.shape[0] + 1
    source = size - 1
    rows = np.concatenate([r[inside], np.full(int(entry.sum()), source)])
    cols = np.concatenate([c[inside], c[entry]])
    weights = np.concatenate([w[inside], dist[r[entry]] + w[entry]])
    # csr_matrix would add up parallel entry edges: keep the shortest
    rows, cols, weights = dedupe_min(rows, cols, weights)
    sub = csr_matrix((weights, (rows, cols)), shape=(size, size))
    other = dijkstra(sub, directed=True, indices=source)[:n]
    return dist[:n], origin[:n], other


def critical_sites(
    graph: RoadGraph,
    samples: SampleSet,
    facilities: Snap,
    direction: str,
    threshold_min: float,
) -> List[CriticalSite]:
    """One row per snapped existing site, most indispensable first (population lost, then the
    rise of its residents' mean time)."""
    node_t, node_o, other = _times_without_own_site(graph, facilities, direction)
    minutes, site = sample_minutes(graph, samples, node_t, direction, facilities, node_o)
    rows = []
    by_site = np.argsort(node_o, kind="stable")
    node_counts = np.bincount(node_o[node_o >= 0], minlength=len(facilities.part))
    starts = np.concatenate([[0], np.cumsum(node_counts)]) + int((node_o < 0).sum())
    for f in np.nonzero(facilities.part >= 0)[0]:
        served = np.nonzero(site == f)[0]
        w = samples.weight[served]
        closed = facilities.subset(np.arange(len(facilities.part)))
        closed.part[f] = -1
        times = node_t.copy()
        catchment = by_site[starts[f] : starts[f + 1]]
        times[catchment] = other[catchment]
        new_min, _ = sample_minutes(graph, samples.subset(served), times, direction, closed)
        rows.append(_row(int(f), w, minutes[served], new_min, threshold_min))
    rows.sort(key=lambda s: (-s.pop_lost, -_rise(s), s.facility))
    return rows


def _rise(site: CriticalSite) -> float:
    if np.isnan(site.new_minutes_mean):
        return np.inf
    return site.new_minutes_mean - site.minutes_mean


def _row(f, w, old, new, threshold_min) -> CriticalSite:
    served = float(w.sum())
    lost = float(w[(old <= threshold_min) & ~(new <= threshold_min)].sum())
    stranded = float(w[~np.isfinite(new)].sum())
    reach_old = np.isfinite(old)
    mean_old = (
        float(np.average(old[reach_old], weights=w[reach_old]))
        if w[reach_old].sum() > 0
        else np.nan
    )
    if stranded > 0 or served <= 0:
        mean_new = np.nan
    else:
        mean_new = float(np.average(new, weights=w))
    return CriticalSite(f, served, lost, mean_old, mean_new, stranded)
