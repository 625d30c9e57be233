#!/usr/bin/env python3
"""Generate ``resources/sample/cget_sample_surroundings.geojson.gz``: the FICTITIOUS surroundings
of the sample territory (its région and four neighbouring départements), in the same schema as
the reference outlines (``code``, ``nom``, ``region``, ``nom_region``), so a map of the sample
shows its situation and its neighbours like a map of a real département.

Everything is invented and derived from the sample's ``departement`` layer: the région is the
département grown by about 28 km with a wavy edge, cut into four neighbours by rays from the
département's centre; the département itself is included unchanged. Deterministic.

Usage: ``QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/make_sample_surroundings.py``
"""

from __future__ import annotations

import gzip
import json
import math
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO / "resources" / "sample" / "cget_sample.gpkg"
OUTPUT = REPO / "resources" / "sample" / "cget_sample_surroundings.geojson.gz"
REGION = ("00", "Région fictive de démonstration")
#: (code, name, bearing of the ray that starts its sector, degrees from north clockwise).
NEIGHBOURS = (
    ("0A", "Brumeterre", 20.0),
    ("0B", "Val-d'Orsange", 110.0),
    ("0C", "Haut-Pradel", 200.0),
    ("0D", "Lisandre", 290.0),
)
GROWTH_M = 28000.0
REACH_M = 200000.0  # rays long enough to cross the région


def _wavy_region(dep):
    """The département grown outwards, its edge waved so it reads as a drawn boundary."""
    from qgis.core import QgsGeometry, QgsPointXY

    grown = dep.buffer(GROWTH_M, 16)
    centre = dep.centroid().asPoint()
    ring = grown.densifyByDistance(1500.0).asPolygon()[0]
    waved = []
    for point in ring:
        dx, dy = point.x() - centre.x(), point.y() - centre.y()
        angle = math.atan2(dy, dx)
        factor = 1.0 + 0.06 * math.sin(5 * angle) + 0.03 * math.sin(11 * angle + 1.3)
        waved.append(QgsPointXY(centre.x() + dx * factor, centre.y() + dy * factor))
    return QgsGeometry.fromPolygonXY([waved]).makeValid(), centre


def _sector(centre, start_deg, end_deg):
    from qgis.core import QgsGeometry, QgsPointXY

    points = [QgsPointXY(centre)]
    steps = 24
    for i in range(steps + 1):
        bearing = math.radians(start_deg + (end_deg - start_deg) * i / steps)
        points.append(
            QgsPointXY(
                centre.x() + REACH_M * math.sin(bearing), centre.y() + REACH_M * math.cos(bearing)
            )
        )
    return QgsGeometry.fromPolygonXY([points + [QgsPointXY(centre)]])


def build(dep_geom, dep_code, dep_name):
    region, centre = _wavy_region(dep_geom)
    outside = region.difference(dep_geom)
    parts = [(dep_code, dep_name, dep_geom)]
    bearings = [b for _c, _n, b in NEIGHBOURS]
    for i, (code, name, start) in enumerate(NEIGHBOURS):
        end = bearings[(i + 1) % len(bearings)]
        end = end + 360.0 if end <= start else end
        parts.append((code, name, outside.intersection(_sector(centre, start, end))))
    return parts


def main() -> int:
    from qgis.core import (
        QgsApplication,
        QgsCoordinateReferenceSystem,
        QgsCoordinateTransform,
        QgsProject,
        QgsVectorLayer,
    )

    app = QgsApplication([], False)
    app.initQgis()
    layer = QgsVectorLayer(f"{SAMPLE}|layername=departement", "departement", "ogr")
    if not layer.isValid():
        raise SystemExit(f"cannot read the sample's département in {SAMPLE}")
    feature = next(layer.getFeatures())
    parts = build(feature.geometry(), feature["code_insee"], feature["nom"])
    to_wgs84 = QgsCoordinateTransform(
        layer.crs(), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
    )
    features = []
    for code, name, geom in parts:
        geom.transform(to_wgs84)
        properties = {"code": code, "nom": name, "region": REGION[0], "nom_region": REGION[1]}
        geometry = json.loads(geom.asJson(5))
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    collection = {
        "type": "FeatureCollection",
        "name": "departements_fictifs",
        "source": {"credit": "Données fictives de démonstration (plugin CGET)"},
        "features": features,
    }
    data = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with gzip.GzipFile(OUTPUT, "wb", mtime=0) as handle:  # mtime 0: same bytes every run
        handle.write(data)
    print(f"{OUTPUT}: {len(features)} départements fictifs")
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
