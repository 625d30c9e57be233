"""Builder rules that need QGIS objects: readable legend names, base layers, legend kept in its
panel, sources never cut, extent framed on the thematic layers, CRS of the territory."""

import pytest
from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsFeature,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsRendererCategory,
    QgsSettings,
    QgsSymbol,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtGui import QColor

from cget_plugin.core.layouts.builder import (
    MapRequest,
    build_layout,
    is_base_layer,
    readable_name,
)
from cget_plugin.core.layouts.spec import GEOMETRY, MapSpec
from cget_plugin.core.provenance import Provenance, apply_to_layer


@pytest.fixture(autouse=True)
def clean(qgis_app):
    QgsSettings().remove("cget/layout")
    yield
    QgsProject.instance().clear()


def _memory(name, geom="Polygon", crs="EPSG:2154", fields="field=classe:string"):
    return QgsVectorLayer(f"{geom}?crs={crs}&{fields}", name, "memory")


def _square(layer, x, y, size, value=""):
    f = QgsFeature(layer.fields())
    f.setAttributes([value])
    f.setGeometry(
        QgsGeometry.fromWkt(
            f"POLYGON(({x} {y},{x + size} {y},{x + size} {y + size},{x} {y + size},{x} {y}))"
        )
    )
    layer.dataProvider().addFeatures([f])
    layer.updateExtents()


def test_readable_names():
    assert readable_name(_memory("Mairies")) == "Mairies"
    assert readable_name(_memory("Quartiers prioritaires 2024")) == "Quartiers prioritaires 2024"
    raw = _memory("qpv2015_occitanie")
    assert readable_name(raw) == "Qpv2015 occitanie"
    apply_to_layer(raw, Provenance("ANCT", "Quartiers prioritaires", "2015"))
    assert readable_name(raw) == "Quartiers prioritaires 2015"
    fs = _memory("france_services.gpkg")
    apply_to_layer(fs, Provenance("ANCT", "France services", "liste au 01/08/2024"))
    assert readable_name(fs) == "France services (liste au 01/08/2024)"


def test_base_layer_roles():
    communes = _memory("communes")
    assert not is_base_layer(communes)
    apply_to_layer(communes, Provenance("IGN", "ADMIN EXPRESS COG CARTO", "2024"))
    assert is_base_layer(communes)
    communes.setCustomProperty("cget/layout_role", "thematic")
    assert not is_base_layer(communes)


def test_legend_with_many_classes_stays_in_panel_and_sources_fit():
    layer = _memory("Temps d'accès")
    categories = []
    for i in range(9):
        _square(layer, 600000 + i * 500, 6800000, 400, f"{i * 5} à {i * 5 + 5} min")
        symbol = QgsSymbol.defaultSymbol(QgsWkbTypes.PolygonGeometry)
        symbol.setColor(QColor.fromHsv(220, 40 + i * 25, 200))
        categories.append(
            QgsRendererCategory(f"{i * 5} à {i * 5 + 5} min", symbol, f"{i * 5} à {i * 5 + 5} min")
        )
    layer.setRenderer(QgsCategorizedSymbolRenderer("classe", categories))
    long_sources = " ; ".join(f"Producteur {i} – Jeu de données numéro {i} 2024" for i in range(8))
    QgsProject.instance().addMapLayer(layer)
    spec = MapSpec(title="Essai", paper="A4", orientation="portrait", extra_sources=[long_sources])
    result = build_layout(MapRequest(spec, [layer]), QgsProject.instance(), register=False)
    legend = result.layout.itemById("legende")
    x, y, w, h = GEOMETRY[("A4", "portrait")]["legende"]
    pos, size = legend.positionWithUnits(), legend.sizeWithUnits()
    assert (pos.x(), pos.y(), size.width(), size.height()) == pytest.approx((x, y, w, h), abs=0.01)
    assert legend.columnCount() >= 2
    sources = result.layout.itemById("sources")
    text = sources.text()
    assert all(
        f"Producteur {i} – Jeu de données numéro {i} 2024" in text.replace("\n", " ")
        for i in range(8)
    )
    bottom = sources.positionWithUnits().y() + sources.sizeWithUnits().height()
    assert bottom <= 297 - 4.9


def test_extent_framed_on_thematic_layers_and_crs_of_territory():
    base = _memory("Fond", crs="EPSG:4326")
    _square(base, 1.0, 43.0, 1.0)  # about 80 km wide, Haute-Garonne
    apply_to_layer(base, Provenance("IGN", "ADMIN EXPRESS COG", "2026"))
    theme = _memory("Zone", crs="EPSG:4326")
    _square(theme, 1.40, 43.55, 0.02)  # about 1.6 km
    QgsProject.instance().addMapLayers([base, theme])
    result = build_layout(
        MapRequest(MapSpec(title="x"), [theme, base]), QgsProject.instance(), register=False
    )
    assert result.crs.authid() == "EPSG:2154"
    carte = result.layout.itemById("carte")
    assert carte.extent().width() < 10000  # framed on the 1.6 km zone, not the 80 km base
    assert result.legend_names == ["Zone", "Fond"]  # base layer last
    assert result.scale == round(result.scale, -2)


def test_single_point_layer_gets_a_frame():
    layer = _memory("Un site", geom="Point", crs="EPSG:2154")
    f = QgsFeature(layer.fields())
    f.setAttributes(["x"])
    f.setGeometry(QgsGeometry.fromWkt("POINT(574000 6279000)"))
    layer.dataProvider().addFeatures([f])
    layer.updateExtents()
    QgsProject.instance().addMapLayer(layer)
    result = build_layout(
        MapRequest(MapSpec(title="x"), [layer]), QgsProject.instance(), register=False
    )
    extent = result.layout.itemById("carte").extent()
    assert 1000 <= extent.width() < 5000 and extent.contains(
        QgsGeometry.fromWkt("POINT(574000 6279000)").boundingBox()
    )


def test_territory_crs_overseas_and_fallback_outside_france():
    from qgis.core import QgsCoordinateReferenceSystem

    from cget_plugin.core.layouts.framing import choose_crs

    project = QgsProject.instance()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:4326"))  # not a deliberate projection
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    tc = project.transformContext()

    def crs_at(lon, lat):
        rect = QgsRectangle(lon - 0.05, lat - 0.05, lon + 0.05, lat + 0.05)
        return choose_crs(project, rect, wgs84, tc).authid()

    assert crs_at(1.44, 43.6) == "EPSG:2154"  # Toulouse
    assert crs_at(55.45, -20.9) == "EPSG:2975"  # Saint-Denis de La Réunion
    assert crs_at(-61.0, 14.6) == "EPSG:5490"  # Fort-de-France
    # Outside France: Web Mercator, as before the CRS rules moved to core.definitions
    assert crs_at(13.4, 52.5) == "EPSG:3857"  # Berlin
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:2975"))  # a deliberate choice wins
    assert crs_at(1.44, 43.6) == "EPSG:2975"
