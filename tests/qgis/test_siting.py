"""``cget:siting`` on the bundled sample: the choice, its figures against ``cget:accesstime``
(the curve at k = 0, and each indispensable site against a rerun without it), bad input."""

import csv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GPKG = REPO / "resources" / "sample" / "cget_sample.gpkg"
THRESHOLD = 10


def _uri(layer):
    return f"{GPKG}|layername={layer}"


def _common(tmp_path, **extra):
    params = {
        "FACILITIES": _uri("france_services"),
        "ID_FIELD": "id_fs",
        "CANDIDATES": _uri("mairies"),
        "CANDIDATE_ID_FIELD": "code_insee",
        "POPULATION": _uri("carreaux_200m"),
        "POP_FIELD": "ind",
        "NETWORK": _uri("troncon_de_route"),
        "NETWORK_PROFILE": "bdtopo",
        "THRESHOLD_MIN": THRESHOLD,
        "OUTPUT": str(tmp_path / "sites.gpkg"),
        "OUTPUT_TABLE": str(tmp_path / "curve.csv"),
        "OUTPUT_UNSERVED": str(tmp_path / "unserved.gpkg"),
    }
    params.update(extra)
    return params


def _rows(path):
    with open(path, encoding="utf-8-sig") as fh:
        return list(csv.DictReader(fh))


def _access_within(run_alg, tmp_path, facilities, name):
    out = run_alg(
        "cget:accesstime",
        {
            "FACILITIES": facilities,
            "POPULATION": _uri("carreaux_200m"),
            "POP_FIELD": "ind",
            "THRESHOLDS_MIN": str(THRESHOLD),
            "NETWORK": _uri("troncon_de_route"),
            "NETWORK_PROFILE": "bdtopo",
            "OUTPUT": "TEMPORARY_OUTPUT",
            "OUTPUT_TABLE": str(tmp_path / f"{name}.csv"),
        },
    )
    return float(_rows(out["OUTPUT_TABLE"])[0][f"pop_le_{THRESHOLD}"])


