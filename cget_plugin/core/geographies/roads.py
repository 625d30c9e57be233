"""IGN BD TOPO v3 road sections (``troncon_de_route``) around the territory, for the local
routing engine.

The territory's extent plus a margin (``MARGIN_M``, 20 km by default: a service across the
border still counts) is asked from the Géoplateforme WFS, one typename per request, sorted on
``cleabs``, page by page through :mod:`.wfs` (each page cached: an interrupted download resumes
at the page where it stopped). Only the fields the ``bdtopo`` routing profile needs are asked
(``PROPERTYNAME``), plus ``cleabs``, ``nature``, ``importance`` and names. The pages are then
written once into a GeoPackage of the cache, reused until the catalogue's ``max_age_days``.

The BD TOPO edition is not in the WFS answer: the date cited is the latest ``date_modification``
/ ``date_creation`` of the sections served (the data are at least as recent as that).
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path
from typing import List, Optional

from qgis.core import QgsVectorLayer

from ..download import disk_full_error, is_disk_full
from ..errors import DataError, InputError
from ..i18n import tr
from ..provenance import Provenance, now_iso
from .extent import grown, territory_extent
from .model import Fetched, GeographyResult, LoadState
from .normalise import normalised_aliases
from .readers import gdal_exceptions
from .sources import missing_message
from .wfs import PagingResult, WfsQuery, fetch_pages

DEFAULT_MARGIN_M = 20000.0
#: About a large région; all of France is some 20 million sections.
DEFAULT_MAX_SECTIONS = 1_500_000
LAYER_NAME = "troncon_de_route"
NAME_FIELDS = ("nom_1_gauche", "nom_1_droite", "cpx_toponyme_route_nommee")
DATE_FIELDS = ("date_modification", "date_creation")


def road_margin(state: LoadState, conf: dict) -> float:
    """Metres around the territory: MARGIN_M, else the catalogue's, else 20 km."""
    margin = state.margin_m
    return float(margin if margin is not None else conf.get("margin_m", DEFAULT_MARGIN_M))


def road_query(state: LoadState, conf: dict) -> WfsQuery:
    margin = road_margin(state, conf)
    if margin < 0:
        raise InputError(tr("MARGIN_M must be zero or more metres."))
    if state.territory.is_empty():
        raise InputError(
            tr(
                "The road network of all of France is some 20 million sections (several GB): "
                "choose a territory (a département, a région, an EPCI or communes)."
            )
        )
    box = grown(territory_extent(state, precise=True), float(margin))
    properties = list(conf["properties"])
    return WfsQuery(
        url=state.catalog.wfs["url"],
        typename=conf["typename"],
        srs_name=state.crs_id,
        page_size=int(conf.get("page_size", state.catalog.wfs.get("page_size", 5000))),
        sort_by=conf.get("sort_by", "cleabs"),
        bbox=(box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum(), state.crs_id),
        property_names=properties + [conf.get("geometry_field", "geometrie")],
    )


def load_roads(state: LoadState) -> GeographyResult:
    conf = state.entry.source["road_wfs"]
    query = road_query(state, conf)
    target = network_target(state, query)
    meta_path = target.with_suffix(".json")
    meta = fresh_meta(target, state.entry.max_age_s)
    if meta is None:
        paged = _download(state, conf, query)
        state.progress(80)
        count, latest = write_network(state, paged, conf, target)
        meta = {
            "url": query.url,
            "retrieved": paged.retrieved or now_iso(),
            "retrieved_ts": time.time(),
            "source_date": latest,
            "count": count,
            "pages": len(paged.pages),
            "notes": paged.notes,
        }
        meta_path.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    else:
        state.info(
            tr("Road network already in the cache ({n} sections, {date}).").format(
                n=meta["count"], date=meta["retrieved"][:10]
            )
        )
    return _result(state, target, meta, query)


