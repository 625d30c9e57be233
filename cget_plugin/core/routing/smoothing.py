"""Smooth band edges (issue 14): band polygons from contours of the travel-time surface
rather than from the outlines of its cells.

The time raster is contoured at the band limits with GDAL (``ContourGenerateEx``, lines
interpolated between cell centres): edges run smoothly instead of in 100 m steps, bands share
their contour lines so rings stay exactly adjacent, and holes where nothing is reached stay
holes. The rings are assembled into polygons here, with a spatial index (GDAL's own assembly,
``POLYGONIZE``, nests every ring against its siblings: minutes for the thousands of holes of a
sparse rural network), and overlays set aside the holes they cannot change
(:mod:`ring_geometry`). Where a smooth edge would leave a reached network node outside
the band its cell belongs to, that whole cell is given back to its band (taken from the
others), so every reached node stays in its band, as with the raw outlines.

Numbers never come from these polygons: populations and areas stay those of the cells; only the
drawing changes. ``raw`` outlines (the cells') remain available to whoever wants them.
"""

from __future__ import annotations

from typing import Dict, Optional, Sequence

import numpy as np

from . import ring_geometry

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


def _contour_rings(grid, bands_s: Sequence[float]):
    """``(level index, (n, 2) closed ring)`` of the contour lines of the time surface at the
    band limits. The surface is padded with unreached cells, so every line closes."""
    from osgeo import gdal, ogr

    limit = float(bands_s[-1])
    # beyond the last band counts as unreached: the last contour then stays within the cells
    # of the bands (the partition by origin covers those only)
    within = np.isfinite(grid.time) & (grid.time <= limit)
    surface = np.pad(
        np.where(within, grid.time, UNREACHED_FACTOR * limit), 1,
        constant_values=UNREACHED_FACTOR * limit,
    ).astype(np.float32)  # fmt: skip
    raster = gdal.GetDriverByName("MEM").Create("", grid.nx + 2, grid.ny + 2, 1, gdal.GDT_Float32)
    raster.SetGeoTransform(
        (grid.x0 - grid.cell, grid.cell, 0.0, grid.y0 + grid.cell, 0.0, -grid.cell)
    )
    band = raster.GetRasterBand(1)
    band.WriteArray(surface)
    vector = _memory_vectors()
    layer = vector.CreateLayer("contours", None, ogr.wkbLineString)
    for name, kind in (("id", ogr.OFTInteger), ("level", ogr.OFTReal)):
        layer.CreateField(ogr.FieldDefn(name, kind))
    levels = ",".join(repr(float(b)) for b in bands_s)
    options = [f"FIXED_LEVELS={levels}", "ID_FIELD=0", "ELEV_FIELD=1"]
    # lines only: GDAL's own polygon assembly (POLYGONIZE) nests every ring against its
    # siblings, quadratic in the holes of a sparse network (minutes on a 1 km lattice)
    gdal.ContourGenerateEx(band, layer, options=options)
    targets = np.asarray(bands_s, float)
    rings = []
    for feature in layer:
        level = int(np.argmin(np.abs(targets - feature.GetFieldAsDouble(1))))
        for xy in _line_points(feature.GetGeometryRef()):
            if len(xy) >= 4:
                rings.append((level, xy))
    return rings


def _line_points(geom):
    """The (n, 2) coordinates of each line of ``geom`` (LineString or MultiLineString),
    closed."""
    from osgeo import ogr

    parts = (
        [geom]
        if geom.GetGeometryCount() == 0
        else [geom.GetGeometryRef(i) for i in range(geom.GetGeometryCount())]
    )
    out = []
    for part in parts:
        part = part.Clone()
        part.FlattenTo2D()
        xy = np.frombuffer(part.ExportToWkb(ogr.wkbNDR), "<f8", offset=9).reshape(-1, 2)
        if len(xy) and not np.array_equal(xy[0], xy[-1]):
            xy = np.vstack([xy, xy[:1]])
        out.append(xy)
    return out


