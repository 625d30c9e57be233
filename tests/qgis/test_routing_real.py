"""Routing on the real OSM networks of ../shared/data/roads, checked against a plain-Python
Dijkstra written here (vertex-level graph built by the test from the layer) and against QGIS's
own native:serviceareafromlayer (cost units pinned)."""

import heapq
import math

import numpy as np
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant
from scipy.spatial import cKDTree

from cget_plugin.core.routing import engine, graph_cache
from cget_plugin.core.routing import profiles as prof
from tests.helpers.shared_data import real_layer, requires_shared, shared_layer

L93 = QgsCoordinateReferenceSystem("EPSG:2154")


def sgl_layer():
    return real_layer("roads/osm_saint_germain_en_laye_2022.gpkg", "edges", "sgl_edges")


#: The raw OSM XML of Redon (2.8 MB) stays in ../shared/data: loading a real .osm file is a
#: larger realistic test (the SGL network is among the extracts of tests/data/real).
REDON = "roads/osm_redon_2019-09-09.osm"
needs_redon = requires_shared(REDON)


def redon_layer():
    return shared_layer(REDON, "lines", "redon_lines")


def read_lines(layer, mode):
    """(coords in Lambert-93, forward km/h, backward km/h) of every usable line, test side."""
    profile = prof.OsmProfile(mode)
    request = QgsFeatureRequest().setDestinationCrs(L93, QgsProject.instance().transformContext())
    names = [f.name() for f in layer.fields()]
    out = []
    for feat in layer.getFeatures(request):
        values = {n.lower(): feat[n] for n in names}
        f, b = profile.speeds(values)
        if f <= 0 and b <= 0:
            continue
        geom = feat.geometry()
        parts = geom.asMultiPolyline() if geom.isMultipart() else [geom.asPolyline()]
        for part in parts:
            out.append(([(p.x(), p.y()) for p in part], f, b))
    return out


def vertex_graph(lines, direction):
    """Every vertex a node (key = mm-rounded coordinates), every segment an edge."""
    adj = {}

    def key(p):
        return (round(p[0], 3), round(p[1], 3))

    for coords, f, b in lines:
        for a, c in zip(coords[:-1], coords[1:]):
            length = math.dist(a, c)
            pairs = []
            if f > 0:
                pairs.append((key(a), key(c), length / (f / 3.6)))
            if b > 0:
                pairs.append((key(c), key(a), length / (b / 3.6)))
            for u, v, w in pairs:
                if direction == "arrival":
                    u, v = v, u
                adj.setdefault(u, []).append((v, w))
    return adj


def plain_dijkstra(adj, sources):
    best = {s: 0.0 for s in sources}
    heap = [(0.0, i, s) for i, s in enumerate(sources)]
    heapq.heapify(heap)
    done = set()
    n = len(heap)
    while heap:
        c, _, u = heapq.heappop(heap)
        if u in done:
            continue
        done.add(u)
        for v, w in adj.get(u, ()):
            if c + w < best.get(v, math.inf):
                best[v] = c + w
                n += 1
                heapq.heappush(heap, (c + w, n, v))
    return best


def compare_with_plain_dijkstra(layer, mode, direction, n_origins=3):
    graph, _ = graph_cache.get_graph(layer, "osm", mode)
    lines = read_lines(layer, mode)
    adj = vertex_graph(lines, direction)
    # origins: ends of lines in the largest component, spread over the network
    big = graph.component == graph.largest_component()
    candidates = np.nonzero(big)[0]
    chosen = candidates[np.linspace(0, len(candidates) - 1, n_origins).astype(int)]
    origin_xy = graph.node_xy[chosen]
    snaps = graph.snap(origin_xy, 1.0)
    assert (snaps.dist < 0.01).all()
    node_t, _ = engine.nearest_origin(graph, snaps, direction)
    expected = plain_dijkstra(adj, [(round(x, 3), round(y, 3)) for x, y in origin_xy])
    keys = sorted(set(adj) | {v for edges in adj.values() for v, _ in edges})
    tree = cKDTree(np.array(keys))
    dist, idx = tree.query(graph.node_xy)
    assert (dist < 0.01).all()  # every graph node is a vertex of the test's graph
    want = np.array([expected.get(keys[i], math.inf) for i in idx])
    reached = np.isfinite(want)
    assert (np.isfinite(node_t) == reached).all()
    assert np.abs(node_t[reached] - want[reached]).max() < 1.0  # to the second
    return int(reached.sum())


@pytest.mark.parametrize(
    "mode, direction", [("car", "departure"), ("car", "arrival"), ("walk", "departure")]
)
def test_saint_germain_times_equal_plain_dijkstra(qgis_app, mode, direction):
    reached = compare_with_plain_dijkstra(sgl_layer(), mode, direction)
    assert reached > 1000


@needs_redon
@pytest.mark.parametrize(
    "mode, direction", [("car", "departure"), ("car", "arrival"), ("bike", "departure")]
)
def test_redon_osm_file_times_equal_plain_dijkstra(qgis_app, mode, direction):
    reached = compare_with_plain_dijkstra(redon_layer(), mode, direction)
    assert reached > 100


