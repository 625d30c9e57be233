"""Siting engine (``core.routing.siting*``) on synthetic networks, no QGIS application.

Coverage is checked against the plain Dijkstra of ``test_routing_engine`` on the test's own
vertex graph, the greedy choice against a brute-force optimum, the indispensable sites against
a rerun of the access times without the site."""

import itertools
import math

import numpy as np
import pytest
from test_routing_engine import plain_dijkstra, random_network, vertex_graph

from cget_plugin.core.errors import InputError
from cget_plugin.core.routing import siting, siting_critical, siting_matrix
from cget_plugin.core.routing.graph import graph_from_lines

THRESHOLD = 2.0  # minutes


def key(p):
    return (round(float(p[0]), 3), round(float(p[1]), 3))


def setup(seed=3, direction="arrival", n_fac=2, n_cand=14):
    lines, sf, sb = random_network(seed=seed, n=10)
    graph = graph_from_lines(lines, sf, sb, np.arange(len(lines)))
    rng = np.random.default_rng(seed)
    # population and sites on the bends of the lines: the test's vertex graph holds them as
    # nodes, and they lie inside a part (trips along one part included). Line ends are left
    # out: a point exactly on a node takes the time of its own part (see the report of #12).
    verts = bends(lines)
    pick = rng.choice(len(verts), size=len(verts), replace=False)
    pop_xy = verts[pick[:120]]
    fac_xy = verts[pick[120 : 120 + n_fac]]
    cand_xy = verts[pick[120 + n_fac : 120 + n_fac + n_cand]]
    weights = rng.integers(1, 50, size=len(pop_xy)).astype(float)
    samples = siting.sample_set(graph, pop_xy, weights, 5.0)
    fac = graph.snap(fac_xy, 5.0)
    cand = graph.snap(cand_xy, 5.0)
    adj = vertex_graph(lines, sf, sb, direction)
    return graph, samples, fac, cand, pop_xy, fac_xy, cand_xy, weights, adj


def bends(lines):
    return np.array([c[1] for c in lines]).round(3)


def plain_minutes(adj, site_xy, pop_xy):
    """Minutes from each population point to the nearest of ``site_xy`` (vertex graph)."""
    if not len(site_xy):
        return np.full(len(pop_xy), np.inf)
    best = plain_dijkstra(adj, {key(p): 0.0 for p in site_xy})
    return np.array([best.get(key(p), math.inf) / 60.0 for p in pop_xy])


@pytest.mark.parametrize("direction", ["arrival", "departure"])
@pytest.mark.parametrize("workers", [1, 2])
def test_coverage_matrix_equals_plain_dijkstra(direction, workers):
    graph, samples, fac, cand, pop_xy, fac_xy, cand_xy, _w, adj = setup(direction=direction)
    base = plain_minutes(adj, fac_xy, pop_xy)
    ours_base = siting._best_minutes(graph, samples, fac, direction)
    # vertex keys are rounded to the millimetre: a walk leg of a few microseconds
    assert np.allclose(finite(base), finite(ours_base), atol=1e-4)
    todo = np.nonzero(ours_base > THRESHOLD)[0]
    matrix = siting_matrix.coverage_matrix(
        graph, samples.subset(todo), cand, direction, THRESHOLD, workers=workers
    )
    n_rows = 0
    for c, xy in enumerate(cand_xy):
        times = plain_minutes(adj, [xy], pop_xy[todo])
        want = set(np.nonzero(times <= THRESHOLD)[0])
        border = set(np.nonzero(np.abs(times - THRESHOLD) < 1e-4)[0])
        got = set(matrix.row(c).tolist())
        assert got - border == want - border, (c, sorted(got ^ want))
        n_rows += bool(want)
    assert n_rows >= 3  # the instance exercises the trees, not only the pruning
    assert matrix.n_trees + matrix.n_pruned == len(cand_xy)


def finite(a):
    return np.where(np.isfinite(a), a, -1.0)


