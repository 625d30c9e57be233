"""Shared base class of the provider's algorithms (in the spirit of ORS Tools' base algorithm).

It gives every algorithm: translated name, group and help; the conversion of user errors
(:class:`CgetError`) into ``QgsProcessingException`` with their clear message and no traceback;
and, after the run, provenance written into each output layer's metadata, a style and a readable
layer name, both for layers loaded into the project and for layers returned to scripts.
"""

from __future__ import annotations

from typing import Dict, Optional

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingUtils,
)
from qgis.PyQt.QtGui import QIcon

from ..compat import save_style_to_database
from ..core import provenance as prov_mod
from ..core.errors import CancelledError, CgetError
from ..core.i18n import tr
from ..core.paths import resource

GROUPS = {
    "geography": lambda: tr("Priority geography"),
    "accessibility": lambda: tr("Accessibility"),
    "layouts": lambda: tr("Prefecture maps"),
}


class _OutputDecorator(QgsProcessingLayerPostProcessorInterface):
    """Applied by Processing once the output layer is loaded into the project."""

    # Processing keeps only a reference; hold instances so they are not garbage collected.
    _alive = []

    def __init__(self, provenance, style_path, layer_name, aliases=None):
        super().__init__()
        self.provenance = provenance
        self.style_path = style_path
        self.layer_name = layer_name
        self.aliases = aliases
        _OutputDecorator._alive.append(self)

    def postProcessLayer(self, layer, context, feedback):  # QGIS API
        decorate_layer(layer, self.provenance, self.style_path, self.layer_name, self.aliases)


def decorate_layer(
    layer, provenance=None, style_path=None, layer_name=None, aliases=None, persist=False
):
    """Provenance, style, name and field aliases on ``layer``; with ``persist``, also into its
    GeoPackage."""
    if layer is None:
        return
    if style_path:
        layer.loadNamedStyle(str(style_path))
    if provenance is not None:
        prov_mod.apply_to_layer(layer, provenance)
    if layer_name:
        layer.setName(layer_name)
    # After the style, which may carry aliases of its own: sinks do not keep aliases.
    for name, alias in (aliases or {}).items():
        idx = layer.fields().indexOf(name)
        if idx >= 0:
            layer.setFieldAlias(idx, alias)
    if persist:
        persist_layer_extras(layer)
    layer.triggerRepaint()


def persist_layer_extras(layer):
    """Best effort: keep metadata and style inside a GeoPackage output for later sessions."""
    source = layer.source().split("|")[0]
    if not source.lower().endswith(".gpkg"):
        return
    try:
        layer.saveDefaultMetadata()
    except Exception:  # provider without metadata storage: the layer still has it
        pass
    try:
        # GeoPackage style names are limited to 30 characters.
        save_style_to_database(layer, layer.name()[:30], tr("Style of the CGET plugin"))
    except Exception:
        pass


class CgetAlgorithm(QgsProcessingAlgorithm):
    """Base of every ``cget:`` algorithm. Subclasses set ``ALG_ID`` and ``GROUP_ID`` and
    implement ``display_name()``, ``help_text()``, ``initAlgorithm()`` and ``execute()``.

    The hook is ``execute`` and not ``run``: ``QgsProcessingAlgorithm.run()`` is the public API
    that ``processing.run()`` and the dialogs call, and must not be shadowed."""

    ALG_ID = ""
    GROUP_ID = ""
    ICON = "cget.svg"

    def __init__(self):
        super().__init__()
        self._decorations: Dict[str, tuple] = {}

    # -- identity -------------------------------------------------------------------------
    def name(self):
        return self.ALG_ID

    def displayName(self):
        return self.display_name()

    def display_name(self) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def group(self):
        return GROUPS[self.GROUP_ID]()

    def groupId(self):
        return self.GROUP_ID

    def shortHelpString(self):
        return self.help_text()

    def help_text(self) -> str:
        return ""

    def icon(self):
        return QIcon(str(resource("icons", self.ICON)))

    def createInstance(self):
        return type(self)()

    # -- running --------------------------------------------------------------------------
    def processAlgorithm(self, parameters, context, feedback):
        self._decorations = {}
        try:
            return self.execute(parameters, context, feedback)
        except CancelledError as exc:
            raise QgsProcessingException(str(exc) or tr("Cancelled by the user.")) from None
        except CgetError as exc:
            raise QgsProcessingException(str(exc)) from None

    def execute(self, parameters, context, feedback) -> dict:  # pragma: no cover - abstract
        raise NotImplementedError

    def decorate_output(
        self,
        dest_id: str,
        context,
        provenance: Optional[prov_mod.Provenance] = None,
        style: Optional[str] = None,
        layer_name: Optional[str] = None,
        aliases: Optional[Dict[str, str]] = None,
    ) -> None:
        """Register provenance/style/name/field aliases for the output ``dest_id`` (call from
        ``execute``). ``style`` is a file name in ``resources/styles`` or an absolute path."""
        style_path = None
        if style:
            style_path = style if "/" in style else str(resource("styles", style))
        self._decorations[dest_id] = (provenance, style_path, layer_name, aliases)
        if context.willLoadLayerOnCompletion(dest_id):
            details = context.layerToLoadOnCompletionDetails(dest_id)
            details.setPostProcessor(_OutputDecorator(provenance, style_path, layer_name, aliases))
            if layer_name:
                details.name = layer_name

    def postProcessAlgorithm(self, context, feedback):
        # Layers handed back to scripts (processing.run) get the same decoration.
        for dest_id, (provenance, style_path, layer_name, aliases) in self._decorations.items():
            layer = QgsProcessingUtils.mapLayerFromString(dest_id, context)
            decorate_layer(layer, provenance, style_path, layer_name, aliases, persist=True)
        return {}
