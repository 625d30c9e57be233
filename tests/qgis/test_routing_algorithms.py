"""cget:isochrones and cget:accesstime through processing.run: outputs, cache, BD TOPO one-way,
bad inputs (each with its message), cancel, remote routers (backend replaced by a test double)."""

import numpy as np
import pytest
from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from cget_plugin.core import provenance as prov_mod
from cget_plugin.core.routing import engine, graph_cache
from tests.helpers.shared_data import real_layer


class Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.infos, self.errors = [], []

    def pushInfo(self, info):  # noqa: N802
        self.infos.append(info)

    def reportError(self, error, fatalError=False):  # noqa: N802, N803
        self.errors.append(error)


def memory_layer(kind, crs, fields, rows, name="layer"):
    """``rows`` = [(wkt, [values])]."""
    layer = QgsVectorLayer(f"{kind}?crs={crs}", name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    feats = []
    for wkt, values in rows:
        feat = QgsFeature(layer.fields())
        feat.setGeometry(QgsGeometry.fromWkt(wkt))
        feat.setAttributes(values)
        feats.append(feat)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer, False)
    return layer


def bdtopo_fixture():
    """A -> B -> C along x (Lambert-93): AB 'Sens direct', BC 'Sens inverse', CD double."""
    fields = [
        ("cleabs", QVariant.String),
        ("nature", QVariant.String),
        ("importance", QVariant.String),
        ("sens_de_circulation", QVariant.String),
        ("vitesse_moyenne_vl", QVariant.Int),
        ("acces_vehicule_leger", QVariant.String),
        ("etat_de_l_objet", QVariant.String),
    ]
    x, y = 650000, 6860000
    rows = [
        (
            f"LINESTRING({x} {y}, {x + 1000} {y})",
            ["AB", "Route à 1 chaussée", "4", "Sens direct", 60, "Libre", "En service"],
        ),
        (
            f"LINESTRING({x + 1000} {y}, {x + 2000} {y})",
            ["BC", "Route à 1 chaussée", "4", "Sens inverse", 60, "Libre", "En service"],
        ),
        (
            f"LINESTRING({x + 2000} {y}, {x + 3000} {y})",
            ["CD", "Route à 1 chaussée", "5", "Double sens", 30, "Libre", "En service"],
        ),
        (
            f"LINESTRING({x} {y}, {x} {y + 500})",
            ["chemin", "Sentier", "6", "Sans objet", 0, "Physiquement impossible", "En service"],
        ),
    ]
    return memory_layer("LineString", "EPSG:2154", fields, rows, "troncon_de_route")


def points(coords, crs="EPSG:2154", name="points", extra=None):
    fields = [("id", QVariant.String)] + [(n, t) for n, t, _ in (extra or [])]
    rows = []
    for i, (x, y) in enumerate(coords):
        values = [f"p{i}"] + [vals[i] for _, _, vals in (extra or [])]
        rows.append((f"POINT({x} {y})", values))
    return memory_layer("Point", crs, fields, rows, name)


BASE = {
    "ID_FIELD": "id",
    "BACKEND": "local",
    "NETWORK_PROFILE": "auto",
    "MODE": "car",
    "DIRECTION": "departure",
    "OUTPUT_MODE": "cumulative",
    "OUTPUT": "TEMPORARY_OUTPUT",
}


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


# -- bad inputs ------------------------------------------------------------------------------


def test_point_layer_as_network_is_refused(run_alg):
    pts = points([(650000, 6860000)])
    with pytest.raises(QgsProcessingException):
        run_alg("cget:isochrones", {**BASE, "INPUT": pts, "NETWORK": pts, "BANDS_MIN": "5"})
    from cget_plugin.core.errors import InputError

    with pytest.raises(InputError, match="not a line layer"):
        graph_cache.get_graph(pts)


def test_network_unusable_for_the_mode_is_refused_naming_it(run_alg):
    """Only footpaths in car mode: the message names the network and the mode."""
    paths = memory_layer(
        "LineString",
        "EPSG:2154",
        [("highway", QVariant.String)],
        [("LINESTRING(650000 6860000, 651000 6860000)", ["footway"])],
        "sentiers",
    )
    with pytest.raises(QgsProcessingException, match="No road section of sentiers .* car"):
        run_alg(
            "cget:isochrones",
            {
                **BASE,
                "INPUT": points([(650000, 6860000)]),
                "NETWORK": paths,
                "NETWORK_PROFILE": "osm",
                "BANDS_MIN": "5",
            },
        )


