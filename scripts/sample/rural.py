"""The rural road graph: chefs-lieux, hamlets, exits at the outline and the interchanges' link
roads joined by a proximity graph (Delaunay filtered by the Gabriel and relative-neighbourhood
tests, a spanning tree plus some extra edges); departmental roads follow shortest paths on it."""

from __future__ import annotations

import math
from typing import Dict, List, Tuple

import numpy as np

from .geometry import bearing_vec, chaikin, qline, rnd, rnd_pts, rng_for, wiggle
from .roads import Road, road_attrs
from .territory import CENTRE, D_ROADS, DEP_SEMI_AXES, EXIT_BEARINGS, INTERCHANGES, PLACES, Coord
from .towns import gate_node


def _exit_nodes(dep_idx) -> List[Tuple[str, Coord]]:
    """X nodes: walking out along each exit bearing until just inside the outline."""
    a_ax, b_ax = DEP_SEMI_AXES
    nodes = []
    for i, brg in enumerate(EXIT_BEARINGS):
        dx, dy = bearing_vec(brg)
        r = 0.5
        while dep_idx.find(CENTRE[0] + dx * a_ax * r, CENTRE[1] + dy * b_ax * r) is not None:
            r += 0.002
        r -= 0.002
        nodes.append((f"X{i}", (CENTRE[0] + dx * a_ax * r, CENTRE[1] + dy * b_ax * r)))
    return nodes


def _add_hamlets(nodes, inside, axis_arr, rng) -> None:
    """H nodes: up to 95 hamlets away from the places, the motorway and each other."""
    a_ax, b_ax = DEP_SEMI_AXES
    hamlets = 0
    tries = 0
    while hamlets < 95 and tries < 5000:
        tries += 1
        x = CENTRE[0] + rng.uniform(-a_ax, a_ax)
        y = CENTRE[1] + rng.uniform(-b_ax, b_ax)
        if not inside((x, y)):
            continue
        if any(math.dist((x, y), p.xy) < p.radius * 1.35 + 500 for p in PLACES):
            continue
        if np.min(np.hypot(*(axis_arr - (x, y)).T)) < 350:
            continue
        if any(math.dist((x, y), q) < 900 for _, q in nodes[len(PLACES) :]):
            continue
        if not inside((x, y), inner=True):
            continue
        nodes.append((f"H{hamlets}", (x, y)))
        hamlets += 1


def rural_nodes(dep_idx, inside, link_outer, junctions, axis_arr, rng):
    """Named nodes (chefs-lieux by code, X exits, L link-road outer ends, H hamlets, then the J
    link-road town ends) and how many take part in the triangulation (all but the J)."""
    nodes: List[Tuple[str, Coord]] = [(p.code, p.xy) for p in PLACES]
    nodes.extend(_exit_nodes(dep_idx))
    for i, xy in enumerate(link_outer):
        nodes.append((f"L{i}", xy))
    _add_hamlets(nodes, inside, axis_arr, rng)
    n_tri = len(nodes)
    for i, q in enumerate(junctions):  # link-road ends join their town only (added last)
        nodes.append((f"J{i}", q))
    return nodes, n_tri


def _seg_dist(p, a, b):
    ab = b - a
    t_ = np.clip(np.dot(p - a, ab) / max(np.dot(ab, ab), 1e-9), 0, 1)
    return float(np.hypot(*(a + t_ * ab - p)))


def _crosses_a_place(index, u, v, a, b) -> bool:
    """The segment (a, b) passes through the built-up area of a place it does not join."""
    for p in PLACES:
        i = index[p.code]
        if i in (u, v):
            continue
        if _seg_dist(np.array(p.xy), a, b) < p.radius * 1.15 + 150:
            return True
    return False


def _good_edges(xy, n_tri, index, inside) -> Dict[tuple, tuple]:
    """Delaunay edges passing the Gabriel test, avoiding places and the outside, with their
    length and whether they pass the relative-neighbourhood test."""
    from scipy.spatial import Delaunay

    tri = Delaunay(xy[:n_tri])
    cand = set()
    for simplex in tri.simplices:
        for a, b in ((0, 1), (1, 2), (0, 2)):
            u, v = sorted((int(simplex[a]), int(simplex[b])))
            cand.add((u, v))
    good = {}
    for u, v in sorted(cand):
        a, b = xy[u], xy[v]
        length = float(np.hypot(*(b - a)))
        if length > 9000:
            continue
        mid = (a + b) / 2
        # Gabriel test: nobody inside the circle on (u, v)
        d_mid = np.hypot(*(xy - mid).T)
        d_mid[[u, v]] = np.inf
        if not bool(np.all(d_mid >= length / 2)):
            continue
        if _crosses_a_place(index, u, v, a, b) or not inside(tuple(mid)):
            continue
        # relative neighbourhood test: no third node closer to both
        du = np.hypot(*(xy - a).T)
        dv = np.hypot(*(xy - b).T)
        lune = np.maximum(du, dv) < length
        lune[[u, v]] = False
        good[(u, v)] = (length, not bool(lune.any()))
    return good


