#!/usr/bin/env python3
"""Generate the offline territory reference ``resources/reference/territory.json.gz``.

Source: the npm package ``@etalab/decoupage-administratif`` (INSEE COG, DGCL EPCI lists, INSEE
legal populations; Licence Ouverte 2.0). The package is fetched with ``npm pack`` (the npm
registry is the only thing contacted) or read from a ``.tgz`` given with ``--tgz``.

The output is a compact, gzipped JSON (tables of rows, not objects) holding:
régions, départements, EPCI (SIREN, name, nature, population, member communes), EPT of the
Métropole du Grand Paris, communes (INSEE, name, population, département, région, EPCI),
the arrondissements municipaux of Paris, Lyon and Marseille, and the map of former codes
(communes déléguées / associées, ``anciensCodes``) to the current commune. The vintage is
recorded in the file and printed.

Usage: ``python scripts/make_reference.py [--version 6.0.0] [--tgz file.tgz] [--output path]``
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import hashlib
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "@etalab/decoupage-administratif"
DEFAULT_VERSION = "6.0.0"
# Package version -> COG year, from the package README ("Millésimes et versions de package").
COG_YEAR = {"6": "2026", "5": "2025", "4": "2024", "3": "2023", "2": "2022", "1": "2021"}
REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "resources" / "reference" / "territory.json.gz"
FORMAT_VERSION = 1


def npm_pack(version: str, folder: Path) -> Path:
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{version}", "--silent"],
        cwd=folder,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tgz = sorted(folder.glob("*.tgz"))
    if not tgz:
        raise SystemExit("npm pack produced no archive")
    return tgz[0]


def read_package(tgz: Path) -> tuple[dict, dict]:
    data = {}
    with tarfile.open(tgz, "r:gz") as tar:
        for member in tar.getmembers():
            name = member.name
            if name == "package/package.json" or (
                name.startswith("package/data/") and name.endswith(".json")
            ):
                key = Path(name).stem
                handle = tar.extractfile(member)
                data[key] = json.load(handle)
    meta = data.pop("package")
    return meta, data


def _epci_rows(data: dict) -> tuple[list, dict]:
    """EPCI rows (SIREN, name, nature, population, member communes) and each member
    commune's EPCI."""
    commune_epci = {}
    epci_rows = []
    for e in data["epci"]:
        members = sorted(m["code"] for m in e.get("membres", []))
        for code in members:
            commune_epci[code] = e["code"]
        epci_rows.append(
            [
                e["code"],
                e["nom"],
                e.get("type", ""),
                int(e.get("populationMunicipale") or 0),
                members,
            ]
        )
    epci_rows.sort()
    return epci_rows, commune_epci


def _commune_rows(data: dict, commune_epci: dict) -> tuple[list, list, dict]:
    """Current communes, arrondissements municipaux and former codes -> current commune
    (a former code still in use as a current code is not former)."""
    communes, arrondissements, former = [], [], {}
    for c in data["communes"]:
        kind = c.get("type")
        if kind == "commune-actuelle":
            communes.append(
                [
                    c["code"],
                    c["nom"],
                    int(c.get("population") or 0),
                    c.get("departement", ""),
                    c.get("region", ""),
                    commune_epci.get(c["code"], ""),
                    c.get("siren", ""),
                ]
            )
            for old in c.get("anciensCodes", []):
                if old != c["code"]:
                    former[old] = c["code"]
        elif kind == "arrondissement-municipal":
            arrondissements.append(
                [c["code"], c["nom"], c["commune"], int(c.get("population") or 0)]
            )
        elif kind in ("commune-deleguee", "commune-associee"):
            parent = c.get("chefLieu", "")
            if parent and parent != c["code"]:
                former.setdefault(c["code"], parent)
    communes.sort()
    arrondissements.sort()
    current = {row[0] for row in communes}
    former = {k: v for k, v in sorted(former.items()) if k not in current and v in current}
    return communes, arrondissements, former


def build(meta: dict, data: dict, tgz_sha256: str) -> dict:
    version = meta["version"]
    year = COG_YEAR.get(version.split(".")[0], "?")
    regions = sorted([r["code"], r["nom"], r.get("zone", "")] for r in data["regions"])
    departements = sorted(
        [d["code"], d["nom"], d.get("region", ""), d.get("zone", "")] for d in data["departements"]
    )
    epci_rows, commune_epci = _epci_rows(data)
    ept_rows = sorted(
        [e["code"], e["nom"], sorted(m["code"] for m in e.get("membres", []))]
        for e in data.get("ept", [])
    )
    communes, arrondissements, former = _commune_rows(data, commune_epci)
    return {
        "format": FORMAT_VERSION,
        "vintage": f"COG {year} ({PACKAGE} {version})",
        "cog_year": year,
        "source": {
            "package": PACKAGE,
            "version": version,
            "sha256": tgz_sha256,
            "licence": "etalab-2.0",
            "producers": "INSEE (COG, populations légales), DGCL (EPCI)",
            "url": f"https://www.npmjs.com/package/{PACKAGE}/v/{version}",
        },
        "generated": dt.date.today().isoformat(),
        "columns": {
            "regions": ["code", "nom", "zone"],
            "departements": ["code", "nom", "region", "zone"],
            "epci": ["siren", "nom", "nature", "population", "communes"],
            "ept": ["siren", "nom", "communes"],
            "communes": ["code", "nom", "population", "dep", "reg", "epci", "siren"],
            "arrondissements_municipaux": ["code", "nom", "commune", "population"],
        },
        "regions": regions,
        "departements": departements,
        "epci": epci_rows,
        "ept": ept_rows,
        "communes": communes,
        "arrondissements_municipaux": arrondissements,
        "former_codes": former,
    }


def write_atomic(payload: dict, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=output.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            # mtime=0: the same input gives the same bytes (reproducible, clean diffs).
            with gzip.GzipFile(fileobj=handle, mode="wb", compresslevel=9, mtime=0) as gz:
                gz.write(raw)
        os.replace(tmp, output)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION)
    parser.add_argument("--tgz", type=Path, help="use this npm archive instead of npm pack")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        tgz = args.tgz or npm_pack(args.version, Path(tmp))
        sha = hashlib.sha256(tgz.read_bytes()).hexdigest()
        meta, data = read_package(tgz)
        payload = build(meta, data, sha)
    write_atomic(payload, args.output)
    size = args.output.stat().st_size
    print(
        f"{args.output}: {payload['vintage']}, {len(payload['regions'])} régions, "
        f"{len(payload['departements'])} départements, {len(payload['epci'])} EPCI, "
        f"{len(payload['communes'])} communes, {size / 1e6:.2f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
