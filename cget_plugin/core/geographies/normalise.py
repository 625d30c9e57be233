"""Source rows -> normalised records, and which of them belong to the territory.

Every output carries ``code``, ``nom``, ``insee_dep`` and ``millesime`` (:data:`NORMALISED`)
before the source's own fields. The catalogue's ``fields`` lists, for each normalised key, the
candidate source columns (:func:`resolve_fields`); a record is a dict of those keys
(:func:`normalise_record`), on which the territory filter on codes decides
(:func:`in_territory`).
"""

from __future__ import annotations

import re
from typing import Dict, List, Optional

from ..definitions import is_null
from ..i18n import tr
from ..reference import arrondissement_commune, fold, normalise_dep, normalise_insee, split_codes

NORMALISED = ("code", "nom", "insee_dep", "millesime")
MAX_LISTED = 15


def normalised_aliases() -> Dict[str, str]:
    return {
        "code": tr("Code"),
        "nom": tr("Name"),
        "insee_dep": tr("Département"),
        "millesime": tr("Vintage"),
        "coord_statut": tr("Coordinate check"),
        "jointure": tr("Join status"),
        "classe": tr("Class"),
        "groupements": tr("Groupings"),
        "nb_communes": tr("Number of communes"),
        "communes": tr("Communes"),
        "lien": tr("Link"),
    }


# -- values -----------------------------------------------------------------------------------


def text_of(value) -> str:
    """A cell as trimmed text: NULL -> '', JSON arrays (ADMIN EXPRESS v4 lists of codes) joined
    with commas."""
    if is_null(value):
        return ""
    if isinstance(value, (list, tuple)):
        return ",".join(text_of(v) for v in value if text_of(v))
    text = str(value).strip()
    return "" if text == "NULL" else text


