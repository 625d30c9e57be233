"""load_geography / cget:loadgeography: the QPV (2024 GeoJSON from the data.gouv dataset API or
the pinned ZIP, territory filters, cache, 2015 shapefiles) against replayed sources and the
fixtures of tests/data/geo. Lists and points: test_geo_load_lists.py; Processing, project
and feedback: test_geo_load_processing.py."""

import zipfile

import pytest
from pytest_httpserver import HTTPServer

from cget_plugin.core import cache as cache_mod
from cget_plugin.core.errors import DataError, InputError, NetworkError
from cget_plugin.core.geographies import load_geography, pick_resource
from tests.helpers.geo_sources import (
    DATASET,
    QPV_FIXTURE,
    alt_catalog,
    features_by_code,
    qpv_dataset_api,
    qpv_zip,
)
from tests.replay.answers import Answer, maintenance_page, server_error
from tests.replay.httpserver import serve

pytestmark = pytest.mark.usefixtures("fast_geo_sources")


def test_qpv2024_from_local_fixture_filtered_on_a_departement():
    result = load_geography("qpv2024", "93", source=str(QPV_FIXTURE))
    layer = result.layer
    feats = features_by_code(layer)
    assert set(feats) == {"QN09301M", "QN09302N"}
    assert result.crs == "EPSG:2154" and layer.crs().authid() == "EPSG:2154"
    names = layer.fields().names()
    assert names[:4] == ["code", "nom", "insee_dep", "millesime"]
    assert {"code_qp", "lib_qp", "insee_com", "siren_epci", "fid_src", "lien"} <= set(names)
    f = feats["QN09302N"]
    assert f["insee_dep"] == "93" and f["millesime"] == "2024"
    assert f["lien"] == "https://sig.ville.gouv.fr/territoire/QN09302N"
    # the bow-tie outline of the fixture was repaired
    assert all(g.geometry().isGeosValid() for g in layer.getFeatures())
    assert any("repaired" in m for m in result.messages)
    x = f.geometry().centroid().asPoint().x()
    assert 640000 < x < 670000  # Lambert-93 eastings of Saint-Denis
    assert layer.attributeAlias(names.index("code_qp")) == "Code du quartier"
    assert result.layer_name == "QPV 2024 – Seine-Saint-Denis (93)"
    assert result.provenance.producer == "ANCT" and result.provenance.licence == "etalab-2.0"


def test_multi_commune_qpv_belongs_to_each_commune_never_by_substring():
    aubervilliers = features_by_code(
        load_geography("qpv2024", "93001", source=str(QPV_FIXTURE)).layer
    )
    assert set(aubervilliers) == {"QN09302N"}  # "93066, 93001": second commune of the list
    penne = features_by_code(load_geography("qpv2024", "13070", source=str(QPV_FIXTURE)).layer)
    assert set(penne) == {"QN01301M"}  # "13055, 13070"; "130700" must not match
    marseille = features_by_code(load_geography("qpv2024", "13", source=str(QPV_FIXTURE)).layer)
    assert set(marseille) == {"QN01301M", "QN13099N"}


def test_paris_lyon_marseille_arrondissements_match_both_ways():
    paris = features_by_code(load_geography("qpv2024", "75056", source=str(QPV_FIXTURE)).layer)
    assert set(paris) == {"QN07501I"}  # source code 75119, asked for the commune
    arr = features_by_code(load_geography("qpv2024", "69383", source=str(QPV_FIXTURE)).layer)
    assert set(arr) == {"QN06901M"}  # source code 69123, asked for an arrondissement
    marseille_arr = features_by_code(
        load_geography("qpv2024", "13201", source=str(QPV_FIXTURE)).layer
    )
    assert set(marseille_arr) == {"QN01301M"}


