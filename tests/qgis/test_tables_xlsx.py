"""Tables open where users open them (issue 13): the isochrone bands with their population,
the access time per population unit and the coverage table are written as XLSX by GDAL's driver
(shipped with QGIS) through processing.run, and read back here with openpyxl. Populations are
whole persons in these tables (the computation keeps the fractions)."""

from pathlib import Path

import pytest
from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[2]
GPKG = REPO / "resources" / "sample" / "cget_sample.gpkg"
LOCAL = {
    "NETWORK": f"{GPKG}|layername=troncon_de_route",
    "NETWORK_PROFILE": "bdtopo",
    "POPULATION": f"{GPKG}|layername=carreaux_200m",
    "POP_FIELD": "ind",
}


def _sheet(path):
    assert Path(path).suffix == ".xlsx" and Path(path).is_file(), path
    book = load_workbook(path, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    header = rows[0]
    return [dict(zip(header, row)) for row in rows[1:]]


def test_isochrone_bands_with_population_as_xlsx(run_alg, tmp_path):
    out = run_alg(
        "cget:isochrones",
        {
            "INPUT": f"{GPKG}|layername=france_services",
            "ID_FIELD": "id_fs",
            "BACKEND": "local",
            "MODE": "car",
            "BANDS_MIN": "10,20",
            "OUTPUT_MODE": "rings",
            "OUTPUT": str(tmp_path / "isochrones.xlsx"),
            **LOCAL,
        },
    )
    rows = _sheet(out["OUTPUT"])
    assert rows and {r["min_to"] for r in rows} == {10, 20}
    assert all(isinstance(r["population"], int) for r in rows)
    assert sum(r["population"] for r in rows) > 0


def test_access_time_and_coverage_tables_as_xlsx(run_alg, tmp_path):
    out = run_alg(
        "cget:accesstime",
        {
            "FACILITIES": f"{GPKG}|layername=france_services",
            "ZONES": f"{GPKG}|layername=qpv",
            "THRESHOLDS_MIN": "10,20,30",
            "OUTPUT": str(tmp_path / "acces.xlsx"),
            "OUTPUT_TABLE": str(tmp_path / "couverture.xlsx"),
            **LOCAL,
        },
    )
    units = _sheet(out["OUTPUT"])
    assert len(units) > 1000 and any(isinstance(r.get("minutes"), (int, float)) for r in units)
    table = _sheet(out["OUTPUT_TABLE"])
    assert len(table) == 6  # overall + the five QPV
    overall = table[0]
    assert overall["pop_total"] == pytest.approx(120_750, abs=1)  # as the CSV test's figure
    for row in table:
        pops = {k: v for k, v in row.items() if k.startswith("pop_")}
        assert all(isinstance(v, int) for v in pops.values()), row
        assert row["pop_le_30"] + row["pop_beyond"] + row["pop_unsnapped"] == row["pop_total"]
        assert 0 <= row["part_le_10"] <= 100
    assert 70 <= overall["part_le_10"] < 99.5
