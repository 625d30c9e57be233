"""Fetch, parse, normalise, filter and validate one priority geography of the catalogue.

:func:`load_geography` is the engine behind ``cget:loadgeography`` and the toolbar. It returns
a memory layer in Lambert-93 (metropolitan France) or the official local CRS (overseas), with
the normalised fields ``code``, ``nom``, ``insee_dep``, ``millesime`` before the source's own,
valid geometries, and the provenance of the data.

How a geography gets its geometry (catalogue ``geometry.method``):
- ``native``: polygons (or points) in the file or the WFS;
- ``points``: latitude/longitude columns of a table (swapped or empty coordinates flagged);
- ``join_communes``: a list of communes joined to the ADMIN EXPRESS commune outlines (the
  ``communes`` geography, which honours its own overrides and cache);
- ``join_groupements``: rows of groupements (``nature_juridique`` COM / EPT / EPCI, as ANCT
  does), expanded to their member communes through the shipped reference, dissolved by
  programme id.
A row that cannot be joined is kept without geometry and reported, never dropped.
"""

from __future__ import annotations

import csv
import io
import re
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QFileInfo

from ..compat import (
    GEOMETRY_POINT,
    GEOMETRY_POLYGON,
    WKB_GEOMETRYCOLLECTION,
    make_field,
    make_valid,
)
from .cache import Cache, CachedFile, cache_note, french_date, sniff_kind, zip_members
from .catalog import Catalog, CatalogEntry, load_catalog
from .errors import CancelledError, DataError, InputError, NetworkError
from .feedback import push_info, push_warning
from .i18n import tr
from .provenance import Provenance, now_iso, read_from_layer
from .territory import (
    Territory,
    arrondissement_commune,
    crs_for,
    fold,
    load_reference,
    normalise_dep,
    normalise_insee,
    parse_territory,
    split_codes,
)

NORMALISED = ("code", "nom", "insee_dep", "millesime")
_TABLE_MEMO: OrderedDict[tuple, _Table] = OrderedDict()
_TABLE_MEMO_SIZE = 3
_TABLE_MEMO_LOCK = threading.Lock()
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")
VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".csv", ".xlsx", ".xls", ".fgb")
MAX_LISTED = 15

# (lat_min, lat_max, lon_min, lon_max) of the French territories, for coordinate checks.
FRANCE_BOXES = {
    "metropole": (41.0, 52.0, -6.0, 10.0),
    "antilles": (14.0, 18.3, -63.3, -60.7),
    "guyane": (2.0, 6.0, -55.0, -51.0),
    "reunion": (-21.5, -20.8, 55.1, 56.0),
    "mayotte": (-13.1, -12.5, 44.9, 45.4),
    "spm": (46.7, 47.2, -56.5, -56.0),
    "polynesie": (-28.0, -7.0, -155.0, -134.0),
    "caledonie": (-23.0, -19.0, 163.0, 169.0),
    "wallis": (-14.5, -13.0, -178.5, -176.0),
}


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

    @property
    def feature_count(self) -> int:
        return self.layer.featureCount()


@dataclass
class _Table:
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
class _Fetched:
    path: Path
    url: str
    retrieved: str
    source_date: str = ""
    layername: str = ""
    notes: List[str] = field(default_factory=list)
    local: bool = False


# -- public entry point ---------------------------------------------------------------------------


def load_geography(
    geography_id: str,
    territory=None,
    source: Optional[str] = None,
    feedback=None,
    catalog: Optional[Catalog] = None,
    cache: Optional[Cache] = None,
) -> GeographyResult:
    """Load ``geography_id`` for ``territory`` (text, :class:`Territory` or None for all of
    France), from the catalogue or from ``source`` (local file, ``file.gpkg|layername=x`` or URL).
    """
    catalog = catalog or load_catalog()
    entry = catalog.get(geography_id)
    terr = parse_territory(territory) if not isinstance(territory, Territory) else territory
    loader = _Loader(catalog, entry, terr, source, feedback, cache or Cache())
    return loader.run()


