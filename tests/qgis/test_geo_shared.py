"""load_geography on the real open data of ../shared/data (skipped with a reason when absent).

Expected counts are computed independently in the tests (plain QGIS reads of the same files)
or come from the data README."""

import re

import pytest

from cget_plugin.core import catalog as catalog_mod
from cget_plugin.core.geographies import load_geography
from cget_plugin.core.territory import load_reference, normalise_insee, split_codes
from tests.helpers.shared_data import real_layer, real_path

QPV2015_OCC = "qpv/qpv2015_occitanie.gpkg"
QPV2015_LYON = "qpv/qpv2015_metropole_lyon.gpkg"
FS = "services/france_services_2024-08-01.gpkg"


@pytest.fixture(autouse=True)
def _no_settings(monkeypatch, qgis_app):
    monkeypatch.setattr(catalog_mod, "settings_overrides", lambda ids: {})


def test_real_qpv2015_occitanie_invalid_geometries_repaired():
    path = real_path(QPV2015_OCC)
    result = load_geography("qpv2015", None, source=str(path))
    layer = result.layer
    assert layer.featureCount() == 103
    assert any(m.startswith("31 invalid source geometries") for m in result.messages)
    assert all(f.geometry().isGeosValid() for f in layer.getFeatures())
    assert layer.crs().authid() == "EPSG:2154"
    source = real_layer(QPV2015_OCC)
    src_area = {f["code_qp"]: f for f in source.getFeatures()}
    # repairing keeps the outline: same number of objects, codes and département per object
    for feat in layer.getFeatures():
        assert feat["code"] in src_area
        assert feat["insee_dep"] == src_area[feat["code"]]["code_departement"]


@pytest.mark.parametrize("dep, expected", [("31", 19), ("34", 22), ("09", 3), ("48", 0)])
def test_real_qpv2015_by_departement(dep, expected):
    result = load_geography("qpv2015", dep, source=str(real_path(QPV2015_OCC)))
    assert result.layer.featureCount() == expected
    assert result.empty == (expected == 0)


def test_real_qpv2015_toulouse_by_commune_code():
    source = real_layer(QPV2015_OCC)
    expected = {f["code_qp"] for f in source.getFeatures() if "31555" in str(f["code_commune"])}
    result = load_geography("qpv2015", "31555", source=str(real_path(QPV2015_OCC)))
    assert {f["code"] for f in result.layer.getFeatures()} == expected
    assert len(expected) >= 10


def test_real_qpv2015_lyon_spatial_filter_on_commune_outlines(monkeypatch):
    communes = real_path("communes/communes_69.gpkg")
    monkeypatch.setattr(catalog_mod, "settings_overrides", lambda ids: {"communes": str(communes)})
    from qgis.core import QgsFeatureRequest

    lyon = next(
        real_layer("communes/communes_69.gpkg").getFeatures(
            QgsFeatureRequest().setFilterExpression("code_insee = '69123'")
        )
    ).geometry()
    qpv = real_layer(QPV2015_LYON)
    expected = {
        f["code_qp"] for f in qpv.getFeatures() if f.geometry().intersection(lyon).area() > 1e-10
    }
    result = load_geography("qpv2015", "69123", source=str(real_path(QPV2015_LYON)))
    got = {f["code"] for f in result.layer.getFeatures()}
    assert got == expected and 5 <= len(got) < qpv.featureCount()
    assert any("IGN" in c for c in result.provenance.extra_credits)


@pytest.mark.parametrize("dep, expected", [("93", 32), ("48", 20), ("23", 21)])
def test_real_france_services_by_departement(dep, expected):
    result = load_geography("france_services", dep, source=str(real_path(FS)))
    layer = result.layer
    assert layer.featureCount() == expected
    assert all(f["coord_statut"] == "ok" for f in layer.getFeatures())


def test_real_france_services_by_epci_through_the_reference():
    ref = load_reference()
    members = set(ref.communes_of_epci("200054781"))  # Métropole du Grand Paris
    members |= {a for c in members for a in ref.arrondissements_of.get(c, [])}
    source = real_layer(FS)
    # Codes of the 2024 list are matched in the COG 2026: Pierrefitte-sur-Seine (93059) merged
    # into Saint-Denis (93066) in 2025 and must still count as a commune of the Métropole.
    expected = {
        f["id_fs"]
        for f in source.getFeatures()
        if ref.current_commune(normalise_insee(f["insee_com"])) in members
    }
    result = load_geography("france_services", "200054781", source=str(real_path(FS)))
    got = {str(f["code"]) for f in result.layer.getFeatures()}
    assert got == {str(e) for e in expected}
    assert len(expected) > 40
    assert {"1679", "2674"} <= got  # the two Pierrefitte-sur-Seine sites


def test_real_france_services_overseas_crs():
    result = load_geography("france_services", "974", source=str(real_path(FS)))
    assert result.crs == "EPSG:2975"
    assert result.layer.featureCount() > 0
    assert all(f["insee_dep"] == "974" for f in result.layer.getFeatures())


def test_real_communes_file_as_source_of_the_communes_geography():
    result = load_geography("communes", "93", source=str(real_path("communes/communes_93.gpkg")))
    layer = result.layer
    assert layer.featureCount() == 39
    feats = {f["code"]: f for f in layer.getFeatures()}
    assert feats["93066"]["nom"] == "Saint-Denis" and feats["93066"]["insee_dep"] == "93"
    epci = load_geography(
        "communes", "200057867", source=str(real_path("communes/communes_93.gpkg"))
    )
    ref = load_reference()
    assert {f["code"] for f in epci.layer.getFeatures()} == set(ref.communes_of_epci("200057867"))


def test_real_qpv2024_table_codes_parse_and_communes_exist():
    """The real QPV 2024 commune table: every code has the QN structure and every commune of a
    multi-commune cell exists in the reference once split (no substring matching)."""
    layer = real_layer("qpv/qpv2024_communes_points.gpkg")
    ref = load_reference()
    unknown, multi = [], 0
    for feat in layer.getFeatures():
        for code in split_codes(feat["code_qp"]):
            assert re.fullmatch(r"QN(\d{2}[0-9AB]|97\d)\d{2}[A-Z]", code), code
        communes = split_codes(feat["insee_com"])
        multi += len(communes) > 1
        for code in communes:
            if not ref.current_commune(normalise_insee(code)):
                unknown.append(code)
    assert layer.featureCount() == 820
    assert not unknown, unknown[:10]
