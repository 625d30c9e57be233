"""Plumbing shared by the step scripts that run inside the real QGIS desktop (``qgis --code``:
guide_steps.py, geography_toolbar_steps.py, accessibility_toolbar_steps.py,
layout_toolbar_steps.py): event pumping and waits, the plugin's actions and tool groups,
screenshots, and a :class:`Session` that runs the steps, collects the findings and writes them
as JSON for the pytest side (tests/gui/test_*.py) before quitting QGIS.

``qgis --code`` executes a script's text without ``__file__``, so a step script first puts its
own folder (taken from the ``--code`` argument) on ``sys.path``, then imports this module.
"""

import json
import os
import threading
import time
import traceback
from pathlib import Path

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtGui import QGuiApplication
from qgis.PyQt.QtWidgets import QAction, QApplication
from qgis.utils import iface


# -- events and waits ------------------------------------------------------------------------
def pump(ms=100):
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def wait_until(condition, timeout=90, what="condition"):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        QApplication.processEvents()
        if condition():
            pump(200)
            return True
        time.sleep(0.02)
    raise TimeoutError(f"timed out waiting for {what}")


def wait_tasks(timeout=90):
    pump(200)
    wait_until(
        lambda: QgsApplication.taskManager().countActiveTasks() == 0, timeout, "background tasks"
    )


def settle_canvas(after_ms=200):
    """Redraw the map canvas and wait for the rendering to finish."""
    canvas = iface.mapCanvas()
    canvas.refresh()
    pump(300)
    wait_until(lambda: not canvas.isDrawing(), 30, "map rendering")
    pump(after_ms)


def layers_added_by(start, timeout=120, what="the algorithm's layers", settle_ms=0):
    """Call ``start()`` (run a dialog, click the map...), wait for new layers in the project and
    for the background tasks; the layers it added."""
    project = QgsProject.instance()
    before = set(project.mapLayers())
    start()
    wait_until(lambda: set(project.mapLayers()) - before, timeout, what)
    wait_tasks(timeout)
    pump(settle_ms)
    return [project.mapLayer(i) for i in set(project.mapLayers()) - before]


def table_rows(layer):
    """The features' attributes as plain JSON values (NULL as None)."""
    names = layer.fields().names()
    return [dict(zip(names, [_plain(v) for v in f.attributes()])) for f in layer.getFeatures()]


def _plain(value):
    if value is None or str(value) == "NULL":
        return None
    if isinstance(value, (int, float, str)):
        return value
    return str(value)


# -- the plugin ------------------------------------------------------------------------------
def action(name):
    found = iface.mainWindow().findChild(QAction, name)
    if found is None:
        raise LookupError(f"no action {name}")
    return found


def plugin():
    import qgis.utils

    return qgis.utils.plugins["cget_plugin"]


def tool_group(index):
    """0: Géographie prioritaire, 1: Accessibilité, 2: Cartes préfecture."""
    return plugin().tool_groups[index]


def open_processing_dialog(group_index, action_name, what):
    """Click the toolbar action ``action_name``, which opens a Processing dialog of the tool
    group ``group_index``; the dialog, once shown."""
    action(action_name).trigger()
    dialog = tool_group(group_index).dialogs[-1]
    wait_until(dialog.isVisible, 10, what)
    return dialog


def dialog_values(dialog):
    """The parameters of a Processing dialog as its widgets hold them."""
    params = dialog.mainWidget().createProcessingParameters()
    return {k: str(v) for k, v in params.items()}


# -- the run ---------------------------------------------------------------------------------
class Session:
    """The findings of one ``qgis --code`` run: ``findings["steps"]`` filled by the steps,
    ``shots`` (screenshot names, in ``shots_dir``), ``errors`` (tracebacks), ``timings``."""

    def __init__(self, result, shots_dir=None, **extra):
        self.result = Path(result)
        self.shots_dir = Path(shots_dir) if shots_dir else None
        self.findings = {"steps": {}, "shots": [], "errors": []}
        self.findings.update(extra)
        if self.shots_dir is not None:
            self.shots_dir.mkdir(parents=True, exist_ok=True)

    def log(self, text):
        self.findings.setdefault("log", []).append(f"{time.monotonic():.1f} {text}")

    # screenshots
    def save(self, pixmap, name):
        path = self.shots_dir / name
        pixmap.save(str(path), "PNG")
        self.findings["shots"].append(name)
        return path

    def shot_window(self, name):
        """The main window, message bar cleared, once the map is drawn."""
        iface.messageBar().clearWidgets()
        settle_canvas()
        return self.save(iface.mainWindow().grab(), name)

    def shot_screen(self, name, rect):
        """A rectangle of the screen (popups and menus included)."""
        pump(300)
        screen = QGuiApplication.primaryScreen()
        return self.save(
            screen.grabWindow(0, rect.x(), rect.y(), rect.width(), rect.height()), name
        )

    def shot_widget(self, widget, name):
        pump(300)
        return self.save(widget.grab(), name)

    # result
    def write(self):
        self.result.write_text(
            json.dumps(self.findings, ensure_ascii=False, indent=1, default=str), encoding="utf-8"
        )

    def _watchdog(self, seconds):
        """A step stuck in a modal loop or a wait: write what we have and leave."""
        self.findings["errors"].append(f"watchdog: still running after {seconds} s")
        self.write()
        os._exit(3)

    def run(self, steps, stop_on_error=True, watchdog_s=None, log_steps=False):
        """Run the steps in order (a failure's traceback goes to ``errors``; with
        ``stop_on_error`` the later steps are skipped), write the findings, quit QGIS."""
        if watchdog_s:
            timer = threading.Timer(watchdog_s, self._watchdog, (watchdog_s,))
            timer.daemon = True
            timer.start()
        started = time.monotonic()
        for step in steps:
            t0 = time.monotonic()
            if log_steps:
                self.log(f"start {step.__name__}")
            try:
                step()
            except Exception:  # every failure goes to the test
                self.findings["errors"].append(f"{step.__name__}: {traceback.format_exc()}")
                if stop_on_error:
                    break
            self.findings.setdefault("timings", {})[step.__name__] = round(time.monotonic() - t0, 1)
        self.findings["seconds"] = round(time.monotonic() - started, 1)
        self.write()
        QgsApplication.exit(0)

    def run_later(self, steps, delay_ms=3000, **options):
        """Start :meth:`run` once QGIS has finished starting (``options``: see ``run``)."""
        QTimer.singleShot(delay_ms, lambda: self.run(steps, **options))
