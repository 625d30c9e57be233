"""Toolbar "Géographie prioritaire" headless (pytest-qgis iface and canvas): catalogue menu,
territory chooser, background loading into a territory group, address check panel."""

import time
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
)
from qgis.PyQt.QtWidgets import QApplication, QMenu, QToolBar

from cget_plugin.core import geocode as geo
from cget_plugin.core.catalog import THEMES, load_catalog
from cget_plugin.core.definitions import SETTINGS_GEOCODER_MIN_SCORE, SETTINGS_GEOCODER_URL
from tests.replay.geocoder import search_recorded
from tests.replay.httpserver import serve

DATA = Path(__file__).resolve().parents[1] / "data" / "locate"
SAMPLE_QPV = DATA / "qpv2024_fictifs_93.geojson"


@pytest.fixture
def tools(qgis_iface, cget_provider):
    from cget_plugin.gui.geography_tools import GeographyTools

    toolbar = QToolBar("Géographie prioritaire", qgis_iface.mainWindow())
    menu = QMenu("Géographie prioritaire", qgis_iface.mainWindow())
    group = GeographyTools(qgis_iface, toolbar, menu)
    yield group
    group.unload()


def _zones_layer():
    layer = QgsVectorLayer(
        "Polygon?crs=EPSG:4326&field=code:string&field=nom:string", "QPV 2024 (test)", "memory"
    )
    f = QgsFeature(layer.fields())
    f.setAttributes(["QN09390N", "Quartier fictif A (test)"])
    f.setGeometry(
        QgsGeometry.fromWkt(
            "POLYGON((2.3554 48.9342, 2.3594 48.9342, 2.3594 48.9382, 2.3554 48.9382, "
            "2.3554 48.9342))"
        )
    )
    layer.dataProvider().addFeatures([f])
    return layer


def test_catalog_menu_has_themes_in_order_and_entries(tools):
    menu = tools.catalog_menu
    submenus = [a.menu() for a in menu.actions() if a.menu() is not None]
    titles = [m.title() for m in submenus]
    catalog = load_catalog()
    expected_themes = [t for t in THEMES.keys() if any(e.theme == t for e in catalog.entries())]
    assert titles == [THEMES[t] for t in expected_themes]
    assert len(titles) == 7  # issue 11: the local engine's inputs (roads, population grid)
    loaded = {a.data() for m in submenus for a in m.actions()}
    assert loaded == {e.id for e in catalog.entries()}
    politique = submenus[0]
    assert {"qpv2024", "qpv2015"} <= {a.data() for a in politique.actions()}
    assert all(a.toolTip() for m in submenus for a in m.actions())
    names = {a.objectName() for a in tools.toolbar.actions()}
    assert {"CgetCatalogAction", "CgetTerritoryAction", "CgetAddressAction"} <= names
    assert "CgetSourcesAction" in {a.objectName() for a in tools.menu.actions()}


def test_territory_completer_by_name_and_code(qgis_iface):
    from cget_plugin.core.definitions import SETTINGS_TERRITORY
    from cget_plugin.gui.geography_territory import TerritoryEdit

    QgsSettings().remove(SETTINGS_TERRITORY)
    edit = TerritoryEdit()
    edit._update_completions("seine-saint")
    labels = edit._model.stringList()
    assert labels and labels[0].startswith("Seine-Saint-Denis (93)")
    edit._update_completions("93")
    labels = edit._model.stringList()
    assert "Seine-Saint-Denis (93) – département" in labels[0] or labels[0].startswith(
        "Seine-Saint-Denis (93)"
    )
    edit._on_activated(labels[0])
    assert edit.codes() == "93"
    assert edit.label() == "Seine-Saint-Denis (93)"
    assert "COG" in edit.toolTip()  # reference vintage shown
    again = TerritoryEdit()  # remembered choice
    assert again.codes() == "93"
    edit.set_codes("")
    assert edit.codes() == "" and edit.label()


