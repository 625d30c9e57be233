"""Node times -> travel-time raster -> band polygons (rings / cumulative / per origin).

Method: every sample point along the network gets its travel time (exact, from the node times and
the partial edge cost); each grid cell takes the smallest time of the network points in it; the
off-network leg is then added at walking speed up to ``off_network_m`` (a min-plus spread with a
cone). Bands are polygonised with GDAL (``gdal.Polygonize`` on an in-memory raster): the
polygons are valid, with holes, and rings share their edges exactly so they never overlap.
Precision is one cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np

from ..errors import CancelledError, InputError
from ..i18n import tr
from . import engine
from .network import RoadGraph, Snap
from .profiles import WALK_SPEED_KMH

OUTPUT_MODES = ("rings", "cumulative", "per_origin")
MAX_BAND_MIN = 240
#: beyond this many cells the cell size is enlarged (memory of an ordinary laptop)
MAX_GRID_CELLS = 30_000_000


@dataclass
class TimeGrid:
    x0: float  # left
    y0: float  # top
    cell: float
    nx: int
    ny: int
    time: np.ndarray  # (ny, nx) seconds, inf where not reached
    origin: np.ndarray  # (ny, nx) origin index, -1 where not reached

    def cells_of(self, xy: np.ndarray) -> np.ndarray:
        """Flat cell index of each point, -1 outside the grid."""
        col = np.floor((xy[:, 0] - self.x0) / self.cell).astype(np.int64)
        row = np.floor((self.y0 - xy[:, 1]) / self.cell).astype(np.int64)
        inside = (col >= 0) & (col < self.nx) & (row >= 0) & (row < self.ny)
        return np.where(inside, row * self.nx + col, -1)


@dataclass
class IsoFeature:
    origin: Optional[int]  # origin index, None for the dissolved modes
    min_from: int
    min_to: int
    wkb: bytes  # (multi)polygon in the working CRS
    area_km2: float
    population: Optional[float] = None
    extra: Dict[str, object] = field(default_factory=dict)


def parse_bands(text, max_band: int = MAX_BAND_MIN) -> List[int]:
    """``"5,10,15"`` -> ``[5, 10, 15]``; refuses empty, non-numeric, non-increasing, zero, too big."""
    if isinstance(text, (list, tuple)):
        items = [str(v) for v in text]
    else:
        items = [t for t in str(text or "").replace(";", ",").replace(" ", ",").split(",") if t]
    if not items:
        raise InputError(tr("No time band was given: write minutes such as 5,10,15,20."))
    values = []
    for item in items:
        try:
            value = float(item)
        except ValueError:
            raise InputError(
                tr("The time band {value} is not a number of minutes (e.g. 5,10,15,20).").format(
                    value=item
                )
            ) from None
        if value != int(value):
            raise InputError(tr("Time bands are whole minutes: {value} is not.").format(value=item))
        values.append(int(value))
    if any(v <= 0 for v in values):
        raise InputError(
            tr("Time bands must be greater than zero minutes: {bands}.").format(bands=text)
        )
    if any(b <= a for a, b in zip(values, values[1:])):
        raise InputError(
            tr("Time bands must be strictly increasing (e.g. 5,10,15,20), not {bands}.").format(
                bands=text
            )
        )
    if values[-1] > max_band:
        raise InputError(
            tr(
                "The largest band ({value} min) is above {max} minutes: this tool computes local "
                "accessibility, use fewer or shorter bands."
            ).format(value=values[-1], max=max_band)
        )
    return values


# ---------------------------------------------------------------------------------------------
def build_grid(
    xy: np.ndarray,
    t: np.ndarray,
    org: np.ndarray,
    max_s: float,
    cell: float,
    off_m: float,
    feedback=None,
) -> Optional[TimeGrid]:
    """Raster of travel time from network points ``xy`` with times ``t`` (s) and origin ``org``."""
    reached = np.isfinite(t) & (t <= max_s)
    if not reached.any():
        return None
    xy, t = xy[reached], t[reached]
    org = org[reached] if org is not None else None
    margin = off_m + cell
    x0 = math.floor((xy[:, 0].min() - margin) / cell) * cell
    y0 = math.ceil((xy[:, 1].max() + margin) / cell) * cell
    nx = int(math.ceil((xy[:, 0].max() + margin - x0) / cell)) + 1
    ny = int(math.ceil((y0 - xy[:, 1].min() + margin) / cell)) + 1
    if nx * ny > MAX_GRID_CELLS:
        raise InputError(
            tr(
                "The area reached needs {cells} million cells of {cell} m: set a larger "
                "CELL_SIZE_M (e.g. {suggest} m)."
            ).format(
                cells=round(nx * ny / 1e6),
                cell=cell,
                suggest=int(math.ceil(cell * math.sqrt(nx * ny / MAX_GRID_CELLS) / 10) * 10),
            )
        )
    col = ((xy[:, 0] - x0) / cell).astype(np.int64)
    row = ((y0 - xy[:, 1]) / cell).astype(np.int64)
    flat = row * nx + col
    base_t = np.full(ny * nx, np.inf)
    np.minimum.at(base_t, flat, t)  # smallest network time in each cell
    track = org is not None
    if track:
        base_o = np.full(ny * nx, -1, np.int64)
        hit = t == base_t[flat]
        base_o[flat[hit]] = org[hit]
        base_o = base_o.reshape(ny, nx)
        out_o = base_o.copy()
    else:
        out_o = np.zeros((ny, nx), np.int64)
    base_t = base_t.reshape(ny, nx)
    out_t = base_t.copy()
    walk = WALK_SPEED_KMH / 3.6
    r = int(off_m // cell)
    for dy in range(-r, r + 1):
        if feedback is not None and feedback.isCanceled():
            raise CancelledError(tr("Cancelled while drawing the isochrones."))
        for dx in range(-r, r + 1):
            dist = math.hypot(dx, dy) * cell
            if dist == 0 or dist > off_m:
                continue
            cost = dist / walk
            # destination cell (row + dy, col + dx) gets source time + cost
            sr = slice(max(0, -dy), ny - max(0, dy))
            sc = slice(max(0, -dx), nx - max(0, dx))
            dr = slice(max(0, dy), ny - max(0, -dy))
            dc = slice(max(0, dx), nx - max(0, -dx))
            cand = base_t[sr, sc] + cost
            dst = out_t[dr, dc]
            if track:
                better = cand < dst
                dst[better] = cand[better]
                out_o[dr, dc][better] = base_o[sr, sc][better]
            else:
                np.minimum(dst, cand, out=dst)
    return TimeGrid(x0, y0, cell, nx, ny, out_t, out_o)


def classify(grid_time: np.ndarray, bands_s: Sequence[float]) -> np.ndarray:
    """Band number 1..K of each cell (time <= band), 0 beyond the last band or unreached."""
    bands = np.asarray(bands_s, float)
    cls = np.searchsorted(bands, grid_time, side="left") + 1
    cls[~np.isfinite(grid_time)] = 0
    cls[cls > len(bands)] = 0
    return cls.astype(np.int32)


def polygonize(values: np.ndarray, grid: TimeGrid, feedback=None) -> Dict[int, object]:
    """``{value: ogr MultiPolygon}`` of the non-zero cells of ``values`` (GDAL Polygonize)."""
    from osgeo import gdal, ogr

    ny, nx = values.shape
    raster = gdal.GetDriverByName("MEM").Create("", nx, ny, 1, gdal.GDT_Int32)
    raster.SetGeoTransform((grid.x0, grid.cell, 0.0, grid.y0, 0.0, -grid.cell))
    band = raster.GetRasterBand(1)
    band.WriteArray(values.astype(np.int32))
    vector = ogr.GetDriverByName("Memory").CreateDataSource("")
    layer = vector.CreateLayer("bands", None, ogr.wkbPolygon)
    layer.CreateField(ogr.FieldDefn("v", ogr.OFTInteger))

    def _progress(_complete, _message, _data):
        return 0 if (feedback is not None and feedback.isCanceled()) else 1

    gdal.Polygonize(band, band, layer, 0, [], callback=_progress)
    if feedback is not None and feedback.isCanceled():
        raise CancelledError(tr("Cancelled while drawing the isochrones."))
    groups: Dict[int, object] = {}
    for feat in layer:
        v = feat.GetField(0)
        geom = feat.GetGeometryRef()
        multi = groups.get(v)
        if multi is None:
            multi = groups[v] = ogr.Geometry(ogr.wkbMultiPolygon)
        multi.AddGeometry(geom)
    return groups


def _pop_by_value(values: np.ndarray, grid: TimeGrid, pop_xy, pop_w) -> Dict[int, float]:
    if pop_xy is None or not len(pop_xy):
        return {}
    cells = grid.cells_of(pop_xy)
    inside = cells >= 0
    v = values.ravel()[cells[inside]]
    w = pop_w[inside]
    sums = np.bincount(v, weights=w)
    return {int(i): float(s) for i, s in enumerate(sums) if i > 0}


# ---------------------------------------------------------------------------------------------
def local_isochrones(
    graph: RoadGraph,
    origins: Snap,
    direction: str,
    bands_min: Sequence[int],
    output_mode: str,
    cell: float,
    off_m: float,
    pop_xy: Optional[np.ndarray] = None,
    pop_w: Optional[np.ndarray] = None,
    feedback=None,
) -> List[IsoFeature]:
    """Band polygons around the snapped ``origins`` (unsnapped ones, part -1, are skipped)."""
    if output_mode not in OUTPUT_MODES:
        raise InputError(
            tr("Unknown output mode {mode}: use rings, cumulative or per_origin.").format(
                mode=output_mode
            )
        )
    bands_s = [b * 60.0 for b in bands_min]
    limit = bands_s[-1]
    with_pop = pop_xy is not None
    features: List[IsoFeature] = []
    k = len(bands_min)
    if output_mode in ("rings", "cumulative"):
        node_t, node_o = engine.nearest_origin(graph, origins, direction, limit)
        _check_cancel(feedback)
        t, org = graph.times_on_parts(
            graph.sample_part, graph.sample_frac, node_t, direction, node_o, origins
        )
        if feedback is not None:
            feedback.setProgress(30)
        grid = build_grid(graph.sample_xy, t, org, limit, cell, off_m, feedback)
        if grid is None:
            return []
        if feedback is not None:
            feedback.setProgress(60)
        cls = classify(grid.time, bands_s)
        if output_mode == "rings":
            values = np.where(cls > 0, grid.origin.astype(np.int64) * k + cls, 0)
            polys = polygonize(values, grid, feedback)
            pops = _pop_by_value(values, grid, pop_xy, pop_w) if with_pop else {}
            for v in sorted(polys):
                o, b = divmod(v - 1, k)
                geom = polys[v]
                features.append(
                    IsoFeature(
                        origin=int(o),
                        min_from=0 if b == 0 else int(bands_min[b - 1]),
                        min_to=int(bands_min[b]),
                        wkb=bytes(geom.ExportToWkb()),
                        area_km2=geom.GetArea() / 1e6,
                        population=pops.get(v, 0.0) if with_pop else None,
                    )
                )
        else:
            for b in range(k):
                _check_cancel(feedback)
                values = ((cls > 0) & (cls <= b + 1)).astype(np.int32)
                polys = polygonize(values, grid, feedback)
                if 1 not in polys:
                    continue
                pops = _pop_by_value(values, grid, pop_xy, pop_w) if with_pop else {}
                geom = polys[1]
                features.append(
                    IsoFeature(
                        origin=None,
                        min_from=0,
                        min_to=int(bands_min[b]),
                        wkb=bytes(geom.ExportToWkb()),
                        area_km2=geom.GetArea() / 1e6,
                        population=pops.get(1, 0.0) if with_pop else None,
                    )
                )
        return features

    # per origin: each origin's own rings (they overlap between origins)
    n_ok = int((origins.part >= 0).sum())
    done = 0
    part_start = np.searchsorted(graph.sample_part, np.arange(len(graph.part_len) + 1))
    for o, node_t in engine.per_origin(graph, origins, direction, limit, feedback):
        reached_parts = np.nonzero(
            (node_t[graph.part_u] <= limit) | (node_t[graph.part_v] <= limit)
        )[0]
        reached_parts = np.union1d(reached_parts, [origins.part[o]])
        idx = _ranges(part_start[reached_parts], part_start[reached_parts + 1])
        single = Snap(
            origins.part[o : o + 1],
            origins.frac[o : o + 1],
            origins.dist[o : o + 1],
            origins.xy[o : o + 1],
        )
        t, _ = graph.times_on_parts(
            graph.sample_part[idx], graph.sample_frac[idx], node_t, direction, None, single
        )
        grid = build_grid(graph.sample_xy[idx], t, None, limit, cell, off_m, feedback)
        done += 1
        if feedback is not None:
            feedback.setProgress(100.0 * done / max(n_ok, 1))
        if grid is None:
            continue
        cls = classify(grid.time, bands_s)
        polys = polygonize(cls, grid, feedback)
        pops = _pop_by_value(cls, grid, pop_xy, pop_w) if with_pop else {}
        for b in sorted(polys):
            geom = polys[b]
            features.append(
                IsoFeature(
                    origin=o,
                    min_from=0 if b == 1 else int(bands_min[b - 2]),
                    min_to=int(bands_min[b - 1]),
                    wkb=bytes(geom.ExportToWkb()),
                    area_km2=geom.GetArea() / 1e6,
                    population=pops.get(b, 0.0) if with_pop else None,
                )
            )
    return features


def _ranges(starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, e)`` for each pair, vectorised."""
    lengths = ends - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return np.arange(total) + offsets


