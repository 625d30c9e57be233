"""Territory codes against the shipped COG reference: parsing, search, PLM, CRS."""

import gzip
import json
import sys
from pathlib import Path

import pytest

from cget_plugin.core import territory as terr_mod
from cget_plugin.core.errors import InputError

REPO = Path(__file__).resolve().parents[2]


def test_reference_is_shipped_compact_and_dated():
    path = REPO / "resources" / "reference" / "territory.json.gz"
    assert path.stat().st_size < 3_000_000
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        data = json.load(handle)
    assert data["vintage"] == "COG 2026 (@etalab/decoupage-administratif 6.0.0)"
    ref = terr_mod.load_reference()
    assert ref.vintage == data["vintage"]
    assert 34_000 < len(ref.communes) < 36_000
    for dep in ("2A", "2B", "971", "972", "973", "974", "976", "93"):
        assert dep in ref.departements
    assert len(ref.arrondissements) == 45  # 20 Paris + 16 Marseille + 9 Lyon
    # commune -> EPCI -> département -> région
    assert ref.commune_epci("93066") == "200054781"  # Métropole du Grand Paris
    assert ref.commune_dep("93066") == "93"
    assert ref.commune_region("93066") == "11"
    assert ref.population("commune", "48095") > 5000  # Mende


def test_normalise_insee_handles_spreadsheet_damage():
    assert terr_mod.normalise_insee('="01053"') == "01053"
    assert terr_mod.normalise_insee("1053") == "01053"
    assert terr_mod.normalise_insee(1053) == "01053"
    assert terr_mod.normalise_insee("1053.0") == "01053"
    assert terr_mod.normalise_insee(" 2a004 ") == "2A004"
    assert terr_mod.normalise_insee("75111", arrondissement_to_commune=True) == "75056"
    assert terr_mod.normalise_insee("13216", arrondissement_to_commune=True) == "13055"
    assert terr_mod.normalise_insee("69389", arrondissement_to_commune=True) == "69123"
    assert terr_mod.normalise_insee("75056", arrondissement_to_commune=True) == "75056"
    assert terr_mod.normalise_insee("13217", arrondissement_to_commune=True) == "13217"


def test_split_codes_never_uses_substrings():
    assert terr_mod.split_codes("13055, 13070") == ["13055", "13070"]
    assert terr_mod.split_codes("02571; 02691") == ["02571", "02691"]
    assert terr_mod.split_codes("A;B") == ["A", "B"]
    assert "13070" not in terr_mod.split_codes("130700")


def test_parse_territory_kinds_and_prefixes():
    terr = terr_mod.parse_territory("93, 2a; 971 reg:11 epci:200054781 com:93066 1053")
    assert terr.codes == [
        ("departement", "93"),
        ("departement", "2A"),
        ("departement", "971"),
        ("region", "11"),
        ("epci", "200054781"),
        ("commune", "93066"),
        ("commune", "01053"),
    ]
    assert terr_mod.parse_territory("").is_empty()
    assert terr_mod.parse_territory(None).is_empty()
    assert terr_mod.parse_territory("200054781").codes == [("epci", "200054781")]
    assert terr_mod.parse_territory("Lozère").codes == [("departement", "48")]
    assert terr_mod.parse_territory("seine saint denis").label() == "Seine-Saint-Denis (93)"


def test_bad_codes_are_named_with_closest_valid_ones():
    with pytest.raises(InputError) as err:
        terr_mod.parse_territory("93, 99, 9306X, 123456789")
    text = str(err.value)
    assert "“99”" in text and "“9306X”" in text and "123456789" in text
    assert "93" not in text.split("“99”")[0].replace("Territory", "")  # the good code is not blamed
    with pytest.raises(InputError, match="closest valid codes: 93066"):
        terr_mod.parse_territory("93067")
    with pytest.raises(InputError, match="ambiguous"):
        terr_mod.parse_territory("Saint-Denis")


def test_former_commune_code_is_replaced_with_a_note():
    terr = terr_mod.parse_territory("01340")
    assert terr.codes == [("commune", "01015")]
    assert "01340" in terr.notes[0]


def test_commune_codes_of_each_kind():
    assert len(terr_mod.parse_territory("93").commune_codes()) == 39
    epci = terr_mod.parse_territory("200054781").commune_codes()  # Métropole du Grand Paris
    assert "93066" in epci and "75056" in epci and "75119" in epci
    assert terr_mod.parse_territory("reg:11").departement_codes() == {
        "75",
        "77",
        "78",
        "91",
        "92",
        "93",
        "94",
        "95",
    }


