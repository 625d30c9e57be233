"""The "Accessibilité" toolbar driven like a user inside the real QGIS desktop (``qgis --code``),
on real data: the OSM road network of Saint-Germain-en-Laye, the town halls of the Yvelines
inside its extent, the communes of the Yvelines; the fictitious sample for the QPV case (no real
QPV lies on the real network); the IGN router answered by the loopback replay server
(``CGET_CATALOG`` points the plugin at it). The findings go to JSON for
tests/gui/test_accessibility_toolbar.py to assert.

Environment: CGET_ACC_RESULT (JSON), CGET_ACC_SHOTS (screenshot folder), CGET_ACC_ROADS,
CGET_ACC_MAIRIES, CGET_ACC_COMMUNES (shared data files), CGET_ACC_SAMPLE (sample GeoPackage).
"""

import json
import os
import sys
import time
from pathlib import Path

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProject,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication, QPoint, Qt
from qgis.PyQt.QtGui import QColor
from qgis.PyQt.QtTest import QTest
from qgis.utils import iface

# ``qgis --code`` runs this file's text without __file__: its folder from the command line.
_ARGS = QCoreApplication.arguments()
sys.path.insert(0, str(Path(_ARGS[_ARGS.index("--code") + 1]).resolve().parent))
import desktop_steps as desktop  # noqa: E402

ROADS = os.environ["CGET_ACC_ROADS"]
MAIRIES = os.environ["CGET_ACC_MAIRIES"]
COMMUNES = os.environ["CGET_ACC_COMMUNES"]
SAMPLE = os.environ["CGET_ACC_SAMPLE"]
L93 = QgsCoordinateReferenceSystem("EPSG:2154")

session = desktop.Session(os.environ["CGET_ACC_RESULT"], os.environ["CGET_ACC_SHOTS"])
findings = session.findings
shot = session.shot_window
layers = {}


def tools():
    return desktop.tool_group(1)


def add(uri, name, subset=""):
    layer = QgsVectorLayer(uri, name, "ogr")
    if not layer.isValid():
        raise RuntimeError(f"cannot open {uri}")
    if subset:
        layer.setSubsetString(subset)
    QgsProject.instance().addMapLayer(layer)
    return layer


def fids_in(uri, rect_wgs84):
    probe = QgsVectorLayer(uri, "probe", "ogr")
    to_layer = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), probe.crs(), QgsProject.instance()
    )
    rect = to_layer.transformBoundingBox(rect_wgs84)
    zone = QgsGeometry.fromRect(rect)
    out = []
    for feature in probe.getFeatures(QgsFeatureRequest().setFilterRect(rect)):
        if feature.hasGeometry() and feature.geometry().intersects(zone):
            out.append(feature.id())
    return out


def run_dialog(dialog, params, timeout=120):
    """Set the parameters in the dialog's widgets (as typed), press Run, wait for the task
    and return the layers it added."""
    dialog.setParameters(params)
    desktop.pump(200)
    return desktop.layers_added_by(dialog.runAlgorithm, timeout, settle_ms=300)


def band_report(layer):
    """Validity, emptiness and pairwise overlap of the polygonal parts of the bands."""
    feats = list(layer.getFeatures())
    geoms = []
    report = {
        "count": len(feats),
        "fields": layer.fields().names(),
        "invalid": 0,
        "empty": 0,
        "null_origin": 0,
        "origins": [],
        "bands": [],
    }
    for f in feats:
        g = f.geometry()
        if g.isNull() or g.isEmpty() or g.area() <= 0:
            report["empty"] += 1
        if not g.isGeosValid():
            report["invalid"] += 1
        if "origin_id" in report["fields"]:
            value = f["origin_id"]
            if value in (None, "") or str(value) == "NULL":
                report["null_origin"] += 1
            report["origins"].append(str(value))
        report["bands"].append([f["min_from"], f["min_to"]] if "min_to" in report["fields"] else [])
        geoms.append(g)
    total = sum(g.area() for g in geoms)
    worst = 0.0
    overlap = 0.0
    for i in range(len(geoms)):
        bi = geoms[i].boundingBox()
        for j in range(i + 1, len(geoms)):
            if not bi.intersects(geoms[j].boundingBox()):
                continue
            inter = geoms[i].intersection(geoms[j])
            area = inter.area() if inter and not inter.isEmpty() else 0.0
            overlap += area
            worst = max(worst, area)
    report.update(
        total_area_m2=total,
        overlap_area_m2=overlap,
        worst_pair_m2=worst,
        crs=layer.crs().authid(),
        origins=sorted(set(report["origins"])),
    )
    return report


