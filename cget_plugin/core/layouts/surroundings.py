"""What surrounds the territory of a map (docs/map-conventions.md §1.2): the neighbouring
départements in a quiet grey beneath the map, labelled, the territory's outline emphasised on
top, and the overview map placing the territory in its région (a département map) or its
département (an EPCI or commune map). A France-wide map has neither.

The outlines are shipped, offline: ``resources/reference/departements.geojson.gz`` (IGN ADMIN
EXPRESS COG, generalised, made by ``scripts/make_outlines.py``) and, for the fictitious sample
territory, ``resources/sample/cget_sample_surroundings.geojson.gz`` (invented, same schema).

One layer per outline file and role is shared by all the maps of a project (registered without
a node in the layer tree, so the canvas does not draw it). Its rules read the layout variables
``cget_territoire`` (département codes) and ``cget_region`` and the map item id, so each layout
draws its own territory from the same layer.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional

from qgis.core import (
    QgsExpressionContextUtils,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsPalLayerSettings,
    QgsProperty,
    QgsRectangle,
    QgsRuleBasedLabeling,
    QgsRuleBasedRenderer,
    QgsVectorLayer,
)

from ... import compat as qc
from ..definitions import DEPARTEMENT_FIELD_CANDIDATES, first_field
from ..paths import resource
from . import qgis_compat as compat
from .labels import a3_size, label_text_format
from .layers import is_base_layer

PROPERTY_REFERENCE = "cget/reference_outlines"  # custom property naming a shared layer's role
#: The credit the sample's layers carry (scripts/make_sample.py): a map citing it is a map of
#: the fictitious territory, drawn among fictitious neighbours, never among real ones.
SAMPLE_CREDIT = "Données fictives de démonstration (plugin CGET)"
#: (file, credit) of the real outlines, and of the sample's fictitious ones.
REAL_OUTLINES = (("reference", "departements.geojson.gz"), "IGN – ADMIN EXPRESS COG 2026")
SAMPLE_OUTLINES = (("sample", "cget_sample_surroundings.geojson.gz"), SAMPLE_CREDIT)
#: A map whose territory spans more départements than this is national: no surroundings.
MAX_TERRITORY_DEPARTEMENTS = 15
#: The overview shows the smallest context (département, région, country) whose extent the
#: map's frame covers less than this share of.
DEPARTEMENT_MAP_SHARE = 0.5
OVERVIEW_MARGIN = 0.08
FEATURES_SAMPLED = 5000

TERRITORY = "array_contains(string_to_array(coalesce(@cget_territoire, ''), ','), \"code\")"
IN_REGION = "\"region\" = coalesce(@cget_region, '')"
ON_OVERVIEW = "coalesce(@map_id, '') = 'carte_situation'"

NEIGHBOUR_FILL = "#E6E6E6"
NEIGHBOUR_TEXT = "#7A7A7A"
OUTLINE_COLOUR = "#3A3A3A"


@dataclass
class Surroundings:
    """The territory of a map and the shared layers that draw what surrounds it."""

    codes: List[str]
    region: str
    background: QgsVectorLayer  # neighbours (main map) and the overview's départements
    outline: QgsVectorLayer  # the territory's outline, above the thematic layers
    credit: str
    overview_extent: Optional[QgsRectangle] = None  # in the layer CRS (WGS 84)


def _fill(color: str, outline: str, width: float, style: str = "solid") -> QgsFillSymbol:
    return QgsFillSymbol.createSimple(
        {
            "color": color,
            "style": style,
            "outline_color": outline,
            "outline_width": str(width),
            "outline_width_unit": "MM",
        }
    )


def _background_renderer() -> QgsRuleBasedRenderer:
    root = QgsRuleBasedRenderer.Rule(None)
    for symbol, expression, label in (
        (_fill("#CACAFB", "#000091", 0.3), f"{ON_OVERVIEW} AND {TERRITORY}", "territoire"),
        (
            _fill("#ECECEC", "#8A8A8A", 0.15),
            f"{ON_OVERVIEW} AND {IN_REGION} AND NOT {TERRITORY}",
            "région",
        ),
        (_fill("#FFFFFF", "#CFCFCF", 0.1), f"{ON_OVERVIEW} AND NOT {IN_REGION}", "autres"),
        (
            _fill(NEIGHBOUR_FILL, "#FFFFFF", 0.4),
            f"NOT {ON_OVERVIEW} AND NOT {TERRITORY}",
            "voisins",
        ),
    ):
        root.appendChild(QgsRuleBasedRenderer.Rule(symbol, 0, 0, expression, label))
    return QgsRuleBasedRenderer(root)


def _neighbour_labels() -> QgsRuleBasedLabeling:
    settings = QgsPalLayerSettings()
    settings.fieldName = "nom"
    settings.setFormat(label_text_format(8.0, NEIGHBOUR_TEXT, italic=False, uppercase=True))
    settings.placement = compat.label_placement("Horizontal")
    settings.priority = 3
    settings.dataDefinedProperties().setProperty(
        compat.label_property("Size"),
        QgsProperty.fromExpression(a3_size(8)),
    )
    root = QgsRuleBasedLabeling.Rule(None)
    root.appendChild(
        QgsRuleBasedLabeling.Rule(settings, 0, 0, f"NOT {ON_OVERVIEW} AND NOT {TERRITORY}")
    )
    return QgsRuleBasedLabeling(root)


def _outline_renderer() -> QgsRuleBasedRenderer:
    root = QgsRuleBasedRenderer.Rule(None)
    root.appendChild(
        QgsRuleBasedRenderer.Rule(
            _fill("0,0,0,0", OUTLINE_COLOUR, 0.6, "no"),
            0,
            0,
            f"NOT {ON_OVERVIEW} AND {TERRITORY}",
            "limite",
        )
    )
    return QgsRuleBasedRenderer(root)


def _shared_layer(project, path: Path, role: str) -> Optional[QgsVectorLayer]:
    """The project's layer for ``path`` in ``role`` ("fond" or "limite"), made once."""
    key = f"{role}:{path.name}"
    for layer in project.mapLayers().values():
        if layer.customProperty(PROPERTY_REFERENCE, "") == key:
            return layer
    uri = f"/vsigzip/{path}" if path.suffix == ".gz" else str(path)
    name = "Départements voisins (repères)" if role == "fond" else "Limite du territoire (repère)"
    layer = QgsVectorLayer(uri, name, "ogr")
    if not layer.isValid():
        return None
    layer.setCustomProperty(PROPERTY_REFERENCE, key)
    if role == "fond":
        layer.setRenderer(_background_renderer())
        layer.setLabeling(_neighbour_labels())
        layer.setLabelsEnabled(True)
    else:
        layer.setRenderer(_outline_renderer())
    project.addMapLayer(layer, False)  # no node in the layer tree: maps only
    return layer


