"""load_geography / cget:loadgeography against replayed sources (data.gouv dataset API, ZIP with
GeoJSON, CSV lists, paged Géoplateforme WFS) and the fixtures of tests/data/geo."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from cget_plugin.core import cache as cache_mod
from cget_plugin.core import catalog as catalog_mod
from cget_plugin.core import net
from cget_plugin.core.errors import DataError, InputError, NetworkError
from cget_plugin.core.geographies import check_latlon, load_geography, pick_resource
from cget_plugin.core.provenance import read_from_layer
from cget_plugin.core.territory import load_reference
from tests.replay import datagouv
from tests.replay.answers import Answer, maintenance_page, server_error
from tests.replay.httpserver import serve
from tests.replay.wfs import WFS_MAX_COUNT, WfsGetFeature

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data" / "geo"
BUNDLED = REPO / "resources" / "catalog" / "catalog.json"
QPV_FIXTURE = DATA / "qpv2024_fixture.geojson"
DATASET = "5a561801c751df42d7fca9b6"
ZIP_MEMBER = "GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"


@pytest.fixture(autouse=True)
def _fast(monkeypatch, qgis_app):
    monkeypatch.setattr(cache_mod, "DEFAULT_BACKOFF_S", 0.01)
    monkeypatch.setattr(net, "DEFAULT_TIMEOUT_S", 5)
    monkeypatch.setattr(catalog_mod, "settings_overrides", lambda ids: {})


# -- replay server ------------------------------------------------------------------------------


def _synthetic_communes(deps):
    """Square "outlines" (1 km, Lambert-93 grid) for every commune of ``deps``, with the ADMIN
    EXPRESS v4 attribute names. Fictitious geometry, real codes."""
    ref = load_reference()
    feats = []
    for n, code in enumerate(sorted(c for d in deps for c in ref.communes_of_departement(d))):
        row = ref.communes[code]
        x0, y0 = 600000 + (n % 40) * 1000, 6800000 + (n // 40) * 1000
        ring = [[x0, y0], [x0 + 1000, y0], [x0 + 1000, y0 + 1000], [x0, y0 + 1000], [x0, y0]]
        feats.append(
            {
                "type": "Feature",
                "id": f"commune.{n}",
                "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]},
                "properties": {
                    "cleabs": f"COMMUNE_{code}",
                    "nom_officiel": row[0],
                    "code_insee": code,
                    "population": row[1],
                    "code_insee_du_departement": row[2],
                    "code_insee_de_la_region": row[3],
                    "codes_siren_des_epci": row[4],
                },
            }
        )
    return feats


def _wfs(feats, v3=False, cap=WFS_MAX_COUNT):
    """The replayed WFS on synthetic communes (Lambert-93 only); ``v3`` mimics the old field
    names; ``cap``: the server-side maximum per request, below the COUNT asked."""
    rows = []
    for f in feats:
        props = f["properties"]
        if v3:
            props = {
                "cleabs": props["cleabs"],
                "INSEE_COM": props["code_insee"],
                "NOM": props["nom_officiel"],
                "INSEE_DEP": props["code_insee_du_departement"],
                "POPULATION": props["population"],
            }
        rows.append({"props": props, "geometry": {"2154": f["geometry"]}})
    return WfsGetFeature({"ADMINEXPRESS-COG.LATEST:commune": rows}, max_count=cap)


def _dataset_api(server, resources):
    return datagouv.dataset(
        DATASET,
        "Quartiers prioritaires de la politique de la ville (QPV)",
        [
            datagouv.resource(f"res{n}", title, fmt, server.url_for(path), modified)
            for n, (title, fmt, path, modified) in enumerate(resources)
        ],
    )


def _qpv_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ZIP_MEMBER, QPV_FIXTURE.read_bytes())
        archive.writestr("SHP/readme.txt", "fixture")
    return buf.getvalue()


def _alt_catalog(tmp_path, monkeypatch, server, page_size=100, max_age_days=None):
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["datagouv_api"] = server.url_for("/api/1/datasets/")
    data["wfs"]["url"] = server.url_for("/wfs")
    data["wfs"]["page_size"] = page_size
    for entry in data["entries"]:
        entry["source"]["urls"] = [
            server.url_for(f"/pinned/{entry['id']}/{n}")
            for n, _ in enumerate(entry["source"].get("urls", []))
        ]
        if max_age_days is not None:
            entry["source"]["max_age_days"] = max_age_days
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("CGET_CATALOG", str(path))
    return data


def _features(layer):
    return {f["code"]: f for f in layer.getFeatures()}


# -- QPV 2024 ------------------------------------------------------------------------------


def test_qpv2024_from_local_fixture_filtered_on_a_departement():
    result = load_geography("qpv2024", "93", source=str(QPV_FIXTURE))
    layer = result.layer
    feats = _features(layer)
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
    aubervilliers = _features(load_geography("qpv2024", "93001", source=str(QPV_FIXTURE)).layer)
    assert set(aubervilliers) == {"QN09302N"}  # "93066, 93001": second commune of the list
    penne = _features(load_geography("qpv2024", "13070", source=str(QPV_FIXTURE)).layer)
    assert set(penne) == {"QN01301M"}  # "13055, 13070"; "130700" must not match
    marseille = _features(load_geography("qpv2024", "13", source=str(QPV_FIXTURE)).layer)
    assert set(marseille) == {"QN01301M", "QN13099N"}


def test_paris_lyon_marseille_arrondissements_match_both_ways():
    paris = _features(load_geography("qpv2024", "75056", source=str(QPV_FIXTURE)).layer)
    assert set(paris) == {"QN07501I"}  # source code 75119, asked for the commune
    arr = _features(load_geography("qpv2024", "69383", source=str(QPV_FIXTURE)).layer)
    assert set(arr) == {"QN06901M"}  # source code 69123, asked for an arrondissement
    marseille_arr = _features(load_geography("qpv2024", "13201", source=str(QPV_FIXTURE)).layer)
    assert set(marseille_arr) == {"QN01301M"}


def test_epci_region_and_several_codes_at_once():
    mgp = _features(load_geography("qpv2024", "200054781", source=str(QPV_FIXTURE)).layer)
    assert set(mgp) == {"QN09301M", "QN09302N", "QN07501I"}
    idf = _features(load_geography("qpv2024", "reg:11", source=str(QPV_FIXTURE)).layer)
    assert set(idf) == {"QN09301M", "QN09302N", "QN07501I"}
    several = _features(load_geography("qpv2024", "93066, 69123", source=str(QPV_FIXTURE)).layer)
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
    assert set(_features(result.layer)) == {"QN09301M", "QN09302N"}
    with pytest.raises(InputError, match="“absente” not found"):
        load_geography("qpv2024", "93", source=f"{gpkg}|layername=absente")


def test_qpv2024_through_the_datagouv_api_picks_the_newest_resource(
    httpserver, tmp_path, monkeypatch
):
    _alt_catalog(tmp_path, monkeypatch, httpserver)
    api = _dataset_api(
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
    assert set(_features(result.layer)) == {"QN09301M", "QN09302N"}
    prov = result.provenance
    assert prov.url.endswith("qp2024-france-hexagonale-outre-mer-wgs84-epsg4326.geojson")
    assert prov.source_date.startswith("2025-02-06T16:18:39")
    assert prov.retrieved
    paths = [req.path for req, _ in httpserver.log]
    assert "/static/old.geojson" not in paths and "/static/liste.csv" not in paths


def test_api_down_falls_back_to_the_pinned_zip(httpserver, tmp_path, monkeypatch):
    _alt_catalog(tmp_path, monkeypatch, httpserver)
    serve(httpserver, f"/api/1/datasets/{DATASET}/", server_error("down", 503))
    httpserver.expect_request("/pinned/qpv2024/0").respond_with_data("not here", status=404)
    httpserver.expect_request("/pinned/qpv2024/1").respond_with_data(
        _qpv_zip(), content_type="application/zip"
    )
    result = load_geography("qpv2024", "971")
    assert set(_features(result.layer)) == {"QN97101N"}
    assert result.provenance.url.endswith("/pinned/qpv2024/1")


def test_every_source_failing_is_one_clear_error(httpserver, tmp_path, monkeypatch):
    _alt_catalog(tmp_path, monkeypatch, httpserver)
    serve(httpserver, f"/api/1/datasets/{DATASET}/", maintenance_page())
    httpserver.expect_request("/pinned/qpv2024/0").respond_with_data("", status=404)
    serve(
        httpserver, "/pinned/qpv2024/1", Answer(200, _qpv_zip(), "application/zip").truncated(300)
    )
    with pytest.raises(NetworkError) as err:
        load_geography("qpv2024", "93")
    text = str(err.value)
    assert "No source of QPV 2024 could be read" in text
    assert "corrupt" in text and "SOURCE parameter or plugin settings" in text


def test_second_run_offline_uses_the_cache_and_says_so(tmp_path, monkeypatch):
    server = HTTPServer()
    server.start()
    try:
        _alt_catalog(tmp_path, monkeypatch, server, max_age_days=0)
        api = _dataset_api(
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
    assert set(_features(offline.layer)) == {"QN09301M", "QN09302N"}
    assert any("cached copy of" in m for m in offline.messages)
    assert any("cached copy of" in n for n in offline.provenance.notes)
    assert offline.provenance.source_date.startswith("2025-02-06")


# -- France Services (points from a CSV) --------------------------------------------------------


def test_france_services_csv_bom_semicolons_excel_codes_and_coordinates():
    result = load_geography(
        "france_services", None, source=str(DATA / "france_services_fixture.csv")
    )
    layer = result.layer
    feats = _features(layer)
    assert len(feats) == 7  # nothing dropped
    assert feats["FS-T01"]["coord_statut"] == "ok"  # decimal commas read
    assert feats["FS-T04"]["coord_statut"] == "inversees_corrigees"
    assert feats["FS-T05"]["coord_statut"] == "absentes" and not feats["FS-T05"].hasGeometry()
    assert feats["FS-T02"]["insee_dep"] == "01"
    from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject

    back = QgsCoordinateTransform(
        layer.crs(), QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
    )
    p = back.transform(feats["FS-T04"].geometry().asPoint())
    assert abs(p.y() - 48.9146) < 1e-4 and abs(p.x() - 2.3833) < 1e-4
    text = " ".join(result.messages)
    assert "swapped" in text and "FS-T04" in text
    assert "no usable coordinates" in text and "FS-T05" in text


def test_france_services_filtered_by_epci_and_region_through_the_reference():
    csv = str(DATA / "france_services_fixture.csv")
    bourg = _features(load_geography("france_services", "200071751", source=csv).layer)
    assert set(bourg) == {"FS-T02"}  # ="01053" matched after cleaning
    ain = _features(load_geography("france_services", "01", source=csv).layer)
    assert set(ain) == {"FS-T02", "FS-T03"}  # 1004 -> 01004 (lost leading zero)
    idf = _features(load_geography("france_services", "reg:11", source=csv).layer)
    assert set(idf) == {"FS-T01", "FS-T04", "FS-T05", "FS-T07"}
    paris = _features(load_geography("france_services", "75119", source=csv).layer)
    assert set(paris) == {"FS-T07"}


def test_latlon_checks():
    assert check_latlon(48.9, 2.35) == "ok"
    assert check_latlon(2.35, 48.9) == "swapped"
    assert check_latlon(16.27, -61.5) == "ok"  # Guadeloupe
    assert check_latlon(-61.5, 16.27) == "swapped"
    assert check_latlon(-21.1, 55.5) == "ok"  # La Réunion
    assert check_latlon(0.0, 0.0) == "outside"


# -- commune lists joined to the WFS outlines ---------------------------------------------------------


def test_acv_list_joined_to_paged_wfs_communes(httpserver, tmp_path, monkeypatch):
    _alt_catalog(tmp_path, monkeypatch, httpserver, page_size=50)
    replay = _wfs(_synthetic_communes(["93", "01"]))
    serve(httpserver, "/wfs", replay)
    result = load_geography("acv", None, source=str(DATA / "acv_fixture.csv"))
    feats = _features(result.layer)
    assert set(feats) == {"ACV-T01", "ACV-T02", "ACV-T03", "ACV-T04", "ACV-T05"}  # none dropped
    assert feats["ACV-T04"]["jointure"] == "commune_introuvable"
    assert not feats["ACV-T04"].hasGeometry()
    assert feats["ACV-T05"].hasGeometry() and feats["ACV-T05"]["insee_dep"] == "01"
    assert feats["ACV-T03"].hasGeometry()  # 01340 -> 01015 (commune nouvelle)
    text = " ".join(result.messages)
    assert "99999" in text and "match no commune outline" in text
    assert "01340→01015" in text
    # paged: département 01 has ~390 communes -> several pages of 50, sorted by cleabs
    starts = sorted(int(r["STARTINDEX"]) for r in replay.calls)
    assert starts[:3] == [0, 0, 50] or starts[:2] == [0, 50]
    assert max(starts) >= 350
    assert all(r["SRSNAME"] == "EPSG:2154" for r in replay.calls)
    assert any("IGN – ADMIN EXPRESS COG" in c for c in result.provenance.extra_credits)


def test_acv_filtered_on_a_territory_requests_only_its_departement(
    httpserver, tmp_path, monkeypatch
):
    _alt_catalog(tmp_path, monkeypatch, httpserver, page_size=50)
    replay = _wfs(_synthetic_communes(["93", "01"]))
    serve(httpserver, "/wfs", replay)
    result = load_geography("acv", "93", source=str(DATA / "acv_fixture.csv"))
    assert set(_features(result.layer)) == {"ACV-T01", "ACV-T02"}
    assert all("'93'" in r["CQL_FILTER"] and "'01'" not in r["CQL_FILTER"] for r in replay.calls)


def test_wfs_with_old_v3_field_names(httpserver, tmp_path, monkeypatch):
    _alt_catalog(tmp_path, monkeypatch, httpserver, page_size=1000)
    replay = _wfs(_synthetic_communes(["48"]), v3=True)
    serve(httpserver, "/wfs", replay)
    result = load_geography("communes", "48")
    layer = result.layer
    assert layer.featureCount() == 152
    feats = _features(layer)
    assert feats["48095"]["nom"] == "Mende" and feats["48095"]["insee_dep"] == "48"
    assert [r["CQL_FILTER"].split(" ")[0] for r in replay.calls] == [
        "code_insee_du_departement",
        "insee_dep",
    ]


def test_territoires_industrie_groupements_dissolved(httpserver, tmp_path, monkeypatch):
    _alt_catalog(tmp_path, monkeypatch, httpserver, page_size=500)
    serve(httpserver, "/wfs", _wfs(_synthetic_communes(["93", "01"])))
    result = load_geography("territoires_industrie", None, source=str(DATA / "ti_fixture.csv"))
    feats = _features(result.layer)
    assert set(feats) == {"TI-T01", "TI-T02", "TI-T03"}
    plaine = feats["TI-T01"]
    ref = load_reference()
    expected = len(set(ref.communes_of_epci("200057867")) | {"93048"})
    assert plaine["nb_communes"] == expected  # EPT members + Montreuil (COM by SIREN)
    assert "Plaine Commune" in plaine["groupements"] and "Montreuil" in plaine["groupements"]
    assert plaine.geometry().area() == pytest.approx(expected * 1e6, rel=1e-6)
    assert "siren_groupement" not in result.layer.fields().names()  # varies within a programme
    assert feats["TI-T02"]["nb_communes"] == len(ref.communes_of_epci("200071751"))
    assert feats["TI-T03"]["jointure"] == "incomplete" and not feats["TI-T03"].hasGeometry()
    assert any("123456789" in m for m in result.messages)
    only_93 = _features(
        load_geography("territoires_industrie", "93", source=str(DATA / "ti_fixture.csv")).layer
    )
    assert set(only_93) == {"TI-T01"}


def test_frr_spreadsheet_with_title_rows_and_classes(httpserver, tmp_path, monkeypatch):
    Workbook = pytest.importorskip("openpyxl", reason="openpyxl writes the test XLSX").Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Liste des communes classées en FRR (fichier de test)"])
    sheet.append([])
    sheet.append(
        ["Code_insee", "Departement", "Commune", "Classement FRR et FRR+ au 10 juillet 2025"]
    )
    sheet.append(["48095", "48", "Mende", "FRR socle"])
    sheet.append(["48061", "48", "Florac Trois Rivières", "FRR+"])
    sheet.append(["93066", "93", "Saint-Denis", "Non classée"])
    sheet.append([1004, "01", "Ambérieu-en-Bugey", "Classée FRR partiellement"])
    xlsx = tmp_path / "frr.xlsx"
    book.save(xlsx)
    _alt_catalog(tmp_path, monkeypatch, httpserver, page_size=1000)
    serve(httpserver, "/wfs", _wfs(_synthetic_communes(["48", "01", "93"])))
    result = load_geography("frr", None, source=str(xlsx))
    feats = _features(result.layer)
    assert set(feats) == {"48095", "48061", "01004"}  # "Non classée" left out
    assert feats["48061"]["classe"] == "FRR+" and feats["48095"]["nom"] == "Mende"
    lozere = _features(load_geography("frr", "48", source=str(xlsx)).layer)
    assert set(lozere) == {"48095", "48061"}


# -- processing ----------------------------------------------------------------------------------


def test_processing_run_from_a_script(run_alg, tmp_path):
    res = run_alg(
        "cget:loadgeography",
        {
            "GEOGRAPHY": "qpv2024",
            "TERRITORY": "93",
            "SOURCE": str(QPV_FIXTURE),
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    layer = res["OUTPUT"]
    assert res["FEATURE_COUNT"] == 2 and layer.featureCount() == 2
    assert layer.name() == "QPV 2024 – Seine-Saint-Denis (93)"
    assert layer.crs().authid() == "EPSG:2154"
    assert layer.attributeAlias(layer.fields().indexOf("lib_qp")) == "Nom du quartier"
    prov = read_from_layer(layer)
    assert prov.producer == "ANCT" and prov.vintage == "2024"
    assert prov.parameters["territory"] == "93"
    symbol = layer.renderer().symbol()
    assert symbol.symbolLayer(0).strokeColor().name() == "#000091"
    out = tmp_path / "qpv.gpkg"
    res = run_alg(
        "cget:loadgeography",
        {
            "GEOGRAPHY": "qpv2024",
            "TERRITORY": "971",
            "SOURCE": str(QPV_FIXTURE),
            "OUTPUT": str(out),
        },
    )
    from qgis.core import QgsVectorLayer

    saved = QgsVectorLayer(str(out), "saved", "ogr")
    assert saved.featureCount() == 1 and saved.crs().authid() == "EPSG:5490"


def test_processing_bad_code_message_without_traceback(run_alg):
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as err:
        run_alg(
            "cget:loadgeography",
            {
                "GEOGRAPHY": "qpv2024",
                "TERRITORY": "93, 9999X",
                "SOURCE": str(QPV_FIXTURE),
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )
    assert "9999X" in str(err.value) and "Traceback" not in str(err.value)


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
    bad.write_bytes(_qpv_zip()[:200])
    with pytest.raises(DataError, match="corrupt"):
        load_geography("qpv2024", "93", source=str(bad))
    html = tmp_path / "qpv.geojson"
    html.write_text("<!DOCTYPE html><html><body>Maintenance</body></html>")
    with pytest.raises(DataError, match="HTML page"):
        load_geography("qpv2024", "93", source=str(html))


def test_source_url_and_settings_override_to_a_mirror(httpserver, monkeypatch):
    httpserver.expect_request("/mirror/fs.csv").respond_with_data(
        (DATA / "france_services_fixture.csv").read_bytes(), content_type="text/csv"
    )
    url = httpserver.url_for("/mirror/fs.csv")
    by_param = load_geography("france_services", "93", source=url)
    assert set(_features(by_param.layer)) == {"FS-T01", "FS-T04", "FS-T05"}
    monkeypatch.setattr(catalog_mod, "settings_overrides", lambda ids: {"france_services": url})
    by_settings = load_geography("france_services", "93")
    assert set(_features(by_settings.layer)) == {"FS-T01", "FS-T04", "FS-T05"}
    assert by_settings.provenance.url == url


def test_epci_from_the_wfs_with_list_valued_fields(httpserver, tmp_path, monkeypatch):
    _alt_catalog(tmp_path, monkeypatch, httpserver)
    ring = [[650000, 6860000], [660000, 6860000], [660000, 6870000], [650000, 6860000]]
    props = {
        "cleabs": "EPCI_1",
        "code_siren": "200054781",
        "nom_officiel": "Métropole du Grand Paris",
        "nature": "Métropole",
        "codes_insee_des_departements_membres": ["75", "92", "93", "94", "91", "95"],
    }
    geometry = {"2154": {"type": "MultiPolygon", "coordinates": [[ring]]}}
    epci = {"ADMINEXPRESS-COG.LATEST:epci": [{"props": props, "geometry": geometry}]}
    replay = serve(httpserver, "/wfs", WfsGetFeature(epci))
    result = load_geography("epci", "93066")
    (feat,) = list(result.layer.getFeatures())
    assert feat["code"] == "200054781" and feat["nom"] == "Métropole du Grand Paris"
    assert feat["insee_dep"] == "75,92,93,94,91,95"
    assert replay.calls[0]["CQL_FILTER"] == "code_siren IN ('200054781')"


def _points_gpkg(path, rows):
    from qgis.core import (
        QgsFeature,
        QgsGeometry,
        QgsPointXY,
        QgsVectorFileWriter,
        QgsVectorLayer,
    )

    mem = QgsVectorLayer(
        "Point?crs=EPSG:4326&field=id_fs:string&field=lib_fs:string&field=insee_com:string",
        "fs",
        "memory",
    )
    feats = []
    for code, name, insee, lon, lat in rows:
        feat = QgsFeature(mem.fields())
        feat.setAttributes([code, name, insee])
        feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(lon, lat)))
        feats.append(feat)
    mem.dataProvider().addFeatures(feats)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = "points"
    QgsVectorFileWriter.writeAsVectorFormatV3(mem, str(path), mem.transformContext(), options)
    return path


def test_point_layer_without_coordinate_columns_uses_its_geometry(tmp_path):
    gpkg = _points_gpkg(
        tmp_path / "fs.gpkg",
        [
            ("A", "Site A (test)", "93066", 2.357, 48.936),
            ("B", "Site B (test)", "01053", 5.22, 46.2),
        ],
    )
    result = load_geography("france_services", "93", source=f"{gpkg}|layername=points")
    feats = _features(result.layer)
    assert set(feats) == {"A"} and feats["A"].hasGeometry()
    assert result.layer.crs().authid() == "EPSG:2154"


def test_wrong_geometry_type_is_named(tmp_path):
    gpkg = _points_gpkg(tmp_path / "pts.gpkg", [("A", "x", "93066", 2.357, 48.936)])
    with pytest.raises(InputError, match="holds Point.*made of Polygon"):
        load_geography("qpv2024", "93", source=str(gpkg))


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
    assert set(_features(everything.layer)) == {"QP031001", "QP093001", "QP971001"}
    guadeloupe = load_geography("qpv2015", "971", source=str(archive))
    (feat,) = list(guadeloupe.layer.getFeatures())
    assert feat["code"] == "QP971001" and feat["insee_dep"] == "971"
    assert guadeloupe.crs == "EPSG:5490"
    centre = feat.geometry().centroid().asPoint()
    assert abs(centre.x() - 655150) < 1 and abs(centre.y() - 1800150) < 1  # round trip exact
    toulouse = load_geography("qpv2015", "31", source=str(archive))
    (feat,) = list(toulouse.layer.getFeatures())
    assert feat["nom"] == "Quartier fictif Toulouse (test)" and feat["COMMUNE_QP"] == "Toulouse"


def test_loaded_into_the_project_with_name_style_aliases_provenance(cget_provider):
    """What Processing does when it loads the result into the project (dialog, toolbar):
    the algorithm's post-processor names, styles and documents the layer."""
    import processing
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProcessingOutputLayerDefinition,
        QgsProject,
    )

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    feedback = QgsProcessingFeedback()
    res = processing.run(
        "cget:loadgeography",
        {
            "GEOGRAPHY": "france_services",
            "TERRITORY": "93",
            "SOURCE": str(DATA / "france_services_fixture.csv"),
            "OUTPUT": QgsProcessingOutputLayerDefinition("TEMPORARY_OUTPUT", project),
        },
        context=context,
        feedback=feedback,
    )
    to_load = context.layersToLoadOnCompletion()
    assert len(to_load) == 1
    layer_id, details = next(iter(to_load.items()))
    # processing.run() hands the layer itself back to the script
    layer = res["OUTPUT"]
    assert layer.id() == layer_id and details.postProcessor() is not None
    details.postProcessor().postProcessLayer(layer, context, feedback)
    assert layer.name() == "France Services – Seine-Saint-Denis (93)"
    assert details.name == "France Services – Seine-Saint-Denis (93)"
    assert layer.featureCount() == 3
    assert layer.attributeAlias(layer.fields().indexOf("coord_statut")) == (
        "Contrôle des coordonnées"
    )
    assert read_from_layer(layer).dataset == "Liste des structures France Services"
    assert layer.renderer().symbol().color().name() == "#000091"


