"""How a geography gets its geometry (catalogue ``geometry.method``), one strategy each:

- ``native``: polygons (points, lines) of the source, checked (:func:`check_geometry_type`) and,
  when the codes cannot decide, filtered on the territory's outline (:func:`spatial_filter`);
- ``points``: latitude/longitude columns (:func:`point_geometries`: swapped or empty
  coordinates flagged in ``coord_statut``);
- ``join_communes``: lists of communes joined to the commune outlines (:func:`join_communes`,
  through :func:`commune_geometries`, which loads the ``communes`` geography);
- ``join_groupements``: see :mod:`.groupements`.

Plus :func:`repair` (valid geometry of the wanted type), used by every strategy.
"""

from __future__ import annotations

from typing import Dict, Iterable, List, Optional, Tuple

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCsException,
    QgsGeometry,
    QgsPointXY,
    QgsWkbTypes,
)

from ...compat import (
    GEOMETRY_LINE,
    GEOMETRY_POINT,
    GEOMETRY_POLYGON,
    WKB_GEOMETRYCOLLECTION,
    make_valid,
)
from ..definitions import WGS84
from ..errors import DataError, InputError
from ..i18n import tr
from ..reference import arrondissement_commune, normalise_insee
from ..territory import Territory
from .model import LoadState, Table
from .normalise import dep_of_insee, find_field, listing, to_float

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


def source_crs(table: Table) -> QgsCoordinateReferenceSystem:
    """The table's CRS; WGS 84 when the source says none (GeoJSON)."""
    if table.crs is not None and table.crs.isValid():
        return table.crs
    return QgsCoordinateReferenceSystem(WGS84)


def repair(geom: QgsGeometry, geometry_type: str) -> Tuple[QgsGeometry, int]:
    """Valid geometry of the wanted type (multi for polygons); 1 if it had to be repaired.
    Works on a copy: the source table may be reused."""
    geom = QgsGeometry(geom)
    if geometry_type == "line":
        geom.convertToMultiType()
        return geom, 0
    if geometry_type != "polygon":
        if QgsWkbTypes.isMultiType(geom.wkbType()):
            parts = geom.asGeometryCollection()
            if parts:
                geom = parts[0]
        return geom, 0
    fixed = 0
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
    return geom, fixed


# -- native -----------------------------------------------------------------------------------


def check_geometry_type(state: LoadState, table: Table) -> None:
    """The first geometry of the source must be of the entry's type (polygons or points)."""
    wanted = {"polygon": GEOMETRY_POLYGON, "line": GEOMETRY_LINE}.get(
        state.entry.geometry_type, GEOMETRY_POINT
    )
    first = next((g for g in table.geoms if g is not None and not g.isNull()), None)
    if first is None or first.type() == wanted:
        return
    raise InputError(
        tr(
            "The source of {geo} holds {found}, but {geo} is made of {wanted}. Check "
            "the SOURCE file (or the layer chosen with |layername=)."
        ).format(
            geo=state.entry.display_name,
            found=QgsWkbTypes.geometryDisplayString(first.type()),
            wanted=QgsWkbTypes.geometryDisplayString(wanted),
        )
    )


def spatial_filter(state: LoadState, selected: List[int], table: Table) -> List[int]:
    """Rows whose geometry meets the territory's commune outlines (polygons: by more than
    1 m², so that a neighbour touching the border is not taken)."""
    if not selected:
        return selected
    union = territory_outline(state)
    transform = state.transform_to_output(source_crs(table))
    engine = QgsGeometry.createGeometryEngine(union.constGet())
    engine.prepareGeometry()
    kept = []
    for i in selected:
        geom = table.geoms[i]
        if geom is None or geom.isNull():
            continue
        geom = QgsGeometry(geom)
        geom.transform(transform)
        geom, _ = repair(geom, state.entry.geometry_type)
        if engine.intersects(geom.constGet()):
            inter = geom.intersection(union)
            if inter.area() > 1.0 or state.entry.geometry_type == "point":
                kept.append(i)
    state.info(
        tr("Spatial filter on the commune outlines: {n} of {total} objects kept.").format(
            n=len(kept), total=len(selected)
        )
    )
    return kept


def territory_outline(state: LoadState) -> QgsGeometry:
    """Union of the territory's commune outlines, in the output CRS."""
    communes = commune_geometries(state, state.territory_communes())
    geoms = [g for g in communes.values() if g is not None]
    if not geoms:
        raise DataError(
            tr("No commune outline is available to filter {geo} for {territory}.").format(
                geo=state.entry.display_name, territory=state.territory.label()
            )
        )
    return QgsGeometry.unaryUnion(geoms)


# -- points -----------------------------------------------------------------------------------


def _in_box(lat, lon) -> bool:
    return any(a <= lat <= b and c <= lon <= d for a, b, c, d in FRANCE_BOXES.values())


def check_latlon(lat: float, lon: float) -> str:
    """'ok', 'swapped' (the pair is in France once swapped) or 'outside'."""
    if _in_box(lat, lon):
        return "ok"
    if _in_box(lon, lat):
        return "swapped"
    return "outside"


