"""Issue 11 item 3, headless: on the local engine without a road network in the project, "Temps
d'accès…" and "Population couverte…" offer to load the territory's BD TOPO network and Filosofi
grid, sizes announced first, against the loopback replay server (``CGET_CATALOG``).

The expected sizes come from the replay itself (the sections of its lattice in the box it was
asked, the bytes of its national ZIP), not from the plugin.
"""

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
from qgis.PyQt.QtWidgets import QMenu, QToolBar

from cget_plugin.core.cache import Cache
from cget_plugin.core.definitions import SETTINGS_TERRITORY
from cget_plugin.gui.accessibility_inputs import InputsOffer
from cget_plugin.gui.accessibility_tools import AccessibilityTools
from tests.helpers.shared_data import real_path
from tests.qgis.test_accessibility_gui import wait_for

MB = 1024**2


@pytest.fixture(scope="module")
def replay(tmp_path_factory):
    real_path("communes/communes_48.gpkg")  # the committed extract the replay serves
    from tests.replay.server import start_server

    server = start_server(catalog_out=tmp_path_factory.mktemp("replay") / "catalog.json")
    server.services.local_engine.ready()
    yield server
    server.stop()


@pytest.fixture
def engine(replay, monkeypatch):
    monkeypatch.setenv("CGET_CATALOG", str(replay.catalog_path))
    original = Cache.__init__

    def fast(self, *args, **kwargs):
        original(self, *args, **kwargs)
        self.backoff_s = 0.01

    monkeypatch.setattr(Cache, "__init__", fast)
    services = replay.services.local_engine
    services.roads.calls.clear()
    services.roads.hits.clear()
    services.roads.boxes.clear()
    for grid in services.grids.values():
        grid.calls.clear()
    return services


@pytest.fixture
def territory():
    settings = QgsSettings()
    previous = settings.value(SETTINGS_TERRITORY, "", type=str)

    def choose(text):
        settings.setValue(SETTINGS_TERRITORY, text)

    yield choose
    settings.setValue(SETTINGS_TERRITORY, previous)


@pytest.fixture
def group(qgis_iface, qgis_canvas, qgis_new_project, cget_provider, monkeypatch):
    if QgsApplication.processingRegistry().algorithmById("cget:accesstime") is None:
        pytest.skip("cget:accesstime is not registered")
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: None, raising=False)
    tools = AccessibilityTools(qgis_iface, QToolBar("Accessibilité"), QMenu("Accessibilité"))
    yield tools
    tools.unload()
    for messages in qgis_iface.messageBar().messages.values():
        messages.clear()


def services_48():
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=id:string", "france_services", "memory")
    feats = []
    for ident, (x, y) in {"mende": (3.4997, 44.5181), "florac": (3.5936, 44.3242)}.items():
        feat = QgsFeature(layer.fields())
        feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        feat.setAttributes([ident])
        feats.append(feat)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer)
    return layer


def sized(offer):
    assert wait_for(lambda: offer.load_button.isEnabled() or "?" in offer.label.text(), 60)
    return offer.label.text()


def thousands(n):
    return f"{n:,}".replace(",", "\u202f")


def opened_dialog(group, count_before):
    assert wait_for(lambda: len(group.dialogs) > count_before, 180)
    return group.dialogs[-1]


