"""Smooth band edges (issue 14): contours of the travel-time surface instead of cell outlines.
Measured against the raw outlines on the same network: less jagged, every reached network node
still in its band, bands still exactly adjacent, the same figures."""

import math

import numpy as np
import pytest
from osgeo import ogr

from cget_plugin.core.routing import isochrones
from cget_plugin.core.routing.graph import graph_from_lines
from tests.unit.test_routing_engine import random_network

CELL, OFF_M, BANDS = 25.0, 50.0, [1, 2, 3]


@pytest.fixture(scope="module")
def case():
    lines, sf, sb = random_network(seed=7, n=12)
    graph = graph_from_lines(lines, sf, sb, np.arange(len(lines)))
    snaps = graph.snap(graph.node_xy[[5, 90]], 50.0)
    rng = np.random.default_rng(1)
    pop_xy = rng.uniform(0, 2200, size=(400, 2))
    pop_w = rng.uniform(1, 50, size=400)

    def run(mode, smooth):
        return isochrones.local_isochrones(
            graph, snaps, "departure", BANDS, mode, CELL, OFF_M, pop_xy, pop_w, smooth=smooth
        )

    return graph, snaps, run


def _geom(feature):
    return ogr.CreateGeometryFromWkb(feature.wkb)


def _turns(geom):
    """Turn angles (degrees) at every vertex of every ring."""
    out = []
    for i in range(geom.GetGeometryCount()):
        polygon = geom.GetGeometryRef(i)
        for j in range(polygon.GetGeometryCount()):
            pts = polygon.GetGeometryRef(j).GetPoints()[:-1]
            for a, b, c in zip(pts, pts[1:] + pts[:1], pts[2:] + pts[:2]):
                h1 = math.atan2(b[1] - a[1], b[0] - a[0])
                h2 = math.atan2(c[1] - b[1], c[0] - b[0])
                out.append(abs(math.degrees((h2 - h1 + math.pi) % (2 * math.pi) - math.pi)))
    return np.array(out)


def _boundary_length(geom):
    return geom.Boundary().Length()


def test_smooth_edges_are_less_jagged(case):
    _graph, _snaps, run = case
    for mode in ("rings", "cumulative", "per_origin"):
        raw = {(f.origin, f.min_to): _geom(f) for f in run(mode, False)}
        smooth = {(f.origin, f.min_to): _geom(f) for f in run(mode, True)}
        assert raw.keys() == smooth.keys()
        raw_turns = np.concatenate([_turns(g) for g in raw.values()])
        smooth_turns = np.concatenate([_turns(g) for g in smooth.values()])
        # cell outlines turn at right angles only; contours mostly turn gently (what is left
        # are the steps between the territories of two origins, in rings)
        assert np.mean(np.abs(raw_turns - 90) < 1) > 0.99, mode
        assert np.mean(np.abs(smooth_turns - 90) < 1) < 0.3, mode
    # and a staircase is longer than the line it approximates
    raw = [_geom(f) for f in run("cumulative", False)]
    smooth = [_geom(f) for f in run("cumulative", True)]
    ratio = sum(map(_boundary_length, smooth)) / sum(map(_boundary_length, raw))
    assert ratio < 0.92, ratio


def test_every_reached_node_stays_in_its_band(case):
    graph, snaps, run = case
    raw, smooth = run("rings", False), run("rings", True)
    by_key = {(f.origin, f.min_to): _geom(f) for f in smooth}
    checked = 0
    for x, y in graph.node_xy:
        point = ogr.CreateGeometryFromWkt(f"POINT ({x} {y})")
        home = [(f.origin, f.min_to) for f in raw if _geom(f).Intersects(point)]
        if not home:
            continue  # not reached within the last band
        assert any(by_key[key].Intersects(point) for key in home), (x, y, home)
        checked += 1
    assert checked > 50


def test_rings_stay_exactly_adjacent_and_figures_unchanged(case):
    _graph, _snaps, run = case
    raw, smooth = run("rings", False), run("rings", True)
    geoms = [_geom(f) for f in smooth]
    assert all(g.IsValid() for g in geoms)
    # no overlap between two pieces
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert geoms[i].Intersection(geoms[j]).Buffer(0).GetArea() < 1e-3
    # no gap: together the rings are the cumulative area of the last band, also smooth
    union = ogr.Geometry(ogr.wkbMultiPolygon)
    for g in geoms:
        union = union.Union(g)
    last = max(run("cumulative", True), key=lambda f: f.min_to)
    assert union.SymDifference(_geom(last)).GetArea() < 1e-3 * union.GetArea()
    # the numbers come from the cells: identical with or without smoothing
    key = lambda f: (f.origin, f.min_from, f.min_to)  # noqa: E731
    assert sorted((key(f), f.area_km2, f.population) for f in smooth) == sorted(
        (key(f), f.area_km2, f.population) for f in raw
    )


