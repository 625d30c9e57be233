"""cget:loadgeography through Processing and into the project (name, style, aliases,
provenance), its messages, source overrides to a mirror, feedback and cancel, a file read
once and reused."""

import pytest

from cget_plugin.core import catalog as catalog_mod
from cget_plugin.core.geographies import load_geography
from cget_plugin.core.provenance import read_from_layer
from tests.helpers.geo_sources import DATA, QPV_FIXTURE, features_by_code

pytestmark = pytest.mark.usefixtures("fast_geo_sources")


def test_processing_run_from_a_script(run_alg, tmp_path):
    res = run_alg(
        "cget:loadgeography",
        {
            "GEOGRAPHY": "qpv2024",
            "TERRITORY": "93",
            "SOURCE": str(QPV_FIXTURE),
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    layer = res["OUTPUT"]
    assert res["FEATURE_COUNT"] == 2 and layer.featureCount() == 2
    assert layer.name() == "QPV 2024 – Seine-Saint-Denis (93)"
    assert layer.crs().authid() == "EPSG:2154"
    assert layer.attributeAlias(layer.fields().indexOf("lib_qp")) == "Nom du quartier"
    prov = read_from_layer(layer)
    assert prov.producer == "ANCT" and prov.vintage == "2024"
    assert prov.parameters["territory"] == "93"
    symbol = layer.renderer().symbol()
    assert symbol.symbolLayer(0).strokeColor().name() == "#000091"
    out = tmp_path / "qpv.gpkg"
    res = run_alg(
        "cget:loadgeography",
        {
            "GEOGRAPHY": "qpv2024",
            "TERRITORY": "971",
            "SOURCE": str(QPV_FIXTURE),
            "OUTPUT": str(out),
        },
    )
    from qgis.core import QgsVectorLayer

    saved = QgsVectorLayer(str(out), "saved", "ogr")
    assert saved.featureCount() == 1 and saved.crs().authid() == "EPSG:5490"


def test_processing_bad_code_message_without_traceback(run_alg):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as err:
        run_alg(
            "cget:loadgeography",
            {
                "GEOGRAPHY": "qpv2024",
                "TERRITORY": "93, 9999X",
                "SOURCE": str(QPV_FIXTURE),
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )
    assert "9999X" in str(err.value) and "Traceback" not in str(err.value)


def test_source_url_and_settings_override_to_a_mirror(httpserver, monkeypatch):
    httpserver.expect_request("/mirror/fs.csv").respond_with_data(
        (DATA / "france_services_fixture.csv").read_bytes(), content_type="text/csv"
    )
    url = httpserver.url_for("/mirror/fs.csv")
    by_param = load_geography("france_services", "93", source=url)
    assert set(features_by_code(by_param.layer)) == {"FS-T01", "FS-T04", "FS-T05"}
    monkeypatch.setattr(catalog_mod, "settings_overrides", lambda ids: {"france_services": url})
    by_settings = load_geography("france_services", "93")
    assert set(features_by_code(by_settings.layer)) == {"FS-T01", "FS-T04", "FS-T05"}
    assert by_settings.provenance.url == url


def test_loaded_into_the_project_with_name_style_aliases_provenance(cget_provider):
    """What Processing does when it loads the result into the project (dialog, toolbar):
    the algorithm's post-processor names, styles and documents the layer."""
    import processing
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProcessingOutputLayerDefinition,
        QgsProject,
    )

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    res = processing.run(
        "cget:loadgeography",
        {
            "GEOGRAPHY": "france_services",
            "TERRITORY": "93",
            "SOURCE": str(DATA / "france_services_fixture.csv"),
            "OUTPUT": QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", project),
        },
        context=context,
        feedback=feedback,
    )
    to_load = context.layersToLoadOnCompletion()
    assert len(to_load) == 1
    layer_id, details = next(iter(to_load.items()))
    # processing.run() hands the layer itself back to the script
    layer = res["OUTPUT"]
    assert layer.id() == layer_id and details.postProcessor() is not None
    details.postProcessor().postProcessLayer(layer, context, feedback)
    assert layer.name() == "France Services – Seine-Saint-Denis (93)"
    assert details.name == "France Services – Seine-Saint-Denis (93)"
    assert layer.featureCount() == 3
    assert layer.attributeAlias(layer.fields().indexOf("coord_statut")) == (
        "Contrôle des coordonnées"
    )
    assert read_from_layer(layer).dataset == "Liste des structures France Services"
    assert layer.renderer().symbol().color().name() == "#000091"


def test_plain_qgsfeedback_and_cancel():
    from qgis.core import QgsFeedback

    from cget_plugin.core.errors import CancelledError

    feedback = QgsFeedback()
    result = load_geography("qpv2024", "93", source=str(QPV_FIXTURE), feedback=feedback)
    assert result.layer.featureCount() == 2
    feedback.cancel()
    with pytest.raises(CancelledError):
        load_geography("qpv2024", "93", source=str(QPV_FIXTURE), feedback=feedback)


def test_a_file_read_once_is_reused_without_side_effects(tmp_path):
    copy = tmp_path / "qpv.geojson"
    copy.write_bytes(QPV_FIXTURE.read_bytes())
    first = load_geography("qpv2024", "971", source=str(copy))  # EPSG:5490
    second = load_geography("qpv2024", "971, 93", source=str(copy))  # mixed: EPSG:2154
    third = load_geography("qpv2024", "971", source=str(copy))
    a = next(first.layer.getFeatures()).geometry()
    c = next(third.layer.getFeatures()).geometry()
    assert a.equals(c) and a.isGeosValid()
    b = features_by_code(second.layer)["QN97101N"].geometry()
    assert not b.equals(a)  # other CRS: the reused source geometry was not transformed in place
    copy.write_bytes(QPV_FIXTURE.read_bytes().replace(b"Quartier fictif E", b"Quartier modifie"))
    changed = load_geography("qpv2024", "971", source=str(copy))
    assert next(changed.layer.getFeatures())["nom"] == "Quartier modifie (test)"
