"""« Où implanter ? » driven like a user inside the real QGIS desktop (``qgis --code``) on the
fictitious sample: its France Services, town halls, 200 m population grid and road network
loaded, the toolbar action opens the dialog (defaults read), a 10-minute threshold and 3 sites
set, Compute pressed; the layers it adds, the chart and the table are read, the window shot.
The findings go to JSON for tests/gui/test_siting_dialog.py to assert.

Environment: CGET_SIT_RESULT (JSON), CGET_SIT_SHOTS (screenshot folder), CGET_SIT_SAMPLE.
"""

import os
import sys
from pathlib import Path

from qgis.core import QgsCoordinateReferenceSystem, QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QColor
from qgis.utils import iface

_ARGS = QCoreApplication.arguments()
sys.path.insert(0, str(Path(_ARGS[_ARGS.index("--code") + 1]).resolve().parent))
import desktop_steps as desktop  # noqa: E402

SAMPLE = os.environ["CGET_SIT_SAMPLE"]
session = desktop.Session(os.environ["CGET_SIT_RESULT"], os.environ["CGET_SIT_SHOTS"])
findings = session.findings
state = {}


def step_load():
    project = QgsProject.instance()
    for table, name in (
        ("carreaux_200m", "Carreaux 200 m (fictif)"),
        ("troncon_de_route", "Tronçons de route (fictif)"),
        ("communes", "Communes (fictif)"),
        ("mairies", "Mairies (fictif)"),
        ("france_services", "France Services (fictif)"),
    ):
        layer = QgsVectorLayer(f"{SAMPLE}|layername={table}", name, "ogr")
        assert layer.isValid(), table
        project.addMapLayer(layer)
        state[table] = layer
    fill = state["communes"].renderer().symbol().symbolLayer(0)
    fill.setBrushStyle(Qt.BrushStyle.NoBrush)
    fill.setStrokeColor(QColor("#555555"))
    root = project.layerTreeRoot()
    root.findLayer(state["carreaux_200m"].id()).setItemVisibilityChecked(False)
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    iface.mapCanvas().setExtent(state["communes"].extent())
    desktop.pump(300)


def step_dialog():
    action = desktop.action("CgetSitingAction")
    toolbar_actions = [a.objectName() for a in desktop.tool_group(1).toolbar.actions()]
    action.trigger()
    desktop.pump(300)
    dialog = desktop.tool_group(1).siting_dialog
    state["dialog"] = dialog
    findings["steps"]["defaults"] = {
        "in_toolbar": "CgetSitingAction" in toolbar_actions,
        "action_text": action.text(),
        "title": dialog.windowTitle(),
        "facilities": dialog.facilities.currentLayer().name()
        if dialog.facilities.currentLayer()
        else None,
        "candidates": dialog.candidates.currentLayer().name()
        if dialog.candidates.currentLayer()
        else None,
        "population": dialog.population.currentLayer().name()
        if dialog.population.currentLayer()
        else None,
        "pop_field": dialog.pop_field.currentField(),
        "network": dialog.network.currentLayer().name() if dialog.network.currentLayer() else None,
        "threshold": dialog.threshold.value(),
        "buttons": [
            dialog.run_button.text(),
            dialog.cancel_button.text(),
            dialog.map_button.text(),
        ],
    }


def step_run():
    import traceback

    # an exception in a slot opens QGIS's modal error dialog: record it instead
    sys.excepthook = lambda *exc: findings["errors"].append(
        "".join(traceback.format_exception(*exc))
    )
    dialog = state["dialog"]
    dialog.threshold.setValue(10)
    dialog.sites.setValue(3)
    before = set(QgsProject.instance().mapLayers())
    dialog.run_button.click()
    desktop.pump(100)
    running = {
        "cancel_enabled": dialog.cancel_button.isEnabled(),
        "run_enabled": dialog.run_button.isEnabled(),
    }
    desktop.wait_until(lambda: dialog.task is None, timeout=120, what="the siting task")
    desktop.pump(500)
    added = [
        QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before
    ]
    sites = dialog.layers.get("OUTPUT")
    findings["steps"]["run"] = {
        **running,
        "status": dialog.status.text(),
        "layers": sorted((lyr.name(), lyr.featureCount()) for lyr in added),
        "sites": [
            (f["rank"], f["proposition"], f["candidate_id"], f["gain_pop"])
            for f in sorted(sites.getFeatures(), key=lambda f: f["rank"])
        ]
        if sites
        else [],
        "labels_enabled": bool(sites and sites.labelsEnabled()),
        "renderer": sites.renderer().type() if sites else None,
        "chart": dialog.chart.points,
        "table_rows": dialog.table.rowCount(),
        "table_first": [dialog.table.item(0, j).text() for j in range(4)]
        if dialog.table.rowCount()
        else [],
        "map_enabled": dialog.map_button.isEnabled(),
    }
    window = iface.mainWindow().geometry()
    dialog.resize(560, 600)
    dialog.move(window.right() - dialog.width() - 10, window.bottom() - dialog.height() - 40)
    canvas = iface.mapCanvas()
    extent = state["communes"].extent()
    extent.setXMaximum(extent.xMaximum() + extent.width() * 1.5)  # the dialog covers the right
    canvas.setExtent(extent)
    canvas.refresh()
    desktop.settle_canvas(500)
    desktop.pump(300)
    session.shot_screen("siting_01_dialog_result.png", iface.mainWindow().geometry())
    session.shot_widget(dialog, "siting_02_dialog.png")


def step_map_dialog():
    dialog = state["dialog"].open_map()
    desktop.pump(300)
    values = desktop.dialog_values(dialog)
    findings["steps"]["map"] = {
        "title": values.get("TITLE"),
        "subtitle": values.get("SUBTITLE"),
        "layers": values.get("LAYERS"),
    }
    dialog.close()


iface.mainWindow().showMaximized()
session.run_later(
    (step_load, step_dialog, step_run, step_map_dialog), 3000, watchdog_s=150, log_steps=True
)