class _Loader:
    def __init__(self, catalog, entry, territory, source, feedback, cache):
        self.catalog = catalog
        self.entry = entry
        self.territory = territory
        self.source = (source or "").strip()
        self.feedback = feedback
        self.cache = cache
        self.messages: List[str] = list(territory.notes)
        self.notes: List[str] = []
        self.crs_id = crs_for(territory)
        self.crs = QgsCoordinateReferenceSystem(self.crs_id)
        self.ref = load_reference()
        self.extra_credits: List[str] = []
        self.fetched: Optional[_Fetched] = None

    # messages
    def info(self, text):
        push_info(self.feedback, text)

    def warn(self, text):
        self.messages.append(text)
        push_warning(self.feedback, text)

    def check_cancel(self):
        if self.feedback is not None and self.feedback.isCanceled():
            raise CancelledError(tr("Cancelled by the user."))

    def progress(self, value):
        if self.feedback is not None:
            self.feedback.setProgress(value)

    # main
    def run(self) -> GeographyResult:
        entry = self.entry
        self.info(
            tr("Loading {geo} for {territory}…").format(
                geo=entry.display_name, territory=self.territory.label()
            )
        )
        spec = self.source or entry.override
        if not spec and entry.source.get("wfs"):
            table = self._load_wfs()
        else:
            self.fetched = self._fetch(spec)
            self.progress(40)
            table = self._read(self.fetched)
            if self.fetched.local:
                self.source_provenance = table.own_provenance
        self.check_cancel()
        self.progress(55)
        layer, count = self._build(table)
        self.progress(95)
        return self._result(layer, count)

    # -- sources -----------------------------------------------------------------------------

    def _fetch(self, spec: str) -> _Fetched:
        if spec:
            path, layername = _split_layername(spec)
            if re.match(r"^https?://", path, re.I):
                return self._fetch_url(path, layername=layername)
            local = Path(path).expanduser()
            if not local.exists():
                raise InputError(
                    tr(
                        "SOURCE “{source}” is neither an existing file nor an http(s) URL. Give "
                        "the path of a GeoJSON, GeoPackage, shapefile, ZIP or CSV file, or a URL."
                    ).format(source=spec)
                )
            info = QFileInfo(str(local))
            stamp = info.lastModified().toString("yyyy-MM-ddTHH:mm:ss")
            note = tr("Local file {path} (modified {date}).").format(
                path=local, date=french_date(stamp)
            )
            return _Fetched(local, str(local), stamp, stamp, layername, [note], local=True)
        errors: List[str] = []
        saved_retries = self.cache.retries
        try:
            datagouv = self.entry.source.get("datagouv")
            if datagouv:
                try:
                    return self._fetch_datagouv(datagouv)
                except CancelledError:
                    raise
                except (NetworkError, DataError) as exc:
                    errors.append(str(exc))
                    self._after_failure(exc)
                    self.info(
                        tr(
                            "data.gouv.fr dataset API unavailable ({error}); trying the pinned URLs."
                        ).format(error=exc)
                    )
            for url in self.entry.source.get("urls", []):
                try:
                    return self._fetch_url(url)
                except CancelledError:
                    raise
                except (NetworkError, DataError) as exc:
                    errors.append(str(exc))
                    self._after_failure(exc)
                    self.info(str(exc))
        finally:
            self.cache.retries = saved_retries
        raise NetworkError(
            tr(
                "No source of {geo} could be read ({n} addresses tried). Last error: {error} "
                "Connect to the network once, or point this source to a mirror or a local file "
                "(SOURCE parameter or plugin settings)."
            ).format(geo=self.entry.display_name, n=len(errors), error=errors[-1] if errors else "")
        )

    def _after_failure(self, exc) -> None:
        """No answer at all (offline, DNS, proxy): the next addresses are tried once only."""
        if isinstance(exc, NetworkError) and not getattr(exc, "status", None):
            self.cache.retries = 0

    def _fetch_url(self, url: str, source_date: str = "", layername: str = "") -> _Fetched:
        expect = _expected_kind(self.entry, url)
        got: CachedFile = self.cache.fetch(
            url,
            feedback=self.feedback,
            max_age_s=self.entry.max_age_s,
            expect=expect,
            source_date=source_date,
        )
        notes = []
        for warning in got.warnings:
            self.warn(warning)
        if got.stale:
            notes.append(tr("Offline or source unavailable: {note}.").format(note=got.note))
        return _Fetched(
            Path(got.path),
            url,
            got.retrieved,
            source_date or _http_date_iso(got.last_modified),
            layername or self.entry.source.get("layer", ""),
            notes,
        )

    def _fetch_datagouv(self, conf: dict) -> _Fetched:
        base = self.catalog.data.get("datagouv_api", "https://www.data.gouv.fr/api/1/datasets/")
        api_url = base.rstrip("/") + "/" + conf["dataset"] + "/"
        got = self.cache.fetch(
            api_url,
            feedback=self.feedback,
            max_age_s=min(86400.0, self.entry.max_age_s),
            expect="json",
        )
        for warning in got.warnings:
            self.info(warning)
        try:
            import json

            payload = json.loads(Path(got.path).read_text(encoding="utf-8-sig"))
        except ValueError:
            raise DataError(tr("{url} returned invalid JSON.").format(url=api_url)) from None
        resource = pick_resource(payload, conf.get("pattern", ""), conf.get("formats", []))
        if resource is None:
            raise DataError(
                tr("No resource of the data.gouv.fr dataset {id} matches {pattern}.").format(
                    id=conf["dataset"], pattern=conf.get("pattern", "")
                )
            )
        last_modified = resource.get("last_modified") or resource.get("created_at") or ""
        self.info(
            tr("Resource “{title}” of {date}.").format(
                title=resource.get("title", ""), date=french_date(last_modified)
            )
        )
        fetched = self._fetch_url(resource["url"], source_date=last_modified)
        if got.stale and not any(
            tr("cached copy of {date}").split("{")[0] in n for n in fetched.notes
        ):
            # The dataset API could not be asked for a newer file: say which copy this is.
            fetched.notes.append(
                tr("Offline or source unavailable: {note}.").format(
                    note=cache_note(fetched.retrieved)
                )
            )
        fetched.notes.insert(
            0, tr("data.gouv.fr resource: {title}").format(title=resource.get("title", ""))
        )
        return fetched

    # -- reading -----------------------------------------------------------------------------

    def _read(self, fetched: _Fetched) -> _Table:
        path = fetched.path
        if path.is_dir():
            raise InputError(tr("SOURCE {path} is a folder, not a file.").format(path=path))
        # Parsing the national QPV GeoJSON takes about a second: a file read once in the
        # session (same path, size and date) is reused, e.g. for several territories.
        stat = path.stat()
        key = (str(path), fetched.layername, stat.st_size, stat.st_mtime_ns, self.entry.id)
        with _TABLE_MEMO_LOCK:  # loads may run in parallel background tasks
            table = _TABLE_MEMO.get(key)
            if table is not None:
                _TABLE_MEMO.move_to_end(key)
                return table
        table = self._read_file(fetched)
        with _TABLE_MEMO_LOCK:
            _TABLE_MEMO[key] = table
            while len(_TABLE_MEMO) > _TABLE_MEMO_SIZE:
                _TABLE_MEMO.popitem(last=False)
        return table

    def _read_file(self, fetched: _Fetched) -> _Table:
        path = fetched.path
        with open(path, "rb") as handle:
            head = handle.read(4096)
        kind = sniff_kind(head)
        suffix = path.suffix.lower()
        if kind == "zip" and suffix not in (".xlsx",) and not _is_xlsx_zip(path):
            return self._read_zip(path, fetched.layername)
        if kind == "html":
            raise DataError(
                tr("{path} is an HTML page, not data. Check the source URL.").format(
                    path=fetched.url
                )
            )
        if kind == "zip" or suffix in (".xlsx", ".xls") or kind == "xls":
            return read_spreadsheet(str(path), fetched.layername, self.entry)
        if kind == "text" and suffix not in (".geojson", ".json", ".shp", ".gpkg", ".fgb"):
            return read_csv_bytes(path.read_bytes(), str(fetched.url), self.entry)
        return read_vector(str(path), fetched.layername, fetched.url)

    def _read_zip(self, path: Path, layername: str) -> _Table:
        members = zip_members(path)
        pattern = self.entry.source.get("member", "")
        chosen = [m for m in members if pattern and re.search(pattern, m)]
        if not chosen:
            chosen = [m for m in members if m.lower().endswith(VECTOR_SUFFIXES)]
            # one format only: the first one present in order of preference
            for suffix in VECTOR_SUFFIXES:
                same = [m for m in chosen if m.lower().endswith(suffix)]
                if same:
                    chosen = same if suffix == ".shp" else same[:1]
                    break
        if not chosen:
            raise DataError(
                tr("The archive {path} holds no readable data file ({names}).").format(
                    path=path, names=", ".join(members[:10])
                )
            )
        tables = []
        for member in chosen:
            # Braces: GDAL reads an archive whose name does not end in .zip (cache files).
            vsi = f"/vsizip/{{{path.as_posix()}}}/{member}"
            if member.lower().endswith(".csv"):
                import zipfile

                with zipfile.ZipFile(path) as archive:
                    tables.append(read_csv_bytes(archive.read(member), member, self.entry))
            elif member.lower().endswith((".xlsx", ".xls")):
                tables.append(read_spreadsheet(vsi, layername, self.entry))
            else:
                tables.append(read_vector(vsi, layername, member))
        return tables[0] if len(tables) == 1 else _concat(tables, self.crs)

    # -- WFS ---------------------------------------------------------------------------------

    def _load_wfs(self) -> _Table:
        conf = self.entry.source["wfs"]
        wfs = self.catalog.wfs
        level = conf.get("level", "commune")
        values = self._wfs_filter_values(level)
        if values is not None and not values:
            return _Table([], [], [], self.crs, True)
        key_kind = "dep" if level == "commune" else "code"
        candidates = conf.get("filter_fields", {}).get(key_kind, [None])
        last_error = None
        for field_name in candidates if values else [None]:
            try:
                table = self._wfs_pages(wfs, conf["typename"], field_name, values)
                url = wfs.get("url", "")
                self.fetched = _Fetched(
                    Path("."), url, self._wfs_retrieved, "", "", self._wfs_notes
                )
                return table
            except NetworkError as exc:
                last_error = exc
                if exc.status != 400:
                    raise
                self.info(
                    tr(
                        "The WFS refused the filter on {field}; trying the older field names."
                    ).format(field=field_name)
                )
        raise last_error

    def _wfs_filter_values(self, level) -> Optional[List[str]]:
        terr = self.territory
        if terr.is_empty():
            return None
        if level == "commune":
            return sorted(terr.departement_codes())
        if level == "epci":
            return sorted(terr.epci_codes())
        if level == "departement":
            return sorted(terr.departement_codes())
        if level == "region":
            return sorted(terr.region_codes())
        return None

    def _wfs_pages(self, wfs, typename, field_name, values) -> _Table:
        page_size = int(wfs.get("page_size", 5000))
        tables = []
        start = 0
        self._wfs_notes = []
        self._wfs_retrieved = now_iso()
        while True:
            self.check_cancel()
            params = {
                "SERVICE": "WFS",
                "VERSION": "2.0.0",
                "REQUEST": "GetFeature",
                "TYPENAMES": typename,
                "OUTPUTFORMAT": "application/json",
                "SRSNAME": self.crs_id,
                "COUNT": page_size,
                "STARTINDEX": start,
                "SORTBY": wfs.get("sort_by", "cleabs"),
            }
            if field_name and values:
                quoted = ",".join("'{}'".format(v.replace("'", "''")) for v in values)
                params["CQL_FILTER"] = f"{field_name} IN ({quoted})"
            got = self.cache.fetch(
                wfs["url"],
                params=params,
                feedback=self.feedback,
                max_age_s=self.entry.max_age_s,
                expect="json",
            )
            for warning in got.warnings:
                self.warn(warning)
            if got.stale and got.note not in " ".join(self._wfs_notes):
                self._wfs_notes.append(
                    tr("Offline or source unavailable: {note}.").format(note=got.note)
                )
            self._wfs_retrieved = got.retrieved
            import json

            try:
                page = json.loads(Path(got.path).read_text(encoding="utf-8-sig"))
            except ValueError:
                raise DataError(tr("The WFS returned invalid JSON.")) from None
            if not isinstance(page, dict) or "features" not in page:
                raise DataError(
                    tr("The WFS answer is not a GeoJSON feature collection: {text}").format(
                        text=str(page)[:200]
                    )
                )
            features = page.get("features", [])
            if features:
                tables.append(read_vector(str(got.path), "", wfs["url"], default_crs=self.crs))
            matched = page.get("numberMatched")
            start += len(features)
            self.info(tr("WFS: {n} objects read.").format(n=start))
            if not features:
                break
            if isinstance(matched, int):
                # The server may cap COUNT below what was asked: trust numberMatched.
                if start >= matched:
                    break
            elif len(features) < page_size:
                break
        if not tables:
            return _Table([], [], [], self.crs, True)
        return tables[0] if len(tables) == 1 else _concat(tables, self.crs)

    # -- building the output ---------------------------------------------------------------

    def _build(self, table: _Table) -> Tuple[QgsVectorLayer, int]:
        entry = self.entry
        fmap = resolve_fields(entry.fields, table.names())
        method = entry.method
        if method == "native" and not table.has_geometry:
            raise DataError(
                tr(
                    "The source of {geo} has no geometry. Expected polygons or points; check "
                    "the SOURCE file."
                ).format(geo=entry.display_name)
            )
        if method == "points" and table.has_geometry:
            conf = entry.geometry
            names = table.names()
            if not (
                _find_field(conf.get("lat", []), names) and _find_field(conf.get("lon", []), names)
            ):
                method = "native"  # a point layer (GeoPackage...) without coordinate columns
        if method == "native":
            self._check_geometry_type(table)
        if method == "join_communes" and "communes" not in fmap:
            raise DataError(
                tr(
                    "The list of {geo} has no commune code column (expected one of {names})."
                ).format(geo=entry.display_name, names=", ".join(entry.fields.get("communes", [])))
            )
        records = [self._normalise(row, fmap) for row in table.rows]
        records = self._keep(records, fmap)
        keep_idx = list(range(len(table.rows)))
        keep_idx = [i for i in keep_idx if records[i] is not None]
        self.check_cancel()
        # Territory filter on codes
        selected = [i for i in keep_idx if self._in_territory(records[i])]
        geoms: Dict[int, Optional[QgsGeometry]] = {}
        extra_fields: List[QgsField] = []
        if method == "native":
            geoms = {i: table.geoms[i] for i in selected}
            if not self.territory.is_empty() and self._needs_spatial(fmap):
                selected = self._spatial_filter(selected, table)
        elif method == "points":
            extra_fields.append(make_field("coord_statut", "string"))
            geoms = self._points(table, selected, records)
        elif method == "join_communes":
            extra_fields.append(make_field("jointure", "string"))
            geoms = self._join_communes(selected, records)
        elif method == "join_groupements":
            return self._build_groupements(table, selected, records, fmap)
        if "class" in fmap:
            extra_fields.append(make_field("classe", "string"))
        if entry.option("link_template"):
            extra_fields.append(make_field("lien", "string"))
        layer = self._new_layer(table.fields, extra_fields, fmap)
        src_crs = table.crs if table.crs is not None and table.crs.isValid() else WGS84
        transform = None
        if method == "native" and src_crs != self.crs:
            transform = QgsCoordinateTransform(src_crs, self.crs, QgsProject.instance())
        feats = []
        fixed = 0
        for n, i in enumerate(selected):
            if n % 500 == 0:
                self.check_cancel()
            rec = records[i]
            geom = geoms.get(i)
            if geom is not None and not geom.isNull():
                # Repair in the source CRS (what the producer published), then again only if
                # the reprojection itself broke the geometry.
                geom, was_fixed = repair(geom, entry.geometry_type)
                fixed += was_fixed
                if transform is not None:
                    geom = QgsGeometry(geom)
                    geom.transform(transform)
                    geom, _ = repair(geom, entry.geometry_type)
            feats.append(self._feature(layer, table.rows[i], rec, geom))
        if fixed:
            self.warn(
                tr("{n} invalid source geometries were repaired (makeValid).").format(n=fixed)
            )
        layer.dataProvider().addFeatures(feats)
        layer.updateExtents()
        return layer, len(feats)

    def _check_geometry_type(self, table: _Table) -> None:
        wanted = GEOMETRY_POLYGON if self.entry.geometry_type == "polygon" else GEOMETRY_POINT
        for geom in table.geoms:
            if geom is None or geom.isNull():
                continue
            kind = geom.type()
            if kind != wanted:
                raise InputError(
                    tr(
                        "The source of {geo} holds {found}, but {geo} is made of {wanted}. Check "
                        "the SOURCE file (or the layer chosen with |layername=)."
                    ).format(
                        geo=self.entry.display_name,
                        found=QgsWkbTypes.geometryDisplayString(kind),
                        wanted=QgsWkbTypes.geometryDisplayString(wanted),
                    )
                )
            return

    def _normalise(self, row: dict, fmap: Dict[str, str]) -> dict:
        entry = self.entry
        rec = {}
        communes_raw = row.get(fmap["communes"]) if "communes" in fmap else None
        communes = [normalise_insee(c) for c in split_codes(communes_raw)] if communes_raw else []
        rec["communes"] = communes
        code = _text(row.get(fmap["code"])) if "code" in fmap else ""
        if not code and entry.option("code_from") == "communes" and communes:
            code = communes[0]
        rec["code"] = code
        rec["nom"] = _text(row.get(fmap["nom"])) if "nom" in fmap else ""
        dep = _text(row.get(fmap["insee_dep"])) if "insee_dep" in fmap else ""
        dep = ",".join(normalise_dep(d) for d in dep.split(",") if d.strip())
        if not dep and entry.option("dep_from_code") and code:
            match = re.match(entry.option("dep_from_code"), code)
            if match:
                dep = normalise_dep(match.group(1))
        if not dep and communes:
            dep = self.ref.commune_dep(communes[0]) or _dep_of_insee(communes[0])
        rec["insee_dep"] = dep
        rec["classe"] = _text(row.get(fmap["class"])) if "class" in fmap else ""
        rec["siren"] = _text(row.get(fmap["siren"])) if "siren" in fmap else ""
        rec["nature"] = _text(row.get(fmap["nature"])).upper() if "nature" in fmap else ""
        return rec

    def _keep(self, records, fmap):
        rules = self.entry.option("keep_unless") or {}
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
            self.info(
                tr("{n} rows of the list are not classed ({values} or empty) and left out.").format(
                    n=left_out,
                    values=", ".join(v for values in rules.values() for v in values[:2]),
                )
            )
        return out

    def _needs_spatial(self, fmap) -> bool:
        """A native geography without commune codes, filtered below the département level."""
        if "communes" in fmap or (self.entry.source.get("wfs") or {}).get("level"):
            return False  # codes decide (administrative units are filtered on their own code)
        if self.entry.option("spatial_filter"):
            return True
        fine = any(k in ("epci", "commune") for k, _ in self.territory.codes)
        return fine or "insee_dep" not in fmap and not self.entry.option("dep_from_code")

    def _in_territory(self, rec) -> bool:
        terr = self.territory
        if terr.is_empty():
            return True
        level = (self.entry.source.get("wfs") or {}).get("level", "")
        if level == "epci":
            return rec["code"] in terr.epci_codes()
        if level == "departement":
            return normalise_dep(rec["code"]) in terr.departement_codes()
        if level == "region":
            return rec["code"] in terr.region_codes()
        if rec["communes"]:
            # A whole département or région also takes the source's own département code
            # (commune codes of another COG vintage still land in the right place).
            if set(rec["insee_dep"].split(",")) & self._whole_departements():
                return True
            wanted = self._territory_communes()
            for code in rec["communes"]:
                if code in wanted or arrondissement_commune(code) in wanted:
                    return True
                current = self.ref.current_commune(code)
                if current and current in wanted:
                    return True
            return False
        if self.entry.method == "join_groupements" and rec["siren"]:
            return True  # decided after expansion to member communes
        if rec["insee_dep"]:
            return bool(set(rec["insee_dep"].split(",")) & terr.departement_codes())
        return True  # no code at all: the spatial filter decides

    def _whole_departements(self):
        if not hasattr(self, "_wd"):
            ref = self.ref
            deps = set(self.territory.of_kind("departement"))
            for reg in self.territory.of_kind("region"):
                deps.update(d for d, row in ref.departements.items() if row[1] == reg)
            self._wd = deps
        return self._wd

    def _territory_communes(self):
        if not hasattr(self, "_tc"):
            self._tc = self.territory.commune_codes()
        return self._tc

    def _spatial_filter(self, selected, table) -> List[int]:
        if not selected:
            return selected
        union, _crs = self._territory_outline()
        src_crs = table.crs if table.crs is not None and table.crs.isValid() else WGS84
        transform = QgsCoordinateTransform(src_crs, self.crs, QgsProject.instance())
        engine = QgsGeometry.createGeometryEngine(union.constGet())
        engine.prepareGeometry()
        kept = []
        for i in selected:
            geom = table.geoms[i]
            if geom is None or geom.isNull():
                continue
            geom = QgsGeometry(geom)
            geom.transform(transform)
            geom, _ = repair(geom, self.entry.geometry_type)
            if engine.intersects(geom.constGet()):
                inter = geom.intersection(union)
                if inter.area() > 1.0 or self.entry.geometry_type == "point":
                    kept.append(i)
        self.info(
            tr("Spatial filter on the commune outlines: {n} of {total} objects kept.").format(
                n=len(kept), total=len(selected)
            )
        )
        return kept

    def _territory_outline(self):
        communes = self._commune_geometries(self._territory_communes())
        geoms = [g for g in communes.values() if g is not None]
        if not geoms:
            raise DataError(
                tr("No commune outline is available to filter {geo} for {territory}.").format(
                    geo=self.entry.display_name, territory=self.territory.label()
                )
            )
        return QgsGeometry.unaryUnion(geoms), self.crs

    # -- points ----------------------------------------------------------------------------

    def _points(self, table: _Table, selected, records) -> Dict[int, Optional[QgsGeometry]]:
        conf = self.entry.geometry
        names = table.names()
        lat_f = _find_field(conf.get("lat", []), names)
        lon_f = _find_field(conf.get("lon", []), names)
        if not lat_f or not lon_f:
            raise DataError(
                tr(
                    "The table of {geo} has no latitude/longitude columns ({names} expected)."
                ).format(
                    geo=self.entry.display_name,
                    names=", ".join(conf.get("lat", []) + conf.get("lon", [])),
                )
            )
        transform = QgsCoordinateTransform(WGS84, self.crs, QgsProject.instance())
        out = {}
        counts = {"empty": [], "swapped": [], "outside": []}
        for i in selected:
            row = table.rows[i]
            lat, lon = _to_float(row.get(lat_f)), _to_float(row.get(lon_f))
            status = "ok"
            if lat is None or lon is None:
                status = "absentes"
                counts["empty"].append(records[i]["code"] or records[i]["nom"])
                out[i] = None
            else:
                check = check_latlon(lat, lon)
                if check == "swapped":
                    lat, lon = lon, lat
                    status = "inversees_corrigees"
                    counts["swapped"].append(records[i]["code"] or records[i]["nom"])
                elif check == "outside":
                    status = "hors_france"
                    counts["outside"].append(records[i]["code"] or records[i]["nom"])
                geom = QgsGeometry.fromPointXY(QgsPointXY(lon, lat))
                try:
                    geom.transform(transform)
                except Exception:  # noqa: BLE001 - QgsCsException: point far outside the CRS
                    status = "hors_france"
                    geom = None
                out[i] = geom
            records[i]["coord_statut"] = status
        if counts["empty"]:
            self.warn(
                tr("{n} rows have no usable coordinates; kept without geometry: {ids}.").format(
                    n=len(counts["empty"]), ids=_listing(counts["empty"])
                )
            )
        if counts["swapped"]:
            self.warn(
                tr("{n} rows had latitude and longitude swapped; corrected: {ids}.").format(
                    n=len(counts["swapped"]), ids=_listing(counts["swapped"])
                )
            )
        if counts["outside"]:
            self.warn(
                tr("{n} rows have coordinates outside France; kept and flagged: {ids}.").format(
                    n=len(counts["outside"]), ids=_listing(counts["outside"])
                )
            )
        return out

    # -- joins -----------------------------------------------------------------------------

    def _commune_geometries(self, codes: Iterable[str]) -> Dict[str, QgsGeometry]:
        """Outlines (in the output CRS) of the current communes of ``codes``, from the
        ``communes`` geography of the catalogue (override, cache or WFS)."""
        wanted = set()
        for code in codes:
            current = self.ref.current_commune(code) or code
            wanted.add(arrondissement_commune(current) or current)
        if not wanted:
            return {}
        if not hasattr(self, "_commune_geom_cache"):
            self._commune_geom_cache: Dict[str, QgsGeometry] = {}
        missing = wanted - set(self._commune_geom_cache)
        if missing:
            deps = sorted({self.ref.commune_dep(c) or _dep_of_insee(c) for c in missing} - {""})
            sub = _Loader(
                self.catalog,
                self.catalog.get("communes"),
                Territory([("departement", d) for d in deps]),
                "",
                self.feedback,
                self.cache,
            )
            sub.crs_id, sub.crs = self.crs_id, self.crs
            result = sub.run()
            for warning in result.messages:
                if warning not in self.messages:
                    self.messages.append(warning)
            self.extra_credits.append(result.provenance.credit_line())
            self._communes_provenance = result.provenance
            for feat in result.layer.getFeatures():
                code = feat["code"]
                if code and feat.hasGeometry():
                    self._commune_geom_cache[normalise_insee(code)] = feat.geometry()
        return {c: self._commune_geom_cache.get(c) for c in wanted}

    def _join_communes(self, selected, records) -> Dict[int, Optional[QgsGeometry]]:
        all_codes = set()
        for i in selected:
            all_codes.update(records[i]["communes"])
        geoms = self._commune_geometries(all_codes)
        out = {}
        unmatched = []
        renamed = []
        for i in selected:
            parts = []
            status = "ok"
            for code in records[i]["communes"]:
                current = self.ref.current_commune(code) or code
                target = arrondissement_commune(current) or current
                if target != code and code not in self.ref.arrondissements:
                    renamed.append(f"{code}→{target}")
                geom = geoms.get(target)
                if geom is None:
                    unmatched.append(code)
                    status = "commune_introuvable"
                else:
                    parts.append(geom)
            records[i]["jointure"] = status
            out[i] = (
                QgsGeometry.unaryUnion(parts) if len(parts) > 1 else (parts[0] if parts else None)
            )
        if renamed:
            self.warn(
                tr("{n} former commune codes attached to their current commune: {codes}.").format(
                    n=len(set(renamed)), codes=_listing(sorted(set(renamed)))
                )
            )
        if unmatched:
            self.warn(
                tr(
                    "{n} commune codes of the list match no commune outline; rows kept without "
                    "geometry (field “jointure”): {codes}."
                ).format(n=len(set(unmatched)), codes=_listing(sorted(set(unmatched))))
            )
        return out

    def _build_groupements(self, table, selected, records, fmap):
        """Programme rows by groupement -> one dissolved feature per programme id."""
        ref = self.ref
        siren_to_commune = getattr(ref, "_siren_to_commune", None)
        if siren_to_commune is None:
            siren_to_commune = {row[5]: code for code, row in ref.communes.items() if row[5]}
            ref._siren_to_commune = siren_to_commune
        groups: Dict[str, dict] = {}
        unmatched = []
        for i in selected:
            rec = records[i]
            members: List[str] = []
            if rec["communes"]:
                members = rec["communes"]
            elif rec["nature"] == "COM":
                code = siren_to_commune.get(rec["siren"], "")
                if not code and re.fullmatch(r"\d{5}|2[AB]\d{3}", rec["siren"]):
                    code = rec["siren"]
                members = [code] if code else []
            else:
                members = ref.communes_of_epci(rec["siren"])
            if not members:
                unmatched.append(rec["siren"] or rec["code"])
            key = rec["code"] or rec["siren"]
            group = groups.setdefault(
                key, {"rows": [], "communes": [], "names": [], "first": i, "unmatched": False}
            )
            group["rows"].append(i)
            group["communes"].extend(members)
            if not members:
                group["unmatched"] = True
            name_field = _find_field(["lib_groupement", "nom_groupement"], table.names())
            if name_field:
                group["names"].append(_text(table.rows[i].get(name_field)))
        if unmatched:
            self.warn(
                tr(
                    "{n} groupements (SIREN) match no EPCI or commune of the reference {vintage}: "
                    "{codes}. Their programmes are kept, flagged in the field “jointure”."
                ).format(
                    n=len(set(unmatched)),
                    codes=_listing(sorted(set(unmatched))),
                    vintage=ref.vintage,
                )
            )
        if not self.territory.is_empty():
            wanted = self._territory_communes()
            groups = {
                k: g
                for k, g in groups.items()
                if any(c in wanted or arrondissement_commune(c) in wanted for c in g["communes"])
                or (g["unmatched"] and not g["communes"] and self._dep_match(g, records))
            }
        all_codes = set()
        for g in groups.values():
            all_codes.update(g["communes"])
        geoms = self._commune_geometries(all_codes) if all_codes else {}
        # Programme-level fields: the source fields constant within every group.
        constant = []
        for f in table.fields:
            name = f.name()
            if all(
                len({_text(table.rows[i].get(name)) for i in g["rows"]}) == 1
                for g in groups.values()
            ):
                constant.append(f)
        extra = [
            make_field("groupements", "string"),
            make_field("nb_communes", "int"),
            make_field("jointure", "string"),
        ]
        layer = self._new_layer(constant, extra, fmap)
        feats = []
        missing_geom = []
        for g in groups.values():
            rec = dict(records[g["first"]])
            codes = sorted(
                {arrondissement_commune(c) or (ref.current_commune(c) or c) for c in g["communes"]}
            )
            parts = [geoms.get(c) for c in codes]
            ok_parts = [p for p in parts if p is not None]
            missing_geom.extend(c for c, p in zip(codes, parts) if p is None)
            geom = QgsGeometry.unaryUnion(ok_parts) if ok_parts else None
            if geom is not None:
                geom, _ = repair(geom, "polygon")
            rec["groupements"] = ", ".join(dict.fromkeys(n for n in g["names"] if n))
            rec["nb_communes"] = len(codes)
            rec["jointure"] = (
                "ok" if not g["unmatched"] and len(ok_parts) == len(codes) else "incomplete"
            )
            if not rec["insee_dep"] and codes:
                deps = sorted({ref.commune_dep(c) for c in codes} - {""})
                rec["insee_dep"] = ",".join(deps)
            feats.append(self._feature(layer, table.rows[g["first"]], rec, geom))
        if missing_geom:
            self.warn(
                tr("{n} member communes have no outline in the commune layer: {codes}.").format(
                    n=len(set(missing_geom)), codes=_listing(sorted(set(missing_geom)))
                )
            )
        layer.dataProvider().addFeatures(feats)
        layer.updateExtents()
        return layer, len(feats)

    def _dep_match(self, group, records) -> bool:
        deps = self.territory.departement_codes()
        return any(set(records[i]["insee_dep"].split(",")) & deps for i in group["rows"])

    # -- layer -----------------------------------------------------------------------------

    def _new_layer(self, source_fields, extra_fields, fmap) -> QgsVectorLayer:
        gtype = "MultiPolygon" if self.entry.geometry_type == "polygon" else "Point"
        layer = QgsVectorLayer(f"{gtype}?crs={self.crs_id}", self.entry.display_name, "memory")
        fields = QgsFields()
        for name in NORMALISED:
            fields.append(make_field(name, "string"))
        taken = set(NORMALISED)
        self._field_map: List[Tuple[str, str]] = []  # (output name, source name)
        for f in extra_fields:
            if f.name() not in taken:
                fields.append(QgsField(f))
                taken.add(f.name())
        for f in source_fields:
            out_name = f.name()
            if out_name.lower() == "fid":
                out_name = "fid_src"  # "fid" is the GeoPackage primary key of the output
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
            self._field_map.append((out_name, f.name()))
        layer.dataProvider().addAttributes(fields.toList())
        layer.updateFields()
        aliases = dict(normalised_aliases())
        aliases.update(self.entry.aliases)
        for name, alias in aliases.items():
            idx = layer.fields().indexOf(name)
            if idx >= 0:
                layer.setFieldAlias(idx, alias)
        self.aliases = {n: a for n, a in aliases.items() if layer.fields().indexOf(n) >= 0}
        return layer

    def _feature(self, layer, row, rec, geom) -> QgsFeature:
        feat = QgsFeature(layer.fields())
        feat["code"] = rec.get("code") or None
        feat["nom"] = rec.get("nom") or None
        feat["insee_dep"] = rec.get("insee_dep") or None
        feat["millesime"] = self.entry.vintage
        names = layer.fields().names()
        for key in ("coord_statut", "jointure", "classe", "groupements", "nb_communes"):
            if key in names and key in rec:
                feat[key] = rec[key]
        if "lien" in names and rec.get("code"):
            feat["lien"] = self.entry.option("link_template").format(code=rec["code"])
        for out_name, src_name in self._field_map:
            value = row.get(src_name)
            if isinstance(value, (list, tuple, dict)):
                value = _text(value) if not isinstance(value, dict) else str(value)
            feat[out_name] = value
        if geom is not None and not geom.isNull():
            feat.setGeometry(geom)
        return feat

    def _result(self, layer, count) -> GeographyResult:
        entry = self.entry
        fetched = self.fetched
        notes = []
        if fetched is not None:
            notes.extend(fetched.notes)
        if count == 0:
            if self.territory.is_empty():
                raise DataError(
                    tr(
                        "The source of {geo} holds no usable feature. Check the file or URL."
                    ).format(geo=entry.display_name)
                )
            self.warn(
                tr(
                    "No {geo} feature in {territory}: the result is an empty layer. This is "
                    "legitimate if the territory has none (check the codes otherwise)."
                ).format(geo=entry.display_name, territory=self.territory.label())
            )
        name = tr("{geo} – {territory}").format(
            geo=entry.display_name, territory=self.territory.label()
        )
        if count == 0:
            name = tr("{name} (no feature)").format(name=name)
        for note in notes:
            if note not in self.messages:
                self.info(note)
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
                "territory": self.territory.text(),
                "reference": self.ref.vintage,
                # Administrative units are the map's background: layouts list them last.
                "layout_role": "base" if entry.theme == "decoupages" else "thematic",
            },
            notes=notes + [m for m in self.messages if m not in notes],
            extra_credits=list(dict.fromkeys(self.extra_credits)),
        )
        own = getattr(self, "source_provenance", None)
        if own is not None:
            parameters = dict(prov.parameters)
            prov = Provenance.from_json(own.to_json())
            prov.parameters = {**own.parameters, **parameters}
            prov.notes = list(dict.fromkeys(own.notes + notes))
            self.info(
                tr("The source carries its own provenance ({credit}): it is kept.").format(
                    credit=own.credit_line()
                )
            )
        layer.setName(name)
        return GeographyResult(
            layer=layer,
            provenance=prov,
            messages=list(dict.fromkeys(notes + self.messages)),
            crs=self.crs_id,
            entry=entry,
            territory=self.territory,
            layer_name=name,
            empty=count == 0,
            aliases=dict(getattr(self, "aliases", {})),
        )


