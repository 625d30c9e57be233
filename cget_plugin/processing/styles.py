"""Styles of the accessibility outputs, and the plugin's one band palette.

Travel-time bands are drawn in a sequential single hue (ColorBrewer Blues, colour-blind and print
safe), darkest = shortest time, at ``BAND_OPACITY``; longer bands are drawn first so the shortest
stay on top where they overlap. Every path to a band layer uses these styles: the algorithms
write them next to their outputs (:func:`write_graduated_style`), and the shipped fallbacks in
``resources/styles`` (``isochrones.qml``, ``access_time_*.qml``) are generated from them by
``scripts/make_band_styles.py``.
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional, Sequence, Tuple

from qgis.core import QgsFeatureRequest, QgsFields

from ..core.definitions import LAMBERT93
from ..core.i18n import tr
from ..core.paths import cache_dir

# The palest class of each scheme is never used: at 70 % opacity it vanishes on white.
BLUES = {
    2: ["#3182bd", "#9ecae1", "#deebf7"],
    3: ["#2171b5", "#6baed6", "#bdd7e7", "#eff3ff"],
    4: ["#08519c", "#3182bd", "#6baed6", "#bdd7e7", "#eff3ff"],
    5: ["#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef", "#eff3ff"],
    6: ["#084594", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef", "#eff3ff"],
    7: ["#084594", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7", "#f7fbff"],
    8: [
        "#08306b",
        "#08519c",
        "#2171b5",
        "#4292c6",
        "#6baed6",
        "#9ecae1",
        "#c6dbef",
        "#deebf7",
        "#f7fbff",
    ],
}
BAND_OPACITY = 0.7
#: Upper bound (minutes) of the open last class "more than N min" of the access times: above
#: any time a unit can be given (unreached units have no time and no colour).
OPEN_CLASS_MAX_MIN = 100000


def band_colours(k: int) -> List[str]:
    """``k`` colours, darkest first: the ColorBrewer Blues scheme of ``k + 1`` classes without
    its palest class (``BLUES[k]``); from 7 bands on, interpolated from the darkest blue to
    #c6dbef (paler classes vanish at 70 % opacity on white paper)."""
    if k <= 0:
        return []
    if k == 1:
        return [BLUES[2][0]]
    if k in BLUES and k <= 6:
        return BLUES[k][:k]
    from qgis.PyQt.QtGui import QColor

    ref = BLUES[8][:7]
    out = []
    for i in range(k):
        pos = i * (len(ref) - 1) / (k - 1)
        lo = int(pos)
        hi = min(lo + 1, len(ref) - 1)
        a, b, f = QColor(ref[lo]), QColor(ref[hi]), pos - lo
        mix = QColor(
            round(a.red() + (b.red() - a.red()) * f),
            round(a.green() + (b.green() - a.green()) * f),
            round(a.blue() + (b.blue() - a.blue()) * f),
        )
        out.append(mix.name())
    return out


def band_classes(bands: Sequence[int], open_end: bool = False) -> List[Tuple[float, float, str]]:
    """``(from, to, label)`` of each band in minutes, labels French (printed on maps); with
    ``open_end``, a last class "more than <last band> min"."""
    out = []
    prev = 0
    for b in bands:
        out.append((prev, b, tr("{lo} to {hi} min", on_map=True).format(lo=prev, hi=b)))
        prev = b
    if open_end:
        out.append((prev, OPEN_CLASS_MAX_MIN, tr("more than {t} min", on_map=True).format(t=prev)))
    return out


def style_path(name: str) -> str:
    """Where a generated style is written (the plugin's cache folder)."""
    folder = cache_dir() / "styles"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)


def _band_symbol(geometry: str, colour_name: str):
    from qgis.core import QgsFillSymbol, QgsMarkerSymbol
    from qgis.PyQt.QtGui import QColor

    colour = QColor(colour_name)
    if geometry == "Polygon":
        return QgsFillSymbol.createSimple(
            {
                "color": colour.name(),
                "outline_color": colour.darker(115).name(),
                "outline_width": "0.1",
            }
        )
    return QgsMarkerSymbol.createSimple(
        {"color": colour.name(), "outline_color": "#404040", "size": "1.6"}
    )


