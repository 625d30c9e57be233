"""What a load reads, what it carries from room to room, and what it returns.

:class:`LoadState` is the whole state of one load, declared in one place: its inputs (catalogue
entry, territory, cache, feedback, output CRS, transform context) and what the rooms gather on
the way (messages, the fetched source, the source's own provenance, field map, aliases, commune
outlines already loaded). Every room receives it explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Set, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCoordinateTransformContext,
    QgsField,
    QgsGeometry,
    QgsVectorLayer,
)

from ..cache import Cache
from ..catalog import Catalog, CatalogEntry
from ..errors import CancelledError
from ..feedback import push_info, push_warning
from ..i18n import tr
from ..provenance import Provenance
from ..reference import Reference, load_reference
from ..territory import Territory, crs_for


@dataclass
class Table:
    """Records read from a source: attribute dicts, optional geometries, field definitions."""

    fields: List[QgsField]
    rows: List[dict]
    geoms: List[Optional[QgsGeometry]]
    crs: Optional[QgsCoordinateReferenceSystem] = None
    has_geometry: bool = False
    # Provenance the source layer carries itself (a plugin output, the fictitious sample): it
    # wins over the catalogue's, so a local file is never relabelled as the official dataset.
    own_provenance: Optional[Provenance] = None

    def names(self) -> List[str]:
        return [f.name() for f in self.fields]


@dataclass
class Fetched:
    """A source on disk and what to say about it."""

    path: Path
    url: str
    retrieved: str
    source_date: str = ""
    layername: str = ""
    notes: List[str] = field(default_factory=list)
    local: bool = False


@dataclass
class GeographyResult:
    layer: QgsVectorLayer
    provenance: Provenance
    messages: List[str]
    crs: str
    entry: Optional[CatalogEntry] = None
    territory: Optional[Territory] = None
    layer_name: str = ""
    empty: bool = False
    aliases: Dict[str, str] = field(default_factory=dict)


@dataclass
class LoadState:
    """One load of one catalogue entry for one territory (see module docstring)."""

    catalog: Catalog
    entry: CatalogEntry
    territory: Territory
    cache: Cache
    feedback: object = None
    source: str = ""
    transform_context: QgsCoordinateTransformContext = field(
        default_factory=QgsCoordinateTransformContext
    )
    #: Metres around the territory (road network); None: the catalogue's default.
    margin_m: Optional[float] = None
    crs_id: str = ""
    crs: Optional[QgsCoordinateReferenceSystem] = None
    ref: Optional[Reference] = None
    # Gathered on the way.
    messages: List[str] = field(default_factory=list)
    extra_credits: List[str] = field(default_factory=list)
    fetched: Optional[Fetched] = None
    source_provenance: Optional[Provenance] = None
    field_map: List[Tuple[str, str]] = field(default_factory=list)  # (output, source) names
    aliases: Dict[str, str] = field(default_factory=dict)
    commune_geoms: Dict[str, QgsGeometry] = field(default_factory=dict)
    _whole_departements: Optional[Set[str]] = None
    _territory_communes: Optional[Set[str]] = None

    def __post_init__(self):
        self.source = (self.source or "").strip()
        self.crs_id = self.crs_id or crs_for(self.territory)
        self.crs = QgsCoordinateReferenceSystem(self.crs_id)
        self.ref = self.ref or load_reference()
        self.messages = list(self.territory.notes) + self.messages

    # -- reporting ---------------------------------------------------------------------------
    def info(self, text: str) -> None:
        push_info(self.feedback, text)

    def warn(self, text: str) -> None:
        """A warning the user keeps: in the feedback and in the layer's provenance notes."""
        self.messages.append(text)
        push_warning(self.feedback, text)

    def check_cancel(self) -> None:
        if self.feedback is not None and self.feedback.isCanceled():
            raise CancelledError(tr("Cancelled by the user."))

    def progress(self, value: float) -> None:
        if self.feedback is not None:
            self.feedback.setProgress(value)

    # -- territory, computed once per load ---------------------------------------------------
    def whole_departements(self) -> Set[str]:
        """Départements the territory holds entirely (its départements and régions)."""
        if self._whole_departements is None:
            deps = set(self.territory.of_kind("departement"))
            for reg in self.territory.of_kind("region"):
                deps.update(d for d, row in self.ref.departements.items() if row[1] == reg)
            self._whole_departements = deps
        return self._whole_departements

    def territory_communes(self) -> Set[str]:
        if self._territory_communes is None:
            self._territory_communes = self.territory.commune_codes()
        return self._territory_communes

    def transform_to_output(self, source_crs) -> QgsCoordinateTransform:
        """Source CRS -> output CRS, with the transform context of the run."""
        return QgsCoordinateTransform(source_crs, self.crs, self.transform_context)
