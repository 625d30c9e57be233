"""INSEE Filosofi gridded population (``carreaux_200m``, ``carreaux_1km``): the national file
downloaded once, unpacked once, read for the territory only.

- The national ZIP (hundreds of MB) comes through :class:`core.download.LargeDownload`:
  resumable, size / checksum / CRC checked, a good copy never replaced by a bad one.
- It may hold the GeoPackage(s) directly or inside a nested ``.7z`` (docs/data-sources.md
  §4.1), which the GDAL of QGIS 3.22 cannot open: :mod:`core.sevenzip` unpacks it with the
  standard library, on every QGIS. The GeoPackage is then kept unpacked next to the ZIP.
- Cells are read with a spatial filter on the territory's extent (the GeoPackage's R-tree: a
  département among 2.3 million cells in about a second), then kept when a commune they touch
  (``lcog_geo``, codes written end to end) belongs to the territory. The GeoPackage is in
  Lambert-93 for metropolitan France, the local CRS for Martinique and La Réunion; the cell ids
  stay INSPIRE (ETRS89-LAEA) strings.
- INSEE publishes no grid for Guadeloupe, Guyane and Mayotte: said, with the way out (the
  commune populations).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Dict, List

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsField,
    QgsGeometry,
    QgsVectorLayer,
)

from ..cache import zip_members
from ..download import LargeDownload, check_zip_file, disk_full_error, is_disk_full
from ..errors import DataError, InputError
from ..i18n import tr
from ..sevenzip import SevenZip
from .extent import territory_extent
from .model import Fetched, LoadState, Table
from .readers import concat, gdal_exceptions
from .sources import http_date_iso

#: Where INSEE publishes no grid (départements and collectivités).
NO_GRID = {
    "971": "Guadeloupe",
    "973": "Guyane",
    "976": "Mayotte",
    "975": "Saint-Pierre-et-Miquelon",
    "977": "Saint-Barthélemy",
    "978": "Saint-Martin",
}
#: Layer suffix of each part of the national file (metropolitan France by default).
GRID_AREAS = {"972": "mart", "974": "reun"}
UNPACKED_MARKER = "unpacked.json"


def no_grid_places(territory) -> List[str]:
    """The places of ``territory`` for which INSEE publishes no grid (Guadeloupe...)."""
    return sorted(NO_GRID[d] for d in territory.departement_codes() if d in NO_GRID)


def grid_areas(state: LoadState) -> List[str]:
    """The parts of the national file the territory needs ("met", "mart", "reun")."""
    if state.territory.is_empty():
        raise InputError(
            tr(
                "{geo} for all of France would be several million cells (a national file of "
                "about 300 MB read whole): choose a territory (a département, a région, an "
                "EPCI or communes)."
            ).format(geo=state.entry.display_name)
        )
    deps = state.territory.departement_codes()
    without = no_grid_places(state.territory)
    if without:
        raise InputError(
            tr(
                "INSEE publishes no population grid for {places}. Use the commune populations "
                "instead: the geography “communes” (field population) as POPULATION."
            ).format(places=", ".join(without))
        )
    return sorted({GRID_AREAS.get(d, "met") for d in deps})


def grid_table(state: LoadState) -> Table:
    """The territory's cells (before the filter on commune codes), every part concatenated."""
    conf = state.entry.source["national_file"]
    areas = grid_areas(state)
    archive = fetch_national_file(state, conf)
    state.progress(25)
    packages = unpacked(state, archive)
    state.progress(35)
    extent = territory_extent(state)
    tables = []
    for area in areas:
        uri = grid_layer(packages, area, conf, archive)
        tables.append(read_cells(state, uri, extent))
    return tables[0] if len(tables) == 1 else concat(tables, state.transform_context)


def national_download(state: LoadState, conf: dict) -> LargeDownload:
    """The national file of ``conf`` as kept in the cache (downloaded or not yet)."""
    url = conf["url"]
    return LargeDownload(
        state.cache.folder / "national",
        url.rstrip("/").split("/")[-1].split("?")[0] or "filosofi.zip",
        url,
        sha256=conf.get("sha256", ""),
        size=int(conf.get("size", 0) or 0),
        check=check_zip_file,
        retries=state.cache.retries,
        backoff_s=state.cache.backoff_s,
    )


def fetch_national_file(state: LoadState, conf: dict) -> Path:
    url = conf["url"]
    got = national_download(state, conf).fetch(state.feedback, max_age_s=state.entry.max_age_s)
    notes = []
    for warning in got.warnings:
        state.warn(warning)
        notes.append(warning)
    state.fetched = Fetched(
        got.path, url, got.retrieved, http_date_iso(got.last_modified), "", notes
    )
    return got.path


# -- unpacking, once ----------------------------------------------------------------------------