def _check_cancel(feedback):
    if feedback is not None and feedback.isCanceled():
        raise CancelledError(tr("Cancelled while drawing the isochrones."))


# ---------------------------------------------------------------------------------------------
# Remote engines: cumulative polygons per origin and band -> the three output modes


def remote_to_modes(
    remote: Dict[int, Dict[int, object]],
    bands_min: Sequence[int],
    output_mode: str,
    feedback=None,
) -> List[IsoFeature]:
    """``remote[origin_index][minutes]`` = cumulative QgsGeometry (working CRS) -> features.

    ``rings`` cannot be split by nearest origin from polygons alone: its features carry no
    origin (``origin=None``)."""
    from qgis.core import QgsGeometry

    features: List[IsoFeature] = []

    def _clean(geom):
        if geom is None or geom.isEmpty():
            return None
        if not geom.isGeosValid():
            geom = geom.makeValid()
        return geom

    def _add(origin, lo, hi, geom):
        geom = _clean(geom)
        if geom is None or geom.isEmpty() or geom.area() <= 0:
            return
        features.append(
            IsoFeature(
                origin=origin,
                min_from=lo,
                min_to=hi,
                wkb=bytes(geom.asWkb()),
                area_km2=geom.area() / 1e6,
            )
        )

    if output_mode == "per_origin":
        for o in sorted(remote):
            _check_cancel(feedback)
            prev = None
            for i, b in enumerate(bands_min):
                cum = _clean(remote[o].get(b))
                if cum is None:
                    continue
                ring = cum if prev is None else cum.difference(prev)
                _add(o, 0 if i == 0 else bands_min[i - 1], b, ring)
                prev = cum if prev is None else QgsGeometry.unaryUnion([prev, cum])
        return features
    unions = []
    for b in bands_min:
        _check_cancel(feedback)
        geoms = [_clean(remote[o].get(b)) for o in remote]
        geoms = [g for g in geoms if g is not None]
        unions.append(QgsGeometry.unaryUnion(geoms) if geoms else None)
    prev = None
    for i, (b, union) in enumerate(zip(bands_min, unions)):
        if union is None:
            continue
        if output_mode == "cumulative":
            _add(None, 0, b, union)
        else:
            _add(
                None,
                0 if i == 0 else bands_min[i - 1],
                b,
                union if prev is None else union.difference(prev),
            )
        prev = union if prev is None else QgsGeometry.unaryUnion([prev, union])
    return features
