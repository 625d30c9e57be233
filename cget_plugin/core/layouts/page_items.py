"""The furniture around the map (docs/map-conventions.md §1.1, §2): title and subtitle, the
sources / projection / réalisation lines, the bloc-marque (the user's official file, or a grey
placeholder: the plugin never draws the Marianne), partner logos, scale bar, north arrow and
the draft marks.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsExpressionContextUtils,
    QgsFillSymbol,
    QgsLayoutItem,
    QgsLayoutItemPicture,
    QgsLayoutPoint,
    QgsLayoutSize,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtGui import QImageReader

from ... import compat as qc
from ..definitions import MM_PER_POINT
from ..errors import InputError
from ..i18n import tr
from . import qgis_compat as compat
from .framing import has_content_in, view_of
from .page import Page, add_label
from .sources import credits_for_layers, projection_line, realisation_line
from .spec import (
    COLOURS,
    DRAFT_MARK_ID,
    METRE_SCALEBAR_BELOW_M,
    PAGE_TEXT,
    PLACEHOLDER_ID,
    pixels_needed,
    round_segment,
)
from .text_fit import LABEL_INSET_MM, fit_credits, fit_font_size, item_rect, wrap_at

NORTH_ARROW = ":/images/north_arrows/layout_default_north_arrow.svg"
IMAGE_SUFFIXES = {".svg", ".png", ".jpg", ".jpeg"}
#: The date in « Réalisation » is printed by the layout at export time.
_DATE_SLOT = "00/00/0000"
_DATE_EXPRESSION = "[% format_date(now(), 'dd/MM/yyyy') %]"


# -- title -----------------------------------------------------------------------------------
def write_title(page: Page, spec) -> str:
    """Title (or a grey « to complete » mark) and subtitle; returns the title given."""
    title_item = page.item("titre")
    title = (spec.title or "").strip()
    text = title or tr("[Title to complete]", on_map=True)
    title_item.setText(text)
    size = page.sizes["title"]
    if page.shipped:
        size = fit_font_size(text, title_item, page.family, size, True)
    page.style_label(title_item, size, True, COLOURS["title"] if title else COLOURS["mention"])
    subtitle_item = page.item("sous_titre")
    if subtitle_item is not None:
        subtitle_item.setText(spec.subtitle or "")
        sub_size = page.sizes["subtitle"]
        if page.shipped and spec.subtitle:
            sub_size = fit_font_size(spec.subtitle, subtitle_item, page.family, sub_size, False, 1)
        page.style_label(subtitle_item, sub_size, False, COLOURS["text"])
        subtitle_item.setVisibility(bool((spec.subtitle or "").strip()))
    return title


# -- sources, projection, réalisation --------------------------------------------------------
def write_credits(page: Page, carte, layers, names, frame, request, drawn_sources=()):
    """Cite what can be seen: a layer with nothing in the frame is neither in the legend
    (filtered by map content) nor in the sources. ``drawn_sources``: credits of what the
    builder itself draws (the outlines around the territory). Returns the :class:`Credits`."""
    spec = request.spec
    view = view_of(carte, request.atlas_layer, frame)
    cited = [lyr for lyr in layers if has_content_in(lyr, view, frame.crs, frame.transform_context)]
    extra = list(spec.extra_sources) + list(drawn_sources)
    credits = credits_for_layers(cited, [names[lyr.id()] for lyr in cited], extra)
    sources_item = page.item("sources")
    small = page.sizes["small"]
    family = page.family if page.shipped else compat.label_font_family(sources_item)
    width = item_rect(sources_item)[2] - LABEL_INSET_MM
    lines = [
        wrap_at(credits.sources_line(), " ; ", width, family, small, " ;"),
        projection_line(qc.crs_description(frame.crs), frame.crs.authid()),
    ]
    if spec.status:
        lines.append(spec.status)
    sources_item.setText("\n".join(line for line in lines if line))
    page.style_label(sources_item, small, False, COLOURS["text"])
    if page.shipped:
        fit_credits(sources_item, credits, lines[1:], family, small, page.layout)
    sources_item.setVAlign(Qt.AlignmentFlag.AlignTop)
    _write_realisation(page, spec, family)
    return credits


def _write_realisation(page: Page, spec, family) -> None:
    item = page.item("realisation")
    service = (spec.service or "").strip()
    text = realisation_line(service or spec.authority, _DATE_SLOT)
    width = item_rect(item)[2] - LABEL_INSET_MM
    text = wrap_at(text, " – ", width, family, page.sizes["small"], " –")
    item.setText(text.replace(_DATE_SLOT, _DATE_EXPRESSION))
    page.style_label(item, page.sizes["small"], False, COLOURS["text"])
    item.setVAlign(Qt.AlignmentFlag.AlignTop)
    QgsExpressionContextUtils.setLayoutVariable(page.layout, "cget_service", service)
    QgsExpressionContextUtils.setLayoutVariable(page.layout, "cget_autorite", spec.authority or "")


# -- scale bar and north arrow ---------------------------------------------------------------
def _round_segments(scalebar, scale: float) -> None:
    """Fixed segments of a round length filling at most the template's maximum bar width.
    QGIS's "fit width" mode only tries powers of ten and otherwise falls back to odd lengths
    (0 – 19 – 38 km on A4 portrait at 1:950 000). Atlas pages keep "fit width": their scale
    changes from page to page."""
    from qgis.core import QgsScaleBarSettings

    segments = max(1, scalebar.numberOfSegments())
    unit_m = 1000.0 if scalebar.units() == compat.kilometres() else 1.0
    mm_per_unit = unit_m * 1000.0 / scale
    scalebar.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeMode.SegmentSizeFixed)
    scalebar.setUnitsPerSegment(round_segment(scalebar.maximumBarWidth() / segments / mm_per_unit))


def place_scalebar_and_north(page: Page, carte, scale, ground_width_m, atlas) -> None:
    """Scale bar (round values in km, in m for a neighbourhood) and north arrow, both tied to
    the map."""
    scalebar = page.item("echelle")
    scalebar.setLinkedMap(carte)
    if page.shipped:
        scalebar.setTextFormat(
            compat.text_format(page.family, page.sizes["scale"], False, COLOURS["text"])
        )
        scalebar.setUnits(compat.kilometres())
        scalebar.setUnitLabel("km")
        if ground_width_m < METRE_SCALEBAR_BELOW_M:
            scalebar.setUnits(compat.metres())
            scalebar.setUnitLabel("m")
        if not atlas:
            _round_segments(scalebar, scale)
    scalebar.update()
    north = page.item("nord")
    if north is not None and isinstance(north, QgsLayoutItemPicture):
        north.setLinkedMap(carte)
        if not north.picturePath():
            north.setPicturePath(NORTH_ARROW)
            north.setMode(qc.PICTURE_FORMAT_SVG)


# -- bloc-marque and partner logos -----------------------------------------------------------
def check_logo(path: str):
    """(is_svg, pixel width, pixel height; 0 for SVG). InputError when the file is missing or
    not an image."""
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


def _set_picture(item, path: str, info) -> None:
    item.setPicturePath(str(Path(path).expanduser().resolve()))
    item.setMode(qc.PICTURE_FORMAT_SVG if info[0] else qc.PICTURE_FORMAT_RASTER)


def place_bloc_marque(page: Page, spec) -> bool:
    """The user's official file, or a placeholder; True when the official file is used."""
    logo_item = page.item("logo_etat")
    if not spec.logo:
        logo_item.setVisibility(False)
        _placeholder(page, item_rect(logo_item), spec.authority)
        return False
    info = check_logo(spec.logo)
    _set_picture(logo_item, spec.logo, info)
    logo_item.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
    logo_item.setPictureAnchor(QgsLayoutItem.ReferencePoint.UpperLeft)
    logo_item.setVisibility(True)
    if not info[0]:
        _x, _y, w, h = item_rect(logo_item)
        px_w, px_h = info[1], info[2]
        printed_w = min(w, h * px_w / px_h) if px_h else w
        needed = pixels_needed(printed_w, spec.dpi)
        if px_w < needed:
            page.warnings.append(
                tr(
                    "The bloc-marque image is {px} px wide: at {dpi} dpi and {mm:.0f} mm "
                    "wide it needs {needed} px. Use the SVG or a larger PNG from the "
                    "official kit, or it will print blurred."
                ).format(px=px_w, dpi=spec.dpi, mm=printed_w, needed=needed)
            )
    return True


