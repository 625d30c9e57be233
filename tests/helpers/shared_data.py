"""The one way tests read the real open data of ``../shared/data`` (never copied here).

``shared_path("qpv/qpv2015_occitanie.gpkg")`` returns the path, or skips the test with a reason
when the folder or file is absent. ``CGET_SHARED_DATA`` may point elsewhere.
"""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def shared_root() -> Path:
    env = os.environ.get("CGET_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def shared_path(relative: str) -> Path:
    path = shared_root() / relative
    if not path.exists():
        pytest.skip(f"shared data not available: {path} (set CGET_SHARED_DATA to its folder)")
    return path


def shared_layer(relative: str, layer_name: str = "", name: str = "layer"):
    """Open a vector file of the shared data as a QgsVectorLayer (skips when absent)."""
    from qgis.core import QgsVectorLayer

    path = shared_path(relative)
    uri = f"{path}|layername={layer_name}" if layer_name else str(path)
    layer = QgsVectorLayer(uri, name, "ogr")
    assert layer.isValid(), f"cannot open {uri}"
    return layer
