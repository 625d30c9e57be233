"""The "Cartes préfecture" toolbar driven like a user inside the real QGIS desktop
(``qgis --code``): the real QPV 2015 of the Haute-Garonne and its France Services loaded with
their provenance through cget:loadgeography, isochrones around them from the IGN router (the
loopback replay server, ``CGET_CATALOG``), the "Réglages" filled, then one click on Export per
file in "Carte préfecture…" for A4/A3 × paysage/portrait in PDF and PNG, an atlas of the QPV
through "Atlas…", and cget:exportmap from a script. The findings go to JSON for
tests/gui/test_layout_toolbar.py, which checks the files with poppler.

Environment: CGET_LAY_RESULT (JSON), CGET_LAY_OUT (output folder), CGET_LAY_QPV (QPV 2015
GeoPackage), CGET_LAY_FS (France Services GeoPackage), CGET_LAY_LOGO (test bloc-marque).
"""

import os
import sys
import time
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
)
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer
from qgis.PyQt.QtTest import QTest
from qgis.PyQt.QtWidgets import QApplication
from qgis.utils import iface

# ``qgis --code`` runs this file's text without __file__: its folder from the command line.
_ARGS = QCoreApplication.arguments()
sys.path.insert(0, str(Path(_ARGS[_ARGS.index("--code") + 1]).resolve().parent))
import desktop_steps as desktop  # noqa: E402

OUT = Path(os.environ["CGET_LAY_OUT"])
QPV = os.environ["CGET_LAY_QPV"]
FS = os.environ["CGET_LAY_FS"]
LOGO = os.environ["CGET_LAY_LOGO"]
AUTHORITY = "Préfet de la Haute-Garonne"
SERVICE = "DDT 31 – test"
TITLE = "Accès aux France Services des quartiers prioritaires"
SUBTITLE = "Quartiers prioritaires 2015 – département de la Haute-Garonne"

session = desktop.Session(os.environ["CGET_LAY_RESULT"])
findings = session.findings
layers = {}


def tools():
    return desktop.tool_group(2)


def run_and_load(alg_id, params):
    """processing.runAndLoadResults, as the Processing toolbox does (post-processors applied:
    names, styles, provenance)."""
    import processing

    before = set(QgsProject.instance().mapLayers())
    processing.runAndLoadResults(alg_id, params)
    desktop.pump(300)
    new = [
        QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before
    ]
    return [lyr for lyr in new if lyr is not None and lyr.isSpatial()]


# -- steps -----------------------------------------------------------------------------------
def step_load():
    from cget_plugin.core import provenance

    QgsProject.instance().setCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    qpv = run_and_load(
        "cget:loadgeography",
        {
            "GEOGRAPHY": "qpv2015",
            "TERRITORY": "31",
            "SOURCE": f"{QPV}|layername=qpv2015",
            "OUTPUT": QgsProcessing.TEMPORARY_OUTPUT,
        },
    )[0]
    fs = run_and_load(
        "cget:loadgeography",
        {
            "GEOGRAPHY": "france_services",
            "TERRITORY": "31",
            "SOURCE": f"{FS}|layername=france_services",
            "OUTPUT": QgsProcessing.TEMPORARY_OUTPUT,
        },
    )[0]
    # Isochrones from the France Services within 3 km of a QPV (IGN router, replay server).
    quarters = QgsGeometry.unaryUnion([f.geometry() for f in qpv.getFeatures()])
    ids = [f.id() for f in fs.getFeatures() if f.geometry().distance(quarters) < 3000][:8]
    fs.selectByIds(ids)
    iso = run_and_load(
        "cget:isochrones",
        {
            "INPUT": QgsProcessingFeatureSourceDefinition(fs.id(), True),
            "BACKEND": "ign",
            "MODE": "car",
            "DIRECTION": "arrival",
            "BANDS_MIN": "5,10",
            "OUTPUT_MODE": "rings",
            "OUTPUT": QgsProcessing.TEMPORARY_OUTPUT,
        },
    )
    iso = [lyr for lyr in iso if "min_to" in lyr.fields().names()][0]
    fs.removeSelection()
    layers.update(qpv=qpv, fs=fs, iso=iso)
    iface.mapCanvas().setExtent(qpv.extent())
    findings["steps"]["load"] = {
        "layers": {k: [v.name(), v.featureCount(), v.id()] for k, v in layers.items()},
        "provenance": {
            k: (
                provenance.read_from_layer(v).credit_line() if provenance.read_from_layer(v) else ""
            )
            for k, v in layers.items()
        },
        "iso_origins": len(ids),
        "qpv_codes": sorted(str(f["code"]) for f in qpv.getFeatures())
        if "code" in qpv.fields().names()
        else [],
    }


def step_settings():
    seen = {}

    def fill():
        dialog = QApplication.activeModalWidget()
        if dialog is None or dialog.objectName() != "CgetLayoutSettingsDialog":
            seen["error"] = f"no settings dialog ({dialog})"
            if dialog is not None:
                dialog.reject()
            return
        dialog.authority_edit.setText(AUTHORITY)
        dialog.service_edit.setText(SERVICE)
        dialog.logo_widget.setFilePath(LOGO)
        seen["title"] = dialog.windowTitle()
        seen["saved"] = dialog.save()
        seen["error_label"] = dialog.error_label.text()

    QTimer.singleShot(800, fill)
    desktop.action("CgetLayoutSettingsAction").trigger()  # modal: returns once saved
    desktop.pump(200)
    findings["steps"]["settings"] = seen


