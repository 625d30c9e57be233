"""Where the map looks and in which CRS: the extent from the request (atlas layer, drawn
extent, or the thematic layers), the CRS of the territory (docs/map-conventions.md §4.6), the
frame's aspect ratio, a round scale.

Coordinates are transformed with the transform context the caller got from its Processing
context (never the global project's).
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsRectangle,
    QgsVectorLayer,
)

from ... import compat as qc
from ..definitions import WEB_MERCATOR, WGS84, official_crs_area
from ..errors import InputError
from ..i18n import tr
from .layers import is_base_layer
from .spec import nice_scale

#: White margin around the subject of the map, as a fraction of its width and height.
MARGIN_RATIO = 0.05
#: Ground kept around a single point (or points on a line), in map units (metres).
POINT_GROUND_M = 500.0
#: An atlas page's neighbourhood where layers count as seen (fraction of the atlas extent).
ATLAS_VIEW_RATIO = 0.2
#: An atlas feature is framed with this margin around it.
ATLAS_MARGIN = 0.15
#: The ground width of an atlas page is about its feature's size plus the atlas margins.
ATLAS_PAGE_GROWTH = 1.3


@dataclass
class Frame:
    """The subject of the map in the map CRS."""

    rect: QgsRectangle
    crs: QgsCoordinateReferenceSystem
    transform_context: QgsCoordinateTransformContext

    def transform(self, rect: QgsRectangle, src, dst) -> QgsRectangle:
        if src == dst:
            return QgsRectangle(rect)
        return QgsCoordinateTransform(src, dst, self.transform_context).transformBoundingBox(rect)

    def to_map(self, rect: QgsRectangle, src) -> QgsRectangle:
        return self.transform(rect, src, self.crs)


def territory_crs(lon: float, lat: float) -> QgsCoordinateReferenceSystem:
    """The official CRS where France has one (Lambert-93, the overseas UTM systems); elsewhere
    Web Mercator, the map the user's basemap tiles already use, rather than a UTM zone that
    nobody outside the surveyors there would recognise."""
    area, authid = official_crs_area(lon, lat)
    return QgsCoordinateReferenceSystem(WEB_MERCATOR if area.startswith("utm") else authid)


def choose_crs(project, rect, rect_crs, transform_context) -> QgsCoordinateReferenceSystem:
    """The project CRS when it is a deliberate projected one; else the territory's (§4.6)."""
    pcrs = project.crs()
    if pcrs.isValid() and not pcrs.isGeographic() and pcrs.authid() != WEB_MERCATOR:
        return pcrs
    wgs84 = QgsCoordinateReferenceSystem(WGS84)
    if rect_crs != wgs84:
        rect = QgsCoordinateTransform(rect_crs, wgs84, transform_context).transformBoundingBox(rect)
    center = rect.center()
    return territory_crs(center.x(), center.y())


def layers_extent(layers, crs, transform_context) -> QgsRectangle:
    out = qc.null_rectangle()
    for layer in layers:
        ext = layer.extent()
        if not ext.isFinite() or (ext.isNull() and ext.width() == 0):
            continue
        try:
            if layer.crs() != crs:
                ext = QgsCoordinateTransform(
                    layer.crs(), crs, transform_context
                ).transformBoundingBox(ext)
        except Exception:  # a layer without CRS is simply left out
            continue
        if ext.isFinite():
            out.combineExtentWith(ext)
    return out


def has_content_in(layer, rect: QgsRectangle, crs, transform_context) -> bool:
    """True when ``layer`` draws something inside ``rect`` (map CRS); rasters: extent overlap."""
    try:
        local = (
            QgsCoordinateTransform(crs, layer.crs(), transform_context).transformBoundingBox(rect)
            if layer.crs() != crs
            else rect
        )
    except Exception:  # no usable CRS: keep the layer rather than drop a source
        return True
    if not isinstance(layer, QgsVectorLayer):
        return layer.extent().intersects(local)
    from qgis.core import QgsFeatureRequest

    request = QgsFeatureRequest().setFilterRect(local).setLimit(1)
    request.setNoAttributes()
    return next(layer.getFeatures(request), None) is not None