# -- helpers ----------------------------------------------------------------------------------


def _split_layername(spec: str) -> Tuple[str, str]:
    path, _, rest = spec.partition("|")
    match = re.search(r"layername=([^|]+)", rest)
    return path.strip(), (match.group(1).strip() if match else "")


def _expected_kind(entry: CatalogEntry, url: str) -> str:
    """What the download must look like, from the URL (a redirect or an API URL says nothing:
    then only HTML pages and empty bodies are refused; the reader checks the rest)."""
    low = url.lower().split("?")[0]
    if low.endswith((".geojson", ".json")):
        return "geojson"
    if low.endswith(".zip"):
        return "zip"
    if low.endswith(".xlsx"):
        return "xlsx"
    return "data"


def _http_date_iso(value: str) -> str:
    if not value:
        return ""
    import email.utils

    try:
        return email.utils.parsedate_to_datetime(value).replace(tzinfo=None).isoformat()
    except (TypeError, ValueError):
        return value


def pick_resource(payload: dict, pattern: str, formats: List[str]) -> Optional[dict]:
    """Newest resource of a data.gouv.fr dataset whose title or URL matches ``pattern`` and
    whose format is one of ``formats``."""
    resources = payload.get("resources", []) if isinstance(payload, dict) else []
    formats = [f.lower() for f in formats or []]
    regex = re.compile(pattern) if pattern else None
    candidates = []
    for res in resources:
        if not isinstance(res, dict) or not res.get("url"):
            continue
        fmt = (res.get("format") or "").lower()
        if formats and fmt not in formats:
            continue
        text = f"{res.get('title', '')} {res.get('url', '')}"
        if regex and not (regex.search(res.get("title", "")) or regex.search(res.get("url", ""))):
            if not regex.search(text):
                continue
        candidates.append(res)
    if not candidates:
        return None
    return max(candidates, key=lambda r: r.get("last_modified") or r.get("created_at") or "")


