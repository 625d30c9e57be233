"""The "Adresse en QPV ?" panel against the loopback replay server: an address of the replay
geocoder inside a (synthetic) QPV 2024 of the 93 gets the answer "inside" with its code, and
the whole answer, down to the SIG Ville link, is visible (the panel grows to fit it)."""

import json
import time

import pytest
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtWidgets import QApplication


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    from tests.replay.server import start_server

    server = start_server(catalog_out=tmp_path_factory.mktemp("replay_addr") / "catalog.json")
    yield server
    server.stop()


def _inside_address(data):
    from osgeo import ogr

    polygons = [
        (f["properties"]["code_qp"], ogr.CreateGeometryFromJson(json.dumps(f["geometry"])))
        for f in data.qpv_features
    ]
    for entry in sorted(data.addresses, key=lambda e: e["label"]):
        point = ogr.Geometry(ogr.wkbPoint)
        point.AddPoint_2D(entry["lon"], entry["lat"])
        for code, poly in polygons:
            if poly.Contains(point):
                return entry["label"], code
    pytest.skip("no replay address inside a QPV")


def test_answer_inside_and_fully_visible(replay, run_alg, monkeypatch, tmp_path):
    monkeypatch.setenv("CGET_CATALOG", str(replay.catalog_path))
    monkeypatch.setenv("CGET_CACHE_DIR", str(tmp_path / "cache"))
    from cget_plugin.gui.geography_address import AddressCheckDialog

    result = run_alg(
        "cget:loadgeography",
        {"GEOGRAPHY": "qpv2024", "TERRITORY": "93", "OUTPUT": "TEMPORARY_OUTPUT"},
    )
    layer = result["OUTPUT"]
    if isinstance(layer, str):
        layer = QgsVectorLayer(layer, "qpv", "ogr")
    QgsProject.instance().addMapLayer(layer)  # the zones box lists the project's layers
    label, code = _inside_address(replay.services.data)
    dialog = AddressCheckDialog(None, geocoder_url=replay.url + "/data.geopf.fr/geocodage")
    dialog.set_zones_layer(layer)
    dialog.show()
    QApplication.processEvents()
    dialog.address.setText(label)
    run = dialog.search()  # geocoding runs as a background task
    deadline = time.monotonic() + 30
    while not run.ended and time.monotonic() < deadline:
        QApplication.processEvents()
    for _ in range(10):
        QApplication.processEvents()
    location = dialog.last_location
    assert location is not None, dialog.answer.text()
    assert location.in_zone is True and location.zone_code == code
    answer = dialog.answer
    assert code in answer.text() and "sig.ville.gouv.fr" in answer.text()
    assert answer.height() >= answer.heightForWidth(answer.width()), (
        answer.height(),
        answer.heightForWidth(answer.width()),
    )
    dialog.close()
    QgsProject.instance().removeMapLayer(layer.id())