def padded(rect: QgsRectangle, ratio: float) -> QgsRectangle:
    dx, dy = rect.width() * ratio, rect.height() * ratio
    return QgsRectangle(
        rect.xMinimum() - dx, rect.yMinimum() - dy, rect.xMaximum() + dx, rect.yMaximum() + dy
    )


def fit_to_frame(rect: QgsRectangle, map_item) -> QgsRectangle:
    """``rect`` grown to the frame's aspect ratio, same centre (a template's map item may have
    an empty extent, which makes ``zoomToExtent`` produce NaN)."""
    size = map_item.sizeWithUnits()
    ratio = size.width() / size.height() if size.height() > 0 else 1.0
    w, h = rect.width(), rect.height()
    if w / h < ratio:
        w = h * ratio
    else:
        h = w / ratio
    c = rect.center()
    return QgsRectangle(c.x() - w / 2, c.y() - h / 2, c.x() + w / 2, c.y() + h / 2)


def _source_extent(request, layers, project, transform_context):
    """(rectangle, its CRS) the map must show, before any reprojection."""
    if request.atlas_layer is not None:
        if request.atlas_layer.featureCount() == 0:
            raise InputError(
                tr("The atlas layer « {name} » has no feature: there is no page to make.").format(
                    name=request.atlas_layer.name()
                )
            )
        return request.atlas_layer.extent(), request.atlas_layer.crs()
    if request.extent is not None and not request.extent.isNull():
        rect = QgsRectangle(request.extent)
        if rect.width() <= 0 or rect.height() <= 0:
            raise InputError(
                tr(
                    "The map extent has zero area ({w:g} × {h:g}). Draw an extent, or choose "
                    "a layer or territory to frame the map."
                ).format(w=rect.width(), h=rect.height())
            )
        return rect, request.extent_crs or project.crs()
    # The subject of the map frames it: thematic layers, not the base map around them.
    subject = [lyr for lyr in layers if not is_base_layer(lyr)] or layers
    crs = subject[0].crs()
    return layers_extent(subject, crs, transform_context), crs


def frame_request(request, layers, project, transform_context) -> Frame:
    """The map's subject in the CRS of its territory."""
    src_rect, src_crs = _source_extent(request, layers, project, transform_context)
    if src_rect.isNull() or not src_rect.isFinite():
        raise InputError(tr("The layers have no extent: they are empty or have no geometry."))
    crs = choose_crs(project, src_rect, src_crs, transform_context)
    frame = Frame(QgsRectangle(), crs, transform_context)
    rect = frame.to_map(src_rect, src_crs)
    if rect.width() <= 0 or rect.height() <= 0:
        if request.atlas_layer is None and request.extent is not None:
            raise InputError(tr("The map extent has zero area."))
        # a single point, or points on a line: give the map some ground around them
        rect = rect.buffered(max(POINT_GROUND_M, 0.1 * max(rect.width(), rect.height())))
    frame.rect = rect
    return frame


def place_map(carte, layers, frame: Frame) -> float:
    """The main map: the layers, the CRS, a round scale over the padded extent."""
    carte.setCrs(frame.crs)
    carte.setLayers(layers)
    carte.setKeepLayerSet(True)
    carte.setKeepLayerStyles(False)
    carte.setExtent(fit_to_frame(padded(frame.rect, MARGIN_RATIO), carte))
    scale = nice_scale(carte.scale())
    carte.setScale(scale)
    return scale


def typical_width(atlas_layer, frame: Frame) -> float:
    """Ground width of a page: the map extent, or the first atlas feature's."""
    if atlas_layer is None:
        return frame.rect.width()
    feature = next(atlas_layer.getFeatures(), None)
    if feature is None or not feature.hasGeometry():
        return frame.rect.width()
    box = frame.to_map(feature.geometry().boundingBox(), atlas_layer.crs())
    return max(box.width(), box.height()) * ATLAS_PAGE_GROWTH


def view_of(carte, atlas_layer, frame: Frame) -> QgsRectangle:
    """What the reader sees: the map's extent, or around the atlas features."""
    if atlas_layer is None:
        return QgsRectangle(carte.extent())
    return padded(frame.rect, ATLAS_VIEW_RATIO)
