"""The user guide (resources/help/guide_fr.html), performed for real inside the QGIS desktop
(``qgis --code``): every step clicks the plugin's toolbar actions (found by objectName), fills
the same widgets a user fills, runs the algorithms through the same dialogs and waits for the
background tasks; the guide's screenshots are taken on the way and the outcomes are written as
JSON for tests/gui/test_user_guide.py to assert.

Environment: CGET_GUIDE_RESULT (JSON path), CGET_GUIDE_SHOTS (folder for the PNG screenshots),
CGET_GUIDE_WORK (folder for the exported maps).
"""

import os
import sys
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsProject,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QCoreApplication, QPoint, QRect, Qt, QTimer
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication, QDialog, QLineEdit, QToolBar
from qgis.utils import iface

# ``qgis --code`` runs this file's text without __file__: its folder from the command line.
_ARGS = QCoreApplication.arguments()
sys.path.insert(0, str(Path(_ARGS[_ARGS.index("--code") + 1]).resolve().parent))
import desktop_steps as desktop  # noqa: E402

SHOTS = Path(os.environ["CGET_GUIDE_SHOTS"])
WORK = Path(os.environ["CGET_GUIDE_WORK"])
WIDTH, HEIGHT = 1280, 800
SCREEN = QRect(0, 0, WIDTH, HEIGHT)
TOOLBAR_IDS = ("CgetGeographyToolbar", "CgetAccessibilityToolbar", "CgetLayoutToolbar")
# QGIS toolbars hidden for the screenshots so that the plugin's three fit on 1280 pixels.
KEEP_TOOLBARS = {"mFileToolBar", "mMapNavToolBar", "mAttributesToolBar", "mLayerToolBar"}

session = desktop.Session(os.environ["CGET_GUIDE_RESULT"], SHOTS)
findings = session.findings
shot_window, shot_widget = session.shot_window, session.shot_widget


def shot_screen(name, rect=SCREEN):
    return session.shot_screen(name, rect)


def layers_named(*fragments):
    out = []
    for layer in QgsProject.instance().mapLayers().values():
        name = layer.name().lower()
        if any(f in name for f in fragments):
            out.append(layer)
    return out


def by_fields(field, geometry=None):
    for node in QgsProject.instance().layerTreeRoot().findLayers():
        layer = node.layer()
        if isinstance(layer, QgsVectorLayer) and field in layer.fields().names():
            if geometry is None or layer.geometryType() == geometry:
                return layer
    return None


def set_wrapper(dialog, name, value):
    """Set one parameter of a Processing dialog through its widget wrapper (as typed)."""
    dialog.setParameters({name: value})


# -- steps -----------------------------------------------------------------------------------
def step_window():
    window = iface.mainWindow()
    window.showNormal()
    window.setGeometry(0, 0, WIDTH, HEIGHT)
    for toolbar in window.findChildren(QToolBar):
        name = toolbar.objectName()
        if name not in KEEP_TOOLBARS and name not in TOOLBAR_IDS and toolbar.isVisible():
            toolbar.setVisible(False)
    # Our three toolbars on one row under the QGIS ones.
    for name in TOOLBAR_IDS:
        toolbar = window.findChild(QToolBar, name)
        toolbar.setVisible(True)
    from qgis.PyQt.QtWidgets import QDockWidget

    for dock in window.findChildren(QDockWidget):
        if dock.objectName() == "Browser" and dock.isVisible():
            dock.setVisible(False)
    window.addToolBarBreak()
    for name in TOOLBAR_IDS:
        window.addToolBar(window.findChild(QToolBar, name))
    desktop.pump(500)
    import qgis.utils

    findings["steps"]["install"] = {
        "active": "cget_plugin" in qgis.utils.active_plugins,
        "toolbars": {name: window.findChild(QToolBar, name).windowTitle() for name in TOOLBAR_IDS},
        "menu": [a.text() for a in iface.pluginMenu().actions()],
    }


