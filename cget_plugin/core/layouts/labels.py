"""Label rules of the plugin's layers (docs/map-conventions.md §2.5, §3.5): communes by
importance, QPV names where the scale allows, services on demand.

One home for the rules: ``scripts/make_label_styles.py`` writes them into
``resources/styles/*.qml`` (so a layer loaded by the toolbar is labelled in the canvas too) and
:func:`label_services` draws the services' labels when a map asks for them (their points keep
other labels off them in any case).

Sizes are in points, printed: at least 7 pt on A4 and 8 pt on A3 (the map item's layout tells
the page size through ``@layout_pagewidth`` / ``@layout_pageheight``; on the canvas, A4 sizes).
Every label has a 1 mm white halo; overlapping labels are dropped, the least important first.
"""

from __future__ import annotations

from qgis.core import (
    QgsPalLayerSettings,
    QgsProperty,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from ... import compat as qc
from ..definitions import A4_LONG_SIDE_MM
from . import qgis_compat as compat
from .spec import COLOURS, FONT_PREFERENCE

#: True inside a layout on an A3 page (longest side over A4's), False on A4 and on the canvas.
ON_A3 = (
    f"max(coalesce(@layout_pagewidth, 0), coalesce(@layout_pageheight, 0)) > {A4_LONG_SIDE_MM + 1}"
)
#: Points added to every label size on A3.
A3_EXTRA_PT = 1.0
HALO_MM = 1.0

# Commune importance: chef-lieux first (ADMIN EXPRESS ``statut``), then by population.
_STATUT = "lower(coalesce(attribute('statut'), ''))"
_POPULATION = "coalesce(to_real(attribute('population')), 0)"
_IS_PREFECTURE = (
    f"({_STATUT} LIKE '%préfecture%' AND {_STATUT} NOT LIKE 'sous%' OR {_STATUT} LIKE 'capitale%')"
)
_IS_SUB_PREFECTURE = f"({_STATUT} LIKE 'sous-préfecture%')"
COMMUNE_NAME = "coalesce(attribute('nom'), attribute('nom_officiel'), attribute('nom_commune'))"
#: 0–10: préfectures 10, sous-préfectures 9, then 1.6 per power of ten of the population (a town
#: of 10 000 inhabitants 6.4, a village of 300 about 4), never above 8.
COMMUNE_PRIORITY = (
    f"CASE WHEN {_IS_PREFECTURE} THEN 10 WHEN {_IS_SUB_PREFECTURE} THEN 9 "
    f"ELSE min(8, max(0, 1.6 * log10(max({_POPULATION}, 1)))) END"
)
#: A4 sizes (pt) by importance; A3 adds :data:`A3_EXTRA_PT`.
COMMUNE_SIZE = (
    f"CASE WHEN {_IS_PREFECTURE} OR {_POPULATION} >= 50000 THEN 9.5 "
    f"WHEN {_IS_SUB_PREFECTURE} OR {_POPULATION} >= 10000 THEN 8.5 "
    f"WHEN {_POPULATION} >= 2000 THEN 7.5 ELSE 7 END + if({ON_A3}, {A3_EXTRA_PT}, 0)"
)
COMMUNE_BOLD = f"{_IS_PREFECTURE} OR {_IS_SUB_PREFECTURE} OR {_POPULATION} >= 50000"

QPV_NAME = "coalesce(attribute('nom'), attribute('lib_qp'), attribute('nom_qp'))"
#: QPV names are shown from the scale of a town map (1:150 000) down to an atlas page.
QPV_MIN_SCALE = 150000
SERVICE_NAME = "coalesce(attribute('nom'), attribute('lib_fs'))"
#: Long names wrap at about this many characters.
WRAP_CHARS = 18


def a3_size(a4_size_pt: float) -> str:
    """Expression of a label size: ``a4_size_pt`` on A4 and the canvas, more on A3."""
    return f"{a4_size_pt} + if({ON_A3}, {A3_EXTRA_PT}, 0)"


def label_text_format(
    size_pt: float, colour: str, italic: bool = False, uppercase: bool = False
) -> QgsTextFormat:
    """Map label type: the State typeface, printed points, a 1 mm white halo."""
    fmt = QgsTextFormat()
    font = compat.make_font(FONT_PREFERENCE[0], size_pt)
    font.setItalic(italic)
    if uppercase:  # neighbours' names, spaced capitals as on State maps
        font.setCapitalization(QFont.Capitalization.AllUppercase)
        font.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, 0.8)
    fmt.setFont(font)
    fmt.setSize(size_pt)
    fmt.setSizeUnit(qc.RENDER_UNIT_POINTS)
    fmt.setColor(QColor(colour))
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(HALO_MM)
    buffer.setSizeUnit(qc.RENDER_UNIT_MM)
    buffer.setColor(QColor("#FFFFFF"))
    buffer.setOpacity(0.85)
    fmt.setBuffer(buffer)
    return fmt


