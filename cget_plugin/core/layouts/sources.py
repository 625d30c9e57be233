"""The credits of a map: "Sources : …", projection and "Réalisation : …" lines.

Entries come from the provenance the other tools write into each layer's metadata
(:func:`cget_plugin.core.provenance.layer_credits`) plus what the user adds; they are cleaned,
deduplicated (an entry contained in a longer one is dropped), and copyright notices
("© les contributeurs d'OpenStreetMap") go last, as docs/map-conventions.md §4.2 shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, List, Sequence, Tuple

from .spec import PAGE_TEXT

_PREFIX = re.compile(r"^\s*(sources?|fonds?)\s*:\s*", re.IGNORECASE)


@dataclass
class Credits:
    entries: List[str] = field(default_factory=list)
    uncited_layers: List[str] = field(default_factory=list)

    def sources_line(self) -> str:
        return sources_line(self.entries)


def clean_entry(text: str) -> str:
    text = re.sub(r"\s+", " ", str(text or "")).strip()
    text = _PREFIX.sub("", text)
    return text.strip(" ;.").strip()


def split_user_sources(text) -> List[str]:
    """User text "A ; B\\nC" (or a list) -> ["A", "B", "C"]."""
    if text is None:
        return []
    if isinstance(text, (list, tuple)):
        parts = [p for t in text for p in re.split(r"[;\n]", str(t or ""))]
    else:
        parts = re.split(r"[;\n]", str(text))
    return [c for c in (clean_entry(p) for p in parts) if c]


def _key(text: str) -> str:
    return re.sub(r"[\s\u00a0]+", " ", text).casefold().replace("’", "'")


def _is_copyright(text: str) -> bool:
    return text.startswith("©") or text.lower().startswith("(c)")


def dedupe(entries: Iterable[str]) -> List[str]:
    """Keep order; drop repeats and entries contained in a longer kept entry."""
    cleaned = []
    for entry in entries:
        entry = clean_entry(entry)
        if entry and _key(entry) not in {_key(c) for c in cleaned}:
            cleaned.append(entry)
    out = []
    for entry in cleaned:
        key = _key(entry)
        if any(key != _key(other) and key in _key(other) for other in cleaned):
            continue
        out.append(entry)
    return [e for e in out if not _is_copyright(e)] + [e for e in out if _is_copyright(e)]


def compile_credits(per_layer: Sequence[Tuple[str, List[str]]], user_sources=None) -> Credits:
    """``per_layer``: (readable layer name, credit entries) in legend order."""
    entries, uncited = [], []
    for name, layer_entries in per_layer:
        layer_entries = [e for e in (layer_entries or []) if clean_entry(e)]
        if not layer_entries:
            uncited.append(name)
        entries.extend(layer_entries)
    entries.extend(split_user_sources(user_sources))
    return Credits(dedupe(entries), uncited)


def credits_for_layers(layers, names=None, user_sources=None) -> Credits:
    """Credits of QGIS layers (provenance, else metadata rights, else attribution)."""
    from ..provenance import layer_credits

    names = names or [layer.name() for layer in layers]
    return compile_credits(
        [(name, layer_credits(layer)) for name, layer in zip(names, layers)], user_sources
    )


def sources_line(entries: Sequence[str]) -> str:
    if not entries:
        return ""
    return f"{PAGE_TEXT['sources']} : " + " ; ".join(entries)


def projection_line(description: str, authid: str) -> str:
    """ "Projection : RGF93 v1 / Lambert-93 (EPSG:2154)"."""
    if not authid and not description:
        return ""
    text = description or authid
    if authid and authid not in text:
        text = f"{text} ({authid})"
    return f"{PAGE_TEXT['projection']} : {text}"


def realisation_line(service: str, date_text: str) -> str:
    """ "Réalisation : DDT 31 – SUEL – 27/11/2026" (the date may be an expression)."""
    parts = [p for p in (str(service or "").strip(), date_text) if p]
    return f"{PAGE_TEXT['realisation']} : " + " – ".join(parts)