table_rows = desktop.table_rows


# -- steps -----------------------------------------------------------------------------------
def step_load():
    project = QgsProject.instance()
    project.setCrs(L93)
    extent = QgsRectangle(2.0407, 48.8840, 2.1719, 48.9868)  # data README
    # Communes at the bottom, outlines only, as a user would; then the network, the town halls.
    uri_c = f"{COMMUNES}|layername={_first_layer(COMMUNES)}"
    commune_fids = fids_in(uri_c, extent)
    communes = add(uri_c, "Communes (Yvelines)", f"fid IN ({','.join(map(str, commune_fids))})")
    fill = communes.renderer().symbol().symbolLayer(0)
    fill.setBrushStyle(Qt.BrushStyle.NoBrush)
    fill.setStrokeColor(QColor("#555555"))
    roads = add(f"{ROADS}|layername=edges", "Réseau routier OSM Saint-Germain-en-Laye")
    uri_m = f"{MAIRIES}|layername=mairies"
    mairie_fids = fids_in(uri_m, extent)
    mairies = add(uri_m, "Mairies (Yvelines)", f"fid IN ({','.join(map(str, mairie_fids))})")
    layers.update(roads=roads, mairies=mairies, communes=communes)
    # The first layer added set the project to its CRS (WGS 84): back to Lambert-93.
    desktop.pump(300)
    project.setCrs(L93)
    desktop.pump(300)
    canvas = iface.mapCanvas()
    zoom_to_network()
    findings["steps"]["load"] = {
        "roads": roads.featureCount(),
        "ids": {k: v.id() for k, v in layers.items()},
        "canvas_crs": canvas.mapSettings().destinationCrs().authid(),
        "mairies": mairies.featureCount(),
        "mairie_names": sorted(str(f["nom_commune"]) for f in mairies.getFeatures()),
        "communes": communes.featureCount(),
        "commune_population": sum(int(f["population"] or 0) for f in communes.getFeatures()),
    }


def zoom_to_network():
    canvas = iface.mapCanvas()
    crs = canvas.mapSettings().destinationCrs()
    to_map = QgsCoordinateTransform(layers["roads"].crs(), crs, QgsProject.instance())
    canvas.setExtent(to_map.transformBoundingBox(layers["roads"].extent()))
    canvas.refresh()
    desktop.pump(300)


def _first_layer(path):
    from osgeo import ogr

    ds = ogr.Open(path)
    return ds.GetLayer(0).GetName()


def step_isochrones():
    iface.setActiveLayer(layers["mairies"])
    dialog = desktop.open_processing_dialog(1, "CgetIsochronesAction", "the isochrones dialog")
    prefilled = desktop.dialog_values(dialog)
    t0 = time.monotonic()
    new = run_dialog(
        dialog,
        {
            "BACKEND": "local",
            "MODE": "car",
            "DIRECTION": "arrival",
            "BANDS_MIN": "5,10,15",
            "OUTPUT_MODE": "rings",
            "ID_FIELD": "code_insee",
        },
    )
    seconds = time.monotonic() - t0
    bands = [
        lyr for lyr in new if isinstance(lyr, QgsVectorLayer) and "min_to" in lyr.fields().names()
    ]
    unsnapped = [lyr for lyr in new if lyr not in bands]
    findings["steps"]["isochrones"] = {
        "prefilled": prefilled,
        "unsnapped": table_rows(unsnapped[0]) if unsnapped else [],
        "new_layers": [(lyr.name(), lyr.featureCount()) for lyr in new],
        "seconds": round(seconds, 1),
        "report": band_report(bands[0]) if bands else None,
        "mairie_codes": sorted(str(f["code_insee"]) for f in layers["mairies"].getFeatures()),
    }
    dialog.close()
    layers["bands"] = bands[0] if bands else None
    shot("acc_01_isochrones_mairies.png")


