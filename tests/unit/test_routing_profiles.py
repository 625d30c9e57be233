"""Speed tables and tag parsing of the routing profiles (no QGIS application needed)."""

import pytest

from cget_plugin.core.errors import InputError
from cget_plugin.core.routing import profiles as prof


@pytest.mark.parametrize(
    "value, expected",
    [
        ("50", 50.0),
        ("50 mph", 50 * 1.609344),
        ("FR:urban", 50.0),
        ("FR:rural", 80.0),
        ("fr:zone30", 30.0),
        ("['30', '45']", 37.5),
        ("30;50", 40.0),
        ("none", None),
        ("signals", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_maxspeed(value, expected):
    result = prof.parse_maxspeed(value)
    if expected is None:
        assert result is None
    else:
        assert result == pytest.approx(expected)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("yes", 1),
        ("True", 1),
        ("true", 1),
        ("1", 1),
        ("-1", -1),
        ("reverse", -1),
        ("no", 0),
        ("False", 0),
        ("", 0),
        (None, 0),
        ("[False, True]", 1),
    ],
)
def test_parse_oneway(value, expected):
    assert prof.parse_oneway(value) == expected


def test_parse_list_osmnx_strings():
    assert prof.parse_list("['footway', 'steps']") == ["footway", "steps"]
    assert prof.parse_list("residential") == ["residential"]
    assert prof.parse_hstore('"oneway"=>"yes","maxspeed"=>"30"') == {
        "oneway": "yes",
        "maxspeed": "30",
    }


def test_osm_car_speeds_and_oneway():
    car = prof.OsmProfile("car")
    assert car.speeds({"highway": "residential"}) == (25.0, 25.0)
    # maxspeed turned into a driving speed as OSRM does: 0.8 x limit + 11, never above the limit
    assert car.speeds({"highway": "trunk", "maxspeed": "60"})[0] == pytest.approx(59.0)
    assert car.speeds({"highway": "residential", "maxspeed": "FR:urban"})[0] == pytest.approx(50.0)
    assert car.speeds({"highway": "residential", "oneway": "True"}) == (25.0, 0.0)
    assert car.speeds({"highway": "residential", "oneway": "-1"}) == (0.0, 25.0)
    assert car.speeds({"highway": "primary", "junction": "roundabout"}) == (65.0, 0.0)
    assert car.speeds({"highway": "['footway', 'steps']"}) == (0.0, 0.0)
    assert car.speeds({"highway": "['tertiary_link', 'tertiary']"}) == (20.0, 20.0)
    assert car.speeds({"highway": "footway"}) == (0.0, 0.0)
    # raw .osm read by GDAL: tags in other_tags
    tags = '"oneway"=>"yes","maxspeed"=>"30"'
    assert car.speeds({"highway": "residential", "other_tags": tags}) == (30.0, 0.0)


def test_osm_walk_and_bike():
    walk = prof.OsmProfile("walk")
    bike = prof.OsmProfile("bike")
    assert walk.speeds({"highway": "motorway"}) == (0.0, 0.0)
    assert walk.speeds({"highway": "residential", "oneway": "yes"}) == (4.0, 4.0)
    assert walk.speeds({"highway": "['footway', 'steps']"}) == (4.0, 4.0)
    assert bike.speeds({"highway": "motorway_link"}) == (0.0, 0.0)
    assert bike.speeds({"highway": "residential", "oneway": "yes"}) == (15.0, 0.0)
    assert bike.speeds({"highway": "steps"}) == (4.0, 4.0)


def test_bdtopo_v3():
    car = prof.BdTopoProfile("car")
    base = {
        "vitesse_moyenne_vl": 50,
        "acces_vehicule_leger": "Libre",
        "nature": "Route à 1 chaussée",
        "importance": "4",
        "etat_de_l_objet": "En service",
    }
    assert car.speeds({**base, "sens_de_circulation": "Double sens"}) == (50.0, 50.0)
    assert car.speeds({**base, "sens_de_circulation": "Sens direct"}) == (50.0, 0.0)
    assert car.speeds({**base, "sens_de_circulation": "Sens inverse"}) == (0.0, 50.0)
    assert car.speeds({**base, "acces_vehicule_leger": "Physiquement impossible"}) == (0.0, 0.0)
    assert car.speeds({**base, "etat_de_l_objet": "En projet"}) == (0.0, 0.0)
    assert car.speeds({**base, "vitesse_moyenne_vl": 0}) == (0.0, 0.0)
    walk = prof.BdTopoProfile("walk")
    assert walk.speeds({**base, "sens_de_circulation": "Sens direct"}) == (4.0, 4.0)
    assert walk.speeds({**base, "nature": "Type autoroutier"}) == (0.0, 0.0)
    bike = prof.BdTopoProfile("bike")
    assert bike.speeds({**base, "nature": "Type autoroutier"}) == (0.0, 0.0)
    assert bike.speeds({**base, "sens_de_circulation": "Sens inverse"}) == (0.0, 15.0)


def test_bdtopo2_speeds_from_nature_and_importance():
    car = prof.BdTopo2Profile("car")
    assert car.speeds({"nature": "Autoroute", "importance": "1", "sens": "Direct"}) == (110.0, 0.0)
    assert car.speeds({"nature": "Route à 1 chaussée", "importance": "3", "sens": "Double"}) == (
        60.0,
        60.0,
    )
    assert car.speeds({"nature": "Route à 1 chaussée", "importance": "5", "sens": "Inverse"}) == (
        0.0,
        40.0,
    )
    assert car.speeds({"nature": "Sentier", "importance": "NC", "sens": "NC"}) == (0.0, 0.0)


def test_generic_needs_speed_for_car():
    with pytest.raises(InputError):
        prof.GenericProfile("car")
    assert prof.GenericProfile("car", default_speed=30).speeds({}) == (30.0, 30.0)
    p = prof.GenericProfile("car", speed_field="v")
    assert p.speeds({"v": 70}) == (70.0, 70.0)
    assert p.speeds({"v": -5}) == (0.0, 0.0)
    assert prof.GenericProfile("walk").speeds({}) == (4.0, 4.0)


def test_detect_and_make_profile():
    assert prof.detect_profile(["cleabs", "vitesse_moyenne_vl", "sens_de_circulation"]) == "bdtopo"
    assert prof.detect_profile(["ID", "NATURE", "SENS", "IMPORTANCE"]) == "bdtopo2"
    assert prof.detect_profile(["u", "v", "highway"]) == "osm"
    assert prof.detect_profile(["name"]) == "generic"
    assert prof.make_profile("auto", "car", ["highway"]).name == "osm"
    with pytest.raises(InputError):
        prof.make_profile("auto", "car", ["name"])  # no speed at all
    with pytest.raises(InputError):
        prof.make_profile("generic", "car", ["name"], speed_field="speed")  # missing field
    with pytest.raises(InputError):
        prof.make_profile("nonsense", "car", ["highway"])
