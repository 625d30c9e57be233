"""Session memo of snapped points per road graph: a second access-time run with the same
population on the same (cached) graph does not snap its 300,000 points again (issue 11, 5).

Keyed by the points themselves (a digest of their coordinates), the tolerance and ``k``, and
held by the graph object (weakly): a population file edited, replaced or read with another
filter gives other points and is snapped anew; a graph dropped from :mod:`graph_cache` takes
its memo with it. Hashing 300,000 points takes milliseconds, snapping them seconds.
"""

from __future__ import annotations

import hashlib
import weakref
from collections import OrderedDict

import numpy as np

from .graph import RoadGraph, Snap

#: Point sets remembered per graph (a population and its polygon samples, say).
PER_GRAPH = 2
#: Fewer points than this are snapped directly (facilities): not worth a digest.
MIN_POINTS = 20000

# id(graph) -> (weak reference to it, {key: Snap}); a dataclass graph is not hashable, and
# the entry goes when the graph is collected
_MEMO: dict = {}
SNAP_STATS = {"hits": 0, "snaps": 0}


def _key(xy: np.ndarray, tolerance: float, k: int) -> tuple:
    digest = hashlib.blake2b(np.ascontiguousarray(xy).tobytes(), digest_size=20).hexdigest()
    return (xy.shape, digest, float(tolerance), int(k))


def _copy(snap: Snap) -> Snap:
    # callers own what they get: the memo's arrays are never handed out
    return Snap(snap.part.copy(), snap.frac.copy(), snap.dist.copy(), snap.xy.copy())


def _memo_of(graph: RoadGraph) -> OrderedDict:
    entry = _MEMO.get(id(graph))
    if entry is not None and entry[0]() is graph:
        return entry[1]
    memo = OrderedDict()
    _MEMO[id(graph)] = (weakref.ref(graph), memo)
    weakref.finalize(graph, _forget, id(graph))
    return memo


def _forget(graph_id: int) -> None:
    entry = _MEMO.get(graph_id)
    if entry is not None and entry[0]() is None:
        del _MEMO[graph_id]


def snap(graph: RoadGraph, xy, tolerance: float, k: int = 8) -> Snap:
    """``graph.snap(xy, tolerance, k)``, from this session's memo when the same points were
    snapped on this graph with the same tolerance."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) < MIN_POINTS:
        return graph.snap(xy, tolerance, k)
    key = _key(xy, tolerance, k)
    memo = _memo_of(graph)
    if key in memo:
        SNAP_STATS["hits"] += 1
        memo.move_to_end(key)
        return _copy(memo[key])
    result = graph.snap(xy, tolerance, k)
    SNAP_STATS["snaps"] += 1
    memo[key] = _copy(result)
    while len(memo) > PER_GRAPH:
        memo.popitem(last=False)
    return result


def clear() -> None:
    _MEMO.clear()