def step_access_time():
    iface.setActiveLayer(layers["mairies"])
    dialog = desktop.open_processing_dialog(1, "CgetAccessTimeAction", "the access-time dialog")
    prefilled = desktop.dialog_values(dialog)
    new = run_dialog(
        dialog,
        {
            "BACKEND": "local",
            "NETWORK": layers["roads"].id(),
            "FACILITIES": layers["mairies"].id(),
            "ID_FIELD": "code_insee",
            "POPULATION": layers["communes"].id(),
            "POP_FIELD": "population",
            "THRESHOLDS_MIN": "5,10,15",
        },
    )
    units = [lyr for lyr in new if lyr.isSpatial() and "minutes" in lyr.fields().names()]
    tables = [lyr for lyr in new if not lyr.isSpatial()]
    unsnapped = [lyr for lyr in new if lyr.isSpatial() and lyr not in units]
    findings["steps"]["access_time"] = {
        "unsnapped": table_rows(unsnapped[0]) if unsnapped else [],
        "prefilled": prefilled,
        "new_layers": [(lyr.name(), lyr.featureCount()) for lyr in new],
        "units": table_rows(units[0]) if units else [],
        "table": table_rows(tables[0]) if tables else [],
    }
    dialog.close()
    for lyr in new:
        node = QgsProject.instance().layerTreeRoot().findLayer(lyr.id())
        if node is not None:
            node.setItemVisibilityChecked(False)


def step_coverage_communes():
    iface.setActiveLayer(layers["mairies"])
    dialog = desktop.open_processing_dialog(1, "CgetCoverageAction", "the coverage dialog")
    prefilled = desktop.dialog_values(dialog)
    new = run_dialog(
        dialog,
        {
            "BACKEND": "local",
            "NETWORK": layers["roads"].id(),
            "FACILITIES": layers["mairies"].id(),
            "POPULATION": layers["communes"].id(),
            "POP_FIELD": "population",
            "ZONES": layers["communes"].id(),
            "ZONE_FIELD": "nom",
            "THRESHOLDS_MIN": "5,10,15",
        },
    )
    tables = [lyr for lyr in new if not lyr.isSpatial()]
    findings["steps"]["coverage_communes"] = {
        "prefilled": prefilled,
        "new_layers": [(lyr.name(), lyr.featureCount()) for lyr in new],
        "table": table_rows(tables[0]) if tables else [],
        "communes": sorted(str(f["nom"]) for f in layers["communes"].getFeatures()),
    }
    dialog.close()
    for lyr in new:
        node = QgsProject.instance().layerTreeRoot().findLayer(lyr.id())
        if node is not None:
            node.setItemVisibilityChecked(False)


def step_coverage_qpv():
    root = QgsProject.instance().layerTreeRoot()
    group = root.addGroup("Exemple fictif (QPV)")
    sample = {}
    for name in ("troncon_de_route", "france_services", "carreaux_200m", "qpv", "communes"):
        layer = QgsVectorLayer(f"{SAMPLE}|layername={name}", f"Exemple – {name}", "ogr")
        QgsProject.instance().addMapLayer(layer, False)
        group.addLayer(layer)
        sample[name] = layer
    group.setItemVisibilityChecked(False)
    iface.setActiveLayer(sample["france_services"])
    dialog = desktop.open_processing_dialog(1, "CgetCoverageAction", "the coverage dialog")
    prefilled = desktop.dialog_values(dialog)
    id_field = next(
        (n for n in ("id_fs", "id", "code") if n in sample["france_services"].fields().names()), ""
    )
    zone_field = next(
        (n for n in ("nom", "lib_qp", "code_qp", "code") if n in sample["qpv"].fields().names()),
        "",
    )
    new = run_dialog(
        dialog,
        {
            "BACKEND": "local",
            "NETWORK": sample["troncon_de_route"].id(),
            "FACILITIES": sample["france_services"].id(),
            "ID_FIELD": id_field,
            "POPULATION": sample["carreaux_200m"].id(),
            "POP_FIELD": "ind",
            "ZONES": sample["qpv"].id(),
            "ZONE_FIELD": zone_field,
            "REFERENCE_ZONES": sample["communes"].id(),
            "REFERENCE_FIELD": "nom",
            "THRESHOLDS_MIN": "10,20,30",
        },
    )
    tables = [lyr for lyr in new if not lyr.isSpatial()]
    findings["steps"]["coverage_qpv"] = {
        "prefilled": prefilled,
        "ids": {name: layer.id() for name, layer in sample.items()},
        "communes": sorted(str(f["nom"]) for f in sample["communes"].getFeatures()),
        "new_layers": [(lyr.name(), lyr.featureCount()) for lyr in new],
        "table": table_rows(tables[0]) if tables else [],
        "qpv": sorted(str(f[zone_field]) for f in sample["qpv"].getFeatures()),
        "zone_field": zone_field,
    }
    dialog.close()
    for lyr in new:
        QgsProject.instance().removeMapLayer(lyr.id())
    root.removeChildNode(group)
    for layer in sample.values():
        QgsProject.instance().removeMapLayer(layer.id())
    desktop.pump(200)


