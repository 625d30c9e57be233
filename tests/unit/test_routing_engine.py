"""Graph, snapping, engine, raster and coverage on synthetic networks (no QGIS application).

Times are checked against a plain-Python Dijkstra written here, on a graph the test builds itself
at vertex level (every vertex a node), with origins inserted as extra nodes in their edge."""

import heapq
import math

import numpy as np
import pytest

from cget_plugin.core.errors import CancelledError, InputError
from cget_plugin.core.routing import coverage, engine, isochrones, time_grid
from cget_plugin.core.routing.graph import graph_from_lines
from cget_plugin.core.routing.population import PopulationUnits


def plain_dijkstra(adj, sources):
    """``adj[node] = [(next, cost)]``; ``sources = {node: start_cost}``."""
    best = dict(sources)
    heap = [(c, i, n) for i, (n, c) in enumerate(sources.items())]
    heapq.heapify(heap)
    done = set()
    counter = len(heap)
    while heap:
        c, _, n = heapq.heappop(heap)
        if n in done:
            continue
        done.add(n)
        for m, w in adj.get(n, ()):
            nc = c + w
            if nc < best.get(m, math.inf):
                best[m] = nc
                counter += 1
                heapq.heappush(heap, (nc, counter, m))
    return best


def random_network(seed=3, n=12, spacing=200.0):
    """A grid of streets with random speeds, some one-way, a few bent lines."""
    rng = np.random.default_rng(seed)
    lines, sf, sb = [], [], []
    for i in range(n):
        for j in range(n):
            x, y = i * spacing, j * spacing
            for dx, dy in ((spacing, 0), (0, spacing)):
                if i * spacing + dx > (n - 1) * spacing or j * spacing + dy > (n - 1) * spacing:
                    continue
                mid = (x + dx / 2 + rng.uniform(-30, 30), y + dy / 2 + rng.uniform(-30, 30))
                coords = np.array([(x, y), mid, (x + dx, y + dy)])
                speed = float(rng.choice([20, 30, 50, 70]))
                way = rng.random()
                lines.append(coords)
                sf.append(0.0 if way < 0.1 else speed)
                sb.append(0.0 if 0.1 <= way < 0.2 else speed)
    return lines, np.array(sf), np.array(sb)


def vertex_graph(lines, sf, sb, direction):
    """The test's own graph: every vertex a node keyed by its coordinates."""
    adj = {}

    def key(p):
        return (round(p[0], 3), round(p[1], 3))

    for coords, f, b in zip(lines, sf, sb):
        for a, c in zip(coords[:-1], coords[1:]):
            length = math.dist(a, c)
            edges = []
            if f > 0:
                edges.append((key(a), key(c), length / (f / 3.6)))
            if b > 0:
                edges.append((key(c), key(a), length / (b / 3.6)))
            for u, v, w in edges:
                if direction == "arrival":
                    u, v = v, u
                adj.setdefault(u, []).append((v, w))
    return adj


