"""File formats -> :class:`Table`: one reader per format, and the dispatch on a fetched file.

- :func:`read_vector`: what OGR reads (GeoJSON, GeoPackage, shapefile, FlatGeobuf), in place or
  inside a ZIP (``/vsizip/``);
- :func:`read_csv_bytes`: CSV lists as text (codes keep their leading zeros);
- :func:`read_spreadsheet`: XLSX / XLS sheets, title rows above the header skipped;
- :func:`read_zip`: the data file(s) of an archive, each through the reader of its format;
- :func:`read_fetched`: sniffs a downloaded or local file and calls the right reader (a file
  read once in the session is reused).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
import threading
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Dict, List, Optional

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsField,
    QgsGeometry,
    QgsVectorLayer,
)

from ...compat import make_field
from ..cache import sniff_kind, zip_members
from ..catalog import CatalogEntry
from ..definitions import WGS84, is_null
from ..errors import DataError, InputError
from ..i18n import tr
from ..provenance import read_from_layer
from .model import Fetched, Table
from .normalise import text_of

VECTOR_SUFFIXES = (".geojson", ".json", ".gpkg", ".shp", ".csv", ".xlsx", ".xls", ".fgb")

# Parsing the national QPV GeoJSON takes about a second: a file read once in the session (same
# path, size and date) is reused, e.g. for several territories.
_TABLE_MEMO: OrderedDict = OrderedDict()
_TABLE_MEMO_SIZE = 3
_TABLE_MEMO_LOCK = threading.Lock()  # loads may run in parallel background tasks

# Two background loads opening the same GeoPackage at once were seen to deadlock inside the
# OGR provider (QGIS 3.22): reads of local files are serialised.
_READ_LOCK = threading.Lock()


@contextlib.contextmanager
def gdal_exceptions():
    """GDAL raising exceptions inside the block, and GDAL's previous mode restored after it:
    ``gdal.UseExceptions()`` alone would switch the whole QGIS process (other plugins too)."""
    from osgeo import gdal

    was_on = bool(gdal.GetUseExceptions())
    if not was_on:
        gdal.UseExceptions()
    try:
        yield gdal
    finally:
        if not was_on:
            gdal.DontUseExceptions()


# -- dispatch ---------------------------------------------------------------------------------


def read_fetched(fetched: Fetched, entry: CatalogEntry, transform_context) -> Table:
    """The table of a fetched file, memoised on (path, layer, size, date, entry)."""
    path = fetched.path
    if path.is_dir():
        raise InputError(tr("SOURCE {path} is a folder, not a file.").format(path=path))
    stat = path.stat()
    key = (str(path), fetched.layername, stat.st_size, stat.st_mtime_ns, entry.id)
    with _TABLE_MEMO_LOCK:
        table = _TABLE_MEMO.get(key)
        if table is not None:
            _TABLE_MEMO.move_to_end(key)
            return table
    table = _read_file(fetched, entry, transform_context)
    with _TABLE_MEMO_LOCK:
        _TABLE_MEMO[key] = table
        while len(_TABLE_MEMO) > _TABLE_MEMO_SIZE:
            _TABLE_MEMO.popitem(last=False)
    return table


def _read_file(fetched: Fetched, entry: CatalogEntry, transform_context) -> Table:
    path = fetched.path
    with open(path, "rb") as handle:
        head = handle.read(4096)
    kind = sniff_kind(head)
    suffix = path.suffix.lower()
    if kind == "zip" and suffix not in (".xlsx",) and not _is_xlsx_zip(path):
        return read_zip(path, fetched.layername, entry, transform_context)
    if kind == "html":
        raise DataError(
            tr("{path} is an HTML page, not data. Check the source URL.").format(path=fetched.url)
        )
    if kind == "zip" or suffix in (".xlsx", ".xls") or kind == "xls":
        return read_spreadsheet(str(path), fetched.layername, entry)
    if kind == "text" and suffix not in (".geojson", ".json", ".shp", ".gpkg", ".fgb"):
        return read_csv_bytes(path.read_bytes(), str(fetched.url), entry)
    return read_vector(str(path), fetched.layername, fetched.url)


def _is_xlsx_zip(path: Path) -> bool:
    try:
        return any(m.startswith("xl/") for m in zip_members(path)[:50])
    except DataError:
        return False


def read_zip(path: Path, layername: str, entry: CatalogEntry, transform_context) -> Table:
    """The data file(s) of an archive: the catalogue's ``member`` pattern, else the first format
    present in order of preference (every part of a shapefile set)."""
    members = zip_members(path)
    pattern = entry.source.get("member", "")
    chosen = [m for m in members if pattern and re.search(pattern, m)]
    if not chosen:
        chosen = [m for m in members if m.lower().endswith(VECTOR_SUFFIXES)]
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
            with zipfile.ZipFile(path) as archive:
                tables.append(read_csv_bytes(archive.read(member), member, entry))
        elif member.lower().endswith((".xlsx", ".xls")):
            tables.append(read_spreadsheet(vsi, layername, entry))
        else:
            tables.append(read_vector(vsi, layername, member))
    return tables[0] if len(tables) == 1 else concat(tables, transform_context)


# -- OGR vector files -------------------------------------------------------------------------


def read_vector(uri: str, layername: str = "", label: str = "", default_crs=None) -> Table:
    """Features of a vector file through OGR (GeoJSON, GeoPackage, shapefile, FlatGeobuf)."""
    with _READ_LOCK:
        return _read_vector(uri, layername, label, default_crs)


def _read_vector(uri: str, layername: str, label: str, default_crs) -> Table:
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
    if not layername and len(layer.dataProvider().subLayers()) > 1:
        layer = _first_spatial_layer(uri, layer)
    crs = layer.crs() if layer.crs().isValid() else default_crs
    fields = [QgsField(f) for f in layer.fields()]
    names = [f.name() for f in fields]
    rows, geoms = [], []
    for feat in layer.getFeatures():
        rows.append({n: (None if is_null(v) else v) for n, v in zip(names, feat.attributes())})
        geoms.append(QgsGeometry(feat.geometry()) if feat.hasGeometry() else None)
    table = Table(fields, rows, geoms, crs, layer.isSpatial())
    table.own_provenance = read_from_layer(layer)
    return table


def _first_spatial_layer(uri: str, layer: QgsVectorLayer) -> QgsVectorLayer:
    """A GeoPackage with several layers and none named: the first one with geometry."""
    sublayers = layer.dataProvider().subLayers()
    for name in [s.split("!!::!!")[1] for s in sublayers if "!!::!!" in s]:
        candidate = QgsVectorLayer(f"{uri}|layername={name}", "source", "ogr")
        if candidate.isValid() and candidate.isSpatial():
            return candidate
    return layer


# -- CSV and spreadsheets ---------------------------------------------------------------------


def read_csv_bytes(content: bytes, label: str = "", entry: Optional[CatalogEntry] = None) -> Table:
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
    lines = text.lstrip("\ufeff").splitlines()
    start = _header_line(lines, entry)
    first = lines[start] if lines else ""
    delimiter = max(";,\t|", key=first.count) if first else ";"
    reader = csv.reader(io.StringIO("\n".join(lines[start:])), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise DataError(tr("{path} is empty.").format(path=label)) from None
    return _text_table([_clean_header(h, n) for n, h in enumerate(header)], reader)


def _text_table(header: List[str], value_rows) -> Table:
    """Rows of text cells under ``header`` (blank rows skipped) as a table without geometry."""
    rows = []
    for values in value_rows:
        if not any(v.strip() for v in values):
            continue
        rows.append(
            {h: (values[n].strip() if n < len(values) else "") for n, h in enumerate(header)}
        )
    fields = [make_field(h, "string") for h in header]
    return Table(fields, rows, [None] * len(rows), None, False)


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


def read_spreadsheet(uri: str, sheet: str, entry: Optional[CatalogEntry]) -> Table:
    """An XLSX/XLS sheet as text rows; the header row is the first row holding a candidate
    column name of the catalogue (title rows above it are skipped)."""
    with gdal_exceptions() as gdal:
        try:
            ds = gdal.OpenEx(
                uri, gdal.OF_VECTOR, open_options=["HEADERS=DISABLE", "FIELD_TYPES=STRING"]
            )
        except RuntimeError:
            ds = None
        if ds is None:
            raise DataError(tr("{path} cannot be read as a spreadsheet.").format(path=uri))
        layer = ds.GetLayerByName(sheet) if sheet else ds.GetLayer(0)
        if layer is None and sheet:
            names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
            raise InputError(
                tr("Sheet “{sheet}” not found in {path} (sheets: {names}).").format(
                    sheet=sheet, path=uri, names=", ".join(names)
                )
            )
        raw_rows = []
        for feat in layer or []:
            values = [feat.GetField(i) for i in range(feat.GetFieldCount())]
            raw_rows.append(["" if v is None else str(v) for v in values])
        del ds
    if not raw_rows:
        raise DataError(tr("{path} has no rows.").format(path=uri))
    candidates = _candidates(entry)
    header_idx = 0
    for n, values in enumerate(raw_rows[:30]):
        if any(v.strip().lower() in candidates for v in values):
            header_idx = n
            break
    header = [_clean_header(v, n) for n, v in enumerate(raw_rows[header_idx])]
    return _text_table(header, raw_rows[header_idx + 1 :])


# -- several files or pages as one ------------------------------------------------------------


def concat(tables: List[Table], transform_context) -> Table:
    """Several files or pages as one table. Same CRS everywhere: kept as is; otherwise (one
    shapefile per territory) geometries go to WGS84. A field keeps its type when every table
    agrees on it, else becomes text."""
    crs_set = {t.crs.authid() for t in tables if t.crs is not None and t.crs.isValid()}
    common = tables[0].crs if len(crs_set) == 1 else QgsCoordinateReferenceSystem(WGS84)
    fields = _common_fields(tables)
    text_type = make_field("probe", "string").type()
    text_fields = {f.name().lower() for f in fields if f.type() == text_type}
    names = {f.name().lower(): f.name() for f in fields}
    rows, geoms = [], []
    for table in tables:
        transform = None
        if table.crs is not None and table.crs.isValid() and table.crs != common:
            transform = QgsCoordinateTransform(table.crs, common, transform_context)
        for row, geom in zip(table.rows, table.geoms):
            out = {}
            for key, value in row.items():
                low = key.lower()
                if low in text_fields and value is not None and not isinstance(value, str):
                    value = text_of(value)
                out[names[low]] = value
            rows.append(out)
            if geom is not None and transform is not None:
                geom = QgsGeometry(geom)
                geom.transform(transform)
            geoms.append(geom)
    has_geom = any(t.has_geometry for t in tables)
    return Table(fields, rows, geoms, common, has_geom)


def _common_fields(tables: List[Table]) -> List[QgsField]:
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
    return fields
