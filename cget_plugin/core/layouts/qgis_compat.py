"""Layout-specific helpers on top of :mod:`cget_plugin.compat` (the one place for QGIS version
differences): text styles of labels and legends, whose setters changed between 3.22 (QFont +
colour) and 3.24/3.30 (QgsTextFormat; the old setters stay, deprecated)."""

from __future__ import annotations

from qgis.core import QgsLayoutItemLabel, QgsTextFormat
from qgis.PyQt.QtGui import QColor, QFont

from ... import compat as qc


def make_font(family: str, size_pt: float, bold: bool = False) -> QFont:
    font = QFont(family)
    font.setPointSizeF(float(size_pt))
    font.setBold(bold)
    return font


def text_format(family: str, size_pt: float, bold: bool, color: str) -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(make_font(family, size_pt, bold))
    fmt.setSize(float(size_pt))
    fmt.setSizeUnit(qc.RENDER_UNIT_POINTS)
    fmt.setColor(QColor(color))
    return fmt


def set_label_text_style(label: QgsLayoutItemLabel, family, size_pt, bold, color) -> None:
    if hasattr(label, "setTextFormat"):  # QGIS >= 3.24
        label.setTextFormat(text_format(family, size_pt, bold, color))
    else:  # QGIS 3.22
        label.setFont(make_font(family, size_pt, bold))
        label.setFontColor(QColor(color))


def label_font_family(label: QgsLayoutItemLabel) -> str:
    if hasattr(label, "textFormat"):
        return label.textFormat().font().family()
    return label.font().family()


def set_legend_style(legend, component, family, size_pt, bold, color) -> None:
    style = legend.style(component)
    if hasattr(style, "setTextFormat"):  # QGIS >= 3.30
        style.setTextFormat(text_format(family, size_pt, bold, color))
    else:  # QGIS 3.22
        style.setFont(make_font(family, size_pt, bold))
        legend.setFontColor(QColor(color))
    legend.setStyle(component, style)


def page_orientation(orientation: str):
    return qc.page_orientation(orientation == "landscape")


def text_render_format(outlines: bool):
    return qc.TEXT_RENDER_ALWAYS_OUTLINES if outlines else qc.TEXT_RENDER_ALWAYS_TEXT


def kilometres():
    return qc.DISTANCE_KILOMETERS


def metres():
    return qc.DISTANCE_METERS


def millimetres():
    return qc.LAYOUT_UNIT_MM


def label_property(name: str):
    """``QgsPalLayerSettings.Property.<name>`` (scoped in recent QGIS) or the 3.22 name."""
    from qgis.core import QgsPalLayerSettings

    owner = getattr(QgsPalLayerSettings, "Property", QgsPalLayerSettings)
    return getattr(owner, name)


def label_placement(name: str):
    """``Qgis.LabelPlacement.<name>`` (3.26+) or ``QgsPalLayerSettings.<name>`` (3.22)."""
    from qgis.core import Qgis, QgsPalLayerSettings

    owner = getattr(Qgis, "LabelPlacement", QgsPalLayerSettings)
    return getattr(owner, name)
