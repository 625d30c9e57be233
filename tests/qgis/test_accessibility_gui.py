"""The "Accessibilité" toolbar, headless with pytest-qgis (``qgis_iface``, ``qgis_canvas``).

The GUI wiring (dialog pre-filling, map tool, background run, result layer, messages, unload)
is exercised with a stand-in algorithm registered under a test provider, which honours the
parameter names of docs/processing.md §3 and can fail or be slow on request. When the real
``cget:isochrones`` is registered, an end-to-end test clicks on the map and gets bands from
the IGN backend replayed on the loopback server.
"""

import time
from pathlib import Path

import pytest
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsGraduatedSymbolRenderer,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProcessingProvider,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, Qt, QVariant
from qgis.PyQt.QtWidgets import QMenu, QToolBar

from cget_plugin.core.paths import resource
from cget_plugin.gui import accessibility_point, accessibility_tools
from cget_plugin.gui.accessibility_point import IsochronePointPanel, IsochronePointTool
from cget_plugin.gui.accessibility_tools import AccessibilityTools
from cget_plugin.processing.base import CgetAlgorithm
from cget_plugin.processing.styles import (
    BAND_OPACITY,
    band_classes,
    band_colours,
    isochrone_style,
    style_path,
)

TEST_PROVIDER = "cgetguitest"
STAND_IN = f"{TEST_PROVIDER}:isochrones"
MENDE = QgsPointXY(3.4997, 44.5181)


class StandInIsochrones(CgetAlgorithm):
    """Squares around each point, one ring per band, styled and named through the shared output
    decoration as the real algorithm's; BACKEND "valhalla" is slow, and the IGN bike
    combination fails like the real algorithm does (user error, French message)."""

    ALG_ID = "isochrones"
    GROUP_ID = "accessibility"

    def display_name(self):
        return "Isochrones (test)"

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource("INPUT", "Points", [QgsProcessing.TypeVectorPoint])
        )
        self.addParameter(
            QgsProcessingParameterField("ID_FIELD", "Id", parentLayerParameterName="INPUT")
        )
        for name, options in (
            ("BACKEND", ["local", "ign", "ors", "valhalla"]),
            ("MODE", ["car", "walk", "bike"]),
            ("DIRECTION", ["departure", "arrival"]),
            ("OUTPUT_MODE", ["rings", "cumulative", "per_origin"]),
        ):
            param = QgsProcessingParameterEnum(name, name, options, defaultValue=options[0])
            param.setUsesStaticStrings(True)
            self.addParameter(param)
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "NETWORK", "Network", [QgsProcessing.TypeVectorLine], optional=True
            )
        )
        self.addParameter(QgsProcessingParameterString("BANDS_MIN", "Bands", "5,10,15"))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", "Isochrones"))

    def execute(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, "INPUT", context)
        backend = self.parameterAsEnumString(parameters, "BACKEND", context)
        mode = self.parameterAsEnumString(parameters, "MODE", context)
        bands = [
            int(b) for b in self.parameterAsString(parameters, "BANDS_MIN", context).split(",")
        ]
        if backend == "ign" and mode == "bike":
            raise QgsProcessingException("IGN Géoplateforme n'a pas de profil vélo.")
        if backend == "valhalla":
            for _ in range(100):  # a slow router: Cancel must stop it
                if feedback.isCanceled():
                    return {}
                time.sleep(0.05)
        fields = QgsFields()
        for name, kind in (("origin_id", QVariant.String), ("min_from", QVariant.Int)):
            fields.append(QgsField(name, kind))
        fields.append(QgsField("min_to", QVariant.Int))
        sink, dest = self.parameterAsSink(
            parameters, "OUTPUT", context, fields, QgsWkbTypes.MultiPolygon, source.sourceCrs()
        )
        for feature in source.getFeatures():
            centre = feature.geometry().asPoint()
            previous = 0
            for band in bands:
                d = 0.002 * band
                square = QgsGeometry.fromRect(
                    QgsGeometry.fromPointXY(centre).buffer(d, 4).boundingBox()
                )
                out = QgsFeature(fields)
                out.setGeometry(square)
                out.setAttributes([str(feature["id"]), previous, band])
                sink.addFeature(out, QgsFeatureSink.FastInsert)
                previous = band
        # the plugin's one band style, as the real algorithm writes it
        style = isochrone_style(bands, fields, style_path("gui_test.qml"))
        self.decorate_output(dest, context, style=style, layer_name="Isochrones (test)")
        return {"OUTPUT": dest}


