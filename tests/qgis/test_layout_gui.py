"""The "Cartes préfecture" toolbar headless (pytest-qgis ``qgis_iface``): actions present, the
map dialog ticks the visible layers, previews the page, exports through cget:exportmap, the
atlas dialog writes one page per feature, the settings are remembered. A screenshot of the
dialog is kept in tests/artifacts for review (run under ``xvfb-run -a`` for a real display)."""

import time
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProject, QgsSettings
from qgis.PyQt.QtCore import QCoreApplication, Qt, QTimer
from qgis.PyQt.QtWidgets import QMenu, QToolBar

from cget_plugin.core.provenance import Provenance, apply_to_layer
from cget_plugin.gui.layout_tools import LayoutTools
from tests.helpers.shared_data import real_layer

TEST_LOGO = Path(__file__).resolve().parents[1] / "data" / "layouts" / "test_logo.svg"


@pytest.fixture(autouse=True)
def clean():
    QgsSettings().remove("cget/layout")
    yield
    QgsSettings().remove("cget/layout")
    QgsProject.instance().clear()


@pytest.fixture
def tools(qgis_iface, cget_provider):
    toolbar = QToolBar()
    menu = QMenu()
    group = LayoutTools(qgis_iface, toolbar, menu)
    yield group
    group.unload()


@pytest.fixture
def project_layers():
    com = real_layer("communes/communes_31.gpkg", "communes", "Communes de la Haute-Garonne")
    qpv = real_layer("qpv/qpv2015_occitanie.gpkg", "qpv2015", "Quartiers prioritaires 2015")
    qpv.setSubsetString("code_departement = '31'")
    hidden = real_layer("services/mairies_31.gpkg", "mairies", "Mairies")
    apply_to_layer(com, Provenance("IGN", "ADMIN EXPRESS COG", "2026"))
    apply_to_layer(qpv, Provenance("ANCT", "QPV", "2015", credit="ANCT – QPV 2015"))
    project = QgsProject.instance()
    project.addMapLayers([com, qpv, hidden])
    project.layerTreeRoot().findLayer(hidden.id()).setItemVisibilityChecked(False)
    return com, qpv, hidden


def export(dialog):
    """Click Export and wait for the task: the result, or None when it failed."""
    run = dialog.export()
    if run is None:
        return None
    end = time.monotonic() + 120
    while not run.ended and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.01)
    assert run.ended, "the export did not end"
    assert not dialog.busy() and dialog.export_button.isEnabled()
    return dialog.last_result if run.ok else None


def test_actions(tools):
    names = [a.objectName() for a in tools.actions]
    assert names == ["CgetLayoutMapAction", "CgetLayoutAtlasAction", "CgetLayoutSettingsAction"]


def test_map_dialog_preview_and_export(tools, project_layers, tmp_path, artifacts_dir):
    com, qpv, hidden = project_layers
    dialog = tools.open_map_dialog()
    ticked = dialog.checked_layers()
    assert set(ticked) == {com, qpv} and hidden not in ticked
    dialog.title_edit.setText("Quartiers prioritaires de la Haute-Garonne")
    dialog.subtitle_edit.setText("QPV 2015 – Haute-Garonne")
    dialog.logo_widget.setFilePath(str(TEST_LOGO))
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData("png"))
    dialog.dpi_spin.setValue(60)
    dialog.output_widget.setFilePath(str(tmp_path / "carte"))
    image = dialog.preview()
    assert image is not None and not image.isNull() and image.width() > 100
    dialog.resize(1200, 720)
    dialog.grab().save(str(artifacts_dir / "layout_dialog.png"))
    run = dialog.export()
    # a task of the task manager (progress, Cancel), the dialog waiting for it
    assert run is not None and not run.ended and not dialog.export_button.isEnabled()
    assert run.task in QgsApplication.taskManager().tasks()
    while not run.ended:
        QCoreApplication.processEvents()
    result = dialog.last_result
    assert result is not None, dialog.messages.toPlainText()
    assert Path(result["OUTPUT"]).name == "carte.png" and Path(result["OUTPUT"]).is_file()
    assert "LAYOUT_NAME" not in dialog.messages.toPlainText()  # said in words, no dict
    assert QgsProject.instance().layoutManager().layoutByName(result["LAYOUT_NAME"])
    # a second export to the same file is refused with a message, file untouched
    assert export(dialog) is None
    assert "already exist" in dialog.messages.toPlainText()
    # the algorithm's own message, no Processing wrapper around it
    assert "Unable to execute" not in dialog.messages.toPlainText()


