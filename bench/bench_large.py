"""Access time on a région-sized network (issue 11, item 5): the 1,001,112-section synthetic
BD TOPO network of ``make_network.py`` (side 707), 300,000 population points and 500
facilities already on disk (GeoPackages in ``bench/output/``), one ``cget:accesstime`` run:

- *cold*: the session's graph cache emptied, so the run reads the 1M sections and builds the
  graph; target under 20 s;
- *warm*: the same run again, graph from the cache; target under 5 s;
- the peak resident memory of the process during these runs (QGIS included); target < 3 GB.

Run alone: ``.venv/bin/python bench/bench_large.py``; ``bench/run.py`` calls :func:`run`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import common  # noqa: E402
from common import line, num, points_gpkg, reset_peak, step_peak_mb  # noqa: E402

SIDE = 707  # 2 * 707 * 708 = 1,001,112 sections
N_POP = 300_000
N_FACILITIES = 500
TARGET_COLD_S = 20.0
TARGET_WARM_S = 5.0
TARGET_PEAK_MB = 3072.0
SEED = 11


def inputs(network: Path):
    """The population and facility GeoPackages over the network's extent (made once)."""
    from osgeo import ogr

    ds = ogr.Open(str(network))
    x0, x1, y0, y1 = ds.GetLayer(0).GetExtent()
    ds = None
    rng = np.random.default_rng(SEED)
    folder = network.parent
    stem = f"{network.stem}_{SEED}"
    pop = points_gpkg(
        folder / f"{stem}_pop{N_POP}.gpkg",
        np.column_stack([rng.uniform(x0, x1, N_POP), rng.uniform(y0, y1, N_POP)]),
        rng.integers(1, 30, N_POP),
    )
    fac = points_gpkg(
        folder / f"{stem}_fac{N_FACILITIES}.gpkg",
        np.column_stack([rng.uniform(x0, x1, N_FACILITIES), rng.uniform(y0, y1, N_FACILITIES)]),
    )
    return pop, fac


def run(network: Path = None) -> dict:
    from cget_plugin.core.routing import graph_cache

    if network is None:
        from make_network import network_path

        network = network_path(SIDE)
    started = time.perf_counter()
    pop, fac = inputs(network)
    prepared = time.perf_counter() - started
    params = {
        "FACILITIES": f"{fac}|layername=points",
        "ID_FIELD": "id",
        "NETWORK": f"{network}|layername=troncon_de_route",
        "POPULATION": f"{pop}|layername=points",
        "POP_FIELD": "pop",
        "THRESHOLDS_MIN": "10,20,30",
        "OUTPUT": "TEMPORARY_OUTPUT",
        "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
    }
    line(
        f"== large network: {num(2 * SIDE * (SIDE + 1))} sections on disk, {num(N_POP)} "
        f"population points, {N_FACILITIES} facilities ({prepared:.1f} s to make or reuse the "
        "points)"
    )
    graph_cache.clear_cache()
    exact = reset_peak()
    cold, result = common.run("cget:accesstime", params)
    units = result["OUTPUT"].featureCount()
    del result
    warm, result = common.run("cget:accesstime", params)
    peak = step_peak_mb()
    del result
    figures = {
        "cold_s": cold,
        "warm_s": warm,
        "peak_mb": peak,
        "units": units,
        "ok_cold": cold < TARGET_COLD_S,
        "ok_warm": warm < TARGET_WARM_S,
        "ok_peak": peak < TARGET_PEAK_MB,
    }
    report(figures, exact)
    return figures


def report(f: dict, exact_peak: bool) -> None:
    def verdict(ok):
        return "OK" if ok else "NOT MET"

    line(
        f"access time, {num(f['units'])} units, cold (graph built in the run): "
        f"{f['cold_s']:5.1f} s (target < {TARGET_COLD_S:.0f} s, "
        f"{f['cold_s'] / TARGET_COLD_S:.2f} of it) {verdict(f['ok_cold'])}"
    )
    line(
        f"access time, warm (graph cached): {f['warm_s']:5.1f} s (target < {TARGET_WARM_S:.0f} s, "
        f"{f['warm_s'] / TARGET_WARM_S:.2f} of it) {verdict(f['ok_warm'])}"
    )
    what = "since the cold run" if exact_peak else "of the whole process so far"
    line(
        f"peak memory ({what}, QGIS included): {f['peak_mb']:.0f} MB (target < "
        f"{TARGET_PEAK_MB:.0f} MB) {verdict(f['ok_peak'])}"
    )


def main():
    app, _provider = common.start_qgis()
    figures = run()
    common.write_figures(figures, sys.argv)
    app.exitQgis()
    return 0 if figures["ok_cold"] and figures["ok_warm"] and figures["ok_peak"] else 1


if __name__ == "__main__":
    sys.exit(main())