def test_offer_sizes_then_loads_and_prefills_the_dialog(
    group, qgis_iface, engine, territory, artifacts_dir
):
    territory("48")
    services = services_48()
    qgis_iface.setActiveLayer(services)
    offer = group.open_access_time()
    assert isinstance(offer, InputsOffer) and offer.isVisible()
    text = sized(offer)
    assert offer.load_button.isEnabled()
    assert offer.grab().save(str(artifacts_dir / "accessibility_inputs_offer.png"))
    # Sized without downloading: one hits request, one HEAD; no page, no byte of the grid.
    assert len(engine.roads.hits) == 1 and engine.roads.calls == []
    sections = len(engine.roads.network.sections(engine.roads.hits[0]))
    assert sections > 10000 and thousands(sections) in text
    grid = engine.grids["200m"]
    assert [method for method, _ in grid.calls] == ["HEAD"]
    assert f"{round(len(grid.body) / MB)} MB" in text or f"{round(len(grid.body) / MB)} Mo" in text
    assert "+20 km" in text and "Lozère" in text
    before = len(group.dialogs)
    offer.accept()
    dialog = opened_dialog(group, before)
    params = dialog.createProcessingParameters()
    network = QgsProject.instance().mapLayer(params["NETWORK"])
    population = QgsProject.instance().mapLayer(params["POPULATION"])
    assert network.featureCount() == len(engine.roads.network.sections(engine.roads.boxes[-1]))
    assert engine.roads.boxes[-1] == engine.roads.hits[0]  # the box sized is the box loaded
    assert params["NETWORK_PROFILE"] in ("bdtopo", 1)
    assert params["POP_FIELD"] == "ind" and "ind" in population.fields().names()
    assert population.featureCount() > 100
    assert params["FACILITIES"] == services.id()
    # Both in a group named after the territory, with the catalogue's styles.
    root = QgsProject.instance().layerTreeRoot()
    for layer in (network, population):
        assert root.findLayer(layer.id()).parent().name().startswith("Lozère")
    assert network.renderer().type() == "categorizedSymbol"  # troncon_de_route.qml
    assert network.renderer().classAttribute() == "importance"
    assert population.renderer().type() == "graduatedSymbol"  # carreaux.qml
    # The network is in the project now: the next click opens the dialog directly.
    count = len(group.dialogs)
    direct = group.open_coverage()
    assert not isinstance(direct, InputsOffer) and len(group.dialogs) == count + 1
    assert direct.createProcessingParameters()["NETWORK"] == network.id()


def test_second_offer_says_already_in_the_cache(group, qgis_iface, engine, territory):
    territory("48")
    qgis_iface.setActiveLayer(services_48())
    offer = group.open_access_time()
    sized(offer)
    before = len(group.dialogs)
    offer.accept()
    opened_dialog(group, before)
    for layer in list(QgsProject.instance().mapLayers().values()):
        if layer.geometryType() != 0:  # keep the services, remove what was loaded
            QgsProject.instance().removeMapLayer(layer.id())
    hits, grid_calls = len(engine.roads.hits), len(engine.grids["200m"].calls)
    again = group.open_access_time()
    text = sized(again)
    assert text.count("already in the cache") == 2 or text.count("déjà en cache") == 2
    # Nothing asked of the servers to say so.
    assert len(engine.roads.hits) == hits and len(engine.grids["200m"].calls) == grid_calls
    again.reject()


def test_refusal_opens_the_dialog_as_before(group, qgis_iface, engine, territory):
    territory("48")
    services = services_48()
    qgis_iface.setActiveLayer(services)
    offer = group.open_coverage()
    sized(offer)
    before = len(group.dialogs)
    offer.reject()
    assert len(group.dialogs) == before + 1
    params = group.dialogs[-1].createProcessingParameters()
    assert params["FACILITIES"] == services.id() and not params.get("NETWORK")
    assert engine.roads.calls == [] and all(m == "HEAD" for m, _ in engine.grids["200m"].calls)
    assert len(QgsProject.instance().mapLayers()) == 1


def test_no_territory_says_so_and_points_to_the_chooser(group, qgis_iface, engine, territory):
    territory("")
    qgis_iface.setActiveLayer(services_48())
    offer = group.open_access_time()
    text = offer.label.text()
    assert "no territory is chosen" in text or "aucun territoire" in text.lower()
    assert "Territory" in text or "Territoire" in text
    assert offer.load_button.isEnabled() and engine.roads.hits == []
    offer.accept()  # "Choose a territory": no chooser in this interface, the bar says where
    assert wait_for(lambda: not offer.isVisible(), 5.0)
    assert len(group.dialogs) == 0 and len(QgsProject.instance().mapLayers()) == 1
    again = group.open_access_time()
    before = len(group.dialogs)
    again.reject()
    assert len(group.dialogs) == before + 1


def test_overseas_without_grid_proposes_the_commune_populations(group, engine, territory):
    territory("971")
    offer = group.open_access_time()
    text = sized(offer)
    inputs = group.inputs_offer.inputs
    assert inputs.no_grid == ["Guadeloupe"]
    assert inputs.population.geography_id == "communes"
    assert inputs.population.field == "population"
    assert "Guadeloupe" in text and "population" in text
    assert engine.grids["200m"].calls == []  # no grid to size
    offer.reject()


