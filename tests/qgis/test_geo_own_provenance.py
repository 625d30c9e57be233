"""A local SOURCE that carries its own provenance (the fictitious sample) keeps it: loading it
as `qpv2024` must not relabel it "ANCT – QPV 2024"."""

from pathlib import Path

from cget_plugin.core.geographies import load_geography

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "cget_sample.gpkg"


def test_sample_keeps_its_fictitious_provenance(qgis_app):
    result = load_geography("qpv2024", source=f"{SAMPLE}|layername=qpv")
    assert result.layer.featureCount() == 5
    credit = result.provenance.credit_line()
    assert "fictives" in credit, credit
    assert "ANCT" not in credit
    assert result.provenance.parameters["geography"] == "qpv2024"


def test_plain_local_file_gets_catalogue_provenance(qgis_app, tmp_path):
    geojson = tmp_path / "qpv.geojson"
    geojson.write_text(
        '{"type":"FeatureCollection","features":[{"type":"Feature","properties":'
        '{"code_qp":"QN09301M","lib_qp":"Test (fictif)","insee_dep":"93","insee_com":"93001",'
        '"lib_com":"Aubervilliers","siren_epci":"200054781"},"geometry":{"type":"Polygon",'
        '"coordinates":[[[2.38,48.91],[2.39,48.91],[2.39,48.92],[2.38,48.92],[2.38,48.91]]]}}]}',
        encoding="utf-8",
    )
    result = load_geography("qpv2024", source=str(geojson))
    assert result.provenance.producer == "ANCT"


def test_parallel_loads_of_one_geopackage_finish(qgis_app):
    """Several layers of one GeoPackage loaded at once from worker threads all finish. (The
    deadlock this guards against was seen with QgsTask threads in the desktop, 2 runs in 5; plain
    threads here did not reproduce it, so this is a guard, the desktop guide test the witness.)"""
    import threading

    results, errors = {}, []

    def load(geo, layer):
        try:
            results[geo] = load_geography(geo, source=f"{SAMPLE}|layername={layer}")
        except Exception as exc:  # any failure, reported below
            errors.append(exc)

    for _round in range(3):
        threads = [
            threading.Thread(target=load, args=args, daemon=True)
            for args in (
                ("qpv2024", "qpv"),
                ("communes", "communes"),
                ("france_services", "france_services"),
            )
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert not any(t.is_alive() for t in threads), "parallel loads hung"
    assert not errors and len(results) == 3
