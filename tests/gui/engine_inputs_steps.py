"""Issue 11, second "Done when", driven like a user inside the real QGIS desktop (``qgis --code``):
choose a territory (Lozère) on the geography toolbar, click "Temps d'accès…" with no road
network in the project, accept the offer to load the territory's BD TOPO network and Filosofi
grid (both served by the loopback replay server, ``CGET_CATALOG``), run the access-time dialog
it opens pre-filled, and keep the access-time layer and the coverage table. The findings go to
JSON for tests/gui/test_engine_inputs.py to assert.

Environment: CGET_ENGINE_RESULT (JSON), CGET_ENGINE_SHOTS (screenshot folder), CGET_ENGINE_SERVICES
(France Services GeoPackage of tests/data/real).
"""

import os
import sys
from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QDialog, QLineEdit
from qgis.utils import iface

_ARGS = QCoreApplication.arguments()
sys.path.insert(0, str(Path(_ARGS[_ARGS.index("--code") + 1]).resolve().parent))
import desktop_steps as desktop  # noqa: E402

SERVICES = os.environ["CGET_ENGINE_SERVICES"]
session = desktop.Session(os.environ["CGET_ENGINE_RESULT"], os.environ["CGET_ENGINE_SHOTS"])
findings = session.findings
state = {}


def tools():
    return desktop.tool_group(1)


def shot_screen(name):
    """The screen: the main window and the dialog over it (a window of its own)."""
    iface.messageBar().clearWidgets()
    desktop.settle_canvas()
    session.shot_screen(name, iface.mainWindow().frameGeometry())


def step_territory_and_services():
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    services = QgsVectorLayer(f"{SERVICES}|layername=france_services", "France Services", "ogr")
    services.setSubsetString("\"insee_dep\" = '48'")
    QgsProject.instance().addMapLayer(services)
    state["services"] = services
    # The territory, typed into the geography toolbar's chooser as a user does.
    edit = iface.mainWindow().findChild(QLineEdit, "CgetTerritoryEdit")
    edit.clear()
    QTest.keyClicks(edit, "Lozere")  # ASCII: QTest types ASCII keys only
    desktop.wait_until(lambda: edit.completer_.model().rowCount() > 0, 10, "the completions")
    labels = [
        edit.completer_.model().index(i, 0).data()
        for i in range(edit.completer_.model().rowCount())
    ]
    edit.completer_.activated.emit(next(label for label in labels if "(48)" in label))
    desktop.pump(300)
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    findings["steps"]["setup"] = {
        "services": services.featureCount(),
        "territory": edit.codes(),
        "shown": edit.text(),
        "lines": [
            lyr.name()
            for lyr in QgsProject.instance().mapLayers().values()
            if isinstance(lyr, QgsVectorLayer) and lyr.geometryType() == 1
        ],
    }


def _offer():
    for widget in iface.mainWindow().findChildren(QDialog, "CgetEngineInputsOffer"):
        if widget.isVisible():
            return widget
    return None


def step_offer():
    iface.setActiveLayer(state["services"])
    dialogs_before = len(tools().dialogs)
    desktop.action("CgetAccessTimeAction").trigger()
    desktop.wait_until(_offer, 10, "the offer")
    offer = _offer()
    desktop.wait_until(offer.load_button.isEnabled, 60, "the sizes of the downloads")
    desktop.pump(300)
    findings["steps"]["offer"] = {
        "title": offer.windowTitle(),
        "text": offer.label.text(),
        "load": offer.load_button.text(),
        "skip": offer.skip_button.text(),
        "dialogs_before": dialogs_before,
    }
    shot_screen("engine_01_offer.png")
    session.shot_widget(offer, "engine_01b_offer_dialog.png")
    QTest.mouseClick(offer.load_button, Qt.MouseButton.LeftButton)
    desktop.wait_until(lambda: len(tools().dialogs) > dialogs_before, 240, "the loads")
    dialog = tools().dialogs[-1]
    desktop.wait_until(dialog.isVisible, 10, "the access-time dialog")
    project = QgsProject.instance()
    prefilled = dialog.mainWidget().createProcessingParameters()
    network = project.mapLayer(str(prefilled.get("NETWORK")))
    population = project.mapLayer(str(prefilled.get("POPULATION")))
    root = project.layerTreeRoot()
    findings["steps"]["loaded"] = {
        "prefilled": {k: str(v) for k, v in prefilled.items()},
        "network": [network.name(), network.featureCount()] if network else None,
        "population": [population.name(), population.featureCount()] if population else None,
        "network_renderer": network.renderer().type() if network else "",
        "population_renderer": population.renderer().type() if population else "",
        "group": root.findLayer(network.id()).parent().name() if network else "",
        "services_id": state["services"].id(),
    }
    state["dialog"] = dialog
    iface.mapCanvas().setExtent(population.extent() if population else network.extent())
    shot_screen("engine_02_loaded_dialog.png")


def step_run():
    dialog = state["dialog"]
    dialog.setParameters({"THRESHOLDS_MIN": "10,20,30"})
    desktop.pump(200)
    new = desktop.layers_added_by(dialog.runAlgorithm, 240, "the access-time layers", 300)
    units = [lyr for lyr in new if lyr.isSpatial() and "minutes" in lyr.fields().names()]
    tables = [lyr for lyr in new if not lyr.isSpatial()]
    dialog.close()
    unit_rows = desktop.table_rows(units[0]) if units else []
    findings["steps"]["run"] = {
        "new_layers": [(lyr.name(), lyr.featureCount()) for lyr in new],
        "units": len(unit_rows),
        "reached": sum(1 for r in unit_rows if r.get("minutes") is not None),
        "minutes_max": max(
            (r["minutes"] for r in unit_rows if r.get("minutes") is not None), default=None
        ),
        "population": sum(float(r.get("ind") or 0) for r in unit_rows),
        "table": desktop.table_rows(tables[0]) if tables else [],
        "renderer": units[0].renderer().type() if units else "",
    }
    if units:
        iface.mapCanvas().setExtent(units[0].extent())
    # The access-time cells on top: the loaded network and grid hidden, as a user would.
    loaded = findings["steps"]["loaded"]["prefilled"]
    for layer_id in (loaded["NETWORK"], loaded["POPULATION"]):
        node = QgsProject.instance().layerTreeRoot().findLayer(layer_id)
        if node is not None:
            node.setItemVisibilityChecked(False)
    session.shot_window("engine_03_access_time.png")


iface.mainWindow().showMaximized()
session.run_later((step_territory_and_services, step_offer, step_run), 3000, watchdog_s=420)