class StandInProvider(QgsProcessingProvider):
    def id(self):
        return TEST_PROVIDER

    def name(self):
        return "CGET GUI tests"

    def loadAlgorithms(self):
        self.addAlgorithm(StandInIsochrones())


@pytest.fixture(scope="module")
def stand_in(qgis_processing):
    registry = QgsApplication.processingRegistry()
    if registry.providerById(TEST_PROVIDER) is None:
        registry.addProvider(StandInProvider())
    yield STAND_IN


@pytest.fixture
def use_stand_in(stand_in, monkeypatch):
    monkeypatch.setattr(accessibility_tools, "ISOCHRONES_ALG", stand_in)
    monkeypatch.setattr(accessibility_point.IsochroneRunner, "alg_id", stand_in)
    return stand_in


@pytest.fixture
def clean_settings():
    settings = QgsSettings()
    settings.remove("cget/accessibility/point_tool")
    yield settings
    settings.remove("cget/accessibility/point_tool")


@pytest.fixture
def group(qgis_iface, qgis_canvas, qgis_new_project, clean_settings):
    qgis_canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    toolbar = QToolBar("Accessibilité")
    menu = QMenu("Accessibilité")
    tools = AccessibilityTools(qgis_iface, toolbar, menu)
    yield tools
    tools.unload()
    for level in (Qgis.Info, Qgis.Warning, Qgis.Critical, Qgis.Success):
        qgis_iface.messageBar().messages[level].clear()


def messages(iface, level):
    return iface.messageBar().get_messages(level)


def point_layer(name="france_services"):
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=id:string&field=nom:string", name, "memory")
    feats = []
    for fid, (x, y, nom) in enumerate(
        [(3.4997, 44.5181, "Mende"), (3.5936, 44.3242, "Florac"), (3.2900, 44.6000, "Marvejols")]
    ):
        feat = QgsFeature(layer.fields())
        feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        feat.setAttributes([f"fs{fid}", nom])
        feats.append(feat)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer)
    return layer


def commune_layer():
    layer = QgsVectorLayer("Polygon?crs=EPSG:4326&field=nom:string", "communes_48", "memory")
    feat = QgsFeature(layer.fields())
    feat.setGeometry(
        QgsGeometry.fromRect(QgsGeometry.fromWkt("LINESTRING(3.4 44.4, 3.6 44.6)").boundingBox())
    )
    feat.setAttributes(["Mende"])
    layer.dataProvider().addFeatures([feat])
    QgsProject.instance().addMapLayer(layer)
    return layer


def wait_for(predicate, timeout=20.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QCoreApplication.processEvents()
        if predicate():
            return True
        time.sleep(0.02)
    return False


# -- toolbar ----------------------------------------------------------------------------------


def test_actions_tooltips_icons_and_unload(group):
    names = [a.objectName() for a in group.actions]
    assert names == [
        "CgetIsochronesAction",
        "CgetIsochronePointAction",
        "CgetAccessTimeAction",
        "CgetCoverageAction",
        "CgetSitingAction",
    ]
    for action in group.actions:
        assert action.toolTip() and action.toolTip() != action.text()
        assert not action.icon().isNull()
    for icon in ("access_isochrones", "access_point", "access_time", "access_population"):
        svg = resource("icons", f"{icon}.svg").read_text()
        assert 'width="32"' in svg and 'height="32"' in svg
    assert group.point_action.isCheckable()
    toolbar = group.toolbar
    assert len(toolbar.actions()) == 5
    group.unload()
    assert toolbar.actions() == [] and group.menu.actions() == []


def test_missing_algorithm_gives_a_message_not_a_dead_button(group, qgis_iface, monkeypatch):
    assert group.open_dialog("cget:notthere", {}) is None
    assert any("cget:notthere" in m for m in messages(qgis_iface, Qgis.Warning))
    monkeypatch.setattr(accessibility_tools, "ISOCHRONES_ALG", "cget:notthere")
    group.point_action.trigger()
    assert not group.point_action.isChecked()
    assert group.tool is None or qgis_iface.mapCanvas().mapTool() is not group.tool


# -- "Isochrones…" dialog ---------------------------------------------------------------------


def test_isochrones_dialog_prefilled_and_non_modal(group, qgis_iface, use_stand_in, monkeypatch):
    # Processing's parameter panel asks the real QGIS interface for its browser model.
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: None, raising=False)
    layer = point_layer()
    qgis_iface.setActiveLayer(layer)
    dialog = group.open_isochrones()
    assert dialog is not None
    assert dialog.isVisible() and not dialog.isModal()
    params = dialog.createProcessingParameters()
    assert params["INPUT"] == layer.id()
    assert params["ID_FIELD"] == "id"
    # with a selection, only the selected services
    layer.selectByIds([1])
    dialog = group.open_isochrones()
    source = dialog.createProcessingParameters()["INPUT"]
    assert source.source.staticValue() == layer.id() and source.selectedFeaturesOnly


