"""Travel times on the network -> raster of travel time -> polygons of the cells by value.

Every sample point along the network gets its travel time (exact, from the node times and the
partial edge cost); each grid cell takes the smallest time of the network points in it; the
off-network leg is then added at walking speed up to ``off_network_m`` (a min-plus spread with a
cone). Values of cells are polygonised with GDAL (``gdal.Polygonize`` on an in-memory raster):
the polygons are valid, with holes, and polygons of different values share their edges exactly
so they never overlap. Precision is one cell.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from typing import Dict, Optional, Sequence

import numpy as np

from ..definitions import kmh_to_ms
from ..errors import CancelledError, InputError
from ..i18n import tr
from .graph import RoadGraph, Snap
from .profiles import WALK_SPEED_KMH

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
    _check_size(nx, ny, cell)
    col = ((xy[:, 0] - x0) / cell).astype(np.int64)
    row = ((y0 - xy[:, 1]) / cell).astype(np.int64)
    flat = row * nx + col
    base_t = np.full(ny * nx, np.inf)
    np.minimum.at(base_t, flat, t)  # smallest network time in each cell
    base_o = None
    if org is not None:
        base_o = np.full(ny * nx, -1, np.int64)
        hit = t == base_t[flat]
        base_o[flat[hit]] = org[hit]
        base_o = base_o.reshape(ny, nx)
    out_t, out_o = _spread(base_t.reshape(ny, nx), base_o, cell, off_m, feedback)
    return TimeGrid(x0, y0, cell, nx, ny, out_t, out_o)


def _check_size(nx: int, ny: int, cell: float) -> None:
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


def _spread(base_t: np.ndarray, base_o: Optional[np.ndarray], cell: float, off_m: float, feedback):
    """Add the off-network walk: each cell takes min(own, neighbour + distance / 4 km/h) for
    neighbours within ``off_m`` (a min-plus spread with a cone). Origins follow when given."""
    ny, nx = base_t.shape
    out_t = base_t.copy()
    track = base_o is not None
    out_o = base_o.copy() if track else np.zeros((ny, nx), np.int64)
    walk = kmh_to_ms(WALK_SPEED_KMH)
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
    return out_t, out_o


@dataclass
class _OriginIndex:
    """Per-graph lookup tables of the per-origin rasters (cached on the graph per cell size)."""

    x0: float  # global grid of ``cell`` over the whole network
    y0: float
    node_part_ptr: np.ndarray  # (N + 1,) CSR: parts touching each node
    node_part: np.ndarray
    part_ptr: np.ndarray  # (P + 1,) entries of each part
    part: np.ndarray  # (E,) entries: network samples that can hold a cell's minimum
    frac: np.ndarray
    row: np.ndarray  # global grid row / column of each entry
    col: np.ndarray


def _origin_index(graph: RoadGraph, cell: float) -> _OriginIndex:
    """Entries are the samples that begin or end a run of samples of one part inside one cell:
    along a part the time is the minimum of two linear functions of the position (concave), so
    its minimum over a run is at one of the run's ends. Same rasters, fewer points."""
    key = ("origin_index", float(cell))
    cached = graph._csr.get(key)
    if cached is not None:
        return cached
    xy = graph.sample_xy
    part = graph.sample_part  # sorted by part, in order along each part
    x0 = math.floor(xy[:, 0].min() / cell) * cell
    y0 = math.ceil(xy[:, 1].max() / cell) * cell
    col = ((xy[:, 0] - x0) / cell).astype(np.int64)
    row = ((y0 - xy[:, 1]) / cell).astype(np.int64)
    flat = row * (int(col.max()) + 1) + col
    n = len(part)
    keep = np.ones(n, bool)
    if n > 2:
        same_prev = (part[1:-1] == part[:-2]) & (flat[1:-1] == flat[:-2])
        same_next = (part[1:-1] == part[2:]) & (flat[1:-1] == flat[2:])
        keep[1:-1] = ~(same_prev & same_next)
    sel = np.nonzero(keep)[0]
    n_parts = len(graph.part_u)
    e_part = part[sel]
    part_ptr = np.searchsorted(e_part, np.arange(n_parts + 1)).astype(np.int64)
    ends = np.concatenate([graph.part_u, graph.part_v])
    pids = np.concatenate([np.arange(n_parts), np.arange(n_parts)])
    order = np.argsort(ends, kind="stable")
    node_part_ptr = np.zeros(graph.n_nodes + 1, np.int64)
    np.cumsum(np.bincount(ends, minlength=graph.n_nodes), out=node_part_ptr[1:])
    cached = _OriginIndex(
        x0,
        y0,
        node_part_ptr,
        pids[order],
        part_ptr,
        e_part,
        graph.sample_frac[sel],
        row[sel],
        col[sel],
    )
    graph._csr[key] = cached
    return cached


#: side of the tiles (in cells) that group the raster entries of the per-origin windows
TILE_CELLS = 32