def resolve_fields(spec: Dict[str, List[str]], names: List[str]) -> Dict[str, str]:
    """Map each normalised key to the first candidate present in ``names`` (case-insensitive;
    a ``re:`` candidate is a regular expression on the lower-case name)."""
    out = {}
    for key, candidates in spec.items():
        found = _find_field(candidates, names)
        if found:
            out[key] = found
    return out


def _find_field(candidates, names) -> str:
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


def _text(value) -> str:
    if value is None:
        return ""
    if _is_null(value):
        return ""
    if isinstance(value, (list, tuple)):  # JSON arrays (ADMIN EXPRESS v4 lists of codes)
        return ",".join(_text(v) for v in value if _text(v))
    text = str(value).strip()
    return "" if text in ("NULL",) else text


def _dep_of_insee(code: str) -> str:
    code = normalise_insee(code)
    if len(code) != 5:
        return ""
    return code[:3] if code.startswith("97") else code[:2]


def _to_float(value) -> Optional[float]:
    text = _text(value).replace(",", ".").replace(" ", "")
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        return None
    if number != number or abs(number) > 360:  # NaN or nonsense
        return None
    return number


def _in_box(lat, lon) -> bool:
    return any(a <= lat <= b and c <= lon <= d for a, b, c, d in FRANCE_BOXES.values())


