"""Enum parameters show labels in the Processing dialogs and keep their ids for scripts
(issue 13 item 3; cget_plugin/processing/parameters.py and enum_widget.py).

The widgets are built here as the Processing GUI builds them (``WidgetWrapperFactory``, with
dialogs of the class names it recognises: standard, batch, modeler); the real dialogs in the
French desktop are opened by tests/gui/test_processing_dialogs.py.
"""

import json
from pathlib import Path

import pytest
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingModelChildParameterSource,
    QgsVectorLayer,
)

from cget_plugin.core import definitions as d
from cget_plugin.core.catalog import load_catalog
from cget_plugin.core.i18n import tr
from cget_plugin.processing.parameters import LABELLED_ENUM_WRAPPER, enum_labels

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "cget_sample.gpkg"

#: (algorithm, parameter) -> the label function of definitions (the geographies: titles).
LABEL_OF = {
    "BACKEND": d.backend_label,
    "NETWORK_PROFILE": d.network_profile_label,
    "MODE": d.travel_mode_label,
    "DIRECTION": d.direction_label,
    "OUTPUT_MODE": d.output_mode_label,
    "ORIENTATION": d.map_orientation_label,
    "FORMAT": d.map_format_label,
    "PAPER": str,
}


def _expected_labels(alg, param):
    if param.name() == "GEOGRAPHY":
        return [load_catalog().get(i).title for i in param.options()]
    if alg.id() == "cget:exportmap" and param.name() == "MODE":
        return [d.map_mode_label(i) for i in param.options()]
    return [LABEL_OF[param.name()](i) for i in param.options()]


def _enums(provider):
    for alg in provider.algorithms():
        for param in alg.parameterDefinitions():
            if param.type() == "enum":
                yield alg, param


def test_every_enum_has_ids_and_its_labels(cget_provider):
    seen = set()
    for alg, param in _enums(cget_provider):
        seen.add(param.name())
        assert param.usesStaticStrings(), (alg.id(), param.name())
        wrapper = param.metadata()["widget_wrapper"]
        assert wrapper["class"] == LABELLED_ENUM_WRAPPER, (alg.id(), param.name())
        assert enum_labels(param) == _expected_labels(alg, param), (alg.id(), param.name())
        if param.name() != "PAPER":  # A4 / A3 read the same in every language
            assert set(enum_labels(param)).isdisjoint(param.options()), (alg.id(), param.name())
        # the metadata is plain data: qgis_process help --json and .model3 files write it
        json.dumps(param.toVariantMap()["metadata"])
    assert seen >= set(LABEL_OF) | {"GEOGRAPHY", "MODE"}


def test_numbers_show_sensible_decimals(cget_provider):
    decimals = {}
    for alg in cget_provider.algorithms():
        for param in alg.parameterDefinitions():
            if param.type() == "number" and param.dataType() == 1:  # double
                meta = param.metadata().get("widget_wrapper", {})
                assert "decimals" in meta, (alg.id(), param.name())
                decimals[param.name()] = meta["decimals"]
    metres = {n: v for n, v in decimals.items() if n.endswith("_M")}
    assert metres and set(metres.values()) == {0}, metres
    assert decimals["DEFAULT_SPEED_KMH"] == 1 and decimals["MIN_SCORE"] == 2


# -- the widgets, as the Processing GUI builds them ---------------------------------------------
class AlgorithmDialog:  # named as the dialogs WidgetWrapperFactory recognises
    pass


class BatchAlgorithmDialog:
    pass


class ModelerParametersDialog:
    """What the modeler's wrappers ask of their dialog: the model's values of a type."""

    def __init__(self):
        self.source = QgsProcessingModelChildParameterSource.fromModelParameter("mode_choisi")
        self.asked = []

    def getAvailableValuesOfType(self, param_types, out_types=None, data_types=None):
        self.asked.append((param_types, out_types))
        return [self.source]

    def resolveValueDescription(self, value):
        return "Mode choisi (entrée du modèle)"


def _wrapper(alg_id, name, dialog):
    from processing.gui.wrappers import WidgetWrapperFactory
    from qgis.core import QgsApplication

    alg = QgsApplication.processingRegistry().algorithmById(alg_id)
    return WidgetWrapperFactory.create_wrapper(alg.parameterDefinition(name), dialog)