def _wait_for(predicate, timeout=30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.02)
    return False


def test_catalog_entry_loads_in_background_into_territory_group(tools, qgis_iface):
    settings = QgsSettings()
    settings.setValue("cget/sources/qpv2024", str(SAMPLE_QPV))
    loaded = []
    tools.loader.loaded.connect(loaded.append)
    try:
        tools.territory_edit.set_codes("93")
        task = tools.load("qpv2024", "QPV 2024")
        assert task is not None
        assert _wait_for(lambda: bool(loaded) or not tools.loader.running())
    finally:
        settings.remove("cget/sources/qpv2024")
    assert loaded, qgis_iface.messageBar().get_messages(2)
    layer = loaded[0]
    assert layer.featureCount() == 2  # the Rhône QPV of the file is filtered out
    group = QgsProject.instance().layerTreeRoot().findGroup("Seine-Saint-Denis (93)")
    assert group is not None and group.findLayer(layer.id()) is not None
    messages = qgis_iface.messageBar().get_messages(3)  # Qgis.Success
    assert any("2" in m and "Seine-Saint-Denis (93)" in m for m in messages)
    QgsProject.instance().removeMapLayer(layer.id())
    QgsProject.instance().layerTreeRoot().removeChildNode(group)


def test_unknown_territory_is_reported(tools, qgis_iface):
    tools.territory_edit.set_codes("999")
    assert tools.load("qpv2024", "QPV 2024") is None
    assert any("999" in m for m in qgis_iface.messageBar().get_messages(1))
    tools.territory_edit.set_codes("")


def test_address_dialog_answers_from_loopback_geocoder(qgis_iface, httpserver, artifacts_dir):
    from cget_plugin.gui.geography_address import AddressCheckDialog

    body = search_recorded("search_segur.json").body.decode("utf-8")
    body = body.replace("2.309563,48.850374", "2.3574,48.9362").replace(
        "20 Avenue de Ségur 75007 Paris", "1 Place de la Mairie 93200 Saint-Denis"
    )
    httpserver.expect_request("/geocodage/search").respond_with_data(
        body.encode("utf-8"), content_type="application/json"
    )
    zones = _zones_layer()
    QgsProject.instance().addMapLayer(zones)
    dialog = AddressCheckDialog(qgis_iface, geocoder_url=httpserver.url_for("/geocodage"))
    try:
        dialog.set_zones_layer(zones)
        dialog.address.setText("1 place de la mairie saint-denis")
        run = dialog.search()
        assert not run.ended, "geocoding runs in the background"
        assert _wait_for(lambda: run.ended)
        location = dialog.last_location
        assert location is not None and location.in_zone is True
        text = dialog.answer.text()
        assert "QN09390N" in text and "https://sig.ville.gouv.fr/territoire/QN09390N" in text
        assert dialog.candidates.count() == 2
        dialog.resize(520, 300)
        dialog.show()
        QApplication.processEvents()
        dialog.grab().save(str(artifacts_dir / "geography_address_panel.png"))
        # second candidate (street, elsewhere): outside, with the distance to the QPV
        dialog.candidates.setCurrentRow(1)
        assert dialog.last_location.in_zone is False
        assert dialog.last_location.distance_m > 1000
        assert "QN09390N" in dialog.answer.text()
        # a click on the map (canvas CRS)
        inside = dialog.check_map_point(QgsPointXY(2.3570, 48.9360), "EPSG:4326")
        assert inside.in_zone is True
    finally:
        dialog.close()
        QgsProject.instance().removeMapLayer(zones.id())