def choose_edges(xy, good, index, rng) -> set:
    """Minimum spanning tree, every relative-neighbourhood edge, a quarter of the others, and
    each link road's town end to its town."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import minimum_spanning_tree

    n = len(xy)
    mat = csr_matrix(
        ([g[0] for g in good.values()], ([e[0] for e in good], [e[1] for e in good])), shape=(n, n)
    )
    mst = minimum_spanning_tree(mat).tocoo()
    chosen = {tuple(sorted((int(i), int(j)))) for i, j in zip(mst.row, mst.col)}
    for e, (_length, rn) in sorted(good.items()):
        if rn or rng.random() < 0.25:
            chosen.add(e)
    for jx, (place_code, _number, _imp) in enumerate(INTERCHANGES):
        chosen.add(tuple(sorted((index[f"J{jx}"], index[place_code]))))
    return chosen


def edge_classes(xy, names, index, good, chosen) -> Dict[tuple, dict]:
    """Importance and number of each chosen edge: departmental roads follow shortest paths on
    the chosen graph; the rest is local (5 when it reaches a hamlet, exit or link road)."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import shortest_path

    n = len(xy)
    sym = csr_matrix(
        (
            [good.get(e, (math.dist(xy[e[0]], xy[e[1]]),))[0] for e in sorted(chosen)],
            ([e[0] for e in sorted(chosen)], [e[1] for e in sorted(chosen)]),
        ),
        shape=(n, n),
    )
    sym = sym + sym.T
    edge_class: Dict[tuple, dict] = {}
    for number, imp, chain in D_ROADS:
        for a_name, b_name in zip(chain[:-1], chain[1:]):
            ia, ib = index[a_name], index[b_name]
            _, pred = shortest_path(sym, indices=ia, return_predecessors=True)
            k = ib
            while k != ia and k >= 0:
                e = tuple(sorted((int(pred[k]), int(k))))
                old = edge_class.get(e)
                if old is None or int(old["importance"]) > int(imp):
                    edge_class[e] = {"importance": imp, "cpx_numero": number}
                k = pred[k]
    for e in sorted(chosen):
        if e in edge_class:
            continue
        kinds = [names[k][0] for k in e]
        imp = "5" if "H" in kinds or "X" in kinds or "L" in kinds else "4"
        edge_class[e] = {"importance": imp, "cpx_numero": None}
    return edge_class


def _edge_ends(e, cls, names, xy, towns, gates_used, marks) -> List[Coord]:
    """Ends of a rural edge: a town's gate node (noted in ``marks``) or the node itself."""
    u, v = e
    ends = []
    for me, other in ((u, v), (v, u)):
        name = names[me]
        if name in towns:
            t = towns[name]
            g = gate_node(t, tuple(xy[other]), gates_used.get(name))
            gates_used.setdefault(name, set()).add(g)
            ends.append(t.nodes[g])
            marks.append((t, g, cls))
        else:
            ends.append((rnd(xy[me][0]), rnd(xy[me][1])))
    return ends


def _rural_road(ends, cls, erng) -> Road:
    """A natural-looking road between ``ends`` with the attributes of its class."""
    amp = 0.05 if cls["importance"] in ("2", "3") else 0.08
    pts = chaikin(wiggle(ends[0], ends[1], erng, amp=amp, seg=90.0, decay=0.55), 2)
    pts = [ends[0], *pts[1:-1], ends[1]]
    g = qline(pts).simplify(1.0)
    pts = rnd_pts([(q.x(), q.y()) for q in g.asPolyline()])
    pts[0], pts[-1] = ends[0], ends[1]
    imp = cls["importance"]
    attrs = road_attrs(importance=imp)
    if cls["cpx_numero"]:
        attrs["cpx_numero"] = cls["cpx_numero"]
        attrs["cpx_classement_administratif"] = "Départementale"
    elif imp == "5" and erng.random() < 0.25:
        attrs["nature"] = "Route empierrée"
        attrs["importance"] = "6"
    return Road(pts, attrs)


def draw_rural_edges(roads, chosen, edge_class, names, xy, towns):
    """Append the rural roads to ``roads``, entering towns through their outer nodes; return
    the (town, gate node, class) marks of the roads entering a town and the lines of the local
    roads (where tracks start)."""
    gates_used: Dict[str, set] = {}
    marks: List[Tuple] = []
    rural_lines = []
    for e in sorted(chosen):
        cls = edge_class[e]
        ends = _edge_ends(e, cls, names, xy, towns, gates_used, marks)
        road = _rural_road(ends, cls, rng_for("edge", names[e[0]], names[e[1]]))
        roads.append(road)
        if cls["importance"] in ("4", "5"):
            rural_lines.append(road.pts)
    return marks, rural_lines


def rural_roads(roads, dep_idx, inside, motorway_ends, axis_arr, towns):
    """Append the rural network to ``roads``; return its marks, local lines and hamlets."""
    junctions, link_outer = motorway_ends
    rng = rng_for("rural")
    nodes, n_tri = rural_nodes(dep_idx, inside, link_outer, junctions, axis_arr, rng)
    names = [n for n, _ in nodes]
    xy = np.array([q for _, q in nodes])
    index = {n: i for i, n in enumerate(names)}
    good = _good_edges(xy, n_tri, index, inside)
    chosen = choose_edges(xy, good, index, rng)
    edge_class = edge_classes(xy, names, index, good, chosen)
    marks, rural_lines = draw_rural_edges(roads, chosen, edge_class, names, xy, towns)
    hamlet_xy = [tuple(xy[i]) for i, nm in enumerate(names) if nm.startswith("H")]
    return marks, rural_lines, hamlet_xy
