"""Band polygons around origins: rings / cumulative / per origin, from the local engine (node
times -> :mod:`time_grid` raster -> polygons) or from a remote router's cumulative polygons.

The local drawing is, by default, replaced by smooth edges (contours of the time surface, see
:mod:`smoothing`); every number (population, area) stays the cells'.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Dict, List, Optional, Sequence

import numpy as np

from ..definitions import OUTPUT_MODES, SECONDS_PER_MINUTE
from ..errors import CancelledError, InputError
from ..i18n import tr
from . import engine, smoothing
from .coverage import points_in_wkb
from .graph import RoadGraph, Snap
from .time_grid import TimeGrid, build_grid, classify, origin_grid, polygonize, pop_by_value

MAX_BAND_MIN = 240


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
@dataclass
class _Bands:
    """What the three output modes share: the bands, the population, the drawing wanted."""

    bands_min: Sequence[int]
    pop_xy: Optional[np.ndarray]
    pop_w: Optional[np.ndarray]
    smooth: bool
    feedback: object = None

    @property
    def bands_s(self) -> List[float]:
        return [b * SECONDS_PER_MINUTE for b in self.bands_min]

    @property
    def limit(self) -> float:
        return self.bands_s[-1]

    def populations(self, values, grid) -> Optional[Dict[int, float]]:
        if self.pop_xy is None:
            return None
        return pop_by_value(values, grid, self.pop_xy, self.pop_w)

    def feature(self, origin, b, poly, pops, value) -> IsoFeature:
        """The feature of band index ``b`` (0-based) from ``(WKB, area)``."""
        return IsoFeature(
            origin=origin,
            min_from=0 if b == 0 else int(self.bands_min[b - 1]),
            min_to=int(self.bands_min[b]),
            wkb=poly[0],
            area_km2=poly[1] / 1e6,
            population=pops.get(value, 0.0) if pops is not None else None,
        )


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
    smooth: bool = True,
) -> List[IsoFeature]:
    """Band polygons around the snapped ``origins`` (unsnapped ones, part -1, are skipped);
    ``smooth`` edges from contours of the time surface, else the raw cell outlines (the
    numbers are the same either way: see ``smoothing``)."""
    if output_mode not in OUTPUT_MODES:
        raise InputError(
            tr("Unknown output mode {mode}: use rings, cumulative or per_origin.").format(
                mode=output_mode
            )
        )
    job = _Bands(bands_min, pop_xy, pop_w, smooth, feedback)
    if output_mode == "per_origin":
        return _per_origin(graph, origins, direction, cell, off_m, job)
    node_t, node_o = engine.nearest_origin(graph, origins, direction, job.limit)
    _check_cancel(feedback)
    t, org = graph.times_on_parts(
        graph.sample_part, graph.sample_frac, node_t, direction, node_o, origins
    )
    if feedback is not None:
        feedback.setProgress(30)
    grid = build_grid(graph.sample_xy, t, org, job.limit, cell, off_m, feedback)
    if grid is None:
        return []
    if feedback is not None:
        feedback.setProgress(60)
    reached = graph.node_xy[node_t <= job.limit]  # kept in their bands by the smooth drawing
    if output_mode == "rings":
        return _rings(grid, reached, job)
    return _cumulative(grid, reached, job)


def _rings(grid: TimeGrid, reached, job: _Bands) -> List[IsoFeature]:
    """Non-overlapping bands, each cell given to its nearest origin."""
    k = len(job.bands_min)
    cls = classify(grid.time, job.bands_s)
    values = np.where(cls > 0, grid.origin.astype(np.int64) * k + cls, 0)
    polys = polygonize(values, grid, job.feedback)
    if job.smooth:
        territories = polygonize(smoothing.grown_territories(grid.origin, cls > 0), grid)
        polys = smoothing.smoothed_polys(
            polys, grid, cls, job.bands_s, reached,
            {o: wkb for o, (wkb, _a) in territories.items()}, k,
        )  # fmt: skip
    pops = job.populations(values, grid)
    features = []
    for v in sorted(polys):
        o, b = divmod(v - 1, k)
        features.append(job.feature(int(o), b, polys[v], pops, v))
    return features


def _cumulative(grid: TimeGrid, reached, job: _Bands) -> List[IsoFeature]:
    """0 to each band, all origins together."""
    cls = classify(grid.time, job.bands_s)
    features = []
    for b in range(len(job.bands_min)):
        _check_cancel(job.feedback)
        values = ((cls > 0) & (cls <= b + 1)).astype(np.int32)
        polys = polygonize(values, grid, job.feedback)
        if 1 not in polys:
            continue
        if job.smooth:  # one band, 0 to this limit
            polys = smoothing.smoothed_polys(polys, grid, values, job.bands_s[b : b + 1], reached)
        feature = job.feature(None, b, polys[1], job.populations(values, grid), 1)
        feature.min_from = 0
        features.append(feature)
    return features


def _per_origin(graph, origins, direction, cell, off_m, job: _Bands) -> List[IsoFeature]:
    """Each origin's own rings (they overlap between origins). GDAL polygonises origin i in a
    worker thread (it releases the GIL) while the next shortest paths and rasters are computed
    here."""

    def _draw(o, grid, reached):
        cls = classify(grid.time, job.bands_s)
        polys = polygonize(cls, grid)
        if job.smooth:
            polys = smoothing.smoothed_polys(polys, grid, cls, job.bands_s, reached)
        pops = job.populations(cls, grid)
        return [job.feature(o, b - 1, polys[b], pops, b) for b in sorted(polys)]

    features: List[IsoFeature] = []
    feedback, limit = job.feedback, job.limit
    n_ok = int((origins.part >= 0).sum())
    done = 0
    pending = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        try:
            for o, node_t in engine.per_origin(graph, origins, direction, limit, feedback):
                single = origins.subset(slice(o, o + 1))
                grid = origin_grid(graph, node_t, single, direction, limit, cell, off_m, feedback)
                done += 1
                if feedback is not None:
                    feedback.setProgress(100.0 * done / max(n_ok, 1))
                if grid is not None:
                    reached = graph.node_xy[node_t <= limit]
                    pending.append(pool.submit(_draw, o, grid, reached))
                # collect finished work; wait when too far ahead (bounded memory)
                while pending and (pending[0].done() or len(pending) > 8):
                    features.extend(pending.pop(0).result())
            for fut in pending:
                _check_cancel(feedback)
                features.extend(fut.result())
        except BaseException:
            for fut in pending:
                fut.cancel()
            raise
    return features


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


def count_population(features: List[IsoFeature], pop_xy: np.ndarray, pop_w: np.ndarray) -> None:
    """Population of each feature: the weights of the points of ``pop_xy`` inside it (the
    remote routers' polygons; the local engine counts on its raster)."""
    for feat in features:
        feat.population = float(pop_w[points_in_wkb(pop_xy, feat.wkb)].sum())
