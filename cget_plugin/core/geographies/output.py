"""The output layer: normalised fields first, then the strategy's own fields, then the source's
(renamed on a clash, lists written as text), French aliases, and the provenance of the load."""

from __future__ import annotations

from typing import List

from qgis.core import QgsFeature, QgsField, QgsFields, QgsVectorLayer

from ...compat import make_field
from ..definitions import PRIMARY_KEY_FIELDS, SOURCE_FIELD_SUFFIX
from ..errors import DataError
from ..i18n import tr
from ..provenance import Provenance, now_iso
from .model import GeographyResult, LoadState
from .normalise import NORMALISED, normalised_aliases, text_of

#: Fields a geometry strategy adds, copied from the record when the layer has them.
STRATEGY_FIELDS = ("coord_statut", "jointure", "classe", "groupements", "nb_communes")

_PLAIN_TYPES: set = set()


def _plain_types() -> set:
    """Field types written as they are (the enum this QGIS uses: QVariant or QMetaType)."""
    if not _PLAIN_TYPES:
        for name in ("string", "int", "int64", "double", "bool", "date", "datetime"):
            _PLAIN_TYPES.add(make_field("probe", name).type())
    return _PLAIN_TYPES


def new_layer(
    state: LoadState, source_fields: List[QgsField], extra_fields: List[QgsField]
) -> QgsVectorLayer:
    """An empty memory layer in the output CRS; records the source -> output field names in
    ``state.field_map`` and the aliases in ``state.aliases``."""
    entry = state.entry
    gtype = {"polygon": "MultiPolygon", "line": "MultiLineString"}.get(entry.geometry_type, "Point")
    layer = QgsVectorLayer(f"{gtype}?crs={state.crs_id}", entry.display_name, "memory")
    fields = QgsFields()
    for name in NORMALISED:
        fields.append(make_field(name, "string"))
    taken = set(NORMALISED)
    state.field_map = []
    for f in extra_fields:
        if f.name() not in taken:
            fields.append(QgsField(f))
            taken.add(f.name())
    for f in source_fields:
        out_name = f.name()
        if out_name.lower() in PRIMARY_KEY_FIELDS:
            out_name += SOURCE_FIELD_SUFFIX  # the destination's primary key (GeoPackage fid)
        if out_name.lower() in {t.lower() for t in taken}:
            out_name = f"{out_name}_src"
            if out_name.lower() in {t.lower() for t in taken}:
                continue
        copy = QgsField(f)
        copy.setName(out_name)
        if copy.type() not in _plain_types():
            copy = make_field(out_name, "string")  # lists, maps, blobs: written as text
        fields.append(copy)
        taken.add(out_name)
        state.field_map.append((out_name, f.name()))
    layer.dataProvider().addAttributes(fields.toList())
    layer.updateFields()
    aliases = dict(normalised_aliases())
    aliases.update(entry.aliases)
    for name, alias in aliases.items():
        idx = layer.fields().indexOf(name)
        if idx >= 0:
            layer.setFieldAlias(idx, alias)
    state.aliases = {n: a for n, a in aliases.items() if layer.fields().indexOf(n) >= 0}
    return layer


def new_feature(state: LoadState, layer: QgsVectorLayer, row: dict, rec: dict, geom) -> QgsFeature:
    feat = QgsFeature(layer.fields())
    feat["code"] = rec.get("code") or None
    feat["nom"] = rec.get("nom") or None
    feat["insee_dep"] = rec.get("insee_dep") or None
    feat["millesime"] = state.entry.vintage
    names = layer.fields().names()
    for key in STRATEGY_FIELDS:
        if key in names and key in rec:
            feat[key] = rec[key]
    if "lien" in names and rec.get("code"):
        feat["lien"] = state.entry.option("link_template").format(code=rec["code"])
    for out_name, src_name in state.field_map:
        value = row.get(src_name)
        if isinstance(value, (list, tuple, dict)):
            value = text_of(value) if not isinstance(value, dict) else str(value)
        feat[out_name] = value
    if geom is not None and not geom.isNull():
        feat.setGeometry(geom)
    return feat


def make_result(state: LoadState, layer: QgsVectorLayer, count: int) -> GeographyResult:
    """The result of the load: the layer named after the geography and the territory, its
    provenance (the source's own when it carries one), the messages."""
    entry = state.entry
    fetched = state.fetched
    notes = list(fetched.notes) if fetched is not None else []
    if count == 0:
        if state.territory.is_empty():
            raise DataError(
                tr("The source of {geo} holds no usable feature. Check the file or URL.").format(
                    geo=entry.display_name
                )
            )
        state.warn(
            tr(
                "No {geo} feature in {territory}: the result is an empty layer. This is "
                "legitimate if the territory has none (check the codes otherwise)."
            ).format(geo=entry.display_name, territory=state.territory.label())
        )
    name = tr("{geo} – {territory}").format(
        geo=entry.display_name, territory=state.territory.label()
    )
    if count == 0:
        name = tr("{name} (no feature)").format(name=name)
    for note in notes:
        if note not in state.messages:
            state.info(note)
    layer.setName(name)
    return GeographyResult(
        layer=layer,
        provenance=_provenance(state, notes),
        messages=list(dict.fromkeys(notes + state.messages)),
        crs=state.crs_id,
        entry=entry,
        territory=state.territory,
        layer_name=name,
        empty=count == 0,
        aliases=dict(state.aliases),
    )


def _provenance(state: LoadState, notes: List[str]) -> Provenance:
    entry, fetched = state.entry, state.fetched
    prov = Provenance(
        producer=entry.producer,
        dataset=entry.dataset,
        vintage=entry.vintage,
        url=(fetched.url if fetched else "") or entry.page,
        licence=entry.licence,
        retrieved=(fetched.retrieved if fetched else "") or now_iso(),
        source_date=(fetched.source_date if fetched else ""),
        parameters={
            "geography": entry.id,
            "territory": state.territory.text(),
            "reference": state.ref.vintage,
            # Administrative units are the map's background: layouts list them last.
            "layout_role": "base" if entry.theme == "decoupages" else "thematic",
        },
        notes=notes + [m for m in state.messages if m not in notes],
        extra_credits=list(dict.fromkeys(state.extra_credits)),
    )
    own = state.source_provenance
    if own is None:
        return prov
    parameters = dict(prov.parameters)
    prov = Provenance.from_json(own.to_json())
    prov.parameters = {**own.parameters, **parameters}
    prov.notes = list(dict.fromkeys(own.notes + notes))
    state.info(
        tr("The source carries its own provenance ({credit}): it is kept.").format(
            credit=own.credit_line()
        )
    )
    return prov
