"""INSEE's national Filosofi grid files, replayed: a Filosofi-format GeoPackage in a ZIP.

The cells are SYNTHETIC, built from the real communes of the shared data: every commune's
legal population spread over the 200 m (or 1 km) cells of the ETRS89-LAEA grid whose centre
lies in it, unevenly (deterministic weights), only populated cells kept, as INSEE does. The
layer has the 2021 schema (``idcar_200m``, ``idcar_1km``, ``idcar_nat``, ``i_est_200``,
``lcog_geo``, ``ind``, ``men``… ``ind_80p``), cells in Lambert-93, INSPIRE ids from their
south-west corner. ``nested_7z`` puts the GeoPackage in a ``.7z`` inside the ZIP, as INSEE
sometimes does (written by :func:`seven_zip`, LZMA2, the standard library only).

:class:`NationalFile` serves the ZIP as insee.fr does: ``Content-Length``, ``Last-Modified``,
``ETag``, ``HEAD`` and ``Range`` requests (206). Faults for the tests: ``damage`` (a truncated
or corrupt file served as a new version), ``fail_after_bytes`` (a 503 for any range starting
past that offset, ``fail_count`` times: a download interrupted mid-way).
"""

from __future__ import annotations

import hashlib
import lzma
import os
import re
import struct
import tempfile
import threading
import zipfile
import zlib
from pathlib import Path
from typing import Dict, Optional

from tests.replay.answers import Answer, ReplayError, server_error

LAST_MODIFIED = "Wed, 18 Feb 2026 08:00:00 GMT"
ZIP_PATHS = {
    "200m": "/www.insee.fr/fr/statistiques/fichier/8735162/Filosofi2021_carreaux_200m_gpkg.zip",
    "1km": "/www.insee.fr/fr/statistiques/fichier/8735171/Filosofi2021_carreaux_1km_gpkg.zip",
}
FIELDS_INT = ("i_est_200", "i_est_1km")
FIELDS_REAL = (
    "ind men men_pauv men_1ind men_5ind men_prop men_fmp ind_snv men_surf men_coll men_mais "
    "log_av45 log_45_70 log_70_90 log_ap90 log_inc log_soc ind_0_3 ind_4_5 ind_6_10 ind_11_17 "
    "ind_18_24 ind_25_39 ind_40_54 ind_55_64 ind_65_79 ind_80p ind_inc"
).split()
AGE_SHARES = (0.04, 0.025, 0.06, 0.09, 0.08, 0.18, 0.2, 0.12, 0.14, 0.065)


def _weights(xs, ys):
    """Deterministic uneven weights of cells (south-west corners in metres)."""
    import numpy as np

    h = ((xs // 100).astype(np.uint64) * np.uint64(2654435761)) ^ (
        (ys // 100).astype(np.uint64) * np.uint64(40503)
    )
    return ((h & np.uint64(0xFFFFFFFF)) % np.uint64(10007)).astype(np.float64) / 10007.0


def grid_gpkg(shared: Path, resolution: str, path: Path) -> int:
    """Write the synthetic national layer ``carreaux_<resolution>_met`` to ``path``; returns
    the number of cells."""
    import numpy as np
    from osgeo import gdal, ogr, osr

    size = 200 if resolution == "200m" else 1000
    laea, l93, wgs = (osr.SpatialReference() for _ in range(3))
    for srs, code in ((laea, 3035), (l93, 2154), (wgs, 4326)):
        srs.ImportFromEPSG(code)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    to_laea = osr.CoordinateTransformation(wgs, laea)
    to_l93 = osr.CoordinateTransformation(laea, l93)
    out = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = out.CreateLayer(f"carreaux_{resolution}_met", l93, ogr.wkbPolygon)
    for name in ("idcar_200m", "idcar_1km", "idcar_nat", "lcog_geo"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for name in FIELDS_INT:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTInteger))
    for name in FIELDS_REAL:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTReal))
    layer.StartTransaction()
    count = 0
    for gpkg in sorted((Path(shared) / "communes").glob("communes_*.gpkg")):
        src = ogr.Open(str(gpkg))
        communes = []
        for feat in src.GetLayer(0):
            geom = feat.GetGeometryRef().Clone()
            geom.Transform(to_laea)
            communes.append(
                (feat.GetField("code_insee"), float(feat.GetField("population") or 0), geom)
            )
        xmin = min(g.GetEnvelope()[0] for _, _, g in communes) // size * size
        xmax = max(g.GetEnvelope()[1] for _, _, g in communes) // size * size + size
        ymin = min(g.GetEnvelope()[2] for _, _, g in communes) // size * size
        ymax = max(g.GetEnvelope()[3] for _, _, g in communes) // size * size + size
        cols, rows = int((xmax - xmin) / size), int((ymax - ymin) / size)
        mem = gdal.GetDriverByName("MEM").Create("", cols, rows, 1, gdal.GDT_Int32)
        mem.SetGeoTransform((xmin, size, 0, ymax, 0, -size))
        mem.SetProjection(laea.ExportToWkt())
        vec = ogr.GetDriverByName("Memory").CreateDataSource("c")
        vlayer = vec.CreateLayer("c", laea, ogr.wkbMultiPolygon)
        vlayer.CreateField(ogr.FieldDefn("k", ogr.OFTInteger))
        for k, (_code, _pop, geom) in enumerate(communes):
            f = ogr.Feature(vlayer.GetLayerDefn())
            f.SetField("k", k + 1)
            f.SetGeometry(geom)
            vlayer.CreateFeature(f)
        gdal.RasterizeLayer(mem, [1], vlayer, options=["ATTRIBUTE=k"])
        grid = mem.GetRasterBand(1).ReadAsArray()
        for k, (code, pop, _geom) in enumerate(communes):
            rr, cc = np.nonzero(grid == k + 1)
            if not len(rr) or pop <= 0:
                continue
            xs = (xmin + cc * size).astype(np.int64)
            ys = (ymax - (rr + 1) * size).astype(np.int64)
            weights = _weights(xs, ys) ** 4 + 0.0005
            inds = np.round(pop * weights / weights.sum(), 1)
            for x, y, ind in zip(xs.tolist(), ys.tolist(), inds.tolist()):
                if ind >= 1.0:
                    _write_cell(ogr, layer, to_l93, int(x), int(y), size, code, float(ind))
                    count += 1
    layer.CommitTransaction()
    out = None
    return count


