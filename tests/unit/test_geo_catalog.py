"""The catalogue of priority geographies is valid data, and load_catalog honours CGET_CATALOG."""

import copy
import json
from pathlib import Path

import pytest

from cget_plugin.core import catalog as cat
from cget_plugin.core.errors import InputError

REPO = Path(__file__).resolve().parents[2]
CATALOG = REPO / "resources" / "catalog" / "catalog.json"
STYLES = REPO / "resources" / "styles"

REQUIRED_IDS = {
    "qpv2024",
    "qpv2015",
    "frr",
    "zrr",
    "acv",
    "pvd",
    "territoires_industrie",
    "france_services",
    "zfu",
    "crte",
    "communes",
    "epci",
    "departements",
    "regions",
}


@pytest.fixture(autouse=True)
def _no_settings(monkeypatch):
    monkeypatch.setattr(cat, "settings_overrides", lambda ids: {})


def _data():
    return json.loads(CATALOG.read_text(encoding="utf-8"))


def test_bundled_catalogue_is_valid_and_styles_exist():
    data = _data()
    assert cat.validate_catalog_data(data, STYLES) == []
    ids = {e["id"] for e in data["entries"]}
    assert REQUIRED_IDS <= ids
    for entry in data["entries"]:
        assert entry["theme"] in cat.THEME_IDS
        assert entry["licence"], entry["id"]
        assert (STYLES / entry["style"]).is_file(), entry["style"]
        source = entry["source"]
        # data.gouv API first where the dataset is known, pinned URLs as fallback
        if "datagouv" in source:
            assert source["urls"], f"{entry['id']}: no pinned fallback URL"
        for url in source.get("urls", []):
            assert url.startswith("https://"), url


def test_qpv2024_points_to_the_2024_file_not_the_2015_wfs():
    entry = cat.load_catalog(CATALOG).get("qpv2024")
    assert entry.source["datagouv"]["dataset"] == "5a561801c751df42d7fca9b6"
    assert "wfs" not in entry.source  # the GPF QPV WFS layer is the 2015 geography
    assert entry.fields["communes"] == ["insee_com"]
    assert entry.style == "qpv2024.qml"
    style = (STYLES / "qpv2024.qml").read_text(encoding="utf-8")
    assert "0,0,145" in style or "#000091" in style.lower()  # bleu France outline


def test_validation_catches_problems():
    data = _data()
    broken = copy.deepcopy(data)
    broken["entries"][0]["theme"] = "nowhere"
    del broken["entries"][1]["licence"]
    broken["entries"][2]["style"] = "missing.qml"
    broken["entries"][3]["geometry"] = {"method": "teleport"}
    broken["entries"].append(copy.deepcopy(broken["entries"][4]))
    problems = " | ".join(cat.validate_catalog_data(broken, STYLES))
    assert "unknown theme nowhere" in problems
    assert "missing key licence" in problems
    assert "missing.qml not found" in problems
    assert "unknown geometry method teleport" in problems
    assert "duplicate id" in problems


def test_cget_catalog_env_selects_an_alternate_file(tmp_path, monkeypatch):
    data = _data()
    data["entries"] = [e for e in data["entries"] if e["id"] in ("qpv2024", "communes")]
    data["entries"][0]["title"] = "QPV de test"
    alt = tmp_path / "alt.json"
    alt.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("CGET_CATALOG", str(alt))
    catalog = cat.load_catalog()
    assert catalog.ids() == ["qpv2024", "communes"]
    assert catalog.get("qpv2024").title == "QPV de test"
    with pytest.raises(InputError) as err:
        catalog.get("zrr")
    assert "zrr" in str(err.value) and "qpv2024, communes" in str(err.value)


def test_broken_alternate_catalogue_is_a_clear_error(tmp_path, monkeypatch):
    alt = tmp_path / "broken.json"
    alt.write_text("{not json", encoding="utf-8")
    monkeypatch.setenv("CGET_CATALOG", str(alt))
    with pytest.raises(InputError, match="not valid JSON"):
        cat.load_catalog()
    monkeypatch.setenv("CGET_CATALOG", str(tmp_path / "absent.json"))
    with pytest.raises(InputError, match="CGET_CATALOG"):
        cat.load_catalog()


def test_settings_override_is_attached_to_the_entry(monkeypatch):
    monkeypatch.setattr(cat, "settings_overrides", lambda ids: {"pvd": "/data/pvd.csv"})
    catalog = cat.load_catalog(CATALOG)
    assert catalog.get("pvd").override == "/data/pvd.csv"
    assert catalog.get("acv").override == ""


def test_themes_are_ordered_and_grouping_follows_them():
    assert list(cat.THEMES) == list(cat.THEME_IDS)
    # Issue 11 added the local engine's inputs (road network, population grid) as a theme.
    assert len(cat.THEMES.items()) == 7
    assert all(label for label in cat.THEMES.values())
    grouped = cat.load_catalog(CATALOG).by_theme()
    assert list(grouped)[0] == "politique_ville"
    assert [e.id for e in grouped["politique_ville"]][:2] == ["qpv2024", "qpv2015"]
    assert "france_services" in [e.id for e in grouped["services_publics"]]
    assert [e.id for e in grouped["moteur_local"]] == [
        "troncon_de_route",
        "carreaux_200m",
        "carreaux_1km",
    ]


def test_lookup_is_case_insensitive():
    catalog = cat.load_catalog(CATALOG)
    assert catalog.get("QPV2024").id == "qpv2024"
