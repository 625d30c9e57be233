"""Where to open new services: greedy maximal covering on exact travel times.

Given existing sites (optional), candidate sites and a population, choose the candidates that
bring the most population within the threshold, one at a time (greedy maximal covering with lazy
re-evaluation: within 1 - 1/e of the optimum, exact for one site). Ties go to the candidate that
sorts first by its identifier, so every run gives the same answer. The population is counted as
in :mod:`coverage` (samples of the units, time = network time + walk to the road), so the
figures match ``cget:accesstime`` run on the same inputs.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import List, Optional, Sequence

import numpy as np

from ..definitions import kmh_to_ms
from ..errors import InputError
from ..i18n import tr
from . import engine
from .graph import RoadGraph, Snap
from .profiles import WALK_SPEED_KMH
from .siting_bounds import LazyCoverage
from .siting_matrix import CoverageMatrix, SampleSet, TreeRunner, sample_minutes

#: why the choice stopped
STOP_COUNT = "count"  # NEW_SITES reached
STOP_TARGET = "target"  # TARGET_SHARE reached
STOP_TARGET_AT_START = "target_at_start"  # reached by the existing sites alone
STOP_NO_GAIN = "no_gain"  # no candidate adds anyone


@dataclass
class Choice:
    candidate: int  # index in the candidates
    gain_pop: float
    covered_pop: float
    covered_share: float  # percent


@dataclass
class SitingResult:
    total_pop: float
    base_pop: float  # covered by the existing sites alone
    chosen: List[Choice]
    stop: str
    sample_minutes: np.ndarray  # best time with existing + chosen sites (inf: unreached)
    sample_origin: np.ndarray  # index in existing + chosen sites (existing first), -1
    matrix: CoverageMatrix
    n_uncovered_samples: int
    stats: dict = field(default_factory=dict)

    def curve(self) -> List[tuple]:
        """``(k, covered_pop, covered_share)`` from k = 0 (existing sites only)."""
        share0 = 100.0 * self.base_pop / self.total_pop if self.total_pop > 0 else 0.0
        rows = [(0, self.base_pop, share0)]
        rows += [(i + 1, c.covered_pop, c.covered_share) for i, c in enumerate(self.chosen)]
        return rows


def sample_set(graph: RoadGraph, sample_xy, sample_w, tolerance: float) -> SampleSet:
    """Attach population samples to the network once (walk leg at 4 km/h, as access time)."""
    snap = graph.snap(np.asarray(sample_xy, float).reshape(-1, 2), tolerance)
    return SampleSet(snap, snap.dist / kmh_to_ms(WALK_SPEED_KMH), np.asarray(sample_w, float))


def id_ranks(ids: Sequence) -> np.ndarray:
    """Rank of each candidate identifier (numbers in numeric order, then texts): ties of the
    greedy go to the lowest rank."""

    def key(i):
        value = ids[i]
        try:
            return (0, float(str(value).replace(",", ".")), "")
        except ValueError:
            return (1, 0.0, str(value))

    order = sorted(range(len(ids)), key=key)
    ranks = np.empty(len(ids), np.int64)
    ranks[np.asarray(order, np.int64)] = np.arange(len(ids))
    return ranks


def greedy_cover(
    source,
    weight: np.ndarray,
    ranks: np.ndarray,
    max_sites: Optional[int],
    target_gain: float = np.inf,
    on_pick=None,
) -> List[tuple]:
    """Lazy greedy: ``[(candidate, gain)]`` in order.

    A candidate's gain only falls as others are chosen, so every heap entry is an upper bound:
    a stale exact gain, or a bound from :mod:`siting_bounds` (``source.initial``). Only the top
    entry is re-evaluated: a stale one cheaply, a fresh bound by building the candidate's tree
    (with the next fresh bounds, one batch for the processes). A fresh exact gain at the top is
    the best; ties go to the lowest rank, which sorts first in the heap. Stops after
    ``max_sites``, when the gains reach ``target_gain`` or when nothing is gained."""
    covered = np.zeros(len(weight), bool)

    def gain(c):
        idx = source.row(c)
        return float(weight[idx[~covered[idx]]].sum())

    heap = [(-v, int(ranks[c]), c, exact, 0) for c, v, exact in source.initial(weight) if v > 0]
    heapq.heapify(heap)
    chosen, total, rnd = [], 0.0, 0
    while heap and (max_sites is None or len(chosen) < max_sites) and total < target_gain:
        neg, rank, c, exact, fresh = heapq.heappop(heap)
        if exact and fresh == rnd:
            chosen.append((c, -neg))
            total += -neg
            covered[source.row(c)] = True
            rnd += 1
            if on_pick is not None:
                on_pick(len(chosen), total)
            continue
        if not exact and fresh == rnd:
            group = [(rank, c)]
            while heap and len(group) < getattr(source, "batch", 1) and heap[0][3:] == (False, rnd):
                group.append(heapq.heappop(heap)[1:3])
            source.exact([g[1] for g in group])
            for rank_g, c_g in group:
                _push(heap, gain(c_g), rank_g, c_g, True, rnd)
            continue
        _push(heap, gain(c) if exact else source.refresh(c, covered, weight), rank, c, exact, rnd)
    return chosen


def _push(heap, value, rank, c, exact, rnd):
    if value > 0:
        heapq.heappush(heap, (-value, rank, c, exact, rnd))


def solve(
    graph: RoadGraph,
    samples: SampleSet,
    facilities: Optional[Snap],
    candidates: Snap,
    candidate_ranks: np.ndarray,
    threshold_min: float,
    direction: str = "arrival",
    max_sites: Optional[int] = None,
    target_share: Optional[float] = None,
    feedback=None,
    workers: Optional[int] = None,
) -> SitingResult:
    """Choose new sites among ``candidates`` (see the module docstring)."""
    check_threshold(threshold_min)
    if max_sites is None and target_share is None:
        raise InputError(
            tr("Give a number of new sites (NEW_SITES), a target share (TARGET_SHARE) or both.")
        )
    total = float(samples.weight.sum())
    base_min = _best_minutes(graph, samples, facilities, direction)
    covered0 = base_min <= threshold_min
    base_pop = float(samples.weight[covered0].sum())
    todo = np.nonzero((~covered0) & (samples.snap.part >= 0) & (samples.weight > 0))[0]
    target_pop = np.inf if target_share is None else total * target_share / 100.0
    if feedback is not None:
        feedback.setProgress(5)
    if base_pop >= target_pop:
        matrix = CoverageMatrix(
            np.zeros(len(candidates.part) + 1, np.int64), np.zeros(0, np.int32), 0, 0, 0.0, 1
        )
        minutes, origin = _final_times(graph, samples, facilities, candidates, [], direction)
        return SitingResult(
            total, base_pop, [], STOP_TARGET_AT_START, minutes, origin, matrix, len(todo)
        )
    uncovered = samples.subset(todo)
    runner = TreeRunner(graph, uncovered, candidates, direction, threshold_min, feedback, workers)
    with runner:
        source = LazyCoverage(runner, len(candidates.part))
        picks = greedy_cover(
            source,
            uncovered.weight,
            candidate_ranks,
            max_sites,
            target_pop - base_pop,
            _progress(feedback, max_sites, target_pop - base_pop),
        )
    matrix = source.matrix()
    chosen, covered = [], base_pop
    for c, g in picks:
        covered += g
        share = 100.0 * covered / total if total > 0 else 0.0
        chosen.append(Choice(int(c), g, covered, share))
    if not chosen:
        stop = STOP_NO_GAIN
    elif covered >= target_pop:
        stop = STOP_TARGET
    elif max_sites is not None and len(chosen) >= max_sites:
        stop = STOP_COUNT
    else:
        stop = STOP_NO_GAIN
    picked = [c.candidate for c in chosen]
    minutes, origin = _final_times(graph, samples, facilities, candidates, picked, direction)
    stats = {"trees": matrix.n_trees, "pruned": matrix.n_pruned, "workers": matrix.workers}
    return SitingResult(
        total, base_pop, chosen, stop, minutes, origin, matrix, len(todo), stats=stats
    )


def _progress(feedback, max_sites, target_gain):
    """Progress of the choice: 50 % once the bounds are there, then by site or by target."""
    if feedback is None:
        return None

    def on_pick(k, gained):
        share = k / max_sites if max_sites else 0.0
        if np.isfinite(target_gain) and target_gain > 0:
            share = max(share, gained / target_gain)
        feedback.setProgress(50.0 + 45.0 * min(share, 1.0))

    return on_pick


def check_threshold(threshold_min) -> None:
    try:
        ok = float(threshold_min) > 0 and np.isfinite(float(threshold_min))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise InputError(
            tr(
                "The threshold must be a positive number of minutes (THRESHOLD_MIN: {value})."
            ).format(value=threshold_min)
        )


def _best_minutes(graph, samples, sites: Optional[Snap], direction) -> np.ndarray:
    if sites is None or not (sites.part >= 0).any():
        return np.full(len(samples.weight), np.inf)
    node_t, _ = engine.nearest_origin(graph, sites, direction)
    return sample_minutes(graph, samples, node_t, direction, sites)[0]


def _final_times(graph, samples, facilities, candidates, picked, direction):
    """Best time and site (existing first, then the chosen ones in order) of every sample."""
    parts = [facilities] if facilities is not None else []
    if picked:
        parts.append(candidates.subset(np.asarray(picked, np.int64)))
    if not parts:
        n = len(samples.weight)
        return np.full(n, np.inf), np.full(n, -1, np.int64)
    sites = Snap(
        np.concatenate([p.part for p in parts]),
        np.concatenate([p.frac for p in parts]),
        np.concatenate([p.dist for p in parts]),
        np.concatenate([p.xy for p in parts]),
    )
    if not (sites.part >= 0).any():
        n = len(samples.weight)
        return np.full(n, np.inf), np.full(n, -1, np.int64)
    node_t, node_o = engine.nearest_origin(graph, sites, direction)
    return sample_minutes(graph, samples, node_t, direction, sites, node_o)
