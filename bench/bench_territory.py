"""A real territory from the services to the figures (issue 11, item 5), against the loopback
replay server (``tests/replay``, started here as a separate process, as ``make demo-replay``):

- *network*: ``cget:loadgeography`` ``troncon_de_route`` for the Lozère (48) plus 20 km,
  into an empty cache: the replay's paged BD TOPO WFS (server cap of 4,000 a page,
  ``numberMatched``) serves its synthetic lattice, made dense enough here (``ROAD_SPACING_M``)
  for some 300,000 sections; every page cached, then one GeoPackage. Target under 90 s;
- *population*: ``carreaux_200m`` for the 48 from the replay's Filosofi-format national ZIP
  (2021 schema; the cells of the replay's communes): first with the national file downloaded
  and unpacked, then read again from the cache (the read alone: target under 10 s);
- ``cget:accesstime`` from the 48's France Services to those cells, coverage per commune,
  cold (graph built) and warm.

Run alone: ``.venv/bin/python bench/bench_territory.py``; ``bench/run.py`` calls :func:`run`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for folder in (REPO, REPO / "bench"):
    if str(folder) not in sys.path:
        sys.path.insert(0, str(folder))

import common  # noqa: E402
from common import line, num, reset_peak, step_peak_mb  # noqa: E402

TERRITORY = "48"
ROAD_SPACING_M = 330.0  # the 48 plus 20 km: about 300,000 sections
TARGET_NETWORK_S = 90.0
TARGET_POPULATION_S = 10.0


class ReplayServer:
    """The replay server as a process of its own (its Python threads would otherwise share
    this process's interpreter with the client being timed)."""

    def __init__(self, folder: Path):
        self.folder = folder
        url_file = folder / "url"
        self.log = open(folder / "server.log", "w")  # closed in stop()
        self.process = subprocess.Popen(
            [
                "/usr/bin/python3",
                str(REPO / "tests" / "replay" / "server.py"),
                "--port",
                "0",
                "--catalog-out",
                str(folder / "catalog.json"),
                "--url-file",
                str(url_file),
                "--road-spacing-m",
                str(ROAD_SPACING_M),
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 600  # the national grid files: a minute the first time
        while not (url_file.exists() and url_file.read_text().strip()):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError((folder / "server.log").read_text())
            time.sleep(0.2)
        self.catalog = folder / "catalog.json"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()


def _load(geography, extra=None):
    params = {
        "GEOGRAPHY": geography,
        "TERRITORY": TERRITORY,
        "OUTPUT": "TEMPORARY_OUTPUT",
        **(extra or {}),
    }
    seconds, result = common.run("cget:loadgeography", params)
    return seconds, result["OUTPUT"]


def run() -> dict:
    with tempfile.TemporaryDirectory(prefix="cget-bench-territory-") as tmp:
        folder = Path(tmp)
        saved = {k: os.environ.get(k) for k in ("CGET_CATALOG", "CGET_CACHE_DIR")}
        server = ReplayServer(folder)
        os.environ["CGET_CATALOG"] = str(server.catalog)
        os.environ["CGET_CACHE_DIR"] = str(folder / "cache")
        try:
            return _measure()
        finally:
            server.stop()
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value


def _measure() -> dict:
    from cget_plugin.core.routing import graph_cache

    line(
        f"== real territory ({TERRITORY}, loopback replay server: synthetic BD TOPO lattice "
        f"every {ROAD_SPACING_M:.0f} m, Filosofi-format national file)"
    )
    reset_peak()
    f = {}
    f["network_s"], network = _load("troncon_de_route")
    f["sections"] = network.featureCount()
    f["network_peak_mb"] = step_peak_mb()
    f["population_first_s"], _ = _load("carreaux_200m")
    f["population_s"], cells = _load("carreaux_200m")
    f["cells"] = cells.featureCount()
    _, services = _load("france_services")
    _, communes = _load("communes")
    params = {
        "FACILITIES": services,
        "POPULATION": cells,
        "POP_FIELD": "ind",
        "NETWORK": network,
        "NETWORK_PROFILE": "bdtopo",
        "ZONES": communes,
        "ZONE_FIELD": "nom",
        "THRESHOLDS_MIN": "10,20,30",
        "OUTPUT": "TEMPORARY_OUTPUT",
        "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
    }
    graph_cache.clear_cache()
    f["access_cold_s"], result = common.run("cget:accesstime", params)
    f["zones"] = result["OUTPUT_TABLE"].featureCount() - 1
    f["access_warm_s"], _ = common.run("cget:accesstime", params)
    f["services"] = services.featureCount()
    f["peak_mb"] = step_peak_mb()
    f["ok_network"] = f["network_s"] < TARGET_NETWORK_S
    f["ok_population"] = f["population_s"] < TARGET_POPULATION_S
    report(f)
    return f


def report(f: dict) -> None:
    def verdict(ok):
        return "OK" if ok else "NOT MET"

    line(
        f"network download and cache: {num(f['sections'])} sections in {f['network_s']:5.1f} s "
        f"(target < {TARGET_NETWORK_S:.0f} s, {f['network_s'] / TARGET_NETWORK_S:.2f} of it) "
        f"{verdict(f['ok_network'])}; peak memory {f['network_peak_mb']:.0f} MB"
    )
    line(
        f"population read: {num(f['cells'])} cells of 200 m in {f['population_s']:5.1f} s "
        f"(target < {TARGET_POPULATION_S:.0f} s, "
        f"{f['population_s'] / TARGET_POPULATION_S:.2f} of it) {verdict(f['ok_population'])}; "
        f"{f['population_first_s']:.1f} s the first time (national file downloaded, unpacked)"
    )
    line(
        f"access time and coverage per zone: {f['services']} France Services, "
        f"{num(f['cells'])} cells, {f['zones']} communes: cold {f['access_cold_s']:5.1f} s "
        f"(graph built), warm {f['access_warm_s']:5.1f} s"
    )
    line(f"peak memory of the real-territory line (QGIS included): {f['peak_mb']:.0f} MB")


def main():
    app, _provider = common.start_qgis()
    figures = run()
    common.write_figures(figures, sys.argv)
    app.exitQgis()
    return 0 if figures["ok_network"] and figures["ok_population"] else 1


if __name__ == "__main__":
    sys.exit(main())
