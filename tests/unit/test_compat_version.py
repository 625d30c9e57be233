"""cget_plugin.compat without a QGIS application: version helpers, resolved constants, fields.

The same assertions run on QGIS 3.22 (host) and 3.44 (the Debian unstable root, `make test-344`).
"""

import subprocess
import sys
from pathlib import Path

import pytest

from cget_plugin import compat

REPO = Path(__file__).resolve().parents[2]


def test_qgis_version_matches_the_version_string():
    from qgis.core import Qgis

    major, minor, patch = compat.qgis_version()
    assert Qgis.QGIS_VERSION.startswith(f"{major}.{minor}.{patch}")
    assert compat.qgis_at_least(major, minor, patch)
    assert compat.qgis_at_least(3, 22)
    assert not compat.qgis_at_least(major, minor, patch + 1)
    assert not compat.qgis_at_least(major + 1, 0)


# Numeric values are part of the QGIS API (stored in projects and styles): a constant that
# resolved to the wrong member fails here on whichever version resolves it wrongly.
EXPECTED_VALUES = {
    "GEOMETRY_POINT": 0,
    "GEOMETRY_LINE": 1,
    "GEOMETRY_POLYGON": 2,
    "GEOMETRY_UNKNOWN": 3,
    "GEOMETRY_NULL": 4,
    "WKB_UNKNOWN": 0,
    "WKB_POINT": 1,
    "WKB_LINESTRING": 2,
    "WKB_POLYGON": 3,
    "WKB_MULTIPOINT": 4,
    "WKB_MULTILINESTRING": 5,
    "WKB_MULTIPOLYGON": 6,
    "WKB_GEOMETRYCOLLECTION": 7,
    "WKB_NOGEOMETRY": 100,
    "LAYER_VECTOR": 0,
    "LAYER_RASTER": 1,
    "SOURCE_MAP_LAYER": -2,
    "SOURCE_VECTOR_ANY_GEOMETRY": -1,
    "SOURCE_VECTOR_POINT": 0,
    "SOURCE_VECTOR_LINE": 1,
    "SOURCE_VECTOR_POLYGON": 2,
    "SOURCE_VECTOR_ANY": 5,
    "NUMBER_INTEGER": 0,
    "NUMBER_DOUBLE": 1,
    "FIELD_ANY": -1,
    "FIELD_NUMERIC": 0,
    "FIELD_STRING": 1,
    "PARAM_FLAG_OPTIONAL": 8,
    "PARAM_FLAG_ADVANCED": 2,
    "PARAM_FLAG_HIDDEN": 4,
    "ALG_FLAG_NO_THREADING": 64,
    "SOURCE_FLAG_SKIP_GEOMETRY_VALIDITY_CHECKS": 2,
    "GEOMETRY_NO_CHECK": 0,
    "REQUEST_NO_GEOMETRY": 1,
    "LAYOUT_UNIT_MM": 0,
    "LAYOUT_UNIT_POINTS": 5,
    "RENDER_UNIT_MM": 0,
    "RENDER_UNIT_POINTS": 4,
    "DISTANCE_METERS": 0,
    "DISTANCE_KILOMETERS": 1,
    "PICTURE_FORMAT_SVG": 0,
    "PICTURE_FORMAT_RASTER": 1,
    "LEGEND_TITLE": 2,
    "LEGEND_GROUP": 3,
    "LEGEND_SUBGROUP": 4,
    "LEGEND_SYMBOL_LABEL": 6,
    "TEXT_RENDER_ALWAYS_OUTLINES": 0,
    "TEXT_RENDER_ALWAYS_TEXT": 1,
    "LAYER_FILTER_POINT": 4,
    "LAYER_FILTER_LINE": 8,
    "LAYER_FILTER_POLYGON": 16,
}


@pytest.mark.parametrize("name,value", sorted(EXPECTED_VALUES.items()))
def test_constant_values(name, value):
    assert int(getattr(compat, name)) == value


