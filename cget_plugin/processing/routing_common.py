"""What the routing algorithms share (``cget:isochrones``, ``cget:accesstime``): the engine
and grid parameters, the engine settings read from a run, reading point inputs, the remote
router call and the "non raccordés" (not attached) output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List, Optional, Tuple

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterVectorLayer,
)

from .. import compat
from ..core import provenance as prov_mod
from ..core.definitions import (
    BACKENDS,
    DIRECTIONS,
    NETWORK_PROFILES,
    TRAVEL_MODES,
    WGS84,
    backend_label,
    direction_label,
    network_profile_label,
    travel_mode_label,
    travel_mode_noun,
)
from ..core.errors import CancelledError, InputError
from ..core.i18n import tr
from ..core.routing import building, graph_cache
from ..core.routing import profiles as prof
from .parameters import advanced, enum_parameter, set_decimals
from .sinks import create_sink

DEFAULT_SNAP_TOLERANCE_M = 500.0


# ---------------------------------------------------------------------------------------------
# Parameters


def add_engine_parameters(alg, direction_default: str) -> None:
    """BACKEND, NETWORK, NETWORK_PROFILE, SPEED_FIELD, DEFAULT_SPEED_KMH, MODE, DIRECTION."""
    alg.addParameter(
        enum_parameter("BACKEND", tr("Routing engine"), BACKENDS, "local", labels=backend_label)
    )
    alg.addParameter(
        QgsProcessingParameterVectorLayer(
            "NETWORK",
            tr("Road network (lines; local engine)"),
            types=[compat.SOURCE_VECTOR_LINE],
            optional=True,
        )
    )
    alg.addParameter(
        enum_parameter(
            "NETWORK_PROFILE",
            tr("Network profile"),
            NETWORK_PROFILES,
            "auto",
            labels=network_profile_label,
        )
    )
    p = QgsProcessingParameterField(
        "SPEED_FIELD",
        tr("Speed field (km/h; generic profile)"),
        parentLayerParameterName="NETWORK",
        type=compat.FIELD_NUMERIC,
        optional=True,
    )
    alg.addParameter(advanced(p))
    p = QgsProcessingParameterNumber(
        "DEFAULT_SPEED_KMH",
        tr("Default speed (km/h; generic profile)"),
        type=compat.NUMBER_DOUBLE,
        minValue=0.0,
        optional=True,
    )
    alg.addParameter(advanced(set_decimals(p, 1)))
    alg.addParameter(
        enum_parameter("MODE", tr("Travel mode"), TRAVEL_MODES, "car", labels=travel_mode_label)
    )
    alg.addParameter(
        enum_parameter(
            "DIRECTION", tr("Direction"), DIRECTIONS, direction_default, labels=direction_label
        )
    )


def add_grid_parameters(alg, off_network: bool = True) -> None:
    """SNAP_TOLERANCE_M, CELL_SIZE_M, OFF_NETWORK_M (0 = default of the mode)."""
    snap = QgsProcessingParameterNumber(
        "SNAP_TOLERANCE_M",
        tr("Maximum distance to the network (m)"),
        type=compat.NUMBER_DOUBLE,
        minValue=0.0,
        defaultValue=DEFAULT_SNAP_TOLERANCE_M,
    )
    alg.addParameter(set_decimals(snap, 0))
    grid = [("CELL_SIZE_M", tr("Cell size (m; 0 = default of the mode)"))]
    if off_network:
        grid.append(
            ("OFF_NETWORK_M", tr("Off-network walking distance (m; 0 = default of the mode)"))
        )
    for name, label in grid:
        p = QgsProcessingParameterNumber(
            name, label, type=compat.NUMBER_DOUBLE, minValue=0.0, defaultValue=0.0
        )
        alg.addParameter(advanced(set_decimals(p, 0)))


def add_population_parameters(alg) -> None:
    """POPULATION (points or polygons) and POP_FIELD (optional: each feature counts 1)."""
    alg.addParameter(
        QgsProcessingParameterVectorLayer(
            "POPULATION",
            tr("Population (points or polygons)"),
            [compat.SOURCE_VECTOR_POINT, compat.SOURCE_VECTOR_POLYGON],
        )
    )
    alg.addParameter(
        QgsProcessingParameterField(
            "POP_FIELD",
            tr("Population field"),
            parentLayerParameterName="POPULATION",
            optional=True,
        )
    )


def fields_with(input_fields: QgsFields, added) -> Tuple[QgsFields, List[str]]:
    """An input layer's fields plus ``added`` ``[(name, type)]`` (``cget_<name>`` when the
    input already has a field of that name): ``(fields, added names)``."""
    fields = QgsFields(input_fields)
    names = []
    for name, kind in added:
        out_name = name if fields.lookupField(name) < 0 else "cget_" + name
        names.append(out_name)
        fields.append(compat.make_field(out_name, kind))
    return fields, names


def add_unsnapped_sink(alg) -> None:
    alg.addParameter(
        QgsProcessingParameterFeatureSink(
            "UNSNAPPED",
            tr("Not attached to the network (non raccordés)"),
            type=compat.SOURCE_VECTOR_POINT,
            optional=True,
            # Not created when every point is attached (no empty layer in the dialog's
            # results); created and loaded anyway when some are left out (see below).
            createByDefault=False,
        )
    )


def _given(parameters, name: str) -> bool:
    return parameters.get(name) not in (None, "")


class EngineSettings:
    """The engine parameters read from a run, with the mode defaults applied."""

    def __init__(self, alg, parameters, context):
        self.backend = alg.parameterAsEnumString(parameters, "BACKEND", context) or "local"
        self.network = alg.parameterAsVectorLayer(parameters, "NETWORK", context)
        self.profile = alg.parameterAsEnumString(parameters, "NETWORK_PROFILE", context) or "auto"
        self.speed_field = alg.parameterAsString(parameters, "SPEED_FIELD", context) or ""
        self.default_speed = _default_speed(alg, parameters, context)
        self.mode = alg.parameterAsEnumString(parameters, "MODE", context) or "car"
        self.direction = alg.parameterAsEnumString(parameters, "DIRECTION", context) or "departure"
        self.snap_m = alg.parameterAsDouble(parameters, "SNAP_TOLERANCE_M", context)
        if not _given(parameters, "SNAP_TOLERANCE_M"):
            self.snap_m = DEFAULT_SNAP_TOLERANCE_M
        self.cell = alg.parameterAsDouble(parameters, "CELL_SIZE_M", context) or 0.0
        if self.cell <= 0:
            self.cell = prof.DEFAULT_CELL_SIZE_M[self.mode]
        self.off_m = 0.0
        if "OFF_NETWORK_M" in parameters:
            self.off_m = alg.parameterAsDouble(parameters, "OFF_NETWORK_M", context) or 0.0
        if self.off_m <= 0:
            self.off_m = prof.DEFAULT_OFF_NETWORK_M[self.mode]
        if self.backend == "local" and self.network is None:
            raise InputError(
                tr("The local engine needs a road network: choose a line layer in NETWORK.")
            )

    @property
    def local(self) -> bool:
        return self.backend == "local"

    def graph(self, context, feedback):
        graph, _cached = graph_cache.get_graph(
            self.network,
            self.profile,
            self.mode,
            self.speed_field,
            self.default_speed,
            feedback,
            transform_context=context.transformContext(),
        )
        return graph

    def graph_and_crs(self, points_source, context, feedback):
        """``(graph, working CRS)``: the local engine works in its graph's CRS (no graph for
        a remote router, whose points go in the official metric CRS where they lie)."""
        if self.local:
            graph = self.graph(context, feedback)
            return graph, QgsCoordinateReferenceSystem(graph.crs_authid)
        return None, building.working_crs(points_source, context.transformContext(), feedback)

    def engine_text(self, graph) -> str:
        # the credit line of the map: French whatever the interface language
        return tr(
            "CGET local engine, network {name}, profile {profile}, {mode}", on_map=True
        ).format(
            name=graph.layer_name, profile=graph.profile, mode=travel_mode_noun(self.mode, True)
        )

    def parameters(self) -> dict:
        return {
            "backend": self.backend,
            "mode": self.mode,
            "direction": self.direction,
            "snap_tolerance_m": self.snap_m,
            "cell_size_m": self.cell,
            "off_network_m": self.off_m,
        }

    def network_credits(self, graph) -> List[str]:
        credits = []
        if self.network is not None:
            credits = [c for c in prov_mod.layer_credits(self.network) if c]
        if not credits and graph is not None and graph.credit:
            credits = [graph.credit]
        return credits


def _default_speed(alg, parameters, context) -> Optional[float]:
    """DEFAULT_SPEED_KMH, None when not given or 0; refuses a negative speed."""
    if not _given(parameters, "DEFAULT_SPEED_KMH"):
        return None
    speed = alg.parameterAsDouble(parameters, "DEFAULT_SPEED_KMH", context)
    if speed > 0:
        return speed
    if float(parameters["DEFAULT_SPEED_KMH"]) < 0:
        raise InputError(tr("DEFAULT_SPEED_KMH must be greater than zero."))
    return None


# ---------------------------------------------------------------------------------------------
# Points


@dataclass
class Points:
    """The usable features of a point input: features, (n, 2) coordinates and ids."""

    feats: list
    xy: np.ndarray
    ids: List[str]


def read_points(source, id_field: str, crs, context, feedback, what: str) -> Points:
    """Features, coordinates in ``crs`` and ids of a point source (first point of a
    multipoint). Refuses an empty layer."""
    transform = QgsCoordinateTransform(source.sourceCrs(), crs, context.transformContext())
    feats, xy, ids = [], [], []
    id_idx = source.fields().lookupField(id_field) if id_field else -1
    total = max(source.featureCount(), 1)
    for n, feat in enumerate(source.getFeatures()):
        if n % 2000 == 0:
            if feedback.isCanceled():
                raise CancelledError(tr("Cancelled while reading {what}.").format(what=what))
            feedback.setProgress(5.0 * n / total)
        point = _point_of(feat, transform, source, crs, feedback, what)
        if point is None:
            continue
        feats.append(feat)
        xy.append((point.x(), point.y()))
        value = feat.attributes()[id_idx] if id_idx >= 0 else feat.id()
        ids.append("" if value is None else str(value))
    if not feats:
        raise InputError(
            tr("The layer of {what} is empty: give at least one point.").format(what=what)
        )
    return Points(feats, np.asarray(xy, float), ids)


def _point_of(feat, transform, source, crs, feedback, what) -> Optional[QgsPointXY]:
    geom = feat.geometry()
    if geom.isNull() or geom.isEmpty():
        feedback.reportError(
            tr("Feature {fid} of {what} has no geometry: skipped.").format(fid=feat.id(), what=what)
        )
        return None
    point = geom.asMultiPoint()[0] if geom.isMultipart() else geom.asPoint()
    try:
        return transform.transform(QgsPointXY(point))
    except QgsCsException:
        raise InputError(
            tr(
                "Point {fid} of {what} cannot be converted from {src} to {dst}: its "
                "coordinates ({x}, {y}) lie outside that coordinate system. Check the CRS "
                "of the layer."
            ).format(
                fid=feat.id(),
                what=what,
                src=source.sourceCrs().authid(),
                dst=crs.authid(),
                x=round(point.x(), 4),
                y=round(point.y(), 4),
            )
        ) from None


# ---------------------------------------------------------------------------------------------
# Remote routers


def remote_isochrones(
    settings: EngineSettings, crs, xy: np.ndarray, bands, context, feedback
) -> Tuple[Dict[int, Dict[int, QgsGeometry]], prov_mod.Provenance]:
    """The router's cumulative polygons ``{origin index: {minutes: geometry in crs}}`` around
    the points ``xy`` (in ``crs``), and the router's provenance."""
    from ..core.routing.backends import get_backend

    backend = get_backend(settings.backend)
    wgs84 = QgsCoordinateReferenceSystem(WGS84)
    to_wgs = QgsCoordinateTransform(crs, wgs84, context.transformContext())
    back = QgsCoordinateTransform(wgs84, crs, context.transformContext())
    origins = []
    for i, (x, y) in enumerate(xy):
        p = to_wgs.transform(QgsPointXY(float(x), float(y)))
        origins.append((i, p.x(), p.y()))
    results = backend.isochrones(origins, bands, settings.mode, settings.direction, feedback)
    remote: Dict[int, Dict[int, QgsGeometry]] = {}
    for r in results:
        geom = QgsGeometry(r.geometry)
        geom.transform(back)
        remote.setdefault(int(r.origin_id), {})[int(r.minutes)] = geom
    return remote, backend.provenance(bands, settings.mode, settings.direction)


