"""Maps a cartographer signs without retouching (issue 14): place names from the plugin's
styles, the overview in its région, grey labelled neighbours, QPV atlas pages naming their QPV
and commune, services labelled on demand. Checked in the exported PDF's text (pdftotext) and
on the layout items."""

import re
import subprocess
import unicodedata

import pytest
from qgis.core import (
    QgsCoordinateTransform,
    QgsExpressionContextUtils,
    QgsProject,
    QgsSettings,
)

from cget_plugin.core.layouts.builder import MapRequest, build_layout
from cget_plugin.core.layouts.spec import MapSpec
from cget_plugin.core.paths import resource
from cget_plugin.core.provenance import Provenance, apply_to_layer
from tests.helpers.shared_data import real_layer

SAMPLE = resource("sample", "cget_sample.gpkg")


@pytest.fixture(autouse=True)
def clean(qgis_app):
    QgsSettings().remove("cget/layout")
    yield
    QgsProject.instance().clear()


def _styled(layer, style):
    message, ok = layer.loadNamedStyle(str(resource("styles", style)))
    assert ok, message
    return layer


def _text(pdf):
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", out.stdout))


@pytest.fixture
def haute_garonne():
    com = _styled(real_layer("communes/communes_31.gpkg", "communes", "Communes"), "communes.qml")
    apply_to_layer(com, Provenance("IGN", "ADMIN EXPRESS COG", "2026"))
    qpv = _styled(
        real_layer("qpv/qpv2015_occitanie.gpkg", "qpv2015", "Quartiers prioritaires 2015"),
        "qpv2015.qml",
    )
    qpv.setSubsetString("code_departement = '31'")
    apply_to_layer(qpv, Provenance("ANCT", "QPV", "2015", credit="ANCT – QPV 2015"))
    fs = _styled(
        real_layer("services/france_services_2024-08-01.gpkg", "france_services", "FS"),
        "france_services.qml",
    )
    fs.setSubsetString("insee_dep = '31'")
    apply_to_layer(fs, Provenance("ANCT", "France services", "2024"))
    QgsProject.instance().addMapLayers([com, qpv, fs])
    return {"communes": com, "qpv": qpv, "fs": fs}


def _sample(table, name, style):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{SAMPLE}|layername={table}", name, "ogr")
    assert layer.isValid()
    return _styled(layer, style)


def test_label_rules_travel_with_the_styles():
    """A layer loaded with the plugin's style is labelled in the canvas too."""
    from qgis.core import QgsVectorLayer

    for style, labelled in (
        ("communes.qml", True),
        ("qpv2024.qml", True),
        ("qpv2015.qml", True),
        ("france_services.qml", False),  # on demand
    ):
        geometry = "Point" if style == "france_services.qml" else "MultiPolygon"
        layer = _styled(QgsVectorLayer(f"{geometry}?crs=EPSG:2154", "x", "memory"), style)
        assert layer.labeling() is not None, style
        settings = layer.labeling().settings()
        assert (layer.labelsEnabled() and settings.drawLabels) is labelled, style
        assert settings.format().buffer().enabled() and settings.format().buffer().size() == 1
        assert settings.format().size() >= 7  # docs/map-conventions.md §2.5 (A4)
    # the services' names are off, but their points keep the commune names off them
    services = _styled(QgsVectorLayer("Point?crs=EPSG:2154", "s", "memory"), "france_services.qml")
    assert (
        services.labelsEnabled() and services.labeling().settings().obstacleSettings().isObstacle()
    )


def test_departement_map_overview_neighbours_and_commune_names(run_alg, haute_garonne, tmp_path):
    out = tmp_path / "31.pdf"
    result = run_alg(
        "cget:exportmap",
        {
            "LAYERS": list(haute_garonne.values()),
            "TITLE": "QPV de la Haute-Garonne",
            "OUTPUT": str(out),
            "DPI": 72,
        },
    )
    text = _text(out)
    # the most populous communes are named; neighbours are named in capitals
    for name in ("Toulouse", "Colomiers", "Tournefeuille", "Muret"):
        assert name in text, name
    for neighbour in ("GERS", "ARIÈGE", "TARN", "AUDE"):
        assert neighbour in text, neighbour
    assert "IGN – ADMIN EXPRESS COG 2026" in text
    assert "PROJET" in text
    layout = QgsProject.instance().layoutManager().layoutByName(result["LAYOUT_NAME"])
    carte, situation = layout.itemById("carte"), layout.itemById("carte_situation")
    assert situation.isVisible()
    reference = situation.layers()
    assert len(reference) == 1 and reference[0].customProperty("cget/reference_outlines")
    # the overview shows the whole région (Occitanie is about 5 times the map's frame) with the
    # map's frame inside it
    assert situation.extent().contains(carte.extent())
    assert situation.extent().area() > 4 * carte.extent().area()
    # neighbours beneath the thematic layers, the territory outline above the areas
    names = [lyr.name() for lyr in carte.layers()]
    assert names[-1].startswith("Départements voisins")
    assert names.index("Limite du territoire (repère)") < names.index("Communes")
    # the shared reference layers are not in the layer tree (the canvas does not draw them)
    tree = [n.layer().name() for n in QgsProject.instance().layerTreeRoot().findLayers()]
    assert not any("repère" in name for name in tree)


