"""The "Géographie prioritaire" toolbar driven like a user inside the real QGIS desktop
(``qgis --code``), against the loopback replay server (CGET_CATALOG) or, in the offline phase,
against the cache alone: territory box (completer), catalogue menu entries, background loads
into the territory's group; online also the "Adresse en QPV ?" panel and "Vérifier un fichier
d'adresses…" (its Processing dialog). Findings go to JSON for tests/gui/test_geography_toolbar.py.

Environment: CGET_TB_RESULT (JSON), CGET_TB_SHOTS (PNG folder), CGET_TB_PHASE (online|offline),
CGET_TB_ADDRESS (an address the replay geocoder knows), CGET_TB_CSV (the address file).
"""

import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QRect, Qt, QTimer
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication, QDialog, QLineEdit, QToolBar
from qgis.utils import iface

# ``qgis --code`` runs this file's text without __file__: its folder from the command line.
_ARGS = QCoreApplication.arguments()
sys.path.insert(0, str(Path(_ARGS[_ARGS.index("--code") + 1]).resolve().parent))
import desktop_steps as desktop  # noqa: E402

PHASE = os.environ.get("CGET_TB_PHASE", "online")
WIDTH, HEIGHT = 1600, 1000

session = desktop.Session(
    os.environ["CGET_TB_RESULT"], os.environ["CGET_TB_SHOTS"], phase=PHASE, layers={}, log=[]
)
findings, log = session.findings, session.log
save, shot_window, shot_screen = session.save, session.shot_window, session.shot_screen
events = {"loaded": [], "failed": []}
WATCHDOG_S = float(os.environ.get("CGET_TB_WATCHDOG_S", "110"))


def tools():
    return desktop.tool_group(0)


def zoom_to(layers):
    canvas = iface.mapCanvas()
    dest = canvas.mapSettings().destinationCrs()
    extent = None
    for layer in layers:
        rect = QgsCoordinateTransform(
            layer.crs(), dest, QgsProject.instance()
        ).transformBoundingBox(layer.extent())
        extent = QgsRectangle(rect) if extent is None else extent
        extent.combineExtentWith(rect)
    canvas.setExtent(extent.buffered(extent.width() * 0.03))


# -- steps -----------------------------------------------------------------------------------
def step_window():
    window = iface.mainWindow()
    window.showNormal()
    window.setGeometry(0, 0, WIDTH, HEIGHT)
    bar = window.findChild(QToolBar, "CgetGeographyToolbar")
    bar.setVisible(True)
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    loader = tools().loader
    loader.loaded.connect(lambda layer: events["loaded"].append(layer.id()))
    loader.failed.connect(lambda message: events["failed"].append(message))
    desktop.pump(500)
    findings["steps"]["window"] = {"toolbar_title": bar.windowTitle()}


def choose_territory(typed, code):
    """Type into the territory box and pick the completer entry whose code is ``code``."""
    edit = iface.mainWindow().findChild(QLineEdit, "CgetTerritoryEdit")
    edit.setFocus()
    edit.clear()
    QTest.keyClicks(edit, typed)
    completer = edit.completer()
    popup = completer.popup()
    desktop.wait_until(popup.isVisible, 10, f"the completer for {typed}")
    model = popup.model()
    labels = [model.index(r, 0).data() for r in range(model.rowCount())]
    row = next(i for i, label in enumerate(labels) if edit._chosen.get(label) == code)
    popup.setCurrentIndex(model.index(row, 0))
    QTest.keyClick(popup, Qt.Key.Key_Return)
    desktop.pump(300)
    return {"typed": typed, "proposals": labels, "text": edit.text(), "codes": edit.codes()}


def load_from_menu(geography_ids):
    """Trigger the catalogue entries (actions of the theme submenus) and wait for the tasks."""
    menu = tools().catalog_menu
    menu_actions = {}
    for sub_action in menu.actions():
        if sub_action.menu() is not None:
            for entry in sub_action.menu().actions():
                menu_actions[entry.objectName()] = (sub_action.text(), entry.text())
    expected = len(events["loaded"]) + len(events["failed"]) + len(geography_ids)
    started = time.monotonic()
    for gid in geography_ids:
        name = f"CgetLoad_{gid}"
        if name not in menu_actions:
            raise LookupError(f"{name} not in the catalogue menu: {sorted(menu_actions)}")
        desktop.action(name).trigger()
    desktop.wait_until(
        lambda: len(events["loaded"]) + len(events["failed"]) >= expected, 90, "the loads"
    )
    desktop.wait_tasks(60)
    return {
        "menu": {gid: menu_actions[f"CgetLoad_{gid}"] for gid in geography_ids},
        "seconds": round(time.monotonic() - started, 1),
    }


