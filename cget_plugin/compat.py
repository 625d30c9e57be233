"""The one place where QGIS version differences (3.22 LTR → 3.44 → QGIS 4) are handled.

Other modules import from here instead of testing versions themselves. Everything is resolved
once, at import time, by *feature detection* (the new API when this QGIS has it, else the old
one), so the same code runs on QGIS 3.22 (Debian 12, Python 3.11) and 3.44 (Python 3.14) and the
deprecated names that QGIS 4 drops are used only where nothing else exists (3.22).

Why: from 3.30 to 3.40 QGIS moved most enums into scoped ``Qgis.*`` enums (``QgsWkbTypes.Polygon``
→ ``Qgis.WkbType.Polygon``, ``QgsProcessing.TypeVectorPolygon`` →
``Qgis.ProcessingSourceType.VectorPolygon``...). The old names still work on 3.44 as deprecated
aliases and are removed with Qt 6 / QGIS 4. ``QgsField`` takes ``QMetaType.Type`` from 3.38 and
warns on ``QVariant.Type``; ``QgsApplication.fontManager()`` exists from 3.28.

Public API (names are stable; add new ones here rather than version checks elsewhere):

Version
    ``QGIS_VERSION_INT`` (e.g. 32216), ``qgis_version() -> (major, minor, patch)``,
    ``qgis_at_least(major, minor, patch=0) -> bool``.
Geometry (``Qgis.GeometryType`` 3.30+, else ``QgsWkbTypes.GeometryType``)
    ``GEOMETRY_POINT``, ``GEOMETRY_LINE``, ``GEOMETRY_POLYGON``, ``GEOMETRY_NULL``,
    ``GEOMETRY_UNKNOWN``; ``geometry_type_name(geometry_type) -> "point"|"line"|"polygon"|...``.
WKB types (``Qgis.WkbType`` 3.30+, else ``QgsWkbTypes.Type``)
    ``WKB_POINT``, ``WKB_MULTIPOINT``, ``WKB_LINESTRING``, ``WKB_MULTILINESTRING``,
    ``WKB_POLYGON``, ``WKB_MULTIPOLYGON``, ``WKB_GEOMETRYCOLLECTION``, ``WKB_NOGEOMETRY``,
    ``WKB_UNKNOWN``.
Layers (``Qgis.LayerType`` 3.30+, else ``QgsMapLayerType``)
    ``LAYER_VECTOR``, ``LAYER_RASTER``; ``layer_type_is_vector(layer)``,
    ``layer_type_is_raster(layer)``; ``LAYER_FILTER_POINT|LINE|POLYGON`` for layer combo boxes.
Processing (``Qgis.Processing*`` 3.36+, else the class-level enums)
    ``SOURCE_VECTOR_ANY``, ``SOURCE_VECTOR_POINT``, ``SOURCE_VECTOR_LINE``,
    ``SOURCE_VECTOR_POLYGON``, ``SOURCE_VECTOR_ANY_GEOMETRY``, ``SOURCE_MAP_LAYER``;
    ``NUMBER_INTEGER``, ``NUMBER_DOUBLE``; ``FIELD_ANY``, ``FIELD_NUMERIC``, ``FIELD_STRING``;
    ``PARAM_FLAG_OPTIONAL``, ``PARAM_FLAG_ADVANCED``, ``PARAM_FLAG_HIDDEN``;
    ``ALG_FLAG_NO_THREADING``;
    ``SOURCE_FLAG_SKIP_GEOMETRY_VALIDITY_CHECKS``; ``GEOMETRY_NO_CHECK``;
    ``no_threading_flags(alg)``: the algorithm's base flags plus "no threading" (for ``flags()``).
Feature requests
    ``REQUEST_NO_GEOMETRY`` (``Qgis.FeatureRequestFlag`` 3.36+, else ``QgsFeatureRequest``).
Fields
    ``make_field(name, type_name, length=0, precision=0, alias="") -> QgsField`` with
    ``type_name`` in ``FIELD_TYPES`` ("string", "int", "int64", "double", "bool", "date",
    "datetime"): ``QMetaType`` on 3.38+, ``QVariant`` before (no deprecation warning on either).
Units and layouts (``Qgis.*Unit`` 3.30+, ``Qgis.PictureFormat``/``Qgis.LegendComponent`` 3.40)
    ``LAYOUT_UNIT_MM`` (alias ``layout_unit_mm``), ``LAYOUT_UNIT_POINTS``, ``RENDER_UNIT_MM``,
    ``RENDER_UNIT_POINTS``, ``DISTANCE_METERS``, ``DISTANCE_KILOMETERS``;
    ``page_orientation(landscape: bool)``; ``PICTURE_FORMAT_SVG``, ``PICTURE_FORMAT_RASTER``;
    ``LEGEND_TITLE``, ``LEGEND_GROUP``, ``LEGEND_SUBGROUP``, ``LEGEND_SYMBOL_LABEL``;
    ``TEXT_RENDER_ALWAYS_TEXT``, ``TEXT_RENDER_ALWAYS_OUTLINES``.
Fonts
    ``font_families() -> list``, ``font_family_available(name) -> bool``; ``add_font_replacement(original, replacement)
    -> bool`` (``QgsFontManager``, 3.28+; returns False and does nothing before).
Geometry repair
    ``make_valid(geometry, structure=False) -> QgsGeometry``: GEOS ``makeValid``; with
    ``structure`` the "structure" method (3.28+, keeps areas, drops collapsed parts) where
    available, else the default "linework" method.
Methods deprecated on 3.44 (they warn there and go in QGIS 4)
    ``null_rectangle() -> QgsRectangle``: an empty extent to grow with ``combineExtentWith``
    (``setNull`` 3.34+, ``setMinimal`` before);
    ``parameter_as_strings(alg, parameters, name, context) -> list`` (field lists:
    ``parameterAsStrings`` 3.32+, ``parameterAsFields`` before);
    ``save_style_to_database(layer, name, description, use_as_default=True) -> str`` (error
    message, "" when saved: ``saveStyleToDatabaseV2`` 3.40+, ``saveStyleToDatabase`` before);
    ``layer_attribution(layer) -> str`` (``serverProperties().attribution()`` 3.38+).
Coordinate reference systems
    ``crs_description(crs) -> str``: the CRS name as 3.22 shows it; the newer EPSG database of
    3.44 (PROJ 9) names datum ensembles first: "ETRS89-FRA [RGF93 v1] / Lambert-93" becomes
    "RGF93 v1 / Lambert-93", the name French maps print.
Qt
    ``exec_dialog(dialog) -> int``: ``exec()`` (``exec_`` is gone in PyQt 6).

Not wrapped because they are the same from 3.22 to 3.44: ``QgsVectorFileWriter.
writeAsVectorFormatV3`` (3.20+, use it; V2 is deprecated), ``Qgis.MessageLevel`` (``Qgis.Info``,
``Qgis.Warning``...), ``QgsFeatureSink.Flag.FastInsert``, ``QgsLayoutItemPage.Orientation``.
Qt enums are written in their scoped form (``Qt.AlignmentFlag.AlignLeft``): PyQt 5.15 accepts
it, PyQt 6 requires it (``scripts/check_qt6.py`` enforces this in ``make lint``).
"""