def step_point_tool_ign():
    canvas = iface.mapCanvas()
    zoom_to_network()
    tool_action = desktop.action("CgetIsochronePointAction")
    tool_action.trigger()
    panel = tools().panel
    desktop.wait_until(panel.isVisible, 10, "the isochrone panel")
    panel.backend_combo.setCurrentIndex(panel.backend_combo.findData("ign"))
    panel.mode_combo.setCurrentIndex(panel.mode_combo.findData("car"))
    panel.bands_edit.setText("5,10")
    panel.bands_edit.editingFinished.emit()
    desktop.pump(200)
    # A click on the town hall of Saint-Germain-en-Laye (78551), as a user would.
    target = next(
        f for f in layers["mairies"].getFeatures() if str(f["code_insee"]) == "78551"
    ).geometry()
    canvas_crs = canvas.mapSettings().destinationCrs()
    target.transform(
        QgsCoordinateTransform(layers["mairies"].crs(), canvas_crs, QgsProject.instance())
    )
    point = target.asPoint()
    canvas.setCenter(point)
    desktop.pump(300)
    pixel = canvas.getCoordinateTransform().transform(point)
    finished = []
    tools().runner.on_finished = lambda run: (finished.append(run), tools()._run_finished(run))
    before = set(QgsProject.instance().mapLayers())
    QTest.mouseClick(
        canvas.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(int(pixel.x()), int(pixel.y())),
    )
    desktop.wait_until(lambda: finished, 60, "the IGN isochrone task")
    desktop.wait_tasks()
    added = [
        QgsProject.instance().mapLayer(i) for i in set(QgsProject.instance().mapLayers()) - before
    ]
    run = finished[0]
    report = None
    meta = ""
    if run.result_layer is not None:
        report = band_report(run.result_layer)
        from cget_plugin.core import provenance

        prov = provenance.read_from_layer(run.result_layer)
        meta = " | ".join(
            x
            for x in (
                run.result_layer.metadata().abstract(),
                prov.credit_line() if prov else "",
                json.dumps(prov.__dict__, ensure_ascii=False, default=str) if prov else "",
            )
            if x
        )
        centre = QgsGeometry.fromPointXY(
            canvas.mapSettings().mapToLayerCoordinates(run.result_layer, point)
        )
        report["contains_click"] = any(
            f.geometry().contains(centre) for f in run.result_layer.getFeatures()
        )
    findings["steps"]["point_ign"] = {
        "backend": panel.backend(),
        "canvas_crs": canvas_crs.authid(),
        "catalog": os.environ.get("CGET_CATALOG", ""),
        "error": run.error,
        "layers": [(lyr.name(), lyr.featureCount()) for lyr in added],
        "point": panel.point_label.text(),
        "report": report,
        "metadata": meta,
    }
    shot("acc_02_isochrone_point_ign.png")
    tool_action.trigger()
    desktop.pump(200)


iface.mainWindow().showMaximized()
session.run_later(
    (
        step_load,
        step_isochrones,
        step_access_time,
        step_coverage_communes,
        step_coverage_qpv,
        step_point_tool_ign,
    ),
    3000,
    stop_on_error=False,
)