def to_float(value) -> Optional[float]:
    """A coordinate cell as a number (decimal comma accepted), None when empty or nonsense."""
    text = text_of(value).replace(",", ".").replace(" ", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or abs(number) > 360:  # NaN or nonsense
        return None
    return number


def dep_of_insee(code: str) -> str:
    """The département of a commune code by its form (3 characters overseas)."""
    code = normalise_insee(code)
    if len(code) != 5:
        return ""
    return code[:3] if code.startswith("97") else code[:2]


def listing(items) -> str:
    """At most :data:`MAX_LISTED` items for a message, then "and N more"."""
    items = [str(i) for i in items if str(i)]
    text = ", ".join(items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        text += " " + tr("and {n} more").format(n=len(items) - MAX_LISTED)
    return text


# -- fields -----------------------------------------------------------------------------------


def resolve_fields(spec: Dict[str, List[str]], names: List[str]) -> Dict[str, str]:
    """Map each normalised key to the first candidate present in ``names`` (case-insensitive;
    a ``re:`` candidate is a regular expression on the lower-case name)."""
    out = {}
    for key, candidates in spec.items():
        found = find_field(candidates, names)
        if found:
            out[key] = found
    return out


def find_field(candidates, names) -> str:
    lower = {n.lower(): n for n in names}
    for cand in candidates:
        if cand.startswith("re:"):
            regex = re.compile(cand[3:], re.I)
            for n in names:
                if regex.search(fold(n).replace(" ", "_")) or regex.search(n.lower()):
                    return n
        elif cand.lower() in lower:
            return lower[cand.lower()]
    return ""


# -- records ----------------------------------------------------------------------------------


def normalise_record(state, row: dict, fmap: Dict[str, str]) -> dict:
    """The normalised keys of one source row (``code``, ``nom``, ``insee_dep``, ``communes``,
    ``classe``, ``siren``, ``nature``), with the catalogue's derivation rules."""
    entry = state.entry

    def cell(key: str) -> str:
        return text_of(row.get(fmap[key])) if key in fmap else ""

    communes = _commune_codes(entry, row.get(fmap["communes"]) if "communes" in fmap else None)
    code = cell("code")
    if not code and entry.option("code_from") == "communes" and communes:
        code = communes[0]
    dep = ",".join(normalise_dep(d) for d in cell("insee_dep").split(",") if d.strip())
    if not dep and entry.option("dep_from_code") and code:
        match = re.match(entry.option("dep_from_code"), code)
        if match:
            dep = normalise_dep(match.group(1))
    if not dep and communes:
        dep = state.ref.commune_dep(communes[0]) or dep_of_insee(communes[0])
    return {
        "communes": communes,
        "code": code,
        "nom": cell("nom"),
        "insee_dep": dep,
        "classe": cell("class"),
        "siren": cell("siren"),
        "nature": cell("nature").upper(),
    }


def _commune_codes(entry, raw) -> List[str]:
    """A cell of commune codes: separated (``"13055, 13070"``), or written end to end when the
    entry says so (Filosofi's ``lcog_geo``: ``"9306693070"``)."""
    text = text_of(raw)
    if not text:
        return []
    if entry.option("codes_concatenated"):
        return [text[i : i + 5] for i in range(0, len(text) - 4, 5)]
    return [normalise_insee(c) for c in split_codes(text)]


def apply_keep_rules(state, records: List[dict], fmap: Dict[str, str]) -> List[Optional[dict]]:
    """Records the catalogue's ``keep_unless`` rules leave out become None (and are counted)."""
    rules = state.entry.option("keep_unless") or {}
    out = []
    for rec in records:
        drop = False
        for key, values in rules.items():
            value = rec.get("classe" if key == "class" else key, "")
            if key == "class" and "class" not in fmap:
                continue
            folded = {fold(v) for v in values}
            if fold(value) in folded or (key == "class" and not value):
                drop = True
        out.append(None if drop else rec)
    left_out = sum(1 for rec in out if rec is None)
    if left_out:
        state.info(
            tr("{n} rows of the list are not classed ({values} or empty) and left out.").format(
                n=left_out,
                values=", ".join(v for values in rules.values() for v in values[:2]),
            )
        )
    return out


def in_territory(state, rec: dict) -> bool:
    """The filter on codes: administrative units on their own code, lists of communes on their
    communes (any vintage), the rest on its département; no code at all: kept for the spatial
    filter to decide."""
    terr = state.territory
    if terr.is_empty():
        return True
    level = (state.entry.source.get("wfs") or {}).get("level", "")
    if level == "epci":
        return rec["code"] in terr.epci_codes()
    if level == "departement":
        return normalise_dep(rec["code"]) in terr.departement_codes()
    if level == "region":
        return rec["code"] in terr.region_codes()
    if rec["communes"]:
        return _communes_in_territory(state, rec)
    if state.entry.method == "join_groupements" and rec["siren"]:
        return True  # decided after expansion to member communes
    if rec["insee_dep"]:
        return bool(set(rec["insee_dep"].split(",")) & terr.departement_codes())
    return True


def _communes_in_territory(state, rec: dict) -> bool:
    # A whole département or région also takes the source's own département code (commune
    # codes of another COG vintage still land in the right place).
    if set(rec["insee_dep"].split(",")) & state.whole_departements():
        return True
    wanted = state.territory_communes()
    for code in rec["communes"]:
        if code in wanted or arrondissement_commune(code) in wanted:
            return True
        current = state.ref.current_commune(code)
        if current and current in wanted:
            return True
    return False


def needs_spatial_filter(state, fmap: Dict[str, str]) -> bool:
    """A native geography without commune codes, filtered below the département level."""
    entry = state.entry
    if "communes" in fmap or (entry.source.get("wfs") or {}).get("level"):
        return False  # codes decide (administrative units are filtered on their own code)
    if entry.option("spatial_filter"):
        return True
    fine = any(k in ("epci", "commune") for k, _ in state.territory.codes)
    return fine or "insee_dep" not in fmap and not entry.option("dep_from_code")
