"""Round scale-bar segments (docs/map-conventions.md §1.1 #6): the values the builder gives the
scale bar instead of QGIS's "fit width", which printed 0 – 19 – 38 km on A4 portrait."""

import pytest

from cget_plugin.core.layouts.spec import round_segment


@pytest.mark.parametrize(
    "max_units, expected",
    [
        (28.05, 25.0),  # A4 portrait at 1:1 000 000: 56.1 mm / 2 segments = 28.05 km
        (19.0, 10.0),
        (20.0, 20.0),
        (4.99, 2.5),
        (2.4, 2.0),
        (1.0, 1.0),
        (0.3, 0.25),
        (730.0, 500.0),
    ],
)
def test_largest_round_value_not_above_the_room(max_units, expected):
    assert round_segment(max_units) == pytest.approx(expected)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf")])
def test_rejects_nonsense(bad):
    with pytest.raises(ValueError):
        round_segment(bad)
