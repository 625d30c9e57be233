"""Coverage of candidate sites: which population samples each candidate would bring within the
threshold, from one bounded shortest-path tree per candidate, kept sparse.

Only the samples the existing sites leave beyond the threshold matter (the others are covered
whatever is chosen), and three exact prunings keep the trees small:

- *candidates*: a candidate no uncovered sample can reach within the threshold (one multi-source
  tree from those samples) cannot add anything and gets no tree;
- *nodes*: a node ``x`` lies on a useful path only if ``h(x) + g(x) <= T``, with ``h`` the time
  from the nearest uncovered sample and ``g`` the time to the nearest candidate (two more
  multi-source trees); edges touching other nodes are dropped before the per-candidate trees;
- *samples*: only uncovered samples are kept as columns.

For ``arrival`` (people travel to the site) the trees run on the reversed graph, so one tree
from a candidate gives every sample's time to it. The trees are spread over the processors with
a fork-based process pool where the platform has one (scipy holds the GIL in ``dijkstra``, so
threads would not help; measured in ``bench/bench_siting.py``). :mod:`siting_bounds` decides
which candidates need their tree at all.
"""

from __future__ import annotations

import multiprocessing
import os
from dataclasses import dataclass
from typing import Dict, Optional

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import dijkstra

from ..errors import CancelledError
from ..i18n import tr
from . import engine
from .graph import RoadGraph, Snap

#: candidates per scipy call: one graph validation per chunk, rows kept small in memory
CHUNK = 16
#: below this many trees a process pool costs more than it saves
MIN_PARALLEL_TREES = 48
MAX_WORKERS = 4
#: environment override of the number of worker processes (1 = in this process)
WORKERS_ENV = "CGET_SITING_WORKERS"


def opposite(direction: str) -> str:
    return "departure" if direction == "arrival" else "arrival"


@dataclass
class SampleSet:
    """Population samples attached to the network once (reused by every tree)."""

    snap: Snap  # part -1 when beyond the tolerance
    walk_s: np.ndarray  # off-network leg in seconds
    weight: np.ndarray  # population carried

    def subset(self, idx: np.ndarray) -> SampleSet:
        return SampleSet(self.snap.subset(idx), self.walk_s[idx], self.weight[idx])


def sample_minutes(
    graph: RoadGraph,
    samples: SampleSet,
    node_time: np.ndarray,
    direction: str,
    origins: Optional[Snap] = None,
    node_origin: Optional[np.ndarray] = None,
):
    """Minutes of each sample (inf when unattached or unreached) and its origin (-1), the
    arithmetic of :func:`coverage.access_times` on samples attached beforehand."""
    ok = samples.snap.part >= 0
    t = np.full(len(ok), np.inf)
    org = np.full(len(ok), -1, np.int64)
    if ok.any():
        tt, oo = graph.times_on_parts(
            samples.snap.part[ok], samples.snap.frac[ok], node_time, direction, node_origin, origins
        )
        t[ok] = tt + samples.walk_s[ok]
        if oo is not None:
            org[ok] = oo
    return t / 60.0, org


@dataclass
class CoverageMatrix:
    """Sparse candidates x uncovered samples: row ``c`` lists the samples within the threshold."""

    indptr: np.ndarray  # (C + 1,)
    indices: np.ndarray  # (nnz,) positions in the uncovered samples
    n_trees: int  # candidates that needed a tree
    n_pruned: int  # snapped candidates no uncovered sample can reach
    kept_node_share: float  # share of the nodes left after pruning
    workers: int

    def row(self, c: int) -> np.ndarray:
        return self.indices[self.indptr[c] : self.indptr[c + 1]]

    @classmethod
    def from_rows(cls, rows: Dict[int, np.ndarray], n_cand: int, runner) -> CoverageMatrix:
        counts = np.zeros(n_cand, np.int64)
        for c, idx in rows.items():
            counts[c] = len(idx)
        parts = [rows[c] for c in sorted(rows) if len(rows[c])]
        return cls(
            np.concatenate([[0], np.cumsum(counts)]),
            np.concatenate(parts) if parts else np.zeros(0, np.int32),
            runner.n_trees,
            runner.n_pruned,
            runner.kept_node_share,
            runner.workers,
        )

    # the interface of the greedy (every row exact from the start)
    def initial(self, weight):
        return [(c, float(weight[self.row(c)].sum()), True) for c in range(len(self.indptr) - 1)]

    def exact(self, cands):
        pass


