"""The load itself: source -> table -> normalised records -> territory filter -> geometry
strategy -> output layer. Each step lives in its own room (see the package docstring)."""

from __future__ import annotations

from typing import Dict, List, Optional, Tuple

from qgis.core import QgsCoordinateTransformContext, QgsGeometry, QgsVectorLayer

from ...compat import make_field
from ..cache import Cache
from ..catalog import Catalog, load_catalog
from ..errors import DataError
from ..i18n import tr
from ..territory import Territory, parse_territory
from .filosofi import check_not_empty, grid_table
from .geometry import (
    check_geometry_type,
    join_communes,
    point_geometries,
    repair,
    source_crs,
    spatial_filter,
)
from .groupements import build_groupements
from .model import GeographyResult, LoadState, Table
from .normalise import (
    apply_keep_rules,
    find_field,
    in_territory,
    needs_spatial_filter,
    normalise_record,
    resolve_fields,
)
from .output import make_result, new_feature, new_layer
from .readers import read_fetched
from .roads import load_roads
from .sources import fetch, load_wfs


def load_geography(
    geography_id: str,
    territory=None,
    source: Optional[str] = None,
    feedback=None,
    catalog: Optional[Catalog] = None,
    cache: Optional[Cache] = None,
    transform_context: Optional[QgsCoordinateTransformContext] = None,
    margin_m: Optional[float] = None,
) -> GeographyResult:
    """Load ``geography_id`` for ``territory`` (text, :class:`Territory` or None for all of
    France), from the catalogue or from ``source`` (local file, ``file.gpkg|layername=x`` or URL).

    ``transform_context``: the Processing context's (``context.transformContext()``); the
    default one when not given. ``margin_m``: metres around the territory for the road
    network (``troncon_de_route``)."""
    state = new_state(
        geography_id, territory, source, feedback, catalog, cache, transform_context, margin_m
    )
    return run_load(state)


def new_state(
    geography_id: str,
    territory=None,
    source: Optional[str] = None,
    feedback=None,
    catalog: Optional[Catalog] = None,
    cache: Optional[Cache] = None,
    transform_context: Optional[QgsCoordinateTransformContext] = None,
    margin_m: Optional[float] = None,
) -> LoadState:
    """The state of one load (also what :mod:`.estimate` sizes before loading)."""
    catalog = catalog or load_catalog()
    terr = territory if isinstance(territory, Territory) else parse_territory(territory)
    return LoadState(
        catalog=catalog,
        entry=catalog.get(geography_id),
        territory=terr,
        cache=cache or Cache(),
        feedback=feedback,
        source=source or "",
        transform_context=transform_context or QgsCoordinateTransformContext(),
        margin_m=margin_m,
    )


def run_load(state: LoadState) -> GeographyResult:
    entry = state.entry
    state.info(
        tr("Loading {geo} for {territory}…").format(
            geo=entry.display_name, territory=state.territory.label()
        )
    )
    spec = state.source or entry.override
    if not spec and entry.source.get("road_wfs"):
        return load_roads(state)  # written to the cache as it comes: a layer of its own
    if not spec and entry.source.get("national_file"):
        table = grid_table(state)
    elif not spec and entry.source.get("wfs"):
        table = load_wfs(state)
    else:
        state.fetched = fetch(state, spec)
        state.progress(40)
        table = read_fetched(state.fetched, entry, state.transform_context)
        if state.fetched.local:
            state.source_provenance = table.own_provenance
    state.check_cancel()
    state.progress(55)
    layer, count = build(state, table)
    if entry.source.get("national_file"):
        check_not_empty(state, count)
    state.progress(95)
    return make_result(state, layer, count)


def _method(state: LoadState, table: Table, fmap: Dict[str, str]) -> str:
    """The geometry strategy for this table; refuses a table that cannot follow it."""
    entry = state.entry
    method = entry.method
    if method == "native" and not table.has_geometry:
        raise DataError(
            tr(
                "The source of {geo} has no geometry. Expected polygons or points; check "
                "the SOURCE file."
            ).format(geo=entry.display_name)
        )
    if method == "points" and table.has_geometry:
        conf, names = entry.geometry, table.names()
        if not (find_field(conf.get("lat", []), names) and find_field(conf.get("lon", []), names)):
            method = "native"  # a point layer (GeoPackage...) without coordinate columns
    if method == "join_communes" and "communes" not in fmap:
        raise DataError(
            tr("The list of {geo} has no commune code column (expected one of {names}).").format(
                geo=entry.display_name, names=", ".join(entry.fields.get("communes", []))
            )
        )
    return method


def build(state: LoadState, table: Table) -> Tuple[QgsVectorLayer, int]:
    """The output layer of ``table`` and its feature count."""
    entry = state.entry
    fmap = resolve_fields(entry.fields, table.names())
    method = _method(state, table, fmap)
    if method == "native":
        check_geometry_type(state, table)
    records = apply_keep_rules(state, [normalise_record(state, r, fmap) for r in table.rows], fmap)
    state.check_cancel()
    selected = [i for i, rec in enumerate(records) if rec is not None and in_territory(state, rec)]
    if method == "join_groupements":
        return build_groupements(state, table, selected, records, fmap)
    geoms: Dict[int, Optional[QgsGeometry]] = {}
    extra_fields = []
    if method == "native":
        geoms = {i: table.geoms[i] for i in selected}
        if not state.territory.is_empty() and needs_spatial_filter(state, fmap):
            selected = spatial_filter(state, selected, table)
    elif method == "points":
        extra_fields.append(make_field("coord_statut", "string"))
        geoms = point_geometries(state, table, selected, records)
    elif method == "join_communes":
        extra_fields.append(make_field("jointure", "string"))
        geoms = join_communes(state, selected, records)
    if "class" in fmap:
        extra_fields.append(make_field("classe", "string"))
    if entry.option("link_template"):
        extra_fields.append(make_field("lien", "string"))
    layer = new_layer(state, table.fields, extra_fields)
    transform = None
    if method == "native" and source_crs(table) != state.crs:
        transform = state.transform_to_output(source_crs(table))
    feats = _features(state, layer, table, records, selected, geoms, transform)
    layer.dataProvider().addFeatures(feats)
    layer.updateExtents()
    return layer, len(feats)


def _features(state, layer, table, records, selected: List[int], geoms, transform):
    """Output features; geometries repaired in the source CRS (what the producer published),
    then again only if the reprojection itself broke them."""
    geometry_type = state.entry.geometry_type
    feats = []
    fixed = 0
    for n, i in enumerate(selected):
        if n % 500 == 0:
            state.check_cancel()
        geom = geoms.get(i)
        if geom is not None and not geom.isNull():
            geom, was_fixed = repair(geom, geometry_type)
            fixed += was_fixed
            if transform is not None:
                geom = QgsGeometry(geom)
                geom.transform(transform)
                geom, _ = repair(geom, geometry_type)
        feats.append(new_feature(state, layer, table.rows[i], records[i], geom))
    if fixed:
        state.warn(tr("{n} invalid source geometries were repaired (makeValid).").format(n=fixed))
    return feats
