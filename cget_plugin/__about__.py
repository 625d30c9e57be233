"""Plugin identity, read from metadata.txt: the single source of truth for name and version.

In the repository metadata.txt sits at the top level; in the installed plugin it is copied next
to this file. Both places are looked up so the same code works in development and once packaged.
"""

import configparser
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _metadata_path() -> Path:
    for candidate in (_HERE / "metadata.txt", _HERE.parent / "metadata.txt"):
        if candidate.is_file():
            return candidate
    raise FileNotFoundError("metadata.txt not found next to cget_plugin nor in its parent folder")


def _read_metadata() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep keys such as description[fr] as written
    parser.read(_metadata_path(), encoding="utf-8")
    return parser["general"]


_META = _read_metadata()

__title__ = _META["name"]
__version__ = _META["version"]
__author__ = _META["author"]
__email__ = _META["email"]
__homepage__ = _META["homepage"]
__tracker__ = _META["tracker"]
__repository__ = _META["repository"]
__qgis_minimum_version__ = _META["qgisMinimumVersion"]
__summary__ = _META["description"]
__summary_fr__ = _META.get("description[fr]", "")
USER_AGENT = f"QGIS-CGET-plugin/{__version__}"
