"""The shipped .qpt templates honour the contract of docs/map-conventions.md §2: every id present
once, at its place and size, reference point UpperLeft, page size of the format."""

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from cget_plugin.core.layouts.spec import (
    GEOMETRY,
    ORIENTATIONS,
    PAGE_SIZE_MM,
    PAPERS,
    REQUIRED_IDS,
    template_file_name,
)

REPO = Path(__file__).resolve().parents[2]
FORMATS = [(p, o) for p in PAPERS for o in ORIENTATIONS]


def _items(paper, orientation):
    path = REPO / "resources" / "layouts" / template_file_name(paper, orientation)
    root = ET.parse(path).getroot()
    return root, [el for el in root.iter("LayoutItem")]


def _pair(text):
    a, b, unit = text.split(",")
    assert unit == "mm"
    return float(a), float(b)


@pytest.mark.parametrize("paper,orientation", FORMATS)
def test_ids_present_unique_and_placed(paper, orientation):
    _root, items = _items(paper, orientation)
    ids = [el.get("id") for el in items if el.get("id")]
    assert len(ids) == len(set(ids)), f"duplicate ids: {ids}"
    expected = GEOMETRY[(paper, orientation)]
    assert set(ids) == set(expected), set(ids) ^ set(expected)
    assert set(REQUIRED_IDS) <= set(ids)
    for el in items:
        item_id = el.get("id")
        if not item_id:
            continue
        x, y, w, h = expected[item_id]
        assert el.get("referencePoint") == "0", f"{item_id} not UpperLeft"
        assert _pair(el.get("position")) == pytest.approx((x, y)), item_id
        size = _pair(el.get("size"))
        if item_id == "echelle":  # a scale bar sizes itself to its segments and labels
            assert size[0] <= w + 0.01 and size[1] <= h + 2.5
        else:
            assert size == pytest.approx((w, h)), item_id


@pytest.mark.parametrize("paper,orientation", FORMATS)
def test_page_size(paper, orientation):
    _root, items = _items(paper, orientation)
    pages = [el for el in items if el.get("type") == "65638"]
    assert len(pages) == 1
    assert _pair(pages[0].get("size")) == pytest.approx(PAGE_SIZE_MM[(paper, orientation)])


@pytest.mark.parametrize("paper,orientation", FORMATS)
def test_items_linked_and_inside_page(paper, orientation):
    _root, items = _items(paper, orientation)
    by_id = {el.get("id"): el for el in items if el.get("id")}
    carte_uuid = by_id["carte"].get("uuid")
    assert by_id["legende"].get("map_uuid") == carte_uuid
    assert by_id["echelle"].get("mapUuid") == carte_uuid
    assert by_id["nord"].get("mapUuid") == carte_uuid
    assert by_id["nord"].get("file") == ":/images/north_arrows/layout_default_north_arrow.svg"
    pw, ph = PAGE_SIZE_MM[(paper, orientation)]
    for item_id, (x, y, w, h) in GEOMETRY[(paper, orientation)].items():
        assert 0 < x and x + w <= pw and 0 < y and y + h <= ph, item_id
    if "carte_situation" in by_id:
        overview = by_id["carte_situation"].find("ComposerMapOverview")
        assert overview is not None and overview.get("frameMap") == carte_uuid
