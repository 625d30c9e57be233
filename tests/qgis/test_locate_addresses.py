"""cget:locateaddresses through processing.run: points, geocoded tables, zones, bad inputs."""

import sys
import types
from pathlib import Path

import pytest
from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingException,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant

from cget_plugin.core import provenance as prov_mod
from tests.helpers.locate_fixtures import (  # noqa: F401 - the geocoder fixture
    KNOWN,
    geocoder_fixture,
    serve_batch_geocoder,
)
from tests.helpers.shared_data import real_layer
from tests.replay.answers import maintenance_page
from tests.replay.geocoder import (
    BatchGeocoder,
    KnownAddresses,
    geocoder_server_error,
    geocoder_too_many_requests,
)
from tests.replay.httpserver import serve

DATA = Path(__file__).resolve().parents[1] / "data" / "locate"
CSV = DATA / "beneficiaires_bom_semicolon.csv"


def _zones():
    """Two QPV-like squares: one around the Saint-Denis address, one 1 km east of it."""
    layer = QgsVectorLayer(
        "Polygon?crs=EPSG:4326&field=code:string&field=nom:string", "QPV test", "memory"
    )
    feats = []
    for code, name, (x, y) in (
        ("QN09312M", "Centre-ville Basilique", (2.3574, 48.9362)),
        ("QN09313N", "Franc-Moisin", (2.3774, 48.9362)),
    ):
        f = QgsFeature(layer.fields())
        f.setAttributes([code, name])
        f.setGeometry(
            QgsGeometry.fromRect(
                QgsGeometry.fromPointXY(QgsPointXY(x, y)).buffer(0.002, 4).boundingBox()
            )
        )
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    return layer


def _csv_layer(path=CSV):
    layer = QgsVectorLayer(str(path), "beneficiaires", "ogr")
    assert layer.isValid()
    return layer


def _locate(run_alg, url, feedback=None, territory=None):
    """cget:locateaddresses on the beneficiaries table (address and town columns) with the
    geocoder at ``url``, against the two test zones or, given a ``territory``, the QPV 2024 of
    that territory (GEOGRAPHY): the output layer."""
    params = {
        "INPUT": _csv_layer(),
        "ADDRESS_FIELD": ["adresse", "ville"],
        "GEOCODER_URL": url,
        "OUTPUT": "memory:",
    }
    if territory is None:
        params["ZONES"] = _zones()
    else:
        params.update(GEOGRAPHY="qpv2024", TERRITORY=territory)
    return run_alg("cget:locateaddresses", params, feedback=feedback)["OUTPUT"]


def _fake_load_geography(monkeypatch, load_geography):
    """cget_plugin.core.geographies replaced by a module whose load_geography is the given one."""
    import cget_plugin.core as core_pkg

    fake = types.ModuleType("cget_plugin.core.geographies")
    fake.load_geography = load_geography
    monkeypatch.setitem(sys.modules, "cget_plugin.core.geographies", fake)
    monkeypatch.setattr(core_pkg, "geographies", fake, raising=False)


def _null(value):
    """NULL attribute (None, or a null QVariant on QGIS 3.22)."""
    return value is None or (isinstance(value, QVariant) and value.isNull())


def _by(layer, field):
    return {f[field]: f for f in layer.getFeatures()}


