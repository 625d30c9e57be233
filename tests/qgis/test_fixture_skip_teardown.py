"""A fixture that skips (data absent) must not break the tests after it: pytest-qgis re-reads
layer fixtures at teardown, which left the item un-torn-down on pytest 9 (QGIS 3.44 root) and
made every later test error with "previous item was not torn down properly" (tests/conftest.py).
Run in a separate pytest process on a throwaway module."""

import os
import subprocess
import sys
import textwrap

from tests.helpers.real_data import REPO

MODULE = """
import pytest


@pytest.fixture
def layers(qgis_app):
    pytest.skip("data absent")


def test_first(layers):
    pass


def test_second(layers):
    pass


def test_after(qgis_app):
    assert qgis_app is not None
"""


def test_a_skipping_layer_fixture_leaves_the_next_tests_alone(tmp_path):
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_runtest_makereport  # noqa: F401\n", encoding="utf-8"
    )
    (tmp_path / "test_module.py").write_text(textwrap.dedent(MODULE), encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO), QT_QPA_PLATFORM="offscreen")
    args = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)]
    out = subprocess.run(
        args + ["-p", "tests.helpers.qgis_exit"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=180,
    )
    text = out.stdout + out.stderr
    assert "1 passed, 2 skipped" in text, text
    assert "torn down" not in text and out.returncode == 0, text
