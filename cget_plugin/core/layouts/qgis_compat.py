"""Layout API differences between QGIS 3.22 and 3.44, kept in one place for this area.

3.22 labels and legend styles take a QFont + colour; 3.24+/3.30+ prefer a QgsTextFormat (the old
setters stay, deprecated). Scoped ``Qgis.*`` enums replace some class enums over the 3.x series.
"""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsLayoutItemLabel,
    QgsLayoutItemPage,
    QgsProcessingAlgorithm,
    QgsRenderContext,
    QgsTextFormat,
    QgsUnitTypes,
)
from qgis.PyQt.QtGui import QColor, QFont


def make_font(family: str, size_pt: float, bold: bool = False) -> QFont:
    font = QFont(family)
    font.setPointSizeF(float(size_pt))
    font.setBold(bold)
    # Do not let Qt pick another face silently (layout-conventions §6).
    font.setStyleStrategy(QFont.StyleStrategy.PreferQuality)
    return font


def text_format(family: str, size_pt: float, bold: bool, color: str) -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(make_font(family, size_pt, bold))
    fmt.setSize(float(size_pt))
    fmt.setSizeUnit(_points_unit())
    fmt.setColor(QColor(color))
    return fmt


def _points_unit():
    return QgsUnitTypes.RenderPoints


def set_label_text_style(label: QgsLayoutItemLabel, family, size_pt, bold, color) -> None:
    if hasattr(label, "setTextFormat"):  # QGIS >= 3.24
        label.setTextFormat(text_format(family, size_pt, bold, color))
    else:  # QGIS 3.22
        label.setFont(make_font(family, size_pt, bold))
        label.setFontColor(QColor(color))


def label_font_family(label: QgsLayoutItemLabel) -> str:
    if hasattr(label, "textFormat"):
        return label.textFormat().font().family()
    return label.font().family()  # pragma: no cover


def set_legend_style(legend, component, family, size_pt, bold, color) -> None:
    style = legend.style(component)
    if hasattr(style, "setTextFormat"):  # QGIS >= 3.30
        style.setTextFormat(text_format(family, size_pt, bold, color))
    else:  # QGIS 3.22
        style.setFont(make_font(family, size_pt, bold))
        legend.setFontColor(QColor(color))
    legend.setStyle(component, style)


def page_orientation(orientation: str):
    enum = getattr(QgsLayoutItemPage, "Orientation", None)
    if enum is not None and hasattr(enum, "Landscape"):
        return enum.Landscape if orientation == "landscape" else enum.Portrait
    return (  # pragma: no cover
        QgsLayoutItemPage.Landscape if orientation == "landscape" else QgsLayoutItemPage.Portrait
    )


def text_render_format(outlines: bool):
    scoped = getattr(Qgis, "TextRenderFormat", None)
    if scoped is not None:
        return scoped.AlwaysOutlines if outlines else scoped.AlwaysText
    return (  # pragma: no cover
        QgsRenderContext.TextFormatAlwaysOutlines
        if outlines
        else QgsRenderContext.TextFormatAlwaysText
    )


def no_threading_flag():
    scoped = getattr(Qgis, "ProcessingAlgorithmFlag", None)
    if scoped is not None and hasattr(scoped, "NoThreading"):
        return scoped.NoThreading  # pragma: no cover - QGIS >= 3.36
    return QgsProcessingAlgorithm.FlagNoThreading


def kilometres():
    scoped = getattr(Qgis, "DistanceUnit", None)
    if scoped is not None and hasattr(scoped, "Kilometers"):
        return scoped.Kilometers  # pragma: no cover - QGIS >= 3.30
    return QgsUnitTypes.DistanceKilometers


def millimetres():
    scoped = getattr(Qgis, "LayoutUnit", None)
    if scoped is not None and hasattr(scoped, "Millimeters"):
        return scoped.Millimeters  # pragma: no cover - QGIS >= 3.30
    return QgsUnitTypes.LayoutMillimeters