from __future__ import annotations

import re
from typing import Tuple

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsFeatureRequest,
    QgsField,
    QgsGeometry,
    QgsLayoutItemPage,
    QgsLayoutItemPicture,
    QgsLegendStyle,
    QgsMapLayerProxyModel,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingFeatureSource,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsRectangle,
    QgsRenderContext,
    QgsUnitTypes,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QMetaType
from qgis.PyQt.QtGui import QFontDatabase

try:  # QgsMapLayerType is the 3.22 name; 3.30+ has Qgis.LayerType (QGIS 4 drops the old one)
    from qgis.core import QgsMapLayerType  # qt6: ok (3.22 fallback)
except ImportError:  # pragma: no cover - QGIS 4
    QgsMapLayerType = None

# --- version -------------------------------------------------------------------------------

QGIS_VERSION_INT: int = Qgis.QGIS_VERSION_INT


def qgis_version() -> Tuple[int, int, int]:
    """(major, minor, patch) of the running QGIS, e.g. (3, 22, 16)."""
    v = QGIS_VERSION_INT
    return v // 10000, (v // 100) % 100, v % 100


def qgis_at_least(major: int, minor: int, patch: int = 0) -> bool:
    return QGIS_VERSION_INT >= major * 10000 + minor * 100 + patch


