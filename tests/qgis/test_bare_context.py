"""Issue 13 item 2: every algorithm of the provider runs from a script's bare
``QgsProcessingContext()`` (no project set) through ``processing.run``, on the bundled sample,
and writes its files: no traceback, no output silently missing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.sample_calls import file_outputs, sample_calls


def _provider_ids(cget_provider):
    return sorted(alg.id() for alg in cget_provider.algorithms())


def test_every_algorithm_has_a_sample_call(cget_provider, tmp_path):
    assert sorted(sample_calls(tmp_path)) == _provider_ids(cget_provider)


@pytest.mark.parametrize("alg_id", sorted(sample_calls(Path("."))))
def test_algorithm_runs_with_a_bare_context(cget_provider, tmp_path, alg_id):
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject, QgsVectorLayer

    params = sample_calls(tmp_path)[alg_id]
    context = QgsProcessingContext()
    assert context.project() is None
    layers_before = len(QgsProject.instance().mapLayers())
    results = processing.run(alg_id, params, context=context, feedback=QgsProcessingFeedback())
    for name, path in file_outputs(params, tmp_path).items():
        assert results[name] == path, (name, results)
        if path.endswith(".pdf"):
            with open(path, "rb") as pdf:
                assert pdf.read(5) == b"%PDF-"
            continue
        layer = QgsVectorLayer(path, name, "ogr")
        assert layer.isValid() and layer.featureCount() > 0, (alg_id, name, path)
    # nothing went into the application's project behind the script's back
    assert len(QgsProject.instance().mapLayers()) == layers_before
