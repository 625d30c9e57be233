"""The shared facts of core/definitions.py: CRS rules, field candidates, keys, NULL test."""

import pytest

from cget_plugin.core import definitions as d


@pytest.mark.parametrize(
    "lon, lat, expected",
    [
        (2.35, 48.85, "EPSG:2154"),  # Paris
        (9.15, 42.15, "EPSG:2154"),  # Corsica
        (-61.55, 16.25, "EPSG:5490"),  # Guadeloupe
        (-61.0, 14.6, "EPSG:5490"),  # Martinique
        (-52.3, 4.9, "EPSG:2972"),  # Cayenne
        (55.45, -20.9, "EPSG:2975"),  # Saint-Denis de La Réunion
        (45.2, -12.8, "EPSG:4471"),  # Mamoudzou
        (-56.2, 46.8, "EPSG:4467"),  # Saint-Pierre
        (-74.0, 40.7, "EPSG:32618"),  # New York: UTM 18N
        (151.2, -33.9, "EPSG:32756"),  # Sydney: UTM 56S
    ],
)
def test_official_crs_for_lonlat(lon, lat, expected):
    assert d.official_crs_for_lonlat(lon, lat) == expected


def test_official_crs_area_names_the_area():
    assert d.official_crs_area(2.35, 48.85) == ("metropole", "EPSG:2154")
    assert d.official_crs_area(-74.0, 40.7) == ("utm32618", "EPSG:32618")


def test_official_crs_for_departements():
    assert d.official_crs_for_departements(["93", "75"]) == d.LAMBERT93
    assert d.official_crs_for_departements(["974"]) == "EPSG:2975"
    assert d.official_crs_for_departements(["971", "972"]) == "EPSG:5490"
    assert d.official_crs_for_departements(["974", "93"]) == d.LAMBERT93
    assert d.official_crs_for_departements([]) == d.LAMBERT93


def test_first_field_is_case_insensitive_and_ordered():
    assert d.first_field(["NOM", "CODE_QP"], d.CODE_FIELD_CANDIDATES) == "CODE_QP"
    assert d.first_field(["lib_qp", "nom"], d.NAME_FIELD_CANDIDATES) == "nom"
    assert d.first_field(["x", "y"], d.NAME_FIELD_CANDIDATES) is None


def test_settings_keys():
    assert d.routing_settings_key("valhalla", "url") == "cget/routing/valhalla/url"
    assert d.SETTINGS_LAYOUT_PREFIX == "cget/layout/"
    assert d.SETTINGS_SOURCES_PREFIX == "cget/sources/"
    assert d.settings_key("geocoder", "url") == d.SETTINGS_GEOCODER_URL == "cget/geocoder/url"


def test_is_null():
    from qgis.PyQt.QtCore import QVariant

    assert d.is_null(None)
    assert d.is_null(float("nan"))
    assert d.is_null(QVariant())
    assert not d.is_null(0)
    assert not d.is_null("")
    assert not d.is_null(QVariant(3))


def test_units():
    assert d.kmh_to_ms(36.0) == pytest.approx(10.0)
    assert d.MM_PER_POINT == pytest.approx(0.3528, abs=1e-4)


@pytest.mark.parametrize(
    "ids, label",
    [
        (d.TRAVEL_MODES, d.travel_mode_label),
        (d.DIRECTIONS, d.direction_label),
        (d.OUTPUT_MODES, d.output_mode_label),
        (d.BACKENDS, d.backend_label),
        (d.NETWORK_PROFILES, d.network_profile_label),
    ],
)
def test_every_id_has_a_label(ids, label):
    for value in ids:
        assert label(value) and label(value) != value
