"""Fast reads of large GeoPackage layers: road networks and population points. The columns
needed and the geometries come in batches through GDAL's Arrow interface
(``GetArrowStreamAsNumPy``, GDAL 3.6+) and the WKB is decoded with numpy; a network's speeds
are worked out once per distinct combination of attribute values.

Reading a million BD TOPO sections feature by feature through QGIS took some 25 s of a cold
access-time run, and 300,000 population points 3 s of each run (issue 11, item 5); this path
takes a few seconds and a fraction of one. It answers only where it gives exactly what the
feature iterator gives: a GeoPackage layer of a file, no subset string, no unsaved edits, no
reprojection, plain values. Otherwise :func:`read_flat_lines` and :func:`read_points` return
``None`` and the caller reads the features through QGIS.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from typing import Dict, List, Optional

import numpy as np

from ..errors import CancelledError
from ..i18n import tr

BATCH = 100_000
#: ISO WKB LineString types, little-endian: XY, XYZ, XYM, XYZM (and the EWKB Z/M flags).
_LINESTRING_DIMS = {
    2: 2,
    1002: 3,
    2002: 3,
    3002: 4,
    0x80000002: 3,
    0x40000002: 3,
    0xC0000002: 4,
}


@dataclass
class FlatLines:
    """Single-part lines as one vertex array: part ``p`` has ``counts[p]`` vertices."""

    vert_xy: np.ndarray  # (M, 2)
    counts: np.ndarray  # (P,)
    speed_f: np.ndarray  # (P,) km/h
    speed_b: np.ndarray
    fid: np.ndarray  # (P,) feature id of each part
    limited: np.ndarray  # (P,) bool
    bad_speed: int = 0
    forbidden: int = 0


def gpkg_source(layer):
    """``(path, layer name)`` when ``layer`` reads a GeoPackage layer as it is on disk."""
    import os

    from qgis.core import QgsProviderRegistry

    if layer.providerType() != "ogr" or layer.subsetString():
        return None
    if layer.isEditable() and layer.isModified():
        return None
    parts = QgsProviderRegistry.instance().decodeUri("ogr", layer.source()) or {}
    path = parts.get("path") or ""
    if not path.lower().endswith(".gpkg") or not os.path.isfile(path):
        return None
    return path, parts.get("layerName") or ""


def read_flat_lines(layer, crs, wanted, feature_speeds, feedback=None) -> Optional[FlatLines]:
    """The network's lines with their speeds, or ``None`` when this path does not apply.

    ``wanted``: the profile's ``(field name, layer field index)``; ``feature_speeds(values)``
    gives ``(forward, backward, limited)`` for a dict of those fields' values."""
    names = {name: layer.fields()[i].name() for name, i in wanted}
    return _read(
        layer, crs, names, feedback, 60.0, lambda batches: _assemble(batches, feature_speeds)
    )


def _read(layer, crs, names, feedback, share, assemble):
    """``assemble(batches)`` of the layer's columns ``names``, or ``None`` (see module)."""
    source = gpkg_source(layer)
    if source is None or crs != layer.crs():
        return None
    try:
        from osgeo import gdal, ogr
    except ImportError:
        return None
    if not hasattr(ogr.Layer, "GetArrowStreamAsNumPy"):
        return None
    try:
        with _OpenedLayer(gdal, ogr, *source) as ogr_layer:
            if ogr_layer is None:
                return None
            total = max(layer.featureCount(), 1)
            return assemble(_batches(ogr_layer, names, feedback, total, share))
    except CancelledError:
        raise
    except (RuntimeError, ValueError, TypeError, KeyError, struct.error):
        return None  # anything unexpected: the feature iterator reads it


class _OpenedLayer:
    """The OGR layer of a GeoPackage (``None`` when it cannot be opened as it is)."""

    def __init__(self, gdal, ogr, path, layer_name):
        self.gdal, self.ogr, self.path, self.layer_name = gdal, ogr, path, layer_name

    def __enter__(self):
        self.ds = self.gdal.OpenEx(self.path, self.gdal.OF_VECTOR | self.gdal.OF_READONLY)
        if self.ds is None:
            return None
        if self.layer_name:
            return self.ds.GetLayerByName(self.layer_name)
        return self.ds.GetLayer(0) if self.ds.GetLayerCount() == 1 else None

    def __exit__(self, *exc):
        self.ds = None
        return False