def check_latlon(lat: float, lon: float) -> str:
    """'ok', 'swapped' (the pair is in France once swapped) or 'outside'."""
    if _in_box(lat, lon):
        return "ok"
    if _in_box(lon, lat):
        return "swapped"
    return "outside"


def _listing(items) -> str:
    items = [str(i) for i in items if str(i)]
    text = ", ".join(items[:MAX_LISTED])
    if len(items) > MAX_LISTED:
        text += " " + tr("and {n} more").format(n=len(items) - MAX_LISTED)
    return text


def repair(geom: QgsGeometry, geometry_type: str) -> Tuple[QgsGeometry, int]:
    """Valid geometry of the wanted type (multi for polygons); 1 if it had to be repaired.
    Works on a copy: the source table may be reused."""
    geom = QgsGeometry(geom)
    fixed = 0
    if geometry_type == "polygon":
        if not geom.isGeosValid():
            # "structure" method where available (3.28+): keeps areas, drops collapsed parts
            made = make_valid(geom, structure=True)
            if made is not None and not made.isNull():
                geom = made
                fixed = 1
        if QgsWkbTypes.flatType(geom.wkbType()) == WKB_GEOMETRYCOLLECTION:
            polys = [
                QgsGeometry(part.clone())
                for part in geom.constParts()
                if QgsWkbTypes.geometryType(part.wkbType()) == GEOMETRY_POLYGON
            ]
            geom = QgsGeometry.collectGeometry(polys) if polys else QgsGeometry()
        if not geom.isNull():
            geom.convertToMultiType()
            if QgsWkbTypes.hasZ(geom.wkbType()) or QgsWkbTypes.hasM(geom.wkbType()):
                geom = QgsGeometry(geom.constGet().clone())
                geom.get().dropZValue()
                geom.get().dropMValue()
    else:
        if QgsWkbTypes.isMultiType(geom.wkbType()):
            parts = geom.asGeometryCollection()
            if parts:
                geom = parts[0]
    return geom, fixed


