"""FRR (France Ruralités Revitalisation) for the replay: real codes, names and départements of
every commune of the data folder, a SYNTHETIC classification (see README.md here), in the two
published layouts: the DGCL workbook and the Observatoire des territoires CSV."""

from __future__ import annotations

import io
from typing import List, Tuple

from osgeo import ogr

from tests.replay.geo import stable_int

FRR_LABEL = "REPLAY – classement synthétique de test"
FRR_LAST_MODIFIED = "2025-07-10T00:00:00.000000+00:00"
#: The DGCL XLSX columns (docs/data-sources.md); the class column is the one the catalogue finds
#: with ``re:^classement.*frr``.
FRR_COLUMNS = ("Code_insee", "Departement", "Commune", "Classement FRR et FRR+ au 10 juillet 2025")
#: The documented values of the DGCL classification.
FRR_CLASSES = (
    "Non classée",
    "FRR socle",
    "FRR+",
    "FRR bénéficiaire",
    "FRR bénéficiaire partiellement",
    "Classée FRR partiellement",
)
#: Départements whose communes get a SYNTHETIC rural classification (the others: Non classée).
FRR_RURAL_DEPS = ("23", "48")


def frr_rows(commune_info) -> List[Tuple[str, str, str, str]]:
    """(code_insee, département, commune, class) for every commune of the shared files:
    real codes and names; the class is SYNTHETIC, drawn from the commune code (same at
    every run) among the documented values, for the rural départements 23 and 48 only."""
    rows = []
    for code in sorted(commune_info):
        info = commune_info[code]
        rows.append((code, info["dep"], info["nom"], frr_class(code, info["dep"])))
    return rows


def frr_xlsx_bytes(rows) -> bytes:
    """The DGCL workbook layout: a title row above the header row (the plugin finds the
    header by its column names), one row per commune; a second sheet says it is replay
    data."""
    from osgeo import gdal

    path = f"/vsimem/replay_frr_{id(rows)}.xlsx"
    driver = ogr.GetDriverByName("XLSX")
    ds = driver.CreateDataSource(path)
    layer = ds.CreateLayer("Communes FRR", geom_type=ogr.wkbNone)
    title = (
        f"{FRR_LABEL} – Liste des communes FRR (serveur de rejeu CGET)",
        "communes et codes réels",
        "classement SYNTHÉTIQUE",
        "ne pas utiliser comme donnée officielle",
    )
    for name in title:
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    defn = layer.GetLayerDefn()
    for values in [FRR_COLUMNS] + [tuple(r) for r in rows]:
        feat = ogr.Feature(defn)
        for i, value in enumerate(values):
            feat.SetField(i, value)
        layer.CreateFeature(feat)
    note = ds.CreateLayer("LISEZMOI_REPLAY", geom_type=ogr.wkbNone)
    note.CreateField(ogr.FieldDefn("avertissement", ogr.OFTString))
    feat = ogr.Feature(note.GetLayerDefn())
    feat.SetField(
        0,
        f"{FRR_LABEL}. Codes et noms des communes réels ; classement FRR SYNTHÉTIQUE tiré "
        "du code commune (serveur de rejeu du plugin CGET). Ne pas utiliser comme donnée "
        "officielle.",
    )
    note.CreateFeature(feat)
    ds = None
    handle = gdal.VSIFOpenL(path, "rb")
    gdal.VSIFSeekL(handle, 0, 2)
    size = gdal.VSIFTellL(handle)
    gdal.VSIFSeekL(handle, 0, 0)
    data = gdal.VSIFReadL(1, size, handle)
    gdal.VSIFCloseL(handle)
    gdal.Unlink(path)
    return bytes(data)


def frr_csv_bytes(rows) -> bytes:
    """The Observatoire des territoires CSV (``codgeo;libgeo;codefrr``, ``-9999`` for an
    unclassed commune). The real ``codefrr`` coding of the classes is not documented
    here: the replay writes the class labels."""
    out = io.StringIO()
    out.write("codgeo;libgeo;codefrr\n")
    for code, _dep, nom, klass in rows:
        value = "-9999" if klass == "Non classée" else klass
        out.write(f"{code};{nom};{value}\n")
    return out.getvalue().encode("utf-8")


def frr_class(code: str, dep: str) -> str:
    """SYNTHETIC FRR class of a commune (deterministic): in 23 and 48, about 15 % unclassed,
    40 % FRR socle, 25 % FRR+, the rest shared by the three partial/beneficiary values."""
    if dep not in FRR_RURAL_DEPS:
        return "Non classée"
    draw = stable_int("frr:" + code, 6) % 100
    for limit, klass in zip((15, 55, 80, 88, 94, 100), FRR_CLASSES):
        if draw < limit:
            return klass
    return FRR_CLASSES[0]