def _batches(ogr_layer, names: Dict[str, str], feedback, total: int, share: float = 60.0):
    """``(fid, geometry WKB, {name: masked column})`` per batch; progress up to ``share``."""
    defn = ogr_layer.GetLayerDefn()
    keep = set(names.values())
    ignored = [
        defn.GetFieldDefn(i).GetName()
        for i in range(defn.GetFieldCount())
        if defn.GetFieldDefn(i).GetName() not in keep
    ]
    ogr_layer.SetIgnoredFields(ignored + ["OGR_STYLE"])
    fid_key = ogr_layer.GetFIDColumn() or "OGC_FID"
    geom_key = ogr_layer.GetGeometryColumn() or "wkb_geometry"
    stream = ogr_layer.GetArrowStreamAsNumPy([f"MAX_FEATURES_IN_BATCH={BATCH}"])
    done = 0
    for batch in stream:
        if feedback is not None:
            if feedback.isCanceled():
                raise CancelledError(tr("Cancelled while reading the road network."))
            feedback.setProgress(share * done / total)
        fids = np.asarray(batch[fid_key], np.int64)
        done += len(fids)
        columns = {name: batch[field] for name, field in names.items()}
        yield fids, batch[geom_key], columns


def _assemble(batches, feature_speeds) -> FlatLines:
    xy_parts, counts, speed_f, speed_b, fid, limited = [], [], [], [], [], []
    bad = forbidden = 0
    for fids, wkbs, columns in batches:
        rows, vert_xy, row_counts = decode_lines(wkbs)
        sf, sb, lim = _speeds(columns, rows, feature_speeds)
        drop_bad = sf < 0
        drop_forbidden = ~drop_bad & (sf <= 0) & (sb <= 0)
        bad += int(drop_bad.sum())
        forbidden += int(drop_forbidden.sum())
        kept_rows = ~(drop_bad | drop_forbidden)  # per part: every part of a row alike
        keep_vert = np.repeat(kept_rows, row_counts)
        xy_parts.append(vert_xy[keep_vert])
        counts.append(row_counts[kept_rows])
        speed_f.append(sf[kept_rows])
        speed_b.append(sb[kept_rows])
        fid.append(fids[rows][kept_rows])
        limited.append(lim[kept_rows])

    def joined(arrays, dtype, width=None):
        if arrays:
            return np.concatenate(arrays).astype(dtype, copy=False)
        return np.zeros((0, width) if width else 0, dtype)

    return FlatLines(
        joined(xy_parts, np.float64, 2),
        joined(counts, np.int64),
        joined(speed_f, np.float64),
        joined(speed_b, np.float64),
        joined(fid, np.int64),
        joined(limited, bool),
        bad,
        forbidden,
    )


def _speeds(columns, rows: np.ndarray, feature_speeds):
    """Speeds of each part (through its row), computed once per distinct attribute tuple."""
    n = len(rows)
    if not columns:
        sf, sb, lim = feature_speeds({})
        return np.full(n, sf, float), np.full(n, sb, float), np.full(n, lim, bool)
    key = np.zeros(n, np.int64)
    for column in columns.values():
        values, codes = _codes(column, rows)
        key = key * (len(values) + 1) + codes
        if key.max(initial=0) > 2**40:  # keep the combined code small
            key = np.unique(key, return_inverse=True)[1].ravel().astype(np.int64)
    combos, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    table = np.zeros((len(combos), 3))
    for k, part in enumerate(first):
        table[k] = feature_speeds(_row_values(columns, rows[part]))
    table_rows = table[inverse.ravel()]
    return table_rows[:, 0], table_rows[:, 1], table_rows[:, 2].astype(bool)


def _codes(column, rows):
    """Distinct values of ``column`` (decoded as QGIS gives them, ``None`` for NULL) and the
    code of each part's value (index in them)."""
    mask = np.ma.getmaskarray(column)[rows]
    data = np.ma.getdata(column)[rows]
    if data.dtype.kind not in "SUifb":
        raise TypeError(f"column type {data.dtype}")
    uniq, codes = np.unique(data, return_inverse=True)
    codes = codes.ravel().astype(np.int64)
    values: List[object] = [_python_value(v) for v in uniq]
    codes[mask] = len(values)
    values.append(None)
    return values, codes