def _pick(new: str, old_owner, old_name: str):
    """``Qgis.<new>`` (dotted, e.g. "WkbType.Polygon") when this QGIS has it, else
    ``old_owner.old_name``. Feature detection, not version numbers: backports and QGIS 4
    resolve correctly."""
    obj = Qgis
    try:
        for part in new.split("."):
            obj = getattr(obj, part)
        return obj
    except AttributeError:
        return getattr(old_owner, old_name)


# --- geometry and WKB types (Qgis.GeometryType / Qgis.WkbType: 3.30) ------------------------

GEOMETRY_POINT = _pick("GeometryType.Point", QgsWkbTypes, "PointGeometry")
GEOMETRY_LINE = _pick("GeometryType.Line", QgsWkbTypes, "LineGeometry")
GEOMETRY_POLYGON = _pick("GeometryType.Polygon", QgsWkbTypes, "PolygonGeometry")
GEOMETRY_NULL = _pick("GeometryType.Null", QgsWkbTypes, "NullGeometry")
GEOMETRY_UNKNOWN = _pick("GeometryType.Unknown", QgsWkbTypes, "UnknownGeometry")

_GEOMETRY_NAMES = {
    int(GEOMETRY_POINT): "point",
    int(GEOMETRY_LINE): "line",
    int(GEOMETRY_POLYGON): "polygon",
    int(GEOMETRY_NULL): "null",
    int(GEOMETRY_UNKNOWN): "unknown",
}


def geometry_type_name(geometry_type) -> str:
    """ "point", "line", "polygon", "null" or "unknown" for a layer's ``geometryType()``."""
    return _GEOMETRY_NAMES.get(int(geometry_type), "unknown")


WKB_POINT = _pick("WkbType.Point", QgsWkbTypes, "Point")
WKB_MULTIPOINT = _pick("WkbType.MultiPoint", QgsWkbTypes, "MultiPoint")
WKB_LINESTRING = _pick("WkbType.LineString", QgsWkbTypes, "LineString")
WKB_MULTILINESTRING = _pick("WkbType.MultiLineString", QgsWkbTypes, "MultiLineString")
WKB_POLYGON = _pick("WkbType.Polygon", QgsWkbTypes, "Polygon")
WKB_MULTIPOLYGON = _pick("WkbType.MultiPolygon", QgsWkbTypes, "MultiPolygon")
WKB_GEOMETRYCOLLECTION = _pick("WkbType.GeometryCollection", QgsWkbTypes, "GeometryCollection")
WKB_NOGEOMETRY = _pick("WkbType.NoGeometry", QgsWkbTypes, "NoGeometry")
WKB_UNKNOWN = _pick("WkbType.Unknown", QgsWkbTypes, "Unknown")

# --- layers (Qgis.LayerType: 3.30; Qgis.LayerFilter: 3.34) ----------------------------------

LAYER_VECTOR = _pick("LayerType.Vector", QgsMapLayerType, "VectorLayer")
LAYER_RASTER = _pick("LayerType.Raster", QgsMapLayerType, "RasterLayer")
LAYER_FILTER_POINT = _pick("LayerFilter.PointLayer", QgsMapLayerProxyModel, "PointLayer")
LAYER_FILTER_LINE = _pick("LayerFilter.LineLayer", QgsMapLayerProxyModel, "LineLayer")
LAYER_FILTER_POLYGON = _pick("LayerFilter.PolygonLayer", QgsMapLayerProxyModel, "PolygonLayer")


def layer_type_is_vector(layer) -> bool:
    """True for a vector layer (False for None, rasters, meshes...)."""
    return layer is not None and layer.type() == LAYER_VECTOR


def layer_type_is_raster(layer) -> bool:
    return layer is not None and layer.type() == LAYER_RASTER


# --- processing (Qgis.Processing*: 3.36) ----------------------------------------------------

