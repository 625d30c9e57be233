"""MapSpec + layers -> a named QgsPrintLayout, from ``resources/layouts/*.qpt`` (or the user's).

The template's item ids are the contract (layout-conventions.md §2). The builder fills them from
the data: visible layers in the map and the legend (thematic first, base layers in their own
group, readable names), the sources line compiled from layer provenance, projection, réalisation,
an overview map framing the extent in red, a round scale, the official bloc-marque or, without
one, a grey placeholder and a PROJET mark. The layout is added to the project so the
cartographer can still edit it by hand. No file is written here (see ``export.py``).
"""

from __future__ import annotations

import os
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import List, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsExpressionContextUtils,
    QgsFillSymbol,
    QgsLayoutItem,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutItemShape,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsPrintLayout,
    QgsProject,
    QgsReadWriteContext,
    QgsRectangle,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QImageReader
from qgis.PyQt.QtXml import QDomDocument

from ... import compat as qc
from .. import provenance as prov_mod
from ..errors import InputError
from ..i18n import tr
from ..paths import resource
from . import qgis_compat as compat
from .fonts import FontChoice, choose_family, installed_families
from .sources import Credits, credits_for_layers, projection_line, realisation_line
from .spec import (
    COLOURS,
    DRAFT_MARK_ID,
    PAGE_KEY_ID,
    PAGE_TEXT,
    PLACEHOLDER_ID,
    REQUIRED_IDS,
    TYPE_SCALE,
    MapSpec,
    missing_for_final,
    nice_scale,
    orientation_for,
    pixels_needed,
    round_segment,
    template_file_name,
)

SETTINGS_PREFIX = "cget/layout/"
PROJECT_TEMPLATE_VARIABLE = "cget_layout_template"
ROLE_PROPERTY = "cget/layout_role"  # "base" or "thematic" on a layer overrides the guess
MARGIN_RATIO = 0.05
NORTH_ARROW = ":/images/north_arrows/layout_default_north_arrow.svg"
IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg"}

CODE_FIELDS = ("code", "code_qp", "code_insee", "insee_com", "code_commune", "siren", "insee")
NAME_FIELDS = ("nom", "nom_qp", "lib_qp", "nom_commune", "lib_com", "libelle", "name", "nom_epci")

# §4.6: CRS of each territory, by a lon/lat box of the map centre.
TERRITORY_CRS = (
    ((-5.8, 41.0, 10.0, 51.5), "EPSG:2154"),  # metropolitan France and Corsica
    ((-63.5, 14.0, -60.5, 18.5), "EPSG:5490"),  # Guadeloupe, Martinique
    ((-55.0, 1.5, -51.0, 6.0), "EPSG:2972"),  # Guyane
    ((55.0, -21.5, 56.0, -20.8), "EPSG:2975"),  # La Réunion
    ((44.8, -13.2, 45.4, -12.5), "EPSG:4471"),  # Mayotte
)


@dataclass
class MapRequest:
    spec: MapSpec
    layers: list  # layers to show, any order (the project's layer order wins)
    extent: Optional[QgsRectangle] = None
    extent_crs: Optional[QgsCoordinateReferenceSystem] = None
    atlas_layer: Optional[QgsVectorLayer] = None
    layout_name: str = ""


@dataclass
class BuildResult:
    layout: QgsPrintLayout
    paper: str
    orientation: str
    crs: QgsCoordinateReferenceSystem
    scale: float
    font: FontChoice
    credits: Credits
    legend_names: List[str]
    missing_for_final: List[str]
    warnings: List[str] = field(default_factory=list)
    atlas_count: int = 0
    logo_used: bool = False


# -- settings --------------------------------------------------------------------------------
def setting(key: str, default=""):
    return QgsSettings().value(SETTINGS_PREFIX + key, default)


def set_setting(key: str, value) -> None:
    QgsSettings().setValue(SETTINGS_PREFIX + key, value)


# -- template --------------------------------------------------------------------------------
def template_path(paper: str, orientation: str, override: str = "", project=None) -> Path:
    """The user's template (parameter, project variable, settings) or the shipped one."""
    candidates = [override]
    if project is not None:
        scope = QgsExpressionContextUtils.projectScope(project)
        candidates.append(scope.variable(PROJECT_TEMPLATE_VARIABLE) or "")
    candidates.append(setting("template", ""))
    for candidate in candidates:
        if candidate:
            path = Path(str(candidate)).expanduser()
            if not path.is_file():
                raise InputError(
                    tr(
                        "The layout template {path} does not exist. Choose an existing .qpt "
                        "file or clear the template setting to use the plugin's templates."
                    ).format(path=path)
                )
            return path
    return resource("layouts", template_file_name(paper, orientation))