# -- readers ----------------------------------------------------------------------------------


# Two background loads opening the same GeoPackage at once were seen to deadlock inside the
# OGR provider (QGIS 3.22): reads of local files are serialised.
_READ_LOCK = threading.Lock()


def read_vector(uri: str, layername: str = "", label: str = "", default_crs=None) -> _Table:
    """Features of a vector file through OGR (GeoJSON, GeoPackage, shapefile, FlatGeobuf)."""
    with _READ_LOCK:
        return _read_vector(uri, layername, label, default_crs)


def _read_vector(uri: str, layername: str = "", label: str = "", default_crs=None) -> _Table:
    full = f"{uri}|layername={layername}" if layername else uri
    layer = QgsVectorLayer(full, "source", "ogr")
    if not layer.isValid():
        if layername:
            raise InputError(
                tr("Layer “{layer}” not found in {path}.").format(layer=layername, path=uri)
            )
        raise DataError(
            tr(
                "{path} cannot be read as vector data (corrupt, truncated or unknown format)."
            ).format(path=label or uri)
        )
    sublayers = layer.dataProvider().subLayers()
    if not layername and len(sublayers) > 1:
        names = [s.split("!!::!!")[1] for s in sublayers if "!!::!!" in s]
        # A GeoPackage with several layers: take the first with geometry, say so.
        for name in names:
            candidate = QgsVectorLayer(f"{uri}|layername={name}", "source", "ogr")
            if candidate.isValid() and candidate.isSpatial():
                layer = candidate
                break
    crs = layer.crs() if layer.crs().isValid() else default_crs
    fields = [QgsField(f) for f in layer.fields()]
    names = [f.name() for f in fields]
    rows, geoms = [], []
    for feat in layer.getFeatures():
        attrs = feat.attributes()
        rows.append({n: _plain(v) for n, v in zip(names, attrs)})
        geoms.append(QgsGeometry(feat.geometry()) if feat.hasGeometry() else None)
    table = _Table(fields, rows, geoms, crs, layer.isSpatial())
    table.own_provenance = read_from_layer(layer)
    return table


