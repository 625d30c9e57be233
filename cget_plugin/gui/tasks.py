"""One way for the toolbars to run work without freezing QGIS.

:class:`TaskRunner` runs a Processing algorithm by id (:meth:`TaskRunner.run_algorithm`) or a
plain function such as geocoding one address (:meth:`TaskRunner.run_function`) as a task of the
QGIS task manager (progress and Cancel there), keeps every Python object the run needs alive
until it ends, takes the result layers from the Processing context (already decorated by the
algorithm's ``postProcess``: style, provenance, name), reports success, warning, failure or
cancellation in the message bar and calls the caller back on the GUI thread.

Algorithms flagged "no threading" (``cget:exportmap``: print layouts are not thread safe, and
QGIS's own layout export algorithms carry the same flag) run on the GUI thread the way QGIS's
Processing dialog runs them: a stand-in task shows their progress and Cancel in the task
manager, a small progress window offers Cancel, and the feedback lets Qt process events between
steps so that the window repaints and Cancel can be clicked.
"""

from __future__ import annotations

import threading
from typing import Callable, Dict, List, Optional, Sequence, Tuple

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsProcessing,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsTask,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QProgressDialog

from .. import compat as qc
from ..core.errors import CgetError
from ..core.i18n import tr

INFO, WARNING, ERROR = "info", "warning", "error"
TEMPORARY_OUTPUT = QgsProcessing.TEMPORARY_OUTPUT
#: Seconds a message stays in the bar; failures stay until closed.
MESSAGE_SECONDS = 8


def missing_algorithm_message(alg_id: str) -> str:
    return tr(
        "The Processing algorithm {id} is not available: check that the CGET plugin and the "
        "Processing plugin are enabled (Plugins > Manage and Install Plugins), then try again."
    ).format(id=alg_id)


def _on_gui_thread() -> bool:
    app = QCoreApplication.instance()
    return app is not None and QThread.currentThread() == app.thread()


class CollectingFeedback(QgsProcessingFeedback):
    """Keeps the infos, warnings and errors a run reports, from whichever thread, for the
    message bar; ``message(kind, text)`` relays each one as it comes (queued to the GUI thread
    when it comes from a worker). With ``pump_events`` (a run on the GUI thread), each message
    and progress step lets Qt process events."""

    message = pyqtSignal(str, str)

    def __init__(self, pump_events: bool = False):
        super().__init__()
        self._lock = threading.Lock()
        self._messages: List[Tuple[str, str]] = []
        self._pump = pump_events
        if pump_events:
            self.progressChanged.connect(self._pump_events)

    def reportError(self, error, fatalError=False):
        self._add(ERROR, error)
        super().reportError(error, fatalError)

    def pushWarning(self, warning):
        self._add(WARNING, warning)
        super().pushWarning(warning)

    def pushInfo(self, info):
        self._add(INFO, info)
        super().pushInfo(info)

    def _add(self, kind: str, text: str) -> None:
        with self._lock:
            self._messages.append((kind, text))
        self.message.emit(kind, text)
        self._pump_events()

    def _pump_events(self, *_args) -> None:
        if self._pump and _on_gui_thread():
            QCoreApplication.processEvents()

    def texts(self, *kinds: str) -> List[str]:
        with self._lock:
            return [text for kind, text in self._messages if kind in kinds and text]

    @property
    def infos(self) -> List[str]:
        return self.texts(INFO)

    @property
    def warnings(self) -> List[str]:
        return self.texts(WARNING)

    @property
    def errors(self) -> List[str]:
        return self.texts(ERROR)


class Run:
    """One run: what it needs kept alive while it runs, then its outcome."""

    def __init__(
        self,
        description: str,
        feedback: CollectingFeedback,
        on_success: Optional[Callable] = None,
        on_done: Optional[Callable] = None,
        failed: Optional[Callable] = None,
        cancelled: str = "",
    ):
        self.description = description
        self.feedback = feedback
        self.on_success = on_success
        self.on_done = on_done
        self.failed_text = failed or (lambda error: error)
        self.cancelled_text = cancelled or tr("{task}: cancelled, nothing was added.")
        self.task = None
        self.alg = None
        self.params: dict = {}
        self.context: Optional[QgsProcessingContext] = None
        self.outputs: Sequence[str] = ()
        self.results: dict = {}
        self.layers: Dict[str, object] = {}  # output name -> layer taken from the context
        self.value = None  # what a function run returned
        self.ok = False
        self.cancelled = False
        self.error = ""
        self.message = ""  # what the message bar said
        self.ended = False

    def cancel(self) -> None:
        self.feedback.cancel()
        if self.task is not None and not sip.isdeleted(self.task):
            self.task.cancel()