def test_geographic_network_is_reprojected_and_said(run_alg):
    roads = memory_layer(
        "LineString",
        "EPSG:4326",
        [("speed", QVariant.Double)],
        [("LINESTRING(2.0 48.9, 2.01 48.9)", [50.0])],
        "wgs84_roads",
    )
    fb = Feedback()
    result = run_alg(
        "cget:isochrones",
        {
            **BASE,
            "INPUT": points([(2.0, 48.9)], crs="EPSG:4326"),
            "NETWORK": roads,
            "NETWORK_PROFILE": "generic",
            "SPEED_FIELD": "speed",
            "BANDS_MIN": "1",
        },
        feedback=fb,
    )
    assert any("EPSG:2154" in i for i in fb.infos)
    assert result["OUTPUT"].crs().authid() == "EPSG:2154"


def test_no_speed_zero_and_negative_speeds(run_alg):
    rows = [
        ("LINESTRING(650000 6860000, 651000 6860000)", [0.0]),
        ("LINESTRING(651000 6860000, 652000 6860000)", [-10.0]),
    ]
    roads = memory_layer(
        "LineString", "EPSG:2154", [("speed", QVariant.Double)], rows, "zero_roads"
    )
    origin = points([(650000, 6860000)])
    with pytest.raises(QgsProcessingException, match="DEFAULT_SPEED_KMH"):
        run_alg("cget:isochrones", {**BASE, "INPUT": origin, "NETWORK": roads, "BANDS_MIN": "5"})
    with pytest.raises(QgsProcessingException, match="zero or negative"):
        run_alg(
            "cget:isochrones",
            {**BASE, "INPUT": origin, "NETWORK": roads, "SPEED_FIELD": "speed", "BANDS_MIN": "5"},
        )
    # some bad speeds: left out and counted
    rows.append(("LINESTRING(652000 6860000, 653000 6860000)", [50.0]))
    roads2 = memory_layer(
        "LineString", "EPSG:2154", [("speed", QVariant.Double)], rows, "some_zero"
    )
    fb = Feedback()
    run_alg(
        "cget:isochrones",
        {
            **BASE,
            "INPUT": points([(652000, 6860000)]),
            "NETWORK": roads2,
            "SPEED_FIELD": "speed",
            "BANDS_MIN": "1",
        },
        feedback=fb,
    )
    assert any("2 road sections" in e for e in fb.errors)


@pytest.mark.parametrize("bands", ["10,5", "0,5", "5,300", "abc"])
def test_bad_bands(run_alg, bands):
    with pytest.raises(QgsProcessingException, match="band"):
        run_alg(
            "cget:isochrones",
            {
                **BASE,
                "INPUT": points([(650000, 6860000)]),
                "NETWORK": bdtopo_fixture(),
                "BANDS_MIN": bands,
            },
        )


def test_origin_far_from_roads_and_all_far(run_alg):
    roads = bdtopo_fixture()
    result = run_alg(
        "cget:isochrones",
        {
            **BASE,
            "INPUT": points([(650000, 6860000), (660000, 6870000)]),
            "NETWORK": roads,
            "BANDS_MIN": "1",
            "UNSNAPPED": "TEMPORARY_OUTPUT",
        },
    )
    far = list(result["UNSNAPPED"].getFeatures())
    assert len(far) == 1 and far[0]["ident"] == "p1"
    assert far[0]["distance_m"] == pytest.approx(
        ((660000 - 653000) ** 2 + 10000**2) ** 0.5, rel=1e-3
    )
    with pytest.raises(QgsProcessingException, match="No origin is within"):
        run_alg(
            "cget:isochrones",
            {**BASE, "INPUT": points([(660000, 6870000)]), "NETWORK": roads, "BANDS_MIN": "1"},
        )