def step_load():
    window = iface.mainWindow()
    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    edit = window.findChild(QLineEdit, "CgetTerritoryEdit")
    edit.setFocus()
    edit.clear()
    QTest.keyClicks(edit, "Seine-Saint")
    desktop.pump(500)
    popup = edit.completer().popup()
    completions = edit.completer().model().rowCount()
    if popup.isVisible():
        top_left = edit.mapToGlobal(QPoint(0, 0))
        rect = QRect(top_left.x() - 20, top_left.y() - 10, 520, popup.height() + edit.height() + 30)
        shot_screen("02_territoire.png", rect)
        QTest.keyClick(popup, Qt.Key.Key_Down)
        QTest.keyClick(popup, Qt.Key.Key_Return)
    desktop.pump(300)
    edit.setCursorPosition(0)
    territory = {"text": edit.text(), "codes": edit.codes(), "completions": completions}

    # The catalogue menu, open on its first theme, with « Essayer avec l'exemple » at the bottom.
    tools = desktop.plugin().tool_groups[0]
    button = tools.toolbar.widgetForAction(tools.catalog_action)
    menu = tools.catalog_menu
    menu.popup(button.mapToGlobal(button.rect().bottomLeft()))
    desktop.pump(400)
    first = next(a for a in menu.actions() if a.menu() is not None)
    menu.setActiveAction(first)
    sub = first.menu()
    sub.popup(menu.mapToGlobal(menu.actionGeometry(first).topRight()))
    desktop.pump(400)
    rect = menu.geometry().united(sub.geometry()).adjusted(-10, -40, 10, 10)
    rect = rect.intersected(QRect(0, 0, WIDTH, HEIGHT))
    catalog = {
        "themes": [a.text() for a in menu.actions() if a.menu() is not None],
        "first_theme_entries": [a.text() for a in sub.actions()],
        "last_entry": menu.actions()[-1].text(),
        "last_entry_tooltip": menu.actions()[-1].toolTip(),
    }
    shot_screen("03_menu_catalogue.png", rect)
    sub.hide()
    menu.hide()
    desktop.pump(200)

    # Offline: « Essayer avec l'exemple ».
    loaded, failed = [], []
    tools.loader.loaded.connect(loaded.append)
    tools.loader.failed.connect(failed.append)
    desktop.action("CgetLoadSample").trigger()
    desktop.wait_until(lambda: len(loaded) + len(failed) >= 3, 90, "the sample layers")
    if failed:
        raise AssertionError(f"sample loads failed: {failed}")
    desktop.wait_tasks()
    root = QgsProject.instance().layerTreeRoot()
    group = root.children()[0]
    layers = [n.layer() for n in group.findLayers()]
    qpv = by_fields("code_qp", QgsWkbTypes.PolygonGeometry)
    from cget_plugin.core import provenance

    prov = provenance.read_from_layer(qpv) if qpv is not None else None
    findings["steps"]["load"] = {
        "territory": territory,
        "catalog": catalog,
        "group": group.name(),
        "layers": [(lyr.name(), lyr.featureCount()) for lyr in layers],
        "qpv_provenance": prov.credit_line() if prov else "",
        "qpv_abstract": qpv.metadata().abstract() if qpv else "",
    }
    iface.setActiveLayer(qpv)
    shot_window("01_barres_outils.png")


def step_address():
    qpv = by_fields("code_qp", QgsWkbTypes.PolygonGeometry)
    desktop.action("CgetAddressAction").trigger()
    dialog = iface.mainWindow().findChild(QDialog, "CgetAddressCheckDialog")
    desktop.wait_until(dialog.isVisible, 10, "the address panel")
    dialog.move(WIDTH - dialog.width() - 30, 160)
    dialog.zones.setLayer(qpv)
    QTest.mouseClick(dialog.pick_button, Qt.MouseButton.LeftButton)
    desktop.pump(200)
    feature = next(iter(sorted(qpv.getFeatures(), key=lambda f: -f.geometry().area())))
    target = feature.geometry().pointOnSurface().asPoint()
    canvas = iface.mapCanvas()
    full_extent = canvas.extent()
    canvas.zoomScale(40000)
    canvas.setCenter(target)
    desktop.settle_canvas()
    pixel = canvas.getCoordinateTransform().transform(target)
    pos = QPoint(int(pixel.x()), int(pixel.y()))
    QTest.mouseClick(
        canvas.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, pos
    )
    desktop.pump(500)
    answer = dialog.answer.text()
    findings["steps"]["address"] = {
        "expected_code": feature["code"],
        "expected_name": feature["nom"],
        "answer": answer,
        "pick_checked": dialog.pick_button.isChecked(),
    }
    iface.messageBar().clearWidgets()
    shot_screen("04_adresse_qpv.png")
    dialog.close()
    canvas.setExtent(full_extent)
    desktop.settle_canvas()


def run_dialog(dialog, timeout=120):
    new = desktop.layers_added_by(dialog.runAlgorithm, timeout, settle_ms=500)
    for layer in new:  # as a user would: an empty "not on the network" layer is unticked
        node = QgsProject.instance().layerTreeRoot().findLayer(layer.id())
        if node is not None and layer.isSpatial() and layer.featureCount() == 0:
            node.setItemVisibilityChecked(False)
    return new