def test_address_dialog_low_score_and_no_zones(qgis_iface, httpserver):
    from cget_plugin.gui.geography_address import AddressCheckDialog

    serve(httpserver, "/geocodage/search", search_recorded("search_empty.json"))
    dialog = AddressCheckDialog(qgis_iface, geocoder_url=httpserver.url_for("/geocodage"))
    try:
        dialog.address.setText("xqzwv plop")
        run = dialog.search()
        assert _wait_for(lambda: run.ended)
        assert run.ok and dialog.last_location is None
        assert "not found" in dialog.answer.text() or "trouvée" in dialog.answer.text()
        low = geo.GeocodeResult(
            status=geo.STATUS_LOW_SCORE, label="Rue X", score=0.3, lon=2.35, lat=48.93
        )
        assert dialog.check_geocoded(low) is None
        assert "score" in dialog.answer.text()
    finally:
        dialog.close()


def test_menu_screenshot(tools, artifacts_dir):
    menu = tools.catalog_menu
    menu.popup(tools.toolbar.mapToGlobal(tools.toolbar.rect().bottomLeft()))
    QApplication.processEvents()
    sub = [a.menu() for a in menu.actions() if a.menu() is not None][0]
    menu.setActiveAction(sub.menuAction())
    sub.popup(menu.mapToGlobal(menu.actionGeometry(sub.menuAction()).topRight()))
    QApplication.processEvents()
    menu.grab().save(str(artifacts_dir / "geography_menu.png"))
    sub.grab().save(str(artifacts_dir / "geography_menu_politique_ville.png"))
    assert (artifacts_dir / "geography_menu.png").stat().st_size > 0
    sub.hide()
    menu.hide()
    assert QgsApplication.taskManager() is not None


def test_sources_dialog_saves_overrides(qgis_iface):
    from cget_plugin.gui.settings_sources import SourcesDialog

    settings = QgsSettings()
    dialog = SourcesDialog()
    try:
        assert "qpv2024" in dialog.source_widgets
        dialog.source_widgets["qpv2024"].setFilePath(str(SAMPLE_QPV))
        dialog.geocoder_url.setText("http://localhost:9/geocodage")
        dialog.min_score.setValue(0.6)
        dialog.save()
        assert settings.value("cget/sources/qpv2024") == str(SAMPLE_QPV)
        assert load_catalog().get("qpv2024").override == str(SAMPLE_QPV)
        assert geo.base_url() == "http://localhost:9/geocodage"
        assert geo.min_score_setting() == pytest.approx(0.6)
        dialog.source_widgets["qpv2024"].setFilePath("")
        dialog.geocoder_url.setText("")
        dialog.min_score.setValue(0.5)
        dialog.save()
        assert not settings.value("cget/sources/qpv2024", "")
        assert geo.base_url() == geo.DEFAULT_URL
    finally:
        settings.remove("cget/sources/qpv2024")
        settings.remove(SETTINGS_GEOCODER_URL)
        settings.remove(SETTINGS_GEOCODER_MIN_SCORE)


def test_address_panel_loads_qpv_for_the_territory(tools):
    settings = QgsSettings()
    settings.setValue("cget/sources/qpv2024", str(SAMPLE_QPV))
    loaded = []
    tools.loader.loaded.connect(loaded.append)
    try:
        tools.territory_edit.set_codes("93")
        dialog = tools.open_address_dialog()
        assert dialog.load_button.isVisibleTo(dialog)
        dialog.load_button.click()
        assert _wait_for(lambda: bool(loaded) or not tools.loader.running())
    finally:
        settings.remove("cget/sources/qpv2024")
    assert loaded
    layer = loaded[0]
    assert dialog.zones.currentLayer() is layer
    assert dialog.check_map_point(QgsPointXY(2.3574, 48.9362), "EPSG:4326").zone_code == (
        "QN09390N"
    )
    group = QgsProject.instance().layerTreeRoot().findGroup("Seine-Saint-Denis (93)")
    QgsProject.instance().removeMapLayer(layer.id())
    QgsProject.instance().layerTreeRoot().removeChildNode(group)
    tools.territory_edit.set_codes("")