def test_table_with_bom_and_semicolons_is_geocoded_and_located(run_alg, geocoder):
    table = _csv_layer()
    assert "adresse" in table.fields().names()
    result = run_alg(
        "cget:locateaddresses",
        {
            "INPUT": table,
            "ADDRESS_FIELD": ["adresse", "ville"],
            "CITYCODE_FIELD": "code_insee",
            "ZONES": _zones(),
            "GEOCODER_URL": geocoder.url,
            "OUTPUT": "memory:",
        },
    )
    out = result["OUTPUT"]
    assert out.featureCount() == 5  # every row kept
    assert out.crs().authid() == "EPSG:4326"
    rows = _by(out, "id")
    sd = rows["1"]
    assert sd["in_zone"] is True and sd["zone_code"] == "QN09312M"
    assert sd["zone_nom"] == "Centre-ville Basilique" and sd["distance_m"] == 0
    assert sd["lien_sig_ville"] == "https://sig.ville.gouv.fr/territoire/QN09312M"
    assert sd["geocode_status"] == "ok" and sd["geocode_score"] == pytest.approx(0.91)
    assert sd["nom"] == "Association Ensemble"  # input attributes kept
    paris = rows["2"]
    assert paris["in_zone"] is False and paris["distance_m"] > 9000
    assert paris["geocode_insee"] == "75056"  # arrondissement mapped to the commune
    lyon = rows["3"]
    assert lyon["geocode_status"] == "score faible" and _null(lyon["in_zone"])
    assert not lyon.geometry().isNull()  # the doubtful position is kept to be checked
    assert rows["4"]["geocode_status"] == "non trouvé" and rows["4"].geometry().isNull()
    assert rows["5"]["geocode_status"] == "adresse vide" and _null(rows["5"]["in_zone"])
    assert geocoder.calls[0]["citycode"] == "cget_citycode" and geocoder.calls[0]["rows"] == 4
    prov = prov_mod.read_from_layer(out)
    assert prov is not None and any("Base Adresse Nationale" in c for c in prov.credits())


def test_delimited_text_layer_and_min_score(run_alg, geocoder):
    uri = f"file://{CSV}?delimiter=;&geomType=none"
    table = QgsVectorLayer(uri, "delimited", "delimitedtext")
    assert table.isValid()
    out = run_alg(
        "cget:locateaddresses",
        {
            "INPUT": table,
            "ADDRESS_FIELD": "adresse;ville".split(";"),
            "ZONES": _zones(),
            "MIN_SCORE": 0.4,
            "GEOCODER_URL": geocoder.url,
            "OUTPUT": "memory:",
        },
    )["OUTPUT"]
    lyon = [f for f in out.getFeatures() if f["nom"] == "Maison des projets"][0]
    assert lyon["geocode_status"] == "ok" and lyon["in_zone"] is False


def test_points_input_against_real_qpv(run_alg):
    services = real_layer("services/france_services_2024-08-01.gpkg", "france_services")
    qpv = real_layer("qpv/qpv2015_metropole_lyon.gpkg", "qpv2015")
    services.setSubsetString("insee_dep = '69'")
    out = run_alg("cget:locateaddresses", {"INPUT": services, "ZONES": qpv, "OUTPUT": "memory:"})[
        "OUTPUT"
    ]
    assert out.featureCount() == services.featureCount() == 34
    assert out.crs() == services.crs()
    zones = [f.geometry() for f in qpv.getFeatures()]
    for f in out.getFeatures():
        expected = any(z.intersects(f.geometry()) for z in zones)
        assert f["in_zone"] is expected
        assert _null(f["geocode_status"]) and _null(f["geocode_score"])
        if not expected:
            assert f["distance_m"] > 0
    assert sum(1 for f in out.getFeatures() if f["in_zone"]) >= 1


def test_missing_address_column_names_it_and_lists_fields(run_alg, geocoder):
    with pytest.raises(QgsProcessingException) as err:
        run_alg(
            "cget:locateaddresses",
            {
                "INPUT": _csv_layer(),
                "ADDRESS_FIELD": ["adresse_postale"],
                "ZONES": _zones(),
                "GEOCODER_URL": geocoder.url,
                "OUTPUT": "memory:",
            },
        )
    text = str(err.value)
    assert "adresse_postale" in text and "ville" in text and "code_insee" in text
    assert not geocoder.calls


def test_table_without_address_field(run_alg):
    with pytest.raises(QgsProcessingException, match="ADDRESS_FIELD"):
        run_alg(
            "cget:locateaddresses", {"INPUT": _csv_layer(), "ZONES": _zones(), "OUTPUT": "memory:"}
        )


