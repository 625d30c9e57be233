"""Run ``cget:loadgeography`` in the background and put the result into a layer-tree group named
after the territory; report in the message bar. The GUI never loads data itself: the algorithm
runs through the shared :class:`~.tasks.TaskRunner` (progress and Cancel in the task manager)."""

from __future__ import annotations

from qgis.core import Qgis, QgsProject
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.i18n import tr
from .tasks import TEMPORARY_OUTPUT, TaskRunner

LOAD_GEOGRAPHY_ALG = "cget:loadgeography"


def find_or_create_group(name: str, project=None):
    """The top-level layer-tree group ``name``, created at the top if missing."""
    project = project or QgsProject.instance()
    root = project.layerTreeRoot()
    group = root.findGroup(name)
    if group is None:
        group = root.insertGroup(0, name)
    return group


class GeographyLoader(QObject):
    """Starts loading tasks; emits ``loaded(layer)`` or ``failed(message)`` when done."""

    loaded = pyqtSignal(object)
    failed = pyqtSignal(str)

    def __init__(self, iface=None, parent=None, title: str = ""):
        super().__init__(parent)
        self.iface = iface
        self.runner = TaskRunner(iface, title or tr("Priority geography"), self)

    def load(
        self,
        geography_id: str,
        territory_codes: str,
        group_name: str,
        title: str = "",
        source: str = "",
        layer_name: str = "",
        on_done=None,
    ):
        """Load ``geography_id`` for ``territory_codes`` (or from ``source``, a file or layer
        replacing the catalogue's) into the group ``group_name``; ``layer_name`` replaces the
        algorithm's layer name. ``on_done(run)`` follows every end. Returns the run, or None
        when it could not start."""
        title = title or geography_id
        params = {
            "GEOGRAPHY": geography_id,
            "TERRITORY": territory_codes,
            "OUTPUT": TEMPORARY_OUTPUT,
        }
        if source:
            params["SOURCE"] = source
        return self.runner.run_algorithm(
            LOAD_GEOGRAPHY_ALG,
            params,
            tr("Loading {geo} – {territory}").format(geo=title, territory=group_name),
            on_success=lambda run: self._place(run, group_name, title, layer_name),
            on_done=lambda run: self._ended(run, on_done),
            failed=lambda error: tr("Could not load {geo}: {error}").format(geo=title, error=error),
            cancelled=tr("Loading of {geo} cancelled.").format(geo=title),
        )

    def _place(self, run, group_name, title, layer_name):
        layer = run.layers.get("OUTPUT")
        if layer is None:
            return tr("{geo}: no layer was produced.").format(geo=title), Qgis.MessageLevel.Warning
        if layer_name:
            layer.setName(layer_name)
        project = QgsProject.instance()
        group = find_or_create_group(group_name, project)
        project.addMapLayer(layer, False)
        group.insertLayer(0, layer)
        count = layer.featureCount()
        if count == 0:
            text = tr("No feature of {geo} in {territory}: the layer is empty.").format(
                geo=title, territory=group_name
            )
            return text, Qgis.MessageLevel.Info
        return tr("{n} features loaded into “{group}”.").format(n=count, group=group_name)

    def _ended(self, run, on_done):
        layer = run.layers.get("OUTPUT") if run.ok else None
        if layer is not None:
            self.loaded.emit(layer)
        else:
            self.failed.emit(run.message)
        if on_done is not None:
            on_done(run)

    def running(self):
        return self.runner.tasks()