def _codes_from_attributes(layers, frame) -> Optional[List[str]]:
    """Département codes the map's features carry (the normalised ``insee_dep`` and the
    sources' own fields), most frequent first; None when they span the whole country."""
    counts: Counter = Counter()
    for layer in layers:
        if not qc.layer_type_is_vector(layer):
            continue
        name = first_field([f.name() for f in layer.fields()], DEPARTEMENT_FIELD_CANDIDATES)
        if name is None:
            continue
        rect = frame.transform(frame.rect, frame.crs, layer.crs())
        request = QgsFeatureRequest().setFilterRect(rect).setLimit(FEATURES_SAMPLED)
        request.setSubsetOfAttributes([name], layer.fields())
        for feature in layer.getFeatures(request):
            for code in str(feature[name] or "").split(","):
                if code.strip() and code.strip().upper() != "NULL":
                    counts[code.strip()] += 1
    if len(counts) > MAX_TERRITORY_DEPARTEMENTS:
        return None  # a national map
    total = sum(counts.values())
    # a département cited by a stray feature (a service of the next département) is not ours
    return [code for code, n in counts.most_common() if n >= 0.05 * total]


def _features(layer, codes):
    quoted = ",".join("'" + c.replace("'", "''") + "'" for c in codes)
    return list(layer.getFeatures(QgsFeatureRequest().setFilterExpression(f'"code" IN ({quoted})')))


