"""The real QGIS desktop under Xvfb, with a throwaway profile in which the packaged plugin is
installed and enabled: three toolbars, the provider, French titles, clean unload and reload.

Run by ``make test-gui`` (which builds the ZIP first and starts Xvfb)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.gui.qgis_profile import make_profile

REPO = Path(__file__).resolve().parents[2]
CHECK_SCRIPT = Path(__file__).with_name("qgis_startup_check.py")
TOOLBAR_IDS = ("CgetGeographyToolbar", "CgetAccessibilityToolbar", "CgetLayoutToolbar")
TITLES = {
    "fr": ("Géographie prioritaire", "Accessibilité", "Cartes préfecture"),
    "en": ("Priority geography", "Accessibility", "Prefecture maps"),
}


def _make_profile(root: Path, locale: str) -> Path:
    return make_profile(root, locale)


def _run_qgis(tmp_path: Path, locale: str, screenshot: Path):
    if not shutil.which("qgis"):
        pytest.fail("QGIS desktop not installed (make setup installs it)")
    if not os.environ.get("DISPLAY"):
        pytest.skip("no X display: run through `make test-gui` (xvfb-run)")
    root = _make_profile(tmp_path / "qgis", locale)
    result = tmp_path / "result.json"
    env = dict(os.environ)
    env.update(
        CGET_GUI_RESULT=str(result),
        CGET_GUI_SCREENSHOT=str(screenshot),
        CGET_CACHE_DIR=str(tmp_path / "cache"),
        QT_QPA_PLATFORM="xcb",
    )
    proc = subprocess.run(
        [
            "qgis",
            "--profiles-path",
            str(root),
            "--nologo",
            "--noversioncheck",
            "--code",
            str(CHECK_SCRIPT),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert (
        result.exists()
    ), f"QGIS produced no result (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    findings = json.loads(result.read_text(encoding="utf-8"))
    assert "error" not in findings, findings["error"]
    return findings


@pytest.mark.parametrize("locale", ["fr", "en"])
def test_plugin_in_real_qgis(tmp_path, locale):
    shots = REPO / "tests" / "artifacts"
    shots.mkdir(parents=True, exist_ok=True)
    screenshot = shots / f"qgis_toolbars_{locale}.png"
    findings = _run_qgis(tmp_path, locale, screenshot)

    assert findings["loaded"]
    start = findings["after_start"]
    assert sorted(start["toolbars"]) == sorted(TOOLBAR_IDS)
    for object_name, title in zip(TOOLBAR_IDS, TITLES[locale]):
        entries = start["toolbars"][object_name]
        assert len(entries) == 1, f"{object_name} duplicated"
        assert entries[0]["title"] == title
    assert start["provider_count"] == 1
    assert start["provider"]
    expected_menu = (
        "CGET – Égalité des territoires" if locale == "fr" else "CGET – Territorial equality"
    )
    assert expected_menu in start["plugin_menu"]
    assert screenshot.is_file() and screenshot.stat().st_size > 10_000

    unloaded = findings["after_unload"]
    assert unloaded["toolbars"] == {} and unloaded["provider"] is None
    assert expected_menu not in unloaded["plugin_menu"]

    reloaded = findings["after_reload"]
    assert sorted(reloaded["toolbars"]) == sorted(TOOLBAR_IDS)
    assert all(len(v) == 1 for v in reloaded["toolbars"].values()), "toolbars duplicated on reload"
    assert reloaded["provider_count"] == 1
    assert reloaded["algorithms"] == start["algorithms"]
    assert reloaded["plugin_menu"].count(expected_menu) == 1
