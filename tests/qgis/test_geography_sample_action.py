"""« Essayer avec l'exemple » (catalogue menu of the Géographie prioritaire toolbar), headless:
the fictitious sample is loaded in the background through cget:loadgeography plus two plain
layers, into its own group, in a readable order, with its fictitious provenance, and the canvas
is zoomed to it."""

import time

import pytest
from qgis.core import QgsApplication, QgsCoordinateReferenceSystem, QgsProject
from qgis.PyQt.QtWidgets import QApplication, QMenu, QToolBar

from cget_plugin.core import provenance as prov_mod
from cget_plugin.core.paths import resource

SAMPLE = resource("sample", "cget_sample.gpkg")


@pytest.fixture
def tools(qgis_iface, cget_provider):  # the provider registers the algorithms
    from cget_plugin.gui.geography_tools import GeographyTools

    QgsProject.instance().clear()
    toolbar = QToolBar("Géographie prioritaire", qgis_iface.mainWindow())
    menu = QMenu("Géographie prioritaire", qgis_iface.mainWindow())
    group = GeographyTools(qgis_iface, toolbar, menu)
    yield group
    group.unload()
    QgsProject.instance().clear()


def _wait(done, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        QApplication.processEvents()
        if done() and not QgsApplication.taskManager().countActiveTasks():
            for _ in range(20):  # the executed() callbacks run on the main thread
                QApplication.processEvents()
            return
        time.sleep(0.02)
    raise AssertionError("the sample did not load in time")


def _action(tools):
    found = [a for a in tools.catalog_menu.actions() if a.objectName() == "CgetLoadSample"]
    assert len(found) == 1
    return found[0]


def test_sample_action_is_last_in_catalog_menu_and_says_fictitious(tools):
    assert SAMPLE.is_file()
    action = _action(tools)
    assert tools.catalog_menu.actions()[-1] is action
    assert action.menu() is None
    tip = action.toolTip().lower()
    assert "fictitious" in tip or "fictives" in tip
    # Reloading the catalogue (after the sources dialog) keeps exactly one sample entry.
    tools.populate_catalog_menu()
    assert _action(tools) is tools.catalog_menu.actions()[-1]


def test_sample_action_loads_group_in_background_and_zooms(tools, qgis_iface):
    canvas = qgis_iface.mapCanvas()
    canvas.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    action = _action(tools)
    loaded = []
    tools.loader.loaded.connect(loaded.append)
    failed = []
    tools.loader.failed.connect(failed.append)
    action.trigger()
    # Background: the loads are tasks of the task manager (one after the other: they read the
    # same GeoPackage), not done on the click.
    running = [t.description() for t in QgsApplication.taskManager().tasks()]
    assert len([d for d in running if "ficti" in d.lower()]) >= 1, running
    assert not loaded
    _wait(lambda: len(loaded) + len(failed) >= 3)
    assert not failed

    assert len(loaded) == 3, "the three geographies were not all loaded"
    root = QgsProject.instance().layerTreeRoot()
    groups = [g for g in root.children() if hasattr(g, "findLayers")]
    group = next(g for g in groups if "ficti" in g.name().lower())
    layers = [n.layer() for n in group.findLayers()]
    assert len(layers) == 5
    assert all(lyr.isValid() and lyr.featureCount() > 0 for lyr in layers)
    fields = [set(lyr.fields().names()) for lyr in layers]
    # Points on top, then QPV, communes, roads, grid.
    assert "id_fs" in fields[0]
    assert "code_qp" in fields[1]
    assert "population" in fields[2] and "code" in fields[2]
    assert "importance" in fields[3]
    assert "ind" in fields[4]
    assert layers[1].featureCount() == 5
    # Named as the sample, not "– France entière" (an invented territory).
    assert all("France entière" not in lyr.name() for lyr in layers)
    assert all("ficti" in lyr.name().lower() for lyr in layers[:3])
    assert layers[2].featureCount() == 18
    # The three geographies went through cget:loadgeography: normalised fields, and the
    # sample's own (fictitious) provenance, never the catalogue's official one.
    for lyr in layers[:3]:
        assert {"code", "nom"} <= set(lyr.fields().names())
        prov = prov_mod.read_from_layer(lyr)
        assert prov is not None
        assert "ficti" in f"{prov.dataset} {prov.producer} {' '.join(prov.credits())}".lower()
    # The grid would hide the map: added unticked.
    assert not group.findLayers()[4].isVisible()
    assert group.findLayers()[0].isVisible()
    # Zoomed to the sample (≈ 33 × 26 km in Lambert-93).
    extent = canvas.extent()
    communes = layers[2].extent()
    assert extent.contains(communes.center())
    # Fitted: the territory fills the canvas in one direction (canvas aspect decides which).
    fill = max(communes.width() / extent.width(), communes.height() / extent.height())
    assert 0.8 < fill <= 1.0, fill