# -- map tool ---------------------------------------------------------------------------------


def activate_tool(group, qgis_iface, backend="ors", mode="car", bands="5,10"):
    group.point_action.trigger()
    assert group.point_action.isChecked()
    assert isinstance(qgis_iface.mapCanvas().mapTool(), IsochronePointTool)
    panel = group.panel
    assert panel.isVisible() and not panel.isModal()
    panel.backend_combo.setCurrentIndex(panel.backend_combo.findData(backend))
    panel.mode_combo.setCurrentIndex(panel.mode_combo.findData(mode))
    panel.bands_edit.setText(bands)
    return panel


def click(group, point):
    group.tool.canvasClicked.emit(point, Qt.MouseButton.LeftButton)


def test_click_runs_in_background_and_adds_a_named_styled_layer(group, qgis_iface, use_stand_in):
    commune_layer()
    activate_tool(group, qgis_iface, bands="5,10,15")
    before = set(QgsProject.instance().mapLayers())
    click(group, MENDE)
    assert group.runner.runs, "the run is a background task"
    run = group.runner.runs[0]
    assert run.task.description() == "Isochrones – Mende"
    assert wait_for(lambda: not group.runner.runs)
    added = [
        QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before
    ]
    assert len(added) == 1
    layer = added[0]
    assert layer.name() == "Isochrones – Mende"
    assert layer.featureCount() == 3
    # the algorithm's own band style (one palette whatever the path), kept by the GUI
    renderer = layer.renderer()
    assert isinstance(renderer, QgsGraduatedSymbolRenderer)
    expected = band_classes([5, 10, 15])
    assert [r.label() for r in renderer.ranges()] == [label for _lo, _hi, label in expected]
    assert messages(qgis_iface, Qgis.Critical) == []
    assert any("Mende" in m for m in messages(qgis_iface, Qgis.Success))
    # the point layer given to the algorithm had the clicked point, with its place name
    feature = next(run.point_layer.getFeatures())
    assert feature.geometry().asPoint() == MENDE and feature["nom"] == "Mende"


def test_place_falls_back_to_coordinates(group, qgis_iface, use_stand_in):
    activate_tool(group, qgis_iface)
    click(group, QgsPointXY(2.35, 48.85))
    run = group.runner.runs[0]
    assert "48" in run.place and "N" in run.place and "E" in run.place
    assert wait_for(lambda: not group.runner.runs)


def test_algorithm_error_shown_in_message_bar(group, qgis_iface, use_stand_in):
    panel = activate_tool(group, qgis_iface, backend="ors", mode="bike")
    # the panel itself refuses IGN + bike before running
    panel.backend_combo.setCurrentIndex(panel.backend_combo.findData("ign"))
    assert "bicycle" in panel.validate()
    click(group, MENDE)
    assert not group.runner.runs
    assert any("bicycle" in m for m in messages(qgis_iface, Qgis.Warning))
    # an error raised by the algorithm itself reaches the message bar, without traceback
    group.panel.validate = lambda: ""
    before = len(QgsProject.instance().mapLayers())
    click(group, MENDE)
    assert wait_for(lambda: not group.runner.runs)
    critical = messages(qgis_iface, Qgis.Critical)
    assert critical and "profil vélo" in critical[-1] and "Traceback" not in critical[-1]
    assert len(QgsProject.instance().mapLayers()) == before