# State of the trees, set before the pool forks (children inherit it without copying).
_STATE: Dict[str, object] = {}


def _prepare_columns(graph: RoadGraph, samples: SampleSet, direction: str) -> Dict[str, object]:
    """Per-sample constants of the via-node times, as in ``RoadGraph.times_on_parts``."""
    part = samples.snap.part
    node_a, cost_a, node_b, cost_b = graph.via_nodes(part, samples.snap.frac, direction)
    order = np.argsort(part, kind="stable")
    return {
        "node_a": node_a,
        "cost_a": cost_a,
        "node_b": node_b,
        "cost_b": cost_b,
        "walk": samples.walk_s,
        "part_order": order,
        "part_sorted": part[order],
    }


def _rows_of_trees(dist: np.ndarray, cands: np.ndarray, limit_min: float):
    """``(samples, minutes)`` within ``limit_min`` of each candidate of the chunk."""
    st = _STATE
    graph: RoadGraph = st["graph"]
    t = np.minimum(dist[:, st["node_a"]] + st["cost_a"], dist[:, st["node_b"]] + st["cost_b"])
    t += st["walk"]
    t /= 60.0
    cand_snap: Snap = st["candidates"]
    samples: SampleSet = st["samples"]
    out = []
    for row, c in enumerate(cands):
        minutes = t[row]
        # samples on the candidate's own road part may reach it directly along the part
        p = cand_snap.part[c]
        lo, hi = np.searchsorted(st["part_sorted"], [p, p + 1])
        if hi > lo:
            sel = st["part_order"][lo:hi]
            one = cand_snap.subset(np.array([c]))
            direct, _ = sample_minutes(
                graph, samples.subset(sel), dist[row], st["direction"], origins=one
            )
            minutes[sel] = np.minimum(minutes[sel], direct)
        idx = np.nonzero(minutes <= limit_min)[0]
        out.append((idx.astype(np.int32), minutes[idx]))
    return out


def _chunk_rows(task):
    cands, limit_min = task
    st = _STATE
    limit_s = limit_min * 60.0 * (1.0 + 1e-12)
    dist = dijkstra(st["csr"], directed=True, indices=st["n"] + cands, limit=limit_s)
    return cands, _rows_of_trees(dist, cands, limit_min)


def worker_count(n_trees: int, requested: Optional[int] = None) -> int:
    """Processes for ``n_trees`` trees: 1 without fork (Windows) or for few trees."""
    if requested is None:
        env = os.environ.get(WORKERS_ENV, "").strip()
        requested = int(env) if env.isdigit() else None
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    if requested is not None:
        return max(1, int(requested))
    if n_trees < MIN_PARALLEL_TREES:
        return 1
    return max(1, min(os.cpu_count() or 1, MAX_WORKERS))


def _useful_nodes(graph, samples, candidates, direction, limit_s):
    """Node mask ``h + g <= T`` and the time from the nearest sample to each candidate."""
    h, _ = engine.nearest_origin(graph, samples.snap, opposite(direction), limit_s)
    g, _ = engine.nearest_origin(graph, candidates, direction, limit_s)
    keep = (h + g) <= limit_s
    ok = candidates.part >= 0
    reach = np.full(len(ok), np.inf)
    if ok.any():
        # time from the nearest uncovered sample to the candidate (walk legs left out: a
        # lower bound, so the pruning never drops a useful candidate)
        reach[ok], _ = graph.times_on_parts(
            candidates.part[ok], candidates.frac[ok], h, opposite(direction), None, samples.snap
        )
    return keep, reach