def test_constants_use_the_scoped_qgis_enums_when_present():
    from qgis.core import Qgis

    pairs = [
        ("GeometryType", "Polygon", compat.GEOMETRY_POLYGON),
        ("WkbType", "MultiPolygon", compat.WKB_MULTIPOLYGON),
        ("LayerType", "Vector", compat.LAYER_VECTOR),
        ("ProcessingSourceType", "VectorPoint", compat.SOURCE_VECTOR_POINT),
        ("ProcessingAlgorithmFlag", "NoThreading", compat.ALG_FLAG_NO_THREADING),
        ("LayoutUnit", "Millimeters", compat.LAYOUT_UNIT_MM),
    ]
    for enum_name, member, value in pairs:
        enum = getattr(Qgis, enum_name, None)
        if enum is not None:
            assert value is getattr(enum, member), f"{enum_name}.{member}"
        else:
            assert compat.QGIS_VERSION_INT < 33600, f"Qgis.{enum_name} expected on this QGIS"
    assert compat.layout_unit_mm is compat.LAYOUT_UNIT_MM


def test_geometry_type_name():
    assert compat.geometry_type_name(compat.GEOMETRY_POLYGON) == "polygon"
    assert compat.geometry_type_name(compat.GEOMETRY_POINT) == "point"
    assert compat.geometry_type_name(compat.GEOMETRY_LINE) == "line"
    assert compat.geometry_type_name(99) == "unknown"


def test_page_orientation():
    from qgis.core import QgsLayoutItemPage

    assert int(compat.page_orientation(True)) == int(QgsLayoutItemPage.Orientation.Landscape)
    assert int(compat.page_orientation(False)) == int(QgsLayoutItemPage.Orientation.Portrait)
    assert compat.page_orientation(True) != compat.page_orientation(False)


@pytest.mark.parametrize(
    "type_name,ogr_name,numeric",
    [
        ("string", "String", False),
        ("int", "Integer", True),
        ("integer", "Integer", True),
        ("int64", "Integer64", True),
        ("double", "Real", True),
        ("bool", "Boolean", False),
        ("date", "Date", False),
        ("datetime", "DateTime", False),
    ],
)
def test_make_field(type_name, ogr_name, numeric):
    field = compat.make_field("code_qp", type_name, 12, 3, alias="Code du quartier")
    assert field.name() == "code_qp"
    assert field.typeName() == ogr_name
    assert field.length() == 12
    assert field.precision() == 3
    assert field.alias() == "Code du quartier"
    assert field.isNumeric() == numeric


def test_make_field_types_are_distinct_and_rejects_unknown():
    types = {int(compat.make_field("f", t).type()) for t in compat.FIELD_TYPES}
    assert len(types) == len(compat.FIELD_TYPES)
    with pytest.raises(ValueError, match="unknown field type"):
        compat.make_field("f", "geometry")


def test_field_uses_metatype_from_338():
    assert compat.FIELD_USES_METATYPE == compat.qgis_at_least(3, 38)


def test_importing_compat_and_making_fields_raises_no_deprecation_warning():
    """On 3.44 the deprecated spellings warn; compat must pick the supported ones."""
    code = (
        "import warnings; warnings.simplefilter('error', DeprecationWarning)\n"
        "from cget_plugin import compat\n"
        "[compat.make_field('f', t) for t in compat.FIELD_TYPES]\n"
        "print('ok')\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0 and "ok" in out.stdout, out.stderr[-2000:]


def test_exec_dialog_calls_exec():
    class FakeDialog:
        def exec(self):
            return 1

    assert compat.exec_dialog(FakeDialog()) == 1


class _Crs:
    def __init__(self, description, authid="EPSG:0"):
        self._description = description
        self._authid = authid

    def description(self):
        return self._description

    def authid(self):
        return self._authid


@pytest.mark.parametrize(
    "description,expected",
    [
        ("ETRS89-FRA [RGF93 v1] / Lambert-93", "RGF93 v1 / Lambert-93"),
        ("RGF93 v1 / Lambert-93", "RGF93 v1 / Lambert-93"),
        ("ETRS89-FRA [RGF93 v1]", "RGF93 v1"),
        ("WGS 84 / UTM zone 31N", "WGS 84 / UTM zone 31N"),
        ("RGF93 v1 / CC43", "RGF93 v1 / CC43"),
        ("", "EPSG:0"),
    ],
)
def test_crs_description(description, expected):
    assert compat.crs_description(_Crs(description)) == expected


def test_crs_description_of_lambert_93_is_the_same_on_every_version():
    from qgis.core import QgsCoordinateReferenceSystem

    crs = QgsCoordinateReferenceSystem("EPSG:2154")
    assert compat.crs_description(crs) == "RGF93 v1 / Lambert-93"
