"""metadata.txt is the single source of truth for name and version, and follows the
conventions of the QGIS plugin repository."""

import configparser
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _meta():
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read(REPO / "metadata.txt", encoding="utf-8")
    return parser["general"]


def test_required_keys_present():
    meta = _meta()
    for key in (
        "name",
        "qgisMinimumVersion",
        "description",
        "about",
        "version",
        "author",
        "email",
        "repository",
        "tracker",
        "homepage",
        "icon",
        "tags",
    ):
        assert meta.get(key, "").strip(), key
    assert meta["qgisMinimumVersion"] == "3.22"
    assert meta["hasProcessingProvider"] == "yes"


def test_bilingual_description_and_about():
    meta = _meta()
    assert meta["description[fr]"].strip() and meta["about[fr]"].strip()
    assert meta["description[fr]"] != meta["description"]


def test_version_is_semver():
    assert re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.]+)?", _meta()["version"])


def test_icon_exists():
    assert (REPO / _meta()["icon"]).is_file()


def test_about_reads_metadata():
    from cget_plugin import __about__

    meta = _meta()
    assert __about__.__version__ == meta["version"]
    assert __about__.__title__ == meta["name"]
    assert __about__.USER_AGENT.endswith(meta["version"])


def test_supports_qt6_only_if_declared_true():
    meta = _meta()
    if "supportsQt6" in meta:
        assert meta["supportsQt6"].strip().lower() in ("true", "yes", "false", "no")