def _pruned_csr(graph, candidates, direction, keep):
    csr, n = engine.augmented_graph(graph, candidates, direction)
    coo = csr.tocoo()
    keep_all = np.concatenate([keep, np.ones(csr.shape[0] - n, bool)])
    sel = keep_all[coo.row] & keep_all[coo.col]
    pruned = csr_matrix((coo.data[sel], (coo.row[sel], coo.col[sel])), shape=csr.shape)
    return pruned, n


class TreeRunner:
    """Bounded trees from candidates on the pruned graph, in this process or in a pool.

    ``useful`` lists the candidates some uncovered sample can reach within the threshold."""

    def __init__(
        self, graph, samples, candidates, direction, threshold_min, feedback=None, workers=None
    ):
        self.graph, self.samples, self.candidates = graph, samples, candidates
        self.direction, self.threshold_min, self.feedback = direction, threshold_min, feedback
        limit_s = threshold_min * 60.0 * (1.0 + 1e-12)
        self.useful = np.zeros(0, np.int64)
        self.n_pruned = int((candidates.part >= 0).sum())
        self.kept_node_share = 0.0
        self.n_trees = 0
        self.workers = 1
        self._pool = None
        if not len(samples.weight) or not self.n_pruned:
            return
        keep, reach = _useful_nodes(graph, samples, candidates, direction, limit_s)
        self.useful = np.nonzero((candidates.part >= 0) & (reach <= limit_s))[0]
        self.n_pruned -= len(self.useful)
        self.kept_node_share = float(keep.mean())
        self.csr, self.n = _pruned_csr(graph, candidates, direction, keep)
        self.workers = worker_count(len(self.useful), workers)

    def __enter__(self):
        _STATE.clear()
        if not len(self.useful):
            return self
        _STATE.update(_prepare_columns(self.graph, self.samples, self.direction))
        _STATE.update(
            graph=self.graph,
            samples=self.samples,
            candidates=self.candidates,
            csr=self.csr,
            n=self.n,
            direction=self.direction,
        )
        if self.workers > 1:
            self._pool = multiprocessing.get_context("fork").Pool(self.workers)
        return self

    def __exit__(self, *exc):
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None
        _STATE.clear()

    def rows(self, cands, limit_min, chunk=CHUNK):
        """Yield ``(candidate, samples, minutes)`` for ``cands`` (times up to ``limit_min``)."""
        cands = np.asarray(cands, np.int64)
        if self._pool is not None:
            chunk = max(1, min(chunk, -(-len(cands) // self.workers)))
        return self.run([(cands[i : i + chunk], limit_min) for i in range(0, len(cands), chunk)])

    def run(self, tasks):
        """Like :meth:`rows` for ``[(candidates, limit_min)]``, one scipy call per task."""
        tasks = [(np.asarray(c, np.int64), float(limit)) for c, limit in tasks if len(c)]
        self.n_trees += sum(len(c) for c, _limit in tasks)
        results = (
            map(_chunk_rows, tasks)
            if self._pool is None or len(tasks) < 2
            else self._pool.imap(_chunk_rows, tasks)
        )
        for done, rows in results:
            check_cancel(self.feedback)
            for c, (idx, minutes) in zip(done, rows):
                yield int(c), idx, minutes


def coverage_matrix(
    graph: RoadGraph,
    samples: SampleSet,
    candidates: Snap,
    direction: str,
    threshold_min: float,
    feedback=None,
    workers: Optional[int] = None,
) -> CoverageMatrix:
    """Every candidate's row, each from its own tree (small problems and tests)."""
    runner = TreeRunner(graph, samples, candidates, direction, threshold_min, feedback, workers)
    rows: Dict[int, np.ndarray] = {}
    with runner:
        for c, idx, _minutes in runner.rows(runner.useful, threshold_min):
            rows[c] = idx
    return CoverageMatrix.from_rows(rows, len(candidates.part), runner)


def check_cancel(feedback):
    if feedback is not None and feedback.isCanceled():
        raise CancelledError(tr("Cancelled during the siting computation."))
