"""cget:isochrones and cget:accesstime refuse bad inputs, each with its message; a cancelled run
adds nothing."""

import pytest
from qgis.core import (
    QgsProcessingException,
    QgsProject,
)
from qgis.PyQt.QtCore import QVariant

from cget_plugin.core.routing import graph_cache
from tests.helpers.routing_layers import BASE, Feedback, bdtopo_fixture, memory_layer, points


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
        def setProgress(self, value):
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
