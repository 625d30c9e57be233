"""The ``join_groupements`` strategy: programme rows listed by groupement (``nature_juridique``
COM / EPT / EPCI, as ANCT publishes them), expanded to their member communes through the
shipped reference and dissolved into one feature per programme id."""

from __future__ import annotations

import re
from typing import Dict, List

from qgis.core import QgsGeometry, QgsVectorLayer

from ...compat import make_field
from ..i18n import tr
from ..reference import arrondissement_commune
from .geometry import commune_geometries, repair
from .model import LoadState, Table
from .normalise import find_field, listing, text_of
from .output import new_feature, new_layer


def build_groupements(state: LoadState, table: Table, selected, records, fmap):
    """(layer, feature count): one dissolved feature per programme id."""
    groups = _group_rows(state, table, selected, records)
    if not state.territory.is_empty():
        groups = _groups_in_territory(state, groups, records)
    all_codes = set()
    for g in groups.values():
        all_codes.update(g["communes"])
    geoms = commune_geometries(state, all_codes) if all_codes else {}
    extra = [
        make_field("groupements", "string"),
        make_field("nb_communes", "int"),
        make_field("jointure", "string"),
    ]
    layer = new_layer(state, _constant_fields(table, groups), extra)
    missing_geom: List[str] = []
    feats = [
        _programme_feature(state, layer, table, records, g, geoms, missing_geom)
        for g in groups.values()
    ]
    if missing_geom:
        state.warn(
            tr("{n} member communes have no outline in the commune layer: {codes}.").format(
                n=len(set(missing_geom)), codes=listing(sorted(set(missing_geom)))
            )
        )
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    return layer, len(feats)


def _siren_to_commune(ref) -> Dict[str, str]:
    """SIREN of a commune -> its INSEE code (computed once per reference)."""
    mapping = getattr(ref, "_siren_to_commune", None)
    if mapping is None:
        mapping = {row[5]: code for code, row in ref.communes.items() if row[5]}
        ref._siren_to_commune = mapping
    return mapping


def _members(state: LoadState, rec: dict) -> List[str]:
    """Member communes of a groupement row: its own commune list, a commune (by SIREN or
    INSEE code), else the communes of the EPCI / EPT."""
    if rec["communes"]:
        return rec["communes"]
    if rec["nature"] == "COM":
        code = _siren_to_commune(state.ref).get(rec["siren"], "")
        if not code and re.fullmatch(r"\d{5}|2[AB]\d{3}", rec["siren"]):
            code = rec["siren"]
        return [code] if code else []
    return state.ref.communes_of_epci(rec["siren"])


def _group_rows(state: LoadState, table: Table, selected, records) -> Dict[str, dict]:
    groups: Dict[str, dict] = {}
    unmatched = []
    name_field = find_field(["lib_groupement", "nom_groupement"], table.names())
    for i in selected:
        rec = records[i]
        members = _members(state, rec)
        if not members:
            unmatched.append(rec["siren"] or rec["code"])
        group = groups.setdefault(
            rec["code"] or rec["siren"],
            {"rows": [], "communes": [], "names": [], "first": i, "unmatched": False},
        )
        group["rows"].append(i)
        group["communes"].extend(members)
        if not members:
            group["unmatched"] = True
        if name_field:
            group["names"].append(text_of(table.rows[i].get(name_field)))
    if unmatched:
        state.warn(
            tr(
                "{n} groupements (SIREN) match no EPCI or commune of the reference {vintage}: "
                "{codes}. Their programmes are kept, flagged in the field “jointure”."
            ).format(
                n=len(set(unmatched)),
                codes=listing(sorted(set(unmatched))),
                vintage=state.ref.vintage,
            )
        )
    return groups


def _groups_in_territory(state: LoadState, groups: Dict[str, dict], records) -> Dict[str, dict]:
    """Programmes with a member commune in the territory, or (no member found) whose rows'
    département is in it."""
    wanted = state.territory_communes()
    deps = state.territory.departement_codes()

    def dep_match(group) -> bool:
        return any(set(records[i]["insee_dep"].split(",")) & deps for i in group["rows"])

    return {
        k: g
        for k, g in groups.items()
        if any(c in wanted or arrondissement_commune(c) in wanted for c in g["communes"])
        or (g["unmatched"] and not g["communes"] and dep_match(g))
    }


def _constant_fields(table: Table, groups: Dict[str, dict]):
    """Programme-level fields: the source fields constant within every group."""
    return [
        f
        for f in table.fields
        if all(
            len({text_of(table.rows[i].get(f.name())) for i in g["rows"]}) == 1
            for g in groups.values()
        )
    ]


def _programme_feature(
    state: LoadState, layer: QgsVectorLayer, table: Table, records, group, geoms, missing_geom
):
    ref = state.ref
    rec = dict(records[group["first"]])
    codes = sorted(
        {arrondissement_commune(c) or (ref.current_commune(c) or c) for c in group["communes"]}
    )
    parts = [geoms.get(c) for c in codes]
    ok_parts = [p for p in parts if p is not None]
    missing_geom.extend(c for c, p in zip(codes, parts) if p is None)
    geom = QgsGeometry.unaryUnion(ok_parts) if ok_parts else None
    if geom is not None:
        geom, _ = repair(geom, "polygon")
    rec["groupements"] = ", ".join(dict.fromkeys(n for n in group["names"] if n))
    rec["nb_communes"] = len(codes)
    complete = not group["unmatched"] and len(ok_parts) == len(codes)
    rec["jointure"] = "ok" if complete else "incomplete"
    if not rec["insee_dep"] and codes:
        rec["insee_dep"] = ",".join(sorted({ref.commune_dep(c) for c in codes} - {""}))
    return new_feature(state, layer, table.rows[group["first"]], rec, geom)