def step_isochrones():
    services = by_fields("id_fs", QgsWkbTypes.PointGeometry)
    iface.setActiveLayer(services)
    dialog = desktop.open_processing_dialog(1, "CgetIsochronesAction", "the isochrones dialog")
    prefilled = desktop.dialog_values(dialog)
    grid = layers_named("carroy")[0]
    for name, value in (
        ("BACKEND", "local"),
        ("MODE", "car"),
        ("DIRECTION", "arrival"),
        ("BANDS_MIN", "10,20,30"),
        ("POPULATION", grid.id()),
        ("POP_FIELD", "ind"),
    ):
        set_wrapper(dialog, name, value)
    dialog.resize(980, 760)
    dialog.move(150, 20)
    desktop.pump(300)
    shot_widget(dialog, "05_isochrones_dialogue.png")
    new = run_dialog(dialog)
    bands = [
        lyr for lyr in new if isinstance(lyr, QgsVectorLayer) and "min_to" in lyr.fields().names()
    ]
    findings["steps"]["isochrones"] = {
        "prefilled": prefilled,
        "new_layers": [(lyr.name(), lyr.featureCount()) for lyr in new],
        "bands": sum(lyr.featureCount() for lyr in bands),
        "population_field": bool(bands) and "population" in bands[0].fields().names(),
    }
    dialog.close()
    desktop.pump(200)
    shot_window("06_isochrones_carte.png")

    # The map tool « Isochrone depuis ce point ».
    tool_action = desktop.action("CgetIsochronePointAction")
    tool_action.trigger()
    panel = desktop.plugin().tool_groups[1].panel
    desktop.wait_until(panel.isVisible, 10, "the isochrone panel")
    panel.move(WIDTH - panel.width() - 30, 160)
    network = layers_named("réseau routier", "reseau routier")[0]
    panel.backend_combo.setCurrentIndex(panel.backend_combo.findData("local"))
    panel.network_combo.setLayer(network)
    panel.bands_edit.setText("5,10,15")
    desktop.pump(200)
    canvas = iface.mapCanvas()
    center = canvas.extent().center()
    pixel = canvas.getCoordinateTransform().transform(center)
    added = desktop.layers_added_by(
        lambda: QTest.mouseClick(
            canvas.viewport(),
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
            QPoint(int(pixel.x()), int(pixel.y())),
        ),
        90,
        "the point isochrone",
    )
    findings["steps"]["isochrone_point"] = {
        "layers": [(lyr.name(), lyr.featureCount()) for lyr in added],
        "point": panel.point_label.text(),
    }
    shot_screen("07_isochrone_point.png")
    tool_action.trigger()  # unchecks: the tool and its panel go away
    desktop.pump(200)
    for lyr in added:  # keep the prefecture map about the France Services
        QgsProject.instance().layerTreeRoot().findLayer(lyr.id()).setItemVisibilityChecked(False)


def step_coverage():
    services = by_fields("id_fs", QgsWkbTypes.PointGeometry)
    iface.setActiveLayer(services)
    dialog = desktop.open_processing_dialog(1, "CgetCoverageAction", "the coverage dialog")
    prefilled = desktop.dialog_values(dialog)
    grid = layers_named("carroy")[0]
    qpv = by_fields("code_qp", QgsWkbTypes.PolygonGeometry)
    for name, value in (
        ("BACKEND", "local"),
        ("POPULATION", grid.id()),
        ("POP_FIELD", "ind"),
        ("ZONES", qpv.id()),
        ("ZONE_FIELD", "nom"),
        ("THRESHOLDS_MIN", "10,20,30"),
    ):
        set_wrapper(dialog, name, value)
    dialog.resize(980, 760)
    dialog.move(150, 20)
    desktop.pump(300)
    shot_widget(dialog, "08_couverture_dialogue.png")
    new = run_dialog(dialog)
    tables = [lyr for lyr in new if isinstance(lyr, QgsVectorLayer) and not lyr.isSpatial()]
    table = tables[0] if tables else None
    rows = []
    if table is not None:
        names = table.fields().names()
        rows = [dict(zip(names, [str(v) for v in f.attributes()])) for f in table.getFeatures()]
    findings["steps"]["coverage"] = {
        "prefilled": prefilled,
        "new_layers": [(lyr.name(), lyr.featureCount()) for lyr in new],
        "table": table.name() if table else None,
        "rows": rows,
    }
    dialog.close()
    desktop.pump(200)
    if table is not None:
        attribute_dialog = iface.showAttributeTable(table)
        desktop.pump(800)
        from qgis.PyQt.QtWidgets import QTableView

        attribute_dialog.resize(1260, 330)
        attribute_dialog.move(10, 200)
        for view in attribute_dialog.findChildren(QTableView):
            view.resizeColumnsToContents()
        desktop.pump(500)
        shot_widget(attribute_dialog, "09_tableau_couverture.png")
        # the same rows, QPV against the rest of their commune: the times only
        shown = {"zone", "rest_of", "gap_minutes_mean"} | {
            prefix + key for prefix in ("", "rest_") for key in ("minutes_mean", "minutes_median")
        }
        for view in attribute_dialog.findChildren(QTableView):
            for column, name in enumerate(table.fields().names()):
                view.setColumnHidden(column, name not in shown)
            view.resizeColumnsToContents()
        attribute_dialog.resize(1540, 330)
        desktop.pump(500)
        shot_widget(attribute_dialog, "09b_ecart_qpv.png")
        attribute_dialog.close()
        desktop.pump(200)
    # The time layer stays; the map shows the France Services, QPV and isochrone bands.
    for lyr in new:
        node = QgsProject.instance().layerTreeRoot().findLayer(lyr.id())
        if node is not None and lyr.isSpatial():
            node.setItemVisibilityChecked(False)