def point_geometries(state: LoadState, table: Table, selected, records):
    """Points from the latitude/longitude columns, in the output CRS; ``coord_statut`` of each
    record says ``ok``, ``absentes``, ``inversees_corrigees`` or ``hors_france``."""
    conf = state.entry.geometry
    names = table.names()
    lat_f = find_field(conf.get("lat", []), names)
    lon_f = find_field(conf.get("lon", []), names)
    if not lat_f or not lon_f:
        raise DataError(
            tr("The table of {geo} has no latitude/longitude columns ({names} expected).").format(
                geo=state.entry.display_name,
                names=", ".join(conf.get("lat", []) + conf.get("lon", [])),
            )
        )
    transform = state.transform_to_output(QgsCoordinateReferenceSystem(WGS84))
    out: Dict[int, Optional[QgsGeometry]] = {}
    flagged = {"absentes": [], "inversees_corrigees": [], "hors_france": []}
    for i in selected:
        lat, lon = to_float(table.rows[i].get(lat_f)), to_float(table.rows[i].get(lon_f))
        status, out[i] = _point(lat, lon, transform)
        if status != "ok":
            flagged[status].append(records[i]["code"] or records[i]["nom"])
        records[i]["coord_statut"] = status
    for status, message in (
        ("absentes", tr("{n} rows have no usable coordinates; kept without geometry: {ids}.")),
        (
            "inversees_corrigees",
            tr("{n} rows had latitude and longitude swapped; corrected: {ids}."),
        ),
        ("hors_france", tr("{n} rows have coordinates outside France; kept and flagged: {ids}.")),
    ):
        if flagged[status]:
            state.warn(message.format(n=len(flagged[status]), ids=listing(flagged[status])))
    return out


def _point(lat, lon, transform) -> Tuple[str, Optional[QgsGeometry]]:
    if lat is None or lon is None:
        return "absentes", None
    status = "ok"
    check = check_latlon(lat, lon)
    if check == "swapped":
        lat, lon = lon, lat
        status = "inversees_corrigees"
    elif check == "outside":
        status = "hors_france"
    geom = QgsGeometry.fromPointXY(QgsPointXY(lon, lat))
    try:
        geom.transform(transform)
    except QgsCsException:  # a point far outside the output CRS
        return "hors_france", None
    return status, geom


# -- joins on communes ------------------------------------------------------------------------


def current_commune(state: LoadState, code: str) -> str:
    """The commune whose outline stands for ``code`` (current code, arrondissements of Paris,
    Lyon, Marseille folded into their commune)."""
    current = state.ref.current_commune(code) or code
    return arrondissement_commune(current) or current


def commune_geometries(state: LoadState, codes: Iterable[str]) -> Dict[str, QgsGeometry]:
    """Outlines (in the output CRS) of the current communes of ``codes``, from the
    ``communes`` geography of the catalogue (override, cache or WFS), loaded once per load."""
    wanted = {current_commune(state, code) for code in codes}
    if not wanted:
        return {}
    missing = wanted - set(state.commune_geoms)
    if missing:
        from .loader import run_load  # the commune outlines are a geography load of their own

        deps = sorted({state.ref.commune_dep(c) or dep_of_insee(c) for c in missing} - {""})
        sub = LoadState(
            catalog=state.catalog,
            entry=state.catalog.get("communes"),
            territory=Territory([("departement", d) for d in deps]),
            cache=state.cache,
            feedback=state.feedback,
            transform_context=state.transform_context,
            crs_id=state.crs_id,
            ref=state.ref,
        )
        result = run_load(sub)
        for warning in result.messages:
            if warning not in state.messages:
                state.messages.append(warning)
        state.extra_credits.append(result.provenance.credit_line())
        for feat in result.layer.getFeatures():
            code = feat["code"]
            if code and feat.hasGeometry():
                state.commune_geoms[normalise_insee(code)] = feat.geometry()
    return {c: state.commune_geoms.get(c) for c in wanted}


def join_communes(state: LoadState, selected, records) -> Dict[int, Optional[QgsGeometry]]:
    """Each record's communes dissolved into one geometry; ``jointure`` says ``ok`` or
    ``commune_introuvable`` (kept without geometry, reported)."""
    all_codes = set()
    for i in selected:
        all_codes.update(records[i]["communes"])
    geoms = commune_geometries(state, all_codes)
    out = {}
    unmatched, renamed = [], []
    for i in selected:
        parts = []
        status = "ok"
        for code in records[i]["communes"]:
            target = current_commune(state, code)
            if target != code and code not in state.ref.arrondissements:
                renamed.append(f"{code}→{target}")
            geom = geoms.get(target)
            if geom is None:
                unmatched.append(code)
                status = "commune_introuvable"
            else:
                parts.append(geom)
        records[i]["jointure"] = status
        out[i] = QgsGeometry.unaryUnion(parts) if len(parts) > 1 else (parts[0] if parts else None)
    if renamed:
        state.warn(
            tr("{n} former commune codes attached to their current commune: {codes}.").format(
                n=len(set(renamed)), codes=listing(sorted(set(renamed)))
            )
        )
    if unmatched:
        state.warn(
            tr(
                "{n} commune codes of the list match no commune outline; rows kept without "
                "geometry (field “jointure”): {codes}."
            ).format(n=len(set(unmatched)), codes=listing(sorted(set(unmatched))))
        )
    return out