def test_paris_lyon_marseille_arrondissements_both_ways():
    paris = terr_mod.parse_territory("75056").commune_codes()
    assert {"75056", "75101", "75120"} <= paris
    arr = terr_mod.parse_territory("75119").commune_codes()
    assert "75119" in arr and "75056" in arr
    assert terr_mod.parse_territory("13203").departement_codes() == {"13"}
    assert terr_mod.parse_territory("69381").label() == "Lyon 1er Arrondissement (69381)"


def test_search_ranks_exact_code_then_prefix_then_contains():
    first = terr_mod.search("93", limit=3)
    assert (first[0].kind, first[0].code) == ("departement", "93")
    assert first[0].label.startswith("Seine-Saint-Denis (93) – ")
    names = [m.name for m in terr_mod.search("saint-denis", limit=10)]
    assert names[0] == "Saint-Denis"
    assert any(n.startswith("Saint-Denis-") for n in names)
    lozere = terr_mod.search("lozere")[0]
    assert (lozere.kind, lozere.code, lozere.name) == ("departement", "48", "Lozère")
    contains = terr_mod.search("bresse", limit=50)
    assert any(m.code == "01053" for m in contains)  # Bourg-en-Bresse: "contains"
    assert terr_mod.search("") == []
    assert terr_mod.search("1053")[0].code == "01053"  # lost leading zero
    assert terr_mod.search("200054781")[0].kind == "epci"


def test_search_is_fast_enough_for_a_picker():
    import time

    terr_mod.search("mar")  # builds the index
    start = time.perf_counter()
    for text in ("saint", "lyon", "93", "montreuil", "bourg"):
        terr_mod.search(text)
    assert time.perf_counter() - start < 2.0


def test_crs_for_territories():
    assert terr_mod.crs_for(terr_mod.parse_territory("93")) == "EPSG:2154"
    assert terr_mod.crs_for("") == "EPSG:2154"
    assert terr_mod.crs_for("971") == "EPSG:5490"
    assert terr_mod.crs_for("972, 971") == "EPSG:5490"
    assert terr_mod.crs_for("973") == "EPSG:2972"
    assert terr_mod.crs_for("974") == "EPSG:2975"
    assert terr_mod.crs_for("976") == "EPSG:4471"
    assert terr_mod.crs_for("97411") == "EPSG:2975"  # a commune of La Réunion
    assert terr_mod.crs_for("971, 93") == "EPSG:2154"  # mixed -> Lambert-93
    assert terr_mod.crs_for("reg:04") == "EPSG:2975"


def test_make_reference_build_from_a_minimal_package(tmp_path):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import make_reference as mr
    finally:
        sys.path.pop(0)
    data = {
        "regions": [{"code": "11", "nom": "Île-de-France", "zone": "metro"}],
        "departements": [{"code": "93", "nom": "Seine-Saint-Denis", "region": "11"}],
        "epci": [
            {
                "code": "200054781",
                "nom": "Métropole du Grand Paris",
                "type": "METRO",
                "populationMunicipale": 10,
                "membres": [{"code": "93066"}, {"code": "75056"}],
            }
        ],
        "communes": [
            {
                "code": "93066",
                "nom": "Saint-Denis",
                "type": "commune-actuelle",
                "departement": "93",
                "region": "11",
                "population": 5,
                "anciensCodes": ["93999"],
            },
            {
                "code": "75056",
                "nom": "Paris",
                "type": "commune-actuelle",
                "departement": "75",
                "region": "11",
                "population": 5,
            },
            {
                "code": "75101",
                "nom": "Paris 1er",
                "type": "arrondissement-municipal",
                "commune": "75056",
                "population": 1,
            },
        ],
    }
    payload = mr.build({"version": "6.0.0"}, data, "abc")
    assert payload["vintage"] == "COG 2026 (@etalab/decoupage-administratif 6.0.0)"
    assert payload["communes"][1][:6] == ["93066", "Saint-Denis", 5, "93", "11", "200054781"]
    assert payload["arrondissements_municipaux"] == [["75101", "Paris 1er", "75056", 1]]
    assert payload["former_codes"] == {"93999": "93066"}
    out = tmp_path / "ref.json.gz"
    mr.write_atomic(payload, out)
    ref = terr_mod.Reference(json.loads(gzip.open(out).read()))
    assert ref.commune_epci("93999") == "200054781"
