"""Where the plugin's files live, in the repository and once packaged.

In the repository ``resources/`` and ``i18n/`` sit next to ``cget_plugin/``; ``make package``
copies them inside the plugin folder. Both layouts are supported.
"""

import os
from pathlib import Path

PLUGIN_DIR = Path(__file__).resolve().parent.parent


def _first_existing(*candidates: Path) -> Path:
    for candidate in candidates:
        if candidate.exists():
            return candidate
    return candidates[0]


def resources_dir() -> Path:
    return _first_existing(PLUGIN_DIR / "resources", PLUGIN_DIR.parent / "resources")


def i18n_dir() -> Path:
    return _first_existing(PLUGIN_DIR / "i18n", PLUGIN_DIR.parent / "i18n")


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


def cache_dir() -> Path:
    """On-disk cache folder: ``CGET_CACHE_DIR`` or the QGIS profile's cache folder."""
    env = os.environ.get("CGET_CACHE_DIR")
    if env:
        path = Path(env)
    else:
        try:
            from qgis.core import QgsApplication

            base = QgsApplication.qgisSettingsDirPath()
        except Exception:  # pragma: no cover - outside QGIS
            base = ""
        path = Path(base) / "cache" / "cget" if base else Path.home() / ".cache" / "cget"
    path.mkdir(parents=True, exist_ok=True)
    return path