def test_frr_observatoire_csv_with_title_lines(httpserver, tmp_path, monkeypatch):
    """The Observatoire des territoires export: title lines, then codgeo;libgeo;codefrr with
    -9999 for unclassed communes, codes of Lozère that lost nothing, one that lost its zero."""
    body = (
        "Zonage France Ruralités Revitalisation\n"
        "Source : ANCT (fichier de test)\n"
        "\n"
        "codgeo;libgeo;codefrr\n"
        "48095;Mende;1\n"
        "48061;Florac Trois Rivières;2\n"
        "93066;Saint-Denis;-9999\n"
        "1004;Ambérieu-en-Bugey;1\n"
    ).encode("cp1252")
    _alt_catalog(tmp_path, monkeypatch, httpserver, page_size=1000)
    httpserver.expect_request("/pinned/frr/0").respond_with_data("", status=404)
    httpserver.expect_request("/pinned/frr/1").respond_with_data(body, content_type="text/csv")
    serve(httpserver, "/wfs", _wfs(_synthetic_communes(["48", "01", "93"])))
    result = load_geography("frr", None)
    feats = _features(result.layer)
    assert set(feats) == {"48095", "48061", "01004"}
    assert feats["48061"]["classe"] == "2" and feats["48061"]["nom"] == "Florac Trois Rivières"
    assert result.provenance.url.endswith("/pinned/frr/1")