def load_template(path: Path, project) -> QgsPrintLayout:
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    doc = QDomDocument()
    try:
        content = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            tr("Cannot read the layout template {path}: {error}").format(path=path, error=exc)
        ) from None
    if not doc.setContent(content)[0]:
        raise InputError(
            tr("The layout template {path} is not a valid .qpt (XML) file.").format(path=path)
        )
    _items, ok = layout.loadFromTemplate(doc, QgsReadWriteContext())
    if not ok:
        raise InputError(tr("QGIS could not load the layout template {path}.").format(path=path))
    missing = [item_id for item_id in REQUIRED_IDS if layout.itemById(item_id) is None]
    if missing:
        raise InputError(
            tr(
                "The layout template {path} lacks the item id(s): {ids}. Give these ids to the "
                "matching items in the layout editor (Item properties > Id), or use the "
                "plugin's templates."
            ).format(path=path, ids=", ".join(missing))
        )
    wrong = [
        item_id
        for item_id, cls in (
            ("carte", QgsLayoutItemMap),
            ("legende", QgsLayoutItemLegend),
            ("echelle", QgsLayoutItemScaleBar),
            ("logo_etat", QgsLayoutItemPicture),
            ("titre", QgsLayoutItemLabel),
            ("sources", QgsLayoutItemLabel),
            ("realisation", QgsLayoutItemLabel),
        )
        if not isinstance(layout.itemById(item_id), cls)
    ]
    if wrong:
        raise InputError(
            tr("In the layout template {path}, these items have the wrong type: {ids}.").format(
                path=path, ids=", ".join(wrong)
            )
        )
    return layout


# -- logo ------------------------------------------------------------------------------------
def check_logo(path: str):
    """(is_svg, pixel width, pixel height; 0 for SVG). InputError when the file is missing or not an image."""
    p = Path(str(path)).expanduser()
    if not p.is_file():
        raise InputError(
            tr(
                "The bloc-marque file {path} does not exist. Choose the official SVG or PNG "
                "file of your prefecture (Réglages of the Cartes préfecture toolbar)."
            ).format(path=p)
        )
    suffix = p.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        raise InputError(
            tr(
                "The bloc-marque file {path} is not an SVG, PNG or JPEG image. Convert the "
                "official file (EPS, PDF, TIFF) to SVG or PNG at 300 dpi."
            ).format(path=p)
        )
    if suffix == ".svg":
        from qgis.PyQt.QtSvg import QSvgRenderer

        if not QSvgRenderer(str(p)).isValid():
            raise InputError(tr("The SVG file {path} cannot be read.").format(path=p))
        return True, 0, 0
    reader = QImageReader(str(p))
    size = reader.size()
    if not reader.canRead() or size.width() <= 0:
        raise InputError(tr("The bloc-marque file {path} is not a readable image.").format(path=p))
    return False, size.width(), size.height()


# -- layers ----------------------------------------------------------------------------------
def is_base_layer(layer) -> bool:
    role = str(layer.customProperty(ROLE_PROPERTY, "") or "")
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
        re.search(r"\.(gpkg|shp|geojson|json|csv|tif|tiff|fgb|sqlite|kml|osm)$", name, re.I)
        or "_" in name
        or (" " not in name and (name.islower() or re.search(r"\d", name)))
    )


def readable_name(layer) -> str:
    """Name for the legend: the layer name when it reads as words, else the dataset."""
    name = (layer.name() or "").strip()
    if name and not _file_like(name):
        return name
    prov = prov_mod.read_from_layer(layer)
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
    return stem[:1].upper() + stem[1:] if stem else tr("Layer")


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


# -- extent and CRS ----------------------------------------------------------------------------
def _to_wgs84(rect, crs, project):
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    if crs == wgs84:
        return rect
    return QgsCoordinateTransform(crs, wgs84, project).transformBoundingBox(rect)


def choose_crs(project, rect, rect_crs) -> QgsCoordinateReferenceSystem:
    """The project CRS when it is a deliberate projected one; else the territory's (§4.6)."""
    pcrs = project.crs()
    if pcrs.isValid() and not pcrs.isGeographic() and pcrs.authid() != "EPSG:3857":
        return pcrs
    center = _to_wgs84(rect, rect_crs, project).center()
    for (xmin, ymin, xmax, ymax), authid in TERRITORY_CRS:
        if xmin <= center.x() <= xmax and ymin <= center.y() <= ymax:
            return QgsCoordinateReferenceSystem(authid)
    return QgsCoordinateReferenceSystem("EPSG:3857")


def layers_extent(layers, crs, project) -> QgsRectangle:
    out = qc.null_rectangle()
    for layer in layers:
        ext = layer.extent()
        if not ext.isFinite() or (ext.isNull() and ext.width() == 0):
            continue
        try:
            if layer.crs() != crs:
                ext = QgsCoordinateTransform(layer.crs(), crs, project).transformBoundingBox(ext)
        except Exception:  # noqa: BLE001 - a layer without CRS is simply left out
            continue
        if ext.isFinite():
            out.combineExtentWith(ext)
    return out


