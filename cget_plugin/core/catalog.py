"""The catalogue of priority geographies: data in ``resources/catalog/catalog.json``.

``load_catalog()`` reads it (or the file named by the environment variable ``CGET_CATALOG``)
and applies per-source overrides from the QGIS settings: ``cget/sources/<geography_id>`` may
hold a URL (a mirror) or a local file path that replaces the catalogue's sources.
"""

from __future__ import annotations

import json
import os
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from .definitions import SETTINGS_SOURCES_PREFIX
from .errors import InputError
from .i18n import tr
from .paths import resource

# Kept under this name for the settings dialog.
SETTINGS_PREFIX = SETTINGS_SOURCES_PREFIX

THEME_IDS = (
    "politique_ville",
    "ruralite",
    "centralites",
    "industrie",
    "services_publics",
    "decoupages",
    "moteur_local",
)
#: Theme of the local engine's inputs (road network, population grids): data, not zones.
LOCAL_ENGINE_THEME = "moteur_local"


def _theme_labels() -> OrderedDict[str, str]:
    return OrderedDict(
        [
            ("politique_ville", tr("Urban policy")),
            ("ruralite", tr("Rurality")),
            ("centralites", tr("Town centres")),
            ("industrie", tr("Industry")),
            ("services_publics", tr("Public services")),
            ("decoupages", tr("Administrative units")),
            ("moteur_local", tr("Road network and population (local engine)")),
        ]
    )


class _Themes(OrderedDict):
    """Ordered theme id -> translated label; labels are translated when read, so that a
    translator installed after import still applies."""

    def __init__(self):
        super().__init__((key, key) for key in THEME_IDS)

    def __getitem__(self, key):
        OrderedDict.__getitem__(self, key)  # KeyError for unknown themes
        return _theme_labels()[key]

    def get(self, key, default=None):
        return self[key] if key in self else default

    def items(self):
        return list(_theme_labels().items())

    def values(self):
        return list(_theme_labels().values())


THEMES = _Themes()

#: How an entry is fetched: data.gouv.fr dataset, pinned URLs, WFS of administrative units,
#: paged WFS around the territory (road network), national file read for the territory.
SOURCE_KINDS = ("datagouv", "urls", "wfs", "road_wfs", "national_file")
GEOMETRY_TYPES = ("polygon", "point", "line")
GEOMETRY_METHODS = ("native", "points", "join_communes", "join_groupements")
REQUIRED_KEYS = (
    "id",
    "title",
    "theme",
    "producer",
    "dataset",
    "vintage",
    "licence",
    "geometry_type",
    "style",
    "source",
    "geometry",
    "fields",
)


@dataclass
class CatalogEntry:
    id: str
    title: str
    theme: str
    producer: str
    dataset: str
    vintage: str
    licence: str
    geometry_type: str
    style: str
    source: dict
    geometry: dict
    fields: dict
    short_title: str = ""
    page: str = ""
    aliases: dict = field(default_factory=dict)
    raw: dict = field(default_factory=dict, repr=False)
    override: str = ""  # settings override (URL or local path), if any

    @property
    def display_name(self) -> str:
        return self.short_title or self.title

    def option(self, key, default=None):
        """Any other key of the catalogue entry (``dep_from_code``, ``keep_unless``...)."""
        return self.raw.get(key, default)

    @property
    def method(self) -> str:
        return self.geometry.get("method", "native")

    @property
    def max_age_s(self) -> float:
        return float(self.source.get("max_age_days", 30)) * 86400.0


class Catalog:
    def __init__(self, data: dict, path: Path, overrides: Optional[Dict[str, str]] = None):
        self.path = Path(path)
        self.data = data
        self.wfs = dict(data.get("wfs", {}))
        # Catalogue-level service endpoints (isochrones, geocoder), see service_url().
        self.services = dict(data.get("services") or {})
        self._entries: OrderedDict[str, CatalogEntry] = OrderedDict()
        overrides = overrides or {}
        for raw in data.get("entries", []):
            entry = _entry_from_dict(raw, self.path)
            entry.override = overrides.get(entry.id, "")
            self._entries[entry.id] = entry

    def entries(self) -> List[CatalogEntry]:
        return list(self._entries.values())

    def ids(self) -> List[str]:
        return list(self._entries)

    def by_theme(self) -> OrderedDict[str, List[CatalogEntry]]:
        grouped: OrderedDict[str, List[CatalogEntry]] = OrderedDict(
            (theme, []) for theme in THEME_IDS
        )
        for entry in self._entries.values():
            grouped.setdefault(entry.theme, []).append(entry)
        return OrderedDict((k, v) for k, v in grouped.items() if v)

    def get(self, geography_id: str) -> CatalogEntry:
        key = (geography_id or "").strip()
        if key in self._entries:
            return self._entries[key]
        lowered = {k.lower(): v for k, v in self._entries.items()}
        if key.lower() in lowered:
            return lowered[key.lower()]
        raise InputError(
            tr("Unknown geography “{gid}”. Valid identifiers: {ids}.").format(
                gid=geography_id, ids=", ".join(self._entries)
            )
        )

    def service_url(self, name: str, default: str = "") -> str:
        """URL of the service ``name`` (``ign_isochrone``, ``ors_isochrone``, ``valhalla``,
        ``geocoder``) from the catalogue's ``services`` block, else ``default``."""
        value = self.services.get(name)
        return value.strip() if isinstance(value, str) and value.strip() else default


def _entry_from_dict(raw: dict, path: Path) -> CatalogEntry:
    missing = [key for key in REQUIRED_KEYS if key not in raw]
    if missing:
        raise InputError(
            tr("The catalogue {path} is invalid: entry {gid} lacks {keys}.").format(
                path=path, gid=raw.get("id", "?"), keys=", ".join(missing)
            )
        )
    known = {k: raw[k] for k in REQUIRED_KEYS}
    return CatalogEntry(
        **known,
        short_title=raw.get("short_title", ""),
        page=raw.get("page", ""),
        aliases=dict(raw.get("aliases", {})),
        raw=raw,
    )


