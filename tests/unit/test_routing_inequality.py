"""Per-zone access inequalities (``core.routing.inequality``) on hand-made point units."""

import numpy as np
import pytest
from osgeo import ogr

from cget_plugin.core.routing import inequality
from cget_plugin.core.routing.population import PopulationUnits


def square(x0, y0, x1, y1) -> bytes:
    return bytes(
        ogr.CreateGeometryFromWkt(
            f"POLYGON(({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0}))"
        ).ExportToWkb()
    )


def units_at(xy, pop):
    xy = np.asarray(xy, float)
    n = len(xy)
    return PopulationUnits(
        np.arange(n), np.asarray(pop, float), False, xy, xy, np.asarray(pop, float), np.arange(n)
    )


def test_weighted_median():
    assert inequality.weighted_median(np.array([1.0, 5.0, 9.0]), np.array([1, 1, 1.0])) == 5
    assert inequality.weighted_median(np.array([1.0, 5.0, 9.0]), np.array([10, 1, 1.0])) == 1
    assert inequality.weighted_median(np.array([1.0, np.inf]), np.array([1, 3.0])) == np.inf
    assert np.isnan(inequality.weighted_median(np.array([1.0]), np.array([0.0])))


def test_qpv_against_the_rest_of_its_commune():
    # commune A (0..10) holds the QPV (0..2); commune B (10..20) is elsewhere
    xy = [(1, 1), (1, 1.5), (5, 5), (6, 6), (8, 8), (15, 5), (16, 6)]
    pop = [100, 100, 50, 50, 50, 500, 500]
    minutes = np.array([25.0, 35.0, 5.0, 12.0, np.inf, 40.0, 40.0])
    attached = np.array([True, True, True, True, True, True, False])
    units = units_at(xy, pop)
    rows = inequality.inequality_rows(
        units,
        minutes,
        attached,
        [10, 30],
        [("QPV", square(0, 0, 2, 2))],
        [("A", square(0, 0, 10, 10)), ("B", square(10, 0, 20, 10))],
    )
    overall, qpv = rows
    assert overall["zone"] == "Overall" and overall["pop"] == 850  # unattached left out
    assert qpv["pop"] == 200
    assert qpv["minutes_mean"] == 30.0 and qpv["minutes_median"] == 25.0
    assert qpv["part_gt_10"] == 100.0 and qpv["part_gt_30"] == 50.0
    # the rest of commune A: 5, 12 min and one resident reaching nothing
    assert qpv["rest_of"] == "A" and qpv["rest_pop"] == 150
    assert qpv["rest_minutes_mean"] == pytest.approx(8.5)
    assert qpv["rest_minutes_median"] == 12.0
    assert qpv["rest_part_gt_10"] == pytest.approx(66.7) and qpv["rest_part_gt_30"] == 33.3
    assert qpv["gap_minutes_mean"] == pytest.approx(21.5)
    assert qpv["gap_part_gt_30"] == pytest.approx(16.7)
    fields = [n for n, _k, _a in inequality.inequality_fields([10, 30], True)]
    assert set(k for k in qpv if k not in ("zone", "pop")) <= set(fields)