def test_epci_region_and_several_codes_at_once():
    mgp = features_by_code(load_geography("qpv2024", "200054781", source=str(QPV_FIXTURE)).layer)
    assert set(mgp) == {"QN09301M", "QN09302N", "QN07501I"}
    idf = features_by_code(load_geography("qpv2024", "reg:11", source=str(QPV_FIXTURE)).layer)
    assert set(idf) == {"QN09301M", "QN09302N", "QN07501I"}
    several = features_by_code(
        load_geography("qpv2024", "93066, 69123", source=str(QPV_FIXTURE)).layer
    )
    assert set(several) == {"QN09301M", "QN09302N", "QN06901M"}


def test_overseas_qpv_in_the_local_crs():
    result = load_geography("qpv2024", "971", source=str(QPV_FIXTURE))
    assert result.crs == "EPSG:5490"
    assert result.layer.crs().authid() == "EPSG:5490"
    (feat,) = list(result.layer.getFeatures())
    x = feat.geometry().centroid().asPoint().x()
    assert 600000 < x < 700000  # UTM 20N easting of Les Abymes


def test_whole_file_when_no_territory_in_lambert93():
    result = load_geography("qpv2024", None, source=str(QPV_FIXTURE))
    assert result.layer.featureCount() == 7 and result.crs == "EPSG:2154"
    assert result.layer_name.startswith("QPV 2024 – ")


def test_legitimately_empty_territory_is_an_explicit_empty_layer():
    result = load_geography("qpv2024", "48", source=str(QPV_FIXTURE))
    assert result.empty and result.layer.featureCount() == 0
    assert result.layer.isValid()
    assert result.layer_name.endswith("(no feature)")
    assert any("No QPV 2024 feature in Lozère (48)" in m for m in result.messages)
    assert any("No QPV 2024" in n for n in result.provenance.notes)


def test_bad_territory_code_is_an_input_error():
    with pytest.raises(InputError, match="“9A”"):
        load_geography("qpv2024", "93, 9A", source=str(QPV_FIXTURE))
    with pytest.raises(InputError, match="Unknown geography"):
        load_geography("qpv2099", "93", source=str(QPV_FIXTURE))
    with pytest.raises(InputError, match="neither an existing file"):
        load_geography("qpv2024", "93", source="/nowhere/qpv.geojson")


def test_gpkg_layer_selection_in_source(tmp_path):
    from qgis.core import QgsVectorFileWriter, QgsVectorLayer

    src = QgsVectorLayer(str(QPV_FIXTURE), "qpv", "ogr")
    gpkg = tmp_path / "sample.gpkg"
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "autre"
    QgsVectorFileWriter.writeAsVectorFormatV3(src, str(gpkg), src.transformContext(), options)
    options.layerName = "qpv"
    options.actionOnExistingFile = QgsVectorFileWriter.CreateOrOverwriteLayer
    QgsVectorFileWriter.writeAsVectorFormatV3(src, str(gpkg), src.transformContext(), options)
    result = load_geography("qpv2024", "93", source=f"{gpkg}|layername=qpv")
    assert set(features_by_code(result.layer)) == {"QN09301M", "QN09302N"}
    with pytest.raises(InputError, match="“absente” not found"):
        load_geography("qpv2024", "93", source=f"{gpkg}|layername=absente")


def test_qpv2024_through_the_datagouv_api_picks_the_newest_resource(
    httpserver, tmp_path, monkeypatch
):
    alt_catalog(tmp_path, monkeypatch, httpserver)
    api = qpv_dataset_api(
        httpserver,
        [
            (
                "qp-2024-epsg2154-20240820.geojson",
                "geojson",
                "/static/old.geojson",
                "2024-08-22T09:46:41",
            ),
            (
                "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson",
                "geojson",
                "/static/qp2024-france-hexagonale-outre-mer-wgs84-epsg4326.geojson",
                "2025-02-06T16:18:39.123000+00:00",
            ),
            (
                "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson (ancienne)",
                "geojson",
                "/static/older.geojson",
                "2024-01-05T00:00:00",
            ),
            ("listeqp2024-cog2024.csv", "csv", "/static/liste.csv", "2026-01-16T11:03:50"),
        ],
    )
    httpserver.expect_request(f"/api/1/datasets/{DATASET}/").respond_with_json(api)
    httpserver.expect_request(
        "/static/qp2024-france-hexagonale-outre-mer-wgs84-epsg4326.geojson"
    ).respond_with_data(QPV_FIXTURE.read_bytes(), content_type="application/geo+json")
    result = load_geography("qpv2024", "93")
    assert set(features_by_code(result.layer)) == {"QN09301M", "QN09302N"}
    prov = result.provenance
    assert prov.url.endswith("qp2024-france-hexagonale-outre-mer-wgs84-epsg4326.geojson")
    assert prov.source_date.startswith("2025-02-06T16:18:39")
    assert prov.retrieved
    paths = [req.path for req, _ in httpserver.log]
    assert "/static/old.geojson" not in paths and "/static/liste.csv" not in paths


