"""France Services for the replay: the real list of 2024-08-01 (all départements of the data
folder) as the anct-carto CSV snapshot, and the geocoder's index: real addresses and points of
the France Services and town halls of the 93."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path
from typing import List, Tuple

from osgeo import ogr

from tests.replay.geo import TO_L93, stable_int
from tests.replay.geocoder import tokens

FS_LAST_MODIFIED = "2024-08-01T00:00:00.000000+00:00"
#: The geocoder's ``context`` of the indexed départements.
CONTEXT = {"93": "93, Seine-Saint-Denis, Île-de-France"}
FS_FIELDS = (
    "id_fs",
    "insee_dep",
    "lib_fs",
    "adresse",
    "complement_adresse",
    "insee_com",
    "code_postal",
    "lib_com",
    "latitude",
    "longitude",
    "mail",
    "telephone",
    "h_lundi",
    "h_mardi",
    "h_mercredi",
    "h_jeudi",
    "h_vendredi",
    "h_samedi",
    "prise_rdv",
    "commentaire",
    "type_fs",
    "format_fs",
    "groupe_fs",
    "labellisation_fs",
)


def france_services_csv(folder: Path) -> Tuple[bytes, List[dict]]:
    """The CSV bytes and the rows of the France Services list."""
    path = folder / "services" / "france_services_2024-08-01.gpkg"
    ds = ogr.Open(str(path))
    layer = ds.GetLayer(0)
    names = [
        layer.GetLayerDefn().GetFieldDefn(i).GetName()
        for i in range(layer.GetLayerDefn().GetFieldCount())
    ]
    rows = []
    for feat in layer:
        rows.append({name: feat.GetField(name) for name in names})
    ds = None
    rows.sort(key=lambda r: int(r["id_fs"]) if str(r["id_fs"]).isdigit() else 0)
    fields = [f for f in FS_FIELDS if f in names] + [n for n in names if n not in FS_FIELDS]
    out = io.StringIO()
    # The anct-carto snapshot of liste-fs-20240801.csv: comma separated, text quoted,
    # coordinates bare. data.gouv.fr files of ANCT start with a UTF-8 BOM.
    out.write(",".join(f'"{f}"' for f in fields) + "\n")
    for row in rows:
        cells = []
        for name in fields:
            value = row.get(name)
            if value is None or value == "":
                cells.append("")
            elif name in ("latitude", "longitude"):
                cells.append(repr(float(value)))
            else:
                cells.append('"{}"'.format(str(value).replace('"', '""')))
        out.write(",".join(cells) + "\n")
    return b"\xef\xbb\xbf" + out.getvalue().encode("utf-8"), rows


def address_index(folder: Path, fs_rows: List[dict]) -> List[dict]:
    """Addresses and points of the France Services and town halls of the 93."""
    entries = []
    seen = set()
    for row in fs_rows:
        if row.get("insee_dep") != "93" or not row.get("adresse"):
            continue
        entries.append(
            _address(
                row["adresse"],
                row["code_postal"],
                row["lib_com"],
                row["insee_com"],
                float(row["longitude"]),
                float(row["latitude"]),
            )
        )
    path = folder / "services" / "mairies_93.gpkg"
    if path.exists():
        ds = ogr.Open(str(path))
        for feat in ds.GetLayer(0):
            text = feat.GetField("adresse") or ""
            match = re.match(r"^(.*?),\s*(\d{5})\s+(.*)$", text)
            if not match:
                continue
            geom = feat.GetGeometryRef()
            entries.append(
                _address(
                    match.group(1),
                    match.group(2),
                    feat.GetField("nom_commune"),
                    feat.GetField("code_insee"),
                    geom.GetX(),
                    geom.GetY(),
                )
            )
        ds = None
    unique = []
    for entry in entries:
        if entry["label"] not in seen:
            seen.add(entry["label"])
            unique.append(entry)
    return unique


def _address(street_text, postcode, city, citycode, lon, lat) -> dict:
    street_text = " ".join(str(street_text).split())
    match = re.match(r"^(\d+(?:\s*(?:bis|ter|[a-z])\b)?)(?:\s*-\s*\d+)?\s+(.*)$", street_text, re.I)
    housenumber = match.group(1).replace(" ", "") if match else ""
    street = match.group(2) if match else street_text
    point = ogr.Geometry(ogr.wkbPoint)
    point.AddPoint_2D(lon, lat)
    point.Transform(TO_L93)
    label = f"{street_text} {postcode} {city}"
    ident = f"{citycode}_{stable_int(street.lower(), 5):05d}" + (
        f"_{housenumber.lower()}" if housenumber else ""
    )
    return {
        "label": label,
        "housenumber": housenumber,
        "street": street,
        "name": street_text,
        "postcode": str(postcode),
        "city": city,
        "citycode": citycode,
        "lon": round(lon, 6),
        "lat": round(lat, 6),
        "x": round(point.GetX(), 2),
        "y": round(point.GetY(), 2),
        "id": ident,
        "banId": str(uuid.uuid5(uuid.NAMESPACE_URL, "replay-ban:" + ident)),
        "type": "housenumber" if housenumber else "street",
        "context": CONTEXT.get(citycode[:2], ""),
        "tokens": set(tokens(label)),
    }