def _write_cell(ogr, layer, to_l93, x, y, size, code, ind):
    feat = ogr.Feature(layer.GetLayerDefn())
    x1k, y1k = x // 1000 * 1000, y // 1000 * 1000
    feat.SetField("idcar_200m", f"CRS3035RES200mN{y}E{x}" if size == 200 else None)
    feat.SetField("idcar_1km", f"CRS3035RES1000mN{y1k}E{x1k}")
    feat.SetField("idcar_nat", f"CRS3035RES32000mN{y // 32000 * 32000}E{x // 32000 * 32000}")
    feat.SetField("lcog_geo", code)
    feat.SetField("i_est_200" if size == 200 else "i_est_1km", 1 if ind < 11 else 0)
    men = round(ind / 2.2, 1)
    values = {"ind": ind, "men": men, "men_pauv": round(men * 0.14, 1), "ind_snv": ind * 23500.0}
    values.update({"men_1ind": round(men * 0.37, 1), "men_prop": round(men * 0.58, 1)})
    for name, share in zip(FIELDS_REAL[-11:-1], AGE_SHARES):
        values[name] = round(ind * share, 1)
    for name in FIELDS_REAL:
        feat.SetField(name, values.get(name, 0.0))
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for px, py in ((x, y), (x + size, y), (x + size, y + size), (x, y + size), (x, y)):
        ring.AddPoint_2D(px, py)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    poly.Transform(to_l93)
    feat.SetGeometry(poly)
    layer.CreateFeature(feat)


# -- a .7z writer (one file, LZMA2) -------------------------------------------------------------


def _number(n: int) -> bytes:
    """7z's variable-length number."""
    for i in range(8):
        if n < (1 << (7 * (i + 1))):
            first = ((0xFF << (8 - i)) & 0xFF) | (n >> (8 * i))
            return bytes([first]) + (n & ((1 << (8 * i)) - 1)).to_bytes(i, "little")
    return b"\xff" + n.to_bytes(8, "little")


def seven_zip(name: str, content: bytes) -> bytes:
    """A .7z holding ``content`` as ``name``: LZMA2 (8 MB dictionary), plain header."""
    packed = lzma.compress(
        content, format=lzma.FORMAT_RAW, filters=[{"id": lzma.FILTER_LZMA2, "dict_size": 1 << 23}]
    )
    names = name.encode("utf-16-le") + b"\x00\x00"
    header = b"".join(
        [
            b"\x01\x04\x06",  # header, main streams, pack info
            _number(0) + _number(1) + b"\x09" + _number(len(packed)) + b"\x00",
            b"\x07\x0b" + _number(1) + b"\x00",  # unpack info, one folder
            _number(1) + b"\x21\x21" + _number(1) + bytes([22]),  # LZMA2 coder, 8 MB
            b"\x0c" + _number(len(content)),
            b"\x0a\x01" + struct.pack("<I", zlib.crc32(content)) + b"\x00",
            b"\x00",  # end of streams info
            b"\x05" + _number(1) + b"\x11" + _number(len(names) + 1) + b"\x00" + names + b"\x00",
            b"\x00",
        ]
    )
    start = struct.pack("<QQI", len(packed), len(header), zlib.crc32(header))
    return (
        b"7z\xbc\xaf\x27\x1c\x00\x04"
        + struct.pack("<I", zlib.crc32(start))
        + start
        + packed
        + header
    )


