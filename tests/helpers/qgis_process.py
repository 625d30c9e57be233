"""Running ``qgis_process`` on the plugin of this working tree, as a user's batch script would:
a throwaway QGIS configuration whose default profile holds the plugin (links to the sources and
``metadata.txt``, which declares ``hasProcessingProvider``) enabled."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Dict, List

import pytest

REPO = Path(__file__).resolve().parents[2]
PLUGIN = "cget_plugin"


def qgis_process_command() -> List[str]:
    """The ``qgis_process`` binary. Debian's ``qgis_process`` wrapper adds ``$QGIS_OPTS`` from
    ``/etc/default/qgis``, where ``--noversioncheck`` (meant for the desktop) makes
    ``qgis_process`` refuse to start: the ``.bin`` beside it is called when it exists."""
    found = shutil.which("qgis_process")
    if found is None:
        pytest.skip("qgis_process is not installed here (Debian package qgis)")
    binary = Path(found).with_name("qgis_process.bin")
    return [str(binary if binary.exists() else found)]


def make_config(root: Path) -> Path:
    """``root`` as ``QGIS_CUSTOM_CONFIG_PATH``: ``profiles/default`` with the plugin enabled."""
    profile = root / "profiles" / "default"
    plugin = profile / "python" / "plugins" / PLUGIN
    plugin.mkdir(parents=True)
    # the package's entries and metadata.txt: paths resolve into the repository, where
    # resources/ and i18n/ sit next to the package (core/paths.py)
    for entry in (REPO / PLUGIN).iterdir():
        if entry.name != "__pycache__":
            (plugin / entry.name).symlink_to(entry)
    (plugin / "metadata.txt").symlink_to(REPO / "metadata.txt")
    ini = profile / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text(f"[PythonPlugins]\n{PLUGIN}=true\n", encoding="utf-8")
    return root


def run_qgis_process(
    args: List[str], root: Path, timeout: int = 600, env_extra: Dict[str, str] = None
) -> subprocess.CompletedProcess:
    """``qgis_process args...`` with the configuration of :func:`make_config` (offscreen,
    the plugin's cache under ``root``, no network needed)."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        QGIS_CUSTOM_CONFIG_PATH=str(root),
        CGET_CACHE_DIR=str(root / "cache"),
    )
    env.update(env_extra or {})
    return subprocess.run(
        qgis_process_command() + args,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=str(root),
    )


def run_json(args: List[str], root: Path, **kwargs) -> dict:
    """``qgis_process --json args...``: its answer, or a failure showing its output."""
    done = run_qgis_process(["--json"] + args, root, **kwargs)
    start = done.stdout.find("{")
    if done.returncode != 0 or start < 0:
        pytest.fail(
            f"qgis_process {' '.join(args)} failed ({done.returncode}):\n"
            f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        )
    return json.loads(done.stdout[start:])