def network_target(state: LoadState, query: WfsQuery) -> Path:
    """The cached GeoPackage of this query (one per box, CRS and field list)."""
    key = hashlib.sha256(json.dumps(query.params(0), sort_keys=True).encode()).hexdigest()[:24]
    return state.cache.folder / "networks" / f"{LAYER_NAME}-{key}.gpkg"


def fresh_meta(target: Path, max_age_s: float) -> Optional[dict]:
    """What was recorded of the cached network ``target``; None when absent or too old."""
    try:
        meta = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not target.is_file() or time.time() - meta.get("retrieved_ts", 0) > max_age_s:
        return None
    return meta


def _download(state: LoadState, conf: dict, query: WfsQuery) -> PagingResult:
    limit = int(conf.get("max_features", DEFAULT_MAX_SECTIONS))

    def on_page(page, result: PagingResult):
        matched = result.matched
        if page.number == 1 and matched and matched > limit:
            size_mb = matched * page.path.stat().st_size / max(1, page.count) / 1024**2
            raise InputError(
                tr(
                    "The territory is too large for one download: {n} road sections (about "
                    "{mb} MB), over the limit of {limit}. Choose a smaller territory or a "
                    "smaller MARGIN_M."
                ).format(n=matched, mb=round(size_mb), limit=limit)
            )
        done = page.start + page.count
        pages = -(-matched // max(1, page.count)) if matched else page.number
        if matched:
            state.progress(80.0 * done / matched)
        state.info(
            tr("Road network: page {page}/{pages}, {n} of {total} sections{cached}.").format(
                page=page.number,
                pages=max(pages, page.number),
                n=done,
                total=matched or "?",
                cached=tr(" (from the cache)") if page.from_cache else "",
            )
        )

    paged = fetch_pages(
        state.cache,
        query,
        feedback=state.feedback,
        max_age_s=state.entry.max_age_s,
        on_page=on_page,
        check_cancel=state.check_cancel,
    )
    for warning in paged.warnings:
        state.warn(warning)
    if paged.missing:
        # An incomplete network gives wrong travel times: refused, the pages kept for a retry.
        raise DataError(missing_message(paged.matched, paged.count, query.url))
    if not paged.pages:
        raise DataError(
            tr("The WFS served no road section around {territory}.").format(
                territory=state.territory.label()
            )
        )
    return paged


def write_network(state: LoadState, paged: PagingResult, conf: dict, target: Path):
    """The pages as one GeoPackage layer, written to a temporary file then renamed; a full
    disk leaves nothing behind. Returns (feature count, latest section date)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".tmp-{os.getpid()}-{target.name}")
    try:
        count, latest = _write_sections(state, paged, conf, tmp)
        os.replace(tmp, target)
    except BaseException as exc:
        for path in (tmp, Path(str(tmp) + "-journal"), Path(str(tmp) + "-wal")):
            if path.exists():
                path.unlink()
        if isinstance(exc, OSError) and is_disk_full(exc):
            raise disk_full_error(target.parent) from None
        if isinstance(exc, RuntimeError) and "No space left" in str(exc):
            raise disk_full_error(target.parent) from None
        raise
    return count, latest


def _write_sections(state: LoadState, paged: PagingResult, conf: dict, path: Path):
    """Each page appended by OGR itself (``VectorTranslate``: hundreds of thousands of sections
    in seconds), with the normalised fields computed in SQL and Z dropped."""
    properties = list(conf["properties"])
    with gdal_exceptions() as gdal:
        from osgeo import ogr, osr

        srs = osr.SpatialReference()
        srs.SetFromUserInput(state.crs_id)
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
        ds = gdal.GetDriverByName("GPKG").Create(str(path), 0, 0, 0, gdal.GDT_Unknown)
        layer = ds.CreateLayer(LAYER_NAME, srs, ogr.wkbLineString, ["SPATIAL_INDEX=YES"])
        for name in ("code", "nom", "insee_dep", "millesime"):
            layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
        for name in properties:
            layer.CreateField(ogr.FieldDefn(name, FIELD_TYPES.get(name, ogr.OFTString)))
        layer = None
        for page in paged.pages:
            state.check_cancel()
            src = gdal.OpenEx(f"GeoJSON:{page.path}", gdal.OF_VECTOR)
            options = gdal.VectorTranslateOptions(
                accessMode="append",
                layerName=LAYER_NAME,
                SQLStatement=_page_sql(src.GetLayer(0), properties),
                SQLDialect="SQLITE",
                dim="XY",
                geometryType="LINESTRING",
            )
            gdal.VectorTranslate(ds, src, options=options)
            src = None
        latest = _latest_date(ds)
        ds.ExecuteSQL(f"UPDATE {LAYER_NAME} SET millesime = '{latest[:10]}'")
        count = ds.GetLayerByName(LAYER_NAME).GetFeatureCount()
        ds = None
    return count, latest


FIELD_TYPES = {"vitesse_moyenne_vl": 0, "date_modification": 11, "date_creation": 11}  # OGR types


def _page_sql(page_layer, properties: List[str]) -> str:
    """The page's sections with ``code``, ``nom``, ``insee_dep`` and the kept properties (a
    property missing from the page is NULL)."""
    defn = page_layer.GetLayerDefn()
    present = {defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())}

    def col(name):
        return f'"{name}"' if name in present else "NULL"

    names = [col(n) for n in NAME_FIELDS]
    commune = col("insee_commune_gauche")
    columns = [
        f"{col('cleabs')} AS code",
        f"COALESCE({', '.join(names)}) AS nom",
        f"CASE WHEN {commune} LIKE '97%' THEN substr({commune}, 1, 3) "
        f"ELSE substr({commune}, 1, 2) END AS insee_dep",
    ]
    columns += [f'{col(n)} AS "{n}"' for n in properties]
    return f'SELECT {", ".join(columns)}, geometry FROM "{page_layer.GetName()}"'


def _latest_date(ds) -> str:
    """The latest section date, ISO (the edition is at least as recent)."""
    dates = []
    for name in DATE_FIELDS:
        result = ds.ExecuteSQL(f'SELECT MAX("{name}") AS d FROM {LAYER_NAME}')
        feat = result.GetNextFeature() if result is not None else None
        if feat is not None and feat.GetField(0):
            dates.append(str(feat.GetField(0)).replace("/", "-").replace(" ", "T"))
        ds.ReleaseResultSet(result)
    return max(dates) if dates else ""


def _result(state: LoadState, target: Path, meta: dict, query: WfsQuery) -> GeographyResult:
    entry = state.entry
    layer = QgsVectorLayer(f"{target}|layername={LAYER_NAME}", entry.display_name, "ogr")
    if not layer.isValid():
        raise DataError(tr("The cached road network {path} cannot be read.").format(path=target))
    name = tr("{geo} – {territory}").format(
        geo=entry.display_name, territory=state.territory.label()
    )
    layer.setName(name)
    state.fetched = Fetched(target, query.url, meta["retrieved"], meta.get("source_date", ""))
    notes = list(meta.get("notes") or [])
    bbox = query.bbox
    prov = Provenance(
        producer=entry.producer,
        dataset=entry.dataset,
        vintage="",
        url=query.url,
        licence=entry.licence,
        retrieved=meta["retrieved"],
        source_date=meta.get("source_date", ""),
        parameters={
            "geography": entry.id,
            "territory": state.territory.text(),
            "typename": query.typename,
            "bbox": [round(v, 1) for v in bbox[:4]] + [bbox[4]],
            "sections": meta["count"],
            "layout_role": "base",
        },
        notes=notes + [m for m in state.messages if m not in notes],
    )
    aliases = dict(normalised_aliases())
    aliases.update(entry.aliases)
    aliases = {n: a for n, a in aliases.items() if layer.fields().indexOf(n) >= 0}
    return GeographyResult(
        layer=layer,
        provenance=prov,
        messages=list(dict.fromkeys(notes + state.messages)),
        crs=state.crs_id,
        entry=entry,
        territory=state.territory,
        layer_name=name,
        aliases=aliases,
    )
