"""Provenance of an output layer: who produced the data, which vintage, from where, under which
licence, retrieved when, computed how. Written into the layer metadata so that map layouts cite
it (``core/layouts/sources.py``) and the user can read it in the layer properties.

Storage, both read back by :func:`read_from_layer`:
- ``QgsLayerMetadata``: title, abstract, rights (the attribution line used by ``map_credits``),
  licences, history, links, keywords;
- the layer custom property ``cget/provenance`` holding the full JSON.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import asdict, dataclass, field
from typing import Optional

from .definitions import PROPERTY_PROVENANCE


@dataclass
class Provenance:
    producer: str  # "ANCT", "IGN", "INSEE"...
    dataset: str  # readable dataset name, "Quartiers prioritaires de la politique de la ville"
    vintage: str = ""  # millésime as cited: "2024", "COG 2026", "liste au 01/08/2024"
    url: str = ""
    licence: str = ""  # "etalab-2.0", "ODbL-1.0"...
    retrieved: str = ""  # ISO date-time of download or computation
    source_date: str = ""  # last_modified / resourceVersion of the source, when known
    engine: str = ""  # routing engine and version for computed layers
    parameters: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)  # e.g. "données fictives", "copie en cache du ..."
    credit: str = ""  # explicit sources-line entry; built from the fields when empty
    extra_credits: list = field(default_factory=list)  # further entries (OSM, engine...)

    def credit_line(self) -> str:
        """Sources-line entry: "Producteur – Jeu de données millésime (données du JJ/MM/AAAA)"."""
        if self.credit:
            return self.credit
        text = f"{self.producer} – {self.dataset}".strip(" –")
        if self.vintage and self.vintage not in text:
            text += f" {self.vintage}"
        if self.source_date:
            text += f" ({_french_date(self.source_date)})"
        return text

    def credits(self) -> list:
        return [self.credit_line(), *[c for c in self.extra_credits if c]]

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Provenance:
        data = json.loads(text)
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def now_iso() -> str:
    return _dt.datetime.now().replace(microsecond=0).isoformat()


def _french_date(value: str) -> str:
    """'2025-02-06T16:18:39' -> 'données du 06/02/2025'; other strings pass through."""
    try:
        day = _dt.datetime.fromisoformat(value.replace("Z", "+00:00")).date()
    except ValueError:
        return value
    from .i18n import tr

    return tr("data of {}").format(day.strftime("%d/%m/%Y"))


def apply_to_layer(layer, prov: Provenance) -> None:
    """Write ``prov`` into ``layer``'s metadata and custom property."""
    from qgis.core import QgsAbstractMetadataBase

    md = layer.metadata()
    md.setTitle(f"{prov.dataset} {prov.vintage}".strip())
    md.setAbstract(_abstract(prov))
    md.setRights(prov.credits())
    if prov.licence:
        md.setLicenses([prov.licence])
    history = list(md.history())
    entry = f"{prov.retrieved or now_iso()} – {prov.producer} – {prov.dataset}"
    if prov.engine:
        entry += f" – {prov.engine}"
    if entry not in history:
        history.append(entry)
    md.setHistory(history)
    if prov.url:
        links = [lk for lk in md.links() if lk.url != prov.url]
        link = QgsAbstractMetadataBase.Link(prov.dataset, "WWW:LINK", prov.url)
        links.append(link)
        md.setLinks(links)
    keywords = md.keywords()
    keywords["cget"] = [k for k in ("cget", prov.producer, prov.vintage) if k]
    # The full record also rides in the metadata so it survives a save to GeoPackage/.qmd,
    # where custom properties are not kept.
    keywords[PROPERTY_PROVENANCE] = [prov.to_json()]
    md.setKeywords(keywords)
    layer.setMetadata(md)
    layer.setCustomProperty(PROPERTY_PROVENANCE, prov.to_json())


def read_from_layer(layer) -> Optional[Provenance]:
    """Provenance of ``layer`` if the plugin wrote one, else ``None``."""
    raw = layer.customProperty(PROPERTY_PROVENANCE, "")
    if not raw:
        stored = layer.metadata().keywords().get(PROPERTY_PROVENANCE, [])
        raw = stored[0] if stored else ""
    if raw:
        try:
            return Provenance.from_json(raw)
        except (ValueError, TypeError):
            return None
    return None


def layer_credits(layer) -> list:
    """Credit entries of any layer: the plugin's provenance, else the metadata rights/attribution."""
    prov = read_from_layer(layer)
    if prov is not None:
        return prov.credits()
    rights = [r for r in layer.metadata().rights() if r]
    if rights:
        return rights
    from ..compat import layer_attribution

    attribution = layer_attribution(layer)
    return [attribution] if attribution else []


def _abstract(prov: Provenance) -> str:
    from .i18n import tr

    lines = [
        tr("Producer: {}").format(prov.producer),
        tr("Dataset: {}").format(prov.dataset),
    ]
    if prov.vintage:
        lines.append(tr("Vintage: {}").format(prov.vintage))
    if prov.source_date:
        lines.append(tr("Source date: {}").format(prov.source_date))
    if prov.url:
        lines.append(tr("Source: {}").format(prov.url))
    if prov.licence:
        lines.append(tr("Licence: {}").format(prov.licence))
    if prov.retrieved:
        lines.append(tr("Retrieved or computed on: {}").format(prov.retrieved))
    if prov.engine:
        lines.append(tr("Engine: {}").format(prov.engine))
    if prov.parameters:
        lines.append(tr("Parameters: {}").format(json.dumps(prov.parameters, ensure_ascii=False)))
    lines.extend(prov.notes)
    return "\n".join(lines)
