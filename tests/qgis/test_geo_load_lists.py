"""load_geography on lists and points: France Services CSV, commune lists (ACV, Territoires
d'industrie, FRR) joined to the paged Géoplateforme WFS outlines, EPCI from the WFS, point
layers with or without coordinate columns."""

import pytest

from cget_plugin.core.errors import InputError
from cget_plugin.core.geographies import check_latlon, load_geography
from cget_plugin.core.territory import load_reference
from tests.helpers.geo_sources import (
    DATA,
    alt_catalog,
    features_by_code,
    replay_wfs,
    synthetic_communes,
)
from tests.replay.httpserver import serve
from tests.replay.wfs import WfsGetFeature

pytestmark = pytest.mark.usefixtures("fast_geo_sources")


def test_france_services_csv_bom_semicolons_excel_codes_and_coordinates():
    result = load_geography(
        "france_services", None, source=str(DATA / "france_services_fixture.csv")
    )
    layer = result.layer
    feats = features_by_code(layer)
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
    bourg = features_by_code(load_geography("france_services", "200071751", source=csv).layer)
    assert set(bourg) == {"FS-T02"}  # ="01053" matched after cleaning
    ain = features_by_code(load_geography("france_services", "01", source=csv).layer)
    assert set(ain) == {"FS-T02", "FS-T03"}  # 1004 -> 01004 (lost leading zero)
    idf = features_by_code(load_geography("france_services", "reg:11", source=csv).layer)
    assert set(idf) == {"FS-T01", "FS-T04", "FS-T05", "FS-T07"}
    paris = features_by_code(load_geography("france_services", "75119", source=csv).layer)
    assert set(paris) == {"FS-T07"}


def test_latlon_checks():
    assert check_latlon(48.9, 2.35) == "ok"
    assert check_latlon(2.35, 48.9) == "swapped"
    assert check_latlon(16.27, -61.5) == "ok"  # Guadeloupe
    assert check_latlon(-61.5, 16.27) == "swapped"
    assert check_latlon(-21.1, 55.5) == "ok"  # La Réunion
    assert check_latlon(0.0, 0.0) == "outside"


def test_acv_list_joined_to_paged_wfs_communes(httpserver, tmp_path, monkeypatch):
    alt_catalog(tmp_path, monkeypatch, httpserver, page_size=50)
    replay = replay_wfs(synthetic_communes(["93", "01"]))
    serve(httpserver, "/wfs", replay)
    result = load_geography("acv", None, source=str(DATA / "acv_fixture.csv"))
    feats = features_by_code(result.layer)
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
    alt_catalog(tmp_path, monkeypatch, httpserver, page_size=50)
    replay = replay_wfs(synthetic_communes(["93", "01"]))
    serve(httpserver, "/wfs", replay)
    result = load_geography("acv", "93", source=str(DATA / "acv_fixture.csv"))
    assert set(features_by_code(result.layer)) == {"ACV-T01", "ACV-T02"}
    assert all("'93'" in r["CQL_FILTER"] and "'01'" not in r["CQL_FILTER"] for r in replay.calls)


def test_wfs_with_old_v3_field_names(httpserver, tmp_path, monkeypatch):
    alt_catalog(tmp_path, monkeypatch, httpserver, page_size=1000)
    replay = replay_wfs(synthetic_communes(["48"]), v3=True)
    serve(httpserver, "/wfs", replay)
    result = load_geography("communes", "48")
    layer = result.layer
    assert layer.featureCount() == 152
    feats = features_by_code(layer)
    assert feats["48095"]["nom"] == "Mende" and feats["48095"]["insee_dep"] == "48"
    assert [r["CQL_FILTER"].split(" ")[0] for r in replay.calls] == [
        "code_insee_du_departement",
        "insee_dep",
    ]


def test_territoires_industrie_groupements_dissolved(httpserver, tmp_path, monkeypatch):
    alt_catalog(tmp_path, monkeypatch, httpserver, page_size=500)
    serve(httpserver, "/wfs", replay_wfs(synthetic_communes(["93", "01"])))
    result = load_geography("territoires_industrie", None, source=str(DATA / "ti_fixture.csv"))
    feats = features_by_code(result.layer)
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
    only_93 = features_by_code(
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
    alt_catalog(tmp_path, monkeypatch, httpserver, page_size=1000)
    serve(httpserver, "/wfs", replay_wfs(synthetic_communes(["48", "01", "93"])))
    result = load_geography("frr", None, source=str(xlsx))
    feats = features_by_code(result.layer)
    assert set(feats) == {"48095", "48061", "01004"}  # "Non classée" left out
    assert feats["48061"]["classe"] == "FRR+" and feats["48095"]["nom"] == "Mende"
    lozere = features_by_code(load_geography("frr", "48", source=str(xlsx)).layer)
    assert set(lozere) == {"48095", "48061"}


def test_epci_from_the_wfs_with_list_valued_fields(httpserver, tmp_path, monkeypatch):
    alt_catalog(tmp_path, monkeypatch, httpserver)
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
    alt_catalog(tmp_path, monkeypatch, httpserver, page_size=1000)
    httpserver.expect_request("/pinned/frr/0").respond_with_data("", status=404)
    httpserver.expect_request("/pinned/frr/1").respond_with_data(body, content_type="text/csv")
    serve(httpserver, "/wfs", replay_wfs(synthetic_communes(["48", "01", "93"])))
    result = load_geography("frr", None)
    feats = features_by_code(result.layer)
    assert set(feats) == {"48095", "48061", "01004"}
    assert feats["48061"]["classe"] == "2" and feats["48061"]["nom"] == "Florac Trois Rivières"
    assert result.provenance.url.endswith("/pinned/frr/1")


def test_wfs_server_capping_the_page_size_is_still_read_whole(httpserver, tmp_path, monkeypatch):
    alt_catalog(tmp_path, monkeypatch, httpserver, page_size=5000)
    replay = replay_wfs(synthetic_communes(["01"]), cap=100)
    serve(httpserver, "/wfs", replay)
    result = load_geography("communes", "01")
    ref = load_reference()
    assert result.layer.featureCount() == len(ref.communes_of_departement("01")) > 300
    assert [int(r["STARTINDEX"]) for r in replay.calls][:3] == [0, 100, 200]
    from qgis.PyQt.QtCore import QVariant

    population = result.layer.fields().field("population")
    assert population.type() in (QVariant.Int, QVariant.LongLong)  # kept numeric across pages
    feats = features_by_code(result.layer)
    assert feats["01053"]["population"] == ref.communes["01053"][1]


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
    feats = features_by_code(result.layer)
    assert set(feats) == {"A"} and feats["A"].hasGeometry()
    assert result.layer.crs().authid() == "EPSG:2154"


def test_wrong_geometry_type_is_named(tmp_path):
    gpkg = _points_gpkg(tmp_path / "pts.gpkg", [("A", "x", "93066", 2.357, 48.936)])
    with pytest.raises(InputError, match="holds Point.*made of Polygon"):
        load_geography("qpv2024", "93", source=str(gpkg))