class _FunctionTask(QgsTask):
    """Runs ``function(feedback)`` in a worker thread; Cancel cancels the feedback."""

    def __init__(self, description, function, feedback, ended):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self._function = function
        self._feedback = feedback
        self._ended = ended
        self.value = None
        self.exception = None

    def run(self):
        try:
            self.value = self._function(self._feedback)
        except Exception as exc:  # handed to the GUI thread, reported there
            self.exception = exc
            return False
        return not self._feedback.isCanceled()

    def cancel(self):
        self._feedback.cancel()
        super().cancel()

    def finished(self, ok):
        self._ended(ok, self.value, self.exception)


class _GuiThreadTask(QgsTask):
    """Stands in the task manager for a run on the GUI thread: shows its progress and turns
    Cancel into the run's cancellation; its own worker thread only waits for the run's end."""

    def __init__(self, description, feedback):
        super().__init__(description, QgsTask.Flag.CanCancel)
        self._feedback = feedback
        self._end = threading.Event()
        self._ok = False
        feedback.progressChanged.connect(self._progress)

    def _progress(self, value):
        self.setProgress(value)

    def run(self):
        self._end.wait()
        return self._ok

    def cancel(self):
        self._feedback.cancel()
        super().cancel()

    def end(self, ok: bool) -> None:
        self._ok = ok
        self._end.set()


