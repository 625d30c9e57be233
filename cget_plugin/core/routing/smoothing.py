"""Smooth band edges (issue 14): band polygons from contours of the travel-time surface
rather than from the outlines of its cells.

The time raster is contoured at the band limits with GDAL (``ContourGenerateEx``, polygons of
the intervals between levels, interpolated between cell centres): edges run smoothly instead of
in 100 m steps, bands share their contour lines so rings stay exactly adjacent, and holes where
nothing is reached stay holes. Where a smooth edge would leave a reached network node outside
the band its cell belongs to, that whole cell is given back to its band (taken from the
others), so every reached node stays in its band, as with the raw outlines.

Numbers never come from these polygons: populations and areas stay those of the cells; only the
drawing changes. ``raw`` outlines (the cells') remain available to whoever wants them.
"""

from __future__ import annotations

from typing import Dict, Optional, Sequence

import numpy as np

#: Value of the cells nothing reaches, as a multiple of the last band: far enough above it
#: that the last contour stays within the reached cells.
UNREACHED_FACTOR = 2.0
#: A piece smaller than this many cells, cut off by a step of the partition by origin, is a
#: sliver: it joins the neighbouring piece of its band.
SLIVER_CELLS = 0.5


def _memory_vectors():
    """An in-memory vector dataset: GDAL's MEM driver where it does vectors (3.11+, where the
    "Memory" driver is deprecated), else "Memory"."""
    from osgeo import ogr

    driver = ogr.GetDriverByName("MEM")
    if driver is None or driver.GetMetadataItem("DCAP_VECTOR") != "YES":
        driver = ogr.GetDriverByName("Memory")
    return driver.CreateDataSource("")


