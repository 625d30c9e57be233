"""The size rules (no module over 600 lines, no function over 80) hold over the repository's
Python (scripts/check_sizes.py, also run by ``make lint``), and the checker catches a breach."""

import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _checker():
    spec = importlib.util.spec_from_file_location(
        "check_sizes", REPO / "scripts" / "check_sizes.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_no_module_or_function_over_the_limits():
    checker = _checker()
    folders = [REPO / f for f in checker.FOLDERS]
    found = [b for path in checker.python_files(folders) for b in checker.breaches(path)]
    assert found == []


def test_allow_list_names_only_existing_breaches():
    checker = _checker()
    for key in checker.ALLOWED:
        path, _, function = key.partition("::")
        assert (REPO / path).is_file(), key
        saved = dict(checker.ALLOWED)
        try:
            checker.ALLOWED.clear()
            found = checker.breaches(REPO / path)
        finally:
            checker.ALLOWED.update(saved)
        what = f"function {function} " if function else "module of "
        assert any(what in b for b in found), f"{key} is within the limits: drop it from ALLOWED"


def _function(name, lines, indent=""):
    """A function of exactly ``lines`` lines, from ``def`` to its last statement."""
    body = "".join(f"{indent}    x{i} = {i}\n" for i in range(lines - 1))
    return f"{indent}def {name}():\n{body}"


def test_checker_catches_a_long_function_and_a_long_module(tmp_path):
    checker = _checker()
    ok = tmp_path / "ok.py"
    ok.write_text(_function("fits", 80))
    assert checker.breaches(ok, tmp_path) == []
    long_function = tmp_path / "long_function.py"
    long_function.write_text("class A:\n" + _function("method", 81, indent="    "))
    assert checker.breaches(long_function, tmp_path) == [
        "long_function.py:2: function method of 81 lines (> 80)"
    ]
    long_module = tmp_path / "long_module.py"
    long_module.write_text("".join(f"X{i} = {i}\n" for i in range(601)))
    assert checker.breaches(long_module, tmp_path) == [
        "long_module.py:1: module of 601 lines (> 600)"
    ]
    assert checker.main([str(tmp_path)]) == 1
    long_function.unlink()
    long_module.unlink()
    assert checker.main([str(tmp_path)]) == 0
