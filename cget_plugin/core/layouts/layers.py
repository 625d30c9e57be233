"""The layers of a map and their legend.

Roles: base layers (tiles, rasters, administrative outlines, or a layer whose
``cget/layout_role`` property says "base") are drawn under the thematic ones and grouped under
« Fond de carte » in the legend; thematic layers come first. Names in the legend read as words
(the dataset and vintage of the provenance rather than a file name). The legend is kept inside
its panel (docs/map-conventions.md §6).
"""

from __future__ import annotations

import re

from qgis.core import QgsLayoutPoint, QgsLayoutSize

from ... import compat as qc
from .. import provenance as prov_mod
from ..definitions import (
    CODE_FIELD_CANDIDATES,
    MM_PER_POINT,
    NAME_FIELD_CANDIDATES,
    PROPERTY_LAYOUT_ROLE,
    first_field,
)
from ..errors import InputError
from ..i18n import tr
from . import qgis_compat as compat
from .spec import AVERAGE_GLYPH_WIDTH_RATIO, COLOURS, MIN_TYPE_PT, PAGE_TEXT
from .text_fit import item_rect, wrap_words

_FILE_SUFFIX = re.compile(r"\.(gpkg|shp|geojson|json|csv|tif|tiff|fgb|sqlite|kml|osm)$", re.I)
#: Room a legend entry needs besides its text: symbol and spacing (mm).
LEGEND_SYMBOL_ROOM_MM = 12.0
#: Narrowest legend column worth adding when the legend is too tall (mm).
LEGEND_MIN_COLUMN_MM = 38.0
LEGEND_FIT_ATTEMPTS = 13  # columns, one split of the layers, then smaller type


def is_base_layer(layer) -> bool:
    role = str(layer.customProperty(PROPERTY_LAYOUT_ROLE, "") or "")
    if role:
        return role == "base"
    if not qc.layer_type_is_vector(layer):
        return True  # tiles, WMS, orthophotos, rasters
    prov = prov_mod.read_from_layer(layer)
    if prov is not None and prov.parameters.get("layout_role") in ("base", "thematic"):
        return prov.parameters["layout_role"] == "base"
    return bool(prov and "admin express" in prov.dataset.lower())


def _file_like(name: str) -> bool:
    """ "qpv2015_occitanie", "communes_31.gpkg", "qpv2015": names of files, not words."""
    return bool(
        _FILE_SUFFIX.search(name)
        or "_" in name
        or (" " not in name and (name.islower() or re.search(r"\d", name)))
    )


def readable_name(layer) -> str:
    """Name for the legend: the French name the plugin gave its output (while the user has not
    renamed the layer), the layer name when it reads as words, else the dataset."""
    name = (layer.name() or "").strip()
    prov = prov_mod.read_from_layer(layer)
    given = prov.parameters if prov is not None else {}
    if given.get("map_name") and name == given.get("layer_name"):
        return str(given["map_name"])
    if name and not _file_like(name):
        return name
    if prov is not None and prov.dataset:
        if not prov.vintage or prov.vintage in prov.dataset:
            return prov.dataset
        if re.fullmatch(r"[A-Za-z ]*\d{4}", prov.vintage):
            return f"{prov.dataset} {prov.vintage}"
        return f"{prov.dataset} ({prov.vintage})"
    title = layer.metadata().title().strip()
    if title:
        return title
    stem = re.sub(r"\.\w{2,5}$", "", name)
    stem = re.sub(r"[_\-]+", " ", stem).strip()
    return stem[:1].upper() + stem[1:] if stem else tr("Layer", on_map=True)


def _geometry_rank(layer) -> int:
    if not qc.layer_type_is_vector(layer):
        return 3
    return {
        qc.GEOMETRY_POINT: 0,
        qc.GEOMETRY_LINE: 1,
        qc.GEOMETRY_POLYGON: 2,
    }.get(layer.geometryType(), 0)


def order_layers(layers, project) -> list:
    """Top-most first: the project's layer order, then points over lines over polygons."""
    tree_order = [lyr.id() for lyr in project.layerTreeRoot().layerOrder()]
    position = {layer_id: i for i, layer_id in enumerate(tree_order)}
    unique = list({layer.id(): layer for layer in layers if layer is not None}.values())
    return sorted(
        unique,
        key=lambda lyr: (
            position.get(lyr.id(), len(position)),
            _geometry_rank(lyr) if lyr.id() not in position else 0,
        ),
    )


def visible_layers(project) -> list:
    root = project.layerTreeRoot()
    return [
        node.layer()
        for node in root.findLayers()
        if node.layer() is not None and node.isVisible() and node.layer().isSpatial()
    ]


def map_layers(request, project) -> list:
    """The layers the map draws, top-most first, base layers always under the thematic ones."""
    layers = [
        lyr
        for lyr in (request.layers or [])
        if lyr is not None and lyr.isValid() and lyr.isSpatial()  # tables are not drawn
    ]
    if request.atlas_layer is not None and request.atlas_layer not in layers:
        layers.append(request.atlas_layer)
    if not layers:
        raise InputError(
            tr(
                "No visible layer to put on the map. Tick at least one layer in the Layers "
                "panel, or pass LAYERS."
            )
        )
    layers = order_layers(layers, project)
    thematic, base = split_roles(layers)
    return thematic + base


