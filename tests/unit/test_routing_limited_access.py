"""Limited-access roads (motorways and their ramps): they carry traffic between interchanges
but nobody walks off them, and nothing snaps onto them."""

import numpy as np
import pytest

from cget_plugin.core.routing import coverage, engine, isochrones, profiles
from cget_plugin.core.routing.graph import graph_from_lines
from cget_plugin.core.routing.population import PopulationUnits


def motorway_by_village():
    """A village (local streets 0..1000 m, 100 m blocks, 30 km/h) with a motorway 500 m south
    of it, from x = -8 km to +8 km at 130 km/h, joined to the local network by ONE interchange
    ramp only, 3 km east of the village."""
    lines, sf, sb, limited = [], [], [], []

    def add(coords, speed, lim=False):
        lines.append(np.asarray(coords, float))
        sf.append(speed)
        sb.append(speed)
        limited.append(lim)

    for i in range(11):
        for j in range(-4, 11):
            x, y = i * 100.0, j * 100.0
            if j < 10:
                add([(x, y), (x, y + 100.0)], 30.0)  # north-south block side
            if i < 10:
                add([(x, y), (x + 100.0, y)], 30.0)  # east-west block side
    add([(1000.0, 0.0), (3000.0, 0.0)], 50.0)  # local road east to the interchange
    add([(3000.0, 0.0), (3000.0, -500.0)], 50.0, True)  # the ramp ("Bretelle")
    xs = [-8000.0, -4000.0, 0.0, 1000.0, 3000.0, 8000.0]
    for a, b in zip(xs, xs[1:]):
        add([(a, -500.0), (b, -500.0)], 130.0, True)  # motorway sections
    return graph_from_lines(
        lines,
        np.array(sf),
        np.array(sb),
        np.arange(len(lines)),
        split_shared=True,
        limited=np.array(limited),
    )


@pytest.fixture(scope="module")
def graph():
    return motorway_by_village()


def test_motorway_cells_far_from_the_village_are_not_in_the_band(graph):
    origins = graph.snap(np.array([(500.0, 500.0)]), 100.0)
    assert origins.part[0] >= 0
    node_t, _ = engine.nearest_origin(graph, origins, "departure")
    # the motorway itself is reached to its western end within 12 min
    west_end = np.argmin(np.hypot(*(graph.node_xy - (-8000.0, -500.0)).T))
    assert node_t[west_end] < 12 * 60
    for mode in ("cumulative", "rings", "per_origin"):
        feats = isochrones.local_isochrones(graph, origins, "departure", [12], mode, 50.0, 300.0)
        from osgeo import ogr

        area = ogr.CreateGeometryFromWkb(feats[0].wkb)
        for x, y in [(-6000.0, -450.0), (-2000.0, -550.0), (6000.0, -450.0)]:
            point = ogr.CreateGeometryFromWkt(f"POINT ({x} {y})")
            assert not area.Intersects(point), (mode, x, y)
        # the village and the local road to the interchange are in it
        for x, y in [(500.0, 500.0), (2000.0, 50.0)]:
            assert area.Intersects(ogr.CreateGeometryFromWkt(f"POINT ({x} {y})")), (mode, x, y)


def test_nothing_snaps_onto_the_motorway(graph):
    # 30 m from the motorway, 70 m from the southern village street
    snaps = graph.snap(np.array([(500.0, -470.0), (-6000.0, -480.0)]), 200.0)
    assert not graph.part_limited[snaps.part[0]]
    assert snaps.xy[0, 1] == pytest.approx(-400.0)
    assert snaps.dist[0] == pytest.approx(70.0)
    assert snaps.part[1] == -1  # beside the motorway only: not attached (reported as such)


def test_population_beside_the_motorway_goes_through_local_roads(graph):
    facilities = graph.snap(np.array([(500.0, 500.0)]), 100.0)
    units = PopulationUnits(
        fids=np.array([1, 2]),
        pop=np.array([10.0, 20.0]),
        is_polygon=False,
        rep_xy=np.array([(500.0, -470.0), (-6000.0, -480.0)]),
        sample_xy=np.array([(500.0, -470.0), (-6000.0, -480.0)]),
        sample_w=np.array([10.0, 20.0]),
        sample_unit=np.array([0, 1]),
    )
    result = coverage.access_times(graph, facilities, units, "arrival", 200.0)
    # 70 m walk + ~900 m of 30 km/h streets: about 2.9 min, not via the motorway
    assert 2.0 < result.unit_minutes[0] < 4.0
    assert not result.sample_snapped[1]


def test_limited_access_rules_of_the_profiles():
    bd = profiles.BdTopoProfile("car")
    assert bd.limited_access({"nature": "Type autoroutier", "importance": "1"})
    assert bd.limited_access({"nature": "Bretelle", "importance": "1"})
    assert bd.limited_access({"nature": "Bretelle", "importance": "2", "cpx_numero": "A 84"})
    assert bd.limited_access(
        {"nature": "Bretelle", "importance": "3", "cpx_classement_administratif": "Autoroute"}
    )
    assert not bd.limited_access({"nature": "Bretelle", "importance": "3", "cpx_numero": "D137"})
    assert not bd.limited_access({"nature": "Route à 2 chaussées", "importance": "1"})
    assert not bd.limited_access({"nature": "Rond-point", "importance": "1"})
    bd2 = profiles.BdTopo2Profile("car")
    assert bd2.limited_access({"nature": "Autoroute", "importance": "1"})
    assert bd2.limited_access({"nature": "Bretelle", "importance": "1.0"})
    osm = profiles.OsmProfile("car")
    assert osm.limited_access({"highway": "motorway"})
    assert osm.limited_access({"highway": "['motorway_link', 'primary']"})
    assert osm.limited_access({"highway": "trunk", "motorroad": "yes"})
    assert osm.limited_access({"highway": "trunk", "other_tags": '"motorroad"=>"yes"'})
    assert not osm.limited_access({"highway": "trunk"})
    assert not osm.limited_access({"highway": "primary"})
    assert not profiles.GenericProfile("car", default_speed=50).limited_access({})
