"""Population layers -> population units and samples in the working CRS.

Population units are points, or polygons whose population is spread evenly over their area
(rasterised at the cell size: each sample carries pop / number of samples of its polygon, so
shares are pro rata of area and totals are kept exactly).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import List, Optional, Tuple

import numpy as np

from ... import compat
from ..definitions import is_null
from ..errors import CancelledError, InputError
from ..i18n import tr
from .column_reader import read_points

MAX_SAMPLE_CELLS = 30_000_000


@dataclass
class PopulationUnits:
    fids: np.ndarray  # (U,) feature ids
    pop: np.ndarray  # (U,) population of each unit
    is_polygon: bool
    rep_xy: np.ndarray  # (U, 2) a point on each unit (working CRS)
    sample_xy: np.ndarray  # (S, 2)
    sample_w: np.ndarray  # (S,) population carried by each sample
    sample_unit: np.ndarray  # (S,) unit index
    #: polygon units: their WKB in the working CRS (exact shares of the zones)
    wkbs: Optional[List[bytes]] = None
    #: features left out because they have no geometry, and their population
    n_no_geometry: int = 0
    pop_no_geometry: float = 0.0
    envelopes: Optional[np.ndarray] = None  # (U, 4) of the polygons, filled on first use


def _check_cancel(feedback, what=None):
    if feedback is not None and feedback.isCanceled():
        raise CancelledError(what or tr("Cancelled during the access-time computation."))


def read_population_value(value, layer_name: str, field_name: str, fid) -> float:
    """Number from a population attribute; refuses text and negative values with a message."""
    if is_null(value) and not isinstance(value, float):  # NaN is refused below
        return 0.0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
        if not text:
            return 0.0
        try:
            number = float(text)
        except ValueError:
            raise InputError(
                tr(
                    "The population field {field} of {layer} holds text ({value!r} in feature "
                    "{fid}): choose a numeric field."
                ).format(field=field_name, layer=layer_name, value=str(value), fid=fid)
            ) from None
    if not math.isfinite(number) or number < 0:
        raise InputError(
            tr(
                "The population field {field} of {layer} has a negative or invalid value "
                "({value} in feature {fid}): correct it or choose another field."
            ).format(field=field_name, layer=layer_name, value=value, fid=fid)
        )
    return number


def population_units(
    layer,
    pop_field: str,
    crs,
    cell: float,
    feedback=None,
    request=None,
    transform_context=None,
) -> PopulationUnits:
    """Read points or polygons of ``layer`` (population ``pop_field``) into samples in ``crs``.

    ``transform_context`` comes from the Processing context (a default one when not given)."""
    from qgis.core import QgsCoordinateTransformContext, QgsFeatureRequest

    is_polygon, field_idx = _check_population_layer(layer, pop_field)
    req = QgsFeatureRequest(request) if request is not None else QgsFeatureRequest()
    req.setSubsetOfAttributes([field_idx] if field_idx >= 0 else [])
    req.setDestinationCrs(crs, transform_context or QgsCoordinateTransformContext())
    read = None
    if not is_polygon and request is None:
        # a GeoPackage of points as it is on disk: read column-wise (300,000 in a fraction
        # of a second)
        read = _points_read(read_points(layer, crs, pop_field, feedback), layer.name())
    if read is None:
        read = _read_units(layer, req, pop_field, field_idx, is_polygon, feedback)
    fids_a = np.asarray(read.fids, np.int64)
    pop_a = np.asarray(read.pops, float)
    rep_xy = np.asarray(read.reps, float)
    if not is_polygon:
        sxy, weight, unit = rep_xy, pop_a.copy(), np.arange(len(fids_a))
    else:
        sxy, weight, unit = _polygon_samples(read.wkbs, rep_xy, pop_a, crs, cell, feedback)
    return PopulationUnits(
        fids_a,
        pop_a,
        is_polygon,
        rep_xy,
        sxy,
        weight,
        unit,
        wkbs=read.wkbs if is_polygon else None,
        n_no_geometry=read.no_geom,
        pop_no_geometry=read.no_geom_pop,
    )


def _check_population_layer(layer, pop_field: str) -> Tuple[bool, int]:
    """``(is_polygon, index of pop_field or -1)``; refuses lines and a missing field."""
    geom_type = layer.geometryType()
    if geom_type not in (compat.GEOMETRY_POINT, compat.GEOMETRY_POLYGON):
        raise InputError(
            tr("The population layer {name} must hold points or polygons.").format(
                name=layer.name()
            )
        )
    field_idx = -1
    if pop_field:
        field_idx = layer.fields().lookupField(pop_field)
        if field_idx < 0:
            raise InputError(
                tr("The population field {field} is not in {layer}.").format(
                    field=pop_field, layer=layer.name()
                )
            )
    return geom_type == compat.GEOMETRY_POLYGON, field_idx


@dataclass
class _ReadUnits:
    fids: List[int] = field(default_factory=list)
    pops: List[float] = field(default_factory=list)
    reps: List[Tuple[float, float]] = field(default_factory=list)
    wkbs: List[bytes] = field(default_factory=list)
    no_geom: int = 0
    no_geom_pop: float = 0.0


def _points_read(points, layer_name) -> Optional[_ReadUnits]:
    if points is None:
        return None
    if not len(points.fids):
        raise InputError(tr("The population layer {name} is empty.").format(name=layer_name))
    return _ReadUnits(points.fids, points.pops, points.xy, [], points.no_geom, points.no_geom_pop)


def _read_units(layer, req, pop_field, field_idx, is_polygon, feedback) -> _ReadUnits:
    out = _ReadUnits()
    total = max(layer.featureCount(), 1)
    layer_name = layer.name()
    for n, feat in enumerate(layer.getFeatures(req)):
        if n % 5000 == 0:
            _check_cancel(feedback)
            if feedback is not None:
                feedback.setProgress(20.0 * n / total)
        geom = feat.geometry()
        value = 1.0
        if field_idx >= 0:
            value = read_population_value(
                feat.attributes()[field_idx], layer_name, pop_field, feat.id()
            )
        if geom.isNull() or geom.isEmpty():
            out.no_geom += 1
            out.no_geom_pop += value
            continue
        out.fids.append(feat.id())
        out.pops.append(value)
        if is_polygon:
            point = geom.pointOnSurface().asPoint()
            out.wkbs.append(bytes(geom.asWkb()))
        else:
            point = geom.asPoint() if not geom.isMultipart() else geom.centroid().asPoint()
        out.reps.append((point.x(), point.y()))
    if out.no_geom and feedback is not None:
        feedback.reportError(
            tr(
                "{n} features of {name} have no geometry ({pop:.0f} inhabitants): they cannot be "
                "placed and are left out of every total."
            ).format(n=out.no_geom, name=layer_name, pop=out.no_geom_pop)
        )
    if not out.fids:
        raise InputError(tr("The population layer {name} is empty.").format(name=layer_name))
    return out


def _units_layer(wkbs: List[bytes], crs):
    """An OGR memory layer of the polygons (field ``idx`` = position + 1), its data source,
    spatial reference and extent ``(xmin, xmax, ymin, ymax)``."""
    from osgeo import ogr, osr

    # the memory layer and raster carry the working CRS: GDAL then needs no guess (and warns
    # about none) when it rasterises
    srs = osr.SpatialReference()
    if srs.ImportFromWkt(crs.toWkt()) != 0:
        srs = None
    elif hasattr(osr, "OAMS_TRADITIONAL_GIS_ORDER"):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    vector = ogr.GetDriverByName("Memory").CreateDataSource("")
    olayer = vector.CreateLayer("units", srs, ogr.wkbMultiPolygon)
    olayer.CreateField(ogr.FieldDefn("idx", ogr.OFTInteger))
    xmin = ymin = math.inf
    xmax = ymax = -math.inf
    for i, wkb in enumerate(wkbs):
        g = ogr.CreateGeometryFromWkb(wkb)
        if g is None:
            continue
        env = g.GetEnvelope()
        xmin, xmax = min(xmin, env[0]), max(xmax, env[1])
        ymin, ymax = min(ymin, env[2]), max(ymax, env[3])
        f = ogr.Feature(olayer.GetLayerDefn())
        f.SetField(0, i + 1)
        f.SetGeometry(g)
        olayer.CreateFeature(f)
    return vector, olayer, srs, (xmin, xmax, ymin, ymax)


def _sample_step(extent, cell: float, feedback) -> Tuple[float, int, int]:
    """``(step, nx, ny)``: the cell size, enlarged beyond ``MAX_SAMPLE_CELLS`` cells."""
    xmin, xmax, ymin, ymax = extent
    step = cell
    nx = int(math.ceil((xmax - xmin) / step)) + 1
    ny = int(math.ceil((ymax - ymin) / step)) + 1
    if nx * ny > MAX_SAMPLE_CELLS:
        step = step * math.sqrt(nx * ny / MAX_SAMPLE_CELLS)
        nx = int(math.ceil((xmax - xmin) / step)) + 1
        ny = int(math.ceil((ymax - ymin) / step)) + 1
        if feedback is not None:
            feedback.pushInfo(
                tr("The population polygons are sampled every {step:.0f} m (large extent).").format(
                    step=step
                )
            )
    return step, nx, ny


def _polygon_samples(wkbs, rep_xy, pop_a, crs, cell: float, feedback):
    """Polygons: their index rasterised at the cell size, one sample per cell centre, the
    population of a unit shared evenly by its samples. ``(xy, weight, unit)``."""
    from osgeo import gdal

    # ``vector`` is kept until the end: older GDAL bindings free a layer with its data source
    vector, olayer, srs, extent = _units_layer(wkbs, crs)
    _check_cancel(feedback)
    step, nx, ny = _sample_step(extent, cell, feedback)
    xmin, ymax = extent[0], extent[3]
    raster = gdal.GetDriverByName("MEM").Create("", nx, ny, 1, gdal.GDT_Int32)
    raster.SetGeoTransform((xmin, step, 0.0, ymax, 0.0, -step))
    if srs is not None:
        raster.SetProjection(srs.ExportToWkt())
    gdal.RasterizeLayer(raster, [1], olayer, options=["ATTRIBUTE=idx"])
    _check_cancel(feedback)
    ids = raster.GetRasterBand(1).ReadAsArray()
    rows, cols = np.nonzero(ids)
    unit = ids[rows, cols].astype(np.int64) - 1
    sxy = np.column_stack([xmin + (cols + 0.5) * step, ymax - (rows + 0.5) * step])
    # polygons smaller than a cell: their point on surface carries all their population
    missing = np.setdiff1d(np.arange(len(pop_a)), unit)
    if len(missing):
        sxy = np.concatenate([sxy, rep_xy[missing]])
        unit = np.concatenate([unit, missing])
    counts = np.bincount(unit, minlength=len(pop_a))
    return sxy, pop_a[unit] / counts[unit], unit
