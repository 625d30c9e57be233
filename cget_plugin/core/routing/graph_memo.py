"""Session memo of work done on a road graph: a second access-time run with the same
population and facilities on the same (cached) graph neither snaps its 300,000 points nor runs
the shortest paths again (issue 11, item 5: the warm run).

Entries are keyed by the inputs themselves (a digest of the points' coordinates, or of the
snapped facilities), never by a file name: a population file edited, replaced or read with
another filter gives other points and is computed anew. They are held per graph object and go
with it when :mod:`graph_cache` drops the graph. Hashing 300,000 points takes milliseconds,
snapping them seconds.
"""

from __future__ import annotations

import hashlib
import weakref
from collections import OrderedDict
from typing import Tuple

import numpy as np

from . import engine
from .graph import RoadGraph, Snap

#: Entries remembered per graph and kind (a population and its polygon samples, say).
PER_GRAPH = 2
#: Fewer points than this are snapped directly (facilities): not worth a digest.
MIN_POINTS = 20000

# id(graph) -> (weak reference to it, {key: value}); a dataclass graph is not hashable, and
# the entry goes when the graph is collected
_MEMO: dict = {}
STATS = {"snap_hits": 0, "snaps": 0, "time_hits": 0, "times": 0}


def _digest(*arrays) -> str:
    h = hashlib.blake2b(digest_size=20)
    for array in arrays:
        array = np.ascontiguousarray(array)
        h.update(repr((array.dtype.str, array.shape)).encode())
        h.update(array.tobytes())
    return h.hexdigest()


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


def _lookup(graph, key, kind: str):
    memo = _memo_of(graph)
    if key in memo:
        STATS[f"{kind}_hits"] += 1
        memo.move_to_end(key)
        return memo[key]
    return None


def _store(graph, key, value) -> None:
    memo = _memo_of(graph)
    memo[key] = value
    kind = key[0]
    while sum(1 for k in memo if k[0] == kind) > PER_GRAPH:
        del memo[next(k for k in memo if k[0] == kind)]


def snap(graph: RoadGraph, xy, tolerance: float, k: int = 8) -> Snap:
    """``graph.snap(xy, tolerance, k)``, from this session's memo when the same points were
    snapped on this graph with the same tolerance (the caller gets its own copy)."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    if len(xy) < MIN_POINTS:
        return graph.snap(xy, tolerance, k)
    key = ("snap", _digest(xy), float(tolerance), int(k))
    found = _lookup(graph, key, "snap")
    if found is None:
        STATS["snaps"] += 1
        found = graph.snap(xy, tolerance, k)
        _store(graph, key, found)
    return Snap(found.part.copy(), found.frac.copy(), found.dist.copy(), found.xy.copy())


def nearest_origin(
    graph: RoadGraph, origins: Snap, direction: str
) -> Tuple[np.ndarray, np.ndarray]:
    """``engine.nearest_origin(graph, origins, direction)``, from this session's memo when the
    same snapped origins were run on this graph in this direction (a copy)."""
    key = ("time", _digest(origins.part, origins.frac), direction)
    found = _lookup(graph, key, "time")
    if found is None:
        STATS["times"] += 1
        found = engine.nearest_origin(graph, origins, direction)
        _store(graph, key, found)
    return found[0].copy(), found[1].copy()


def clear() -> None:
    _MEMO.clear()
