"""What a prefecture map says and where each element sits on the page.

Pure Python (no QGIS objects): the page geometry of docs/map-conventions.md §2 (the generator of
``resources/layouts/*.qpt`` and the template tests read it; at run time the ``.qpt`` is the source
of truth), the type scale (§2.5), the State colours (§3.6), :class:`MapSpec`, and the small rules
the builder and the checks share (orientation, round scales, file names, pre-flight checks).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Dict, List, Tuple

from ..i18n import tr

PAPERS = ("A4", "A3")
ORIENTATIONS = ("landscape", "portrait")
MODES = ("draft", "final")
FORMATS = ("pdf", "png", "svg")

PAGE_SIZE_MM = {
    ("A4", "landscape"): (297.0, 210.0),
    ("A4", "portrait"): (210.0, 297.0),
    ("A3", "landscape"): (420.0, 297.0),
    ("A3", "portrait"): (297.0, 420.0),
}

# Ids every template must carry (the contract between templates and code) and optional ones.
REQUIRED_IDS = (
    "logo_etat",
    "titre",
    "sous_titre",
    "carte",
    "legende",
    "nord",
    "echelle",
    "sources",
    "realisation",
)
# Optional ids the builder fills when a template has them: "filet", "carte_situation",
# "logos_partenaires".

# Items the builder adds at run time (not in the templates).
PLACEHOLDER_ID = "logo_etat_a_fournir"
DRAFT_MARK_ID = "mention_projet"
PAGE_KEY_ID = "cle_page"

# docs/map-conventions.md §2: (x, y, w, h) in mm, origin top-left, reference point UpperLeft.
# The rule ("filet") is a thin filled rectangle; its height is the line weight.
GEOMETRY: Dict[Tuple[str, str], Dict[str, Tuple[float, float, float, float]]] = {
    ("A4", "landscape"): {
        "logo_etat": (10, 10, 45, 22),
        "titre": (62, 10, 225, 12),
        "sous_titre": (62, 23, 225, 8),
        "filet": (10, 35, 277, 0.35),
        "carte": (10, 38, 203, 148),
        "legende": (217, 38, 70, 102),
        "carte_situation": (217, 143, 40, 32),
        "nord": (265, 143, 10, 14),
        "echelle": (217, 178, 70, 8),
        "sources": (10, 189, 150, 11),
        "realisation": (163, 189, 82, 11),
        "logos_partenaires": (249, 189, 38, 11),
    },
    ("A4", "portrait"): {
        "logo_etat": (10, 10, 40, 22),
        "titre": (55, 10, 145, 14),
        "sous_titre": (55, 25, 145, 7),
        "filet": (10, 35, 190, 0.35),
        "carte": (10, 38, 190, 190),
        "legende": (10, 231, 120, 44),
        "carte_situation": (134, 231, 40, 30),
        "nord": (186, 231, 12, 14),
        "echelle": (134, 265, 66, 9),
        "sources": (10, 278, 125, 9),
        "realisation": (138, 278, 62, 9),
    },
    ("A3", "landscape"): {
        "logo_etat": (12, 12, 60, 30),
        "titre": (80, 12, 328, 16),
        "sous_titre": (80, 30, 328, 10),
        "filet": (12, 46, 396, 0.5),
        "carte": (12, 50, 300, 212),
        "legende": (318, 50, 90, 140),
        "carte_situation": (318, 194, 55, 45),
        "nord": (392, 194, 16, 20),
        "echelle": (318, 245, 90, 12),
        "sources": (12, 268, 240, 17),
        "realisation": (256, 268, 100, 17),
        "logos_partenaires": (360, 268, 48, 17),
    },
    ("A3", "portrait"): {
        "logo_etat": (12, 12, 55, 30),
        "titre": (75, 12, 210, 20),
        "sous_titre": (75, 33, 210, 9),
        "filet": (12, 46, 273, 0.5),
        "carte": (12, 50, 273, 272),
        "legende": (12, 327, 175, 65),
        "carte_situation": (192, 327, 55, 45),
        "nord": (262, 327, 16, 20),
        "echelle": (192, 378, 93, 12),
        "sources": (12, 396, 180, 12),
        "realisation": (195, 396, 60, 12),
        "logos_partenaires": (258, 396, 27, 12),
    },
}

# docs/map-conventions.md §2.5, points.
TYPE_SCALE = {
    ("A4", "landscape"): dict(
        title=20, subtitle=12, legend_title=10, legend_item=8, scale=7, small=7
    ),
    ("A4", "portrait"): dict(
        title=18, subtitle=11, legend_title=10, legend_item=8, scale=7, small=6.5
    ),
    ("A3", "landscape"): dict(
        title=28, subtitle=16, legend_title=12, legend_item=10, scale=9, small=8.5
    ),
    ("A3", "portrait"): dict(
        title=26, subtitle=15, legend_title=12, legend_item=10, scale=9, small=8.5
    ),
}

#: Line height of printed text, as a multiple of the type size.
LINE_SPACING = 1.25
#: Average advance of a sans-serif glyph as a fraction of the type size: how many characters
#: a width holds, before anything is measured (legend names are wrapped with it).
AVERAGE_GLYPH_WIDTH_RATIO = 0.6
#: The smallest type printed on a map (pt): sources and legend items never go under it.
MIN_TYPE_PT = 6.0

#: Pages showing less ground than this (m) get a scale bar in metres: a neighbourhood reads
#: 0–250–500 m better than 0–0,25–0,5 km.
METRE_SCALEBAR_BELOW_M = 4000.0

# Legend columns per template (portrait legends sit in a wide, low band under the map).
LEGEND_COLUMNS = {
    ("A4", "landscape"): 1,
    ("A4", "portrait"): 2,
    ("A3", "landscape"): 1,
    ("A3", "portrait"): 3,
}

# docs/map-conventions.md §3.6 (DSFR).
COLOURS = {
    "bleu_france": "#000091",
    "rouge_marianne": "#E1000F",
    "title": "#161616",
    "text": "#3A3A3A",
    "mention": "#666666",
    "border": "#DDDDDD",
    "panel": "#F6F6F6",
    "bleu_925": "#E3E3FD",
}

# Texts printed on the page. A State map issued in France is written in French whatever the
# language of the QGIS interface (loi n° 94-665), so these are not run through tr().
PAGE_TEXT = {
    "sources": "Sources",
    "projection": "Projection",
    "realisation": "Réalisation",
    "legend": "Légende",
    "base_group": "Fond de carte",
    "placeholder": "Bloc-marque officiel à fournir",
    "draft": "PROJET",
    "draft_no_logo": "PROJET – bloc-marque à fournir",
    "title_placeholder": "Titre de la carte",
    "subtitle_placeholder": "Territoire, unité spatiale, millésime",
}

# Marianne first, then the official fallback, then its metric twin and a font every Linux has.
FONT_PREFERENCE = ("Marianne", "Arial", "Liberation Sans", "DejaVu Sans")

# Round ground scales: mantissas tried at every power of ten.
_SCALE_MANTISSAS = (
    1.0, 1.1, 1.2, 1.25, 1.4, 1.5, 1.6, 1.75, 2.0, 2.25, 2.5, 2.75,
    3.0, 3.5, 4.0, 4.5, 5.0, 6.0, 7.0, 7.5, 8.0, 9.0,
)  # fmt: skip

LANDSCAPE_RATIO = 1.15

WINDOWS_RESERVED = {
    "CON",
    "PRN",
    "AUX",
    "NUL",
    *(f"COM{i}" for i in range(1, 10)),
    *(f"LPT{i}" for i in range(1, 10)),
}


@dataclass
class MapSpec:
    """Everything the page says, independent of the data shown."""

    title: str = ""
    subtitle: str = ""
    authority: str = ""  # "Préfète de la Haute-Garonne": the user's own text, never rewritten
    service: str = ""  # author service for "Réalisation : …"
    logo: str = ""  # absolute path of the official bloc-marque (SVG/PNG/JPG), or ""
    extra_sources: List[str] = field(default_factory=list)
    paper: str = "A4"
    orientation: str = ""  # "" = from the extent's aspect ratio
    template: str = ""  # user .qpt overriding the shipped one
    dpi: int = 300
    mode: str = "draft"  # "final" refuses an incomplete map; "draft" marks it PROJET
    partner_logos: List[str] = field(default_factory=list)
    status: str = ""  # optional mention, e.g. "Document de travail – non opposable"
    label_services: bool = False  # services (point layers) labelled with their names


def template_file_name(paper: str, orientation: str) -> str:
    return f"{paper}_{orientation}.qpt"


def orientation_for(width: float, height: float) -> str:
    """docs/map-conventions.md §4.3: landscape when width/height > 1.15."""
    if height <= 0:
        return "landscape"
    return "landscape" if width / height > LANDSCAPE_RATIO else "portrait"


def nice_scale(scale: float) -> float:
    """Smallest round scale denominator >= ``scale`` (1:23 456 -> 1:25 000)."""
    if not scale or scale <= 0 or math.isnan(scale) or math.isinf(scale):
        raise ValueError("scale must be a positive number")
    exponent = math.floor(math.log10(scale))
    for exp in (exponent, exponent + 1):
        for mantissa in _SCALE_MANTISSAS:
            candidate = mantissa * 10**exp
            if candidate >= scale * (1 - 1e-9):
                return float(round(candidate, 6))
    return float(10 ** (exponent + 1))  # pragma: no cover - unreachable


def round_segment(max_units: float) -> float:
    """Largest round scale-bar segment (1, 2, 2.5 or 5 × 10^n) not above ``max_units``
    (docs/map-conventions.md §1.1 #6: 0–5–10 km, never 0–19–38 km)."""
    if not max_units or max_units <= 0 or math.isnan(max_units) or math.isinf(max_units):
        raise ValueError("max_units must be a positive number")
    exponent = math.floor(math.log10(max_units))
    for mantissa in (5.0, 2.5, 2.0, 1.0):
        candidate = round(mantissa * 10**exponent, 9)
        if candidate <= max_units * (1 + 1e-9):
            return candidate
    return round(10**exponent, 9)  # pragma: no cover - 1 × 10^exponent always fits


def pixels_needed(width_mm: float, dpi: float) -> int:
    """Raster width a picture needs to print sharp at ``dpi`` (§2.6)."""
    return int(math.ceil(width_mm / 25.4 * dpi))


_YEAR = re.compile(r"(?<!\d)(19|20)\d{2}(?!\d)")


def has_year(text: str) -> bool:
    """A sources line must give vintages: at least one 4-digit year."""
    return bool(_YEAR.search(text or ""))


def missing_for_final(
    title: str, sources_text: str, has_logo: bool, service: str, uncited_layers: List[str]
) -> List[str]:
    """What a "final" export lacks (docs/map-conventions.md §1.1, §5.1.4); empty when complete."""
    missing = []
    if not (title or "").strip():
        missing.append(tr("a title (TITLE)"))
    if not has_logo:
        missing.append(tr("the official bloc-marque (LOGO or the settings)"))
    if uncited_layers:
        missing.append(
            tr("a source for the layer(s) {names} (SOURCES or layer metadata)").format(
                names=", ".join(f"« {n} »" for n in uncited_layers)
            )
        )
    if not has_year(sources_text):
        missing.append(tr("sources with their vintage (a 4-digit year)"))
    if not (service or "").strip():
        missing.append(tr("the author service for « Réalisation » (AUTHOR or the settings)"))
    return missing


def sanitize_file_stem(text: str, max_length: int = 80) -> str:
    """A file name part valid on Windows, macOS and Linux; accents kept, separators removed."""
    text = unicodedata.normalize("NFC", str(text or ""))
    text = re.sub(r'[<>:"/\\|?*\x00-\x1f]', " ", text)
    text = re.sub(r"\s+", "_", text.strip())
    text = re.sub(r"_+", "_", text).strip("._ ")
    text = text[:max_length].rstrip("._ ")
    if text.upper().split(".")[0] in WINDOWS_RESERVED:
        text = f"_{text}"
    return text


def atlas_file_stems(entries: List[Tuple[str, str]]) -> Tuple[List[str], List[str]]:
    """File stems from (code, name) pairs: "31555_Toulouse". Returns (stems, notes) where the
    notes say which names had to be changed, so the user knows why a file is named so."""
    stems, notes, seen = [], [], {}
    for index, (code, name) in enumerate(entries, start=1):
        raw = "_".join(p for p in (str(code or "").strip(), str(name or "").strip()) if p)
        stem = sanitize_file_stem(raw)
        if not stem:
            stem = f"page_{index:03d}"
        if raw and stem != re.sub(r"\s+", "_", raw):
            notes.append(tr("« {raw} » → « {stem} »").format(raw=raw, stem=stem))
        key = stem.lower()
        if key in seen:
            seen[key] += 1
            new_stem = f"{stem}_{seen[key]}"
            notes.append(tr("« {raw} » appears twice → « {stem} »").format(raw=raw, stem=new_stem))
            stem = new_stem
        else:
            seen[key] = 1
        stems.append(stem)
    return stems, notes


def page_key(number, total, name: str) -> str:
    """Atlas page key, "3/42 – Toulouse" (numbers or the layout expressions giving them)."""
    return f"{number}/{total} – {name}" if name else f"{number}/{total}"


def french_number(value: float) -> str:
    """25000 -> "25 000" (narrow no-break spaces are not in every font: plain no-break space)."""
    return f"{int(round(value)):,}".replace(",", "\u00a0")