def _settings(expression: str, fmt: QgsTextFormat, placement: str) -> QgsPalLayerSettings:
    settings = QgsPalLayerSettings()
    settings.fieldName = expression
    settings.isExpression = True
    settings.setFormat(fmt)
    settings.placement = compat.label_placement(placement)
    settings.centroidInside = True
    settings.autoWrapLength = WRAP_CHARS
    settings.displayAll = False  # no overlaps: the least important label gives way
    return settings


def _size_property(settings, a4_size_expression: str) -> None:
    settings.dataDefinedProperties().setProperty(
        compat.label_property("Size"), QgsProperty.fromExpression(a4_size_expression)
    )


def commune_labeling() -> QgsVectorLayerSimpleLabeling:
    """Commune names: chef-lieux and the most populous first, the rest as space allows."""
    settings = _settings(COMMUNE_NAME, label_text_format(7.0, COLOURS["text"]), "Horizontal")
    props = settings.dataDefinedProperties()
    props.setProperty(
        compat.label_property("Priority"), QgsProperty.fromExpression(COMMUNE_PRIORITY)
    )
    props.setProperty(compat.label_property("Bold"), QgsProperty.fromExpression(COMMUNE_BOLD))
    _size_property(settings, COMMUNE_SIZE)
    _not_an_obstacle(settings)
    return QgsVectorLayerSimpleLabeling(settings)


def qpv_labeling() -> QgsVectorLayerSimpleLabeling:
    """QPV names in bleu France italics, where the scale allows (town maps, atlas pages)."""
    settings = _settings(
        QPV_NAME, label_text_format(7.0, COLOURS["bleu_france"], italic=True), "OverPoint"
    )
    settings.scaleVisibility = True
    settings.minimumScale = QPV_MIN_SCALE  # the smallest scale (largest denominator) shown
    settings.maximumScale = 0
    settings.priority = 8
    _size_property(settings, a3_size(7))
    _not_an_obstacle(settings)
    return QgsVectorLayerSimpleLabeling(settings)


def service_labeling(draw: bool = True) -> QgsVectorLayerSimpleLabeling:
    """Service names beside their point (shown on demand). Not drawn (``draw`` False), the
    rules still keep the commune names off the services' points (QGIS "blocking" labels)."""
    settings = _settings(SERVICE_NAME, label_text_format(7.0, COLOURS["title"]), "AroundPoint")
    settings.dist = 1.0
    settings.priority = 7
    settings.drawLabels = draw
    _size_property(settings, a3_size(7))
    return QgsVectorLayerSimpleLabeling(settings)


def service_blocking() -> QgsVectorLayerSimpleLabeling:
    """The services' rules as their style carries them: names off, points an obstacle."""
    return service_labeling(draw=False)


def _not_an_obstacle(settings) -> None:
    """Area layers do not push other labels away (a commune, a QPV covers the labels' places).
    ``obstacleSettings()`` is a copy in PyQGIS: set it back."""
    obstacle = settings.obstacleSettings()
    obstacle.setIsObstacle(False)
    settings.setObstacleSettings(obstacle)


#: Style file -> (labeling, labels shown by default).
STYLE_LABELS = {
    "communes.qml": (commune_labeling, True),
    "qpv2015.qml": (qpv_labeling, True),
    "qpv2024.qml": (qpv_labeling, True),
    # names on demand; the points keep other labels off them all the same
    "france_services.qml": (service_blocking, True),
}


def label_services(layers) -> list:
    """Switch on the labels of the point layers among ``layers`` (services labelled on
    demand): the labels their style carries, else the service name. Returns the layers."""
    switched = []
    for layer in layers:
        if not qc.layer_type_is_vector(layer) or layer.geometryType() != qc.GEOMETRY_POINT:
            continue
        labeling = layer.labeling()
        if labeling is None:
            layer.setLabeling(service_labeling())
        elif isinstance(labeling, QgsVectorLayerSimpleLabeling):
            settings = QgsPalLayerSettings(labeling.settings())
            settings.drawLabels = True  # the plugin's style carries them not drawn
            labeling.setSettings(settings)
        layer.setLabelsEnabled(True)
        layer.triggerRepaint()
        switched.append(layer)
    return switched