def _row_values(columns, row):
    out = {}
    for name, column in columns.items():
        if np.ma.getmaskarray(column)[row]:
            out[name] = None
        else:
            out[name] = _python_value(np.ma.getdata(column)[row])
    return out


def _python_value(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


# -- population points ----------------------------------------------------------------------------


@dataclass
class FlatPoints:
    fids: np.ndarray  # (U,) feature ids of the points with a geometry
    pops: np.ndarray  # (U,)
    xy: np.ndarray  # (U, 2)
    no_geom: int = 0
    no_geom_pop: float = 0.0


def read_points(layer, crs, field_name: str, feedback=None) -> Optional[FlatPoints]:
    """Single points of a GeoPackage with their population (``field_name``, numeric, none
    negative; 1 each without a field), or ``None`` when this path does not apply (the
    feature iterator then reads them, and says what is wrong with a value)."""
    names = {"pop": field_name} if field_name else {}
    return _read(layer, crs, names, feedback, 20.0, _assemble_points)


def _assemble_points(batches) -> Optional[FlatPoints]:
    fids, pops, xys = [], [], []
    no_geom, no_geom_pop = 0, 0.0
    for fid, wkbs, columns in batches:
        pop = _population_column(columns.get("pop"), len(fid))
        if pop is None:
            return None
        xy, present = decode_points(wkbs)
        if xy is None:
            return None
        no_geom += int((~present).sum())
        no_geom_pop += float(pop[~present].sum())
        fids.append(fid[present])
        pops.append(pop[present])
        xys.append(xy)
    if not fids:
        return None
    return FlatPoints(
        np.concatenate(fids), np.concatenate(pops), np.concatenate(xys), no_geom, no_geom_pop
    )


def _population_column(column, n):
    """Float populations (NULL = 0), or ``None`` for text or a negative or invalid value."""
    if column is None:
        return np.ones(n)
    data = np.ma.getdata(column)
    if data.dtype.kind not in "iuf":
        return None
    values = data.astype(np.float64)
    values[np.ma.getmaskarray(column)] = 0.0
    if not np.isfinite(values).all() or (values < 0).any():
        return None
    return values


def decode_points(wkbs):
    """``(xy of the points with a geometry, which rows have one)`` of little-endian Point WKB
    (XY, XYZ, XYM, XYZM); ``(None, None)`` for anything else (multipoints…)."""
    blobs = np.ma.getdata(wkbs)
    present = ~np.ma.getmaskarray(wkbs)
    if blobs.dtype.kind == "V":
        width = blobs.dtype.itemsize
        buf = np.ascontiguousarray(blobs[present]).view(np.uint8).ravel()
        starts = np.arange(int(present.sum()), dtype=np.int64) * width
        lengths = np.full(len(starts), width, np.int64)
    else:
        present &= np.fromiter((b is not None for b in blobs), bool, len(blobs))
        chosen = [blobs[i] for i in np.nonzero(present)[0]]
        lengths = np.fromiter((len(b) for b in chosen), np.int64, len(chosen))
        buf = np.frombuffer(b"".join(chosen), np.uint8)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    if not len(starts):
        return np.zeros((0, 2)), present
    if (lengths < 21).any() or (buf[starts] != 1).any():
        return None, None
    gtype = _uint32(buf, starts + 1)
    if not np.isin(gtype, [1, 1001, 2001, 3001, 0x80000001, 0x40000001, 0xC0000001]).all():
        return None, None
    at = starts + 5
    gather = (at[:, None] + np.arange(16)[None, :]).ravel()
    xy = buf[gather].view("<f8").reshape(-1, 2).astype(np.float64)
    empty = np.isnan(xy).any(axis=1)  # POINT EMPTY: NaN coordinates
    if empty.any():
        rows = np.nonzero(present)[0]
        present[rows[empty]] = False
        xy = xy[~empty]
    return xy, present


# -- WKB ------------------------------------------------------------------------------------------


def decode_lines(wkbs) -> tuple:
    """``(row of each part, vertices (M, 2), vertex count of each part)`` of a batch of WKB
    geometries; NULL and empty geometries give no part. Little-endian LineStrings and
    single-part MultiLineStrings (nearly all networks) are decoded with numpy at once,
    anything else one by one."""
    blobs = np.ma.getdata(wkbs)
    if blobs.dtype.kind == "V":  # GDAL hands geometries of one size as a fixed-width array
        present = np.nonzero(~np.ma.getmaskarray(wkbs))[0]
        width = blobs.dtype.itemsize
        buf = np.ascontiguousarray(blobs[present]).view(np.uint8).ravel()
        starts = np.arange(len(present), dtype=np.int64) * width
        lengths = np.full(len(present), width, np.int64)
        chosen = None
    else:
        mask = np.ma.getmaskarray(wkbs)
        present = np.asarray(
            [i for i in range(len(blobs)) if blobs[i] is not None and not mask[i]], np.int64
        )
        chosen = [blobs[i] for i in present]
        lengths = np.fromiter((len(b) for b in chosen), np.int64, len(chosen))
        buf = np.frombuffer(b"".join(chosen), np.uint8)
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    if not len(present):
        return np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros(0, np.int64)
    line_at, dims = _line_headers(buf, starts, lengths)
    if (dims > 0).all():
        return _fast_lines(present, buf, line_at, dims)
    if chosen is None:
        chosen = [bytes(blobs[i]) for i in present]
    return _slow_lines(present.tolist(), chosen)


def _line_headers(buf, starts, lengths):
    """Where each geometry's LineString starts (inside a one-part MultiLineString too) and its
    number of coordinates per vertex; 0 where the geometry needs the slow path."""
    n = len(starts)
    ok = lengths >= 9
    ok[ok] &= buf[starts[ok]] == 1
    gtype = np.zeros(n, np.uint64)
    gtype[ok] = _uint32(buf, starts[ok] + 1)
    multi = ok & np.isin(gtype % np.uint64(1000), [5]) & (lengths >= 18)
    multi[multi] &= _uint32(buf, starts[multi] + 5) == 1
    line_at = starts + 9 * multi
    inner = ok.copy()
    inner[multi] &= buf[line_at[multi]] == 1
    gtype[multi & inner] = _uint32(buf, line_at[multi & inner] + 1)
    dims = np.zeros(n, np.int64)
    for code, ndim in _LINESTRING_DIMS.items():
        dims[inner & (gtype == code)] = ndim
    return line_at, dims


def _uint32(buf, at):
    return (
        buf[at].astype(np.uint64)
        | (buf[at + 1].astype(np.uint64) << np.uint64(8))
        | (buf[at + 2].astype(np.uint64) << np.uint64(16))
        | (buf[at + 3].astype(np.uint64) << np.uint64(24))
    )


def _fast_lines(rows, buf, starts, dims):
    npts = _uint32(buf, starts + 5).astype(np.int64)
    nonempty = npts > 0
    rows, starts, dims, npts = rows[nonempty], starts[nonempty], dims[nonempty], npts[nonempty]
    first = np.repeat(starts + 9, npts)
    step = np.repeat(dims * 8, npts)
    index = np.arange(int(npts.sum())) - np.repeat(np.cumsum(npts) - npts, npts)
    at = first + index * step  # byte offset of each vertex's x, then y 8 bytes on
    gather = (at[:, None] + np.arange(16)[None, :]).ravel()
    xy = buf[gather].view("<f8").reshape(-1, 2).astype(np.float64)
    return rows, xy, npts


def _slow_lines(present, chosen):
    from .building import _parse_wkb

    rows, coords = [], []
    for row, blob in zip(present, chosen):
        out: List[np.ndarray] = []
        try:
            _parse_wkb(bytes(blob), 0, out)
        except (ValueError, struct.error):
            out = _linear_parts(bytes(blob))
        for part in out:
            if len(part):
                rows.append(row)
                coords.append(part)
    if not coords:
        return np.zeros(0, np.int64), np.zeros((0, 2)), np.zeros(0, np.int64)
    counts = np.fromiter((len(c) for c in coords), np.int64, len(coords))
    return np.asarray(rows, np.int64), np.concatenate(coords), counts


def _linear_parts(blob: bytes) -> List[np.ndarray]:
    """Curves (CompoundCurve, CircularString…) segmentised by QGIS, as the feature iterator's
    reader does."""
    from qgis.core import QgsGeometry

    from .building import _parse_wkb

    geom = QgsGeometry()
    geom.fromWkb(blob)
    if geom.isNull() or geom.isEmpty():
        return []
    out: List[np.ndarray] = []
    try:
        _parse_wkb(bytes(QgsGeometry(geom.constGet().segmentize()).asWkb()), 0, out)
    except (ValueError, struct.error):
        return []
    return out