def test_cancel_adds_nothing(group, qgis_iface, use_stand_in):
    activate_tool(group, qgis_iface, backend="valhalla")
    before = len(QgsProject.instance().mapLayers())
    click(group, MENDE)
    run = group.runner.runs[0]
    assert wait_for(lambda: run.task.status() == run.task.Running, 5)
    run.task.cancel()
    assert wait_for(lambda: not group.runner.runs)
    assert len(QgsProject.instance().mapLayers()) == before
    assert any("cancel" in m.lower() for m in messages(qgis_iface, Qgis.Info))


def test_choices_are_remembered(group, qgis_iface, use_stand_in, clean_settings):
    panel = activate_tool(group, qgis_iface, backend="valhalla", mode="walk", bands="10,20")
    panel.bands_edit.editingFinished.emit()
    panel.direction_combo.setCurrentIndex(panel.direction_combo.findData("departure"))
    assert clean_settings.value("cget/accessibility/point_tool/backend") == "valhalla"
    assert clean_settings.value("cget/accessibility/point_tool/mode") == "walk"
    assert clean_settings.value("cget/accessibility/point_tool/bands") == "10,20"
    other = IsochronePointPanel()
    assert other.backend() == "valhalla" and other.mode() == "walk"
    assert other.direction() == "departure" and other.bands_text() == "10,20"
    assert other.valhalla_url.isVisibleTo(other) and not other.network_combo.isVisibleTo(other)
    other.deleteLater()


def test_local_router_needs_a_network(group, qgis_iface, use_stand_in):
    panel = activate_tool(group, qgis_iface, backend="local")
    assert panel.network_combo.isVisibleTo(panel)
    assert "road network" in panel.validate()
    roads = QgsVectorLayer("LineString?crs=EPSG:2154", "troncon_de_route", "memory")
    QgsProject.instance().addMapLayer(roads)
    panel.network_combo.setLayer(roads)
    assert panel.validate() == ""


def test_unload_releases_the_map_tool(group, qgis_iface, use_stand_in):
    activate_tool(group, qgis_iface)
    canvas = qgis_iface.mapCanvas()
    assert isinstance(canvas.mapTool(), IsochronePointTool)
    group.unload()
    assert canvas.mapTool() is None
    assert group.panel is None and group.tool is None


def test_panel_screenshot(group, qgis_iface, use_stand_in, artifacts_dir):
    """Saved for review under tests/artifacts/ (run under xvfb-run for a real display)."""
    commune_layer()
    panel = activate_tool(group, qgis_iface, backend="ign", mode="car", bands="10,20,30")
    click(group, MENDE)
    panel.adjustSize()
    image = panel.grab()
    path = artifacts_dir / "accessibility_point_panel.png"
    assert image.save(str(path))
    assert image.width() > 200 and image.height() > 150
    assert wait_for(lambda: not group.runner.runs)


# -- end to end with the real algorithm -------------------------------------------------------


def test_real_algorithm_with_ign_replay(group, qgis_iface, httpserver, cget_provider):
    if QgsApplication.processingRegistry().algorithmById("cget:isochrones") is None:
        pytest.skip("cget:isochrones is not registered yet")
    from tests.replay.httpserver import serve
    from tests.replay.isochrones import IgnIsochrone

    replay = serve(httpserver, "/navigation/isochrone", IgnIsochrone())
    settings = QgsSettings()
    settings.setValue("cget/routing/ign/url", httpserver.url_for("/navigation/isochrone"))
    settings.setValue("cget/routing/ign/min_interval_s", 0)
    try:
        activate_tool(group, qgis_iface, backend="ign", mode="car", bands="5,10")
        before = set(QgsProject.instance().mapLayers())
        click(group, MENDE)
        assert wait_for(lambda: not group.runner.runs, 60)
    finally:
        settings.remove("cget/routing/ign/url")
        settings.remove("cget/routing/ign/min_interval_s")
    assert messages(qgis_iface, Qgis.Critical) == []
    added = [
        QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before
    ]
    assert len(added) == 1 and added[0].name().startswith("Isochrones – ")
    assert added[0].featureCount() >= 2
    # the one band palette: the colours the algorithm gives from its Processing dialog
    renderer = added[0].renderer()
    assert isinstance(renderer, QgsGraduatedSymbolRenderer)
    colours = [r.symbol().color().name() for r in renderer.ranges()]
    assert colours == band_colours(2)
    assert added[0].opacity() == pytest.approx(BAND_OPACITY)
    assert len(replay.calls) == 2