def test_empty_table(run_alg, tmp_path):
    path = tmp_path / "vide.csv"
    path.write_text("id;adresse\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="no rows"):
        run_alg(
            "cget:locateaddresses",
            {
                "INPUT": _csv_layer(path),
                "ADDRESS_FIELD": ["adresse"],
                "ZONES": _zones(),
                "OUTPUT": "memory:",
            },
        )


def test_zones_not_polygons(run_alg, geocoder):
    points = QgsVectorLayer("Point?crs=EPSG:4326&field=code:string", "points", "memory")
    f = QgsFeature(points.fields())
    f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(2.35, 48.93)))
    points.dataProvider().addFeatures([f])
    with pytest.raises(QgsProcessingException) as err:
        run_alg(
            "cget:locateaddresses",
            {
                "INPUT": _csv_layer(),
                "ADDRESS_FIELD": ["adresse"],
                "ZONES": points,
                "GEOCODER_URL": geocoder.url,
                "OUTPUT": "memory:",
            },
        )
    assert "ZONES" in str(err.value) and "not polygons" in str(err.value)
    assert not geocoder.calls  # refused before spending a geocoding run


def test_polygon_input_refused(run_alg):
    with pytest.raises(QgsProcessingException, match="points"):
        run_alg("cget:locateaddresses", {"INPUT": _zones(), "ZONES": _zones(), "OUTPUT": "memory:"})


@pytest.mark.parametrize(
    "answer, expected",
    [
        (geocoder_server_error(**{"Retry-After": "0"}), "HTTP 500"),
        (maintenance_page().with_headers(**{"Retry-After": "0"}), "HTML"),
    ],
)
def test_geocoder_errors_are_clear(run_alg, httpserver, answer, expected):
    serve(httpserver, "/geocodage/search/csv", answer, method="POST")
    with pytest.raises(QgsProcessingException, match=expected):
        _locate(run_alg, httpserver.url_for("/geocodage"))


def test_geocoder_429_then_answer(run_alg, httpserver):
    serve(
        httpserver, "/geocodage/search/csv", geocoder_too_many_requests("0"), "POST", ordered=True
    )
    replay = serve_batch_geocoder(httpserver, ordered=True)
    out = _locate(run_alg, httpserver.url_for("/geocodage"))
    assert _by(out, "id")["1"]["in_zone"] is True and len(replay.calls) == 1


def test_truncated_geocoder_answer_keeps_rows_flagged(run_alg, httpserver):
    serve_batch_geocoder(httpserver, truncate_after=420)
    out = _locate(run_alg, httpserver.url_for("/geocodage"))
    statuses = [f["geocode_status"] for f in out.getFeatures()]
    assert out.featureCount() == 5
    assert "erreur" in statuses and "ok" in statuses


def test_geography_parameter_uses_load_geography(run_alg, monkeypatch, geocoder):
    calls = []

    def load_geography(
        geography_id, territory=None, source=None, feedback=None, transform_context=None
    ):
        calls.append((geography_id, territory))
        prov = prov_mod.Provenance(
            producer="ANCT", dataset="QPV", vintage="2024", licence="etalab-2.0"
        )
        return types.SimpleNamespace(
            layer=_zones(), provenance=prov, messages=["copie en cache"], crs=None
        )

    _fake_load_geography(monkeypatch, load_geography)
    out = _locate(run_alg, geocoder.url, territory="93")
    assert calls == [("qpv2024", "93")]
    assert _by(out, "id")["1"]["zone_code"] == "QN09312M"
    assert prov_mod.read_from_layer(out).producer == "ANCT"


def test_territory_without_zones_answers_outside(run_alg, monkeypatch, geocoder):
    empty = QgsVectorLayer(
        "Polygon?crs=EPSG:2154&field=code:string&field=nom:string", "vide", "memory"
    )

    def load_geography(
        geography_id, territory=None, source=None, feedback=None, transform_context=None
    ):
        return types.SimpleNamespace(layer=empty, provenance=None, messages=[], crs=None)

    _fake_load_geography(monkeypatch, load_geography)
    out = _locate(run_alg, geocoder.url, territory="48")
    rows = _by(out, "id")
    assert rows["1"]["in_zone"] is False and _null(rows["1"]["distance_m"])
    assert _null(rows["4"]["in_zone"])  # not geocoded: still unknown