def test_siting_on_the_sample_matches_access_time(run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    out = run_alg(
        "cget:siting",
        _common(
            tmp_path,
            NEW_SITES=3,
            OUTPUT_CRITICAL=str(tmp_path / "critical.gpkg"),
            UNSNAPPED=str(tmp_path / "off.gpkg"),
        ),
    )
    sites = QgsVectorLayer(out["OUTPUT"], "sites", "ogr")
    chosen = sorted(sites.getFeatures(), key=lambda f: f["rank"])
    assert [f["rank"] for f in chosen] == [1, 2, 3]
    assert chosen[0]["proposition"] == "Proposition n° 1"
    gains = [f["gain_pop"] for f in chosen]
    assert gains == sorted(gains, reverse=True) and gains[-1] > 0
    curve = _rows(out["OUTPUT_TABLE"])
    assert [int(r["k"]) for r in curve] == [0, 1, 2, 3]
    shares = [float(r["covered_share"]) for r in curve]
    assert 85 < shares[0] < 95 and shares == sorted(shares) and shares[-1] > shares[0]

    # k = 0 is what cget:accesstime says of the existing services
    base = _access_within(run_alg, tmp_path, _uri("france_services"), "all")
    assert float(curve[0]["covered_pop"]) == pytest.approx(base, abs=0.5)

    # the units left beyond the threshold hold the rest of the population
    unserved = QgsVectorLayer(out["OUTPUT_UNSERVED"], "unserved", "ogr")
    beyond = sum(f["pop_beyond"] for f in unserved.getFeatures())
    off = QgsVectorLayer(out["UNSNAPPED"], "off", "ogr")
    beyond += sum(f["population"] or 0 for f in off.getFeatures())
    total = 120_750
    assert beyond == pytest.approx(total - float(curve[-1]["covered_pop"]), abs=2)
    assert all(f["minutes"] is None or f["minutes"] > 0 for f in unserved.getFeatures())

    # each indispensable site against a rerun of access time without it
    critical = QgsVectorLayer(out["OUTPUT_CRITICAL"], "critical", "ogr")
    rows = sorted(critical.getFeatures(), key=lambda f: f["rank"])
    lost = [f["pop_lost"] for f in rows]
    assert lost == sorted(lost, reverse=True) and lost[0] > 0
    fs = QgsVectorLayer(_uri("france_services"), "fs", "ogr")
    for row in rows[:3]:
        without = fs.materialize(_request_without(row["facility_id"]))
        rerun = _access_within(run_alg, tmp_path, without, row["facility_id"])
        assert row["pop_lost"] == pytest.approx(base - rerun, abs=0.5)


def _request_without(ident):
    from qgis.core import QgsFeatureRequest

    return QgsFeatureRequest().setFilterExpression(f"\"id_fs\" <> '{ident}'")


def test_siting_target_share(run_alg, tmp_path):
    out = run_alg("cget:siting", _common(tmp_path, TARGET_SHARE=95))
    curve = _rows(out["OUTPUT_TABLE"])
    shares = [float(r["covered_share"]) for r in curve]
    assert shares[-1] >= 95 and all(s < 95 for s in shares[:-1])


def test_siting_target_already_reached_says_so(run_alg, tmp_path):
    from qgis.core import QgsProcessingFeedback

    class Collect(QgsProcessingFeedback):
        infos = []

        def pushInfo(self, text):
            self.infos.append(text)

    feedback = Collect()
    out = run_alg("cget:siting", _common(tmp_path, TARGET_SHARE=50), feedback=feedback)
    assert [int(r["k"]) for r in _rows(out["OUTPUT_TABLE"])] == [0]
    assert any("no new site is needed" in t or "aucun nouveau site" in t for t in feedback.infos)


@pytest.mark.parametrize(
    "extra, words",
    [
        ({"THRESHOLD_MIN": 0, "NEW_SITES": 2}, "THRESHOLD_MIN"),
        ({"THRESHOLD_MIN": -5, "NEW_SITES": 2}, "THRESHOLD_MIN"),
        ({}, "NEW_SITES"),
        ({"NEW_SITES": 2, "TARGET_SHARE": 150}, "TARGET_SHARE"),
        ({"NEW_SITES": 2, "BACKEND": "ign"}, "local"),
    ],
)
def test_siting_bad_input(run_alg, tmp_path, extra, words):
    from qgis.core import QgsProcessingException

    params = _common(tmp_path, **extra)
    params = {k: v for k, v in params.items() if v is not None}
    with pytest.raises(QgsProcessingException) as err:
        run_alg("cget:siting", params)
    assert words in str(err.value)
    assert "Traceback" not in str(err.value)


def test_no_candidate_within_reach_says_so(run_alg, tmp_path):
    import numpy as np
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    roads = QgsVectorLayer(_uri("troncon_de_route"), "r", "ogr")
    mairies = QgsVectorLayer(_uri("mairies"), "m", "ogr")
    town_halls = np.array(
        [[p.x(), p.y()] for p in (f.geometry().asPoint() for f in mairies.getFeatures())]
    )
    # a resident on the road the farthest from every town hall (several km: beyond 1 minute)
    best, where = 0.0, None
    for feat in roads.getFeatures():
        for v in feat.geometry().vertices():
            d = np.hypot(*(town_halls - (v.x(), v.y())).T).min()
            if d > best:
                best, where = d, QgsPointXY(v.x(), v.y())
    assert best > 3000
    people = QgsVectorLayer("Point?crs=EPSG:2154&field=ind:double", "people", "memory")
    feat = QgsFeature(people.fields())
    feat.setGeometry(QgsGeometry.fromPointXY(where))
    feat.setAttribute("ind", 10.0)
    people.dataProvider().addFeatures([feat])
    params = _common(tmp_path, POPULATION=people, THRESHOLD_MIN=1, NEW_SITES=2)
    del params["FACILITIES"]
    from qgis.core import QgsProcessingException

    with pytest.raises(QgsProcessingException) as err:
        run_alg("cget:siting", params)
    assert "None of the" in str(err.value) and "candidate" in str(err.value)


def test_candidates_off_the_network_go_to_their_own_layer(run_alg, tmp_path):
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    mairies = QgsVectorLayer(_uri("mairies"), "m", "ogr")
    cands = mairies.materialize(_all())
    far = QgsFeature(cands.fields())
    far.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(300000, 6200000)))
    far.setAttribute("code_insee", "99999")
    cands.dataProvider().addFeatures([far])
    out = run_alg(
        "cget:siting",
        _common(tmp_path, CANDIDATES=cands, NEW_SITES=1, UNSNAPPED=str(tmp_path / "off.gpkg")),
    )
    off = QgsVectorLayer(out["UNSNAPPED"], "off", "ogr")
    rows = [(f["role"], f["ident"]) for f in off.getFeatures()]
    assert ("candidat", "99999") in rows or ("candidate", "99999") in rows


def _all():
    from qgis.core import QgsFeatureRequest

    return QgsFeatureRequest()


def test_worker_processes_in_a_background_task_give_the_same_answer(run_alg, tmp_path, monkeypatch):
    """The trees spread over forked processes from a QgsTask thread, as in the dialog."""
    import time

    from qgis.core import (
        QgsApplication,
        QgsProcessingAlgRunnerTask,
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProject,
    )
    from qgis.PyQt.QtCore import QCoreApplication

    serial = run_alg("cget:siting", _common(tmp_path, NEW_SITES=3))
    want = _rows(serial["OUTPUT_TABLE"])
    monkeypatch.setenv("CGET_SITING_WORKERS", "2")
    alg = QgsApplication.processingRegistry().createAlgorithmById("cget:siting")
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())

    class Collect(QgsProcessingFeedback):
        infos = []

        def pushInfo(self, text):
            self.infos.append(text)

    feedback = Collect()
    params = _common(tmp_path, NEW_SITES=3, OUTPUT_TABLE=str(tmp_path / "curve2.csv"))
    task = QgsProcessingAlgRunnerTask(alg, params, context, feedback)
    done = {}
    task.executed.connect(lambda ok, results: done.update(ok=ok, results=results))
    QgsApplication.taskManager().addTask(task)
    end = time.monotonic() + 120
    while "ok" not in done and time.monotonic() < end:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    assert done.get("ok"), feedback
    assert any("on 2 processes" in t for t in feedback.infos), feedback.infos
    got = _rows(done["results"]["OUTPUT_TABLE"])
    assert [(r["candidate_id"], r["covered_pop"]) for r in got] == [
        (r["candidate_id"], r["covered_pop"]) for r in want
    ]
