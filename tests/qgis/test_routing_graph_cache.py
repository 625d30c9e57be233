"""Issue 15: the graph cache holds for file networks, whatever carries them (a path, which
Processing opens as a temporary layer destroyed after each run, a project layer's id, a layer
object), and lets go of a changed file and of a destroyed memory layer."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from cget_plugin.core.routing import graph_cache

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "sample" / "cget_sample.gpkg"


class _Feedback:
    def __new__(cls):
        from qgis.core import QgsProcessingFeedback

        class Collecting(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.infos = []

            def pushInfo(self, info):
                self.infos.append(info)
                super().pushInfo(info)

        return Collecting()


@pytest.fixture
def network(tmp_path):
    """A copy of the sample: a file no other test has cached."""
    path = tmp_path / "network.gpkg"
    shutil.copy(SAMPLE, path)
    return f"{path}|layername=troncon_de_route"


@pytest.fixture
def builds(monkeypatch):
    """Each graph built from a layer (each read of a network), by the layer's source."""
    calls = []
    build = graph_cache.build_graph

    def counting(layer, *args, **kwargs):
        calls.append(layer.source())
        return build(layer, *args, **kwargs)

    monkeypatch.setattr(graph_cache, "build_graph", counting)
    return calls


def _isochrones(run_alg, network, feedback=None):
    result = run_alg(
        "cget:isochrones",
        {
            "INPUT": f"{SAMPLE}|layername=france_services",
            "NETWORK": network,
            "BANDS_MIN": "5,10",
            "RAW_OUTLINES": True,
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
        feedback=feedback,
    )
    return sorted(round(f["area_km2"], 3) for f in result["OUTPUT"].getFeatures())


def test_a_path_given_network_is_read_once(run_alg, network, builds):
    first = _isochrones(run_alg, network)
    assert len(builds) == 1
    feedback = _Feedback()
    second = _isochrones(run_alg, network, feedback)
    assert len(builds) == 1, "the second run read the network again"
    assert any("reused from this session's cache" in info for info in feedback.infos)
    assert second == first


def test_the_same_file_as_layer_object_or_project_layer_id_shares_the_graph(
    run_alg, network, builds
):
    from qgis.core import QgsProject, QgsVectorLayer

    _isochrones(run_alg, network)
    layer = QgsVectorLayer(network, "réseau", "ogr")
    QgsProject.instance().addMapLayer(layer)
    try:
        _isochrones(run_alg, layer)
        _isochrones(run_alg, layer.id())
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    _isochrones(run_alg, network)  # the project layer's removal kept the file's graph
    assert len(builds) == 1


def test_a_changed_file_is_read_again(run_alg, network, builds):
    _isochrones(run_alg, network)
    path = network.split("|")[0]
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    _isochrones(run_alg, network)
    assert len(builds) == 2


def test_a_destroyed_memory_network_leaves_the_cache(qgis_app, network):
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    before = set(graph_cache._CACHE)
    file_layer = QgsVectorLayer(network, "file", "ogr")
    graph_cache.get_graph(file_layer)
    memory = file_layer.materialize(QgsFeatureRequest())
    graph_cache.get_graph(memory)
    keys = set(graph_cache._CACHE) - before
    memory.deleteLater()
    file_layer.deleteLater()
    from qgis.PyQt.QtCore import QCoreApplication, QEvent

    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    left = keys & set(graph_cache._CACHE)
    assert len(keys) == 2 and len(left) == 1, "the memory layer's graph is kept"
    assert next(iter(left))[0][0] == os.path.realpath(network.split("|")[0])