def graduated_renderer(geometry: str, field_name: str, classes):
    """Band classes in the palette, the longest times drawn first."""
    from qgis.core import QgsGraduatedSymbolRenderer, QgsRendererRange

    colours = band_colours(len(classes))
    ranges = [
        QgsRendererRange(lo, hi, _band_symbol(geometry, colours[i]), label)
        for i, (lo, hi, label) in enumerate(classes)
    ]
    renderer = QgsGraduatedSymbolRenderer(field_name, ranges)
    # longest times first, so the shortest bands (darkest) stay on top where they overlap
    renderer.setOrderBy(
        QgsFeatureRequest.OrderBy([QgsFeatureRequest.OrderByClause(field_name, False)])
    )
    renderer.setOrderByEnabled(True)
    return renderer


def write_graduated_style(
    path: str,
    geometry: str,
    field_name: str,
    classes: Sequence[Tuple[float, float, str]],
    aliases: Dict[str, str],
    fields: QgsFields,
    fallback: Optional[str] = None,
) -> Optional[str]:
    """A QML with a graduated renderer (darkest first class) and field aliases, atomically.
    ``geometry``: "Polygon", "Point" or "None" (aliases only). Returns ``path``, or
    ``fallback`` when it cannot be written."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{geometry}?crs={LAMBERT93}", "style", "memory")
    layer.dataProvider().addAttributes(list(fields))
    layer.updateFields()
    for name, alias in aliases.items():
        idx = layer.fields().lookupField(name)
        if idx >= 0:
            layer.setFieldAlias(idx, alias)
    if geometry != "None" and classes:
        layer.setRenderer(graduated_renderer(geometry, field_name, classes))
        if geometry == "Polygon":
            layer.setOpacity(BAND_OPACITY)
    tmp = path + ".tmp.qml"
    try:
        layer.saveNamedStyle(tmp)
        os.replace(tmp, path)
    except OSError:
        return fallback
    return path


# ---------------------------------------------------------------------------------------------
# The styles of each output (the shipped fallbacks are these with the default bands)


def isochrone_style(bands: Sequence[int], fields: QgsFields, path: Optional[str] = None):
    """Style of ``cget:isochrones`` bands (file path, or the shipped fallback's name)."""
    aliases = {
        "origin_id": tr("Origin"),
        "min_from": tr("From (min)"),
        "min_to": tr("To (min)"),
        "area_km2": tr("Area (km²)"),
        "population": tr("Population"),
    }
    return write_graduated_style(
        path or style_path("isochrones_" + "_".join(map(str, bands)) + ".qml"),
        "Polygon",
        "min_to",
        band_classes(bands),
        aliases,
        fields,
        fallback="isochrones.qml",
    )


def access_unit_style(
    geometry: str,
    thresholds: Sequence[int],
    fields: QgsFields,
    added: Sequence[str],
    path: Optional[str] = None,
):
    """Style of the ``cget:accesstime`` units (``geometry`` "Polygon" or "Point"): classes on
    the minutes (``added[0]``), aliases of the four added fields."""
    labels = (
        tr("Minutes to the nearest service"),
        tr("Nearest service"),
        tr("Distance to the network (m)"),
        tr("Share of the population attached (%)"),
    )
    return write_graduated_style(
        path or style_path(f"access_{geometry}_" + "_".join(map(str, thresholds)) + ".qml"),
        geometry,
        added[0],
        band_classes(thresholds, open_end=True),
        dict(zip(added, labels)),
        fields,
        fallback=f"access_time_{geometry.lower()}s.qml",
    )


def access_table_style(thresholds: Sequence[int], fields: QgsFields, aliases: Dict[str, str]):
    """The table of population covered: its field aliases (one file per set of columns)."""
    rest = "_rest" if "rest_of" in aliases else ""
    return write_graduated_style(
        style_path("access_table_" + "_".join(map(str, thresholds)) + rest + ".qml"),
        "None",
        "",
        [],
        aliases,
        fields,
    )
