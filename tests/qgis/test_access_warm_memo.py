"""Issue 11, item 5: a warm ``cget:accesstime`` run (same network, population and facilities
in the session) reuses the snapped population and the shortest paths of the first run and
writes the same units; a population file changed on disk is never served stale."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from cget_plugin.core.routing import graph_cache, graph_memo

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "sample" / "cget_sample.gpkg"


@pytest.fixture
def files(tmp_path, qgis_app):  # qgis_app: QGIS started
    """A copy of the sample (network, facilities) and a population GeoPackage of 400 points
    near its roads, in the network's CRS."""
    from osgeo import ogr, osr
    from qgis.core import QgsVectorLayer

    sample = tmp_path / "sample.gpkg"
    shutil.copy(SAMPLE, sample)
    network = f"{sample}|layername=troncon_de_route"
    graph, _ = graph_cache.get_graph(QgsVectorLayer(network, "n", "ogr"))
    rng = np.random.default_rng(5)
    xy = graph.sample_xy[rng.choice(len(graph.sample_xy), 400, replace=False)] + 30.0
    pop = tmp_path / "pop.gpkg"
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(pop))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    layer = ds.CreateLayer("points", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("pop", ogr.OFTReal))
    for i, (x, y) in enumerate(xy.tolist()):
        feat = ogr.Feature(layer.GetLayerDefn())
        feat.SetField("pop", float(1 + i % 7))
        feat.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})"))
        layer.CreateFeature(feat)
    ds = None
    return network, f"{sample}|layername=france_services", str(pop)


@pytest.fixture
def memo(monkeypatch):
    """The memo for any size (the sample is far below the size it is kept for), emptied."""
    monkeypatch.setattr(graph_memo, "MIN_POINTS", 0)
    graph_memo.clear()
    return graph_memo.STATS


def _run(run_alg, files):
    network, facilities, pop = files
    result = run_alg(
        "cget:accesstime",
        {
            "FACILITIES": facilities,
            "NETWORK": network,
            "POPULATION": f"{pop}|layername=points",
            "POP_FIELD": "pop",
            "THRESHOLDS_MIN": "5,10",
            "OUTPUT": "TEMPORARY_OUTPUT",
            "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
        },
    )
    units = sorted(
        (f.id(), f.geometry().asWkt(1), f.attributes()) for f in result["OUTPUT"].getFeatures()
    )
    table = [f.attributes() for f in result["OUTPUT_TABLE"].getFeatures()]
    return units, table


def test_a_warm_run_reuses_the_snapped_units_and_writes_the_same(run_alg, files, memo):
    cold = _run(run_alg, files)
    snaps, times, hits = memo["snaps"], memo["times"], memo["snap_hits"]
    assert snaps >= 1 and times >= 1
    warm = _run(run_alg, files)
    assert memo["snaps"] == snaps, "the warm run snapped the population again"
    assert memo["times"] == times, "the warm run ran the shortest paths again"
    assert memo["snap_hits"] > hits and memo["time_hits"] >= 1
    assert len(cold[0]) == 400
    assert warm == cold


def test_an_edited_population_file_is_not_served_stale(run_alg, files, memo):
    from osgeo import ogr

    first = _run(run_alg, files)
    snaps = memo["snaps"]
    # move one point 300 m away: its time and distance to the road change
    ds = ogr.Open(files[2], update=1)
    layer = ds.GetLayer("points")
    feat = layer.GetFeature(1)
    x, y = feat.GetGeometryRef().GetX(), feat.GetGeometryRef().GetY()
    feat.SetGeometry(ogr.CreateGeometryFromWkt(f"POINT ({x + 300.0} {y + 300.0})"))
    layer.SetFeature(feat)
    ds = None
    edited = _run(run_alg, files)
    assert memo["snaps"] == snaps + 1, "the edited population was not snapped again"
    assert edited[0] != first[0]
    graph_memo.clear()
    assert _run(run_alg, files) == edited, "the edited run differs from a run without memo"


def test_round_tenths_gives_pythons_round(qgis_app):  # qgis_app: QGIS started
    from cget_plugin.processing.access_time import round_tenths

    rng = np.random.default_rng(3)
    values = np.concatenate(
        [
            rng.uniform(0, 500, 20000),
            np.arange(0, 20000) / 20.0,  # every half of a tenth: 0.05, 0.15...
            np.round(rng.uniform(0, 1000, 20000), 2),
            [np.nan, np.inf, -np.inf, 0.0, -0.04, 2.675, 1e6 + 0.05],
        ]
    )
    expected = [round(v, 1) if np.isfinite(v) else None for v in values.tolist()]
    assert [repr(v) for v in round_tenths(values)] == [repr(v) for v in expected]