def _codes_from_geometry(layer, frame) -> List[str]:
    """Départements holding the frame's centre or lying mostly inside it."""
    rect = frame.transform(frame.rect, frame.crs, layer.crs())
    from qgis.core import QgsGeometry

    box = QgsGeometry.fromRect(rect)
    centre = QgsGeometry.fromPointXY(rect.center())
    codes = []
    for feature in layer.getFeatures(QgsFeatureRequest().setFilterRect(rect)):
        geom = feature.geometry()
        if geom.intersects(centre) or geom.intersection(box).area() >= 0.5 * geom.area():
            codes.append(feature["code"])
    return codes


def find_surroundings(project, layers, frame) -> Optional[Surroundings]:
    """The territory of the map (départements from the layers' attributes, else from where the
    map lies) and the shared layers that draw around it; None for a France-wide map or where
    no shipped outline holds the territory. The sample's maps use the fictitious outlines."""
    subject = [lyr for lyr in layers if not is_base_layer(lyr)]
    attribute_codes = _codes_from_attributes(subject, frame)
    if attribute_codes == []:
        attribute_codes = _codes_from_attributes(layers, frame)
    if attribute_codes is None:
        return None
    parts, credit = SAMPLE_OUTLINES if _is_sample(layers) else REAL_OUTLINES
    path = resource(*parts)
    background = _shared_layer(project, path, "fond") if path.is_file() else None
    if background is None:
        return None
    codes = attribute_codes or _codes_from_geometry(background, frame)
    features = _features(background, codes) if codes else []
    if not features or len(features) > MAX_TERRITORY_DEPARTEMENTS:
        return None
    found = Surroundings(
        codes=[f["code"] for f in features],
        region=Counter(f["region"] for f in features).most_common(1)[0][0],
        background=background,
        outline=_shared_layer(project, path, "limite"),
        credit=credit,
    )
    found.overview_extent = _overview_extent(background, features, found.region, frame)
    return found


def _is_sample(layers) -> bool:
    from ..provenance import layer_credits

    return any(SAMPLE_CREDIT in credit for lyr in layers for credit in layer_credits(lyr))


def _box(features) -> QgsRectangle:
    box = qc.null_rectangle()
    for feature in features:
        box.combineExtentWith(feature.geometry().boundingBox())
    return box


def _overview_extent(layer, features, region, frame) -> Optional[QgsRectangle]:
    """The smallest of the territory's département(s), its région, its country (metropolitan
    France, or the overseas département) that the map's frame does not already cover; None
    when the frame covers them all (a France-wide map)."""
    overseas = features[0]["code"].startswith("97")
    same_country = f"left(\"code\", 2) {'=' if overseas else '<>'} '97'"  # metropolitan or overseas
    candidates = (
        features,
        layer.getFeatures(QgsFeatureRequest().setFilterExpression(f"\"region\" = '{region}'")),
        layer.getFeatures(QgsFeatureRequest().setFilterExpression(same_country)),
    )
    for context in candidates:
        box = _box(context)
        if frame.rect.area() < DEPARTEMENT_MAP_SHARE * frame.to_map(box, layer.crs()).area():
            return box
    return None


def set_layout_variables(layout, found: Surroundings) -> None:
    QgsExpressionContextUtils.setLayoutVariable(layout, "cget_territoire", ",".join(found.codes))
    QgsExpressionContextUtils.setLayoutVariable(layout, "cget_region", found.region)


def with_surroundings(layers, found: Optional[Surroundings]) -> list:
    """The main map's layers: the territory outline above the areas (under the points), the
    neighbours beneath everything."""
    if found is None:
        return list(layers)
    points = [
        lyr
        for lyr in layers
        if qc.layer_type_is_vector(lyr) and lyr.geometryType() == qc.GEOMETRY_POINT
    ]
    others = [lyr for lyr in layers if lyr not in points]
    return points + [found.outline] + others + [found.background]