def layout_facts(result):
    """What the layout kept in the project says: legend entries (layer ids), map frame and
    visible layers, for the test to compare with the files."""
    manager = QgsProject.instance().layoutManager()
    layout = manager.layoutByName(result["LAYOUT_NAME"])
    facts = {"layout_in_project": layout is not None}
    if layout is None:
        return facts
    legend = layout.itemById("legende")
    if legend is not None:
        root = legend.model().rootGroup()
        facts["legend_layers"] = sorted(n.layerId() for n in root.findLayers())
        facts["legend_labels"] = [
            n.customProperty("legend/title-label") or n.name() for n in root.findLayers()
        ]
        facts["legend_groups"] = [g.name() for g in root.findGroups()]
    carte = layout.itemById("carte")
    if carte is not None:
        pos, size = carte.positionWithUnits(), carte.sizeWithUnits()
        facts["map_mm"] = [pos.x(), pos.y(), size.width(), size.height()]
        # the user's layers; the shared outlines around the territory (neighbours, territory
        # outline: issue 14) are drawn by every map and reported apart
        layers = carte.layers()
        facts["map_layers"] = sorted(
            lyr.id() for lyr in layers if not lyr.customProperty("cget/reference_outlines")
        )
        facts["surroundings"] = sorted(
            lyr.customProperty("cget/reference_outlines")
            for lyr in layers
            if lyr.customProperty("cget/reference_outlines")
        )
    page = layout.pageCollection().page(0)
    facts["page_mm"] = [page.pageSize().width(), page.pageSize().height()]
    return facts


def export_once(dialog, path, fmt, dpi=None):
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
    if dpi:
        dialog.dpi_spin.setValue(dpi)
    dialog.output_widget.setFilePath(str(path))
    dialog.last_result = None
    t0 = time.monotonic()
    ticks = []  # the event loop's heartbeat during the export (the window is not frozen)
    heartbeat = QTimer()
    heartbeat.setInterval(50)
    heartbeat.timeout.connect(lambda: ticks.append(time.monotonic()))
    heartbeat.start()
    QTest.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)  # one click
    desktop.wait_until(lambda: not dialog.busy(), 300, "the export task")
    heartbeat.stop()
    result = dialog.last_result
    beats = [t0] + ticks + [time.monotonic()]
    entry = {
        "path": str(path),
        "exists": path.exists(),
        "seconds": round(time.monotonic() - t0, 1),
        "heartbeats": len(ticks),
        "longest_pause_s": round(max(b - a for a, b in zip(beats, beats[1:])), 2),
        "messages": dialog.messages.toPlainText(),
        "result": {k: v for k, v in (result or {}).items()},
    }
    if result:
        entry.update(layout_facts(result))
    return entry


def step_map_dialog():
    desktop.action("CgetLayoutMapAction").trigger()
    dialog = tools().dialog
    desktop.wait_until(dialog.isVisible, 10, "the prefecture map dialog")
    visible = [
        n.layerId()
        for n in QgsProject.instance().layerTreeRoot().findLayers()
        if n.isVisible() and n.layer() is not None and n.layer().isSpatial()
    ]
    dialog.title_edit.setText(TITLE)
    dialog.subtitle_edit.setText(SUBTITLE)
    dialog.overwrite_check.setChecked(True)
    exports = {}
    for paper in ("A4", "A3"):
        for orientation in ("landscape", "portrait"):
            dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData(paper))
            dialog.orientation_combo.setCurrentIndex(dialog.orientation_combo.findData(orientation))
            key = f"{paper}_{orientation}"
            exports[key] = {
                "pdf": export_once(dialog, OUT / f"carte_{key}.pdf", "pdf", 300),
                "png": export_once(dialog, OUT / f"carte_{key}.png", "png", 100),
            }
    findings["steps"]["map"] = {
        "title": dialog.windowTitle(),
        "mode": dialog.mode_combo.currentData(),
        "logo": dialog.logo_widget.filePath(),
        "ticked": sorted(lyr.id() for lyr in dialog.checked_layers()),
        "visible": sorted(visible),
        "exports": exports,
    }
    dialog.close()
    desktop.pump(200)


def step_atlas():
    desktop.action("CgetLayoutAtlasAction").trigger()
    dialog = tools().atlas_dialog
    desktop.wait_until(dialog.isVisible, 10, "the atlas dialog")
    dialog.atlas_combo.setLayer(layers["qpv"])
    dialog.title_edit.setText("Quartiers prioritaires de la Haute-Garonne")
    dialog.subtitle_edit.setText("Quartiers prioritaires 2015 – un quartier par page")
    dialog.paper_combo.setCurrentIndex(dialog.paper_combo.findData("A4"))
    dialog.overwrite_check.setChecked(True)
    entry = export_once(dialog, OUT / "atlas_qpv_31.pdf", "pdf", 300)
    entry["features"] = layers["qpv"].featureCount()
    findings["steps"]["atlas"] = entry
    dialog.close()
    desktop.pump(200)


def step_script():
    import processing

    out = OUT / "script_A4_portrait.pdf"
    result = processing.run(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], layers["fs"], layers["iso"]],
            "TITLE": TITLE,
            "SUBTITLE": SUBTITLE,
            "PAPER": "A4",
            "ORIENTATION": "portrait",
            "FORMAT": "pdf",
            "MODE": "final",
            "OVERWRITE": True,
            "OUTPUT": str(out),
        },
    )
    entry = {"path": str(out), "exists": out.exists(), "result": dict(result)}
    entry.update(layout_facts(result))
    entry["layouts"] = [lay.name() for lay in QgsProject.instance().layoutManager().layouts()]
    findings["steps"]["script"] = entry


OUT.mkdir(parents=True, exist_ok=True)
iface.mainWindow().showMaximized()
session.run_later((step_load, step_settings, step_map_dialog, step_atlas, step_script), 3000)