def test_disconnected_network_reported(run_alg):
    rows = [
        (f"LINESTRING({650000 + 250 * i} 6860000, {650250 + 250 * i} 6860000)", [50.0])
        for i in range(40)
    ]
    rows.append(("LINESTRING(650000 6870000, 650100 6870000)", [50.0]))
    roads = memory_layer("LineString", "EPSG:2154", [("speed", QVariant.Double)], rows, "pieces")
    fb = Feedback()
    run_alg(
        "cget:isochrones",
        {
            **BASE,
            "INPUT": points([(650000, 6860000), (650050, 6870000)]),
            "NETWORK": roads,
            "SPEED_FIELD": "speed",
            "BANDS_MIN": "1",
        },
        feedback=fb,
    )
    assert any("2 connected pieces" in i for i in fb.infos)
    assert any("small isolated piece" in e and "p1" in e for e in fb.errors)


def test_empty_origins(run_alg):
    empty = points([])
    with pytest.raises(QgsProcessingException, match="empty"):
        run_alg(
            "cget:isochrones",
            {**BASE, "INPUT": empty, "NETWORK": bdtopo_fixture(), "BANDS_MIN": "5"},
        )


@pytest.mark.parametrize(
    "values, message", [(["12", "douze"], "holds text"), ([5.0, -3.0], "negative")]
)
def test_bad_population_field(run_alg, values, message):
    kind = QVariant.String if isinstance(values[0], str) else QVariant.Double
    pop = points(
        [(650500, 6860010), (651500, 6860010)], extra=[("pop", kind, values)], name="badpop"
    )
    with pytest.raises(QgsProcessingException, match=message):
        run_alg(
            "cget:accesstime",
            {
                "FACILITIES": points([(650000, 6860000)]),
                "NETWORK": bdtopo_fixture(),
                "POPULATION": pop,
                "POP_FIELD": "pop",
                "OUTPUT": "TEMPORARY_OUTPUT",
                "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
            },
        )


def test_cancelled_run_adds_nothing(run_alg):
    class CancelSoon(Feedback):
        def setProgress(self, value):  # noqa: N802
            super().setProgress(value)
            self.cancel()

    origin, roads = points([(650000, 6860000)]), bdtopo_fixture()
    count = len(QgsProject.instance().mapLayers())
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        run_alg(
            "cget:isochrones",
            {**BASE, "INPUT": origin, "NETWORK": roads, "BANDS_MIN": "1,2"},
            feedback=CancelSoon(),
        )
    assert len(QgsProject.instance().mapLayers()) == count  # nothing added


# -- remote routers: the backend module is replaced by a test double of its contract ---------


class FakeBackend:
    """Cumulative discs around each origin, radius 100 m per minute (EPSG:4326 out)."""

    def isochrones(self, origins, bands_min, mode, direction, feedback):
        from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform

        from cget_plugin.core.routing.backends import RemoteIsochrone

        l93 = QgsCoordinateReferenceSystem("EPSG:2154")
        wgs = QgsCoordinateReferenceSystem("EPSG:4326")
        to_l93 = QgsCoordinateTransform(wgs, l93, QgsProject.instance())
        to_wgs = QgsCoordinateTransform(l93, wgs, QgsProject.instance())
        out = []
        for oid, lon, lat in origins:
            centre = to_l93.transform(QgsPointXY(lon, lat))
            for b in bands_min:
                disc = QgsGeometry.fromPointXY(centre).buffer(100.0 * b, 32)
                disc.transform(to_wgs)
                out.append(RemoteIsochrone(oid, b, disc))
        return out

    def provenance(self, bands_min, mode, direction):
        return prov_mod.Provenance(producer="Test", dataset="Isochrones", engine="fake router 1.0")


@pytest.fixture
def fake_backend(monkeypatch):
    import cget_plugin.core.routing.backends as backends

    monkeypatch.setattr(
        backends, "get_backend", lambda backend_id, settings_overrides=None: FakeBackend()
    )


@pytest.mark.parametrize("mode", ["rings", "cumulative", "per_origin"])
def test_remote_backend_output_modes(run_alg, fake_backend, mode):
    origins = points([(650000, 6860000), (650300, 6860000)])
    result = run_alg(
        "cget:isochrones",
        {**BASE, "INPUT": origins, "BACKEND": "ign", "BANDS_MIN": "1,2", "OUTPUT_MODE": mode},
    )
    feats = list(result["OUTPUT"].getFeatures())
    assert all(f.geometry().isGeosValid() for f in feats)
    if mode == "per_origin":
        assert len(feats) == 4
        ring = [f for f in feats if f["origin_id"] == "p0" and f["min_to"] == 2][0]
        assert ring["min_from"] == 1
        assert ring["area_km2"] == pytest.approx(np.pi * (0.2**2 - 0.1**2), rel=0.01)
    elif mode == "cumulative":
        areas = {f["min_to"]: f["area_km2"] for f in feats}
        assert areas[1] < areas[2]
    else:
        geoms = [f.geometry() for f in feats]
        assert geoms[0].intersection(geoms[1]).area() < 1.0
    prov = prov_mod.read_from_layer(result["OUTPUT"])
    assert prov.engine == "fake router 1.0"


