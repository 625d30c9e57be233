"""Tables people read (issue 13): whole persons in the coverage table, and the demo's CSV as a
French spreadsheet opens it (semicolon, decimal comma, UTF-8 with BOM)."""

import csv
import importlib.util
from pathlib import Path

from cget_plugin.core.routing import coverage

REPO = Path(__file__).resolve().parents[2]


def _demo():
    spec = importlib.util.spec_from_file_location("cget_demo", REPO / "scripts" / "demo.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_coverage_row_in_whole_persons_still_adds_up():
    row = {
        "zone": "QPV A",
        "pop_total": 1000.4,
        "pop_le_10": 333.5,
        "part_le_10": 33.3,
        "pop_le_20": 666.6,
        "part_le_20": 66.6,
        "pop_beyond": 330.4,
        "pop_unsnapped": 3.4,
    }
    names = [name for name, _k, _a in coverage.table_fields([10, 20])]
    values = dict(zip(names, coverage.table_values(row, [10, 20])))
    assert values["zone"] == "QPV A" and values["part_le_10"] == 33.3
    pops = {k: v for k, v in values.items() if k.startswith("pop_")}
    assert all(isinstance(v, int) for v in pops.values()), pops
    assert pops["pop_total"] == 1000 and pops["pop_le_10"] in (333, 334)
    assert pops["pop_le_20"] + pops["pop_beyond"] + pops["pop_unsnapped"] == pops["pop_total"]
    kinds = {name: kind for name, kind, _a in coverage.table_fields([10, 20])}
    assert {kinds[k] for k in pops} == {"int"} and kinds["part_le_20"] == "double"


def test_demo_csv_opens_in_a_french_spreadsheet(tmp_path):
    rows = [
        {"zone": "Ensemble", "pop_total": 120750, "pop_le_10": 101234, "part_le_10": 83.8},
        {
            "zone": "Quartier « Les Érables »; nord",
            "pop_total": 2013,
            "pop_le_10": 0,
            "part_le_10": None,
        },
    ]
    path = tmp_path / "couverture_population.csv"
    _demo().write_french_csv(rows, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: accents right in a spreadsheet
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "zone;pop_total;pop_le_10;part_le_10"
    assert "\r\n" in text and "83,8" in text and "83.8" not in text
    back = list(csv.reader(text.splitlines(), delimiter=";"))
    assert back[1] == ["Ensemble", "120750", "101234", "83,8"]
    assert back[2] == ["Quartier « Les Érables »; nord", "2013", "0", ""]
    assert not list(tmp_path.glob("*.tmp"))
