"""Benchmark of ``core.locate``: 10,000 points against ~1,600 QPV-like polygons over France.

The polygons are synthetic but shaped like QPV (median ~25 ha, irregular outlines of 40 to 200
vertices, clustered around ~500 towns, a few touching or straddling), deterministic (fixed
seed), in Lambert-93 like a loaded ``qpv2024`` layer. The points are given in WGS84, as a
geocoder returns them: 30 % near a zone (some inside), the rest spread over the Hexagone. The
target (issue 3) is "well under a second once the layers are loaded".

Run alone: ``.venv/bin/python bench/bench_locate.py``; ``bench/run.py`` calls :func:`run`.
"""

from __future__ import annotations

import math
import os
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

N_ZONES = 1600
N_POINTS = 10_000
TARGET_S = 1.0
SEED = 20240101


def synthetic_zones(n_zones: int = N_ZONES, seed: int = SEED):
    """[(code, name, QgsGeometry in EPSG:2154)]: irregular star polygons around towns."""
    from qgis.core import QgsGeometry, QgsPointXY

    rng = np.random.RandomState(seed)
    # Towns inside the Lambert-93 box of the Hexagone (x 100-1200 km, y 6100-7100 km).
    towns = np.column_stack(
        [rng.uniform(150_000, 1_150_000, 500), rng.uniform(6_150_000, 7_050_000, 500)]
    )
    zones = []
    for i in range(n_zones):
        cx, cy = towns[i % len(towns)] + rng.normal(0, 2_500, 2)
        area = math.exp(rng.normal(math.log(250_000), 0.8))  # m², median 25 ha
        radius = math.sqrt(area / math.pi)
        n_vertices = int(rng.randint(40, 200))
        angles = np.sort(rng.uniform(0, 2 * math.pi, n_vertices))
        radii = radius * (0.6 + 0.4 * rng.random_sample(n_vertices))
        ring = [
            QgsPointXY(cx + r * math.cos(a), cy + r * math.sin(a)) for a, r in zip(angles, radii)
        ]
        ring.append(ring[0])
        dep = 1 + i % 95
        zones.append(
            (f"QN{dep:03d}{i % 100:02d}N", f"Quartier {i}", QgsGeometry.fromPolygonXY([ring]))
        )
    return zones


def synthetic_points(zones, n_points: int = N_POINTS, seed: int = SEED + 1):
    """[QgsPointXY in EPSG:4326]."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsPointXY,
        QgsProject,
    )

    rng = np.random.RandomState(seed)
    xform = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:2154"),
        QgsCoordinateReferenceSystem("EPSG:4326"),
        QgsProject.instance(),
    )
    centres = [z[2].centroid().asPoint() for z in zones]
    points = []
    for k in range(n_points):
        if k % 10 < 3:
            c = centres[rng.randint(len(centres))]
            x, y = c.x() + rng.normal(0, 400), c.y() + rng.normal(0, 400)
        else:
            x, y = rng.uniform(150_000, 1_150_000), rng.uniform(6_150_000, 7_050_000)
        points.append(xform.transform(QgsPointXY(x, y)))
    return points


def run() -> dict:
    """Time index build and location; returns a dict for ``bench/run.py``."""
    from qgis.core import QgsCoordinateReferenceSystem

    from cget_plugin.core.locate import ZoneIndex

    zones = synthetic_zones()
    points = synthetic_points(zones)
    t0 = time.perf_counter()
    index = ZoneIndex.from_geometries(zones, QgsCoordinateReferenceSystem("EPSG:2154"))
    index.prepare()
    t1 = time.perf_counter()
    results = index.locate(points, QgsCoordinateReferenceSystem("EPSG:4326"))
    t2 = time.perf_counter()
    inside = sum(1 for r in results if r.in_zone)
    with_distance = sum(1 for r in results if r.distance_m is not None)
    total = t2 - t0
    return {
        "name": "locate_points_in_qpv",
        "zones": len(zones),
        "points": len(points),
        "inside": inside,
        "with_distance": with_distance,
        "index_s": round(t1 - t0, 4),
        "locate_s": round(t2 - t1, 4),
        "seconds": round(total, 4),
        "target_s": TARGET_S,
        "ratio": round(total / TARGET_S, 3),
        "ok": total < TARGET_S and with_distance == len(points),
    }


def main():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    result = run()
    for key, value in result.items():
        print(f"{key}: {value}")
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
