"""``cget:accesstime`` per-zone inequalities on the bundled sample, through processing.run: the
mean and median time and the share beyond each threshold of each QPV, of the rest of its
commune (outside every QPV) and the gap, checked against figures recomputed here from the
units' own times."""

from pathlib import Path

import numpy as np
import pytest

GPKG = Path(__file__).resolve().parents[2] / "resources" / "sample" / "cget_sample.gpkg"
THRESHOLDS = (5, 10)


def _layer(name):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{GPKG}|layername={name}", name, "ogr")
    assert layer.isValid()
    return layer


def _centroids():
    """The 200 m squares as points (their centroid): each unit's time is then one exact time."""
    from qgis.core import QgsFeature, QgsVectorLayer

    squares = _layer("carreaux_200m")
    points = QgsVectorLayer("Point?crs=EPSG:2154&field=ind:double", "centres", "memory")
    feats = []
    for square in squares.getFeatures():
        feat = QgsFeature(points.fields())
        feat.setGeometry(square.geometry().centroid())
        feat.setAttributes([float(square["ind"] or 0)])
        feats.append(feat)
    points.dataProvider().addFeatures(feats)
    return points


def _run(run_alg, population, pop_field, **extra):
    params = {
        "FACILITIES": _layer("france_services"),
        "POPULATION": population,
        "POP_FIELD": pop_field,
        "ZONES": _layer("qpv"),
        "THRESHOLDS_MIN": ",".join(map(str, THRESHOLDS)),
        "NETWORK": _layer("troncon_de_route"),
        "NETWORK_PROFILE": "bdtopo",
        "OUTPUT": "TEMPORARY_OUTPUT",
        "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
        **extra,
    }
    out = run_alg("cget:accesstime", params)
    return out["OUTPUT"], list(out["OUTPUT_TABLE"].getFeatures())


def _figures(minutes, pop):
    """Mean, median and share beyond each threshold, computed plainly, as ``(low, high)``: the
    units' times are rounded to 0.1 min, so a unit at 5.0 may be just beyond 5 minutes."""
    reach = np.isfinite(minutes)
    order = np.argsort(minutes, kind="stable")
    cum = np.cumsum(pop[order])
    median = minutes[order][np.searchsorted(cum, cum[-1] / 2.0 - 1e-9)]
    mean = float(np.average(minutes[reach], weights=pop[reach]))
    out = {"minutes_mean": (mean - 0.1, mean + 0.1), "minutes_median": (median - 0.1, median + 0.1)}
    for t in THRESHOLDS:
        surely = 100.0 * pop[~(minutes <= t + 0.05)].sum() / pop.sum()
        maybe = 100.0 * pop[~(minutes <= t - 0.05)].sum() / pop.sum()
        out[f"part_gt_{t}"] = (surely - 0.05, maybe + 0.05)
    return out


def test_qpv_against_the_rest_of_their_communes(run_alg):
    units, rows = _run(
        run_alg, _centroids(), "ind", REFERENCE_ZONES=_layer("communes"), REFERENCE_FIELD="nom"
    )
    xy, minutes, pop = [], [], []
    for unit in units.getFeatures():
        xy.append(unit.geometry().asPoint())
        minutes.append(unit["minutes"] if isinstance(unit["minutes"], float) else np.inf)
        pop.append(unit["ind"])
    minutes, pop = np.array(minutes), np.array(pop)
    qpv = {f["lib_qp"]: f for f in _layer("qpv").getFeatures()}
    communes = {f["nom"]: f.geometry() for f in _layer("communes").getFeatures()}
    in_qpv = {name: np.array([f.geometry().contains(p) for p in xy]) for name, f in qpv.items()}
    in_any = np.any(list(in_qpv.values()), axis=0)
    by_zone = {row["zone"]: row for row in rows[1:]}
    assert not rows[0]["rest_of"]  # the overall row compares with nothing
    assert set(by_zone) == set(qpv) and len(by_zone) == 5
    for name, inside in in_qpv.items():
        row = by_zone[name]
        expected = _figures(minutes[inside], pop[inside])
        for key, (low, high) in expected.items():
            assert low <= row[key] <= high, (name, key)
        # the rest: the communes where the QPV's residents live, outside every QPV
        touched = [
            c for c, g in communes.items() if any(g.contains(p) for p, i in zip(xy, inside) if i)
        ]
        assert set(row["rest_of"].split(", ")) == set(touched), name
        assert set(touched) <= set(qpv[name]["lib_com"].split(", "))
        rest = ~in_any & np.array([any(communes[c].contains(p) for c in touched) for p in xy])
        assert row["rest_pop"] == pytest.approx(pop[rest].sum(), abs=0.5)
        rest_expected = _figures(minutes[rest], pop[rest])
        for key, (low, high) in rest_expected.items():
            assert low <= row[f"rest_{key}"] <= high, (name, key)
            assert row[f"gap_{key}"] == pytest.approx(row[key] - row[f"rest_{key}"], abs=0.15)
    # the sample's priority neighbourhoods are not all as well served as the rest
    assert any(row["gap_part_gt_5"] != 0 for row in by_zone.values())


def test_polygon_units_and_epci_reference(run_alg):
    """200 m squares (spread population) against the EPCI; without references, no rest columns
    and the coverage columns unchanged."""
    _units, rows = _run(run_alg, _layer("carreaux_200m"), "ind", REFERENCE_ZONES=_layer("epci"))
    epci = {f["nom"] for f in _layer("epci").getFeatures()}
    for row in rows[1:]:
        assert row["rest_of"] and set(row["rest_of"].split(", ")) <= epci
        assert 0 < row["rest_pop"] and row["minutes_median"] > 0
        assert row["gap_minutes_mean"] == pytest.approx(
            row["minutes_mean"] - row["rest_minutes_mean"], abs=0.15
        )
    _units, plain = _run(run_alg, _layer("carreaux_200m"), "ind")
    assert plain[0].fields().lookupField("rest_of") < 0
    for a, b in zip(rows, plain):
        assert a["zone"] == b["zone"] and a["pop_le_10"] == b["pop_le_10"]
        assert a["minutes_mean"] == b["minutes_mean"] and a["part_gt_5"] == b["part_gt_5"]