def _ring_parents(rings):
    """Index of the smallest ring containing each ring (-1: none), and how many point-in-ring
    tests that took. Contour rings never cross or touch, so one vertex decides, and only rings
    whose box holds the ring's box are tried, smallest first (a spatial index and prepared
    geometries: near-linear in the rings, where nesting each ring against all its siblings is
    quadratic)."""
    from qgis.core import QgsGeometry, QgsPoint, QgsRectangle, QgsSpatialIndex

    boxes = ring_geometry.ring_boxes([xy for _l, xy in rings])
    areas = np.array([abs(ring_geometry.signed_area(xy)) for _l, xy in rings])
    index = QgsSpatialIndex()
    for i, box in enumerate(boxes):
        index.addFeature(i, QgsRectangle(*box))
    engines = {}
    parents = np.full(len(rings), -1, np.int64)
    tests = 0
    for i, box in enumerate(boxes):
        candidates = [
            j for j in index.intersects(QgsRectangle(*box))
            if areas[j] > areas[i] and (boxes[j, :2] <= box[:2]).all()
            and (boxes[j, 2:] >= box[2:]).all()
        ]  # fmt: skip
        x, y = rings[i][1][0]
        for j in sorted(candidates, key=lambda j: areas[j]):
            if j not in engines:
                geom = ring_geometry.geometry([[rings[j][1]]])
                engines[j] = (geom, QgsGeometry.createGeometryEngine(geom.constGet()))
                engines[j][1].prepareGeometry()
            tests += 1
            if engines[j][1].intersects(QgsPoint(float(x), float(y))):
                parents[i] = j
                break
    return parents, tests


def _contour_intervals(grid, bands_s: Sequence[float]) -> Dict[int, object]:
    """``{band number 1..K: QgsGeometry}`` of the intervals between contour levels: band b is
    bounded by the rings at its two limits, an even depth among those rings making an
    exterior, an odd one a hole of its nearest enclosing ring (the outside of the surface is
    unreached: above every level)."""
    rings = _contour_rings(grid, bands_s)
    if not rings:
        return {}
    parents, _tests = _ring_parents(rings)
    levels = np.array([level for level, _xy in rings])
    out = {}
    for b in range(1, len(bands_s) + 1):
        mine = (levels == b - 1) | (levels == b - 2)
        shells: Dict[int, list] = {}
        holes = []
        for i in np.flatnonzero(mine):
            depth, up, home = 0, parents[i], -1
            while up >= 0:
                if mine[up]:
                    home = up if home < 0 else home
                    depth += 1
                up = parents[up]
            if depth % 2 == 0:
                shells.setdefault(int(i), [])
            else:
                holes.append((home, int(i)))
        for home, i in holes:
            shells.setdefault(home, []).append(i)
        if shells:
            out[b] = ring_geometry.geometry(
                [[rings[s][1]] + [rings[h][1] for h in hs] for s, hs in shells.items()]
            )
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
    near = ring_geometry.ring_boxes([r[0] for r in ring_geometry.polygons_of(polygon_wkb(taken))])
    out = {}
    for b in set(smooth) | set(squares):
        geom = smooth.get(b)

        def give_back(geom, b=b):
            geom = geom.difference(taken)
            return geom.combine(squares[b]) if b in squares else geom

        if geom is None or geom.isEmpty():
            geom = squares[b]
        else:
            geom = _sparing_holes(geom, near, give_back)
        if geom is not None and not geom.isEmpty():
            out[b] = geom
    return out


def _sparing_holes(geom, near_boxes: np.ndarray, overlay):
    """``overlay(geom)``, the holes of ``geom`` whose box meets none of ``near_boxes`` (the
    boxes of the other operand, which cannot change them) set aside meanwhile: the overlay
    then costs the size of what it changes (see :mod:`ring_geometry`)."""
    polygons = ring_geometry.polygons_of(polygon_wkb(geom))
    kept, far = ring_geometry.without_holes(
        polygons, lambda boxes: ring_geometry.boxes_overlap(boxes, near_boxes)
    )
    if not far:
        return overlay(geom)
    result = overlay(ring_geometry.geometry(kept))
    back, lost = ring_geometry.with_holes(ring_geometry.polygons_of(polygon_wkb(result)), far)
    return ring_geometry.geometry(back) if not lost else overlay(geom)


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
    # the kept polygons of a piece are disjoint already: only a piece given slivers needs a
    # union (on a sparse network a band has thousands of holes, a union of it seconds)
    out = {}
    for key in parts:
        if merged[key]:
            # only the polygons the slivers may touch go through a union
            near = np.array([_box(p) for p in merged[key]])
            boxes = np.array([_box(p) for p in kept[key]]).reshape(-1, 4)
            touched = ring_geometry.boxes_overlap(boxes, near)
            apart = [p for p, t in zip(kept[key], touched) if not t]
            together = [p for p, t in zip(kept[key], touched) if t]
            joined = QgsGeometry.unaryUnion(merged[key])
            if together:
                joined = _sparing_holes(
                    QgsGeometry.collectGeometry(together),
                    near,
                    lambda g, m=merged[key]: QgsGeometry.unaryUnion([g] + m),
                )
            out[key] = QgsGeometry.collectGeometry(apart + joined.asGeometryCollection())
        elif kept[key]:
            out[key] = QgsGeometry.collectGeometry(kept[key])
    return out


def _box(geom) -> tuple:
    box = geom.boundingBox()
    return (box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum())


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