SOURCE_VECTOR_ANY = _pick("ProcessingSourceType.Vector", QgsProcessing, "TypeVector")
SOURCE_VECTOR_ANY_GEOMETRY = _pick(
    "ProcessingSourceType.VectorAnyGeometry", QgsProcessing, "TypeVectorAnyGeometry"
)
SOURCE_VECTOR_POINT = _pick("ProcessingSourceType.VectorPoint", QgsProcessing, "TypeVectorPoint")
SOURCE_VECTOR_LINE = _pick("ProcessingSourceType.VectorLine", QgsProcessing, "TypeVectorLine")
SOURCE_VECTOR_POLYGON = _pick(
    "ProcessingSourceType.VectorPolygon", QgsProcessing, "TypeVectorPolygon"
)
SOURCE_MAP_LAYER = _pick("ProcessingSourceType.MapLayer", QgsProcessing, "TypeMapLayer")

NUMBER_INTEGER = _pick(
    "ProcessingNumberParameterType.Integer", QgsProcessingParameterNumber, "Integer"
)
NUMBER_DOUBLE = _pick(
    "ProcessingNumberParameterType.Double", QgsProcessingParameterNumber, "Double"
)

FIELD_ANY = _pick("ProcessingFieldParameterDataType.Any", QgsProcessingParameterField, "Any")
FIELD_NUMERIC = _pick(
    "ProcessingFieldParameterDataType.Numeric", QgsProcessingParameterField, "Numeric"
)
FIELD_STRING = _pick(
    "ProcessingFieldParameterDataType.String", QgsProcessingParameterField, "String"
)

PARAM_FLAG_OPTIONAL = _pick(
    "ProcessingParameterFlag.Optional", QgsProcessingParameterDefinition, "FlagOptional"
)
PARAM_FLAG_ADVANCED = _pick(
    "ProcessingParameterFlag.Advanced", QgsProcessingParameterDefinition, "FlagAdvanced"
)
PARAM_FLAG_HIDDEN = _pick(
    "ProcessingParameterFlag.Hidden", QgsProcessingParameterDefinition, "FlagHidden"
)

ALG_FLAG_NO_THREADING = _pick(
    "ProcessingAlgorithmFlag.NoThreading", QgsProcessingAlgorithm, "FlagNoThreading"
)

SOURCE_FLAG_SKIP_GEOMETRY_VALIDITY_CHECKS = _pick(
    "ProcessingFeatureSourceFlag.SkipGeometryValidityChecks",
    QgsProcessingFeatureSource,
    "FlagSkipGeometryValidityChecks",
)
GEOMETRY_NO_CHECK = _pick("InvalidGeometryCheck.NoCheck", QgsFeatureRequest, "GeometryNoCheck")
REQUEST_NO_GEOMETRY = _pick("FeatureRequestFlag.NoGeometry", QgsFeatureRequest, "NoGeometry")


def no_threading_flags(alg):
    """Flags for ``alg.flags()`` of an algorithm that must run in the main thread (it touches
    the project or widgets, or a library that is not thread safe)::

        def flags(self):
            return compat.no_threading_flags(self)

    Calls the base class implementation, so it is safe inside an overridden ``flags()``."""
    return QgsProcessingAlgorithm.flags(alg) | ALG_FLAG_NO_THREADING


# --- fields (QgsField takes QMetaType.Type from 3.38) ---------------------------------------


def _field_accepts_metatype() -> bool:
    try:
        QgsField("probe", QMetaType.Type.Int)
    except TypeError:
        return False
    return True


FIELD_USES_METATYPE = _field_accepts_metatype()

# type name -> (QMetaType.Type member, QVariant.Type member, OGR-style type name)
_FIELD_SPECS = {
    "string": ("QString", "String", "String"),
    "int": ("Int", "Int", "Integer"),
    "int64": ("LongLong", "LongLong", "Integer64"),
    "double": ("Double", "Double", "Real"),
    "bool": ("Bool", "Bool", "Boolean"),
    "date": ("QDate", "Date", "Date"),
    "datetime": ("QDateTime", "DateTime", "DateTime"),
}
FIELD_TYPES = tuple(_FIELD_SPECS)
_FIELD_ALIASES = {
    "str": "string",
    "text": "string",
    "integer": "int",
    "real": "double",
    "float": "double",
    "long": "int64",
    "boolean": "bool",
}


