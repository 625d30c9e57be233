"""The local engine's inputs on the replay server: the BD TOPO road network on the
Géoplateforme WFS path (by typename, next to the administrative units) and INSEE's national
Filosofi files. See ``roads.py`` and ``filosofi.py``."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.replay.answers import Answer
from tests.replay.filosofi import ZIP_PATHS, NationalFile, national_zip
from tests.replay.roads import RoadWfs, SyntheticNetwork


class LocalEngineServices:
    """``road_spacing_m``: the synthetic lattice's spacing (0 = its default, 1 km); the
    benchmark asks for a denser one to serve a département of 300,000 sections."""

    def __init__(self, shared: Path, admin_wfs, road_spacing_m: float = 0.0):
        self.admin_wfs = admin_wfs
        self.roads = RoadWfs(SyntheticNetwork(road_spacing_m) if road_spacing_m > 0 else None)
        self.grids = {
            resolution: NationalFile(lambda r=resolution: national_zip(shared, r))
            for resolution in ZIP_PATHS
        }
        self.routes = {ZIP_PATHS[r]: self.grids[r] for r in ZIP_PATHS}

    def ready(self) -> None:
        """Block until the national files exist (tests call it before asking for them)."""
        for grid in self.grids.values():
            grid.body  # noqa: B018 - built on first access

    def warm(self) -> None:
        """Build the national files in the background (a minute the first time on a machine,
        then read from build/replay-cache): a client asking meanwhile waits for them."""
        for grid in self.grids.values():
            threading.Thread(target=lambda g=grid: g.body, daemon=True).start()

    def wfs(self, request) -> Answer:
        """``BDTOPO_V3:troncon_de_route`` to the road network, every other typename to the
        administrative units."""
        params = {k.upper(): v for k, v in request.args.items()}
        return self.roads(request) if self.roads.handles(params) else self.admin_wfs(request)