class TaskRunner(QObject):
    """Runs work in the background for one toolbar action and reports in the message bar under
    ``title``. ``finished(run)`` is emitted once a run has ended and been reported."""

    finished = pyqtSignal(object)

    def __init__(self, iface, title: str, parent=None):
        super().__init__(parent)
        self.iface = iface
        self.title = title
        self.runs: List[Run] = []

    # -- starting ----------------------------------------------------------------------------
    def run_algorithm(
        self,
        alg_id: str,
        params: dict,
        description: str,
        on_success: Optional[Callable] = None,
        on_done: Optional[Callable] = None,
        outputs: Sequence[str] = ("OUTPUT",),
        project=None,
        widget=None,
        failed: Optional[Callable] = None,
        cancelled: str = "",
    ) -> Optional[Run]:
        """Run ``alg_id`` with ``params`` (only those it defines). ``on_success(run)`` places
        the layers of ``run.layers`` and returns the message (text, or ``(text, level)``, or
        None for none; a :class:`CgetError` turns the run into a failure); ``on_done(run)`` is
        called after every end. ``failed(error)`` words a failure, ``cancelled`` a
        cancellation (``{task}`` is the description). Returns the run, or None when it could
        not start (said in the message bar)."""
        alg = QgsApplication.processingRegistry().createAlgorithmById(alg_id)
        if alg is None:
            self.report(missing_algorithm_message(alg_id), Qgis.MessageLevel.Critical)
            return None
        params = {k: v for k, v in params.items() if alg.parameterDefinition(k) is not None}
        context = QgsProcessingContext()
        context.setProject(project or QgsProject.instance())
        on_gui_thread = bool(alg.flags() & qc.ALG_FLAG_NO_THREADING)
        feedback = CollectingFeedback(pump_events=on_gui_thread)
        run = Run(description, feedback, on_success, on_done, failed, cancelled)
        run.alg, run.params, run.context, run.outputs = alg, params, context, tuple(outputs)
        ok, problem = alg.checkParameterValues(params, context)
        if not ok:
            run.feedback.reportError(problem or tr("The parameters are not valid."))
            self._end(run, ok=False)
            return None
        self.runs.append(run)
        if on_gui_thread:
            self._start_on_gui_thread(run, widget)
            return run
        task = QgsProcessingAlgRunnerTask(alg, params, context, run.feedback)
        task.setDescription(description)
        run.task = task
        if task.isCanceled():  # the algorithm refused its parameters in prepare()
            self._algorithm_ended(run, False, {})
            return None
        task.executed.connect(lambda ok, results, r=run: self._algorithm_ended(r, ok, results))
        QgsApplication.taskManager().addTask(task)
        return run

    def run_function(
        self,
        description: str,
        function: Callable,
        on_success: Optional[Callable] = None,
        on_done: Optional[Callable] = None,
        failed: Optional[Callable] = None,
        cancelled: str = "",
    ) -> Run:
        """Run ``function(feedback)`` in a worker thread (it must not touch widgets); its
        return value is ``run.value``. Callbacks and texts as :meth:`run_algorithm`."""
        run = Run(description, CollectingFeedback(), on_success, on_done, failed, cancelled)
        task = _FunctionTask(
            description,
            function,
            run.feedback,
            lambda ok, value, exc, r=run: self._function_ended(r, ok, value, exc),
        )
        run.task = task
        self.runs.append(run)
        QgsApplication.taskManager().addTask(task)
        return run

    def _start_on_gui_thread(self, run: Run, widget) -> None:
        task = _GuiThreadTask(run.description, run.feedback)
        run.task = task
        QgsApplication.taskManager().addTask(task)
        parent = widget or (self.iface.mainWindow() if self.iface is not None else None)
        progress = QProgressDialog(run.description, tr("Cancel"), 0, 100, parent)
        progress.setWindowTitle(self.title)
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.canceled.connect(run.feedback.cancel)
        run.feedback.progressChanged.connect(lambda value: progress.setValue(int(value)))
        progress.show()
        # Let the window show "running" before the GUI thread gets busy.
        QTimer.singleShot(0, lambda: self._execute_here(run, task, progress))

    def _execute_here(self, run: Run, task: _GuiThreadTask, progress) -> None:
        ok, results = False, {}
        try:
            if not run.feedback.isCanceled():
                results, ok = run.alg.run(run.params, run.context, run.feedback, {}, True)
        finally:
            task.end(ok)
            progress.close()
            progress.deleteLater()
        self._algorithm_ended(run, ok, results)

    # -- ending ------------------------------------------------------------------------------
    def _algorithm_ended(self, run: Run, ok: bool, results) -> None:
        if self._gone():
            return
        run.results = dict(results or {})
        if ok:
            for name in run.outputs:
                dest = run.results.get(name)
                layer = run.context.takeResultLayer(dest) if isinstance(dest, str) else None
                if layer is not None:
                    run.layers[name] = layer
        self._end(run, ok)

    def _function_ended(self, run: Run, ok: bool, value, exception) -> None:
        if self._gone():
            return
        run.value = value
        if exception is not None:
            message = str(exception) if isinstance(exception, CgetError) else ""
            run.feedback.reportError(
                message or tr("Unexpected error: {error}").format(error=repr(exception))
            )
        self._end(run, ok and exception is None)

    def _gone(self) -> bool:
        # The widget owning this runner was deleted while the task ran: nothing to report to.
        return sip.isdeleted(self)

    def _end(self, run: Run, ok: bool) -> None:
        if run in self.runs:
            self.runs.remove(run)
        run.ended = True
        run.ok = ok
        run.cancelled = not ok and run.feedback.isCanceled()
        text, level = self._outcome(run)
        run.message = text
        if text:
            details = "\n".join(run.feedback.texts(INFO, WARNING, ERROR))
            self.report(text, level, details)
        if run.on_done is not None:
            run.on_done(run)
        self.finished.emit(run)

    def _outcome(self, run: Run) -> Tuple[str, object]:
        if run.ok:
            try:
                return self._success(run)
            except CgetError as exc:
                run.ok = False
                run.feedback.reportError(str(exc))
        if run.cancelled:
            text = run.cancelled_text.replace("{task}", run.description)
            return text, Qgis.MessageLevel.Info
        run.error = self._error_text(run)
        return run.failed_text(run.error), Qgis.MessageLevel.Critical

    def _success(self, run: Run) -> Tuple[str, object]:
        said = run.on_success(run) if run.on_success is not None else None
        if said is None and run.on_success is None:
            said = tr("{task}: done.").format(task=run.description)
        text, level = said if isinstance(said, tuple) else (said or "", Qgis.MessageLevel.Success)
        warnings = run.feedback.texts(WARNING, ERROR)  # non-fatal errors of a successful run
        if text and warnings and level == Qgis.MessageLevel.Success:
            text, level = f"{text} {warnings[0]}", Qgis.MessageLevel.Warning
        return text, level

    @staticmethod
    def _error_text(run: Run) -> str:
        errors = run.feedback.errors
        if not errors:
            return tr("Unknown error: see the Processing log.")
        if "Traceback" in errors[-1]:  # a programming error: the details hold it
            return tr("Unexpected error: see the Processing log.")
        return errors[-1].strip()

    # -- reporting ---------------------------------------------------------------------------
    def report(self, text: str, level, details: str = "") -> None:
        if self.iface is None or not text:
            return
        bar = self.iface.messageBar()
        duration = 0 if level == Qgis.MessageLevel.Critical else MESSAGE_SECONDS
        if details and details != text:
            try:
                bar.pushMessage(self.title, text, details, level, duration)
                return
            except TypeError:  # a message bar without the "show more" variant
                pass
        bar.pushMessage(self.title, text, level, duration)

    def tasks(self) -> list:
        return [run.task for run in self.runs if run.task is not None]

    def cancel_all(self) -> None:
        for run in list(self.runs):
            run.cancel()
