"""cget_plugin.compat with a running QGIS (pytest-qgis): the constants and helpers do what the
real QGIS objects expect, on 3.22 (host) and 3.44 (root)."""

import warnings

import pytest
from qgis.core import (
    QgsFeature,
    QgsFeatureRequest,
    QgsGeometry,
    QgsLayout,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsProcessingAlgorithm,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime, QTimer
from qgis.PyQt.QtGui import QFontDatabase
from qgis.PyQt.QtWidgets import QDialog

from cget_plugin import compat


@pytest.mark.parametrize(
    "uri,geometry_type,wkb_type",
    [
        ("Point", "GEOMETRY_POINT", "WKB_POINT"),
        ("MultiPoint", "GEOMETRY_POINT", "WKB_MULTIPOINT"),
        ("LineString", "GEOMETRY_LINE", "WKB_LINESTRING"),
        ("MultiLineString", "GEOMETRY_LINE", "WKB_MULTILINESTRING"),
        ("Polygon", "GEOMETRY_POLYGON", "WKB_POLYGON"),
        ("MultiPolygon", "GEOMETRY_POLYGON", "WKB_MULTIPOLYGON"),
        ("None", "GEOMETRY_NULL", "WKB_NOGEOMETRY"),
    ],
)
def test_geometry_and_wkb_constants_match_real_layers(qgis_app, uri, geometry_type, wkb_type):
    layer = QgsVectorLayer(f"{uri}?crs=EPSG:2154", "l", "memory")
    assert layer.isValid()
    assert layer.geometryType() == getattr(compat, geometry_type)
    assert layer.wkbType() == getattr(compat, wkb_type)
    assert compat.layer_type_is_vector(layer)
    assert not compat.layer_type_is_raster(layer)


def test_layer_type_helpers_reject_non_vector(qgis_app, tmp_path):
    gdal = pytest.importorskip("osgeo.gdal")
    path = str(tmp_path / "r.tif")
    ds = gdal.GetDriverByName("GTiff").Create(path, 2, 2, 1)
    ds.SetGeoTransform((700000, 10, 0, 6600000, 0, -10))
    ds = None
    from qgis.core import QgsRasterLayer

    raster = QgsRasterLayer(path, "r")
    assert raster.isValid()
    assert compat.layer_type_is_raster(raster)
    assert not compat.layer_type_is_vector(raster)
    assert not compat.layer_type_is_vector(None)


def test_fields_round_trip_through_a_provider_without_deprecation(qgis_app):
    layer = QgsVectorLayer("Point?crs=EPSG:2154", "l", "memory")
    values = {
        "string": "Quartier prioritaire",
        "int": 42,
        "int64": 2**40,
        "double": 12.5,
        "bool": True,
        "date": QDate(2024, 1, 1),
        "datetime": QDateTime(QDate(2024, 1, 1), QTime(12, 30)),
    }
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        fields = [compat.make_field(name, name) for name in values]
    assert layer.dataProvider().addAttributes(fields)
    layer.updateFields()
    assert [f.name() for f in layer.fields()] == list(values)
    feature = QgsFeature(layer.fields())
    for name, value in values.items():
        feature[name] = value
    feature.setGeometry(QgsGeometry.fromWkt("POINT (700000 6600000)"))
    assert layer.dataProvider().addFeatures([feature])[0]
    stored = next(layer.getFeatures())
    for name, value in values.items():
        assert stored[name] == value, name
    assert layer.fields().field("double").isNumeric()
    assert not layer.fields().field("string").isNumeric()


def test_request_no_geometry(qgis_app):
    layer = QgsVectorLayer("Point?crs=EPSG:2154&field=id:integer", "l", "memory")
    feature = QgsFeature(layer.fields())
    feature["id"] = 1
    feature.setGeometry(QgsGeometry.fromWkt("POINT (1 2)"))
    layer.dataProvider().addFeatures([feature])
    request = QgsFeatureRequest().setFlags(compat.REQUEST_NO_GEOMETRY)
    assert request.flags() & compat.REQUEST_NO_GEOMETRY
    assert not QgsFeatureRequest().flags() & compat.REQUEST_NO_GEOMETRY
    assert [f["id"] for f in layer.getFeatures(request)] == [1]


def test_processing_constants_are_accepted_by_parameters(qgis_app):
    source = QgsProcessingParameterFeatureSource(
        "ZONES", "zones", [compat.SOURCE_VECTOR_POLYGON, compat.SOURCE_VECTOR_POINT]
    )
    assert [int(t) for t in source.dataTypes()] == [2, 0]
    number = QgsProcessingParameterNumber("T", "t", compat.NUMBER_DOUBLE, 15.0)
    assert int(number.dataType()) == int(compat.NUMBER_DOUBLE)
    field = QgsProcessingParameterField("F", "f", None, "ZONES", compat.FIELD_NUMERIC)
    assert int(field.dataType()) == int(compat.FIELD_NUMERIC)
    assert not number.flags() & compat.PARAM_FLAG_ADVANCED
    number.setFlags(number.flags() | compat.PARAM_FLAG_ADVANCED)
    assert number.flags() & compat.PARAM_FLAG_ADVANCED


class _MainThreadAlgorithm(QgsProcessingAlgorithm):
    def name(self):
        return "main_thread"

    def displayName(self):
        return "main thread"

    def createInstance(self):
        return _MainThreadAlgorithm()

    def initAlgorithm(self, config=None):
        pass

    def processAlgorithm(self, parameters, context, feedback):
        return {}

    def flags(self):
        return compat.no_threading_flags(self)


def test_no_threading_flags_keeps_the_base_flags(qgis_app):
    plain = QgsProcessingAlgorithm.flags(_MainThreadAlgorithm())
    alg = _MainThreadAlgorithm()
    flags = alg.flags()
    assert flags & compat.ALG_FLAG_NO_THREADING
    assert not plain & compat.ALG_FLAG_NO_THREADING
    assert int(flags) == int(plain) | 64


def test_page_orientation_and_layout_units(qgis_app):
    layout = QgsLayout(QgsProject.instance())
    layout.initializeDefaults()
    page = layout.pageCollection().page(0)
    assert page.setPageSize("A4", compat.page_orientation(True))
    size = page.pageSize()
    assert (round(size.width()), round(size.height())) == (297, 210)
    assert size.units() == compat.LAYOUT_UNIT_MM
    assert page.orientation() == QgsLayoutItemPage.Orientation.Landscape
    assert page.setPageSize("A4", compat.page_orientation(False))
    assert round(page.pageSize().width()) == 210


def test_picture_format_constant(qgis_app, tmp_path):
    svg = tmp_path / "logo.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<rect width="10" height="10" fill="#000091"/></svg>',
        encoding="utf-8",
    )
    layout = QgsLayout(QgsProject.instance())
    picture = QgsLayoutItemPicture(layout)
    picture.setPicturePath(str(svg), compat.PICTURE_FORMAT_SVG)
    assert picture.mode() == compat.PICTURE_FORMAT_SVG


