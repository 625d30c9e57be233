"""Polygons as numpy rings, for the smooth band edges (:mod:`smoothing`).

On a sparse network a band is one polygon with thousands of holes (the unreached squares
between the roads). A GEOS overlay costs the size of all its inputs, holes included, however
small the other operand: cutting a few cells out of a band, or joining a sliver to it, reworked
every hole. Holes whose box meets none of the other operand's are not changed by such an
overlay: they are set aside (``without_holes``), the overlay runs on what is left, and they are
put back in the polygon of the result that holds them (``with_holes``).
"""

from __future__ import annotations

from typing import Callable, List, Sequence, Tuple

import numpy as np

#: [[exterior, hole, …], …]: (n, 2) closed coordinate arrays.
Polygons = List[List[np.ndarray]]


def signed_area(xy: np.ndarray) -> float:
    x, y = xy[:, 0], xy[:, 1]
    return 0.5 * float(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1]))


def ring_boxes(rings: Sequence[np.ndarray]) -> np.ndarray:
    """(n, 4) xmin, ymin, xmax, ymax of each ring."""
    return np.array([(*xy.min(axis=0), *xy.max(axis=0)) for xy in rings], float).reshape(-1, 4)


def polygons_wkb(polygons: Polygons) -> bytes:
    """MultiPolygon WKB (little endian) of ``polygons``."""
    chunks = [b"\x01", np.array([6, len(polygons)], "<u4").tobytes()]
    for polygon in polygons:
        chunks.append(b"\x01" + np.array([3, len(polygon)], "<u4").tobytes())
        for ring in polygon:
            chunks.append(np.array([len(ring)], "<u4").tobytes())
            chunks.append(np.ascontiguousarray(ring, "<f8").tobytes())
    return b"".join(chunks)


def geometry(polygons: Polygons):
    from qgis.core import QgsGeometry

    geom = QgsGeometry()
    geom.fromWkb(polygons_wkb(polygons))
    return geom


def polygons_of(wkb) -> Polygons:
    """The rings of a 2D (Multi)Polygon WKB (little endian, as QGIS writes it)."""
    if not wkb:
        return []
    wkb = bytes(wkb)
    kind = int.from_bytes(wkb[1:5], "little")
    if wkb[0] != 1 or kind not in (3, 6):
        raise ValueError(f"not a 2D little-endian polygon WKB: type {kind}")
    count, offset = (1, 0) if kind == 3 else (int.from_bytes(wkb[5:9], "little"), 9)
    out = []
    for _ in range(count):
        n_rings = int.from_bytes(wkb[offset + 5 : offset + 9], "little")
        offset += 9
        rings = []
        for _ in range(n_rings):
            n = int.from_bytes(wkb[offset : offset + 4], "little")
            rings.append(np.frombuffer(wkb, "<f8", 2 * n, offset + 4).reshape(-1, 2))
            offset += 4 + 16 * n
        out.append(rings)
    return out


def boxes_overlap(boxes: np.ndarray, others: np.ndarray) -> np.ndarray:
    """For each box of ``boxes``, whether it meets one of ``others`` (both (n, 4))."""
    if not len(boxes) or not len(others):
        return np.zeros(len(boxes), bool)
    out = np.zeros(len(boxes), bool)
    for start in range(0, len(others), 256):  # bounded memory on many boxes
        o = others[start : start + 256]
        out |= (
            (boxes[:, None, 0] <= o[None, :, 2])
            & (boxes[:, None, 2] >= o[None, :, 0])
            & (boxes[:, None, 1] <= o[None, :, 3])
            & (boxes[:, None, 3] >= o[None, :, 1])
        ).any(axis=1)
    return out


def without_holes(polygons: Polygons, near: Callable[[np.ndarray], np.ndarray]):
    """``(polygons without the holes not near, those holes)``: ``near`` takes the (n, 4)
    boxes of all the holes and says which ones the overlay may change (those stay)."""
    holes = [(i, hole) for i, rings in enumerate(polygons) for hole in rings[1:]]
    if not holes:
        return polygons, []
    keep = near(ring_boxes([hole for _i, hole in holes]))
    out = [[rings[0]] for rings in polygons]
    far = []
    for (i, hole), k in zip(holes, keep):
        (out[i] if k else far).append(hole)
    return out, far


def with_holes(polygons: Polygons, holes: Sequence[np.ndarray]) -> Tuple[Polygons, int]:
    """``polygons`` with each of ``holes`` put back in the smallest exterior holding it (rings
    that never touch: one vertex decides), and how many holes found no polygon."""
    from qgis.core import QgsGeometry, QgsPoint

    if not holes:
        return polygons, 0
    out = [list(rings) for rings in polygons]
    boxes = ring_boxes([rings[0] for rings in out])
    areas = np.array([abs(signed_area(rings[0])) for rings in out])
    engines = {}
    lost = 0
    for hole in holes:
        x, y = float(hole[0, 0]), float(hole[0, 1])
        inside = (boxes[:, 0] <= x) & (boxes[:, 2] >= x) & (boxes[:, 1] <= y) & (boxes[:, 3] >= y)
        for j in sorted(np.flatnonzero(inside), key=lambda j: areas[j]):
            if j not in engines:
                shell = geometry([[out[j][0]]])
                engines[j] = (shell, QgsGeometry.createGeometryEngine(shell.constGet()))
                engines[j][1].prepareGeometry()
            if engines[j][1].intersects(QgsPoint(x, y)):
                out[j].append(hole)
                break
        else:
            lost += 1
    return out, lost
