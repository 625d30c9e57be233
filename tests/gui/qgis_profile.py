"""Shared helpers of the desktop tests: a throwaway QGIS profile holding the packaged plugin
(``make package`` ZIP) and a ``qgis --code`` run under the X display of ``make test-gui``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Dict, Optional

import pytest

REPO = Path(__file__).resolve().parents[2]
BUILD = REPO / "build"


def package_zip() -> Path:
    zips = sorted(BUILD.glob("cget_plugin-*.zip"), key=lambda p: p.stat().st_mtime)
    if not zips:
        pytest.fail("no plugin ZIP in build/: run `make package` (make test-gui does it)")
    return zips[-1]


def make_profile(root: Path, locale: str = "fr") -> Path:
    """``root`` holding ``profiles/default`` with the plugin installed and enabled."""
    profile = root / "profiles" / "default"
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(package_zip()) as archive:
        names = archive.namelist()
        assert {n.split("/")[0] for n in names} == {"cget_plugin"}, "ZIP must hold cget_plugin/"
        archive.extractall(plugins)
    ini = profile / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(
        "[PythonPlugins]\ncget_plugin=true\n\n"
        f"[locale]\noverrideFlag=true\nuserLocale={locale}\nglobalLocale={locale}\n\n"
        "[qgis]\ncheckVersion=false\nshowTips=false\n",
        encoding="utf-8",
    )
    return root


def require_desktop() -> None:
    if not shutil.which("qgis"):
        pytest.fail("QGIS desktop not installed (make setup installs it)")
    if not os.environ.get("DISPLAY"):
        pytest.skip("no X display: run under xvfb-run (make test-gui)")


def run_qgis_code(
    profiles: Path, script: Path, env_extra: Dict[str, str], timeout: int = 180
) -> subprocess.CompletedProcess:
    """Run ``qgis --code script`` with the profile folder ``profiles`` (French, xcb)."""
    env = dict(os.environ)
    env.update(QT_QPA_PLATFORM="xcb", LANG="fr_FR.UTF-8")
    env.update(env_extra)
    return subprocess.run(
        [
            "qgis",
            "--profiles-path",
            str(profiles),
            "--nologo",
            "--noversioncheck",
            "--code",
            str(script),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def run_steps_with_replay(
    steps: Path, tmp: Path, result_var: str, env_extra: Dict[str, str], timeout: int = 240
) -> dict:
    """Start the loopback replay server (tests/replay/server.py), run ``qgis --code steps`` in a
    fresh French profile under ``tmp`` with the plugin pointed at the server (``CGET_CATALOG``)
    and a cache of its own, then stop the server. The findings the script wrote to the JSON
    file named by ``$result_var``, with the requests the server answered in ``replay_counts``."""
    from tests.replay.server import start_server

    server = start_server(catalog_out=tmp / "catalog.json")
    try:
        root = make_profile(tmp / "qgis")
        result = tmp / "result.json"
        env = {
            result_var: str(result),
            "CGET_CATALOG": str(server.catalog_path),
            "CGET_CACHE_DIR": str(tmp / "cache"),
        }
        env.update(env_extra)
        proc = run_qgis_code(root, steps, env, timeout=timeout)
        counts = dict(server.services.counts)
    finally:
        server.stop()
    assert result.exists(), f"QGIS wrote no result (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
    findings = json.loads(result.read_text(encoding="utf-8"))
    findings["replay_counts"] = counts
    return findings


def optimise_png(png: Path, target: Optional[Path] = None) -> Path:
    """Palette PNG (screenshots have few colours)."""
    from PIL import Image

    target = target or png
    with Image.open(png) as image:
        image = image.convert("RGB")
        image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            target, optimize=True
        )
    return target