@dataclass
class _TileIndex:
    """Entries sorted by tile, then row and column: the entries of a window are a few
    contiguous slices (one per row of tiles) and those of one cell are adjacent. Each entry's
    time is ``min(T[u] + a, T[v] + b)`` from the node times ``T`` of one direction."""

    ncol: int  # columns of the global grid
    ntx: int  # tiles across
    nty: int
    tile_ptr: np.ndarray  # (nty * ntx + 1,)
    cell: np.ndarray  # (E,) flat global cell
    part: np.ndarray  # (E,)
    frac: np.ndarray
    u: np.ndarray
    a: np.ndarray
    v: np.ndarray
    b: np.ndarray
    node_box: np.ndarray  # (N, 4) rows/cols spanned by the parts touching each node


def _tile_index(graph: RoadGraph, cell: float, direction: str) -> _TileIndex:
    key = ("tile_index", float(cell), direction)
    cached = graph._csr.get(key)
    if cached is not None:
        return cached
    idx = _origin_index(graph, cell)
    row, col = idx.row, idx.col
    ncol = int(col.max()) + 1
    tr, tc = row // TILE_CELLS, col // TILE_CELLS
    ntx, nty = int(tc.max()) + 1, int(tr.max()) + 1
    tile = tr * ntx + tc
    # one int64 key (tile, row and column inside it): a single sort
    order = np.argsort(
        tile * (TILE_CELLS * TILE_CELLS) + (row % TILE_CELLS) * TILE_CELLS + col % TILE_CELLS,
        kind="stable",
    )
    part = idx.part[order]
    f = idx.frac[order]
    u, a, v, b = graph.via_nodes(part, f, direction)
    # rows/cols spanned by each part, then by the parts touching each node
    vr = np.floor((idx.y0 - graph.vert_xy[:, 1]) / cell).astype(np.int64)
    vc = np.floor((graph.vert_xy[:, 0] - idx.x0) / cell).astype(np.int64)
    starts = graph.part_offsets[:-1]
    p_box = np.column_stack(
        [
            np.minimum.reduceat(vr, starts),
            np.maximum.reduceat(vr, starts),
            np.minimum.reduceat(vc, starts),
            np.maximum.reduceat(vc, starts),
        ]
    )
    node_box = np.zeros((graph.n_nodes, 4), np.int64)
    has = np.diff(idx.node_part_ptr) > 0
    nstart = idx.node_part_ptr[:-1][has]
    nb = p_box[idx.node_part]
    node_box[has, 0] = np.minimum.reduceat(nb[:, 0], nstart)
    node_box[has, 1] = np.maximum.reduceat(nb[:, 1], nstart)
    node_box[has, 2] = np.minimum.reduceat(nb[:, 2], nstart)
    node_box[has, 3] = np.maximum.reduceat(nb[:, 3], nstart)
    cached = _TileIndex(
        ncol,
        ntx,
        nty,
        np.searchsorted(tile[order], np.arange(nty * ntx + 1)).astype(np.int64),
        (row * ncol + col)[order],
        part,
        f,
        u,
        a,
        v,
        b,
        node_box,
    )
    graph._csr[key] = cached
    return cached