def test_remote_backend_accesstime_smallest_band(run_alg, fake_backend):
    pop = points(
        [(650050, 6860000), (650150, 6860000), (651000, 6860000)],
        extra=[("pop", QVariant.Double, [1.0, 2.0, 4.0])],
        name="rpop",
    )
    result = run_alg(
        "cget:accesstime",
        {
            "FACILITIES": points([(650000, 6860000)]),
            "BACKEND": "ors",
            "POPULATION": pop,
            "POP_FIELD": "pop",
            "THRESHOLDS_MIN": "1,2",
            "OUTPUT": "TEMPORARY_OUTPUT",
            "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
        },
    )
    minutes = [f["minutes"] for f in result["OUTPUT"].getFeatures()]
    assert minutes[:2] == [1.0, 2.0] and not isinstance(minutes[2], float)  # beyond: NULL
    overall = list(result["OUTPUT_TABLE"].getFeatures())[0]
    assert (
        overall["pop_le_1"] == 1.0 and overall["pop_le_2"] == 3.0 and overall["pop_beyond"] == 4.0
    )
    # times are thresholds here: no mean; the shares beyond them are exact
    assert not isinstance(overall["minutes_mean"], float)  # NULL
    assert not isinstance(overall["minutes_median"], float)  # half the people beyond 2 min
    assert overall["part_gt_1"] == 85.7 and overall["part_gt_2"] == 57.1


def test_remote_ign_end_to_end_through_loopback(run_alg, httpserver, tmp_path):
    """The real IGN backend (replayed on the loopback) behind cget:isochrones and accesstime."""
    from qgis.core import QgsSettings

    from tests.replay.httpserver import serve
    from tests.replay.isochrones import IgnIsochrone

    path = "/navigation/isochrone"
    replay = serve(httpserver, path, IgnIsochrone(), method="GET")
    settings = QgsSettings()
    keys = {"cget/routing/ign/url": httpserver.url_for(path), "cget/routing/ign/min_interval_s": 0}
    old = {k: settings.value(k, None) for k in keys}
    for k, v in keys.items():
        settings.setValue(k, v)
    try:
        origins = points([(650000, 6860000), (652000, 6860000)], name="ign_origins")
        result = run_alg(
            "cget:isochrones",
            {
                **BASE,
                "INPUT": origins,
                "BACKEND": "ign",
                "BANDS_MIN": "5,10",
                "OUTPUT_MODE": "per_origin",
            },
        )
        feats = list(result["OUTPUT"].getFeatures())
        assert len(replay.calls) == 4
        assert {(f["origin_id"], f["min_from"], f["min_to"]) for f in feats} == {
            ("p0", 0, 5),
            ("p0", 5, 10),
            ("p1", 0, 5),
            ("p1", 5, 10),
        }
        assert all(f.geometry().isGeosValid() for f in feats)
        prov = prov_mod.read_from_layer(result["OUTPUT"])
        assert prov is not None and prov.engine
        pop = points(
            [(650010, 6860010), (655000, 6865000)],
            extra=[("pop", QVariant.Double, [10.0, 5.0])],
            name="ign_pop",
        )
        result = run_alg(
            "cget:accesstime",
            {
                "FACILITIES": origins,
                "BACKEND": "ign",
                "POPULATION": pop,
                "POP_FIELD": "pop",
                "THRESHOLDS_MIN": "5,10",
                "OUTPUT": "TEMPORARY_OUTPUT",
                "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
            },
        )
        overall = list(result["OUTPUT_TABLE"].getFeatures())[0]
        assert overall["pop_total"] == 15.0 and overall["pop_le_5"] == 10.0
    finally:
        for k, v in old.items():
            if v is None:
                settings.remove(k)
            else:
                settings.setValue(k, v)


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