def _contour_intervals(grid, bands_s: Sequence[float]) -> Dict[int, object]:
    """``{band number 1..K: QgsGeometry}`` of the intervals between contour levels."""
    from osgeo import gdal, ogr
    from qgis.core import QgsGeometry

    limit = float(bands_s[-1])
    # beyond the last band counts as unreached: the last contour then stays within the cells
    # of the bands (the partition by origin covers those only)
    within = np.isfinite(grid.time) & (grid.time <= limit)
    surface = np.where(within, grid.time, UNREACHED_FACTOR * limit).astype(np.float32)
    raster = gdal.GetDriverByName("MEM").Create("", grid.nx, grid.ny, 1, gdal.GDT_Float32)
    raster.SetGeoTransform((grid.x0, grid.cell, 0.0, grid.y0, 0.0, -grid.cell))
    band = raster.GetRasterBand(1)
    band.WriteArray(surface)
    vector = _memory_vectors()
    layer = vector.CreateLayer("contours", None, ogr.wkbMultiPolygon)
    for name, kind in (("id", ogr.OFTInteger), ("lo", ogr.OFTReal), ("hi", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    # a level under every time: GDAL 3.11+ only makes the intervals between two fixed levels
    levels = ",".join(repr(float(b)) for b in [-1.0] + list(bands_s))
    options = [f"FIXED_LEVELS={levels}", "POLYGONIZE=YES"]
    options += ["ID_FIELD=0", "ELEV_FIELD_MIN=1", "ELEV_FIELD_MAX=2"]
    gdal.ContourGenerateEx(band, layer, options=options)
    out = {}
    for feature in layer:
        upper = feature.GetFieldAsDouble(2)
        b = int(np.searchsorted(np.asarray(bands_s, float), upper - 1e-6)) + 1
        if b > len(bands_s) or abs(upper - bands_s[b - 1]) > 1e-3:
            continue  # the interval beyond the last band
        geom = QgsGeometry()
        geom.fromWkb(feature.GetGeometryRef().ExportToWkb(ogr.wkbNDR))
        if not geom.isEmpty():
            out[b] = geom  # contour polygons are valid by construction
    return out


def _cell_square(grid, flat: int):
    from qgis.core import QgsGeometry, QgsRectangle

    row, col = divmod(int(flat), grid.nx)
    x = grid.x0 + col * grid.cell
    y = grid.y0 - row * grid.cell
    return QgsGeometry.fromRect(QgsRectangle(x, y - grid.cell, x + grid.cell, y))


def _edge_cells(cls: np.ndarray) -> np.ndarray:
    """Flat mask of the cells with a neighbour (8-connected) of another band: the contours
    between bands run only through the squares of cell centres around such cells."""
    ny, nx = cls.shape
    padded = np.pad(cls, 1, mode="edge")
    edge = np.zeros(cls.shape, bool)
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            edge |= padded[dy : dy + ny, dx : dx + nx] != cls
    return edge.ravel()


def _misplaced_cells(grid, cls: np.ndarray, smooth: Dict[int, object], points) -> Dict[int, list]:
    """``{band: [flat cell index]}`` of the cells holding a reached point that the smooth band
    of that cell does not contain."""
    from qgis.core import QgsGeometry, QgsPoint

    if points is None or not len(points):
        return {}
    cells = grid.cells_of(np.asarray(points, float))
    # only cells beside another band can be cut by a contour: the points of the others are in
    keep = cells >= 0
    keep[keep] = _edge_cells(cls)[cells[keep]]
    cells, xy = cells[keep], np.asarray(points, float)[keep]
    bands = cls.ravel()[cells]
    misplaced: Dict[int, set] = {}
    for b in np.unique(bands[bands > 0]):
        geom = smooth.get(int(b))
        engine = QgsGeometry.createGeometryEngine(geom.constGet()) if geom is not None else None
        if engine is not None:
            engine.prepareGeometry()
        for flat, (x, y) in zip(cells[bands == b], xy[bands == b]):
            if engine is None or not engine.intersects(QgsPoint(float(x), float(y))):
                misplaced.setdefault(int(b), set()).add(int(flat))
    return {b: sorted(flats) for b, flats in misplaced.items()}


def smooth_bands(grid, cls: np.ndarray, bands_s: Sequence[float], points=None):
    """``{band number: QgsGeometry}``: the smooth polygon of the cells of each band of ``cls``
    (band numbers 1..K, 0 = none), every reached point of ``points`` (network nodes) kept in
    its cell's band."""
    from qgis.core import QgsGeometry

    smooth = _contour_intervals(grid, bands_s)
    fixes = _misplaced_cells(grid, cls, smooth, points)
    if not fixes:
        return smooth
    squares = {
        b: QgsGeometry.unaryUnion([_cell_square(grid, f) for f in flats])
        for b, flats in fixes.items()
    }
    taken = QgsGeometry.unaryUnion(list(squares.values()))
    out = {}
    for b in set(smooth) | set(squares):
        geom = smooth.get(b)
        geom = geom.difference(taken) if geom is not None else None
        if b in squares:
            geom = squares[b] if geom is None or geom.isEmpty() else geom.combine(squares[b])
        if geom is not None and not geom.isEmpty():
            out[b] = geom
    return out


def polygon_wkb(geom) -> Optional[bytes]:
    """MultiPolygon WKB of the polygonal part of ``geom`` (None when nothing is left)."""
    from qgis.core import QgsGeometry, QgsWkbTypes

    from ... import compat

    if geom is None or geom.isEmpty():
        return None
    geom = QgsGeometry(geom)
    polygon = compat.GEOMETRY_POLYGON
    if QgsWkbTypes.geometryType(geom.wkbType()) != polygon:  # lines and points of an overlay
        if not geom.convertGeometryCollectionToSubclass(polygon) or geom.isEmpty():
            return None
    geom.convertToMultiType()
    return bytes(geom.asWkb())


def split_by(smooth: Dict[int, object], pieces: Dict[int, bytes], sliver_m2: float = 0.0):
    """``{(piece, band): WKB}``: each smooth band cut by a partition of the reached cells (the
    territory of each origin), so the pieces stay exactly adjacent. Slivers (parts under
    ``sliver_m2`` where a smooth edge crosses a step of the partition) go to the piece of the
    same band they touch, so no area is lost or doubled."""
    from qgis.core import QgsGeometry

    parts = {}
    for key, wkb in pieces.items():
        part = QgsGeometry()
        part.fromWkb(wkb)
        box = part.boundingBox()
        for b, geom in smooth.items():
            if geom.boundingBox().intersects(box):
                # the band near the piece first: an overlay costs the size of its inputs
                cut = geom.clipped(box).intersection(part)
                if not cut.isEmpty():
                    parts[(key, b)] = cut
    if sliver_m2 > 0:
        parts = _merge_slivers(parts, sliver_m2)
    out = {}
    for key, geom in parts.items():
        wkb = polygon_wkb(geom)
        if wkb is not None:
            out[key] = wkb
    return out


def _merge_slivers(parts: dict, sliver_m2: float) -> dict:
    from qgis.core import QgsFeature, QgsGeometry, QgsSpatialIndex

    index = QgsSpatialIndex()
    components = []  # (piece key, polygon) of every polygon of every piece
    kept = {}
    for key, geom in parts.items():
        kept[key] = []
        for polygon in geom.asGeometryCollection():
            if polygon.area() >= sliver_m2:
                kept[key].append(polygon)
            feature = QgsFeature(len(components))
            feature.setGeometry(polygon)
            index.addFeature(feature)
            components.append((key, polygon))
    merged = {key: [] for key in parts}
    for key, polygon in components:
        if polygon.area() <= 0 or polygon.area() >= sliver_m2:
            continue
        target = key
        for fid in index.intersects(polygon.boundingBox()):
            other, neighbour = components[fid]
            # pieces are disjoint: intersecting means touching
            if other != key and other[1] == key[1] and neighbour.intersects(polygon):
                target = other
                break
        merged[target].append(polygon)
    return {
        key: QgsGeometry.unaryUnion(kept[key] + merged[key])
        for key in parts
        if kept[key] or merged[key]
    }


def smoothed_polys(polys, grid, cls, bands_s, points, territories=None, k=1):
    """``polys`` (``{value: (WKB, area)}`` of the raw cell outlines) with the drawing replaced
    by the smooth bands, the areas (and so every number) unchanged. ``values`` are the band
    numbers themselves; or, with ``territories`` (``{origin + 1: WKB}``, covering the reached
    cells and the cells beside them, where a smooth edge may run), ``origin * k + band``
    (rings per nearest origin)."""
    smooth = smooth_bands(grid, cls, bands_s, points)
    if territories is not None:
        pieces = split_by(smooth, territories, sliver_m2=SLIVER_CELLS * grid.cell**2)
        drawn = {v: pieces.get((1 + (v - 1) // k, 1 + (v - 1) % k)) for v in polys}
    else:
        drawn = {v: polygon_wkb(smooth.get(v)) for v in polys}
    return {v: (drawn.get(v) or wkb, area) for v, (wkb, area) in polys.items()}


def grown_territories(origin: np.ndarray, reached: np.ndarray) -> np.ndarray:
    """``origin + 1`` on the reached cells and on the cells beside them (8 neighbours, the
    first reached neighbour's origin), 0 elsewhere: a smooth edge runs at most that far out
    of the reached cells, so the territories cover every smooth band."""
    ny, nx = origin.shape
    labels = np.where(reached, origin + 1, 0)
    padded = np.pad(labels, 1)
    out = labels.copy()
    for dy in (0, 1, 2):
        for dx in (0, 1, 2):
            neighbour = padded[dy : dy + ny, dx : dx + nx]
            fill = (out == 0) & (neighbour > 0)
            out[fill] = neighbour[fill]
    return out
