"""Shared test set-up: the repository on sys.path, a throwaway cache, no internet."""

import os
import sys
from pathlib import Path

import pytest

# Headless by default; set before pytest-qgis creates the QgsApplication.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

ARTIFACTS = REPO / "tests" / "artifacts"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "shared_data(*paths): reads these files of ../shared/data (tests.helpers.shared_data."
        "requires_shared); skipped with the reason when they are absent",
    )


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A test whose setup did not complete (a fixture skipped or failed) built no layer: its
    ``request`` is hidden from pytest-qgis's teardown hook. That hook (pytest-qgis 2.1, run
    before pytest's own teardown) re-reads every fixture named like a layer with
    ``request.getfixturevalue``; a fixture whose setup raised re-raises there (pytest 9, QGIS
    3.44 root), pytest's teardown of the item never runs and every later test errors with
    "previous item was not torn down properly"."""
    report = yield
    if call.when == "setup" and not report.passed:
        item.funcargs.pop("request", None)
    return report


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """Each test gets its own cache folder and catalogue (no user settings leak in)."""
    monkeypatch.setenv("CGET_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("CGET_CATALOG", raising=False)


@pytest.fixture
def artifacts_dir():
    """Folder for review artefacts (PNG renders, screenshots); not committed."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
