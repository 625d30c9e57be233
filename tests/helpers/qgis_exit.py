"""pytest plugin: end the test process with pytest's exit status, skipping interpreter teardown.

Why: on QGIS 3.22 the bindings keep the exception raised by a failing Processing algorithm (and
so every frame of the call, down to the test's parameter dict) alive. At interpreter exit PyQt
then destroys the Python-owned layers still referenced there, after QGIS has shut GDAL down:
``QgsOgrProviderUtils::GDALCloseWrapper`` segfaults and the run exits 139 although every test
passed (seen with ``pytest.raises(QgsProcessingException)`` around ``processing.run`` with an
OGR layer object as input). Nothing is left to do once pytest has reported, so the process leaves
with ``os._exit`` and the status pytest computed. A crash *during* the tests is still a crash.

Loaded by ``make test-*`` and ``scripts/qgis_root.sh`` with ``-p tests.helpers.qgis_exit``.
"""

import os
import sys

import pytest


def pytest_sessionfinish(session, exitstatus):
    session.config._cget_exit_status = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    status = getattr(config, "_cget_exit_status", None)
    if status is None or os.environ.get("CGET_PYTEST_NORMAL_EXIT"):
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)
