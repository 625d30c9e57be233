"""QGIS test layer: pytest-qgis gives the QgsApplication; the cget provider is registered once."""

import pytest


@pytest.fixture(scope="session")
def cget_provider(qgis_processing):  # fixture initialises Processing
    from qgis.core import QgsApplication

    from cget_plugin.processing.provider import CgetProvider

    registry = QgsApplication.processingRegistry()
    provider = registry.providerById("cget")
    if provider is None:
        provider = CgetProvider()
        registry.addProvider(provider)
    yield provider


@pytest.fixture
def run_alg(cget_provider):
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


@pytest.fixture
def layout_clean_settings():
    """No cget/layout settings before or after the test, the project cleared after it (the
    cget:exportmap tests: ``pytestmark = pytest.mark.usefixtures("layout_clean_settings")``)."""
    from qgis.core import QgsProject, QgsSettings

    settings = QgsSettings()
    settings.remove("cget/layout")
    yield
    settings.remove("cget/layout")
    QgsProject.instance().clear()


@pytest.fixture
def layers():
    """Communes (base), QPV 2015 and France services of the 31 in the project, styled as a
    user would, with the provenance the plugin's loaders write (the cget:exportmap tests)."""
    from tests.helpers.layout_export import styled_layers_31

    return styled_layers_31()


@pytest.fixture
def fast_geo_sources(monkeypatch, qgis_app):
    """Short retries and timeouts, no user override of the catalogue's sources (the
    load_geography tests: ``pytestmark = pytest.mark.usefixtures("fast_geo_sources")``)."""
    from cget_plugin.core import cache as cache_mod
    from cget_plugin.core import catalog as catalog_mod
    from cget_plugin.core import net

    monkeypatch.setattr(cache_mod, "DEFAULT_BACKOFF_S", 0.01)
    monkeypatch.setattr(net, "DEFAULT_TIMEOUT_S", 5)
    monkeypatch.setattr(catalog_mod, "settings_overrides", lambda ids: {})
