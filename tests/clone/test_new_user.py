"""A new user's path (issue 13): a fresh clone of the repository in a temporary folder, with
nothing beside it (no ``../shared``), and the README's two commands run exactly as the README
writes them (read from its "Deux commandes" block, never retyped here): ``make demo`` on the
bundled sample, then ``make test`` limited to the quick layer (``CGET_TEST_LAYERS=unit``, which
the Makefile honours) to keep CI within its budget.

The clone is made from this checkout's committed HEAD (uncommitted changes are not in it).
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
README = REPO / "README.md"


def readme_commands():
    """The shell lines of the first ``bash`` block under "## Deux commandes"."""
    text = README.read_text(encoding="utf-8")
    section = text.split("## Deux commandes", 1)[1]
    block = re.search(r"```bash\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def readme_demo_outputs():
    """The files the README says ``make demo`` writes (its table under "Deux commandes")."""
    section = README.read_text(encoding="utf-8").split("## Deux commandes", 1)[1]
    section = section.split("\n## ", 1)[0]
    return re.findall(r"^\| `([^`]+)` \|", section, re.M)


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    parent = tmp_path_factory.mktemp("newuser")
    target = parent / "cget"
    subprocess.run(["git", "clone", "--quiet", str(REPO), str(target)], check=True, timeout=300)
    assert not (parent / "shared").exists()
    return target


def _env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CGET_", "MAKE", "MFLAGS"))}
    env.update(CGET_TEST_LAYERS="unit", CI=os.environ.get("CI", ""))
    env.pop("VIRTUAL_ENV", None)
    return env


def _run(command, cwd, timeout):
    result = subprocess.run(
        ["bash", "-c", command],
        cwd=cwd,
        env=_env(),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, f"`{command}` failed in the clone:\n{output[-6000:]}"
    return output


def test_readme_has_the_two_commands():
    commands = readme_commands()
    assert [c.split("#")[0].strip() for c in commands] == ["make demo", "make test"]
    assert readme_demo_outputs()


def test_demo_then_quick_tests_in_a_fresh_clone(clone):
    demo, test = readme_commands()
    output = _run(demo, clone, timeout=900)
    for name in readme_demo_outputs():
        path = clone / "demo-output" / name
        assert path.is_file() and path.stat().st_size > 0, (name, output[-3000:])
    table = (clone / "demo-output" / "couverture_population.csv").read_bytes()
    assert table.startswith(b"\xef\xbb\xbf")  # opens in a French spreadsheet (issue 13)
    header, overall = table.decode("utf-8-sig").splitlines()[:2]
    assert header.startswith("zone;pop_total;") and re.search(r";\d+,\d;", overall), overall
    output = _run(test, clone, timeout=1500)
    assert "=== tests/unit on the host" in output, output[-3000:]
    assert "=== tests/qgis" not in output and "=== tests/gui" not in output
    if os.environ.get("QGIS", "all") != "host":
        assert "=== tests/unit in the QGIS root" in output, output[-3000:]
    assert not re.search(r"\b\d+ (failed|error)", output), output[-3000:]