def _field_type(type_name: str):
    key = _FIELD_ALIASES.get(type_name.lower(), type_name.lower())
    if key not in _FIELD_SPECS:
        raise ValueError(f"unknown field type {type_name!r}; expected one of {FIELD_TYPES}")
    meta_name, variant_name, ogr_name = _FIELD_SPECS[key]
    if FIELD_USES_METATYPE:
        return getattr(QMetaType.Type, meta_name), ogr_name
    from qgis.PyQt.QtCore import QVariant  # qt6: ok (QGIS < 3.38 only)

    return getattr(QVariant, variant_name), ogr_name  # qt6: ok (QGIS < 3.38 only)


def make_field(
    name: str, type_name: str, length: int = 0, precision: int = 0, alias: str = ""
) -> QgsField:
    """A ``QgsField`` of a plain type ("string", "int", "int64", "double", "bool", "date",
    "datetime"), built the way this QGIS wants it (no deprecation warning on 3.38+)."""
    qtype, ogr_name = _field_type(type_name)
    field = QgsField(name, qtype, ogr_name, length, precision)
    if alias:
        field.setAlias(alias)
    return field


# --- units and layouts (Qgis.*Unit: 3.30; PictureFormat, LegendComponent: 3.40) -------------

LAYOUT_UNIT_MM = _pick("LayoutUnit.Millimeters", QgsUnitTypes, "LayoutMillimeters")
LAYOUT_UNIT_POINTS = _pick("LayoutUnit.Points", QgsUnitTypes, "LayoutPoints")
layout_unit_mm = LAYOUT_UNIT_MM  # the name used in early design notes
RENDER_UNIT_MM = _pick("RenderUnit.Millimeters", QgsUnitTypes, "RenderMillimeters")
RENDER_UNIT_POINTS = _pick("RenderUnit.Points", QgsUnitTypes, "RenderPoints")
DISTANCE_METERS = _pick("DistanceUnit.Meters", QgsUnitTypes, "DistanceMeters")
DISTANCE_KILOMETERS = _pick("DistanceUnit.Kilometers", QgsUnitTypes, "DistanceKilometers")

PICTURE_FORMAT_SVG = _pick("PictureFormat.SVG", QgsLayoutItemPicture, "FormatSVG")
PICTURE_FORMAT_RASTER = _pick("PictureFormat.Raster", QgsLayoutItemPicture, "FormatRaster")

LEGEND_TITLE = _pick("LegendComponent.Title", QgsLegendStyle, "Title")
LEGEND_GROUP = _pick("LegendComponent.Group", QgsLegendStyle, "Group")
LEGEND_SUBGROUP = _pick("LegendComponent.Subgroup", QgsLegendStyle, "Subgroup")
LEGEND_SYMBOL_LABEL = _pick("LegendComponent.SymbolLabel", QgsLegendStyle, "SymbolLabel")

TEXT_RENDER_ALWAYS_TEXT = _pick(
    "TextRenderFormat.AlwaysText", QgsRenderContext, "TextFormatAlwaysText"
)
TEXT_RENDER_ALWAYS_OUTLINES = _pick(
    "TextRenderFormat.AlwaysOutlines", QgsRenderContext, "TextFormatAlwaysOutlines"
)


def page_orientation(landscape: bool):
    """``QgsLayoutItemPage.Orientation`` member (scoped access works from 3.22 to 3.44)."""
    orientation = QgsLayoutItemPage.Orientation
    return orientation.Landscape if landscape else orientation.Portrait


# --- fonts (QgsFontManager: 3.28) -----------------------------------------------------------


def font_families() -> list:
    """Installed font families, application fonts (QGIS user fonts) included."""
    try:
        return list(QFontDatabase.families())  # Qt 6: static
    except TypeError:
        return list(QFontDatabase().families())  # Qt 5: instance method