# ---------------------------------------------------------------------------------------------
# Not attached to the network


@dataclass
class Unsnapped:
    """A point left out: farther than the snapping tolerance from the network."""

    role: str  # what it is: origin, facility, unit
    ident: str
    distance_m: float
    xy: Tuple[float, float]
    population: Optional[float] = None


def unsnapped_points(points: Points, snaps, indices, role: str) -> List[Unsnapped]:
    return [
        Unsnapped(role, points.ids[i], float(snaps.dist[i]), tuple(points.xy[i])) for i in indices
    ]


def unsnapped_fields() -> QgsFields:
    fields = QgsFields()
    fields.append(compat.make_field("role", "string"))
    fields.append(compat.make_field("ident", "string"))
    fields.append(compat.make_field("distance_m", "double"))
    fields.append(compat.make_field("population", "double"))
    return fields


def write_unsnapped(alg, parameters, context, crs, rows: List[Unsnapped]) -> Optional[str]:
    """The UNSNAPPED output; its destination id, None when not created. Created when asked
    for, and also when points were left out although it was not asked for (then loaded into
    the project): they are never dropped silently."""
    requested = _given(parameters, "UNSNAPPED")
    if not requested:
        if not rows:
            return None
        parameters = dict(parameters)
        parameters["UNSNAPPED"] = QgsProcessing.TEMPORARY_OUTPUT
    sink, dest = create_sink(
        alg,
        parameters,
        "UNSNAPPED",
        context,
        unsnapped_fields(),
        compat.WKB_POINT,
        crs,
        optional=True,
    )
    if sink is None:
        return None
    fields = sink.fields
    if not requested and context.project() is not None:
        # Not asked for, but points were left out: show them rather than only logging it.
        details = QgsProcessingContext.LayerDetails(
            tr("Not attached to the network"), context.project(), "UNSNAPPED"
        )
        context.addLayerToLoadOnCompletion(dest, details)
    sink.write(_unsnapped_feature(fields, row) for row in rows)
    alg.decorate_output(
        dest, context, None, style=None, layer_name=tr("Not attached to the network")
    )
    return dest


def _unsnapped_feature(fields, row: Unsnapped) -> QgsFeature:
    out = QgsFeature(fields)
    out.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(row.xy[0]), float(row.xy[1]))))
    dist = round(row.distance_m, 1) if np.isfinite(row.distance_m) else None
    out.setAttributes([row.role, row.ident, dist, row.population])
    return out