def _plain(value):
    return None if _is_null(value) else value


def _is_null(value) -> bool:
    """None, or a NULL attribute value (a null QVariant on Qt 5 builds)."""
    if value is None:
        return True
    is_null = getattr(value, "isNull", None)
    return type(value).__name__ == "QVariant" and callable(is_null) and is_null()


_PLAIN_TYPES: set = set()


def _plain_types() -> set:
    """Field types written as they are (the enum this QGIS uses: QVariant or QMetaType)."""
    if not _PLAIN_TYPES:
        for name in ("string", "int", "int64", "double", "bool", "date", "datetime"):
            _PLAIN_TYPES.add(make_field("probe", name).type())
    return _PLAIN_TYPES


def read_csv_bytes(content: bytes, label: str = "", entry: Optional[CatalogEntry] = None) -> _Table:
    """A CSV list as text (codes keep their leading zeros): BOM stripped, encoding UTF-8 or
    Windows-1252, delimiter sniffed (``;``, ``,``, tab, ``|``), title lines above the header
    skipped (the header is the first line naming a catalogue column), Excel ``="01053"``
    wrappers handled later by ``clean_code``."""
    text = None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    if text is None or not text.strip():
        raise DataError(tr("{path} is empty or not a text file.").format(path=label))
    text = text.lstrip("\ufeff")
    lines = text.splitlines()
    start = _header_line(lines, entry)
    first = lines[start] if lines else ""
    delimiter = max(";,\t|", key=first.count) if first else ";"
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(tr("{path} is empty.").format(path=label)) from None
    header = [_clean_header(h, n) for n, h in enumerate(header)]
    rows = []
    for values in reader:
        if not any(v.strip() for v in values):
            continue
        rows.append(
            {h: (values[n].strip() if n < len(values) else "") for n, h in enumerate(header)}
        )
    fields = [make_field(h, "string") for h in header]
    return _Table(fields, rows, [None] * len(rows), None, False)


