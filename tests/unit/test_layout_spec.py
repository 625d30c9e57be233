"""Rules of the page that need no QGIS: orientation, round scales, pixels for a logo, file
names of atlas pages, the pre-flight list of a "final" map, fonts fallback, sources line."""

import pytest

from cget_plugin.core.layouts import sources as src
from cget_plugin.core.layouts.fonts import choose_family
from cget_plugin.core.layouts.spec import (
    atlas_file_stems,
    has_year,
    missing_for_final,
    nice_scale,
    orientation_for,
    page_key,
    pixels_needed,
    sanitize_file_stem,
)


def test_orientation_from_aspect_ratio():
    assert orientation_for(120, 100) == "landscape"
    assert orientation_for(115, 100) == "portrait"  # 1.15 is not > 1.15
    assert orientation_for(80, 100) == "portrait"


@pytest.mark.parametrize(
    "raw,expected",
    [
        (23456, 25000),
        (25000, 25000),
        (101000, 110000),
        (380000, 400000),
        (7600, 8000),
        (999, 1000),
        (1260, 1400),
    ],
)
def test_nice_scale_rounds_up(raw, expected):
    assert nice_scale(raw) == expected


def test_nice_scale_rejects_nonsense():
    with pytest.raises(ValueError):
        nice_scale(0)


def test_pixels_needed_matches_the_spec_example():
    # docs/map-conventions.md §2.6: 40 mm at 300 dpi needs 472 px
    assert pixels_needed(40, 300) == 473  # 472.4 px, rounded up
    assert pixels_needed(25.4, 100) == 100


def test_has_year():
    assert has_year("ANCT – QPV 2024")
    assert not has_year("ANCT – QPV")
    assert not has_year("code 12345")


def test_missing_for_final_lists_everything():
    missing = missing_for_final("", "Sources : ANCT – QPV", False, "", ["qpv"])
    text = " | ".join(missing)
    assert len(missing) == 5
    assert "TITLE" in text and "LOGO" in text and "« qpv »" in text and "4-digit" in text
    assert missing_for_final("Titre", "Sources : ANCT – QPV 2024", True, "DDT 31", []) == []


@pytest.mark.parametrize(
    "raw,expected",
    [
        ("Quartier A/B : centre?", "Quartier_A_B_centre"),
        ("  Saint-Étienne  ", "Saint-Étienne"),
        ("con", "_con"),
        ('<>:"|?*', ""),
        ("..", ""),
    ],
)
def test_sanitize_file_stem(raw, expected):
    assert sanitize_file_stem(raw) == expected


def test_atlas_file_stems_report_changes_and_duplicates():
    stems, notes = atlas_file_stems(
        [
            ("31555", "Toulouse"),
            ("QP031001", "Bagatelle / La Faourette"),
            ("", ""),
            ("31555", "Toulouse"),
        ]
    )
    assert stems == [
        "31555_Toulouse",
        "QP031001_Bagatelle_La_Faourette",
        "page_003",
        "31555_Toulouse_2",
    ]
    assert len(notes) == 2 and "Bagatelle" in notes[0]


def test_page_key():
    assert page_key(3, 42, "Commune de Blagnac") == "3/42 – Commune de Blagnac"


def test_font_fallback_reported():
    choice = choose_family(["DejaVu Sans", "Liberation Sans", "Arial"])
    assert choice.family == "Arial" and choice.is_fallback and "Marianne" in choice.note
    choice = choose_family(["Marianne", "Arial"])
    assert choice.family == "Marianne" and not choice.note
    choice = choose_family(["DejaVu Sans,DejaVu Sans Light", "Lato"])
    assert choice.family == "DejaVu Sans"
    choice = choose_family(["Lato"])
    assert choice.family == "Lato" and "Marianne" in choice.note


def test_sources_line_dedupes_and_puts_copyright_last():
    credits = src.compile_credits(
        [
            ("QPV", ["ANCT – QPV 2024 (données du 06/02/2025)"]),
            ("Isochrones", ["© les contributeurs d'OpenStreetMap", "ANCT – QPV 2024"]),
            ("Communes", ["IGN – ADMIN EXPRESS COG 2026"]),
            ("Sans source", []),
        ],
        "Sources : IGN – ADMIN EXPRESS COG 2026 ; INSEE – RP 2021.",
    )
    assert credits.sources_line() == (
        "Sources : ANCT – QPV 2024 (données du 06/02/2025) ; IGN – ADMIN EXPRESS COG 2026 ; "
        "INSEE – RP 2021 ; © les contributeurs d'OpenStreetMap"
    )
    assert credits.uncited_layers == ["Sans source"]
    assert src.compile_credits([], "").sources_line() == ""


def test_projection_and_realisation_lines():
    assert (
        src.projection_line("RGF93 v1 / Lambert-93", "EPSG:2154")
        == "Projection : RGF93 v1 / Lambert-93 (EPSG:2154)"
    )
    assert src.realisation_line("DDT 31 – SUEL", "27/11/2026") == (
        "Réalisation : DDT 31 – SUEL – 27/11/2026"
    )
