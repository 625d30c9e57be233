"""The situation map (``carte_situation``): the main map's extent framed in red on its wider
territory."""

from __future__ import annotations

from qgis.core import QgsFillSymbol, QgsLayoutItemMap, QgsRectangle

from ... import compat as qc
from .framing import fit_to_frame, layers_extent, padded
from .spec import COLOURS, PAGE_TEXT

#: An overview is worth its place when its territory is this much larger than the map's.
MIN_CONTEXT_AREA_RATIO = 2.5
OVERVIEW_MARGIN = 0.05


def extent_frame_symbol() -> QgsFillSymbol:
    """The main map's extent on the overview: a Rouge Marianne frame (§3.6)."""
    return QgsFillSymbol.createSimple(
        {
            "color": "0,0,0,0",
            "style": "no",
            "outline_color": COLOURS["rouge_marianne"],
            "outline_width": "0.6",
            "outline_width_unit": "MM",
        }
    )


def _context(layers, atlas_layer, frame):
    """(layers, extent) of the territory around the map; ([], empty) when none is wider."""
    polygons = [
        lyr
        for lyr in list(layers) + ([atlas_layer] if atlas_layer is not None else [])
        if lyr is not None
        and qc.layer_type_is_vector(lyr)
        and lyr.geometryType() == qc.GEOMETRY_POLYGON
    ]
    tc = frame.transform_context
    # the widest polygon layer (communes, départements) gives the territory around the map
    polygons.sort(key=lambda lyr: -layers_extent([lyr], frame.crs, tc).area())
    wide_enough = MIN_CONTEXT_AREA_RATIO * frame.rect.area()
    context_layers, context = [], QgsRectangle()
    for candidate in ([polygons[0]] if polygons else []) + [None]:
        chosen = [candidate] if candidate is not None else list(layers)
        ext = layers_extent(chosen, frame.crs, tc)
        if not ext.isNull() and ext.width() > 0 and ext.height() > 0:
            context_layers, context = chosen, ext
            if atlas_layer is not None or ext.area() > wide_enough:
                break
    if not context_layers or (atlas_layer is None and context.area() <= wide_enough):
        return [], QgsRectangle()
    return context_layers, context


def _from_surroundings(found, frame):
    """(layers, extent) of the overview from the shipped outlines around the territory."""
    if found is None or found.overview_extent is None:
        return [], QgsRectangle()
    extent = frame.to_map(found.overview_extent, found.background.crs())
    return [found.background], extent


def place_overview(page, carte, layers, atlas_layer, frame, found=None) -> None:
    """Frame the main extent in red on a map of its wider territory: the région or the
    département from the shipped outlines (``found``), else the widest polygon layer of the
    map; hidden when pointless (a France-wide map)."""
    situation = page.item("carte_situation")
    if situation is None or not isinstance(situation, QgsLayoutItemMap):
        return
    context_layers, context = _from_surroundings(found, frame)
    if not context_layers and found is None:
        context_layers, context = _context(layers, atlas_layer, frame)
    if not context_layers:
        situation.setVisibility(False)
        return
    situation.setCrs(frame.crs)
    situation.setLayers(context_layers)
    situation.setKeepLayerSet(True)
    situation.setExtent(fit_to_frame(padded(context, OVERVIEW_MARGIN), situation))
    overviews = situation.overviews()
    overview = overviews.overview(0) if overviews.size() else None
    if overview is None:
        from qgis.core import QgsLayoutItemMapOverview

        overview = QgsLayoutItemMapOverview(PAGE_TEXT["legend"], situation)
        overviews.addOverview(overview)
    overview.setLinkedMap(carte)
    overview.setEnabled(True)
    overview.setFrameSymbol(extent_frame_symbol())
    situation.setVisibility(True)