def brute_force(sets, weight, k):
    best = 0.0
    for combo in itertools.combinations(range(len(sets)), k):
        cover = set().union(*(sets[c] for c in combo))
        best = max(best, sum(weight[i] for i in cover))
    return best


def matrix_of(sets):
    counts = [len(s) for s in sets]
    indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    indices = np.array([i for s in sets for i in sorted(s)], np.int32)
    return siting_matrix.CoverageMatrix(indptr, indices, len(sets), 0, 1.0, 1)


@pytest.mark.parametrize("seed", range(12))
def test_greedy_against_brute_force(seed):
    rng = np.random.default_rng(seed)
    n_items, n_sets = 30, 9
    weight = rng.integers(1, 20, n_items).astype(float)
    sets = [
        set(rng.choice(n_items, rng.integers(1, 10), replace=False).tolist()) for _ in range(n_sets)
    ]
    matrix = matrix_of(sets)
    ranks = np.arange(n_sets)
    for k in (1, 2, 3):
        picks = siting.greedy_cover(matrix, weight, ranks, k)
        got = sum(g for _c, g in picks)
        cover = set().union(*(sets[c] for c, _g in picks))
        assert got == pytest.approx(sum(weight[i] for i in cover))
        opt = brute_force(sets, weight, k)
        if k == 1:
            assert got == pytest.approx(opt)
        else:
            assert got >= (1 - 1 / math.e) * opt - 1e-9
            assert got <= opt + 1e-9


def test_greedy_on_the_network_against_brute_force():
    graph, samples, fac, cand, pop_xy, fac_xy, cand_xy, weights, adj = setup(seed=5)
    solved = siting.solve(
        graph, samples, fac, cand, np.arange(len(cand_xy)), THRESHOLD, max_sites=3
    )
    base = plain_minutes(adj, fac_xy, pop_xy)
    todo = np.nonzero(base > THRESHOLD)[0]
    sets = [
        set(np.nonzero(plain_minutes(adj, [xy], pop_xy[todo]) <= THRESHOLD)[0]) for xy in cand_xy
    ]
    w = weights[todo]
    assert solved.base_pop == pytest.approx(weights[base <= THRESHOLD].sum())
    opt1 = brute_force(sets, w, 1)
    assert solved.chosen[0].gain_pop == pytest.approx(opt1)
    for k in (2, 3):
        got = sum(c.gain_pop for c in solved.chosen[:k])
        assert got >= (1 - 1 / math.e) * brute_force(sets, w, k) - 1e-6
    # the curve starts at k = 0 and the final times agree with the plain Dijkstra
    curve = solved.curve()
    assert curve[0][0] == 0 and curve[0][1] == pytest.approx(solved.base_pop)
    sites_xy = np.concatenate([fac_xy, cand_xy[[c.candidate for c in solved.chosen]]])
    final = plain_minutes(adj, sites_xy, pop_xy)
    ok = np.isfinite(final)
    assert np.allclose(solved.sample_minutes[ok], final[ok], atol=1e-4)
    assert curve[-1][1] == pytest.approx(weights[final <= THRESHOLD].sum())


def test_ties_go_to_the_lowest_identifier():
    sets = [{0, 1}, {2, 3}, {0, 1}, {4}]
    weight = np.ones(5)
    # candidate 2 has the lowest identifier: it wins its tie with candidate 0
    ranks = siting.id_ranks(["b10", "c", "a7", "d"])
    picks = siting.greedy_cover(matrix_of(sets), weight, ranks, 2)
    assert [c for c, _g in picks] == [2, 1]
    assert list(siting.id_ranks(["10", "9", "x", "2"])) == [2, 1, 3, 0]