def layer_info(layer):
    from cget_plugin.core import provenance

    node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
    fields = layer.fields().names()
    feats = list(layer.getFeatures())
    renderer = layer.renderer()
    info = {
        "name": layer.name(),
        "group": node.parent().name() if node is not None and node.parent() else None,
        "count": len(feats),
        "crs": layer.crs().authid(),
        "geometry_type": layer.geometryType(),
        "fields": fields,
        "insee_dep": sorted({str(f["insee_dep"]) for f in feats}) if "insee_dep" in fields else [],
        "codes": sorted(str(f["code"]) for f in feats) if "code" in fields else [],
        "valid": all(f.hasGeometry() and f.geometry().isGeosValid() for f in feats),
        "renderer": renderer.type() if renderer else None,
        "style_name": layer.styleManager().currentStyle(),
    }
    if info["renderer"] == "categorizedSymbol":
        info["class_attribute"] = renderer.classAttribute()
        info["categories"] = [str(c.value()) for c in renderer.categories()]
        info["category_colors"] = {
            str(c.value()): c.symbol().color().name() for c in renderer.categories()
        }
    elif info["renderer"] == "singleSymbol":
        symbol = renderer.symbol()
        sl = symbol.symbolLayer(0)
        props = sl.properties() if sl is not None else {}
        info["symbol"] = {
            "color": symbol.color().name(),
            "stroke": props.get("outline_color", props.get("line_color", "")),
        }
    if "classe" in fields:
        info["classes"] = dict(Counter(str(f["classe"]) for f in feats))
        info["code_classes"] = {str(f["code"]): str(f["classe"]) for f in feats}
    prov = provenance.read_from_layer(layer)
    info["provenance"] = (
        {
            "credit": prov.credit_line(),
            "producer": prov.producer,
            "dataset": prov.dataset,
            "url": prov.url,
            "retrieved": prov.retrieved,
            "source_date": prov.source_date,
            "notes": prov.notes,
        }
        if prov
        else None
    )
    return info


def by_id(layer_id):
    return QgsProject.instance().mapLayer(layer_id)


def step_loads():
    steps = findings["steps"]
    steps["territory_93"] = choose_territory("93", "93")
    start = len(events["loaded"])
    log("territory 93 chosen")
    steps["load_93"] = load_from_menu(["communes", "qpv2024", "france_services"])
    for layer_id in events["loaded"][start:]:
        layer = by_id(layer_id)
        key = (
            "qpv2024"
            if "code_qp" in layer.fields().names()
            else "france_services"
            if "id_fs" in layer.fields().names()
            else "communes"
        )
        findings["layers"][key] = layer_info(layer)
    communes = next(
        by_id(i)
        for i in events["loaded"][start:]
        if "id_fs" not in by_id(i).fields().names() and "code_qp" not in by_id(i).fields().names()
    )
    qpv = next(by_id(i) for i in events["loaded"][start:] if "code_qp" in by_id(i).fields().names())
    zoom_to([qpv])
    iface.setActiveLayer(qpv)
    shot_window(f"toolbar_93_{PHASE}.png")
    steps["failed_93"] = list(events["failed"])

    log("93 loaded")
    steps["territory_48"] = choose_territory("48", "48")
    start = len(events["loaded"])
    steps["load_48"] = load_from_menu(["frr"])
    frr = by_id(events["loaded"][start]) if len(events["loaded"]) > start else None
    if frr is not None:
        findings["layers"]["frr"] = layer_info(frr)
        root = QgsProject.instance().layerTreeRoot()
        group_93 = root.findLayer(communes.id()).parent()
        group_93.setItemVisibilityChecked(False)
        zoom_to([frr])
        iface.setActiveLayer(frr)
        shot_window(f"toolbar_frr_48_{PHASE}.png")
        group_93.setItemVisibilityChecked(True)
    steps["failed"] = list(events["failed"])
    steps["groups"] = [
        (g.name(), [n.layer().name() for n in g.findLayers()])
        for g in QgsProject.instance().layerTreeRoot().children()
        if hasattr(g, "findLayers")
    ]


