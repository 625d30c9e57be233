"""core.locate against an independent brute force, on the real QPV 2015 polygons."""

import math

import numpy as np
import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)

from cget_plugin.core.errors import InputError
from cget_plugin.core.locate import ZoneIndex
from tests.helpers.shared_data import real_layer

L93 = QgsCoordinateReferenceSystem("EPSG:2154")
WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")


def _brute_force(layer, points_wgs):
    """Membership and distance with plain QgsGeometry calls in Lambert-93, zone by zone."""
    xform = QgsCoordinateTransform(WGS84, L93, QgsProject.instance())
    zones = []
    for f in layer.getFeatures():
        g = f.geometry()
        if not g.isGeosValid():
            g = g.makeValid()
        g.transform(xform)
        zones.append((f["code_qp"], g))
    out = []
    for p in points_wgs:
        pt = QgsGeometry.fromPointXY(xform.transform(p))
        inside = [c for c, g in zones if g.intersects(pt)]
        dist = min(g.distance(pt) for _, g in zones)
        out.append((inside, dist))
    return out


def _random_points(layer, n, seed):
    """Points near and inside the zones (pointOnSurface ± jitter) and in the wider box."""
    rng = np.random.RandomState(seed)
    feats = list(layer.getFeatures())
    ext = layer.extent()
    pts = []
    for k in range(n):
        if k % 2 == 0:
            c = feats[rng.randint(len(feats))].geometry().pointOnSurface().asPoint()
            pts.append(QgsPointXY(c.x() + rng.normal(0, 0.0015), c.y() + rng.normal(0, 0.0015)))
        else:
            pts.append(
                QgsPointXY(
                    rng.uniform(ext.xMinimum(), ext.xMaximum()),
                    rng.uniform(ext.yMinimum(), ext.yMaximum()),
                )
            )
    return pts


@pytest.mark.parametrize(
    "relative, seed", [("qpv/qpv2015_metropole_lyon.gpkg", 1), ("qpv/qpv2015_occitanie.gpkg", 2)]
)
def test_matches_brute_force_on_real_qpv(relative, seed):
    layer = real_layer(relative, "qpv2015")
    points = _random_points(layer, 400, seed)
    index = ZoneIndex.from_layer(layer)
    got = index.locate(points, WGS84)
    expected = _brute_force(layer, points)
    n_inside = 0
    for loc, (inside, dist) in zip(got, expected):
        assert loc.in_zone == bool(inside)
        if inside:
            n_inside += 1
            assert loc.zone_code == inside[0] and loc.distance_m == 0.0
            assert sorted(loc.zone_codes) == sorted(inside)
        else:
            assert loc.distance_m == pytest.approx(dist, rel=1e-9, abs=1e-6)
    assert 60 < n_inside < 300  # the test really exercised both answers


def test_occitanie_invalid_polygons_are_repaired():
    layer = real_layer("qpv/qpv2015_occitanie.gpkg", "qpv2015")
    index = ZoneIndex.from_layer(layer)
    assert index.repaired > 0


def test_same_answer_in_any_input_crs():
    layer = real_layer("qpv/qpv2015_metropole_lyon.gpkg", "qpv2015")
    points = _random_points(layer, 100, 3)
    index = ZoneIndex.from_layer(layer)
    a = index.locate(points, WGS84)
    xform = QgsCoordinateTransform(
        WGS84, QgsCoordinateReferenceSystem("EPSG:3857"), QgsProject.instance()
    )
    b = index.locate([xform.transform(p) for p in points], "EPSG:3857")
    for x, y in zip(a, b):
        assert x.in_zone == y.in_zone and x.zone_code == y.zone_code
        assert x.distance_m == pytest.approx(y.distance_m, abs=0.01)


def test_zones_in_lambert93_points_in_wgs84_known_distance():
    square = QgsGeometry.fromWkt(
        "POLYGON((650000 6860000, 651000 6860000, 651000 6861000, 650000 6861000, 650000 6860000))"
    )
    index = ZoneIndex.from_geometries([("QN07501M", "Carré", square)], L93)
    to_wgs = QgsCoordinateTransform(L93, WGS84, QgsProject.instance())
    inside = to_wgs.transform(QgsPointXY(650500, 6860500))
    east = to_wgs.transform(QgsPointXY(651250, 6860500))  # 250 m east of the square
    corner = to_wgs.transform(QgsPointXY(651300, 6861400))  # 300, 400 from a corner: 500 m
    res = index.locate([inside, east, corner, None], WGS84)
    assert res[0].in_zone and res[0].zone_code == "QN07501M" and res[0].zone_nom == "Carré"
    assert res[0].link == "https://sig.ville.gouv.fr/territoire/QN07501M"
    assert res[1].in_zone is False and res[1].distance_m == pytest.approx(250, abs=0.01)
    assert res[1].nearest_code == "QN07501M"
    assert res[2].distance_m == pytest.approx(500, abs=0.01)
    assert res[3].in_zone is None and res[3].distance_m is None


def test_overseas_point_against_hexagone_zones_gets_ellipsoidal_distance():
    square = QgsGeometry.fromWkt("POLYGON((2 48, 2.01 48, 2.01 48.01, 2 48.01, 2 48))")
    index = ZoneIndex.from_geometries([("Z1", "Z", square)], WGS84)
    res = index.locate([QgsPointXY(55.45, -21.0)], WGS84)[0]  # La Réunion
    assert res.in_zone is False
    assert 9_000_000 < res.distance_m < 9_500_000  # Paris – La Réunion ≈ 9,350 km
    assert math.isfinite(res.distance_m)


def test_non_polygon_layer_refused():
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=code:string", "points", "memory")
    with pytest.raises(InputError, match="not polygons"):
        ZoneIndex.from_layer(layer)