def test_services_labelled_on_demand(run_alg, haute_garonne, tmp_path):
    fs_names = {f["lib_fs"] for f in haute_garonne["fs"].getFeatures()}
    plain, labelled = tmp_path / "plain.pdf", tmp_path / "labels.pdf"
    common = {"LAYERS": [haute_garonne["fs"]], "TITLE": "France services", "DPI": 72}
    run_alg("cget:exportmap", {**common, "OUTPUT": str(plain)})
    assert not any(name in _text(plain) for name in fs_names)
    run_alg("cget:exportmap", {**common, "LABEL_SERVICES": True, "OUTPUT": str(labelled)})
    text = _text(labelled)
    shown = [name for name in fs_names if name.split()[-1] in text]
    assert len(shown) >= len(fs_names) // 2, (shown, fs_names)


def test_qpv_atlas_pages_name_their_qpv_and_commune(run_alg, tmp_path):
    qpv = _sample("qpv", "Quartiers prioritaires 2024 (fictifs)", "qpv2024.qml")
    communes = _sample("communes", "Communes (fictives)", "communes.qml")
    QgsProject.instance().addMapLayers([communes, qpv])
    out = tmp_path / "atlas.pdf"
    run_alg(
        "cget:exportmap",
        {"LAYERS": [qpv, communes], "ATLAS_LAYER": qpv, "OUTPUT": str(out), "DPI": 50},
    )
    pages = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    features = sorted(qpv.getFeatures(), key=lambda f: f["lib_qp"])
    assert len(features) == 5
    for page, feature in zip(pages, features):
        page = re.sub(r"\s+", " ", page)
        assert feature["lib_qp"] in page and feature["lib_com"].split(",")[0] in page, page


def test_sample_map_is_surrounded_by_fictitious_neighbours():
    communes = _sample("communes", "Communes (fictives)", "communes.qml")
    QgsProject.instance().addMapLayer(communes)
    result = build_layout(
        MapRequest(MapSpec(title="x"), [communes]), QgsProject.instance(), register=False
    )
    sources = result.layout.itemById("sources").text()
    assert "Données fictives de démonstration" in sources and "IGN" not in sources
    situation = result.layout.itemById("carte_situation")
    assert situation.isVisible()
    assert (
        situation.layers()[0]
        .customProperty("cget/reference_outlines")
        .endswith("cget_sample_surroundings.geojson.gz")
    )


@pytest.mark.parametrize("subset", ["epci_nom LIKE '%Muretain%'", "nom = 'Colomiers'"])
def test_epci_or_commune_map_overview_is_its_departement(subset):
    """An EPCI or commune map is placed in its département (not its région) with the map's
    frame marked."""
    whole = real_layer("communes/communes_31.gpkg", "communes", "Haute-Garonne")
    part = real_layer("communes/communes_31.gpkg", "communes", "Communes")
    part.setSubsetString(subset)
    QgsProject.instance().addMapLayer(part)
    layout = build_layout(MapRequest(MapSpec(title="x"), [part]), QgsProject.instance(), False)
    layout = layout.layout
    carte, situation = layout.itemById("carte"), layout.itemById("carte_situation")
    assert situation.isVisible()
    assert QgsExpressionContextUtils.layoutScope(layout).variable("cget_territoire") == "31"
    to_map = QgsCoordinateTransform(whole.crs(), situation.crs(), QgsProject.instance())
    departement = to_map.transformBoundingBox(whole.extent())
    shown = situation.extent()
    assert shown.contains(carte.extent())
    # the whole département, and not much more (its région, Occitanie, is far larger)
    assert shown.contains(departement.buffered(-0.02 * departement.width()))
    assert shown.area() < 3 * departement.area(), shown.area() / departement.area()
    overview = situation.overviews().overview(0)
    assert overview.enabled() and overview.linkedMap() is carte


def test_france_wide_map_has_no_overview_nor_neighbours():
    fs = real_layer("services/france_services_2024-08-01.gpkg", "france_services", "FS")
    fs.setSubsetString("insee_dep NOT LIKE '97%'")
    QgsProject.instance().addMapLayer(fs)
    result = build_layout(MapRequest(MapSpec(title="x"), [fs]), QgsProject.instance(), False)
    assert not result.layout.itemById("carte_situation").isVisible()
    assert [lyr.id() for lyr in result.layout.itemById("carte").layers()] == [fs.id()]


def test_page_texts_of_ours_are_french_whatever_the_interface(qgis_app):
    """No translator is installed in the tests (an English interface): the texts the builder
    writes on the map still come out in French."""
    from cget_plugin.core.i18n import tr
    from cget_plugin.core.layouts.layers import readable_name

    assert tr("[Title to complete]") == "[Title to complete]"  # the interface: English
    assert tr("[Title to complete]", on_map=True) == "[Titre à compléter]"
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    unnamed = QgsVectorLayer("Point?crs=EPSG:2154", "", "memory")
    assert readable_name(unnamed) == "Couche"
    point = QgsFeature()
    point.setGeometry(QgsGeometry.fromWkt("POINT(574000 6279000)"))
    unnamed.dataProvider().addFeatures([point])
    unnamed.updateExtents()
    QgsProject.instance().addMapLayer(unnamed)
    result = build_layout(MapRequest(MapSpec(), [unnamed]), QgsProject.instance(), False)
    assert result.layout.itemById("titre").text() == "[Titre à compléter]"
