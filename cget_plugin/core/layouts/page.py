"""The page being built: its template, paper, type scale and typeface, and the label helpers
every page item uses.

A shipped template is ours to style; a user's template keeps its own typography unless its
typeface is not installed on this machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Set

from qgis.core import QgsLayoutItem, QgsLayoutItemLabel, QgsLayoutPoint, QgsLayoutSize
from qgis.PyQt.QtCore import Qt

from ... import compat as qc
from . import qgis_compat as compat
from .fonts import FontChoice, choose_family, installed_families
from .spec import TYPE_SCALE, MapSpec, orientation_for
from .templates import is_shipped, load_template, page_format, template_path


@dataclass
class Page:
    layout: object  # QgsPrintLayout
    paper: str
    orientation: str
    shipped: bool
    font: FontChoice
    installed: Set[str] = field(default_factory=set)  # casefolded installed families
    warnings: List[str] = field(default_factory=list)

    @property
    def family(self) -> str:
        return self.font.family

    @property
    def sizes(self) -> dict:
        return TYPE_SCALE[(self.paper, self.orientation)]

    def item(self, item_id: str):
        return self.layout.itemById(item_id)

    def style_label(self, item, size, bold, color) -> None:
        """Our typography on shipped templates, or where the template's typeface is missing."""
        if item is None:
            return
        if self.shipped or compat.label_font_family(item).casefold() not in self.installed:
            compat.set_label_text_style(item, self.family, size, bold, color)


def open_page(spec: MapSpec, rect, project) -> Page:
    """The template for the spec (paper, orientation from the extent's shape), loaded, with the
    typeface chosen on purpose and reported."""
    paper = spec.paper if spec.paper in ("A4", "A3") else "A4"
    orientation = spec.orientation or orientation_for(rect.width(), rect.height())
    path = template_path(paper, orientation, spec.template, project)
    shipped = is_shipped(path)
    layout = load_template(path, project)
    if not shipped:
        paper, orientation = page_format(layout)
    font = choose_family()
    page = Page(layout, paper, orientation, shipped, font)
    if font.note:
        page.warnings.append(font.note)
    if font.is_fallback:
        # QGIS >= 3.28: templates and projects naming Marianne then read with the same face.
        qc.add_font_replacement(font.preferred, font.family)
    page.installed = {f.split(",")[0].strip().casefold() for f in installed_families()}
    return page


def add_label(layout, item_id, text, rect, family, size, bold, color, halign, opacity=1.0):
    """A label the builder adds to the page at ``rect`` = (x, y, w, h) in mm."""
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