def test_api_down_falls_back_to_the_pinned_zip(httpserver, tmp_path, monkeypatch):
    alt_catalog(tmp_path, monkeypatch, httpserver)
    serve(httpserver, f"/api/1/datasets/{DATASET}/", server_error("down", 503))
    httpserver.expect_request("/pinned/qpv2024/0").respond_with_data("not here", status=404)
    httpserver.expect_request("/pinned/qpv2024/1").respond_with_data(
        qpv_zip(), content_type="application/zip"
    )
    result = load_geography("qpv2024", "971")
    assert set(features_by_code(result.layer)) == {"QN97101N"}
    assert result.provenance.url.endswith("/pinned/qpv2024/1")


def test_every_source_failing_is_one_clear_error(httpserver, tmp_path, monkeypatch):
    alt_catalog(tmp_path, monkeypatch, httpserver)
    serve(httpserver, f"/api/1/datasets/{DATASET}/", maintenance_page())
    httpserver.expect_request("/pinned/qpv2024/0").respond_with_data("", status=404)
    serve(httpserver, "/pinned/qpv2024/1", Answer(200, qpv_zip(), "application/zip").truncated(300))
    with pytest.raises(NetworkError) as err:
        load_geography("qpv2024", "93")
    text = str(err.value)
    assert "No source of QPV 2024 could be read" in text
    assert "corrupt" in text and "SOURCE parameter or plugin settings" in text


def test_second_run_offline_uses_the_cache_and_says_so(tmp_path, monkeypatch):
    server = HTTPServer()
    server.start()
    try:
        alt_catalog(tmp_path, monkeypatch, server, max_age_days=0)
        api = qpv_dataset_api(
            server,
            [
                (
                    "QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson",
                    "geojson",
                    "/static/qp.geojson",
                    "2025-02-06T16:18:39",
                )
            ],
        )
        server.expect_request(f"/api/1/datasets/{DATASET}/").respond_with_json(api)
        server.expect_request("/static/qp.geojson").respond_with_data(QPV_FIXTURE.read_bytes())
        online = load_geography("qpv2024", "93")
        assert online.layer.featureCount() == 2
        assert not any("cached copy" in m for m in online.messages)
    finally:
        server.stop()
    cache = cache_mod.Cache()
    cache.retries = 0
    offline = load_geography("qpv2024", "93", cache=cache)
    assert set(features_by_code(offline.layer)) == {"QN09301M", "QN09302N"}
    assert any("cached copy of" in m for m in offline.messages)
    assert any("cached copy of" in n for n in offline.provenance.notes)
    assert offline.provenance.source_date.startswith("2025-02-06")


