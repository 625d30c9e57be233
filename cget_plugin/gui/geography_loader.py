"""Run ``cget:loadgeography`` in the background and put the result into a layer-tree group named
after the territory; report in the message bar. The GUI never loads data itself: it runs the
Processing algorithm in a ``QgsProcessingAlgRunnerTask`` (progress and Cancel in the task
manager)."""

from __future__ import annotations

import threading

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
)
from qgis.PyQt.QtCore import QObject, pyqtSignal

from ..core.i18n import tr


class CollectingFeedback(QgsProcessingFeedback):
    """Keeps the algorithm's warnings and notes (from the worker thread) for the message bar."""

    def __init__(self):
        super().__init__()
        self._lock = threading.Lock()
        self.warnings = []
        self.infos = []

    def reportError(self, error, fatalError=False):  # noqa: N802, N803
        with self._lock:
            self.warnings.append(error)
        super().reportError(error, fatalError)

    def pushWarning(self, warning):  # noqa: N802
        with self._lock:
            self.warnings.append(warning)
        super().pushWarning(warning)

    def pushInfo(self, info):  # noqa: N802
        with self._lock:
            self.infos.append(info)
        super().pushInfo(info)


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

    def __init__(self, iface=None, parent=None):
        super().__init__(parent)
        self.iface = iface
        self._running = []  # (task, context, feedback) kept alive while running

    def load(self, geography_id: str, territory_codes: str, group_name: str, title: str = ""):
        registry = QgsApplication.processingRegistry()
        alg = registry.createAlgorithmById("cget:loadgeography")
        if alg is None:
            self._message(
                tr("Priority geography"),
                tr("The algorithm cget:loadgeography is not available."),
                Qgis.Critical,
            )
            return None
        context = QgsProcessingContext()
        context.setProject(QgsProject.instance())
        feedback = CollectingFeedback()
        params = {
            "GEOGRAPHY": geography_id,
            "TERRITORY": territory_codes,
            "OUTPUT": "TEMPORARY_OUTPUT",
        }
        description = tr("Loading {geo} – {territory}").format(
            geo=title or geography_id, territory=group_name
        )
        task = QgsProcessingAlgRunnerTask(alg, params, context, feedback)
        task.setDescription(description)
        entry = (task, context, feedback, alg)
        self._running.append(entry)
        task.executed.connect(
            lambda ok, results, e=entry: self._done(ok, results, e, group_name, title)
        )
        QgsApplication.taskManager().addTask(task)
        return task

    def _done(self, ok, results, entry, group_name, title):
        task, context, feedback, _alg = entry
        if entry in self._running:
            self._running.remove(entry)
        if not ok:
            if feedback.isCanceled():
                message = tr("Loading of {geo} cancelled.").format(geo=title)
                level = Qgis.Info
            else:
                errors = feedback.warnings[-1:] or [tr("unknown error (see the log)")]
                message = tr("Could not load {geo}: {error}").format(geo=title, error=errors[0])
                level = Qgis.Critical
            self._message(tr("Priority geography"), message, level)
            self.failed.emit(message)
            return
        layer = context.takeResultLayer(results.get("OUTPUT", ""))
        if layer is None:
            message = tr("{geo}: no layer was produced.").format(geo=title)
            self._message(tr("Priority geography"), message, Qgis.Warning)
            self.failed.emit(message)
            return
        project = QgsProject.instance()
        group = find_or_create_group(group_name, project)
        project.addMapLayer(layer, False)
        group.insertLayer(0, layer)
        count = layer.featureCount()
        details = "\n".join(feedback.infos + feedback.warnings)
        if count == 0:
            self._message(
                title,
                tr("No feature of {geo} in {territory}: the layer is empty.").format(
                    geo=title, territory=group_name
                ),
                Qgis.Info,
                details,
            )
        elif feedback.warnings:
            self._message(
                title,
                tr("{n} features loaded into “{group}”. {warning}").format(
                    n=count, group=group_name, warning=feedback.warnings[0]
                ),
                Qgis.Warning,
                details,
            )
        else:
            self._message(
                title,
                tr("{n} features loaded into “{group}”.").format(n=count, group=group_name),
                Qgis.Success,
                details,
            )
        self.loaded.emit(layer)

    def _message(self, title, text, level, details=""):
        if self.iface is None:
            return
        bar = self.iface.messageBar()
        duration = 0 if level == Qgis.Critical else 8
        if details:
            try:
                bar.pushMessage(title, text, details, level, duration)
                return
            except TypeError:  # a message bar without the "show more" variant
                pass
        bar.pushMessage(title, text, level, duration)

    def running(self):
        return [e[0] for e in self._running]
