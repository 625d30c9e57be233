"""Data behind the loopback replay server, built at start-up from a folder of real open data
laid out as ``../shared/data`` (default: its small extracts committed in ``tests/data/real``)
and the plugin's territory reference.

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
- France Services: the real 2024-08-01 list, all départements of the data folder.
- Isochrones: an APPROXIMATION (irregular star, radius = time × a mean speed), not a routing.
- Geocoder: real addresses and points of the France Services and town halls of the 93.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Optional

from tests.helpers.real_data import real_root
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
    "default_data",
]


def default_data() -> Path:
    """The extracts of real open data committed in tests/data/real (a clone has them); the
    server's ``--shared-data`` points it at the fuller ``../shared/data`` instead."""
    return real_root()


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
    """Everything the server answers, computed once from a data folder laid out as
    ``../shared/data`` (default: the extracts of tests/data/real)."""

    def __init__(self, shared: Optional[Path] = None, today: str = ""):
        self.shared = Path(shared) if shared else default_data()
        if not (self.shared / "communes").is_dir():
            raise FileNotFoundError(f"no replay data in {self.shared} (see --shared-data)")
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