def has_content_in(layer, rect: QgsRectangle, crs, project) -> bool:
    """True when ``layer`` draws something inside ``rect`` (map CRS); rasters: extent overlap."""
    try:
        local = (
            QgsCoordinateTransform(crs, layer.crs(), project).transformBoundingBox(rect)
            if layer.crs() != crs
            else rect
        )
    except Exception:  # noqa: BLE001 - no usable CRS: keep the layer rather than drop a source
        return True
    if not isinstance(layer, QgsVectorLayer):
        return layer.extent().intersects(local)
    from qgis.core import QgsFeatureRequest

    request = QgsFeatureRequest().setFilterRect(local).setLimit(1)
    request.setNoAttributes()
    return next(layer.getFeatures(request), None) is not None


def _round_segments(scalebar, scale: float) -> None:
    """Fixed segments of a round length filling at most the template's maximum bar width.
    QGIS's "fit width" mode only tries powers of ten and otherwise falls back to odd lengths
    (0 – 19 – 38 km on A4 portrait at 1:950 000). Atlas pages keep "fit width": their scale
    changes from page to page."""
    from qgis.core import QgsScaleBarSettings

    segments = max(1, scalebar.numberOfSegments())
    unit_m = 1000.0 if scalebar.units() == compat.kilometres() else 1.0
    mm_per_unit = unit_m * 1000.0 / scale
    scalebar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeFixed)
    scalebar.setUnitsPerSegment(round_segment(scalebar.maximumBarWidth() / segments / mm_per_unit))


def _padded(rect: QgsRectangle, ratio: float) -> QgsRectangle:
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


# -- items ------------------------------------------------------------------------------------
def _label(layout, item_id, text, rect, family, size, bold, color, halign, opacity=1.0):
    label = QgsLayoutItemLabel(layout)
    label.setId(item_id)
    label.setText(text)
    compat.set_label_text_style(label, family, size, bold, color)
    label.setHAlign(halign)
    label.setVAlign(Qt.AlignmentFlag.AlignVCenter)
    label.setMarginX(0.5)
    label.setMarginY(0)
    label.setReferencePoint(QgsLayoutItem.ReferencePoint.UpperLeft)
    layout.addLayoutItem(label)
    mm = compat.millimetres()
    label.attemptMove(QgsLayoutPoint(rect[0], rect[1], mm))
    label.attemptResize(QgsLayoutSize(rect[2], rect[3], mm))
    label.setItemOpacity(opacity)
    return label


def _item_rect(item):
    pos, size = item.positionWithUnits(), item.sizeWithUnits()
    return pos.x(), pos.y(), size.width(), size.height()


def text_width_mm(text: str, family: str, size_pt: float, bold: bool) -> float:
    """Printed width of the longest line. Measured on a 100 px font and scaled, as the layout
    engine does, so the result does not depend on the screen's dpi."""
    from qgis.PyQt.QtGui import QFontMetricsF

    font = compat.make_font(family, size_pt, bold)
    font.setPixelSize(100)
    metrics = QFontMetricsF(font)
    mm_per_px = size_pt * 25.4 / 72 / 100
    return max(metrics.horizontalAdvance(line) for line in text.split("\n")) * mm_per_px


def fit_font_size(text, item, family, size_pt, bold, max_lines=2, min_pt=None) -> float:
    """Largest size <= ``size_pt`` at which ``text`` fits the item on one line, or on
    ``max_lines`` lines within the item height (titles of long territory names)."""
    if "[%" in text:
        return size_pt
    _x, _y, w, h = _item_rect(item)
    min_pt = min_pt or max(7.0, round(size_pt * 0.65))
    size = float(size_pt)
    while size > min_pt and text_width_mm(text, family, size, bold) > w - 1:
        size -= 0.5
    if text_width_mm(text, family, size, bold) <= w - 1 or max_lines < 2:
        return size
    # two lines: the line height must fit the box
    size = float(size_pt)
    while size > 6 and (
        2 * size * 0.3528 * 1.25 > h or text_width_mm(text, family, size, bold) > 1.9 * (w - 1)
    ):
        size -= 0.5
    return size


def fit_credits(item, credits, other_lines, family, size_pt, layout):
    """Sources must all be printed: smaller type (never under 6 pt), then a taller box down to
    the page's bottom margin."""
    x, y, w, h = _item_rect(item)
    size = float(size_pt)
    while True:
        text = "\n".join(
            line
            for line in [wrap_at(credits.sources_line(), " ; ", w - 1, family, size, " ;")]
            + list(other_lines)
            if line
        )
        height = text.count("\n") + 1
        needed = height * size * 0.3528 * 1.25
        if needed <= h or size <= 6:
            break
        size -= 0.5
    item.setText(text)
    compat.set_label_text_style(item, family, size, False, COLOURS["text"])
    if needed > h:
        page_h = layout.pageCollection().page(0).pageSize().height()
        item.attemptResize(
            QgsLayoutSize(w, min(needed + 0.5, page_h - 5 - y), compat.millimetres())
        )


