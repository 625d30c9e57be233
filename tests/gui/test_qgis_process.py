"""Issue 13 item 2: every algorithm of the provider runs from the command line, as users write
it in batch files: ``qgis_process run cget:<id> -- PARAM=value ...`` on the bundled sample, with
the plugin installed from its ZIP (``make package``) in a throwaway profile and enabled there
(``[PythonPlugins] cget_plugin=true``, what ``qgis_process plugins enable cget_plugin`` writes).

qgis_process needs no display (offscreen); the test lives with the desktop tests because it
runs the packaged plugin in a real QGIS installation, on 3.22 (host) and 3.44 (root).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.gui.qgis_profile import make_profile
from tests.helpers.qgis_process import qgis_process_command
from tests.helpers.sample_calls import file_outputs, sample_calls


@pytest.fixture(scope="module")
def qgis_process(tmp_path_factory):
    """A function running qgis_process with a fresh profile holding the enabled plugin."""
    home = tmp_path_factory.mktemp("qgis_process")
    make_profile(home / "share" / "QGIS" / "QGIS3", locale="en")
    runtime = home / "runtime"
    runtime.mkdir(mode=0o700)
    # QGIS_CUSTOM_CONFIG_PATH (set by pytest-qgis) would move the profile away from ours
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CGET_", "QGIS_"))}
    env.update(
        HOME=str(home),
        XDG_DATA_HOME=str(home / "share"),
        XDG_RUNTIME_DIR=str(runtime),
        QT_QPA_PLATFORM="offscreen",
        CGET_CACHE_DIR=str(home / "cache"),
    )
    executable = qgis_process_command()[0]

    def run(*args: str, timeout: int = 600) -> subprocess.CompletedProcess:
        return subprocess.run(
            [executable, *args],
            env=env,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    return run


def _cli_arguments(params: dict):
    """``PARAM=value`` words; a list repeats its parameter, as qgis_process expects."""
    for name, value in params.items():
        for item in value if isinstance(value, list) else [value]:
            yield f"{name}={item}"


def test_qgis_process_lists_every_algorithm(qgis_process, tmp_path):
    proc = qgis_process("list")
    listed = sorted(set(re.findall(r"^\s*(cget:\w+)\s", proc.stdout, re.M)))
    assert listed == sorted(sample_calls(tmp_path)), proc.stdout[-3000:] + proc.stderr[-3000:]


@pytest.mark.parametrize("alg_id", sorted(sample_calls(Path("."))))
def test_algorithm_runs_with_qgis_process(qgis_process, tmp_path, alg_id):
    params = sample_calls(tmp_path)[alg_id]
    proc = qgis_process("--json", "run", alg_id, "--", *_cli_arguments(params))
    log = f"exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert proc.returncode == 0, log
    assert "Traceback" not in proc.stderr + proc.stdout, log
    results = json.loads(proc.stdout[proc.stdout.index("{") :])["results"]
    for name, path in file_outputs(params, tmp_path).items():
        assert results[name] == path, (name, log)
        assert Path(path).stat().st_size > 0, (name, log)
