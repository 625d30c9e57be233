"""Towns and villages: a street grid shaped by the place's size, the main roads' path
through it and the gates where roads from outside enter."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, Tuple

import numpy as np

from .geometry import harmonics, radial, rnd, rng_for
from .roads import road_attrs
from .territory import Coord, Place


@dataclass
class Town:
    place: Place
    centre: Coord
    nodes: Dict[Tuple[int, int], Coord] = field(default_factory=dict)
    edges: Dict[Tuple, dict] = field(default_factory=dict)  # (n1, n2) sorted -> attrs
    shape: list = field(default_factory=list)
    angle: float = 0.0

    def rel(self, xy):
        d = math.dist(xy, self.centre)
        t = math.atan2(xy[1] - self.centre[1], xy[0] - self.centre[0])
        return d / (self.place.radius * radial(self.shape, t))

    def adjacency(self):
        adj: Dict[tuple, list] = {}
        for a, b in self.edges:
            adj.setdefault(a, []).append(b)
            adj.setdefault(b, []).append(a)
        return adj

    def path(self, start, goal, turn_cost=350.0):
        """Shortest path between two grid nodes, turns penalised: main roads run straight
        along a few streets instead of zigzagging through the grid."""
        import heapq

        adj = self.adjacency()
        best = {(start, None): 0.0}
        prev = {}
        heap = [(0.0, start, None)]
        end_state = None
        while heap:
            d, u, du = heapq.heappop(heap)
            if u == goal:
                end_state = (u, du)
                break
            if d > best.get((u, du), math.inf):
                continue
            for v in adj.get(u, []):
                dv = (v[0] - u[0], v[1] - u[1])
                nd = d + math.dist(self.nodes[u], self.nodes[v])
                if du is not None and dv != du:
                    nd += turn_cost
                if nd < best.get((v, dv), math.inf):
                    best[(v, dv)] = nd
                    prev[(v, dv)] = (u, du)
                    heapq.heappush(heap, (nd, v, dv))
        if end_state is None:
            return []
        out = [end_state]
        while out[-1][0] != start or out[-1][1] is not None:
            out.append(prev[out[-1]])
        return [state[0] for state in out[::-1]]


def build_towns(places, avoid=None) -> Dict[str, Town]:
    towns = {}
    for p in places:
        rng = rng_for("town", p.code)
        t = Town(p, p.xy, shape=harmonics(rng, 4, 0.16 if p.is_town else 0.25))
        t.angle = rng.uniform(0, math.pi / 2)
        towns[p.code] = t
    for t in towns.values():
        p = t.place
        rng = rng_for("grid", p.code)
        s = p.spacing
        n = int(math.ceil(1.7 * p.radius / s)) + 1
        ca, sa = math.cos(t.angle), math.sin(t.angle)
        gamma = 1.35 if p.population > 5000 else (1.15 if p.is_town else 1.0)
        waves = [
            (rng.uniform(900, 2200), rng.uniform(0, 2 * math.pi), rng.uniform(0, 2 * math.pi))
            for _ in range(3)
        ]
        amp = 0.22 * s
        for i in range(-n, n + 1):
            for j in range(-n, n + 1):
                bx, by = i * s, j * s
                d = math.hypot(bx, by)
                f = (d / p.radius) ** (gamma - 1.0) if d > 0 else 0.0
                bx, by = bx * f, by * f
                x = t.centre[0] + ca * bx - sa * by
                y = t.centre[1] + sa * bx + ca * by
                if i or j:
                    for lam, ph, dirn in waves:
                        w = math.sin(
                            2 * math.pi * (x * math.cos(dirn) + y * math.sin(dirn)) / lam + ph
                        )
                        x += amp * w * math.cos(dirn + 1.0)
                        y += amp * w * math.sin(dirn + 1.0)
                rel = t.rel((x, y))
                if rel >= 1.0:
                    continue
                if avoid is not None and np.min(np.hypot(*(avoid - (x, y)).T)) < 220:
                    continue
                # between neighbouring towns, each keeps its own side (no overlapping grids)
                if any(o is not t and o.rel((x, y)) < rel for o in towns.values()):
                    continue
                t.nodes[(i, j)] = (rnd(x), rnd(y))
    return towns


def _grid_edges(t: Town, qpv_zones) -> None:
    """Grid edges, pruned outside the centre; large blocks in QPV (grands ensembles)."""
    p = t.place
    rng = rng_for("streets", p.code)
    big = p.population > 5000
    prune = 0.24 if p.is_town else 0.33
    for (i, j), xy in sorted(t.nodes.items()):
        for di, dj in ((1, 0), (0, 1)):
            k = (i + di, j + dj)
            if k not in t.nodes:
                continue
            mid = ((xy[0] + t.nodes[k][0]) / 2, (xy[1] + t.nodes[k][1]) / 2)
            rel = t.rel(mid)
            on_line = (i % 3 == 0) if dj else (j % 3 == 0)
            in_qpv = any(math.dist(mid, c) < r for c, r in qpv_zones)
            if in_qpv and not on_line and rng.random() < 0.7:
                continue
            if rng.random() < prune * min(1.0, max(0.0, (rel - 0.3) / 0.6)):
                continue
            avenue = big and ((i % 6 == 0) if dj else (j % 6 == 0))
            imp = "4" if avenue else "5"
            one_way = big and not avenue and rel < 0.3
            attrs = road_attrs(importance=imp, urban=True, oneway=one_way)
            if one_way:
                # alternate directions street by street (one-way pairs)
                parity = (i if dj else j) % 2
                attrs["forward"] = (parity == 0) == (dj == 1)
            t.edges[((i, j), k)] = attrs


def _largest_piece(adj) -> list:
    """Nodes of the largest connected piece of the adjacency ``adj`` (first one on ties)."""
    seen, best = set(), []
    for start in sorted(adj):
        if start in seen:
            continue
        comp, stack = [], [start]
        seen.add(start)
        while stack:
            u = stack.pop()
            comp.append(u)
            for v in adj[u]:
                if v not in seen:
                    seen.add(v)
                    stack.append(v)
        if len(comp) > len(best):
            best = comp
    return best


def town_streets(t: Town, qpv_zones) -> None:
    """The town's streets: its grid edges, the largest connected piece kept, impasses marked."""
    _grid_edges(t, qpv_zones)
    keep = set(_largest_piece(t.adjacency()))
    t.edges = {e: a for e, a in t.edges.items() if e[0] in keep}
    t.nodes = {k: v for k, v in t.nodes.items() if k in keep}
    if (0, 0) not in t.nodes:
        raise RuntimeError(f"{t.place.name}: the centre fell off the street grid")
    degree: Dict[tuple, int] = {}
    for a, b in t.edges:
        degree[a] = degree.get(a, 0) + 1
        degree[b] = degree.get(b, 0) + 1
    for (a, b), attrs in t.edges.items():
        if (degree[a] == 1 or degree[b] == 1) and attrs["importance"] == "5":
            attrs["importance"] = "6"  # impasses


def gate_node(t: Town, target: Coord, used=None):
    """Outer node of ``t`` facing ``target``: where a road from outside enters the town."""
    adj = t.adjacency()
    want = math.atan2(target[1] - t.centre[1], target[0] - t.centre[0])
    best, best_score = None, math.inf
    for k, xy in t.nodes.items():
        if k not in adj or len(adj[k]) > 3:
            continue
        rel = t.rel(xy)
        if rel < 0.6:
            continue
        ang = math.atan2(xy[1] - t.centre[1], xy[0] - t.centre[0])
        diff = abs((ang - want + math.pi) % (2 * math.pi) - math.pi)
        score = diff * t.place.radius + math.dist(xy, target) * 0.15
        if used and k in used:
            score += 200
        if score < best_score:
            best, best_score = k, score
    return best