def step_address():
    address = os.environ["CGET_TB_ADDRESS"]
    findings["steps"]["territory_back_93"] = choose_territory("93", "93")
    qpv = next(
        layer
        for layer in QgsProject.instance().mapLayers().values()
        if isinstance(layer, QgsVectorLayer) and "code_qp" in layer.fields().names()
    )
    desktop.action("CgetAddressAction").trigger()
    dialog = iface.mainWindow().findChild(QDialog, "CgetAddressCheckDialog")
    desktop.wait_until(dialog.isVisible, 10, "the address panel")
    dialog.move(WIDTH - dialog.width() - 40, 180)
    chosen = dialog.zones.currentLayer()
    edit = dialog.findChild(QLineEdit, "CgetAddressEdit")
    edit.setFocus()
    QTest.keyClicks(edit, address)
    QTest.mouseClick(dialog.search_button, Qt.MouseButton.LeftButton)
    searching = dialog.answer.text()  # geocoding runs as a task: the panel says so meanwhile
    desktop.wait_until(lambda: not dialog.runner.runs, 30, "the geocoding task")
    desktop.pump(300)
    location = dialog.last_location
    findings["steps"]["address"] = {
        "typed": address,
        "while_searching": searching,
        "zones_layer": chosen.name() if chosen else None,
        "zones_is_qpv": chosen is not None and chosen.id() == qpv.id(),
        "answer": dialog.answer.text(),
        "in_zone": None if location is None else location.in_zone,
        "zone_code": None if location is None else location.zone_code,
        "candidates": dialog.candidates.count(),
        "answer_height": dialog.answer.height(),
        "answer_needed": dialog.answer.heightForWidth(dialog.answer.width()),
    }
    iface.messageBar().clearWidgets()
    shot_screen("address_panel.png", QRect(0, 0, WIDTH, HEIGHT))
    dialog.close()
    desktop.pump(200)


def step_address_file():
    csv_path = os.environ["CGET_TB_CSV"]
    table = QgsVectorLayer(csv_path, "adresses_a_verifier", "ogr")
    if not table.isValid():
        raise RuntimeError(f"cannot open {csv_path}")
    QgsProject.instance().addMapLayer(table)
    state = {}

    def drive(attempt=0):
        dialog = QApplication.activeModalWidget()
        if dialog is None or not hasattr(dialog, "runAlgorithm"):
            dialog = next(
                (
                    w
                    for w in QApplication.topLevelWidgets()
                    if w.isVisible() and hasattr(w, "runAlgorithm")
                ),
                dialog,
            )
        log(f"drive {attempt}: {dialog!r}")
        if dialog is None or not hasattr(dialog, "runAlgorithm"):
            if attempt < 50:
                QTimer.singleShot(200, lambda: drive(attempt + 1))
            else:
                state["error"] = f"the Processing dialog did not open ({dialog!r})"
                if dialog is not None:
                    dialog.close()
            return
        try:
            state["title"] = dialog.windowTitle()
            # The layer chosen by its id, as tests/gui/guide_steps.py does (set_wrapper).
            dialog.setParameters({"INPUT": table.id(), "ADDRESS_FIELD": ["adresse"]})
            log("parameters set")
            state["prefilled"] = desktop.dialog_values(dialog)
            log(f"parameters {state['prefilled']}")
            dialog.resize(900, 700)
            dialog.move(120, 60)
            desktop.pump(300)
            save(dialog.grab(), "address_file_dialog.png")
            log("run dialog")
            new = desktop.layers_added_by(dialog.runAlgorithm, 60, "the located places")
            out = next(lyr for lyr in new if "geocode_status" in lyr.fields().names())
            rows = []
            for feat in out.getFeatures():
                rows.append(
                    {
                        name: (
                            None
                            if feat[name] is None or str(feat[name]) == "NULL"
                            else str(feat[name])
                        )
                        for name in ("id", "adresse", "in_zone", "zone_code", "geocode_status")
                        if name in out.fields().names()
                    }
                )
            state["output"] = {
                "name": out.name(),
                "fields": out.fields().names(),
                "rows": rows,
                "input_rows": table.featureCount(),
            }
        except Exception:  # reported to the test
            state["error"] = traceback.format_exc()
        finally:
            dialog.reject()

    QTimer.singleShot(300, drive)
    log("file dialog")
    desktop.action("CgetAddressFileAction").trigger()  # modal: returns once drive() closed it
    desktop.pump(300)
    findings["steps"]["address_file"] = state
    if state.get("error"):
        raise RuntimeError(state["error"])


STEPS = [step_window, step_loads]
if PHASE == "online":
    STEPS += [step_address, step_address_file]
session.run_later(STEPS, 2000, watchdog_s=WATCHDOG_S, log_steps=True)
