"""The sample feeds the demo chain: the plugin's own local routing builds one network from
``troncon_de_route`` and the access-time figures are sensible (not all-or-nothing)."""

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GPKG = REPO / "resources" / "sample" / "cget_sample.gpkg"


def _uri(layer):
    return f"{GPKG}|layername={layer}"


def test_isochrones_and_access_time_on_the_sample(run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    iso = run_alg(
        "cget:isochrones",
        {
            "INPUT": _uri("france_services"),
            "ID_FIELD": "id_fs",
            "BACKEND": "local",
            "NETWORK": _uri("troncon_de_route"),
            "NETWORK_PROFILE": "bdtopo",
            "MODE": "car",
            "BANDS_MIN": "10,20,30",
            "OUTPUT_MODE": "cumulative",
            "OUTPUT": str(tmp_path / "iso.gpkg"),
        },
    )
    bands = QgsVectorLayer(iso["OUTPUT"], "iso", "ogr")
    assert bands.featureCount() > 0
    areas = sorted(f["area_km2"] for f in bands.getFeatures())
    assert areas[-1] > 100  # 30 min by car covers a good part of the 675 km² territory

    out = run_alg(
        "cget:accesstime",
        {
            "FACILITIES": _uri("france_services"),
            "POPULATION": _uri("carreaux_200m"),
            "POP_FIELD": "ind",
            "ZONES": _uri("qpv"),
            "THRESHOLDS_MIN": "10,20,30",
            "NETWORK": _uri("troncon_de_route"),
            "OUTPUT": str(tmp_path / "access.gpkg"),
            "OUTPUT_TABLE": str(tmp_path / "access.csv"),
        },
    )
    with open(out["OUTPUT_TABLE"], encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    overall = rows[0]
    assert float(overall["pop_total"]) == pytest.approx(120_750, abs=1)
    assert 70 <= float(overall["part_le_10"]) < 99.5  # most, not all, within 10 minutes
    assert float(overall["part_le_30"]) > 99
    assert len(rows) == 6  # overall + the five QPV