def test_script_call_with_single_field_string_and_catalogue_override(run_alg, httpserver):
    """As from a script: ADDRESS_FIELD as one string, zones from the catalogue entry qpv2024
    pointed (settings) to a local file in the official 2024 schema (fictitious polygons)."""
    from qgis.core import QgsSettings

    known = dict(KNOWN)
    known["1 place de la Mairie"] = dict(KNOWN["1 place de la Mairie 93200 Saint-Denis"])
    geocoder = serve_batch_geocoder(httpserver, known)
    sample = DATA / "qpv2024_fictifs_93.geojson"
    settings = QgsSettings()
    settings.setValue("cget/sources/qpv2024", str(sample))
    try:
        out = run_alg(
            "cget:locateaddresses",
            {
                "INPUT": _csv_layer(),
                "ADDRESS_FIELD": "adresse",
                "CITYCODE_FIELD": "code_insee",
                "GEOGRAPHY": "qpv2024",
                "TERRITORY": "93",
                "GEOCODER_URL": geocoder.url,
                "OUTPUT": "memory:",
            },
        )["OUTPUT"]
    finally:
        settings.remove("cget/sources/qpv2024")
    assert geocoder.calls[0]["columns"] == ["adresse_1"]
    assert out.featureCount() == 5
    row = _by(out, "id")["1"]
    assert row["in_zone"] is True and row["zone_code"] == "QN09390N"
    assert row["zone_nom"] == "Quartier fictif A (test)"
    prov = prov_mod.read_from_layer(out)
    assert prov.producer == "ANCT" and "2024" in prov.vintage


def test_points_with_empty_geometry_are_kept_unknown(run_alg):
    layer = QgsVectorLayer("Point?crs=EPSG:2154&field=nom:string", "sites", "memory")
    feats = []
    for name, geom in (
        ("dedans", QgsGeometry.fromPointXY(QgsPointXY(652000, 6868000))),
        ("sans point", QgsGeometry()),
    ):
        f = QgsFeature(layer.fields())
        f.setAttributes([name])
        f.setGeometry(geom)
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    out = run_alg("cget:locateaddresses", {"INPUT": layer, "ZONES": _zones(), "OUTPUT": "memory:"})[
        "OUTPUT"
    ]
    rows = _by(out, "nom")
    assert out.crs().authid() == "EPSG:2154"
    assert rows["dedans"]["in_zone"] is False and rows["dedans"]["distance_m"] > 0
    assert _null(rows["sans point"]["in_zone"])
    assert rows["sans point"]["geocode_status"] == "sans géométrie"


def test_output_is_styled_by_answer_and_named(run_alg, geocoder):
    out = _locate(run_alg, geocoder.url)
    renderer = out.renderer()
    assert renderer.type() == "categorizedSymbol" and renderer.classAttribute() == "in_zone"
    assert len(renderer.categories()) == 3
    from qgis.core import QgsRenderContext

    context = QgsRenderContext()
    renderer.startRender(context, out.fields())
    try:
        colours = {
            f["id"]: renderer.symbolForFeature(f, context).color().name() for f in out.getFeatures()
        }
    finally:
        renderer.stopRender(context)
    assert colours["1"] == "#000091"  # in a zone: bleu France
    assert colours["2"] == "#929292"  # outside
    assert colours["3"] == "#ff9940"  # unknown (low score)
    assert "beneficiaires" in out.name() and "QPV test" in out.name()
    assert out.fields().field("distance_m").alias()


def test_cancel_during_geocoding_stops_with_a_clear_message(run_alg, httpserver):
    from qgis.core import QgsProcessingFeedback

    feedback = QgsProcessingFeedback()
    replay = BatchGeocoder(KnownAddresses(KNOWN))

    def cancelling(request):
        feedback.cancel()  # the user presses Cancel while the service works
        return replay(request)

    serve(httpserver, "/geocodage/search/csv", cancelling, method="POST")
    with pytest.raises(QgsProcessingException, match="[Cc]ancel"):
        _locate(run_alg, httpserver.url_for("/geocodage"), feedback)
