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