def font_family_available(name: str) -> bool:
    """True when the font family is installed (system or QGIS user fonts), case-insensitive.

    Not ``QgsFontUtils.fontFamilyOnSystem``: under the offscreen platform it answers True for
    any name, because Qt substitutes a fallback font."""
    if not name:
        return False
    wanted = name.strip().lower()
    return any(family.lower() == wanted for family in font_families())


def add_font_replacement(original: str, replacement: str) -> bool:
    """Map a missing font family to an installed one when projects or templates are read
    (``QgsFontManager``, QGIS 3.28+). Returns False, doing nothing, on older QGIS or before the
    QGIS application exists; callers then set the replacement font explicitly."""
    manager_getter = getattr(QgsApplication, "fontManager", None)
    if manager_getter is None:
        return False
    manager = manager_getter()
    if manager is None:
        return False
    manager.addFontFamilyReplacement(original, replacement)
    return True


# --- geometry repair (Qgis.MakeValidMethod: 3.28) -------------------------------------------


def make_valid(geometry: QgsGeometry, structure: bool = False) -> QgsGeometry:
    """GEOS ``makeValid``. ``structure=True`` asks for the "structure" method (3.28+ with GEOS
    3.10+: keeps the polygon areas, drops collapsed parts) and falls back to the default
    "linework" method on older QGIS. Compare results by area/validity, not WKT: vertex order
    differs between GEOS versions."""
    method_enum = getattr(Qgis, "MakeValidMethod", None)
    if structure and method_enum is not None:
        repaired = geometry.makeValid(method_enum.Structure, False)
        if not repaired.isNull() or geometry.isNull():
            return repaired
    return geometry.makeValid()


# --- methods deprecated on 3.44 ------------------------------------------------------------


def null_rectangle() -> QgsRectangle:
    """An empty extent, to be grown with ``combineExtentWith`` (a default ``QgsRectangle`` is
    the point 0,0 on 3.22 and would pull every union to the origin)."""
    rect = QgsRectangle()
    if hasattr(rect, "setNull"):
        rect.setNull()
    else:
        rect.setMinimal()  # qt6: ok (QGIS < 3.34 only)
    return rect


def parameter_as_strings(alg, parameters, name, context) -> list:
    """Field names of a multiple ``QgsProcessingParameterField`` (or any string list)."""
    if hasattr(alg, "parameterAsStrings"):
        return list(alg.parameterAsStrings(parameters, name, context))
    return list(alg.parameterAsFields(parameters, name, context))  # qt6: ok (QGIS < 3.32)


def save_style_to_database(layer, name: str, description: str, use_as_default=True) -> str:
    """Store the layer's style in its data source (GeoPackage...). Returns the error message,
    "" when it was saved."""
    if hasattr(layer, "saveStyleToDatabaseV2"):
        result = layer.saveStyleToDatabaseV2(name, description, use_as_default, "")
        return result[1] if isinstance(result, tuple) else ""
    return layer.saveStyleToDatabase(name, description, use_as_default, "") or ""  # qt6: ok


def layer_attribution(layer) -> str:
    """The layer's attribution text (server properties from 3.38, the layer before)."""
    if hasattr(layer, "serverProperties") and hasattr(layer.serverProperties(), "attribution"):
        return layer.serverProperties().attribution() or ""
    return layer.attribution() or ""  # qt6: ok (QGIS < 3.38)


# --- coordinate reference systems ----------------------------------------------------------

# "ETRS89-FRA [RGF93 v1] / Lambert-93": the name in brackets is the one users know.
_ENSEMBLE_MEMBER = re.compile(r"^[^\[\]/]+\[([^\]]+)\]\s*(?=/|$)")


def crs_description(crs) -> str:
    """Name of the CRS as French maps print it, the same on 3.22 and 3.44."""
    description = crs.description() or crs.authid()
    # The lookahead leaves "/ Lambert-93" in place: keep one space before it.
    return _ENSEMBLE_MEMBER.sub(lambda m: m.group(1) + " ", description, count=1).strip()


# --- Qt -------------------------------------------------------------------------------------


def exec_dialog(dialog) -> int:
    """Run a modal dialog; ``exec()`` exists in PyQt 5.15 and is the only name in PyQt 6."""
    return dialog.exec()