def wrap_at(text, sep, width_mm, family, size_pt, keep=""):
    """Break ``text`` into lines at ``sep`` (keeping ``keep`` at the end of a broken line) so
    that entries such as "INSEE – RP 2021" are never split across lines."""
    if not text or width_mm <= 0 or text_width_mm(text, family, size_pt, False) <= width_mm:
        return text
    parts = text.split(sep)
    lines, current = [], parts[0]
    for part in parts[1:]:
        candidate = current + sep + part
        if text_width_mm(candidate, family, size_pt, False) <= width_mm:
            current = candidate
        else:
            lines.append(current + keep)
            current = part
    lines.append(current)
    return "\n".join(lines)


def _wrap(text: str, width_chars: int) -> str:
    if width_chars < 12 or len(text) <= width_chars:
        return text
    return "\n".join(textwrap.wrap(text, width=width_chars, break_long_words=False))


def detect_fields(layer):
    """(code field, name field) of an atlas layer, by the usual French field names."""
    names = [f.name() for f in layer.fields()]
    lower = {n.lower(): n for n in names}
    code = next((lower[c] for c in CODE_FIELDS if c in lower), "")
    name = next((lower[c] for c in NAME_FIELDS if c in lower), "")
    return code, name


# -- the build -------------------------------------------------------------------------------
def build_layout(request: MapRequest, project=None, register: bool = True) -> BuildResult:
    """Build the layout; with ``register`` it is added to the project's layout manager under a
    unique name (a preview passes False and throws it away)."""
    project = project or QgsProject.instance()
    spec = request.spec
    warnings: List[str] = []

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
    # Base layers (tiles, administrative outlines) always under the thematic ones.
    layers = [lyr for lyr in layers if not is_base_layer(lyr)] + [
        lyr for lyr in layers if is_base_layer(lyr)
    ]

    # Extent, CRS, orientation
    if request.atlas_layer is not None:
        if request.atlas_layer.featureCount() == 0:
            raise InputError(
                tr("The atlas layer « {name} » has no feature: there is no page to make.").format(
                    name=request.atlas_layer.name()
                )
            )
        src_rect, src_crs = request.atlas_layer.extent(), request.atlas_layer.crs()
    elif request.extent is not None and not request.extent.isNull():
        src_rect = QgsRectangle(request.extent)
        src_crs = request.extent_crs or project.crs()
        if src_rect.width() <= 0 or src_rect.height() <= 0:
            raise InputError(
                tr(
                    "The map extent has zero area ({w:g} × {h:g}). Draw an extent, or choose "
                    "a layer or territory to frame the map."
                ).format(w=src_rect.width(), h=src_rect.height())
            )
    else:
        # The subject of the map frames it: thematic layers, not the base map around them.
        subject = [lyr for lyr in layers if not is_base_layer(lyr)] or layers
        src_crs = subject[0].crs()
        src_rect = layers_extent(subject, src_crs, project)
    if src_rect.isNull() or not src_rect.isFinite():
        raise InputError(tr("The layers have no extent: they are empty or have no geometry."))
    crs = choose_crs(project, src_rect, src_crs)
    rect = (
        QgsCoordinateTransform(src_crs, crs, project).transformBoundingBox(src_rect)
        if src_crs != crs
        else QgsRectangle(src_rect)
    )
    if rect.width() <= 0 or rect.height() <= 0:
        if request.atlas_layer is None and request.extent is not None:
            raise InputError(tr("The map extent has zero area."))
        # a single point, or points on a line: give the map some ground around them
        rect = rect.buffered(max(500.0, 0.1 * max(rect.width(), rect.height())))

    paper = spec.paper if spec.paper in ("A4", "A3") else "A4"
    orientation = spec.orientation or orientation_for(rect.width(), rect.height())

    # Template
    tpl_path = template_path(paper, orientation, spec.template, project)
    shipped = tpl_path.parent == resource("layouts")
    layout = load_template(tpl_path, project)
    if not shipped:
        page = layout.pageCollection().page(0)
        size = page.pageSize()
        orientation = "landscape" if size.width() > size.height() else "portrait"
        paper = "A3" if max(size.width(), size.height()) > 320 else "A4"
    sizes = TYPE_SCALE[(paper, orientation)]

    # Fonts: chosen on purpose and reported
    font = choose_family()
    if font.note:
        warnings.append(font.note)
    if font.is_fallback:
        # QGIS >= 3.28: templates and projects naming Marianne then read with the same face.
        qc.add_font_replacement(font.preferred, font.family)
    family = font.family
    installed = {f.split(",")[0].strip().casefold() for f in installed_families()}

    def style_label(item, size, bold, color):
        if item is None:
            return
        if shipped or compat.label_font_family(item).casefold() not in installed:
            compat.set_label_text_style(item, family, size, bold, color)

    carte: QgsLayoutItemMap = layout.itemById("carte")
    legend: QgsLayoutItemLegend = layout.itemById("legende")
    scalebar: QgsLayoutItemScaleBar = layout.itemById("echelle")
    title_item: QgsLayoutItemLabel = layout.itemById("titre")
    subtitle_item = layout.itemById("sous_titre")
    sources_item: QgsLayoutItemLabel = layout.itemById("sources")
    realisation_item: QgsLayoutItemLabel = layout.itemById("realisation")
    logo_item: QgsLayoutItemPicture = layout.itemById("logo_etat")
    north = layout.itemById("nord")
    situation = layout.itemById("carte_situation")
    partners = layout.itemById("logos_partenaires")

    # Main map: the layers, the CRS, a round scale over the padded extent
    carte.setCrs(crs)
    carte.setLayers(layers)
    carte.setKeepLayerSet(True)
    carte.setKeepLayerStyles(False)
    carte.setExtent(fit_to_frame(_padded(rect, MARGIN_RATIO), carte))
    scale = nice_scale(carte.scale())
    carte.setScale(scale)

    # Legend: thematic layers first, base layers in their own group, readable names
    names = {lyr.id(): readable_name(lyr) for lyr in layers}
    thematic = [lyr for lyr in layers if not is_base_layer(lyr)]
    base = [lyr for lyr in layers if is_base_layer(lyr)]
    legend.setLinkedMap(carte)
    legend.setAutoUpdateModel(False)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    legend_w = legend.sizeWithUnits().width()
    columns = max(1, legend.columnCount())
    chars = int((legend_w / columns - 12) / (sizes["legend_item"] * 0.353 * 0.6))
    for lyr in thematic:
        node = root.addLayer(lyr)
        node.setCustomProperty("legend/title-label", _wrap(names[lyr.id()], chars))
    if base:
        group = root.addGroup(PAGE_TEXT["base_group"])
        for lyr in base:
            node = group.addLayer(lyr)
            node.setCustomProperty("legend/title-label", _wrap(names[lyr.id()], chars))
    legend.setTitle(PAGE_TEXT["legend"])
    legend.setLegendFilterByMapEnabled(True)
    legend.setWrapString("\n")
    legend.setSymbolWidth(7 if paper == "A4" else 9)
    legend.setSymbolHeight(4 if paper == "A4" else 5)
    legend.setMaximumSymbolSize(8)
    if shipped:
        compat.set_legend_style(
            legend, qc.LEGEND_TITLE, family, sizes["legend_title"], True, COLOURS["title"]
        )
        compat.set_legend_style(
            legend, qc.LEGEND_GROUP, family, sizes["legend_title"] - 1, True, COLOURS["title"]
        )
        compat.set_legend_style(
            legend, qc.LEGEND_SUBGROUP, family, sizes["legend_item"], True, COLOURS["text"]
        )
        compat.set_legend_style(
            legend, qc.LEGEND_SYMBOL_LABEL, family, sizes["legend_item"], False, COLOURS["text"]
        )
    if hasattr(legend, "updateFilterByMap"):
        legend.updateFilterByMap(False)
    legend.refresh()
    if not fit_legend(legend, family, sizes, paper, shipped):
        warnings.append(
            tr(
                "The legend is larger than its panel: shorten the layer names or reduce the "
                "number of classes, or use A3."
            )
        )

    # Scale bar (round values in km) and north arrow, both tied to the map
    scalebar.setLinkedMap(carte)
    if shipped:
        scalebar.setTextFormat(compat.text_format(family, sizes["scale"], False, COLOURS["text"]))
        scalebar.setUnits(compat.kilometres())
        scalebar.setUnitLabel("km")
        if _typical_width(request.atlas_layer, rect, crs, project) < 4000:
            # a neighbourhood: metres read better than 0.25 km
            scalebar.setUnits(compat.metres())
            scalebar.setUnitLabel("m")
        if request.atlas_layer is None:
            _round_segments(scalebar, scale)
    scalebar.update()
    if north is not None and isinstance(north, QgsLayoutItemPicture):
        north.setLinkedMap(carte)
        if not north.picturePath():
            north.setPicturePath(NORTH_ARROW)
            north.setMode(qc.PICTURE_FORMAT_SVG)

    # Texts
    title = (spec.title or "").strip()
    title_text = title or tr("[Title to complete]")
    title_item.setText(title_text)
    title_size = (
        fit_font_size(title_text, title_item, family, sizes["title"], True)
        if shipped
        else sizes["title"]
    )
    style_label(title_item, title_size, True, COLOURS["title"] if title else COLOURS["mention"])
    if subtitle_item is not None:
        subtitle_item.setText(spec.subtitle or "")
        sub_size = sizes["subtitle"]
        if shipped and spec.subtitle:
            sub_size = fit_font_size(spec.subtitle, subtitle_item, family, sub_size, False, 1)
        style_label(subtitle_item, sub_size, False, COLOURS["text"])
        subtitle_item.setVisibility(bool((spec.subtitle or "").strip()))

    # Cite what can be seen: a layer with nothing in the frame is neither in the legend
    # (filtered by map content) nor in the sources.
    view = QgsRectangle(carte.extent()) if request.atlas_layer is None else _padded(rect, 0.2)
    cited = [lyr for lyr in thematic + base if has_content_in(lyr, view, crs, project)]
    credits = credits_for_layers(cited, [names[lyr.id()] for lyr in cited], spec.extra_sources)
    small_family = family if shipped else compat.label_font_family(sources_item)
    src_width = _item_rect(sources_item)[2] - 1
    lines = [
        wrap_at(credits.sources_line(), " ; ", src_width, small_family, sizes["small"], " ;"),
        projection_line(qc.crs_description(crs), crs.authid()),
    ]
    if spec.status:
        lines.append(spec.status)
    sources_item.setText("\n".join(line for line in lines if line))
    style_label(sources_item, sizes["small"], False, COLOURS["text"])
    if shipped:
        fit_credits(sources_item, credits, lines[1:], small_family, sizes["small"], layout)
    sources_item.setVAlign(Qt.AlignmentFlag.AlignTop)

    service = (spec.service or "").strip()
    real_text = realisation_line(service or spec.authority, "00/00/0000")
    real_text = wrap_at(
        real_text, " – ", _item_rect(realisation_item)[2] - 1, small_family, sizes["small"], " –"
    )
    realisation_item.setText(
        real_text.replace("00/00/0000", "[% format_date(now(), 'dd/MM/yyyy') %]")
    )
    style_label(realisation_item, sizes["small"], False, COLOURS["text"])
    realisation_item.setVAlign(Qt.AlignmentFlag.AlignTop)
    QgsExpressionContextUtils.setLayoutVariable(layout, "cget_service", service)
    QgsExpressionContextUtils.setLayoutVariable(layout, "cget_autorite", spec.authority or "")

    # Bloc-marque: the user's official file, or a placeholder (never drawn by the plugin)
    logo_used = False
    if spec.logo:
        info = check_logo(spec.logo)
        logo_item.setPicturePath(str(Path(spec.logo).expanduser().resolve()))
        logo_item.setMode(qc.PICTURE_FORMAT_SVG if info[0] else qc.PICTURE_FORMAT_RASTER)
        logo_item.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
        logo_item.setPictureAnchor(QgsLayoutItem.ReferencePoint.UpperLeft)
        logo_item.setVisibility(True)
        logo_used = True
        if not info[0]:
            _x, _y, w, h = _item_rect(logo_item)
            px_w, px_h = info[1], info[2]
            printed_w = min(w, h * px_w / px_h) if px_h else w
            needed = pixels_needed(printed_w, spec.dpi)
            if px_w < needed:
                warnings.append(
                    tr(
                        "The bloc-marque image is {px} px wide: at {dpi} dpi and {mm:.0f} mm "
                        "wide it needs {needed} px. Use the SVG or a larger PNG from the "
                        "official kit, or it will print blurred."
                    ).format(px=px_w, dpi=spec.dpi, mm=printed_w, needed=needed)
                )
    else:
        logo_item.setVisibility(False)
        x, y, w, h = _item_rect(logo_item)
        box = QgsLayoutItemShape(layout)
        box.setShapeType(QgsLayoutItemShape.Shape.Rectangle)
        box.setId(PLACEHOLDER_ID)
        box.setSymbol(
            QgsFillSymbol.createSimple(
                {
                    "color": COLOURS["panel"],
                    "outline_color": COLOURS["mention"],
                    "outline_style": "dash",
                    "outline_width": "0.25",
                    "outline_width_unit": "MM",
                }
            )
        )
        box.setReferencePoint(QgsLayoutItem.ReferencePoint.UpperLeft)
        layout.addLayoutItem(box)
        box.attemptMove(QgsLayoutPoint(x, y, compat.millimetres()))
        box.attemptResize(QgsLayoutSize(w, h, compat.millimetres()))
        text = PAGE_TEXT["placeholder"]
        if spec.authority:
            text += "\n" + spec.authority
        _label(
            layout,
            PLACEHOLDER_ID + "_texte",
            text,
            (x + 1, y + 1, w - 2, h - 2),
            family,
            max(6.5, sizes["small"]),
            False,
            COLOURS["mention"],
            Qt.AlignmentFlag.AlignHCenter,
        )
    if partners is not None:
        partner = next((p for p in spec.partner_logos if p), "")
        if partner:
            info = check_logo(partner)
            partners.setPicturePath(str(Path(partner).expanduser().resolve()))
            partners.setMode(qc.PICTURE_FORMAT_SVG if info[0] else qc.PICTURE_FORMAT_RASTER)
            partners.setVisibility(True)
        else:
            partners.setVisibility(False)

    # Overview map: the extent in red within its département or region
    atlas_count = 0
    if request.atlas_layer is not None:
        atlas_count = _setup_atlas(layout, request.atlas_layer, carte, title, family, sizes)
    if situation is not None and isinstance(situation, QgsLayoutItemMap):
        if not _setup_overview(situation, carte, layers, request.atlas_layer, rect, crs, project):
            situation.setVisibility(False)

    # Checks before export: what a final map lacks, and the draft mark
    missing = missing_for_final(
        title, credits.sources_line(), logo_used, service, credits.uncited_layers
    )
    if spec.mode != "final":
        _draft_marks(layout, carte, title_item, family, sizes, logo_used)

    layout.setName(unique_layout_name(project, request.layout_name or _default_name(spec)))
    if register:
        project.layoutManager().addLayout(layout)
    layout.refresh()
    legend_names = [names[lyr.id()] for lyr in thematic + base]
    return BuildResult(
        layout=layout,
        paper=paper,
        orientation=orientation,
        crs=crs,
        scale=scale,
        font=font,
        credits=credits,
        legend_names=legend_names,
        missing_for_final=missing,
        warnings=warnings,
        atlas_count=atlas_count,
        logo_used=logo_used,
    )