def unpacked(state: LoadState, archive: Path) -> List[Path]:
    """The GeoPackages of the national ZIP (directly in it or in a nested .7z), unpacked once
    next to it; a new ZIP is unpacked again."""
    folder = archive.with_name(archive.name + ".d")
    stamp = {"zip": archive.name, "size": archive.stat().st_size, "mtime": archive.stat().st_mtime}
    marker = folder / UNPACKED_MARKER
    try:
        if json.loads(marker.read_text(encoding="utf-8")) == stamp:
            return sorted(folder.glob("*.gpkg"))
    except (OSError, ValueError):
        pass
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    state.info(tr("Unpacking {name} (once)…").format(name=archive.name))
    try:
        _unpack(state, archive, folder)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        if is_disk_full(exc):
            raise disk_full_error(folder.parent) from None
        raise
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    marker.write_text(json.dumps(stamp), encoding="utf-8")
    return sorted(folder.glob("*.gpkg"))


def _unpack(state: LoadState, archive: Path, folder: Path) -> None:
    members = zip_members(archive)
    packages = [m for m in members if m.lower().endswith(".gpkg")]
    nested = [m for m in members if m.lower().endswith(".7z")]
    if not packages and not nested:
        raise DataError(
            tr("The archive {path} holds no GeoPackage ({names}).").format(
                path=archive.name, names=", ".join(members[:10])
            )
        )
    with zipfile.ZipFile(archive) as zipped:
        for member in packages + nested:
            state.check_cancel()
            _copy_member(zipped, member, folder / Path(member).name)
    for member in nested:
        inner = folder / Path(member).name
        seven = SevenZip(inner)
        for name in seven.names():
            if name.lower().endswith(".gpkg"):
                seven.extract(name, folder / Path(name).name, check_cancel=state.check_cancel)
        inner.unlink()
    if not list(folder.glob("*.gpkg")):
        raise DataError(tr("The archive {path} holds no GeoPackage.").format(path=archive.name))


def _copy_member(zipped: zipfile.ZipFile, member: str, target: Path) -> None:
    with zipped.open(member) as src, open(target, "wb") as dst:
        shutil.copyfileobj(src, dst, 16 * 1024**2)


# -- reading the territory ------------------------------------------------------------------------


def grid_layer(packages: List[Path], area: str, conf: dict, archive: Path) -> str:
    """``file.gpkg|layername=…`` of the part ``area`` ("met", "mart", "reun")."""
    wanted = conf.get("layers", {}).get(area, "")
    found: Dict[str, str] = {}
    with gdal_exceptions() as gdal:
        for package in packages:
            ds = gdal.OpenEx(str(package), gdal.OF_VECTOR)
            for i in range(ds.GetLayerCount()):
                name = ds.GetLayer(i).GetName()
                found[name] = f"{package}|layername={name}"
            ds = None
    if wanted in found:
        return found[wanted]
    suffix = [uri for name, uri in found.items() if name.lower().endswith("_" + area)]
    if suffix:
        return suffix[0]
    if area == "met" and len(found) == 1:
        return next(iter(found.values()))
    raise DataError(
        tr("The national file {path} has no layer for {area} (layers: {names}).").format(
            path=archive.name, area=area, names=", ".join(sorted(found)) or "-"
        )
    )


def read_cells(state: LoadState, uri: str, extent) -> Table:
    """Cells of ``uri`` meeting ``extent`` (output CRS), field names in lower case (the 2017
    edition capitalised them)."""
    layer = QgsVectorLayer(uri, "grid", "ogr")
    if not layer.isValid():
        raise DataError(tr("{path} cannot be read as vector data.").format(path=uri))
    rect = QgsCoordinateTransform(
        state.crs, layer.crs(), state.transform_context
    ).transformBoundingBox(extent)
    fields = []
    for f in layer.fields():
        copy = QgsField(f)
        copy.setName(f.name().lower())
        fields.append(copy)
    names = [f.name() for f in fields]
    rows, geoms = [], []
    request = QgsFeatureRequest().setFilterRect(rect)
    for n, feat in enumerate(layer.getFeatures(request)):
        if n % 5000 == 0:
            state.check_cancel()
        rows.append(dict(zip(names, feat.attributes())))
        geoms.append(QgsGeometry(feat.geometry()))
    state.info(
        tr("{n} cells of the national file around {territory}.").format(
            n=len(rows), territory=state.territory.label()
        )
    )
    return Table(fields, rows, geoms, layer.crs(), True)


def check_not_empty(state: LoadState, count: int) -> None:
    """A territory without any populated cell is said, never returned as an empty table."""
    if count == 0:
        raise DataError(
            tr(
                "No populated cell of {geo} in {territory}: INSEE publishes only cells with "
                "inhabitants. Use the commune populations for this territory (geography "
                "“communes”, field population)."
            ).format(geo=state.entry.display_name, territory=state.territory.label())
        )
