"""The test runners of `make test` report failures and empty suites, and only those."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _run(tmp_path, body, *extra):
    (tmp_path / "test_sample.py").write_text(body, encoding="utf-8")
    return subprocess.run(
        [
            sys.executable,
            str(REPO / "scripts" / "run_pytest.py"),
            str(tmp_path),
            "-p",
            "no:qgis",
            "-p",
            "no:cacheprovider",
            "-p",
            "tests.helpers.qgis_exit",
            "-q",
            *extra,
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_passing_suite_exits_zero(tmp_path):
    out = _run(tmp_path, "def test_ok():\n    assert 1 + 1 == 2\n")
    assert out.returncode == 0, out.stdout + out.stderr
    assert "1 passed" in out.stdout


def test_failing_suite_exits_non_zero(tmp_path):
    out = _run(tmp_path, "def test_ko():\n    assert 1 + 1 == 3\n")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "1 failed" in out.stdout


def test_empty_suite_is_a_failure(tmp_path):
    out = _run(tmp_path, "def helper():\n    return 1\n")
    assert out.returncode == 1, out.stdout + out.stderr
    assert "no test was collected" in out.stdout


def test_collection_error_is_a_failure(tmp_path):
    out = _run(tmp_path, "import module_that_does_not_exist\n\ndef test_x():\n    pass\n")
    assert out.returncode not in (0, 5), out.stdout + out.stderr