def test_map_dialog_reports_bad_input(tools, project_layers, tmp_path):
    dialog = tools.open_map_dialog()
    for i in range(dialog.layer_list.count()):
        dialog.layer_list.item(i).setCheckState(Qt.CheckState.Unchecked)
    dialog.output_widget.setFilePath(str(tmp_path / "x.pdf"))
    assert dialog.preview() is None
    assert "Tick at least one layer" in dialog.messages.toPlainText()
    assert export(dialog) is None and not (tmp_path / "x.pdf").exists()


def test_atlas_dialog(tools, project_layers, tmp_path):
    com, qpv, _hidden = project_layers
    dialog = tools.open_atlas_dialog()
    dialog.atlas_combo.setLayer(qpv)
    dialog.per_feature_check.setChecked(True)
    dialog.dpi_spin.setValue(50)
    dialog.output_widget.setFilePath(str(tmp_path / "pages"))
    result = export(dialog)
    assert result is not None, dialog.messages.toPlainText()
    assert len(list((tmp_path / "pages").glob("*.pdf"))) == qpv.featureCount() == 19


@pytest.mark.parametrize("per_feature", [True, False], ids=["files", "one_pdf"])
def test_export_keeps_the_window_alive_and_can_be_cancelled(
    tools, project_layers, tmp_path, per_feature
):
    """Layouts are built and exported on the GUI thread (they are not thread safe): events are
    still processed during the export, and Cancel stops it between pages."""
    _com, qpv, _hidden = project_layers
    dialog = tools.open_atlas_dialog()
    dialog.atlas_combo.setLayer(qpv)
    dialog.per_feature_check.setChecked(per_feature)
    dialog.dpi_spin.setValue(50)
    output = tmp_path / ("pages" if per_feature else "atlas.pdf")
    dialog.output_widget.setFilePath(str(output))
    run = dialog.export()
    assert run is not None
    ticks = []  # progress seen by a timer of the event loop while the export runs
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(run.feedback.progress()))
    timer.start()
    run.feedback.progressChanged.connect(lambda value: value > 20 and run.cancel())
    end = time.monotonic() + 120
    while not run.ended and time.monotonic() < end:
        QCoreApplication.processEvents()
    timer.stop()
    assert run.ended and run.cancelled and not run.ok
    assert any(10 <= p < 100 for p in ticks), ticks
    if per_feature:
        assert 0 < len(list(output.glob("*.pdf"))) < qpv.featureCount()
        assert "cancelled after" in dialog.messages.toPlainText()
    else:
        assert not output.exists() and not list(tmp_path.glob("*.pdf*"))
        assert "was not written" in dialog.messages.toPlainText()
    assert dialog.export_button.isEnabled()


def test_settings_remembered(tools, tmp_path):
    from cget_plugin.gui.layout_settings import LayoutSettingsDialog

    dialog = LayoutSettingsDialog()
    dialog.authority_edit.setText("Préfète de la Haute-Garonne")
    dialog.service_edit.setText("DDT 31")
    dialog.logo_widget.setFilePath(str(tmp_path / "missing.png"))
    assert dialog.save() is False and "does not exist" in dialog.error_label.text()
    dialog.logo_widget.setFilePath(str(TEST_LOGO))
    dialog.dpi_spin.setValue(200)
    assert dialog.save() is True
    settings = QgsSettings()
    assert settings.value("cget/layout/authority") == "Préfète de la Haute-Garonne"
    assert settings.value("cget/layout/logo") == str(TEST_LOGO)
    assert int(settings.value("cget/layout/dpi")) == 200
    again = LayoutSettingsDialog()
    assert again.service_edit.text() == "DDT 31"


def test_one_click_export_with_default_name(tools, project_layers, tmp_path, monkeypatch):
    QgsProject.instance().setFileName(str(tmp_path / "projet.qgz"))
    dialog = tools.open_map_dialog()
    dialog.title_edit.setText("QPV / Toulouse")
    dialog.dpi_spin.setValue(50)
    first = export(dialog)
    assert first is not None, dialog.messages.toPlainText()
    out = Path(first["OUTPUT"])
    assert out.parent == tmp_path / "Prefecture maps" or out.parent.parent == tmp_path
    assert out.name.startswith("QPV_Toulouse_") and out.suffix == ".pdf" and out.is_file()
    dialog.output_widget.setFilePath("")
    second = export(dialog)  # a second click never overwrites the first map
    assert second is not None and Path(second["OUTPUT"]) != out and out.is_file()
