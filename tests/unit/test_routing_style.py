"""Isochrone band colours: one sequential hue, darkest first, every class visible on white
paper at the layer's 70 % opacity."""

import pytest

from cget_plugin.processing.styles import BAND_OPACITY, band_colours


def _rgb(hex_colour):
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


@pytest.mark.parametrize("k", range(1, 11))
def test_band_colours_visible_and_ordered(k):
    colours = band_colours(k)
    assert len(colours) == k
    blended = [
        tuple(BAND_OPACITY * c + (1 - BAND_OPACITY) * 255 for c in _rgb(col)) for col in colours
    ]
    # the lightest class stays clearly off-white once blended on paper
    assert 255 - min(blended[-1]) >= 38
    # darker first: the sum of the channels increases from band to band
    sums = [sum(_rgb(c)) for c in colours]
    assert sums == sorted(sums) and len(set(sums)) == k
    # a blue hue throughout
    assert all(_rgb(c)[2] >= _rgb(c)[0] for c in colours)
    if k == 3:
        assert "#eff3ff" not in colours and "#f1eef6" not in colours


@pytest.mark.parametrize(
    "name, opacity",
    [
        ("isochrones.qml", BAND_OPACITY),
        ("access_time_polygons.qml", BAND_OPACITY),
        ("access_time_points.qml", 1.0),
    ],
)
def test_shipped_fallback_styles_hold_the_one_palette(name, opacity):
    """The styles the algorithms fall back on (scripts/make_band_styles.py) draw their classes
    in band_colours, darkest first, at the band opacity: one palette whatever the path."""
    import xml.etree.ElementTree as ET
    from pathlib import Path

    root = ET.parse(Path(__file__).resolve().parents[2] / "resources" / "styles" / name).getroot()
    ranges = root.findall("./renderer-v2/ranges/range")
    symbols = {s.get("name"): s for s in root.findall("./renderer-v2/symbols/symbol")}
    colours = []
    for rng in ranges:
        layer = symbols[rng.get("symbol")].find("layer")
        value = next(o.get("value") for o in layer.iter("Option") if o.get("name") == "color")
        colours.append("#" + "".join(f"{int(v):02x}" for v in value.split(",")[:3]))
    assert colours == band_colours(len(ranges)) and len(ranges) >= 4
    assert float(root.find("layerOpacity").text) == pytest.approx(opacity)