@needs_redon
def test_redon_one_way_streets_matter(qgis_app):
    """Raw .osm one-way tags (in other_tags) make departure and arrival times differ."""
    graph, _ = graph_cache.get_graph(redon_layer(), "osm", "car")
    assert np.isfinite(graph.part_cost_f).sum() != np.isfinite(graph.part_cost_b).sum()
    for start in np.nonzero(graph.component == graph.largest_component())[0]:
        snaps = graph.snap(graph.node_xy[[start]], 1.0)
        dep, _ = engine.nearest_origin(graph, snaps, "departure")
        arr, _ = engine.nearest_origin(graph, snaps, "arrival")
        both = np.isfinite(dep) & np.isfinite(arr)
        if both.sum() > 100:
            break
    assert np.abs(dep[both] - arr[both]).max() > 5.0


# -- native:serviceareafromlayer ---------------------------------------------------------------


def native_network(lines):
    """The same lines in Lambert-93 with a speed and a direction field for QGIS's analyser."""
    layer = QgsVectorLayer("LineString?crs=EPSG:2154", "native_net", "memory")
    layer.dataProvider().addAttributes(
        [QgsField("speed", QVariant.Double), QgsField("dir", QVariant.String)]
    )
    layer.updateFields()
    feats = []
    for coords, f, b in lines:
        feat = QgsFeature(layer.fields())
        feat.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(x, y) for x, y in coords]))
        direction = "both" if (f > 0 and b > 0) else ("fwd" if f > 0 else "bwd")
        feat.setAttributes([max(f, b), direction])
        feats.append(feat)
    layer.dataProvider().addFeatures(feats)
    return layer


def run_native(net, points_xy, hours, **extra):
    import processing

    starts = QgsVectorLayer("Point?crs=EPSG:2154", "starts", "memory")
    feats = []
    for x, y in points_xy:
        feat = QgsFeature()
        feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        feats.append(feat)
    starts.dataProvider().addFeatures(feats)
    params = {
        "INPUT": net,
        "STRATEGY": 1,  # fastest
        "SPEED_FIELD": "speed",
        "DEFAULT_SPEED": 50,
        "DEFAULT_DIRECTION": 2,
        "TOLERANCE": 0,
        "START_POINTS": starts,
        "TRAVEL_COST2": hours,
        "INCLUDE_BOUNDS": False,
        "OUTPUT_LINES": "TEMPORARY_OUTPUT",
    }
    params.update(extra)
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    return processing.run(
        "native:serviceareafromlayer", params, context=context, feedback=QgsProcessingFeedback()
    )["OUTPUT_LINES"]


def test_native_service_area_cost_is_in_hours(qgis_processing):
    """Pinned: with the fastest strategy and a speed in km/h, TRAVEL_COST2 is in hours (and
    lengths are measured on the ellipsoid: near Paris Lambert-93 differs by < 0.1 %)."""
    x0, y0 = 650000.0, 6860000.0
    net = native_network([([(x0, y0), (x0 + 1000.0, y0)], 60.0, 60.0)])
    out = run_native(net, [(x0, y0)], 0.5 / 60.0)  # half a minute at 60 km/h = 500 m
    length = sum(f.geometry().length() for f in out.getFeatures())
    assert length == pytest.approx(500.0, rel=2e-3)
    # in minutes it would be 0.5 s of driving, 8 m; in seconds 8 h, the whole line
    assert length not in (pytest.approx(8.3, abs=2), pytest.approx(1000.0, abs=2))


def test_reachability_agrees_with_native_service_area(qgis_processing):
    layer = sgl_layer()
    lines = read_lines(layer, "car")
    graph, _ = graph_cache.get_graph(layer, "osm", "car")
    big = np.nonzero(graph.component == graph.largest_component())[0]
    origin_xy = graph.node_xy[big[[10, len(big) // 2]]]
    minutes = 4.0
    net = native_network(lines)
    out = run_native(
        net,
        origin_xy,
        minutes / 60.0,
        DIRECTION_FIELD="dir",
        VALUE_FORWARD="fwd",
        VALUE_BACKWARD="bwd",
        VALUE_BOTH="both",
    )
    snaps = graph.snap(origin_xy, 1.0)
    node_t, _ = engine.nearest_origin(graph, snaps, "departure")
    # every vertex of the native output, and our nodes near it
    native_pts = []
    for feat in out.getFeatures():
        geom = feat.geometry()
        for part in geom.asMultiPolyline() if geom.isMultipart() else [geom.asPolyline()]:
            native_pts.extend((p.x(), p.y()) for p in part)
    tree = cKDTree(np.array(native_pts))
    d, _ = tree.query(graph.node_xy)
    on_native = d < 0.05
    limit = minutes * 60
    clearly_in = node_t <= limit - 2
    clearly_out = ~(node_t <= limit + 2)
    assert clearly_in.sum() > 50
    assert on_native[clearly_in].all()
    assert not on_native[clearly_out].any()