def test_plain_qgsfeedback_and_cancel():
    from qgis.core import QgsFeedback

    from cget_plugin.core.errors import CancelledError

    feedback = QgsFeedback()
    result = load_geography("qpv2024", "93", source=str(QPV_FIXTURE), feedback=feedback)
    assert result.layer.featureCount() == 2
    feedback.cancel()
    with pytest.raises(CancelledError):
        load_geography("qpv2024", "93", source=str(QPV_FIXTURE), feedback=feedback)


def test_wfs_server_capping_the_page_size_is_still_read_whole(httpserver, tmp_path, monkeypatch):
    _alt_catalog(tmp_path, monkeypatch, httpserver, page_size=5000)
    replay = _wfs(_synthetic_communes(["01"]), cap=100)
    serve(httpserver, "/wfs", replay)
    result = load_geography("communes", "01")
    ref = load_reference()
    assert result.layer.featureCount() == len(ref.communes_of_departement("01")) > 300
    assert [int(r["STARTINDEX"]) for r in replay.calls][:3] == [0, 100, 200]
    from qgis.PyQt.QtCore import QVariant

    population = result.layer.fields().field("population")
    assert population.type() in (QVariant.Int, QVariant.LongLong)  # kept numeric across pages
    feats = _features(result.layer)
    assert feats["01053"]["population"] == ref.communes["01053"][1]


def test_a_file_read_once_is_reused_without_side_effects(tmp_path):
    copy = tmp_path / "qpv.geojson"
    copy.write_bytes(QPV_FIXTURE.read_bytes())
    first = load_geography("qpv2024", "971", source=str(copy))  # EPSG:5490
    second = load_geography("qpv2024", "971, 93", source=str(copy))  # mixed: EPSG:2154
    third = load_geography("qpv2024", "971", source=str(copy))
    a = next(first.layer.getFeatures()).geometry()
    c = next(third.layer.getFeatures()).geometry()
    assert a.equals(c) and a.isGeosValid()
    b = _features(second.layer)["QN97101N"].geometry()
    assert not b.equals(a)  # other CRS: the reused source geometry was not transformed in place
    copy.write_bytes(QPV_FIXTURE.read_bytes().replace(b"Quartier fictif E", b"Quartier modifie"))
    changed = load_geography("qpv2024", "971", source=str(copy))
    assert next(changed.layer.getFeatures())["nom"] == "Quartier modifie (test)"