def test_map_tool_on_the_local_router_offers_the_network(
    group, qgis_iface, qgis_canvas, engine, territory
):
    from qgis.core import QgsCoordinateReferenceSystem
    from qgis.PyQt.QtCore import Qt

    territory("48")
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    group.point_action.trigger()
    panel = group.panel
    panel.backend_combo.setCurrentIndex(panel.backend_combo.findData("local"))
    panel.bands_edit.setText("5,10")
    group.tool.canvasClicked.emit(QgsPointXY(3.4997, 44.5181), Qt.MouseButton.LeftButton)
    offer = group.inputs_offer.offer
    assert isinstance(offer, InputsOffer) and offer.isVisible()
    text = sized(offer)
    assert "chosen in the panel" in text or "panneau" in text
    assert "population" not in text.lower()  # the map tool needs no population
    offer.accept()
    assert wait_for(lambda: panel.network_layer() is not None, 120)
    assert panel.network_layer().featureCount() > 10000
    # The isochrones of the clicked point are then computed on it.
    assert wait_for(lambda: not group.runner.runs, 120)
    names = [layer.name() for layer in QgsProject.instance().mapLayers().values()]
    assert any(name.startswith("Isochrones") for name in names), names


def test_a_second_click_replaces_the_offer_without_opening_the_dialog(
    group, qgis_iface, engine, territory
):
    territory("48")
    qgis_iface.setActiveLayer(services_48())
    first = group.open_access_time()
    sized(first)
    second = group.open_coverage()
    assert second is not first and not first.isVisible() and second.isVisible()
    assert group.dialogs == []  # the first offer was not answered "open without loading"
    sized(second)
    group.unload()  # closing the toolbar closes the offer, opens nothing
    assert not second.isVisible() and group.dialogs == []


def test_territory_too_large_is_said_before_downloading(
    group, qgis_iface, engine, territory, monkeypatch, tmp_path, replay
):
    import json

    catalog = json.loads(replay.catalog_path.read_text(encoding="utf-8"))
    for entry in catalog["entries"]:
        if entry["id"] == "troncon_de_route":
            entry["source"]["road_wfs"]["max_features"] = 1000
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(catalog), encoding="utf-8")
    monkeypatch.setenv("CGET_CATALOG", str(path))
    territory("48")
    qgis_iface.setActiveLayer(services_48())
    offer = group.open_access_time()
    assert wait_for(lambda: group.inputs_offer.inputs is not None, 60)
    assert group.inputs_offer.inputs.network.too_large
    text = offer.label.text()
    sections = len(engine.roads.network.sections(engine.roads.hits[0]))
    assert thousands(sections) in text and thousands(1000) in text
    assert "smaller territory" in text or "plus petit" in text
    assert not offer.load_button.isEnabled() and engine.roads.calls == []
    offer.reject()  # the dialog as before
    assert len(group.dialogs) == 1


@pytest.mark.parametrize(
    "body, content_type, expected",
    [
        (
            b'{"type":"FeatureCollection","features":[],"totalFeatures":4321}',
            "application/json",
            4321,
        ),
        (
            b'<wfs:FeatureCollection xmlns:wfs="http://www.opengis.net/wfs/2.0" '
            b'numberMatched="987" numberReturned="0"/>',
            "text/xml",
            987,
        ),
        (b'{"type":"FeatureCollection","features":[]}', "application/json", None),
    ],
)
def test_hits_count_read_from_json_or_gml(httpserver, body, content_type, expected):
    """The sections matched, however the server words a hits answer (None: not said)."""
    from cget_plugin.core.geographies.wfs import WfsQuery, count_matched
    from tests.replay.answers import Answer
    from tests.replay.httpserver import serve

    serve(httpserver, "/wfs", Answer(200, body, content_type))
    query = WfsQuery(httpserver.url_for("/wfs"), "BDTOPO_V3:troncon_de_route", "EPSG:2154")
    assert count_matched(query) == expected
    (request, _), *_ = httpserver.log
    assert request.args["RESULTTYPE"] == "hits" and "COUNT" not in request.args
