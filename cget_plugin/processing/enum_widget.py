"""The combo box of our enum parameters in the Processing dialog, batch dialog and modeler:
French labels shown, the contract's ids held (see parameters.py).

QGIS's Processing GUI builds it from the parameter's metadata (``widget_wrapper``/``class``),
the extension point it offers from 3.0 to 3.44 to Python providers, in all three dialogs; it
subclasses that GUI's ``WidgetWrapper``, whose values are plain Python (``value``/``setValue``)
and which the modeler still handles (model inputs and child outputs offered in the same box).
Only a dialog imports this module: scripts and ``qgis_process`` never need ``processing.gui``.
"""

from __future__ import annotations

from processing.gui.wrappers import DIALOG_BATCH, DIALOG_MODELER, WidgetWrapper
from qgis.core import (
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QComboBox, QLabel

from .. import compat
from ..core.definitions import is_null
from ..core.i18n import tr


class LabelledEnumWidgetWrapper(WidgetWrapper):
    """One item per option: the label shown, the id as data (and in the item's tooltip, for
    whoever writes the script next)."""

    def createWidget(self, labels=None, **_options):
        definition = self.parameterDefinition()
        ids = list(definition.options())
        shown = list(labels) if labels and len(labels) == len(ids) else ids
        combo = QComboBox()
        if definition.flags() & compat.PARAM_FLAG_OPTIONAL:
            combo.addItem(tr("[Not selected]"), self.NOT_SET_OPTION)
        for option, label in zip(ids, shown):
            combo.addItem(label, option)
            combo.setItemData(
                combo.count() - 1,
                tr("Id in scripts: {id}").format(id=option),
                Qt.ItemDataRole.ToolTipRole,
            )
        if self.dialogType == DIALOG_MODELER:
            sources = self.dialog.getAvailableValuesOfType(
                [QgsProcessingParameterEnum, QgsProcessingParameterString],
                [QgsProcessingOutputString],
            )
            for source in sources:
                combo.addItem(self.dialog.resolveValueDescription(source), source)
        combo.currentIndexChanged.connect(lambda _index: self.widgetValueHasChanged.emit(self))
        return combo

    def createLabel(self):
        """As QGIS labels its own widgets (the Processing GUI's would say "[optional]" in
        English: its translations do not reach a subclass)."""
        if self.dialogType == DIALOG_BATCH:
            return None
        definition = self.parameterDefinition()
        text = definition.description()
        if definition.flags() & compat.PARAM_FLAG_OPTIONAL:
            text = tr("{label} [optional]").format(label=text)
        label = QLabel(text)
        label.setToolTip(definition.toolTip())
        return label

    def setValue(self, value):
        """An id, an option's index (a value saved before the ids were static) or a model source."""
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if is_null(value):
            self.setComboValue(self.NOT_SET_OPTION)
            return
        options = list(self.parameterDefinition().options())
        if isinstance(value, str) and value not in options and value.strip().isdigit():
            value = int(value.strip())
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(options):
            value = options[value]
        self.setComboValue(value)

    def value(self):
        return self.comboValue()