def test_pick_resource_by_pattern_format_and_date():
    payload = {
        "resources": [
            {
                "title": "liste-pvd-com2024.csv",
                "format": "csv",
                "url": "u1",
                "last_modified": "2024-01-01",
            },
            {
                "title": "liste-pvd-com2025.csv",
                "format": "csv",
                "url": "u2",
                "last_modified": "2026-04-27",
            },
            {
                "title": "liste-pvd-com2025.xlsx",
                "format": "xlsx",
                "url": "u3",
                "last_modified": "2026-05-01",
            },
            {
                "title": "liste-pvd-2025.csv",
                "format": "csv",
                "url": "u4",
                "last_modified": "2026-06-01",
            },
        ]
    }
    assert pick_resource(payload, "(?i)liste-pvd-com", ["csv"])["url"] == "u2"
    assert pick_resource(payload, "(?i)nothing", ["csv"]) is None
    assert pick_resource({}, "x", []) is None


def test_corrupt_local_zip_and_html_file(tmp_path):
    bad = tmp_path / "qpv.zip"
    bad.write_bytes(qpv_zip()[:200])
    with pytest.raises(DataError, match="corrupt"):
        load_geography("qpv2024", "93", source=str(bad))
    html = tmp_path / "qpv.geojson"
    html.write_text("<!DOCTYPE html><html><body>Maintenance</body></html>")
    with pytest.raises(DataError, match="HTML page"):
        load_geography("qpv2024", "93", source=str(html))


def test_qpv2015_zip_of_shapefiles_in_several_crs(tmp_path):
    """The 2015 archive layout: one shapefile per territory, each in its own CRS, upper-case
    fields; merged, département taken from the code, reprojected per territory."""
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorFileWriter, QgsVectorLayer

    def shapefile(name, crs, rows):
        mem = QgsVectorLayer(
            f"MultiPolygon?crs={crs}&field=CODE_QP:string(8)&field=NOM_QP:string(80)"
            "&field=COMMUNE_QP:string(80)",
            name,
            "memory",
        )
        feats = []
        for code, nom, commune, (x, y) in rows:
            feat = QgsFeature(mem.fields())
            feat.setAttributes([code, nom, commune])
            feat.setGeometry(
                QgsGeometry.fromWkt(
                    f"MULTIPOLYGON((({x} {y},{x + 300} {y},{x + 300} {y + 300},{x} {y + 300},{x} {y})))"
                )
            )
            feats.append(feat)
        mem.dataProvider().addFeatures(feats)
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "ESRI Shapefile"
        options.fileEncoding = "UTF-8"
        path = tmp_path / f"{name}.shp"
        QgsVectorFileWriter.writeAsVectorFormatV3(mem, str(path), mem.transformContext(), options)
        return path

    shapefile(
        "QP_METROPOLE_LB93",
        "EPSG:2154",
        [
            ("QP031001", "Quartier fictif Toulouse (test)", "Toulouse", (574000, 6279000)),
            ("QP093001", "Quartier fictif Saint-Denis (test)", "Saint-Denis", (652000, 6867000)),
        ],
    )
    shapefile(
        "QP_GUADELOUPE_UTM20N",
        "EPSG:5490",
        [("QP971001", "Quartier fictif Abymes (test)", "Les Abymes", (655000, 1800000))],
    )
    archive = tmp_path / "qp-politiquedelaville-shp.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in tmp_path.iterdir():
            if path.stem.startswith("QP_") and path.suffix != ".zip":
                out.write(path, f"qp-politiquedelaville-shp/{path.name}")
    everything = load_geography("qpv2015", None, source=str(archive))
    assert set(features_by_code(everything.layer)) == {"QP031001", "QP093001", "QP971001"}
    guadeloupe = load_geography("qpv2015", "971", source=str(archive))
    (feat,) = list(guadeloupe.layer.getFeatures())
    assert feat["code"] == "QP971001" and feat["insee_dep"] == "971"
    assert guadeloupe.crs == "EPSG:5490"
    centre = feat.geometry().centroid().asPoint()
    assert abs(centre.x() - 655150) < 1 and abs(centre.y() - 1800150) < 1  # round trip exact
    toulouse = load_geography("qpv2015", "31", source=str(archive))
    (feat,) = list(toulouse.layer.getFeatures())
    assert feat["nom"] == "Quartier fictif Toulouse (test)" and feat["COMMUNE_QP"] == "Toulouse"
