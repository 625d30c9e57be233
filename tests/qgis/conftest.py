"""QGIS test layer: pytest-qgis gives the QgsApplication; the cget provider is registered once."""

import pytest


@pytest.fixture(scope="session")
def cget_provider(qgis_processing):  # noqa: ARG001 - fixture initialises Processing
    from qgis.core import QgsApplication

    from cget_plugin.processing.provider import CgetProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("cget")
    if provider is None:
        provider = CgetProvider()
        registry.addProvider(provider)
    yield provider


@pytest.fixture
def run_alg(cget_provider):  # noqa: ARG001
    """``run_alg("cget:isochrones", {...})`` through processing.run with a fresh context."""
    import processing
    from qgis.core import QgsProcessingContext, QgsProcessingFeedback, QgsProject

    def _run(alg_id, params, feedback=None, context=None):
        context = context or QgsProcessingContext()
        context.setProject(QgsProject.instance())
        return processing.run(
            alg_id, params, context=context, feedback=feedback or QgsProcessingFeedback()
        )

    return _run
