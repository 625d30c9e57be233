"""cget:isochrones and cget:accesstime on remote routers: the backend module is replaced by a
test double of its contract, and the IGN service end to end through the loopback server."""

import numpy as np
import pytest
from qgis.core import (
    QgsGeometry,
    QgsPointXY,
    QgsProject,
)
from qgis.PyQt.QtCore import QVariant

from cget_plugin.core import provenance as prov_mod
from tests.helpers.routing_layers import BASE, points


class FakeBackend:
    """Cumulative discs around each origin, radius 100 m per minute (EPSG:4326 out)."""

    def isochrones(self, origins, bands_min, mode, direction, feedback):
        from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform

        from cget_plugin.core.routing.backends import RemoteIsochrone

        l93 = QgsCoordinateReferenceSystem("EPSG:2154")
        wgs = QgsCoordinateReferenceSystem("EPSG:4326")
        to_l93 = QgsCoordinateTransform(wgs, l93, QgsProject.instance())
        to_wgs = QgsCoordinateTransform(l93, wgs, QgsProject.instance())
        out = []
        for oid, lon, lat in origins:
            centre = to_l93.transform(QgsPointXY(lon, lat))
            for b in bands_min:
                disc = QgsGeometry.fromPointXY(centre).buffer(100.0 * b, 32)
                disc.transform(to_wgs)
                out.append(RemoteIsochrone(oid, b, disc))
        return out

    def provenance(self, bands_min, mode, direction):
        return prov_mod.Provenance(producer="Test", dataset="Isochrones", engine="fake router 1.0")


@pytest.fixture
def fake_backend(monkeypatch):
    import cget_plugin.core.routing.backends as backends

    monkeypatch.setattr(
        backends, "get_backend", lambda backend_id, settings_overrides=None: FakeBackend()
    )


@pytest.mark.parametrize("mode", ["rings", "cumulative", "per_origin"])
def test_remote_backend_output_modes(run_alg, fake_backend, mode):
    origins = points([(650000, 6860000), (650300, 6860000)])
    result = run_alg(
        "cget:isochrones",
        {**BASE, "INPUT": origins, "BACKEND": "ign", "BANDS_MIN": "1,2", "OUTPUT_MODE": mode},
    )
    feats = list(result["OUTPUT"].getFeatures())
    assert all(f.geometry().isGeosValid() for f in feats)
    if mode == "per_origin":
        assert len(feats) == 4
        ring = [f for f in feats if f["origin_id"] == "p0" and f["min_to"] == 2][0]
        assert ring["min_from"] == 1
        assert ring["area_km2"] == pytest.approx(np.pi * (0.2**2 - 0.1**2), rel=0.01)
    elif mode == "cumulative":
        areas = {f["min_to"]: f["area_km2"] for f in feats}
        assert areas[1] < areas[2]
    else:
        geoms = [f.geometry() for f in feats]
        assert geoms[0].intersection(geoms[1]).area() < 1.0
    prov = prov_mod.read_from_layer(result["OUTPUT"])
    assert prov.engine == "fake router 1.0"


def test_remote_backend_accesstime_smallest_band(run_alg, fake_backend):
    pop = points(
        [(650050, 6860000), (650150, 6860000), (651000, 6860000)],
        extra=[("pop", QVariant.Double, [1.0, 2.0, 4.0])],
        name="rpop",
    )
    result = run_alg(
        "cget:accesstime",
        {
            "FACILITIES": points([(650000, 6860000)]),
            "BACKEND": "ors",
            "POPULATION": pop,
            "POP_FIELD": "pop",
            "THRESHOLDS_MIN": "1,2",
            "OUTPUT": "TEMPORARY_OUTPUT",
            "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
        },
    )
    minutes = [f["minutes"] for f in result["OUTPUT"].getFeatures()]
    assert minutes[:2] == [1.0, 2.0] and not isinstance(minutes[2], float)  # beyond: NULL
    overall = list(result["OUTPUT_TABLE"].getFeatures())[0]
    assert (
        overall["pop_le_1"] == 1.0 and overall["pop_le_2"] == 3.0 and overall["pop_beyond"] == 4.0
    )
    # times are thresholds here: no mean; the shares beyond them are exact
    assert not isinstance(overall["minutes_mean"], float)  # NULL
    assert not isinstance(overall["minutes_median"], float)  # half the people beyond 2 min
    assert overall["part_gt_1"] == 85.7 and overall["part_gt_2"] == 57.1


def test_remote_ign_end_to_end_through_loopback(run_alg, httpserver, tmp_path):
    """The real IGN backend (replayed on the loopback) behind cget:isochrones and accesstime."""
    from qgis.core import QgsSettings

    from tests.replay.httpserver import serve
    from tests.replay.isochrones import IgnIsochrone

    path = "/navigation/isochrone"
    replay = serve(httpserver, path, IgnIsochrone(), method="GET")
    settings = QgsSettings()
    keys = {"cget/routing/ign/url": httpserver.url_for(path), "cget/routing/ign/min_interval_s": 0}
    old = {k: settings.value(k, None) for k in keys}
    for k, v in keys.items():
        settings.setValue(k, v)
    try:
        origins = points([(650000, 6860000), (652000, 6860000)], name="ign_origins")
        result = run_alg(
            "cget:isochrones",
            {
                **BASE,
                "INPUT": origins,
                "BACKEND": "ign",
                "BANDS_MIN": "5,10",
                "OUTPUT_MODE": "per_origin",
            },
        )
        feats = list(result["OUTPUT"].getFeatures())
        assert len(replay.calls) == 4
        assert {(f["origin_id"], f["min_from"], f["min_to"]) for f in feats} == {
            ("p0", 0, 5),
            ("p0", 5, 10),
            ("p1", 0, 5),
            ("p1", 5, 10),
        }
        assert all(f.geometry().isGeosValid() for f in feats)
        prov = prov_mod.read_from_layer(result["OUTPUT"])
        assert prov is not None and prov.engine
        pop = points(
            [(650010, 6860010), (655000, 6865000)],
            extra=[("pop", QVariant.Double, [10.0, 5.0])],
            name="ign_pop",
        )
        result = run_alg(
            "cget:accesstime",
            {
                "FACILITIES": origins,
                "BACKEND": "ign",
                "POPULATION": pop,
                "POP_FIELD": "pop",
                "THRESHOLDS_MIN": "5,10",
                "OUTPUT": "TEMPORARY_OUTPUT",
                "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
            },
        )
        overall = list(result["OUTPUT_TABLE"].getFeatures())[0]
        assert overall["pop_total"] == 15.0 and overall["pop_le_5"] == 10.0
    finally:
        for k, v in old.items():
            if v is None:
                settings.remove(k)
            else:
                settings.setValue(k, v)