def test_coverage_dialog_prefilled_for_the_table(group, qgis_iface, cget_provider, monkeypatch):
    if QgsApplication.processingRegistry().algorithmById("cget:accesstime") is None:
        pytest.skip("cget:accesstime is not registered yet")
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: None, raising=False)
    services = point_layer("france_services")
    communes = commune_layer()
    grid = QgsVectorLayer(
        "Polygon?crs=EPSG:2154&field=idcar_200m:string&field=ind:double", "filosofi_200m", "memory"
    )
    QgsProject.instance().addMapLayer(grid)
    # A road network in the project: the dialog opens directly (without one, the local engine
    # first offers to load the territory's: tests/qgis/test_accessibility_inputs.py).
    roads = QgsVectorLayer("LineString?crs=EPSG:2154", "troncon_de_route", "memory")
    QgsProject.instance().addMapLayer(roads)
    qgis_iface.setActiveLayer(services)
    dialog = group.open_coverage()
    params = dialog.createProcessingParameters()
    assert params["NETWORK"] == roads.id()
    assert params["FACILITIES"] == services.id()
    assert params["POPULATION"] == grid.id() and params["POP_FIELD"] == "ind"
    assert params["ZONES"] == communes.id() and params["ZONE_FIELD"] == "nom"
    plain = group.open_access_time().createProcessingParameters()
    assert plain["FACILITIES"] == services.id() and not plain.get("ZONES")


def test_coverage_dialog_compares_qpv_with_their_communes(
    group, qgis_iface, cget_provider, monkeypatch
):
    """QPV loaded: they are the zones, and the communes over the same area (not those of
    another territory, loaded first) are the reference of the rest of each QPV's commune."""
    if QgsApplication.processingRegistry().algorithmById("cget:accesstime") is None:
        pytest.skip("cget:accesstime is not registered yet")
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: None, raising=False)
    sample = Path(__file__).resolve().parents[2] / "resources" / "sample" / "cget_sample.gpkg"
    elsewhere = commune_layer()  # Lozère: no QPV of the sample there
    loaded = {}
    for name in ("communes", "qpv", "france_services", "carreaux_200m", "troncon_de_route"):
        loaded[name] = QgsVectorLayer(f"{sample}|layername={name}", f"Exemple {name}", "ogr")
        QgsProject.instance().addMapLayer(loaded[name])
    qgis_iface.setActiveLayer(loaded["france_services"])
    params = group.open_coverage().createProcessingParameters()
    assert params["POPULATION"] == loaded["carreaux_200m"].id()
    assert params["ZONES"] == loaded["qpv"].id() and params["ZONE_FIELD"] == "lib_qp"
    assert params["REFERENCE_ZONES"] == loaded["communes"].id() != elsewhere.id()
    assert params["REFERENCE_FIELD"] == "nom"
    QgsProject.instance().removeMapLayer(loaded["qpv"].id())
    params = group.open_coverage().createProcessingParameters()  # no QPV: communes, no reference
    assert params["ZONES"] in (elsewhere.id(), loaded["communes"].id())
    assert not params.get("REFERENCE_ZONES")


def test_population_guess_prefers_the_finest_units(qgis_new_project):
    """Communes (population) and a 200 m grid (ind) both loaded: the grid is proposed, whatever
    the order of the layers in the project."""
    from qgis.core import QgsProject, QgsVectorLayer

    from cget_plugin.gui.accessibility_tools import guess_population_layer

    sample = Path(__file__).resolve().parents[2] / "resources" / "sample" / "cget_sample.gpkg"
    communes = QgsVectorLayer(f"{sample}|layername=communes", "Communes", "ogr")
    grid = QgsVectorLayer(f"{sample}|layername=carreaux_200m", "Carreaux", "ogr")
    for order in ((communes, grid), (grid, communes)):
        QgsProject.instance().removeAllMapLayers()
        for layer in order:
            QgsProject.instance().addMapLayer(QgsVectorLayer(layer.source(), layer.name(), "ogr"))
        layer, field = guess_population_layer()
        assert layer.name() == "Carreaux" and field == "ind"