def _placeholder(page: Page, rect, authority: str) -> None:
    """A dashed grey box saying the official bloc-marque is to be supplied."""
    x, y, w, h = rect
    from qgis.core import QgsLayoutItemShape

    box = QgsLayoutItemShape(page.layout)
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
    page.layout.addLayoutItem(box)
    box.attemptMove(QgsLayoutPoint(x, y, compat.millimetres()))
    box.attemptResize(QgsLayoutSize(w, h, compat.millimetres()))
    text = PAGE_TEXT["placeholder"]
    if authority:
        text += "\n" + authority
    add_label(
        page.layout,
        PLACEHOLDER_ID + "_texte",
        text,
        (x + 1, y + 1, w - 2, h - 2),
        page.family,
        max(6.5, page.sizes["small"]),
        False,
        COLOURS["mention"],
        Qt.AlignmentFlag.AlignHCenter,
    )


def place_partners(page: Page, spec) -> None:
    partners = page.item("logos_partenaires")
    if partners is None:
        return
    partner = next((p for p in spec.partner_logos if p), "")
    if partner:
        _set_picture(partners, partner, check_logo(partner))
    partners.setVisibility(bool(partner))


# -- draft marks -----------------------------------------------------------------------------
def draft_marks(page: Page, carte, logo_used) -> None:
    """A draft says so: a header stamp and a light watermark across the map."""
    text = PAGE_TEXT["draft"] if logo_used else PAGE_TEXT["draft_no_logo"]
    tx, ty, tw, _th = item_rect(page.item("titre"))
    add_label(
        page.layout,
        DRAFT_MARK_ID,
        text,
        (tx, max(3.0, ty - 6.0), tw, 5.0),
        page.family,
        max(7.0, page.sizes["legend_item"]),
        True,
        COLOURS["rouge_marianne"],
        Qt.AlignmentFlag.AlignRight,
    )
    mx, my, mw, mh = item_rect(carte)
    size_pt = max(36.0, min(mw, mh) * 0.45)
    h = size_pt * MM_PER_POINT * 1.6  # the capitals' box, with room for the rotation
    mark = add_label(
        page.layout,
        DRAFT_MARK_ID + "_filigrane",
        PAGE_TEXT["draft"],
        (mx, my + (mh - h) / 2, mw, h),
        page.family,
        size_pt,
        True,
        COLOURS["rouge_marianne"],
        Qt.AlignmentFlag.AlignHCenter,
        opacity=0.13,
    )
    mark.setItemRotation(-30, True)
