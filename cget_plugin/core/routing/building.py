"""Road line layer -> :class:`~.graph.RoadGraph`: the working CRS, the features read with the
speeds of a profile (one-way streets as a zero speed against the allowed direction), then
:func:`~.graph.graph_from_lines`.

No cache here: :func:`.graph_cache.get_graph` keeps the graphs of a session.
"""

from __future__ import annotations

import struct
import time
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Tuple

import numpy as np

from ... import compat
from ..definitions import WGS84, official_crs_for_lonlat, travel_mode_noun
from ..errors import CancelledError, InputError
from ..i18n import tr
from . import profiles as prof
from .column_reader import FlatLines, read_flat_lines
from .diagnostics import report_graph
from .graph import RoadGraph, graph_from_lines


def check_network_layer(layer):
    from qgis.core import QgsVectorLayer, QgsWkbTypes

    if layer is None or not isinstance(layer, QgsVectorLayer) or not layer.isValid():
        raise InputError(tr("No valid road network layer was given (NETWORK)."))
    if layer.geometryType() != compat.GEOMETRY_LINE:
        raise InputError(
            tr(
                "The road network {name} is not a line layer ({kind}): give the road sections "
                "(lines), for instance BD TOPO troncon_de_route or OSM highways."
            ).format(
                name=layer.name(), kind=QgsWkbTypes.geometryDisplayString(layer.geometryType())
            )
        )
    if layer.featureCount() == 0:
        raise InputError(tr("The road network {name} is empty.").format(name=layer.name()))


# ---------------------------------------------------------------------------------------------
# CRS


def source_extent(source):
    """The extent of a layer or feature source; read from the features when the provider does
    not know it (.osm)."""
    from qgis.core import QgsFeatureRequest

    extent = source.sourceExtent()
    if extent.isNull() or extent.isEmpty():
        extent = compat.null_rectangle()
        request = QgsFeatureRequest().setNoAttributes()
        for n, feat in enumerate(source.getFeatures(request)):
            if feat.hasGeometry():
                extent.combineExtentWith(feat.geometry().boundingBox())
            if n > 5000:
                break
    return extent


def working_crs(source, transform_context, feedback=None):
    """The CRS of ``source`` (a vector layer or any feature source) if projected in metres,
    else the official metric CRS where it lies (reported to ``feedback``)."""
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform

    crs = source.sourceCrs()
    if crs.isValid() and not crs.isGeographic() and crs.mapUnits() == compat.DISTANCE_METERS:
        return crs
    if not crs.isValid():
        raise InputError(
            tr("The layer {name} has no valid coordinate reference system: set its CRS.").format(
                name=source.sourceName()
            )
        )
    wgs84 = QgsCoordinateReferenceSystem(WGS84)
    extent = source_extent(source)
    if crs != wgs84:
        extent = QgsCoordinateTransform(crs, wgs84, transform_context).transformBoundingBox(extent)
    centre = extent.center()
    target = QgsCoordinateReferenceSystem(official_crs_for_lonlat(centre.x(), centre.y()))
    if feedback is not None:
        feedback.pushInfo(
            tr(
                "The layer {name} is in {crs} (not in metres): it is reprojected to {target} "
                "for the computation."
            ).format(name=source.sourceName(), crs=crs.authid(), target=target.authid())
        )
    return target


# ---------------------------------------------------------------------------------------------
# WKB