def test_cumulative_and_per_origin_keep_their_figures(case):
    _graph, _snaps, run = case
    for mode in ("cumulative", "per_origin"):
        raw, smooth = run(mode, False), run(mode, True)
        assert [(f.origin, f.min_to, f.area_km2, f.population) for f in smooth] == [
            (f.origin, f.min_to, f.area_km2, f.population) for f in raw
        ]
        assert all(_geom(f).IsValid() for f in smooth)


def test_holes_where_nothing_is_reached_stay(case):
    _graph, _snaps, run = case
    raw = max(run("cumulative", False), key=lambda f: f.min_to)
    smooth = _geom(max(run("cumulative", True), key=lambda f: f.min_to))
    holes = 0
    geom = _geom(raw)
    for i in range(geom.GetGeometryCount()):
        polygon = geom.GetGeometryRef(i)
        for j in range(1, polygon.GetGeometryCount()):
            hole = ogr.Geometry(ogr.wkbPolygon)
            hole.AddGeometry(polygon.GetGeometryRef(j))
            core = hole.Buffer(-CELL)  # more than a cell away from any reached cell
            if core.IsEmpty():
                continue
            holes += 1
            assert smooth.Intersection(core).GetArea() < 1e-6
    assert holes > 0


def test_a_sparse_lattice_costs_work_linear_in_its_holes():
    """Roads 1 km apart, 100 m cells: thousands of unreached holes between the roads (GDAL's
    own polygon assembly nested each ring against all its siblings: minutes on a département).
    The rings are nested with a few point-in-ring tests each, and the bands stay valid,
    adjacent and holed."""
    from cget_plugin.core.routing import smoothing
    from cget_plugin.core.routing.time_grid import build_grid

    lines, sf, sb = random_network(seed=3, n=24, spacing=1000.0)
    graph = graph_from_lines(lines, sf, sb, np.arange(len(lines)))
    snaps = graph.snap(graph.node_xy[[30, 300, 500]], 50.0)
    bands, cell, off_m = [10, 20, 30], 100.0, 100.0
    node_t, node_o = isochrones.engine.nearest_origin(graph, snaps, "departure", 1800.0)
    t, org = graph.times_on_parts(
        graph.sample_part, graph.sample_frac, node_t, "departure", node_o, snaps
    )
    grid = build_grid(graph.sample_xy, t, org, 1800.0, cell, off_m)
    rings = smoothing._contour_rings(grid, [60.0 * b for b in bands])
    parents, tests = smoothing._ring_parents(rings)
    assert len(rings) > 400  # the holes between the roads
    assert (parents >= 0).mean() > 0.9  # nearly all of them nested in a band
    assert tests <= 2 * len(rings), (tests, len(rings))

    # the smooth bands: valid, exactly adjacent, the holes between the roads kept
    cls = isochrones.classify(grid.time, [60.0 * b for b in bands])
    reached = graph.node_xy[node_t <= 1800.0]
    smooth = smoothing.smooth_bands(grid, cls, [60.0 * b for b in bands], reached)
    band_geoms = [ogr.CreateGeometryFromWkb(bytes(g.asWkb())) for g in smooth.values()]
    union = _check_adjacent(band_geoms)
    raw = ogr.CreateGeometryFromWkb(isochrones.polygonize((cls > 0).astype(np.int32), grid)[1][0])
    cores = [
        core
        for i in range(raw.GetGeometryCount())
        for j in range(1, raw.GetGeometryRef(i).GetGeometryCount())
        for core in [_ring_polygon(raw.GetGeometryRef(i).GetGeometryRef(j)).Buffer(-cell)]
        if not core.IsEmpty()
    ]
    assert len(cores) > 100
    assert sum(union.Intersection(core).GetArea() for core in cores) < 1e-6

    # the rings per origin: cut from the bands without overlap, the same figures
    def run(smooth):
        return isochrones.local_isochrones(
            graph, snaps, "departure", bands, "rings", cell, off_m, smooth=smooth
        )

    rings = run(True)
    pieces = _check_adjacent([_geom(f) for f in rings])
    assert pieces.Difference(union).GetArea() < 1e-3 * union.GetArea()
    assert sorted((f.origin, f.min_to, f.area_km2) for f in rings) == sorted(
        (f.origin, f.min_to, f.area_km2) for f in run(False)
    )


def _check_adjacent(geoms):
    """The union of ``geoms``, checked valid and pairwise without overlap."""
    assert all(g.IsValid() for g in geoms)
    union = ogr.Geometry(ogr.wkbMultiPolygon)
    for i, g in enumerate(geoms):
        for other in geoms[i + 1 :]:
            # Buffer(0): the shared edges (closed lines) of an intersection have an area for
            # GDAL 3.10+
            assert g.Intersection(other).Buffer(0).GetArea() < 1e-3
        union = union.Union(g)
    return union


def _ring_polygon(ring):
    polygon = ogr.Geometry(ogr.wkbPolygon)
    polygon.AddGeometry(ring)
    return polygon
