"""Upper bounds on what a candidate can bring, so most candidates never need their own tree.

A few *representative* candidates get one tree each, bounded at ``T + delta`` where ``delta`` is
the longest trip from one of their members to them. For a member ``c`` of representative ``r``,
triangle inequality gives ``time(s -> r) <= time(s -> c) + time(c -> r)``, so every sample ``c``
covers is within ``T + time(c -> r)`` of ``r``: the uncovered population there is an upper bound
of ``c``'s gain, refreshed without any tree as sites are chosen. The greedy only builds the exact
tree of a candidate whose bound reaches the top of its heap; the choice is the same as with
every tree built (see :func:`siting.greedy_cover`). All times are on the pruned graph of the
:class:`TreeRunner`, where the inequality holds as in any graph.
"""

from __future__ import annotations

import math
from typing import Dict, List, Tuple

import numpy as np
from scipy.sparse.csgraph import dijkstra

from .siting_matrix import CoverageMatrix, TreeRunner, check_cancel

#: at most this many candidates: every one gets its tree (bounds would not pay)
ALL_TREES_BELOW = 64
#: representatives: about this many times the square root of the number of candidates
REPS_PER_SQRT = 3.0
#: a candidate farther than this share of the threshold from every representative gets its tree
MAX_DELTA_SHARE = 0.25
#: minutes added to the bounds against rounding (times kept in float32; a larger bound stays
#: a bound)
SLACK_MIN = 1e-3


def representatives(xy: np.ndarray, count: int) -> np.ndarray:
    """Farthest-point sampling of ``count`` points among ``xy`` (deterministic: starts at 0)."""
    chosen = [0]
    dist = np.hypot(*(xy - xy[0]).T)
    for _ in range(min(count, len(xy)) - 1):
        j = int(np.argmax(dist))
        if dist[j] <= 0:
            break
        chosen.append(j)
        dist = np.minimum(dist, np.hypot(*(xy - xy[j]).T))
    return np.asarray(chosen, np.int64)


class LazyCoverage:
    """Exact rows on demand and cheap upper bounds for the candidates of ``runner.useful``."""

    def __init__(self, runner: TreeRunner, n_cand: int, batch: int = 8):
        self.runner = runner
        self.n_cand = n_cand
        self.batch = batch if runner.workers <= 1 else 4 * runner.workers
        self._rows: Dict[int, np.ndarray] = {}
        # per representative: samples sorted by time, their times; per member: (rep, minutes)
        self._rep_rows: Dict[int, Tuple[np.ndarray, np.ndarray]] = {}
        self._member: Dict[int, Tuple[int, float]] = {}

    # -- the interface of the greedy -----------------------------------------------------------
    def initial(self, weight) -> List[tuple]:
        useful = self.runner.useful
        threshold = self.runner.threshold_min
        if len(useful) <= ALL_TREES_BELOW:
            self.exact(useful)
            return [(c, float(weight[self._rows[c]].sum()), True) for c in useful]
        reps, rep_of, delta = self._assign(useful)
        reach = np.zeros(self.n_cand)  # how far each representative's tree must go
        np.maximum.at(reach, rep_of[useful], delta[useful])
        order = np.argsort(reach[reps], kind="stable")  # similar limits share a scipy call
        groups = np.array_split(reps[order], max(1, len(reps) // 8))
        tasks = [(g, threshold + float(reach[g].max())) for g in groups]
        feedback = self.runner.feedback
        for done, (c, idx, minutes) in enumerate(self.runner.run(tasks), 1):
            if feedback is not None:
                feedback.setProgress(5.0 + 45.0 * done / len(reps))
            srt = np.argsort(minutes, kind="stable")
            self._rep_rows[c] = (idx[srt], minutes[srt].astype(np.float32))
            self._rows[c] = idx[minutes <= threshold]
        out = []
        for c in useful:
            if c in self._rows:
                out.append((c, float(weight[self._rows[c]].sum()), True))
            else:
                self._member[c] = (int(rep_of[c]), float(delta[c]))
                out.append((c, self.refresh(c, np.zeros(len(weight), bool), weight), False))
        return out

    def refresh(self, c, covered, weight) -> float:
        rep, delta = self._member[c]
        idx, minutes = self._rep_rows[rep]
        k = np.searchsorted(minutes, self.runner.threshold_min + delta + SLACK_MIN, side="right")
        near = idx[:k]
        return float(weight[near[~covered[near]]].sum())

    def exact(self, cands) -> None:
        todo = [int(c) for c in cands if int(c) not in self._rows]
        if todo:
            for c, idx, _minutes in self.runner.rows(todo, self.runner.threshold_min):
                self._rows[c] = idx

    def row(self, c) -> np.ndarray:
        return self._rows[c]

    def matrix(self) -> CoverageMatrix:
        """The rows built so far (candidates never built have an empty row)."""
        return CoverageMatrix.from_rows(self._rows, self.n_cand, self.runner)

    # -- representatives -----------------------------------------------------------------------
    def _assign(self, useful):
        """Representatives among ``useful``, each candidate's representative and its time to
        it (0 for representatives; a candidate reaching none becomes its own)."""
        runner = self.runner
        cand = runner.candidates
        count = max(1, int(REPS_PER_SQRT * math.sqrt(len(useful))))
        reps = useful[representatives(cand.xy[useful], count)]
        # one multi-source tree from the representatives on the pruned graph: the time from
        # every node to the nearest one, then from every candidate along its part
        dist, _pred, src = dijkstra(
            runner.csr,
            directed=True,
            indices=runner.n + reps,
            min_only=True,
            return_predecessors=True,
        )
        check_cancel(runner.feedback)
        n = runner.n
        position = np.full(self.n_cand, -1, np.int64)
        position[reps] = np.arange(len(reps))
        # sources are the representatives' virtual nodes: their position among ``reps``
        node_rep = np.where(src[:n] >= 0, position[np.maximum(src[:n] - n, 0)], -1)
        sel = cand.subset(useful)
        t, org = runner.graph.times_on_parts(
            sel.part, sel.frac, dist[:n], runner.direction, node_rep, cand.subset(reps)
        )
        delta = np.full(self.n_cand, np.inf)
        rep_of = np.full(self.n_cand, -1, np.int64)
        found = np.isfinite(t) & (org >= 0)
        rep_of[useful[found]] = reps[org[found]]
        delta[useful[found]] = t[found] / 60.0
        rep_of[reps], delta[reps] = reps, 0.0
        # too far from any representative for a useful bound: its own tree
        far = delta[useful] > MAX_DELTA_SHARE * runner.threshold_min
        lonely = useful[(rep_of[useful] < 0) | far]
        rep_of[lonely], delta[lonely] = lonely, 0.0
        return np.concatenate([reps, lonely]), rep_of, delta