def split_roles(layers):
    """(thematic layers, base layers), each in the given order."""
    return (
        [lyr for lyr in layers if not is_base_layer(lyr)],
        [lyr for lyr in layers if is_base_layer(lyr)],
    )


def detect_fields(layer):
    """(code field, name field) of an atlas layer, by the usual French field names."""
    names = [f.name() for f in layer.fields()]
    code = first_field(names, CODE_FIELD_CANDIDATES) or ""
    name = first_field(names, NAME_FIELD_CANDIDATES) or ""
    return code, name


# -- legend ------------------------------------------------------------------------------------
def _legend_text_styles(legend, family, sizes) -> None:
    for component, size, bold, colour in (
        (qc.LEGEND_TITLE, sizes["legend_title"], True, COLOURS["title"]),
        (qc.LEGEND_GROUP, sizes["legend_title"] - 1, True, COLOURS["title"]),
        (qc.LEGEND_SUBGROUP, sizes["legend_item"], True, COLOURS["text"]),
        (qc.LEGEND_SYMBOL_LABEL, sizes["legend_item"], False, COLOURS["text"]),
    ):
        compat.set_legend_style(legend, component, family, size, bold, colour)


def fill_legend(page, carte, layers, names) -> bool:
    """Thematic layers first, base layers in their own group, readable names wrapped to the
    column width; True when the legend fits its panel."""
    legend = page.item("legende")
    thematic, base = split_roles(layers)
    legend.setLinkedMap(carte)
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    column_w = legend.sizeWithUnits().width() / max(1, legend.columnCount())
    glyph_mm = page.sizes["legend_item"] * MM_PER_POINT * AVERAGE_GLYPH_WIDTH_RATIO
    chars = int((column_w - LEGEND_SYMBOL_ROOM_MM) / glyph_mm)
    for lyr in thematic:
        node = root.addLayer(lyr)
        node.setCustomProperty("legend/title-label", wrap_words(names[lyr.id()], chars))
    if base:
        group = root.addGroup(PAGE_TEXT["base_group"])
        for lyr in base:
            node = group.addLayer(lyr)
            node.setCustomProperty("legend/title-label", wrap_words(names[lyr.id()], chars))
    legend.setTitle(PAGE_TEXT["legend"])
    legend.setLegendFilterByMapEnabled(True)
    legend.setWrapString("\n")
    legend.setSymbolWidth(7 if page.paper == "A4" else 9)
    legend.setSymbolHeight(4 if page.paper == "A4" else 5)
    legend.setMaximumSymbolSize(8)
    if page.shipped:
        _legend_text_styles(legend, page.family, page.sizes)
    if hasattr(legend, "updateFilterByMap"):
        legend.updateFilterByMap(False)
    legend.refresh()
    return fit_legend(legend, page.family, page.sizes, page.shipped)


def fit_legend(legend, family, sizes, shipped) -> bool:
    """Keep the legend inside its panel (docs/map-conventions.md §6, QGIS #53263): more
    columns, then smaller items (never under 6 pt). True when it fits."""
    x, y, w, h = item_rect(legend)

    def content_size():
        legend.setResizeToContents(True)
        legend.adjustBoxSize()
        size = legend.sizeWithUnits()
        return size.width(), size.height()

    # a layer's classes stay together in one column, as on published maps, unless the
    # legend cannot fit otherwise
    legend.setSplitLayer(False)
    max_columns = max(1, int(w // LEGEND_MIN_COLUMN_MM))
    item_pt = float(sizes["legend_item"])
    fits = False
    for _attempt in range(LEGEND_FIT_ATTEMPTS):
        cw, ch = content_size()
        if cw <= w + 0.5 and ch <= h + 0.5:
            fits = True
            break
        if ch > h and legend.columnCount() < max_columns:
            legend.setColumnCount(legend.columnCount() + 1)
            continue
        if ch > h and not legend.splitLayer():
            legend.setSplitLayer(True)
            continue
        if not shipped or item_pt <= MIN_TYPE_PT:
            break
        item_pt -= 0.5
        compat.set_legend_style(
            legend, qc.LEGEND_SYMBOL_LABEL, family, item_pt, False, COLOURS["text"]
        )
        compat.set_legend_style(legend, qc.LEGEND_SUBGROUP, family, item_pt, True, COLOURS["text"])
        legend.setSymbolHeight(max(2.5, legend.symbolHeight() - 0.3))
    # The panel keeps its place and size: a legend never spills over the sources line.
    legend.setResizeToContents(False)
    legend.attemptResize(QgsLayoutSize(w, h, compat.millimetres()))
    legend.attemptMove(QgsLayoutPoint(x, y, compat.millimetres()))
    return fits