def fit_legend(legend, family, sizes, paper, shipped) -> bool:
    """Keep the legend inside its panel (layout-conventions §6, #53263): more columns, then
    smaller items (never under 6 pt). True when it fits."""
    x, y, w, h = _item_rect(legend)

    def content_size():
        legend.setResizeToContents(True)
        legend.adjustBoxSize()
        size = legend.sizeWithUnits()
        return size.width(), size.height()

    legend.setSplitLayer(True)
    max_columns = max(1, int(w // 38))
    item_pt = float(sizes["legend_item"])
    fits = False
    for _attempt in range(12):
        cw, ch = content_size()
        if cw <= w + 0.5 and ch <= h + 0.5:
            fits = True
            break
        if ch > h and legend.columnCount() < max_columns:
            legend.setColumnCount(legend.columnCount() + 1)
            continue
        if not shipped or item_pt <= 6:
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


def _typical_width(atlas_layer, rect, crs, project) -> float:
    """Ground width of a page: the map extent, or the first atlas feature's."""
    if atlas_layer is None:
        return rect.width()
    feature = next(atlas_layer.getFeatures(), None)
    if feature is None or not feature.hasGeometry():
        return rect.width()
    box = feature.geometry().boundingBox()
    if atlas_layer.crs() != crs:
        box = QgsCoordinateTransform(atlas_layer.crs(), crs, project).transformBoundingBox(box)
    return max(box.width(), box.height()) * 1.3


COMMUNE_CODE_FIELDS = ("code_insee", "insee_com", "code_commune", "insee")


def page_label_expression(code_field: str, name_expr: str) -> str:
    """Expression naming an atlas page: "Commune de Blagnac", "Commune d'Aucamville",
    "Commune du Fauga" for commune layers; the plain name otherwise."""
    if code_field.lower() not in COMMUNE_CODE_FIELDS:
        return name_expr
    n = name_expr
    elided = "'Commune d''' || " + n  # a quote is doubled inside a QGIS string literal
    return (
        "CASE "
        f"WHEN {n} ILIKE 'Le %' THEN 'Commune du ' || substr({n}, 4) "
        f"WHEN {n} ILIKE 'Les %' THEN 'Commune des ' || substr({n}, 5) "
        f"WHEN regexp_match(lower(left({n}, 1)), '[aeiouyàâäéèêëîïôöùûü]') THEN {elided} "
        f"ELSE 'Commune de ' || {n} END"
    )


def _setup_atlas(layout, atlas_layer, carte, title, family, sizes) -> int:
    code_field, name_field = detect_fields(atlas_layer)
    name_expr = f'"{name_field}"' if name_field else atlas_layer.displayExpression() or "$id"
    atlas = layout.atlas()
    atlas.setCoverageLayer(atlas_layer)
    atlas.setEnabled(True)
    atlas.setHideCoverage(False)
    atlas.setSortFeatures(True)
    atlas.setSortExpression(name_expr)
    atlas.setPageNameExpression(name_expr)
    code_part = f"\"{code_field}\" || '_' || " if code_field else ""
    atlas.setFilenameExpression(f"{code_part}{name_expr}")
    carte.setAtlasDriven(True)
    carte.setAtlasScalingMode(QgsLayoutItemMap.AtlasScalingMode.Auto)
    carte.setAtlasMargin(0.15)
    count = atlas.updateFeatures()
    if count == 0:
        raise InputError(
            tr("The atlas layer « {name} » has no feature to map (after its filter).").format(
                name=atlas_layer.name()
            )
        )
    title_item = layout.itemById("titre")
    label_expr = page_label_expression(code_field, name_expr)
    if not title:
        title_item.setText(f"[% {label_expr} %]")
        compat.set_label_text_style(title_item, family, sizes["title"], True, COLOURS["title"])
    key_expr = "[% @atlas_featurenumber %]/[% @atlas_totalfeatures %] – [% " + label_expr + " %]"
    if code_field:
        key_expr += f' ([% "{code_field}" %])'
    filet = layout.itemById("filet")
    x, _y, w, _h = _item_rect(title_item)
    top = (_item_rect(filet)[1] if filet is not None else _item_rect(carte)[1]) - 5
    _label(
        layout,
        PAGE_KEY_ID,
        key_expr,
        (x, top, w, 4.5),
        family,
        sizes["legend_title"],
        True,
        COLOURS["bleu_france"],
        Qt.AlignmentFlag.AlignRight,
    )
    return count


def _setup_overview(situation, carte, layers, atlas_layer, rect, crs, project) -> bool:
    """Frame the main extent in red on a map of its wider territory; False when pointless."""
    polygons = [
        lyr
        for lyr in list(layers) + ([atlas_layer] if atlas_layer is not None else [])
        if lyr is not None
        and qc.layer_type_is_vector(lyr)
        and lyr.geometryType() == qc.GEOMETRY_POLYGON
    ]
    # the widest polygon layer (communes, départements) gives the territory around the map
    polygons.sort(key=lambda lyr: -layers_extent([lyr], crs, project).area())
    context_layers = []
    context = QgsRectangle()
    for candidate in ([polygons[0]] if polygons else []) + [None]:
        chosen = [candidate] if candidate is not None else list(layers)
        ext = layers_extent(chosen, crs, project)
        if not ext.isNull() and ext.width() > 0 and ext.height() > 0:
            context_layers, context = chosen, ext
            if atlas_layer is not None or ext.area() > 2.5 * rect.area():
                break
    if not context_layers or (atlas_layer is None and context.area() <= 2.5 * rect.area()):
        return False
    situation.setCrs(crs)
    situation.setLayers(context_layers)
    situation.setKeepLayerSet(True)
    situation.setExtent(fit_to_frame(_padded(context, 0.05), situation))
    overviews = situation.overviews()
    overview = overviews.overview(0) if overviews.size() else None
    if overview is None:
        from qgis.core import QgsLayoutItemMapOverview

        overview = QgsLayoutItemMapOverview(PAGE_TEXT["legend"], situation)
        overviews.addOverview(overview)
    overview.setLinkedMap(carte)
    overview.setEnabled(True)
    overview.setFrameSymbol(
        QgsFillSymbol.createSimple(
            {
                "color": "0,0,0,0",
                "style": "no",
                "outline_color": COLOURS["rouge_marianne"],
                "outline_width": "0.6",
                "outline_width_unit": "MM",
            }
        )
    )
    situation.setVisibility(True)
    return True


def _draft_marks(layout, carte, title_item, family, sizes, logo_used):
    """A draft says so: a header stamp and a light watermark across the map."""
    text = PAGE_TEXT["draft"] if logo_used else PAGE_TEXT["draft_no_logo"]
    tx, ty, tw, _th = _item_rect(title_item)
    _label(
        layout,
        DRAFT_MARK_ID,
        text,
        (tx, max(3.0, ty - 6.0), tw, 5.0),
        family,
        max(7.0, sizes["legend_item"]),
        True,
        COLOURS["rouge_marianne"],
        Qt.AlignmentFlag.AlignRight,
    )
    mx, my, mw, mh = _item_rect(carte)
    size_pt = max(36.0, min(mw, mh) * 0.45)
    h = size_pt * 0.3528 * 1.6
    mark = _label(
        layout,
        DRAFT_MARK_ID + "_filigrane",
        PAGE_TEXT["draft"],
        (mx, my + (mh - h) / 2, mw, h),
        family,
        size_pt,
        True,
        COLOURS["rouge_marianne"],
        Qt.AlignmentFlag.AlignHCenter,
        opacity=0.13,
    )
    mark.setItemRotation(-30, True)


def _default_name(spec: MapSpec) -> str:
    title = re.sub(r"\[%.*?%\]", "", spec.title or "").strip()
    return tr("Prefecture map – {title}").format(title=title) if title else tr("Prefecture map")


def unique_layout_name(project, name: str) -> str:
    manager = project.layoutManager()
    if manager.layoutByName(name) is None:
        return name
    for i in range(2, 1000):
        candidate = f"{name} ({i})"
        if manager.layoutByName(candidate) is None:
            return candidate
    return f"{name} ({os.getpid()})"  # pragma: no cover


__all__ = [
    "MapRequest",
    "BuildResult",
    "build_layout",
    "template_path",
    "load_template",
    "check_logo",
    "readable_name",
    "is_base_layer",
    "visible_layers",
    "order_layers",
    "choose_crs",
    "detect_fields",
    "setting",
    "set_setting",
    "unique_layout_name",
]