def origin_grid(
    graph: RoadGraph,
    node_t: np.ndarray,
    origin: Snap,
    direction: str,
    max_s: float,
    cell: float,
    off_m: float,
    feedback=None,
) -> Optional[TimeGrid]:
    """Travel-time raster of one origin (``origin`` holds that single snapped origin), on the
    window the origin can reach only (the box of the parts touching its reached nodes): the
    entries of that window are a few contiguous slices of the tile index, one minimum per
    cell with ``reduceat``, then the off-network spread."""
    if not len(graph.sample_xy):
        return None
    ti = _tile_index(graph, cell, direction)
    nodes = np.flatnonzero(node_t <= max_s)
    if not len(nodes) and origin.part[0] < 0:
        return None
    box = ti.node_box[nodes]
    if origin.part[0] >= 0:
        own_nodes = [graph.part_u[origin.part[0]], graph.part_v[origin.part[0]]]
        box = np.concatenate([box, ti.node_box[own_nodes]])
    tr0 = max(int(box[:, 0].min()) // TILE_CELLS, 0)
    tr1 = min(int(box[:, 1].max()) // TILE_CELLS, ti.nty - 1)
    tc0 = max(int(box[:, 2].min()) // TILE_CELLS, 0)
    tc1 = min(int(box[:, 3].max()) // TILE_CELLS, ti.ntx - 1)
    slices = [
        slice(ti.tile_ptr[r * ti.ntx + tc0], ti.tile_ptr[r * ti.ntx + tc1 + 1])
        for r in range(tr0, tr1 + 1)
    ]
    u = np.concatenate([ti.u[sl] for sl in slices])
    v = np.concatenate([ti.v[sl] for sl in slices])
    t = np.fmin(
        node_t[u] + np.concatenate([ti.a[sl] for sl in slices]),
        node_t[v] + np.concatenate([ti.b[sl] for sl in slices]),
    )
    flat = np.concatenate([ti.cell[sl] for sl in slices])
    if origin.part[0] >= 0:
        # on the origin's own part the time may run along the part, without a node
        own = np.flatnonzero(np.concatenate([ti.part[sl] for sl in slices]) == origin.part[0])
        if len(own):
            f_own = np.concatenate([ti.frac[sl] for sl in slices])[own]
            t_own, _ = graph.times_on_parts(
                np.full(len(own), origin.part[0]), f_own, node_t, direction, None, origin
            )
            t[own] = t_own
    ok = t <= max_s
    if not ok.any():
        return None
    flat, t = flat[ok], t[ok]
    # the entries of one cell are adjacent: one minimum per cell
    starts = np.flatnonzero(np.concatenate([[True], flat[1:] != flat[:-1]]))
    tmin = np.minimum.reduceat(t, starts)
    rows, cols = np.divmod(flat[starts], ti.ncol)
    idx = _origin_index(graph, cell)
    margin = int(math.ceil((off_m + cell) / cell))
    r0, c0 = int(rows.min()) - margin, int(cols.min()) - margin
    ny = int(rows.max()) - r0 + margin + 1
    nx = int(cols.max()) - c0 + margin + 1
    _check_size(nx, ny, cell)
    # float32 (0.1 ms at 1 h) halves the memory traffic of the scatter and of the spread
    base = np.full(ny * nx, np.inf, np.float32)
    base[(rows - r0) * nx + (cols - c0)] = tmin
    out_t, out_o = _spread(base.reshape(ny, nx), None, cell, off_m, feedback)
    return TimeGrid(idx.x0 + c0 * cell, idx.y0 - r0 * cell, cell, nx, ny, out_t, out_o)


def classify(grid_time: np.ndarray, bands_s: Sequence[float]) -> np.ndarray:
    """Band number 1..K of each cell (time <= band), 0 beyond the last band or unreached."""
    bands = np.asarray(bands_s, float)
    cls = np.searchsorted(bands, grid_time, side="left") + 1
    cls[~np.isfinite(grid_time)] = 0
    cls[cls > len(bands)] = 0
    return cls.astype(np.int32)


def polygonize(values: np.ndarray, grid: TimeGrid, feedback=None) -> Dict[int, tuple]:
    """``{value: (MultiPolygon WKB, area)}`` of the non-zero cells of ``values`` (GDAL
    Polygonize: valid polygons with their holes, 4-connected)."""
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

    # no Python callback without a feedback: GDAL then runs without taking the GIL back
    gdal.Polygonize(band, band, layer, 0, [], callback=_progress if feedback is not None else None)
    if feedback is not None and feedback.isCanceled():
        raise CancelledError(tr("Cancelled while drawing the isochrones."))
    # One MultiPolygon per value from the polygons' WKB. The polygons are unions of whole
    # cells, so each value's area is its number of cells times the cell area (exact).
    parts: Dict[int, list] = {}
    for v, wkb in _polygon_wkbs(layer):
        parts.setdefault(v, []).append(wkb)
    counts = np.bincount(values.ravel()[values.ravel() > 0].astype(np.int64))
    cell_area = grid.cell * grid.cell
    return {
        v: (
            struct.pack("<BII", 1, 6, len(wkbs)) + b"".join(wkbs),
            float(counts[v]) * cell_area if v < len(counts) else 0.0,
        )
        for v, wkbs in parts.items()
    }


def _polygon_wkbs(layer):
    """``(value, polygon WKB)`` of the polygonised layer: through the Arrow stream when GDAL
    has it (3.6+, no Python object per feature), else feature by feature."""
    from osgeo import ogr

    if hasattr(layer, "GetArrowStreamAsNumPy"):
        try:
            stream = layer.GetArrowStreamAsNumPy(options=["USE_MASKED_ARRAYS=NO"])
            out = []
            for batch in stream:
                geom_key = next(k for k in batch if k not in ("OGC_FID", "v"))
                out.extend(zip(batch["v"].tolist(), batch[geom_key]))
            return [(v, bytes(w)) for v, w in out]
        except Exception:  # any trouble: the feature loop below is always right
            layer.ResetReading()
    return [(f.GetFieldAsInteger(0), f.GetGeometryRef().ExportToWkb(ogr.wkbNDR)) for f in layer]


def pop_by_value(values: np.ndarray, grid: TimeGrid, pop_xy, pop_w) -> Dict[int, float]:
    if pop_xy is None or not len(pop_xy):
        return {}
    cells = grid.cells_of(pop_xy)
    inside = cells >= 0
    v = values.ravel()[cells[inside]]
    w = pop_w[inside]
    sums = np.bincount(v, weights=w)
    return {int(i): float(s) for i, s in enumerate(sums) if i > 0}
