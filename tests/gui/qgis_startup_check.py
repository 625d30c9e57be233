"""Run inside the real QGIS desktop (``qgis --code``): inspect the installed plugin, take a
screenshot, unload and reload it, write the findings as JSON, then quit QGIS.

Reads CGET_GUI_RESULT (JSON path) and CGET_GUI_SCREENSHOT (PNG path) from the environment.
"""

import json
import os
import traceback

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QEvent, QTimer
from qgis.PyQt.QtWidgets import QToolBar
from qgis.utils import iface

RESULT = os.environ["CGET_GUI_RESULT"]
SCREENSHOT = os.environ.get("CGET_GUI_SCREENSHOT", "")
TOOLBAR_IDS = ("CgetGeographyToolbar", "CgetAccessibilityToolbar", "CgetLayoutToolbar")


def snapshot():
    window = iface.mainWindow()
    toolbars = {}
    for toolbar in window.findChildren(QToolBar):
        if toolbar.objectName() in TOOLBAR_IDS:
            toolbars.setdefault(toolbar.objectName(), []).append(
                {
                    "title": toolbar.windowTitle(),
                    "actions": [a.objectName() or a.text() for a in toolbar.actions()],
                    "visible": toolbar.isVisible(),
                }
            )
    menus = [a.text() for a in iface.pluginMenu().actions()]
    provider = QgsApplication.processingRegistry().providerById("cget")
    return {
        "toolbars": toolbars,
        "plugin_menu": menus,
        "provider": provider.name() if provider else None,
        "algorithms": sorted(a.id() for a in provider.algorithms()) if provider else [],
        "provider_count": sum(
            1 for p in QgsApplication.processingRegistry().providers() if p.id() == "cget"
        ),
    }


def run():
    findings = {}
    try:
        import qgis.utils

        findings["loaded"] = "cget_plugin" in qgis.utils.active_plugins
        findings["locale"] = QgsApplication.locale()
        findings["after_start"] = snapshot()
        if SCREENSHOT:
            iface.mainWindow().grab().save(SCREENSHOT)
        qgis.utils.unloadPlugin("cget_plugin")
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        findings["after_unload"] = snapshot()
        qgis.utils.loadPlugin("cget_plugin")
        qgis.utils.startPlugin("cget_plugin")
        findings["after_reload"] = snapshot()
    except Exception:  # report everything to the test
        findings["error"] = traceback.format_exc()
    with open(RESULT, "w", encoding="utf-8") as handle:
        json.dump(findings, handle, ensure_ascii=False, indent=1)
    QgsApplication.exit(0)


iface.mainWindow().showMaximized()
QTimer.singleShot(4000, run)
