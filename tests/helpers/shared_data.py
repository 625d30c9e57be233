"""The real open data the tests read.

- ``real_path``/``real_layer``: the small extracts committed in ``tests/data/real`` (always
  there; see ``tests/helpers/real_data.py``). Tests that check behaviour on real data use these.
- ``shared_path``/``shared_layer``: ``../shared/data`` (``CGET_SHARED_DATA`` may point
  elsewhere), for the larger realistic tests only. Such a test declares what it reads with
  ``@requires_shared("roads/...")`` (or ``pytestmark = requires_shared(...)``): it is then
  skipped with the reason *before* any fixture runs, and ``-m shared_data`` selects it.
  A skip raised inside a fixture is not enough: pytest-qgis re-reads layer fixtures at
  teardown (see tests/conftest.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.real_data import REPO, real_path, real_root

__all__ = ["real_layer", "real_path", "real_root", "requires_shared", "shared_layer", "shared_path"]


def shared_root() -> Path:
    env = os.environ.get("CGET_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def _missing_reason(relative) -> str:
    missing = [r for r in relative if not (shared_root() / r).exists()]
    if not missing:
        return ""
    return (
        f"larger realistic test on ../shared/data, absent here: {shared_root() / missing[0]} "
        "(set CGET_SHARED_DATA to its folder)"
    )


class _Marks(list):
    def __call__(self, obj):
        for mark in self:
            obj = mark(obj)
        return obj


def requires_shared(*relative: str):
    """Marks for a test (decorator) or a module (``pytestmark = requires_shared(...)``) that
    reads these files of the shared data: ``shared_data`` (selectable with ``-m``) and a skip
    with the reason when one is absent."""
    reason = _missing_reason(relative)
    return _Marks(
        [pytest.mark.shared_data(*relative), pytest.mark.skipif(bool(reason), reason=reason)]
    )


def shared_path(relative: str) -> Path:
    path = shared_root() / relative
    if not path.exists():
        pytest.skip(_missing_reason([relative]))
    return path


def _layer(path: Path, layer_name: str, name: str):
    from qgis.core import QgsVectorLayer

    uri = f"{path}|layername={layer_name}" if layer_name else str(path)
    layer = QgsVectorLayer(uri, name, "ogr")
    assert layer.isValid(), f"cannot open {uri}"
    return layer


def shared_layer(relative: str, layer_name: str = "", name: str = "layer"):
    """A vector file of the shared data as a QgsVectorLayer (skips when absent)."""
    return _layer(shared_path(relative), layer_name, name)


def real_layer(relative: str, layer_name: str = "", name: str = "layer"):
    """A vector file of the extracts (tests/data/real) as a QgsVectorLayer."""
    return _layer(real_path(relative), layer_name, name)