def _parse_wkb(buf: bytes, pos: int, out: List[np.ndarray]) -> int:
    """Append the (n, 2) coordinates of each line in the WKB at ``pos``; returns the new pos."""
    order = "<" if buf[pos] == 1 else ">"
    (gtype,) = struct.unpack_from(order + "I", buf, pos + 1)
    pos += 5
    has_z = bool(gtype & 0x80000000)
    has_m = bool(gtype & 0x40000000)
    gtype &= 0x0FFFFFFF
    base = gtype % 1000
    dims = gtype // 1000
    if dims in (1, 3):
        has_z = True
    if dims in (2, 3):
        has_m = True
    ncoord = 2 + int(has_z) + int(has_m)
    if base == 2:
        (npts,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        arr = np.frombuffer(buf, dtype=order + "f8", count=npts * ncoord, offset=pos)
        out.append(arr.reshape(npts, ncoord)[:, :2].astype(np.float64))
        return pos + 8 * npts * ncoord
    if base in (5, 7):
        (nparts,) = struct.unpack_from(order + "I", buf, pos)
        pos += 4
        for _ in range(nparts):
            pos = _parse_wkb(buf, pos, out)
        return pos
    raise ValueError(f"unsupported WKB type {gtype}")


# ---------------------------------------------------------------------------------------------
# Features -> lines with speeds


@dataclass
class _Lines:
    """Single-part lines read from a layer, with what the graph needs of each."""

    coords: List[np.ndarray] = field(default_factory=list)
    speed_f: List[float] = field(default_factory=list)
    speed_b: List[float] = field(default_factory=list)
    fid: List[int] = field(default_factory=list)
    limited: List[bool] = field(default_factory=list)
    bad_speed: int = 0  # features with no usable speed (generic profile, car)
    forbidden: int = 0  # features the mode may not use


def _feature_speeds(profile, mode: str, values: dict) -> Tuple[float, float, bool]:
    """``(forward km/h, backward km/h, limited access)``; 0 = not allowed that way, -1 = no
    usable speed (a generic car network needs one)."""
    sf, sb = profile.speeds(values)
    speeds = (sf if sf > 0 else 0.0, sb if sb > 0 else 0.0)
    if profile.name == "generic" and mode == "car" and (sf <= 0 and sb <= 0):
        speeds = (-1.0, -1.0)
    return speeds + (profile.limited_access(values),)


def _read_lines(layer, request, wanted, profile, mode: str, feedback) -> _Lines:
    from qgis.core import QgsWkbTypes

    total = max(layer.featureCount(), 0)
    lines = _Lines()
    memo: Dict[tuple, Tuple[float, float, bool]] = {}
    for n, feat in enumerate(layer.getFeatures(request)):
        if n % 2000 == 0 and feedback is not None:
            if feedback.isCanceled():
                raise CancelledError(tr("Cancelled while reading the road network."))
            if total:
                feedback.setProgress(60.0 * n / total)
        geom = feat.geometry()
        if geom.isNull() or geom.isEmpty():
            continue
        attrs = feat.attributes()
        key = tuple(attrs[i] for _, i in wanted)
        speeds = memo.get(key)
        if speeds is None:
            speeds = _feature_speeds(profile, mode, {name: attrs[i] for name, i in wanted})
            memo[key] = speeds
        sf, sb, limited = speeds
        if sf < 0:
            lines.bad_speed += 1
            continue
        if sf <= 0 and sb <= 0:
            lines.forbidden += 1
            continue
        if QgsWkbTypes.isCurvedType(geom.wkbType()):
            geom = geom.__class__(geom.constGet().segmentize())
        before = len(lines.coords)
        try:
            _parse_wkb(bytes(geom.asWkb()), 0, lines.coords)
        except (ValueError, struct.error):
            continue
        added = len(lines.coords) - before
        lines.speed_f.extend([sf] * added)
        lines.speed_b.extend([sb] * added)
        lines.fid.extend([feat.id()] * added)
        lines.limited.extend([limited] * added)
    return lines


def _flat(lines: _Lines) -> FlatLines:
    """The lines read feature by feature, as one vertex array."""
    counts = np.fromiter((len(c) for c in lines.coords), np.int64, len(lines.coords))
    return FlatLines(
        np.concatenate(lines.coords) if lines.coords else np.zeros((0, 2)),
        counts,
        np.asarray(lines.speed_f, float),
        np.asarray(lines.speed_b, float),
        np.asarray(lines.fid, np.int64),
        np.asarray(lines.limited, bool),
        lines.bad_speed,
        lines.forbidden,
    )


def _usable_parts(lines: FlatLines, layer, mode: str, feedback) -> FlatLines:
    """The lines with at least two vertices; refuses a network left with none."""
    if lines.bad_speed and feedback is not None:
        feedback.reportError(
            tr(
                "{n} road sections have no speed, a zero or a negative speed: they are left out "
                "of the network."
            ).format(n=lines.bad_speed)
        )
    # single-vertex parts cannot carry anything
    keep = lines.counts >= 2
    if keep.any():
        if keep.all():
            return lines
        return FlatLines(
            lines.vert_xy[np.repeat(keep, lines.counts)],
            lines.counts[keep],
            lines.speed_f[keep],
            lines.speed_b[keep],
            lines.fid[keep],
            lines.limited[keep],
            lines.bad_speed,
            lines.forbidden,
        )
    if lines.bad_speed:
        raise InputError(
            tr(
                "No road section of {name} has a usable speed (all are empty, zero or "
                "negative): choose another SPEED_FIELD or set DEFAULT_SPEED_KMH."
            ).format(name=layer.name())
        )
    raise InputError(
        tr("No road section of {name} can be used for the mode {mode}.").format(
            name=layer.name(), mode=travel_mode_noun(mode)
        )
    )


# ---------------------------------------------------------------------------------------------
# Build


def build_graph(
    layer,
    profile_name: str = "auto",
    mode: str = "car",
    speed_field: str = "",
    default_speed: Optional[float] = None,
    feedback=None,
    transform_context=None,
) -> RoadGraph:
    """Read ``layer`` and build the routable graph (no cache; see
    :func:`.graph_cache.get_graph`). ``transform_context`` comes from the Processing context
    (a default one when not given)."""
    from qgis.core import QgsCoordinateTransformContext, QgsFeatureRequest

    started = time.perf_counter()
    check_network_layer(layer)
    if transform_context is None:
        transform_context = QgsCoordinateTransformContext()
    field_names = [f.name() for f in layer.fields()]
    profile = prof.make_profile(profile_name, mode, field_names, speed_field, default_speed)
    crs = working_crs(layer, transform_context, feedback)
    lower_to_index = {}
    for i, name in enumerate(field_names):
        lower_to_index.setdefault(name.lower(), i)
    wanted = [(name, lower_to_index[name]) for name in profile.fields if name in lower_to_index]
    request = QgsFeatureRequest()
    request.setSubsetOfAttributes([i for _, i in wanted])
    if crs != layer.crs():
        request.setDestinationCrs(crs, transform_context)

    # A GeoPackage as it is on disk is read column-wise (seconds for a million sections).
    lines = read_flat_lines(
        layer, crs, wanted, lambda values: _feature_speeds(profile, mode, values), feedback
    )
    if lines is None:
        lines = _flat(_read_lines(layer, request, wanted, profile, mode, feedback))
    lines = _usable_parts(lines, layer, mode, feedback)
    if feedback is not None:
        if feedback.isCanceled():
            raise CancelledError(tr("Cancelled while reading the road network."))
        feedback.setProgress(65)
    graph = graph_from_lines(
        lines.vert_xy,
        lines.speed_f,
        lines.speed_b,
        lines.fid,
        crs_authid=crs.authid(),
        layer_name=layer.name(),
        profile=profile.name,
        profile_label=profile.label,
        credit=profile.credit,
        mode=mode,
        split_shared=profile.name in ("osm", "generic"),
        limited=lines.limited,
        counts=lines.counts,
    )
    graph.stats.update(
        {"features_forbidden": lines.forbidden, "features_bad_speed": lines.bad_speed}
    )
    graph.build_seconds = time.perf_counter() - started
    if feedback is not None:
        feedback.setProgress(100)
        report_graph(graph, feedback)
    return graph