def _candidates(entry: Optional[CatalogEntry]) -> set:
    out = set()
    if entry is not None:
        for values in entry.fields.values():
            out.update(v.lower() for v in values if not v.startswith("re:"))
        for key in ("lat", "lon"):
            out.update(v.lower() for v in entry.geometry.get(key, []))
    return out


def _header_line(lines: List[str], entry: Optional[CatalogEntry]) -> int:
    names = _candidates(entry)
    if not names:
        return 0
    for n, line in enumerate(lines[:30]):
        cells = {c.strip().strip('"').strip().lower() for c in re.split(r"[;,\t|]", line)}
        if cells & names:
            return n
    return 0


def _clean_header(name: str, index: int) -> str:
    name = name.strip().strip('"').strip()
    name = re.sub(r"^=\"?|\"$", "", name)
    return name or f"field_{index + 1}"


def read_spreadsheet(uri: str, sheet: str, entry: Optional[CatalogEntry]) -> _Table:
    """An XLSX/XLS sheet as text rows; the header row is the first row holding a candidate
    column name of the catalogue (title rows above it are skipped)."""
    from osgeo import gdal, ogr

    gdal.UseExceptions()
    try:
        ds = gdal.OpenEx(
            uri, gdal.OF_VECTOR, open_options=["HEADERS=DISABLE", "FIELD_TYPES=STRING"]
        )
    except RuntimeError:
        ds = None
    if ds is None:
        raise DataError(tr("{path} cannot be read as a spreadsheet.").format(path=uri))
    layer = None
    if sheet:
        layer = ds.GetLayerByName(sheet)
        if layer is None:
            names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
            raise InputError(
                tr("Sheet “{sheet}” not found in {path} (sheets: {names}).").format(
                    sheet=sheet, path=uri, names=", ".join(names)
                )
            )
    else:
        layer = ds.GetLayer(0)
    raw_rows = []
    for feat in layer:
        raw_rows.append([_cell(feat.GetField(i)) for i in range(feat.GetFieldCount())])
    candidates = _candidates(entry)
    header_idx = 0
    for n, values in enumerate(raw_rows[:30]):
        if any(v.strip().lower() in candidates for v in values):
            header_idx = n
            break
    if not raw_rows:
        raise DataError(tr("{path} has no rows.").format(path=uri))
    header = [_clean_header(v, n) for n, v in enumerate(raw_rows[header_idx])]
    rows = []
    for values in raw_rows[header_idx + 1 :]:
        if not any(v.strip() for v in values):
            continue
        rows.append(
            {h: (values[n].strip() if n < len(values) else "") for n, h in enumerate(header)}
        )
    fields = [make_field(h, "string") for h in header]
    del ds
    _ = ogr  # imported for the driver registration side effect in older GDAL
    return _Table(fields, rows, [None] * len(rows), None, False)


def _cell(value) -> str:
    if value is None:
        return ""
    return str(value)


def _is_xlsx_zip(path: Path) -> bool:
    try:
        return any(m.startswith("xl/") for m in zip_members(path)[:50])
    except DataError:
        return False


def _concat(tables: List[_Table], target_crs) -> _Table:
    """Several files or pages as one table. Same CRS everywhere: kept as is; otherwise (one
    shapefile per territory) geometries go to WGS84. A field keeps its type when every table
    agrees on it, else becomes text."""
    crs_set = {t.crs.authid() for t in tables if t.crs is not None and t.crs.isValid()}
    common = tables[0].crs if len(crs_set) == 1 else WGS84
    fields: List[QgsField] = []
    by_name: Dict[str, QgsField] = {}
    for table in tables:
        for f in table.fields:
            key = f.name().lower()
            if key not in by_name:
                by_name[key] = QgsField(f)
                fields.append(by_name[key])
            elif by_name[key].type() != f.type():
                text = make_field(by_name[key].name(), "string")
                fields[fields.index(by_name[key])] = text
                by_name[key] = text
    text_type = make_field("probe", "string").type()
    text_fields = {f.name().lower() for f in fields if f.type() == text_type}
    names = {f.name().lower(): f.name() for f in fields}
    rows, geoms = [], []
    for table in tables:
        transform = None
        if table.crs is not None and table.crs.isValid() and table.crs != common:
            transform = QgsCoordinateTransform(table.crs, common, QgsProject.instance())
        for row, geom in zip(table.rows, table.geoms):
            out = {}
            for key, value in row.items():
                low = key.lower()
                if low in text_fields and value is not None and not isinstance(value, str):
                    value = _text(value)
                out[names[low]] = value
            rows.append(out)
            if geom is not None and transform is not None:
                geom = QgsGeometry(geom)
                geom.transform(transform)
            geoms.append(geom)
    has_geom = any(t.has_geometry for t in tables)
    return _Table(fields, rows, geoms, common, has_geom)