@pytest.mark.parametrize("direction", ["departure", "arrival"])
def test_times_equal_plain_dijkstra(direction):
    lines, sf, sb = random_network()
    graph = graph_from_lines(lines, sf, sb, np.arange(len(lines)))
    # origins at nodes and in the middle of edges
    origin_xy = np.array(
        [graph.node_xy[5], graph.node_xy[40], lines[17][0] * 0.6 + lines[17][1] * 0.4]
    )
    snaps = graph.snap(origin_xy, 50.0)
    assert (snaps.part >= 0).all()
    node_t, node_o = engine.nearest_origin(graph, snaps, direction)

    adj = vertex_graph(lines, sf, sb, direction)
    sources = {}
    for k, part in enumerate(snaps.part):
        # insert the origin as its own node inside its edge (test side)
        p = snaps.xy[k]
        o = ("origin", k)
        sources[o] = 0.0
        coords = graph.vert_xy[graph.part_offsets[part] : graph.part_offsets[part + 1]]
        seg = int(
            np.argmin(
                [
                    np.hypot(
                        *(
                            p
                            - (
                                a
                                + np.clip(
                                    np.dot(p - a, c - a) / max(np.dot(c - a, c - a), 1e-12), 0, 1
                                )
                                * (c - a)
                            )
                        )
                    )
                    for a, c in zip(coords[:-1], coords[1:])
                ]
            )
        )
        a, c = coords[seg], coords[seg + 1]
        f, b = (
            graph.part_len[part] / graph.part_cost_f[part]
            if np.isfinite(graph.part_cost_f[part])
            else 0,
            graph.part_len[part] / graph.part_cost_b[part]
            if np.isfinite(graph.part_cost_b[part])
            else 0,
        )
        ka, kc = (round(a[0], 3), round(a[1], 3)), (round(c[0], 3), round(c[1], 3))
        links = []
        if f > 0:
            links += [(o, kc, math.dist(p, c) / f), (ka, o, math.dist(a, p) / f)]
        if b > 0:
            links += [(o, ka, math.dist(p, a) / b), (kc, o, math.dist(c, p) / b)]
        for u, v, w in links:
            if direction == "arrival":
                u, v = v, u
            adj.setdefault(u, []).append((v, w))
    expected = plain_dijkstra(adj, sources)
    checked = 0
    for i, xy in enumerate(graph.node_xy):
        k = (round(xy[0], 3), round(xy[1], 3))
        want = expected.get(k, math.inf)
        if math.isinf(want):
            assert math.isinf(node_t[i])
        else:
            assert node_t[i] == pytest.approx(want, abs=1e-3)
            checked += 1
    assert checked > 100


def test_snap_on_edge_not_node_and_tolerance():
    line = [np.array([(0.0, 0.0), (1000.0, 0.0)])]
    graph = graph_from_lines(line, [36.0], [36.0], [1])
    snaps = graph.snap(np.array([(400.0, 30.0), (400.0, 900.0)]), 100.0)
    assert snaps.part[0] == 0 and snaps.frac[0] == pytest.approx(0.4)
    assert snaps.dist[0] == pytest.approx(30.0)
    assert snaps.part[1] == -1 and snaps.dist[1] == pytest.approx(900.0)
    # partial edge cost: 36 km/h = 10 m/s, origin at 400 m -> node (0,0) at 40 s, (1000,0) at 60 s
    node_t, _ = engine.nearest_origin(graph, snaps, "departure")
    times = {tuple(np.round(xy)): t for xy, t in zip(graph.node_xy, node_t)}
    assert times[(0.0, 0.0)] == pytest.approx(40.0)
    assert times[(1000.0, 0.0)] == pytest.approx(60.0)


def test_one_way_departure_and_arrival():
    # A -> B one way (forward only), B - C both ways
    lines = [np.array([(0.0, 0.0), (100.0, 0.0)]), np.array([(100.0, 0.0), (200.0, 0.0)])]
    graph = graph_from_lines(lines, [36.0, 36.0], [0.0, 36.0], [1, 2])
    at_b = graph.snap(np.array([(100.0, 0.0)]), 1.0)
    dep, _ = engine.nearest_origin(graph, at_b, "departure")
    arr, _ = engine.nearest_origin(graph, at_b, "arrival")
    a = int(np.argmin(np.hypot(*(graph.node_xy - (0, 0)).T)))
    assert math.isinf(dep[a])  # cannot drive B -> A
    assert arr[a] == pytest.approx(10.0)  # can drive A -> B


def test_same_part_origin_direct_time():
    line = [np.array([(0.0, 0.0), (1000.0, 0.0)])]
    graph = graph_from_lines(line, [36.0], [36.0], [1])
    snaps = graph.snap(np.array([(500.0, 0.0)]), 10.0)
    node_t, node_o = engine.nearest_origin(graph, snaps, "departure")
    t, o = graph.times_on_parts(np.array([0]), np.array([0.55]), node_t, "departure", node_o, snaps)
    assert t[0] == pytest.approx(5.0)  # 50 m at 10 m/s, not through a node
    assert o[0] == 0


