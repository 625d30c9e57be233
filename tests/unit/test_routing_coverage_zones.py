"""Population per zone: a zone's total is its whole population, whatever the sampling step
(hence the travel mode), unattached people included."""

import numpy as np
import pytest

from cget_plugin.core.routing import coverage
from cget_plugin.core.routing.population import PopulationUnits


def square(x, y, side):
    from osgeo import ogr

    ring = f"{x} {y},{x + side} {y},{x + side} {y + side},{x} {y + side},{x} {y}"
    return bytes(ogr.CreateGeometryFromWkt(f"POLYGON (({ring}))").ExportToWkb())


def grid_units(step):
    """A 4 x 4 block of 200 m population squares sampled every ``step`` metres (as
    ``population_units`` does with the cell size of the mode)."""
    wkbs, pops, sxy, sunit = [], [], [], []
    for i in range(4):
        for j in range(4):
            x, y = i * 200.0, j * 200.0
            k = len(wkbs)
            wkbs.append(square(x, y, 200.0))
            pops.append(100.0 + 10 * k)
            c = np.arange(step / 2, 200.0, step)
            gx, gy = np.meshgrid(x + c, y + c)
            sxy.append(np.column_stack([gx.ravel(), gy.ravel()]))
            sunit.append(np.full(gx.size, k))
    sxy = np.concatenate(sxy)
    sunit = np.concatenate(sunit)
    pops = np.array(pops)
    counts = np.bincount(sunit)
    units = PopulationUnits(
        fids=np.arange(16),
        pop=pops,
        is_polygon=True,
        rep_xy=np.array([(i * 200.0 + 100, j * 200.0 + 100) for i in range(4) for j in range(4)]),
        sample_xy=sxy,
        sample_w=pops[sunit] / counts[sunit],
        sample_unit=sunit,
        wkbs=wkbs,
    )
    return units


def result_for(units, unsnapped_unit=None):
    n = len(units.sample_xy)
    minutes = units.sample_xy[:, 0] / 100.0  # 1 min per 100 m eastwards
    snapped = np.ones(n, bool)
    if unsnapped_unit is not None:
        snapped = units.sample_unit != unsnapped_unit
        minutes = np.where(snapped, minutes, np.inf)
    return coverage.AccessResult(
        minutes, np.zeros(n, np.int64), snapped, np.zeros(n), *([None] * 4)
    )


def test_zone_total_does_not_depend_on_the_sampling_step():
    # a zone cutting squares at 130 m and 470 m: shares of 0.35 and 0.65 of a square
    from osgeo import ogr

    zone = bytes(
        ogr.CreateGeometryFromWkt(
            "POLYGON ((130 130,470 130,470 470,130 470,130 130))"
        ).ExportToWkb()
    )
    exact = 0.0
    zg = ogr.CreateGeometryFromWkb(zone)
    ref = grid_units(100.0)
    for k, wkb in enumerate(ref.wkbs):
        g = ogr.CreateGeometryFromWkb(wkb)
        exact += ref.pop[k] * zg.Intersection(g).GetArea() / g.GetArea()
    totals = []
    for step in (100.0, 25.0, 12.5):
        units = grid_units(step)
        rows = coverage.coverage_table(
            units, result_for(units, unsnapped_unit=5), [3, 6], [("Z", zone)]
        )
        overall, z = rows
        assert overall["pop_total"] == pytest.approx(units.pop.sum(), abs=0.05)
        totals.append(z["pop_total"])
        assert z["pop_total"] == pytest.approx(exact, abs=0.05), step
        # unit 5 (square at 200..400, 200..400) is unattached: in the total, in no threshold
        assert z["pop_unsnapped"] == pytest.approx(units.pop[5], abs=0.05)
        assert z["pop_le_6"] + z["pop_unsnapped"] + z["pop_beyond"] == pytest.approx(
            z["pop_total"], abs=0.2
        )
    assert max(totals) - min(totals) < 0.1


def test_sliver_without_sample_still_counts():
    # a thin zone along x = 190..199 holds no 100 m sample centre, yet 4.5 % of 4 squares
    from osgeo import ogr

    zone = bytes(
        ogr.CreateGeometryFromWkt("POLYGON ((190 0,199 0,199 800,190 800,190 0))").ExportToWkb()
    )
    units = grid_units(100.0)
    z = coverage.coverage_table(units, result_for(units), [3], [("Z", zone)])[1]
    expected = sum(units.pop[k] * 9 / 200.0 for k in range(4))
    assert z["pop_total"] == pytest.approx(expected, abs=0.05)
    assert z["pop_le_3"] > 0


def test_points_are_in_or_out():
    units = PopulationUnits(
        fids=np.arange(3),
        pop=np.array([5.0, 7.0, 11.0]),
        is_polygon=False,
        rep_xy=np.array([(10.0, 10.0), (50.0, 50.0), (500.0, 500.0)]),
        sample_xy=np.array([(10.0, 10.0), (50.0, 50.0), (500.0, 500.0)]),
        sample_w=np.array([5.0, 7.0, 11.0]),
        sample_unit=np.arange(3),
    )
    zone = square(0.0, 0.0, 100.0)
    z = coverage.coverage_table(units, result_for(units), [3], [("Z", zone)])[1]
    assert z["pop_total"] == 12.0
