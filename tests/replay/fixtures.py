"""Data behind the loopback replay server, built at start-up from the real open data of
``../shared/data`` (never copied into the repository) and the plugin's territory reference.

Everything is deterministic (same input files, same bytes out). Only the standard library and
the GDAL Python bindings (``osgeo``, shipped with QGIS) are used, so the server runs with the
system Python outside pytest and outside QGIS.

What is real and what is not:

- ADMIN EXPRESS-like communes: real commune polygons, codes, names and population of the
  shared ``communes_<dep>.gpkg`` files (generalised), exposed under the ADMIN EXPRESS v4
  property names. EPCI, départements and régions are dissolved from the communes present, so
  an EPCI or a région reaching beyond those files is only partly drawn.
- QPV 2024: real codes, names and communes (``qpv2024_communes_points.gpkg``); the outlines
  are SYNTHETIC (irregular 20–60 ha polygons placed inside their communes) and labelled so.
- France Services: the real 2024-08-01 list, all départements.
- Isochrones: an APPROXIMATION (irregular star, radius = time × a mean speed), not a routing.
- Geocoder: real addresses and points of the France Services and town halls of the 93.
"""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path
from typing import Optional

from tests.replay.admin_express import NATURES, AdminExpress
from tests.replay.france_services import FS_LAST_MODIFIED, address_index, france_services_csv
from tests.replay.frr import FRR_LAST_MODIFIED, frr_class, frr_csv_bytes, frr_rows, frr_xlsx_bytes
from tests.replay.qpv_synthetic import QPV_LAST_MODIFIED, REPLAY_LABEL, SyntheticQpv

REPO = Path(__file__).resolve().parents[2]

__all__ = [
    "FRR_LAST_MODIFIED",
    "FS_LAST_MODIFIED",
    "QPV_LAST_MODIFIED",
    "REPLAY_LABEL",
    "ReplayData",
    "frr_class",
    "shared_root",
]


def shared_root() -> Path:
    """Same rule as tests/helpers/shared_data.py (which needs pytest): CGET_SHARED_DATA or
    ``../shared/data`` next to the repository."""
    env = os.environ.get("CGET_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


class Reference:
    """Names of the départements, régions and EPCI natures (the plugin's territory reference)."""

    def __init__(self):
        path = REPO / "resources" / "reference" / "territory.json.gz"
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            ref = json.load(handle)
        self.dep_names = {d[0]: d[1] for d in ref["departements"]}
        self.dep_region = {d[0]: d[2] for d in ref["departements"]}
        self.reg_names = {r[0]: r[1] for r in ref["regions"]}
        self.epci_nature = {e[0]: NATURES.get(e[2], e[2]) for e in ref["epci"]}


class ReplayData:
    """Everything the server answers, computed once from a data folder."""

    def __init__(self, shared: Optional[Path] = None, today: str = ""):
        self.shared = Path(shared) if shared else shared_root()
        if not (self.shared / "communes").is_dir():
            raise FileNotFoundError(
                f"shared data not found in {self.shared} (set CGET_SHARED_DATA or --shared-data)"
            )
        self.today = today or "2026-01-01"
        ref = Reference()
        admin = AdminExpress(self.shared, ref)
        self.commune_info = admin.commune_info
        self.wfs_layers = admin.layers()
        qpv = SyntheticQpv(self.shared, admin, ref)
        self.qpv_features, self.qpv_geojson, self.qpv_zip = qpv.features, qpv.geojson, qpv.zip
        self.fs_csv, self.fs_rows = france_services_csv(self.shared)
        self.addresses = address_index(self.shared, self.fs_rows)
        self.frr_rows = frr_rows(self.commune_info)
        self.frr_xlsx = frr_xlsx_bytes(self.frr_rows)
        self.frr_csv = frr_csv_bytes(self.frr_rows)
