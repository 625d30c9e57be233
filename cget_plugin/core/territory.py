"""Territory codes: régions, départements (incl. 2A/2B, 971–976), EPCI (SIREN) and communes
(INSEE), validated against the shipped reference (:mod:`.reference`), searched by code or name,
and the CRS to use for each territory.

Parsing rules of :func:`parse_territory` (région and département codes clash, so a région needs
a prefix):

- codes are separated by commas, semicolons or spaces; an explicit prefix ``reg:``, ``dep:``,
  ``epci:`` or ``com:`` sets the kind;
- a bare code of 5 characters (digits, or ``2A``/``2B`` + 3 digits) is a commune (an
  arrondissement municipal of Paris/Lyon/Marseille or a former commune code is accepted);
- 9 digits are an EPCI SIREN (EPT of the Grand Paris accepted);
- 1 to 3 characters are a département (``1`` → ``01``, ``2a`` → ``2A``);
- 4 digits are a commune code that lost its leading zero (``1053`` → ``01053``);
- a part between commas made of letters is looked up by exact name (accents and case ignored);
  it must designate one territory only.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Set, Tuple

from .definitions import LAMBERT93, official_crs_for_departements
from .errors import InputError
from .i18n import tr
from .reference import (
    KINDS,
    Reference,
    TerritoryMatch,
    clean_code,
    fold,
    kind_label,
    load_reference,
    normalise_dep,
    normalise_insee,
    split_codes,
)

# The territory API: the reference and code helpers are re-exported for its callers.
__all__ = [
    "KINDS",
    "Reference",
    "Territory",
    "TerritoryMatch",
    "clean_code",
    "crs_for",
    "fold",
    "kind_label",
    "load_reference",
    "normalise_dep",
    "normalise_insee",
    "parse_territory",
    "search",
    "split_codes",
]

# A bare 2-digit code is first of all a département for users.
EXACT_CODE_ORDER = ("departement", "commune", "epci", "region")
PREFIXES = {
    "reg": "region",
    "region": "region",
    "dep": "departement",
    "dept": "departement",
    "dpt": "departement",
    "departement": "departement",
    "epci": "epci",
    "com": "commune",
    "commune": "commune",
}

# -- search ---------------------------------------------------------------------------------


def search(text: str, limit: int = 20, kinds: Iterable[str] = KINDS) -> List[TerritoryMatch]:
    """Territories whose code or name matches ``text`` (accents and case ignored): exact code
    first, then exact name, names starting with the text, words starting with it, then names
    containing it; larger populations first within a rank."""
    ref = load_reference()
    raw = (text or "").strip()
    if not raw:
        return []
    kinds = set(kinds)
    query = fold(raw)
    code_query = clean_code(raw)
    scored = _exact_codes(ref, code_query, kinds)
    if query:
        for order, name, kind, code, _display, pop in ref.index():
            rank = _name_rank(name, code, query, code_query) if kind in kinds else 0
            if rank:
                scored.append(((rank, order, -pop), kind, code))
    scored.sort(key=lambda item: (item[0], item[2]))
    out, seen = [], set()
    for _score, kind, code in scored:
        if (kind, code) in seen:
            continue
        seen.add((kind, code))
        out.append(ref.match(kind, code))
        if len(out) >= limit:
            break
    return out


def _exact_codes(ref: Reference, code_query: str, kinds: Set[str]) -> list:
    """Scored exact code matches (a 2-digit code is both a département and a région)."""
    scored = []
    for kind in KINDS:
        if kind not in kinds:
            continue
        candidates = {code_query}
        if kind == "departement":
            candidates.add(normalise_dep(code_query))
        if kind == "commune":
            candidates.add(normalise_insee(code_query))
        for code in candidates:
            if code and ref.exists(kind, code):
                scored.append(((0, EXACT_CODE_ORDER.index(kind), 0), kind, code))
    return scored


def _name_rank(name: str, code: str, query: str, code_query: str) -> int:
    """1 exact name, 2 name starting with the query, 3 a word starting with it, 4 name
    containing it, 5 code starting with it; 0 no match."""
    if name == query:
        return 1
    if name.startswith(query):
        return 2
    if (" " + query) in (" " + name):
        return 3
    if query in name:
        return 4
    if code.startswith(code_query) and len(code_query) >= 2:
        return 5
    return 0


# -- territory ------------------------------------------------------------------------------


@dataclass
class Territory:
    """A set of territory codes: ``codes`` is a list of ``(kind, code)``."""

    codes: List[Tuple[str, str]] = field(default_factory=list)
    notes: List[str] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not self.codes

    def of_kind(self, kind: str) -> List[str]:
        return [code for k, code in self.codes if k == kind]

    def commune_codes(self) -> Set[str]:
        """INSEE codes of every commune of the territory, with the arrondissements municipaux
        of Paris, Lyon and Marseille and their commune, both ways."""
        ref = load_reference()
        out: Set[str] = set()
        for kind, code in self.codes:
            if kind == "region":
                out.update(ref.communes_of_region(code))
            elif kind == "departement":
                out.update(ref.communes_of_departement(code))
            elif kind == "epci":
                out.update(ref.communes_of_epci(code))
            else:
                out.add(code)
                if code in ref.arrondissements:
                    out.add(ref.arrondissements[code][1])
                elif code in ref.former_codes:
                    out.add(ref.former_codes[code])
        for commune in list(out):
            out.update(ref.arrondissements_of.get(commune, []))
        return out

    def departement_codes(self) -> Set[str]:
        ref = load_reference()
        out: Set[str] = set()
        for kind, code in self.codes:
            if kind == "departement":
                out.add(code)
            elif kind == "region":
                out.update(d for d, row in ref.departements.items() if row[1] == code)
            elif kind == "epci":
                out.update(ref.commune_dep(c) for c in ref.communes_of_epci(code))
            else:
                out.add(ref.commune_dep(code))
        out.discard("")
        return out

    def region_codes(self) -> Set[str]:
        ref = load_reference()
        out = {code for kind, code in self.codes if kind == "region"}
        for dep in self.departement_codes():
            if dep in ref.departements:
                out.add(ref.departements[dep][1])
        return out

    def epci_codes(self) -> Set[str]:
        """SIREN of the EPCI that have at least one commune in the territory."""
        ref = load_reference()
        out = {code for kind, code in self.codes if kind == "epci"}
        for commune in self.commune_codes():
            siren = ref.commune_epci(commune)
            if siren:
                out.add(siren)
        return out

    def label(self) -> str:
        """ "Seine-Saint-Denis (93)", "Lyon (69123), Villeurbanne (69266)"…"""
        if not self.codes:
            return tr("France (all)")
        ref = load_reference()
        parts = [f"{ref.name(kind, code) or code} ({code})" for kind, code in self.codes]
        if len(parts) > 3:
            return tr("{first} and {n} other territories").format(first=parts[0], n=len(parts) - 1)
        return ", ".join(parts)

    def text(self) -> str:
        """Codes as typed back into a TERRITORY parameter (regions prefixed)."""
        return ",".join(f"reg:{c}" if k == "region" else c for k, c in self.codes)


def _closest(ref: Reference, kind: Optional[str], code: str) -> List[str]:
    kinds = [kind] if kind else list(KINDS)
    pool = []
    for k in kinds:
        pool.extend(ref.codes_of_kind(k))
    close = []
    if len(code) == 5 and (kind in (None, "commune")):
        # A mistyped commune code is usually a neighbour in the same département.
        prefix = code[:3] if code.startswith("97") else code[:2]
        same = [c for c in pool if len(c) == 5 and c.startswith(prefix)]
        if same and code[2:].isdigit():
            close = sorted(same, key=lambda c: (abs(int(c[2:]) - int(code[2:])), c))[:3]
    if not close:
        close = difflib.get_close_matches(code, pool, n=3, cutoff=0.6)
    if not close and len(code) >= 2:
        close = sorted(c for c in pool if c.startswith(code[:2]) and len(c) == len(code))[:3]
    return [f"{c} ({ref.name(_kind_of(ref, c, kind), c)})" for c in close]


def _kind_of(ref: Reference, code: str, kind: Optional[str]) -> str:
    if kind:
        return kind
    for k in ("departement", "epci", "commune", "region"):
        if ref.exists(k, code):
            return k
    return "commune"


def _classify(token: str) -> Tuple[Optional[str], str]:
    """(kind or None if malformed, normalised code) of a bare or prefixed token."""
    kind = None
    if ":" in token:
        prefix, _, rest = token.partition(":")
        kind = PREFIXES.get(prefix.strip().lower())
        if kind is None:
            return None, token
        token = rest
    code = clean_code(token)
    if kind == "region":
        return kind, code.zfill(2) if code.isdigit() and len(code) == 1 else code
    if kind == "departement":
        return kind, normalise_dep(code)
    if kind == "epci":
        return kind, code
    if kind == "commune":
        return kind, normalise_insee(code)
    if re.fullmatch(r"\d{9}", code):
        return "epci", code
    if re.fullmatch(r"(\d{5}|2[AB]\d{3})", code):
        return "commune", code
    if re.fullmatch(r"\d{4}", code):
        return "commune", code.zfill(5)
    if re.fullmatch(r"(\d{1,3}|2[AB])", code):
        return "departement", normalise_dep(code)
    return None, code


def parse_territory(text) -> Territory:
    """Parse ``"93, 75056; epci:200054781 reg:11"`` into a :class:`Territory`.

    Raises :class:`InputError` naming every bad code and the closest valid ones."""
    if isinstance(text, Territory):
        return text
    if text is None:
        return Territory()
    if not isinstance(text, str):
        text = ",".join(str(t) for t in text)
    ref = load_reference()
    found = Territory()
    errors: List[str] = []
    for part in re.split(r"[,;\n]+", text):
        part = part.strip()
        if not part:
            continue
        if re.search(r"[a-zA-ZÀ-ÿ]{3,}", part) and not re.match(
            r"^\s*(reg|region|dep|dept|departement|epci|com|commune)\s*:", part, re.I
        ):
            matches = _by_name(ref, part)
            if len(matches) == 1:
                found.codes.append((matches[0].kind, matches[0].code))
                continue
            if len(matches) > 1:
                errors.append(
                    tr("“{text}” is ambiguous: {choices}. Use a code.").format(
                        text=part, choices="; ".join(m.label for m in matches[:5])
                    )
                )
                continue
            # not a name: fall through to codes (may be a malformed code)
        for token in re.split(r"\s+", part):
            if token:
                _add_token(ref, token, found, errors)
    if errors:
        raise InputError(
            tr(
                "Territory: {errors} Valid forms: département 93, 2A, 971; commune 93066; "
                "EPCI SIREN 200054781; région reg:11."
            ).format(errors=" ".join(errors))
        )
    return found


def _add_token(ref: Reference, token: str, found: Territory, errors: List[str]) -> None:
    """One code into ``found`` (a former commune code replaced, with a note), or an error."""
    kind, code = _classify(token)
    if kind is None:
        errors.append(
            tr("“{token}” is not a territory code{closest}.").format(
                token=token, closest=_closest_text(ref, None, clean_code(token))
            )
        )
        return
    if kind == "commune" and not ref.exists("commune", code):
        newer = ref.former_codes.get(code)
        if newer:
            found.notes.append(
                tr("Former commune code {old} replaced by {new} ({name}).").format(
                    old=code, new=newer, name=ref.commune_name(newer)
                )
            )
            code = newer
    if not ref.exists(kind, code):
        errors.append(
            tr("Unknown {kind} code “{code}”{closest}.").format(
                kind=kind_label(kind), code=code, closest=_closest_text(ref, kind, code)
            )
        )
        return
    if (kind, code) not in found.codes:
        found.codes.append((kind, code))


def _closest_text(ref: Reference, kind: Optional[str], code: str) -> str:
    close = _closest(ref, kind, code)
    return tr(" (closest valid codes: {codes})").format(codes=", ".join(close)) if close else ""


def _by_name(ref: Reference, text: str) -> List[TerritoryMatch]:
    query = fold(text)
    if not query:
        return []
    found = [
        ref.match(kind, code)
        for _order, name, kind, code, _disp, _pop in ref.index()
        if name == query
    ]
    # A département and its homonymous commune or région ("Paris", "La Réunion"): prefer the
    # larger unit, which is what a territory chooser means by the bare name.
    kinds = {m.kind for m in found}
    if len(found) > 1 and len(kinds) == len(found):
        for kind in ("departement", "region", "epci", "commune"):
            chosen = [m for m in found if m.kind == kind]
            if chosen:
                return chosen
    return found


def crs_for(territory) -> str:
    """Lambert-93 for metropolitan France, the official projected CRS of an overseas
    département; a territory spanning several systems (or all of France) gets Lambert-93."""
    if territory is None:
        return LAMBERT93
    if isinstance(territory, str):
        territory = parse_territory(territory)
    return official_crs_for_departements(territory.departement_codes())