def validate_catalog_data(data: dict, styles_dir: Optional[Path] = None) -> List[str]:
    """Problems of a catalogue (empty list when valid). Used by tests and on load."""
    problems = []
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        return ["no 'entries' list"]
    services = data.get("services", {})
    if not isinstance(services, dict) or not all(
        isinstance(v, str) and v.strip() for v in services.values()
    ):
        problems.append("'services' must map service names to URLs")
    seen = set()
    for raw in data["entries"]:
        gid = raw.get("id", "?")
        if gid in seen:
            problems.append(f"{gid}: duplicate id")
        seen.add(gid)
        problems.extend(f"{gid}: {problem}" for problem in _entry_problems(raw, styles_dir))
    return problems


def _entry_problems(raw: dict, styles_dir: Optional[Path]) -> List[str]:
    problems = [f"missing key {key}" for key in REQUIRED_KEYS if key not in raw]
    if raw.get("theme") not in THEME_IDS:
        problems.append(f"unknown theme {raw.get('theme')}")
    if raw.get("geometry_type") not in GEOMETRY_TYPES:
        problems.append(f"bad geometry_type {raw.get('geometry_type')}")
    method = (raw.get("geometry") or {}).get("method")
    if method not in GEOMETRY_METHODS:
        problems.append(f"unknown geometry method {method}")
    source = raw.get("source") or {}
    if not any(source.get(kind) for kind in SOURCE_KINDS):
        problems.append("no source ({})".format(", ".join(SOURCE_KINDS)))
    fields = raw.get("fields") or {}
    if not isinstance(fields, dict) or not all(isinstance(v, list) for v in fields.values()):
        problems.append("fields must map names to candidate lists")
    problems.extend(_method_problems(method, raw, fields))
    if styles_dir is not None and raw.get("style"):
        if not (Path(styles_dir) / raw["style"]).is_file():
            problems.append(f"style {raw['style']} not found in {styles_dir}")
    return problems


def _method_problems(method, raw: dict, fields) -> List[str]:
    """What a geometry method needs from the entry's fields."""
    if method == "join_communes" and not fields.get("communes"):
        return ["join_communes needs a 'communes' field"]
    if method == "join_groupements" and not (fields.get("siren") and fields.get("code")):
        return ["join_groupements needs 'siren' and 'code' fields"]
    if method == "points" and not (raw["geometry"].get("lat") and raw["geometry"].get("lon")):
        return ["points need 'lat' and 'lon' columns"]
    return []


def catalog_path() -> Path:
    env = os.environ.get("CGET_CATALOG", "").strip()
    return Path(env) if env else resource("catalog", "catalog.json")


#: Known keys of the catalogue's ``services`` block.
SERVICE_NAMES = ("ign_isochrone", "ors_isochrone", "valhalla", "geocoder")
_services_memo: Dict[tuple, dict] = {}


def service_url(name: str, default: str = "") -> str:
    """Endpoint of a remote service from the ``services`` block of the catalogue in use
    (``CGET_CATALOG`` or the bundled file), else ``default``.

    Callers resolve explicit overrides > QgsSettings > this > their built-in default, so one
    alternate catalogue points every service to a mirror or a replay server. Never raises: an
    unreadable catalogue gives ``default`` (load_catalog() reports it where it matters)."""
    path = catalog_path()
    try:
        key = (str(path), path.stat().st_mtime_ns)
    except OSError:
        return default
    services = _services_memo.get(key)
    if services is None:
        try:
            data = json.loads(path.read_text(encoding="utf-8-sig"))
            services = dict(data.get("services") or {}) if isinstance(data, dict) else {}
        except (OSError, ValueError, TypeError):
            services = {}
        _services_memo.clear()
        _services_memo[key] = services
    value = services.get(name)
    return value.strip() if isinstance(value, str) and value.strip() else default


def settings_overrides(ids) -> Dict[str, str]:
    """Per-geography source overrides from the QGIS settings (empty outside QGIS)."""
    try:
        from qgis.core import QgsSettings
    except ImportError:  # pragma: no cover
        return {}
    settings = QgsSettings()
    out = {}
    for gid in ids:
        value = settings.value(SETTINGS_PREFIX + gid, "", type=str)
        if value and value.strip():
            out[gid] = value.strip()
    return out


def set_source_override(geography_id: str, value: str) -> None:
    """Point a source to a mirror URL or a local file (empty string: back to the catalogue)."""
    from qgis.core import QgsSettings

    settings = QgsSettings()
    if value:
        settings.setValue(SETTINGS_PREFIX + geography_id, value)
    else:
        settings.remove(SETTINGS_PREFIX + geography_id)


def load_catalog(path=None) -> Catalog:
    """The catalogue (``CGET_CATALOG`` or the bundled file), with settings overrides applied."""
    path = Path(path) if path else catalog_path()
    if not path.is_file():
        raise InputError(
            tr(
                "Catalogue file {path} not found. Check the CGET_CATALOG environment variable."
            ).format(path=path)
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except ValueError as exc:
        raise InputError(
            tr("The catalogue {path} is not valid JSON: {detail}.").format(path=path, detail=exc)
        ) from None
    problems = validate_catalog_data(data)
    if problems:
        raise InputError(
            tr("The catalogue {path} is invalid: {problems}.").format(
                path=path, problems="; ".join(problems[:5])
            )
        )
    ids = [e.get("id") for e in data["entries"]]
    return Catalog(data, path, settings_overrides(ids))