def _texts(combo):
    return [combo.itemText(i) for i in range(combo.count())]


@pytest.mark.parametrize("dialog_class", [AlgorithmDialog, BatchAlgorithmDialog])
def test_dialog_and_batch_show_labels_and_give_ids(cget_provider, dialog_class):
    wrapper = _wrapper("cget:isochrones", "MODE", dialog_class())
    assert type(wrapper).__name__ == "LabelledEnumWidgetWrapper"
    combo = wrapper.widget
    assert _texts(combo) == [d.travel_mode_label(m) for m in d.TRAVEL_MODES]
    assert wrapper.value() == "car"  # the default, as an id
    wrapper.setValue("walk")
    assert combo.currentText() == d.travel_mode_label("walk")
    assert wrapper.parameterValue() == "walk"
    wrapper.setParameterValue(
        2, QgsProcessingContext()
    )  # an index (a value saved before the static ids)
    assert wrapper.parameterValue() == "bike"
    wrapper.setValue("1")
    assert wrapper.value() == "walk"
    assert "car" in combo.itemData(0, 3)  # Qt.ToolTipRole: the id for whoever writes scripts

    direction = _wrapper("cget:accesstime", "DIRECTION", dialog_class())
    assert direction.value() == "arrival"
    assert direction.widget.currentText() == d.direction_label("arrival")


def test_optional_enum_can_be_left_unset(cget_provider):
    wrapper = _wrapper("cget:exportmap", "ORIENTATION", AlgorithmDialog())
    assert wrapper.label.text() == tr("{label} [optional]").format(label=tr("Orientation"))
    assert _wrapper("cget:exportmap", "ORIENTATION", BatchAlgorithmDialog()).label is None
    texts = _texts(wrapper.widget)
    assert len(texts) == 4 and texts[1:] == [
        d.map_orientation_label(o) for o in ("auto", "landscape", "portrait")
    ]
    assert wrapper.value() == "auto"
    wrapper.setValue(None)
    assert wrapper.value() is None
    wrapper.setValue("portrait")
    assert wrapper.value() == "portrait"


def test_modeler_offers_labels_and_the_models_values(cget_provider):
    dialog = ModelerParametersDialog()
    wrapper = _wrapper("cget:isochrones", "OUTPUT_MODE", dialog)
    texts = _texts(wrapper.widget)
    assert texts == [d.output_mode_label(m) for m in d.OUTPUT_MODES] + [
        "Mode choisi (entrée du modèle)"
    ]
    assert dialog.asked, "the model's inputs were not offered"
    assert wrapper.value() == "rings"
    wrapper.widget.setCurrentIndex(3)
    assert wrapper.value() == dialog.source
    wrapper.setValue("per_origin")  # a child's static value, as the modeler restores it
    assert wrapper.value() == "per_origin"
    wrapper.setValue(dialog.source)
    assert wrapper.value() == dialog.source


def test_values_the_dialog_gives_run_as_script_ids(run_alg, cget_provider):
    """The parameters the widgets hand over are the ids a script passes: one run with them."""
    wrappers = {
        name: _wrapper("cget:isochrones", name, AlgorithmDialog())
        for name in ("BACKEND", "NETWORK_PROFILE", "MODE", "DIRECTION", "OUTPUT_MODE")
    }
    wrappers["DIRECTION"].setValue("arrival")
    wrappers["OUTPUT_MODE"].setValue("cumulative")
    values = {name: w.value() for name, w in wrappers.items()}
    assert values == {
        "BACKEND": "local",
        "NETWORK_PROFILE": "auto",
        "MODE": "car",
        "DIRECTION": "arrival",
        "OUTPUT_MODE": "cumulative",
    }
    layers = {
        name: QgsVectorLayer(f"{SAMPLE}|layername={name}", name, "ogr")
        for name in ("troncon_de_route", "france_services")
    }
    result = run_alg(
        "cget:isochrones",
        dict(
            values,
            INPUT=layers["france_services"],
            NETWORK=layers["troncon_de_route"],
            BANDS_MIN="5,10",
            OUTPUT="TEMPORARY_OUTPUT",
        ),
    )
    bands = sorted(f["min_to"] for f in result["OUTPUT"].getFeatures())
    assert bands and set(bands) == {5, 10}
