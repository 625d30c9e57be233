"""Every algorithm's Processing dialog opened in the real French QGIS desktop (``qgis --code``),
as the toolbox opens it, with the sample's layers in the project: what each enum's combo box
shows and hands over, what each number's spin box shows, one screenshot per dialog (advanced
parameters unfolded); the batch dialog and the modeler's dialog of ``cget:isochrones``; then
runs with the ids, from a script and from the values the dialog gives. The findings go to JSON
for tests/gui/test_processing_dialogs.py to assert.

Environment: CGET_DLG_RESULT (JSON), CGET_DLG_SHOTS (screenshot folder), CGET_DLG_SAMPLE
(sample GeoPackage).
"""

import os
import sys
from pathlib import Path

from qgis.core import (
    QgsApplication,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingModelAlgorithm,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication
from qgis.PyQt.QtWidgets import QAbstractSpinBox, QComboBox, QGroupBox, QLabel, QScrollArea
from qgis.utils import iface

# ``qgis --code`` runs this file's text without __file__: its folder from the command line.
_ARGS = QCoreApplication.arguments()
sys.path.insert(0, str(Path(_ARGS[_ARGS.index("--code") + 1]).resolve().parent))
import desktop_steps as desktop  # noqa: E402

SAMPLE = os.environ["CGET_DLG_SAMPLE"]
session = desktop.Session(os.environ["CGET_DLG_RESULT"], os.environ["CGET_DLG_SHOTS"])
findings = session.findings
layers = {}


def _widget(wrapper):
    """The editor widget of a wrapper: ours (Processing's Python wrappers) or QGIS's own."""
    widget = getattr(wrapper, "widget", None)
    if widget is None and hasattr(wrapper, "wrappedWidget"):
        widget = wrapper.wrappedWidget()
    return widget


def _label(wrapper):
    label = getattr(wrapper, "label", None)
    if label is None and hasattr(wrapper, "wrappedLabel"):
        label = wrapper.wrappedLabel()
    return label.text() if isinstance(label, QLabel) else None


def _describe(wrapper):
    """What a user sees of one parameter: its label, its choices or its number."""
    param = wrapper.parameterDefinition()
    widget = _widget(wrapper)
    seen = {"type": param.type(), "label": _label(wrapper)}
    combo = widget if isinstance(widget, QComboBox) else None
    spin = widget if isinstance(widget, QAbstractSpinBox) else None
    if widget is not None and combo is None and spin is None:
        spins = widget.findChildren(QAbstractSpinBox)
        spin = spins[0] if spins else None
    if param.type() == "enum" and combo is not None:
        seen["items"] = [combo.itemText(i) for i in range(combo.count())]
        seen["current"] = combo.currentText()
        seen["options"] = list(param.options())
    elif spin is not None and param.type() == "number":
        seen["spin_text"] = spin.text()
    return seen


def step_load():
    for name in ("france_services", "troncon_de_route", "carreaux_200m", "qpv"):
        layer = QgsVectorLayer(f"{SAMPLE}|layername={name}", name, "ogr")
        if not layer.isValid():
            raise RuntimeError(f"cannot open {name} in {SAMPLE}")
        QgsProject.instance().addMapLayer(layer)
        layers[name] = layer
    iface.setActiveLayer(layers["france_services"])
    desktop.settle_canvas()


def _provider_algorithms():
    provider = QgsApplication.processingRegistry().providerById("cget")
    return sorted(alg.id() for alg in provider.algorithms())


def step_dialogs():
    import processing

    seen = {}
    for alg_id in _provider_algorithms():
        dialog = processing.createAlgorithmDialog(alg_id, {})
        dialog.show()
        dialog.resize(1180, 980)
        dialog.move(20, 10)
        for box in dialog.findChildren(QGroupBox):
            # the advanced parameters unfolded (a QgsCollapsibleGroupBox, seen as a QGroupBox)
            if box.property("collapsed"):
                box.setProperty("collapsed", False)
        desktop.pump(400)
        for area in dialog.findChildren(QScrollArea):  # unfolding scrolled: back to the top
            area.verticalScrollBar().setValue(0)
        desktop.pump(200)
        panel = dialog.mainWidget()
        seen[alg_id] = {
            "title": dialog.windowTitle(),
            "params": {name: _describe(w) for name, w in panel.wrappers.items()},
            "given": {k: str(v) for k, v in panel.createProcessingParameters().items()},
        }
        session.shot_widget(dialog, f"{alg_id.split(':')[1]}.png")
        dialog.close()
        dialog.deleteLater()
        desktop.pump(200)
    findings["steps"]["dialogs"] = seen


def _choose(combo, text):
    index = combo.findText(text)
    if index < 0:
        raise RuntimeError(
            f"no choice « {text} » in {[combo.itemText(i) for i in range(combo.count())]}"
        )
    combo.setCurrentIndex(index)


def step_user_choices_run():
    """A user picks « À pied » and « Arrivée au service »: the dialog hands over the ids, and
    they run."""
    import processing

    dialog = processing.createAlgorithmDialog(
        "cget:isochrones",
        {"INPUT": layers["france_services"].id(), "NETWORK": layers["troncon_de_route"].id()},
    )
    dialog.show()
    desktop.pump(300)
    wrappers = dialog.mainWidget().wrappers
    _choose(_widget(wrappers["MODE"]), "À pied")
    _choose(_widget(wrappers["DIRECTION"]), "Arrivée au service")
    _choose(_widget(wrappers["OUTPUT_MODE"]), "Tranches cumulées")
    wrappers["BANDS_MIN"].setParameterValue("5,10", QgsProcessingContext())
    params = dialog.mainWidget().createProcessingParameters()
    dialog.close()
    chosen = {k: params[k] for k in ("BACKEND", "MODE", "DIRECTION", "OUTPUT_MODE")}
    params["OUTPUT"] = "TEMPORARY_OUTPUT"
    result = _run("cget:isochrones", params)
    findings["steps"]["user_choices"] = {
        "given": chosen,
        "bands": sorted({f["min_to"] for f in result["OUTPUT"].getFeatures()}),
    }


def _run(alg_id, params):
    import processing

    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    return processing.run(alg_id, params, context=context, feedback=QgsProcessingFeedback())


def step_script_ids():
    """A script passes the contract's ids, as before the labels."""
    result = _run(
        "cget:isochrones",
        {
            "INPUT": layers["france_services"],
            "NETWORK": layers["troncon_de_route"],
            "BACKEND": "local",
            "NETWORK_PROFILE": "auto",
            "MODE": "car",
            "DIRECTION": "arrival",
            "OUTPUT_MODE": "rings",
            "BANDS_MIN": "5,10",
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )
    access = _run(
        "cget:accesstime",
        {
            "FACILITIES": layers["france_services"],
            "NETWORK": layers["troncon_de_route"],
            "MODE": "walk",
            "DIRECTION": "departure",
            "POPULATION": layers["carreaux_200m"],
            "POP_FIELD": "ind",
            "THRESHOLDS_MIN": "10,20",
            "OUTPUT": "TEMPORARY_OUTPUT",
            "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
        },
    )
    findings["steps"]["script_ids"] = {
        "bands": sorted({f["min_to"] for f in result["OUTPUT"].getFeatures()}),
        "access_rows": access["OUTPUT_TABLE"].featureCount(),
    }


def step_batch_and_modeler():
    from processing.gui.BatchAlgorithmDialog import BatchAlgorithmDialog
    from processing.modeler.ModelerParametersDialog import ModelerParametersDialog

    registry = QgsApplication.processingRegistry()
    # each dialog gets its own instance: the batch dialog owns (and deletes) the one it is given
    batch = BatchAlgorithmDialog(
        registry.createAlgorithmById("cget:isochrones"), parent=iface.mainWindow()
    )
    batch.show()
    batch.resize(1500, 400)
    desktop.pump(500)
    panel = batch.mainWidget()
    row = panel.wrappers[0]
    by_name = {w.parameterDefinition().name(): w for w in row if w is not None}
    findings["steps"]["batch"] = {
        name: _describe(by_name[name]) for name in ("BACKEND", "MODE", "DIRECTION", "OUTPUT_MODE")
    }
    findings["steps"]["batch"]["row_values"] = {
        name: str(by_name[name].parameterValue()) for name in ("MODE", "DIRECTION")
    }
    session.shot_widget(batch, "isochrones_batch.png")
    batch.close()
    batch.deleteLater()

    model = QgsProcessingModelAlgorithm("essai", "cget")
    alg = registry.createAlgorithmById("cget:isochrones")
    modeler = ModelerParametersDialog(alg, model)
    modeler.show()
    modeler.resize(700, 900)
    desktop.pump(500)
    wrappers = modeler.widget.widget.wrappers
    findings["steps"]["modeler"] = {
        name: _describe(wrappers[name]) for name in ("BACKEND", "MODE", "DIRECTION", "OUTPUT_MODE")
    }
    _choose(_widget(wrappers["MODE"]), "Vélo")
    child = modeler.createAlgorithm()
    sources = child.parameterSources()
    findings["steps"]["modeler"]["stored"] = {
        name: [s.staticValue() for s in sources[name]] for name in ("MODE", "DIRECTION")
    }
    session.shot_widget(modeler, "isochrones_modeler.png")
    modeler.close()
    modeler.deleteLater()  # before the algorithm its wrappers point into
    desktop.pump(300)


iface.mainWindow().showMaximized()
session.run_later(
    (step_load, step_dialogs, step_user_choices_run, step_script_ids, step_batch_and_modeler),
    3000,
    stop_on_error=False,
    watchdog_s=300,
)