def test_make_valid_repairs_a_bow_tie_on_both_methods(qgis_app):
    bow_tie = QgsGeometry.fromWkt("POLYGON ((0 0, 1 1, 1 0, 0 1, 0 0))")
    assert not bow_tie.isGeosValid()
    for structure in (False, True):
        repaired = compat.make_valid(bow_tie, structure=structure)
        assert repaired.isGeosValid()
        assert repaired.area() == pytest.approx(0.5)
        assert repaired.type() == compat.GEOMETRY_POLYGON


def test_font_family_available(qgis_app):
    families = compat.font_families()
    assert families, "no font installed at all"
    assert families == list(QFontDatabase().families())
    assert compat.font_family_available(families[0])
    assert compat.font_family_available(families[0].upper())
    assert not compat.font_family_available("Cget Police Inexistante 123")
    assert not compat.font_family_available("")


def test_add_font_replacement(qgis_app):
    from qgis.core import QgsApplication

    original = "Cget Police Inexistante 123"
    done = compat.add_font_replacement(original, "DejaVu Sans")
    if not compat.qgis_at_least(3, 28):
        assert done is False
        return
    manager = QgsApplication.fontManager()
    try:
        assert done is True
        assert manager.processFontFamilyName(original) == "DejaVu Sans"
    finally:
        manager.addFontFamilyReplacement(original, "")  # empty removes the mapping
    assert manager.processFontFamilyName(original) == original


def test_exec_dialog_runs_a_modal_dialog(qgis_app):
    dialog = QDialog()
    QTimer.singleShot(0, dialog.accept)
    assert compat.exec_dialog(dialog) == QDialog.DialogCode.Accepted


def test_null_rectangle_grows_to_the_extents_only(qgis_app):
    from qgis.core import QgsRectangle

    extent = compat.null_rectangle()
    extent.combineExtentWith(QgsRectangle(700000, 6600000, 701000, 6601000))
    extent.combineExtentWith(QgsRectangle(702000, 6602000, 703000, 6603000))
    assert (extent.xMinimum(), extent.yMinimum()) == (700000, 6600000)
    assert (extent.xMaximum(), extent.yMaximum()) == (703000, 6603000)


class _FieldsAlgorithm(_MainThreadAlgorithm):
    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterField("FIELDS", "fields", None, None, allowMultiple=True)
        )


def test_parameter_as_strings_without_deprecation(qgis_app):
    from qgis.core import QgsProcessingContext

    alg = _FieldsAlgorithm()
    alg.initAlgorithm()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        names = compat.parameter_as_strings(
            alg, {"FIELDS": ["code_qp", "nom_qp"]}, "FIELDS", QgsProcessingContext()
        )
    assert names == ["code_qp", "nom_qp"]


def test_save_style_to_a_geopackage_and_attribution(qgis_app, tmp_path):
    from qgis.core import QgsVectorFileWriter

    memory = QgsVectorLayer("Point?crs=EPSG:2154&field=id:integer", "l", "memory")
    path = str(tmp_path / "out.gpkg")
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "points"
    result = QgsVectorFileWriter.writeAsVectorFormatV3(
        memory, path, QgsProject.instance().transformContext(), options
    )
    assert result[0] == QgsVectorFileWriter.WriterError.NoError, result
    layer = QgsVectorLayer(f"{path}|layername=points", "points", "ogr")
    assert layer.isValid()
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        error = compat.save_style_to_database(layer, "cget", "CGET style")
        attribution = compat.layer_attribution(layer)
    assert error == ""
    assert attribution == ""
    reopened = QgsVectorLayer(f"{path}|layername=points", "points", "ogr")
    styles = reopened.listStylesInDatabase()
    assert "cget" in list(styles[2]), styles
