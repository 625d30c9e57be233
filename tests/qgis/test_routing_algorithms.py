"""cget:isochrones and cget:accesstime through processing.run: outputs, cache, BD TOPO one-way,
multipart lines, zone totals. Bad inputs: test_routing_bad_inputs.py; remote routers:
test_routing_remote.py."""

import numpy as np
import pytest
from qgis.core import (
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from cget_plugin.core import provenance as prov_mod
from cget_plugin.core.routing import engine, graph_cache
from tests.helpers.routing_layers import BASE, Feedback, bdtopo_fixture, memory_layer, points
from tests.helpers.shared_data import real_layer


def test_bdtopo_one_way_both_directions(run_alg):
    roads = bdtopo_fixture()
    graph, _ = graph_cache.get_graph(roads, "auto", "car")
    assert graph.profile == "bdtopo"
    xs = np.array([[650000 + d, 6860000] for d in (0, 1000, 2000, 3000)], float)
    nodes = [int(np.argmin(np.hypot(*(graph.node_xy - p).T))) for p in xs]
    a, b, c, d = nodes
    snaps_b = graph.snap(xs[[1]], 1.0)
    dep, _ = engine.nearest_origin(graph, snaps_b, "departure")
    arr, _ = engine.nearest_origin(graph, snaps_b, "arrival")
    # from B: AB is A->B only, BC is C->B only: B is a sink for cars
    assert np.isinf(dep[a]) and np.isinf(dep[c])
    # to B: from A (60 s at 60 km/h) and from C (60 s), and D via C (120 s at 30 km/h + 60 s)
    assert arr[a] == pytest.approx(60.0, abs=0.01)
    assert arr[c] == pytest.approx(60.0, abs=0.01)
    assert arr[d] == pytest.approx(180.0, abs=0.01)
    # the path is forbidden to cars: it is not in the car graph
    assert len(graph.part_len) == 3
    walk, _ = graph_cache.get_graph(roads, "auto", "walk")
    assert len(walk.part_len) == 4

    result = run_alg(
        "cget:isochrones",
        {**BASE, "INPUT": points([(650000, 6860000)]), "NETWORK": roads, "BANDS_MIN": "1,2"},
    )
    layer = result["OUTPUT"]
    feats = {f["min_to"]: f for f in layer.getFeatures()}
    assert set(feats) == {1, 2}
    # departure from A in 1 min: A..B (1000 m at 60 km/h = 60 s), never against BC's one way
    band1 = feats[1].geometry()
    assert band1.contains(QgsGeometry.fromPointXY(QgsPointXY(650900, 6859950)))
    assert not band1.intersects(QgsGeometry.fromPointXY(QgsPointXY(651300, 6859950)))
    band2 = feats[2].geometry()  # walking off the road at 4 km/h: 66 m in the extra minute
    assert band2.contains(QgsGeometry.fromPointXY(QgsPointXY(651050, 6859950)))
    assert not band2.intersects(QgsGeometry.fromPointXY(QgsPointXY(651500, 6859950)))


def test_isochrones_on_real_network_rings_valid_provenance_and_cache(run_alg):
    roads = real_layer("roads/osm_saint_germain_en_laye_2022.gpkg", "edges", "sgl")
    QgsProject.instance().addMapLayer(roads, False)
    mairies = real_layer("services/mairies_78.gpkg", "mairies", "mairies")
    QgsProject.instance().addMapLayer(mairies, False)
    builds = graph_cache.CACHE_STATS["builds"]
    fb = Feedback()
    params = {
        **BASE,
        "INPUT": mairies,
        "ID_FIELD": "code_insee",
        "NETWORK": roads,
        "BANDS_MIN": "5,10,15",
        "OUTPUT_MODE": "rings",
    }
    result = run_alg("cget:isochrones", params, feedback=fb)
    assert graph_cache.CACHE_STATS["builds"] == builds + 1
    layer = result["OUTPUT"]
    feats = list(layer.getFeatures())
    assert feats and all(f.geometry().isGeosValid() for f in feats)
    assert {f["min_to"] for f in feats} == {5, 10, 15}
    assert {f["origin_id"] for f in feats} == {"78551", "78005", "78481"}  # the 3 within 500 m
    # rings never overlap
    geoms = [f.geometry() for f in feats]
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            assert geoms[i].intersection(geoms[j]).area() < 1.0
    # mairies far from this small network are reported, not dropped
    assert any("farther than 500 m" in e for e in fb.errors)
    assert result["UNSNAPPED"].featureCount() > 200
    prov = prov_mod.read_from_layer(layer)
    assert prov is not None and "sgl" in prov.engine and "osm" in prov.engine
    assert "© les contributeurs d'OpenStreetMap" in prov.credits()
    # second run on the same network: no rebuild
    fb2 = Feedback()
    run_alg("cget:isochrones", {**params, "OUTPUT_MODE": "per_origin"}, feedback=fb2)
    assert graph_cache.CACHE_STATS["builds"] == builds + 1
    assert any("cache" in i for i in fb2.infos)


def test_polygons_contain_reached_points_and_exclude_far_ones(qgis_app):
    from qgis.core import QgsGeometry as G  # noqa: N814

    from cget_plugin.core.routing import isochrones

    roads = real_layer("roads/osm_saint_germain_en_laye_2022.gpkg", "edges", "sgl2")
    graph, _ = graph_cache.get_graph(roads, "osm", "car")
    big = np.nonzero(graph.component == graph.largest_component())[0]
    snaps = graph.snap(graph.node_xy[big[[100]]], 10.0)
    cell, off = 50.0, 150.0
    # the cell outlines hold every reached sample point; smooth edges (issue 14) keep the
    # reached network nodes in their bands (tests/unit/test_routing_smoothing.py)
    feats = isochrones.local_isochrones(
        graph, snaps, "departure", [3, 6], "cumulative", cell, off, smooth=False
    )
    node_t, node_o = engine.nearest_origin(graph, snaps, "departure")
    t, _ = graph.times_on_parts(
        graph.sample_part, graph.sample_frac, node_t, "departure", node_o, snaps
    )
    from scipy.spatial import cKDTree

    for feat in feats:
        geom = G()
        geom.fromWkb(feat.wkb)
        engine_geom = G.createGeometryEngine(geom.constGet())
        engine_geom.prepareGeometry()

        def covered(x, y, engine_geom=engine_geom):
            point = G.fromPointXY(QgsPointXY(x, y))  # kept alive while the engine reads it
            return engine_geom.intersects(point.constGet())

        band = feat.min_to * 60
        reached = graph.sample_xy[t <= band]
        assert len(reached) > 100
        assert all(covered(x, y) for x, y in reached)
        tree = cKDTree(reached)
        d, _ = tree.query(graph.sample_xy)
        far = graph.sample_xy[(t > band) & (d > off + 2 * cell)]
        assert len(far) > 100
        assert not any(covered(x, y) for x, y in far)


def test_accesstime_points_polygons_and_zones(run_alg):
    roads = real_layer("roads/osm_saint_germain_en_laye_2022.gpkg", "edges", "sgl3")
    communes = real_layer("communes/communes_78.gpkg", "communes", "communes")
    mairies = real_layer("services/mairies_78.gpkg", "mairies", "mairies")
    for layer in (roads, communes, mairies):
        QgsProject.instance().addMapLayer(layer, False)
    graph, _ = graph_cache.get_graph(roads, "osm", "car")
    # population points on the network area, deterministic
    rng = np.random.default_rng(1)
    sample = graph.sample_xy[rng.choice(len(graph.sample_xy), 300, replace=False)] + 20
    pop = points(
        sample,
        extra=[("pop", QVariant.Double, rng.integers(1, 50, 300).astype(float).tolist())],
        name="pop",
    )
    result = run_alg(
        "cget:accesstime",
        {
            "FACILITIES": mairies,
            "ID_FIELD": "nom_commune",
            "NETWORK": roads,
            "POPULATION": pop,
            "POP_FIELD": "pop",
            "ZONES": communes,
            "THRESHOLDS_MIN": "5,10",
            "OUTPUT": "TEMPORARY_OUTPUT",
            "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
        },
    )
    units = result["OUTPUT"]
    assert units.featureCount() == 300
    minutes = [f["minutes"] for f in units.getFeatures()]
    known = [m for m in minutes if isinstance(m, float)]
    assert len(known) > 200 and all(
        m >= 0 for m in known
    )  # 23 % of the nodes are off the main piece
    assert {f["nearest_id"] for f in units.getFeatures()} >= {"Saint-Germain-en-Laye"}
    table = list(result["OUTPUT_TABLE"].getFeatures())
    overall = table[0]
    assert overall["zone"] in ("Overall", "Ensemble")
    assert overall["pop_total"] == pytest.approx(sum(f["pop"] for f in pop.getFeatures()))
    assert overall["pop_le_5"] <= overall["pop_le_10"] <= overall["pop_total"]
    within10 = sum(
        f["pop"]
        for f in units.getFeatures()
        if isinstance(f["minutes"], float) and f["minutes"] <= 10
    )
    assert overall["pop_le_10"] == pytest.approx(within10, abs=0.5)
    names = {f["zone"] for f in table}
    assert "Saint-Germain-en-Laye" in names
    # per-zone totals add up to the overall for points inside the communes
    assert sum(f["pop_total"] for f in table[1:]) <= overall["pop_total"] + 0.5
    prov = prov_mod.read_from_layer(result["OUTPUT_TABLE"])
    assert prov is not None

    # polygons: commune population spread over the area (pro rata)
    result = run_alg(
        "cget:accesstime",
        {
            "FACILITIES": mairies,
            "NETWORK": roads,
            "POPULATION": communes,
            "POP_FIELD": "population",
            "THRESHOLDS_MIN": "10",
            "SNAP_TOLERANCE_M": 300,
            "OUTPUT": "TEMPORARY_OUTPUT",
            "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
        },
    )
    table = list(result["OUTPUT_TABLE"].getFeatures())
    total = sum(f["population"] for f in communes.getFeatures())
    assert table[0]["pop_total"] == pytest.approx(total, rel=1e-6)
    assert table[0]["pop_unsnapped"] > 0.5 * total  # most of Yvelines is off this network
    assert result["UNSNAPPED"].featureCount() > 100


def test_multipart_lines_and_node_tolerance(qgis_app):
    """A multi-part feature gives one edge per part; ends 5 cm apart are one node, 50 cm not."""
    rows = [
        (
            "MULTILINESTRING((650000 6860000, 651000 6860000), (651000.05 6860000, 652000 6860000))",
            [36.0],
        ),
        ("LINESTRING(652000.5 6860000, 653000 6860000)", [36.0]),
    ]
    roads = memory_layer(
        "MultiLineString", "EPSG:2154", [("speed", QVariant.Double)], rows, "multi"
    )
    graph, _ = graph_cache.get_graph(roads, "generic", "car", "speed")
    assert len(graph.part_len) == 3
    assert graph.n_nodes == 5  # 651000 and 651000.05 joined; 652000 and 652000.5 apart
    snaps = graph.snap(np.array([(650000.0, 6860000.0)]), 1.0)
    node_t, _ = engine.nearest_origin(graph, snaps, "departure")
    reached = np.isfinite(node_t)
    assert reached.sum() == 3  # 36 km/h = 10 m/s: 0, 100 s, 200 s
    assert sorted(np.round(node_t[reached], 1)) == [0.0, 100.0, 200.0]


def test_cache_dropped_when_the_network_is_edited(qgis_app):
    roads = bdtopo_fixture()
    builds = graph_cache.CACHE_STATS["builds"]
    graph_cache.get_graph(roads, "auto", "car")
    graph_cache.get_graph(roads, "auto", "car")
    assert graph_cache.CACHE_STATS["builds"] == builds + 1
    roads.startEditing()
    feat = next(roads.getFeatures())
    roads.changeAttributeValue(feat.id(), roads.fields().indexOf("vitesse_moyenne_vl"), 90)
    roads.commitChanges()
    graph, cached = graph_cache.get_graph(roads, "auto", "car")
    assert not cached and graph_cache.CACHE_STATS["builds"] == builds + 2


def test_zone_totals_do_not_depend_on_the_mode(run_alg):
    """On the fictitious sample (200 m population squares, QPV crossing them), a QPV's total
    population is the same in car (100 m sampling) and walk (25 m) modes: the exact share of
    each square inside the zone, whatever could be reached."""
    from pathlib import Path

    from osgeo import ogr

    sample = Path(__file__).resolve().parents[2] / "resources" / "sample" / "cget_sample.gpkg"
    layers = {
        name: QgsVectorLayer(f"{sample}|layername={name}", name, "ogr")
        for name in ("troncon_de_route", "france_services", "carreaux_200m", "qpv")
    }
    assert all(layer.isValid() for layer in layers.values())
    totals = {}
    for mode in ("car", "walk"):
        result = run_alg(
            "cget:accesstime",
            {
                "FACILITIES": layers["france_services"],
                "NETWORK": layers["troncon_de_route"],
                "MODE": mode,
                "POPULATION": layers["carreaux_200m"],
                "POP_FIELD": "ind",
                "ZONES": layers["qpv"],
                "THRESHOLDS_MIN": "10,20",
                "OUTPUT": "TEMPORARY_OUTPUT",
                "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
            },
        )
        rows = list(result["OUTPUT_TABLE"].getFeatures())
        totals[mode] = {f["zone"]: f["pop_total"] for f in rows[1:]}
        for f in rows:
            assert f["pop_le_20"] + f["pop_beyond"] + f["pop_unsnapped"] == pytest.approx(
                f["pop_total"], abs=0.5
            )
    assert totals["car"].keys() == totals["walk"].keys() and len(totals["car"]) == 5
    # The table holds whole persons (issue 13): up to half a person of rounding on each side.
    for zone, total in totals["car"].items():
        assert totals["walk"][zone] == pytest.approx(total, abs=1), zone
    # and it is the exact area share of the squares (GEOS, computed here independently)
    ds = ogr.Open(str(sample))
    qpv = ds.GetLayerByName("qpv")
    squares = [(f.GetGeometryRef().Clone(), f["ind"]) for f in ds.GetLayerByName("carreaux_200m")]
    exact = []
    for zone in qpv:
        zg = zone.GetGeometryRef()
        exact.append(
            sum(
                pop * zg.Intersection(g).GetArea() / g.GetArea()
                for g, pop in squares
                if pop and zg.Intersects(g)
            )
        )
    assert sorted(totals["car"].values()) == pytest.approx(sorted(exact), abs=1)
