"""Text that fits its box: measured widths, type sizes brought down to fit, lines broken at
separators, the sources box grown to the page margin rather than a source left out.

Widths are measured on a 100 px font and scaled, as the layout engine does, so the result does
not depend on the screen's dpi.
"""

from __future__ import annotations

import textwrap

from qgis.core import QgsLayoutSize

from ..definitions import MM_PER_POINT
from . import qgis_compat as compat
from .spec import COLOURS, LINE_SPACING, MIN_TYPE_PT

#: Type sizes are brought down by this step (pt).
SIZE_STEP_PT = 0.5
#: Usable width of a label: its width less the label's inner margins (mm).
LABEL_INSET_MM = 1.0
#: Space kept under the sources box at the page's bottom edge (mm).
BOTTOM_MARGIN_MM = 5.0


def item_rect(item):
    """(x, y, width, height) of a layout item, in its units (mm in our templates)."""
    pos, size = item.positionWithUnits(), item.sizeWithUnits()
    return pos.x(), pos.y(), size.width(), size.height()


def text_width_mm(text: str, family: str, size_pt: float, bold: bool) -> float:
    """Printed width of the longest line."""
    from qgis.PyQt.QtGui import QFontMetricsF

    font = compat.make_font(family, size_pt, bold)
    font.setPixelSize(100)
    metrics = QFontMetricsF(font)
    mm_per_px = size_pt * MM_PER_POINT / 100
    return max(metrics.horizontalAdvance(line) for line in text.split("\n")) * mm_per_px


def lines_height_mm(line_count: int, size_pt: float) -> float:
    return line_count * size_pt * MM_PER_POINT * LINE_SPACING


def fit_font_size(text, item, family, size_pt, bold, max_lines=2, min_pt=None) -> float:
    """Largest size <= ``size_pt`` at which ``text`` fits the item on one line, or on
    ``max_lines`` lines within the item height (titles of long territory names)."""
    if "[%" in text:
        return size_pt
    _x, _y, w, h = item_rect(item)
    room = w - LABEL_INSET_MM
    min_pt = min_pt or max(7.0, round(size_pt * 0.65))
    size = float(size_pt)
    while size > min_pt and text_width_mm(text, family, size, bold) > room:
        size -= SIZE_STEP_PT
    if text_width_mm(text, family, size, bold) <= room or max_lines < 2:
        return size
    # two lines: the line height must fit the box (a line breaks a little short of the width)
    size = float(size_pt)
    while size > MIN_TYPE_PT and (
        lines_height_mm(2, size) > h or text_width_mm(text, family, size, bold) > 1.9 * room
    ):
        size -= SIZE_STEP_PT
    return size


def fit_credits(item, credits, other_lines, family, size_pt, layout):
    """Sources must all be printed: smaller type (never under 6 pt), then a taller box down to
    the page's bottom margin."""
    x, y, w, h = item_rect(item)
    size = float(size_pt)
    while True:
        sources = wrap_at(credits.sources_line(), " ; ", w - LABEL_INSET_MM, family, size, " ;")
        text = "\n".join(line for line in [sources] + list(other_lines) if line)
        needed = lines_height_mm(text.count("\n") + 1, size)
        if needed <= h or size <= MIN_TYPE_PT:
            break
        size -= SIZE_STEP_PT
    item.setText(text)
    compat.set_label_text_style(item, family, size, False, COLOURS["text"])
    if needed > h:
        page_h = layout.pageCollection().page(0).pageSize().height()
        item.attemptResize(
            QgsLayoutSize(w, min(needed + 0.5, page_h - BOTTOM_MARGIN_MM - y), compat.millimetres())
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


def wrap_words(text: str, width_chars: int) -> str:
    """Word wrap at ``width_chars`` (legend names); short widths leave the text whole."""
    if width_chars < 12 or len(text) <= width_chars:
        return text
    return "\n".join(textwrap.wrap(text, width=width_chars, break_long_words=False))