def test_nearest_origin_ids():
    line = [np.array([(0.0, 0.0), (1000.0, 0.0)]), np.array([(1000.0, 0.0), (2000.0, 0.0)])]
    graph = graph_from_lines(line, [36.0, 36.0], [36.0, 36.0], [1, 2])
    snaps = graph.snap(np.array([(0.0, 0.0), (2000.0, 0.0)]), 10.0)
    t, o = graph.times_on_parts(
        np.array([0, 1]), np.array([0.2, 0.9]), *_nearest(graph, snaps), snaps
    )
    assert list(o) == [0, 1]


def _nearest(graph, snaps):
    node_t, node_o = engine.nearest_origin(graph, snaps, "departure")
    return node_t, "departure", node_o


def test_parse_bands():
    assert isochrones.parse_bands("5,10, 15") == [5, 10, 15]
    for bad in ("", "10,5", "0,5", "5,5", "5,300", "a,b", "2.5"):
        with pytest.raises(InputError):
            isochrones.parse_bands(bad)


def test_grid_and_polygons_contain_reached_points():
    lines, sf, sb = random_network(n=8)
    graph = graph_from_lines(lines, sf, sb, np.arange(len(lines)))
    snaps = graph.snap(graph.node_xy[[10]], 50.0)
    # the cell outlines hold every reached sample point; smooth edges (issue 14) keep the
    # reached network nodes in their bands (tests/unit/test_routing_smoothing.py)
    feats = isochrones.local_isochrones(
        graph, snaps, "departure", [1, 2], "cumulative", 25.0, 50.0, smooth=False
    )
    from osgeo import ogr

    node_t, node_o = engine.nearest_origin(graph, snaps, "departure")
    t, _ = graph.times_on_parts(
        graph.sample_part, graph.sample_frac, node_t, "departure", node_o, snaps
    )
    for feat in feats:
        poly = ogr.CreateGeometryFromWkb(feat.wkb)
        assert poly.IsValid()
        band_s = feat.min_to * 60
        inside = [
            poly.Intersects(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
            for x, y in graph.sample_xy[t <= band_s]
        ]
        assert all(inside)


def test_rings_do_not_overlap_and_cancel():
    lines, sf, sb = random_network(n=8)
    graph = graph_from_lines(lines, sf, sb, np.arange(len(lines)))
    snaps = graph.snap(graph.node_xy[[3, 50]], 50.0)
    feats = isochrones.local_isochrones(graph, snaps, "departure", [1, 2, 3], "rings", 25.0, 50.0)
    from osgeo import ogr

    polys = [ogr.CreateGeometryFromWkb(f.wkb) for f in feats]
    assert {f.origin for f in feats} == {0, 1}
    for i in range(len(polys)):
        for j in range(i + 1, len(polys)):
            # Rings share edges: the intersection is lines. GDAL >= 3.11 gives closed lines of a
            # collection an "area", so measure only its polygonal part (Buffer(0) drops lines).
            assert polys[i].Intersection(polys[j]).Buffer(0).GetArea() < 1e-6

    class Cancelled:
        def isCanceled(self):
            return True

        def setProgress(self, _):
            pass

    with pytest.raises(CancelledError):
        isochrones.local_isochrones(
            graph, snaps, "departure", [1, 2], "per_origin", 25.0, 50.0, feedback=Cancelled()
        )


def test_points_in_rings_with_hole():
    outer = np.array([(0, 0), (10, 0), (10, 10), (0, 10), (0, 0)], float)
    hole = np.array([(4, 4), (6, 4), (6, 6), (4, 6), (4, 4)], float)
    pts = np.array([(1, 1), (5, 5), (11, 5), (9, 9)], float)
    assert list(coverage.points_in_rings(pts, [outer, hole])) == [True, False, False, True]


def test_unit_summary_weighted_median():
    units = PopulationUnits(
        fids=np.array([10, 11]),
        pop=np.array([100.0, 5.0]),
        is_polygon=True,
        rep_xy=np.zeros((2, 2)),
        sample_xy=np.zeros((5, 2)),
        sample_w=np.array([10.0, 10.0, 80.0, 2.5, 2.5]),
        sample_unit=np.array([0, 0, 0, 1, 1]),
    )
    minutes = np.array([1.0, 2.0, 30.0, 4.0, np.inf])
    org = np.array([0, 0, 1, 2, -1])
    ok = np.array([True, True, True, True, False])
    u_min, u_org, share, _ = coverage.unit_summary(units, minutes, org, ok, np.zeros(5))
    assert u_min[0] == 30.0 and u_org[0] == 1  # 80 % of the people are at 30 min
    assert u_min[1] == 4.0 and share[1] == pytest.approx(0.5)


@pytest.mark.parametrize("direction", ["departure", "arrival"])
def test_per_origin_window_raster_equals_full_grid(direction):
    """The per-origin raster (reached window only, run-end samples) gives the same band cells
    as the full-network raster of that origin alone, and the same bands as cumulative."""
    lines, sf, sb = random_network(seed=5, n=10)
    graph = graph_from_lines(lines, sf, sb, np.arange(len(lines)))
    snaps = graph.snap(np.array([(410.0, 630.0), (1500.0, 220.0), (1000.0, 1710.0)]), 80.0)
    cell, off_m, limit = 25.0, 60.0, 180.0
    rows = list(engine.per_origin(graph, snaps, direction, limit, chunk=2))
    assert [k for k, _ in rows] == [0, 1, 2]
    for k, node_t in rows:
        one = snaps.subset(slice(k, k + 1))
        grid = time_grid.origin_grid(graph, node_t, one, direction, limit, cell, off_m)
        t, _ = graph.times_on_parts(
            graph.sample_part, graph.sample_frac, node_t, direction, None, one
        )
        full = time_grid.build_grid(graph.sample_xy, t, None, limit, cell, off_m)
        # compare cell by cell at the cell centres of the full grid
        cy, cx = np.mgrid[0 : full.ny, 0 : full.nx]
        centres = np.column_stack(
            [full.x0 + (cx.ravel() + 0.5) * cell, full.y0 - (cy.ravel() + 0.5) * cell]
        )
        a = time_grid.classify(full.time, [60.0, 120.0, 180.0]).ravel()
        cells = grid.cells_of(centres)
        b = np.where(
            cells >= 0, time_grid.classify(grid.time, [60.0, 120.0, 180.0]).ravel()[cells], 0
        )
        # grids are aligned differently: compare where both put the centre in a cell of theirs
        assert a.sum() > 0
        mismatch = np.mean(a != b)
        assert mismatch < 0.02, mismatch
    feats = isochrones.local_isochrones(
        graph, snaps, direction, [1, 2, 3], "per_origin", cell, off_m, smooth=False
    )
    assert {f.origin for f in feats} == {0, 1, 2}
    for f in feats:
        from osgeo import ogr

        g = ogr.CreateGeometryFromWkb(f.wkb)
        assert g.IsValid()
        assert f.area_km2 == pytest.approx(g.GetArea() / 1e6, rel=1e-9)
    # smooth edges (the default, issue 14) change the drawing, never a number: the areas stay
    # those of the cells
    smooth = isochrones.local_isochrones(
        graph, snaps, direction, [1, 2, 3], "per_origin", cell, off_m
    )
    assert [(f.origin, f.min_to, f.area_km2) for f in smooth] == [
        (f.origin, f.min_to, f.area_km2) for f in feats
    ]
    assert all(ogr.CreateGeometryFromWkb(f.wkb).IsValid() for f in smooth)