def step_layout():
    settings_seen = {}

    def fill_settings():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "CgetLayoutSettingsDialog":
            settings_seen["error"] = f"no settings dialog ({dialog})"
            if dialog is not None:
                dialog.reject()
            return
        dialog.authority_edit.setText("Préfecture de la Haute-Sylve (exemple fictif)")
        dialog.service_edit.setText("DDT – pôle géomatique")
        dialog.move(200, 150)
        desktop.pump(300)
        shot_widget(dialog, "10_reglages_cartes.png")
        settings_seen["title"] = dialog.windowTitle()
        settings_seen["saved"] = dialog.save()

    QTimer.singleShot(800, fill_settings)
    desktop.action(
        "CgetLayoutSettingsAction"
    ).trigger()  # modal: returns when fill_settings saved it
    desktop.pump(200)

    desktop.action("CgetLayoutMapAction").trigger()
    dialog = desktop.plugin().tool_groups[2].dialog
    desktop.wait_until(dialog.isVisible, 10, "the prefecture map dialog")
    dialog.move(60, 40)
    dialog.title_edit.setText("Accès aux France Services en voiture")
    dialog.subtitle_edit.setText("Territoire fictif de démonstration – temps de trajet")
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("pdf"))
    pdf = WORK / "carte_france_services.pdf"
    png = WORK / "carte_france_services.png"
    dialog.output_widget.setFilePath(str(pdf))
    QTest.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    desktop.pump(800)
    preview_messages = dialog.messages.toPlainText()
    shot_widget(dialog, "11_carte_prefecture.png")
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    desktop.wait_until(lambda: not dialog.busy(), 300, "the PDF export task")
    pdf_messages = dialog.messages.toPlainText()
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("png"))
    dialog.dpi_spin.setValue(150)
    dialog.output_widget.setFilePath(str(png))
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    desktop.wait_until(lambda: not dialog.busy(), 300, "the PNG export task")
    png_messages = dialog.messages.toPlainText()
    findings["steps"]["layout"] = {
        "settings": settings_seen,
        "title": dialog.windowTitle(),
        "layers": [dialog.layer_list.item(i).text() for i in range(dialog.layer_list.count())],
        "preview_messages": preview_messages,
        "pdf": [str(pdf), pdf.stat().st_size if pdf.exists() else 0, pdf_messages],
        "png": [str(png), png.stat().st_size if png.exists() else 0, png_messages],
    }
    dialog.close()
    desktop.pump(200)


def step_scripts():
    """§ 8 of the guide: every processing.run example names a real algorithm and only
    parameters it defines (read from the installed plugin's copy of the guide)."""
    import html
    import re

    from cget_plugin.core.paths import resource

    text = html.unescape(resource("help", "guide_fr.html").read_text(encoding="utf-8"))
    registry = QgsApplication.processingRegistry()
    calls, unknown = [], []
    for alg_id, body in re.findall(r'processing\.run\("(cget:\w+)", \{(.*?)\}\)', text, re.S):
        alg = registry.algorithmById(alg_id)
        keys = re.findall(r'"([A-Z_]+)":', body)
        calls.append([alg_id, keys])
        if alg is None:
            unknown.append(alg_id)
            continue
        unknown += [f"{alg_id}.{k}" for k in keys if alg.parameterDefinition(k) is None]
    findings["steps"]["scripts"] = {"calls": calls, "unknown": unknown}


WORK.mkdir(parents=True, exist_ok=True)
session.run_later(
    (
        step_window,
        step_load,
        step_address,
        step_isochrones,
        step_coverage,
        step_layout,
        step_scripts,
    ),
    3000,
)