# -- the national file, as insee.fr serves it ---------------------------------------------------

_MEMO: Dict[tuple, bytes] = {}
_MEMO_LOCK = threading.Lock()
_KEY_LOCKS: Dict[str, threading.Lock] = {}


#: Bump when the generated cells change: generated files are kept on disk (a minute for 200 m).
GENERATOR_VERSION = 1


def _cache_dir() -> Path:
    env = os.environ.get("CGET_REPLAY_CACHE")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "build" / "replay-cache"


def national_zip(shared: Path, resolution: str = "200m", nested_7z: bool = False) -> bytes:
    """The national ZIP, generated once per machine and data folder (kept on disk)."""
    stamp = [GENERATOR_VERSION, resolution, nested_7z]
    for path in sorted((Path(shared) / "communes").glob("communes_*.gpkg")):
        stamp += [path.name, path.stat().st_size]
    key = hashlib.sha256(repr(stamp).encode()).hexdigest()[:16]
    with _MEMO_LOCK:
        lock = _KEY_LOCKS.setdefault(key, threading.Lock())
    with lock:  # one file at a time each; the others stay available
        if key in _MEMO:
            return _MEMO[key]
        cached = _cache_dir() / f"Filosofi2021_carreaux_{resolution}-{key}.zip"
        if not cached.is_file():
            cached.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.TemporaryDirectory(dir=cached.parent) as tmp:
                _write_zip(shared, resolution, nested_7z, Path(tmp))
                os.replace(Path(tmp) / "national.zip", cached)
        _MEMO[key] = cached.read_bytes()
        return _MEMO[key]


def _write_zip(shared: Path, resolution: str, nested_7z: bool, folder: Path) -> None:
    gpkg = folder / f"carreaux_{resolution}_met.gpkg"
    grid_gpkg(shared, resolution, gpkg)
    with zipfile.ZipFile(folder / "national.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        if nested_7z:
            archive.writestr(
                f"Filosofi2021_carreaux_{resolution}_gpkg.7z",
                seven_zip(gpkg.name, gpkg.read_bytes()),
            )
        else:
            archive.write(gpkg, gpkg.name)
        archive.writestr("LISEZ-MOI.txt", "REPLAY – données carroyées SYNTHÉTIQUES.\n")


class NationalFile:
    """The ZIP at one path (see module docstring); ``calls`` holds (method, Range) pairs.

    ``damage``: "" (the good file), "truncated" (the file cut in half, announced so) or
    "corrupt" (bytes damaged in the middle); a damaged file is a new version (new ETag)."""

    def __init__(self, body_factory):
        self._factory = body_factory
        self._good: Optional[bytes] = None
        self.damage = ""
        self.fail_after_bytes = -1
        self.fail_count = 0
        self.calls = []
        self._lock = threading.Lock()

    @property
    def body(self) -> bytes:
        with self._lock:
            if self._good is None:
                self._good = self._factory()
            body = self._good
        if self.damage == "truncated":
            return body[: len(body) // 2]
        if self.damage == "corrupt":
            middle = bytearray(body)
            for i in range(len(middle) // 3, len(middle) // 3 + 64):
                middle[i] ^= 0x5A
            return bytes(middle)
        return body

    def __call__(self, request) -> Answer:
        body = self.body
        wanted = request.header("Range")
        self.calls.append((request.method, wanted))
        headers = {
            "Last-Modified": LAST_MODIFIED,
            "ETag": '"' + hashlib.sha256(body).hexdigest()[:16] + '"',
            "Accept-Ranges": "bytes",
        }
        if request.method == "HEAD":
            return Answer(200, body, "application/zip", headers)
        match = re.match(r"bytes=(\d+)-(\d*)", wanted or "")
        start = int(match.group(1)) if match else 0
        end = min(int(match.group(2)) if match and match.group(2) else len(body) - 1, len(body) - 1)
        with self._lock:
            failing = 0 <= self.fail_after_bytes < start and self.fail_count > 0
            if failing:
                self.fail_count -= 1
        if failing:
            raise ReplayError(server_error("Service Unavailable", 503))
        if not match:
            return Answer(200, body, "application/zip", headers)
        headers["Content-Range"] = f"bytes {start}-{end}/{len(body)}"
        return Answer(206, body[start : end + 1], "application/zip", headers)
