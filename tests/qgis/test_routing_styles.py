"""One band palette whatever the path to the layer: the layer handed back by processing.run
(with a bare context, which has no project) and the one a toolbar takes from a
QgsProcessingAlgRunnerTask's context carry the algorithm's graduated style."""

import time
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsGraduatedSymbolRenderer,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from cget_plugin.processing.styles import BAND_OPACITY, band_colours

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "cget_sample.gpkg"


def _params(bands="5,10,15"):
    return {
        "INPUT": f"{SAMPLE}|layername=france_services",
        "NETWORK": f"{SAMPLE}|layername=troncon_de_route",
        "BANDS_MIN": bands,
        "OUTPUT_MODE": "rings",
        "OUTPUT": "TEMPORARY_OUTPUT",
    }


def _assert_band_style(layer, k):
    assert isinstance(layer, QgsVectorLayer) and layer.featureCount() > 0
    renderer = layer.renderer()
    assert isinstance(renderer, QgsGraduatedSymbolRenderer)
    assert renderer.classAttribute() == "min_to"
    colours = [r.symbol().color().name() for r in renderer.ranges()]
    assert colours == band_colours(k)
    assert layer.opacity() == pytest.approx(BAND_OPACITY)


def test_processing_run_with_a_bare_context(cget_provider):
    import processing

    context = QgsProcessingContext()  # no project: the algorithm must not need one
    assert context.project() is None
    result = processing.run(
        "cget:isochrones", _params(), context=context, feedback=QgsProcessingFeedback()
    )
    _assert_band_style(result["OUTPUT"], 3)


def test_layer_taken_from_a_runner_task_context(cget_provider):
    alg = QgsApplication.processingRegistry().createAlgorithmById("cget:isochrones")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    feedback = QgsProcessingFeedback()
    params = _params("5,10,15,20")
    ok, message = alg.checkParameterValues(params, context)
    assert ok, message
    task = QgsProcessingAlgRunnerTask(alg, params, context, feedback)
    outcome = {}
    task.executed.connect(lambda success, results: outcome.update(ok=success, results=results))
    QgsApplication.taskManager().addTask(task)
    deadline = time.monotonic() + 120
    while "ok" not in outcome and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    assert outcome.get("ok"), "the task did not succeed"
    layer = context.takeResultLayer(outcome["results"]["OUTPUT"])
    _assert_band_style(layer, 4)