def test_stop_rules_and_bad_threshold():
    graph, samples, fac, cand, *_rest = setup(seed=5)
    ranks = np.arange(len(cand.part))
    at_start = siting.solve(graph, samples, fac, cand, ranks, THRESHOLD, target_share=1.0)
    assert at_start.stop == siting.STOP_TARGET_AT_START and not at_start.chosen
    target = 100.0 * (at_start.base_pop + 1.0) / at_start.total_pop
    reached = siting.solve(graph, samples, fac, cand, ranks, THRESHOLD, target_share=target)
    assert reached.stop == siting.STOP_TARGET and len(reached.chosen) == 1
    all_in = siting.solve(graph, samples, fac, cand, ranks, THRESHOLD, max_sites=len(ranks))
    assert all_in.stop == siting.STOP_NO_GAIN
    for bad in (0, -5, float("nan"), "abc"):
        with pytest.raises(InputError):
            siting.solve(graph, samples, fac, cand, ranks, bad, max_sites=1)
    with pytest.raises(InputError):
        siting.solve(graph, samples, fac, cand, ranks, THRESHOLD)


@pytest.mark.parametrize("direction", ["arrival", "departure"])
def test_critical_sites_equal_a_rerun_without_the_site(direction):
    graph, samples, _fac, _cand, pop_xy, _f, _c, weights, _adj = setup(seed=7, direction=direction)
    rng = np.random.default_rng(1)
    fac_xy = bends(random_network(seed=7, n=10)[0])
    fac = graph.snap(fac_xy[rng.choice(len(fac_xy), 6, replace=False)], 5.0)
    rows = siting_critical.critical_sites(graph, samples, fac, direction, THRESHOLD)
    assert len(rows) == 6
    full = siting._best_minutes(graph, samples, fac, direction)
    for row in rows:
        keep = np.arange(6) != row.facility
        without = siting._best_minutes(graph, samples, fac.subset(keep), direction)
        lost = weights[(full <= THRESHOLD) & ~(without <= THRESHOLD)].sum()
        assert row.pop_lost == pytest.approx(lost)
        changed = without != full
        assert weights[changed].sum() <= row.pop_served + 1e-9
    lost_sorted = [r.pop_lost for r in rows]
    assert lost_sorted == sorted(lost_sorted, reverse=True)
    assert any(r.pop_lost > 0 for r in rows)


@pytest.mark.parametrize("workers", [1, 2])
def test_bounds_give_the_choice_of_every_tree(monkeypatch, workers):
    """With representatives and bounds, the same sites and gains as with every tree built,
    and fewer trees."""
    from cget_plugin.core.routing import siting_bounds

    lines, sf, sb = random_network(seed=11, n=16)
    graph = graph_from_lines(lines, sf, sb, np.arange(len(lines)))
    rng = np.random.default_rng(11)
    pts = bends(lines)
    pick = rng.choice(len(pts), len(pts), replace=False)
    samples = siting.sample_set(graph, pts[pick[:300]], rng.integers(1, 30, 300).astype(float), 5.0)
    cand = graph.snap(pts[pick[300:420]], 5.0)
    ranks = np.arange(len(cand.part))
    full = siting_matrix.coverage_matrix(graph, samples, cand, "arrival", THRESHOLD, workers=1)
    want = siting.greedy_cover(full, samples.weight, ranks, 8)
    monkeypatch.setattr(siting_bounds, "ALL_TREES_BELOW", 0)
    runner = siting_matrix.TreeRunner(graph, samples, cand, "arrival", THRESHOLD, workers=workers)
    with runner:
        lazy = siting_bounds.LazyCoverage(runner, len(cand.part))
        got = siting.greedy_cover(lazy, samples.weight, ranks, 8)
        for c in runner.useful:  # every bound is at least the exact gain
            if c in lazy._member:
                bound = lazy.refresh(c, np.zeros(len(samples.weight), bool), samples.weight)
                assert bound >= samples.weight[full.row(c)].sum() - 1e-9
    assert [c for c, _g in got] == [c for c, _g in want]
    assert np.allclose([g for _c, g in got], [g for _c, g in want])
    assert len(want) >= 3
    assert runner.n_trees < full.n_trees
