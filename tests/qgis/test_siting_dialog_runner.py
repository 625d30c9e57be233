"""The « Où implanter ? » dialog headless on the sample: its defaults from the project, the run
through the toolbar's TaskRunner (sites loaded in a group, curve drawn and tabulated, progress
to 100), a Cancel that adds nothing, and a run that fails said in the dialog."""

from pathlib import Path

import pytest
from qgis.core import Qgis, QgsApplication, QgsProject, QgsVectorLayer

from tests.qgis.test_accessibility_gui import wait_for

GPKG = Path(__file__).resolve().parents[2] / "resources" / "sample" / "cget_sample.gpkg"
LAYERS = ("france_services", "mairies", "carreaux_200m", "troncon_de_route")


@pytest.fixture
def dialog(qgis_iface, qgis_new_project, cget_provider):
    from cget_plugin.gui.siting_dialog import SitingDialog

    loaded = {}
    for name in LAYERS:
        loaded[name] = QgsVectorLayer(f"{GPKG}|layername={name}", name, "ogr")
        QgsProject.instance().addMapLayer(loaded[name])
    widget = SitingDialog(qgis_iface)
    widget.loaded = loaded
    yield widget
    widget.runner.cancel_all()
    wait_for(lambda: widget.task is None, 30)
    widget.deleteLater()


def test_defaults_and_run_through_the_task_runner(dialog, qgis_iface):
    loaded = dialog.loaded
    assert dialog.facilities.currentLayer() == loaded["france_services"]
    assert dialog.candidates.currentLayer() == loaded["mairies"]
    assert dialog.population.currentLayer() == loaded["carreaux_200m"]
    assert dialog.pop_field.currentField() == "ind"
    assert dialog.network.currentLayer() == loaded["troncon_de_route"]
    assert dialog.threshold.value() == 30
    dialog.threshold.setValue(10)
    dialog.sites.setValue(2)
    before = set(QgsProject.instance().mapLayers())
    task = dialog.start()
    assert task is not None and dialog.task is task
    assert dialog.cancel_button.isEnabled() and not dialog.run_button.isEnabled()
    assert task in dialog.runner.tasks()
    assert wait_for(lambda: dialog.task is None, 120)
    assert dialog.run_button.isEnabled() and not dialog.cancel_button.isEnabled()
    assert dialog.progress.value() == 100
    added = set(QgsProject.instance().mapLayers()) - before
    sites = dialog.layers["OUTPUT"]
    assert sites.id() in added and sites.featureCount() == 2
    assert dialog.layers["OUTPUT_TABLE"].id() in added
    group = QgsProject.instance().layerTreeRoot().children()[0]
    assert "10 min" in group.name() and group.findLayer(sites.id()) is not None
    assert [k for k, _share in dialog.chart.points] == [0, 1, 2]
    assert dialog.table.rowCount() == 3 and dialog.table.item(0, 1).text() == "–"
    assert "2 site" in dialog.status.text() and dialog.map_button.isEnabled()
    # the runner said it in the message bar too
    texts = qgis_iface.messageBar().get_messages(Qgis.Success)
    assert any("2 site" in t for t in texts), texts


def test_cancel_adds_nothing(dialog):
    dialog.threshold.setValue(30)
    before = set(QgsProject.instance().mapLayers())
    assert dialog.start() is not None
    dialog.cancel()
    assert wait_for(lambda: dialog.task is None, 120)
    assert set(QgsProject.instance().mapLayers()) == before
    assert not dialog.layers and dialog.run_button.isEnabled()
    assert dialog.table.rowCount() == 0


def test_failure_said_in_the_dialog(dialog):
    """The only candidate far off the road network: the algorithm's own message (the way out:
    SNAP_TOLERANCE_M) in red in the dialog, nothing loaded."""
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY

    far = QgsVectorLayer("Point?crs=EPSG:2154&field=nom:string", "mairies lointaines", "memory")
    feat = QgsFeature(far.fields())
    feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(100000, 6000000)))
    feat.setAttributes(["Loin"])
    far.dataProvider().addFeatures([feat])
    QgsProject.instance().addMapLayer(far)
    dialog.candidates.setLayer(far)
    before = set(QgsProject.instance().mapLayers())
    assert dialog.start() is not None
    assert wait_for(lambda: dialog.task is None, 120)
    assert set(QgsProject.instance().mapLayers()) == before
    assert "b00020" in dialog.status.styleSheet()
    assert "SNAP_TOLERANCE_M" in dialog.status.text(), dialog.status.text()
    assert QgsApplication.processingRegistry().algorithmById("cget:siting") is not None
