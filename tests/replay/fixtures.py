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
import hashlib
import io
import json
import math
import os
import random
import re
import unicodedata
import uuid
import zipfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from osgeo import ogr, osr

REPO = Path(__file__).resolve().parents[2]
REPLAY_LABEL = "REPLAY – contours synthétiques de test"
QPV_LAST_MODIFIED = "2025-02-06T16:18:39.000000+00:00"
FS_LAST_MODIFIED = "2024-08-01T00:00:00.000000+00:00"
FRR_LABEL = "REPLAY – classement synthétique de test"
FRR_LAST_MODIFIED = "2025-07-10T00:00:00.000000+00:00"
#: The DGCL XLSX columns (data-sources.md); the class column is the one the catalogue finds
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
NATURES = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "METRO": "Métropole",
    "MET69": "Métropole de Lyon",
}

ogr.UseExceptions()
osr.UseExceptions()


def shared_root() -> Path:
    """Same rule as tests/helpers/shared_data.py (which needs pytest): CGET_SHARED_DATA or
    ``../shared/data`` next to the repository."""
    env = os.environ.get("CGET_SHARED_DATA")
    return Path(env) if env else REPO.parent / "shared" / "data"


def _srs(epsg: int) -> osr.SpatialReference:
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(epsg)
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


WGS84 = _srs(4326)
L93 = _srs(2154)
TO_L93 = osr.CoordinateTransformation(WGS84, L93)
TO_WGS84 = osr.CoordinateTransformation(L93, WGS84)


def _stable_int(text: str, digits: int = 16) -> int:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % (10**digits)


def _round_coords(obj, ndigits):
    if isinstance(obj, (list, tuple)):
        if obj and isinstance(obj[0], (int, float)):
            return [round(float(v), ndigits) for v in obj]
        return [_round_coords(v, ndigits) for v in obj]
    return obj


def geometry_json(geom: ogr.Geometry, ndigits: int) -> dict:
    data = json.loads(geom.ExportToJson())
    data["coordinates"] = _round_coords(data["coordinates"], ndigits)
    return data


def _multi(geom: ogr.Geometry) -> ogr.Geometry:
    if geom.GetGeometryType() in (ogr.wkbPolygon, ogr.wkbPolygon25D):
        return ogr.ForceToMultiPolygon(geom)
    return geom


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


# -- reference -------------------------------------------------------------------------------


def load_reference() -> dict:
    path = REPO / "resources" / "reference" / "territory.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)


class ReplayData:
    """Everything the server answers, computed once."""

    def __init__(self, shared: Optional[Path] = None, today: str = ""):
        self.shared = Path(shared) if shared else shared_root()
        if not (self.shared / "communes").is_dir():
            raise FileNotFoundError(
                f"shared data not found in {self.shared} (set CGET_SHARED_DATA or --shared-data)"
            )
        self.today = today or "2026-01-01"
        ref = load_reference()
        self.dep_names = {d[0]: d[1] for d in ref["departements"]}
        self.dep_region = {d[0]: d[2] for d in ref["departements"]}
        self.reg_names = {r[0]: r[1] for r in ref["regions"]}
        self.epci_nature = {e[0]: NATURES.get(e[2], e[2]) for e in ref["epci"]}
        self._load_communes()
        self.wfs_layers = {
            "ADMINEXPRESS-COG.LATEST:commune": self.communes,
            "ADMINEXPRESS-COG.LATEST:epci": self._dissolve_epci(),
            "ADMINEXPRESS-COG.LATEST:departement": self._dissolve_departements(),
            "ADMINEXPRESS-COG.LATEST:region": self._dissolve_regions(),
        }
        self.qpv_features = self._build_qpv()
        self.qpv_geojson = self._qpv_geojson_bytes()
        self.qpv_zip = self._qpv_zip_bytes()
        self.fs_csv, self.fs_rows = self._france_services_csv()
        self.addresses = self._address_index()
        self.frr_rows = self._frr_rows()
        self.frr_xlsx = self._frr_xlsx_bytes()
        self.frr_csv = self._frr_csv_bytes()

    # -- communes and ADMIN EXPRESS layers -----------------------------------------------------
    def _load_communes(self) -> None:
        self.communes: List[dict] = []
        self.commune_geom: Dict[str, ogr.Geometry] = {}  # Lambert-93
        self.commune_info: Dict[str, dict] = {}
        for path in sorted((self.shared / "communes").glob("communes_*.gpkg")):
            ds = ogr.Open(str(path))
            layer = ds.GetLayer(0)
            for feat in layer:
                code = feat.GetField("code_insee")
                geom = feat.GetGeometryRef().Clone()
                geom_l93 = geom.Clone()
                geom_l93.Transform(TO_L93)
                dep = feat.GetField("dep")
                reg = self.dep_region.get(dep, "")
                props = {
                    "cleabs": f"COMMUNE_{_stable_int('commune' + code):016d}",
                    "nom_officiel": feat.GetField("nom"),
                    "nom_officiel_en_majuscules": strip_accents(feat.GetField("nom")).upper(),
                    "statut": None,
                    "code_insee": code,
                    "population": feat.GetField("population"),
                    "date_du_recensement": None,
                    "organisme_recenseur": "INSEE",
                    "code_insee_du_canton": None,
                    "code_insee_de_l_arrondissement": None,
                    "code_insee_du_departement": dep,
                    "code_insee_de_la_region": reg,
                    "code_siren": feat.GetField("siren"),
                    "codes_siren_des_epci": feat.GetField("epci_siren"),
                    "code_postal": feat.GetField("codes_postaux"),
                    "superficie_cadastrale": None,
                }
                self.communes.append(
                    {"props": props, "geom4326": _multi(geom), "geom2154": _multi(geom_l93)}
                )
                self.commune_geom[code] = geom_l93
                self.commune_info[code] = {
                    "nom": feat.GetField("nom"),
                    "dep": dep,
                    "reg": reg,
                    "epci": feat.GetField("epci_siren") or "",
                    "epci_nom": feat.GetField("epci_nom") or "",
                }
            ds = None

    def _dissolved(self, key_of, props_of, prefix) -> List[dict]:
        groups: Dict[str, List[dict]] = {}
        for com in self.communes:
            key = key_of(com["props"])
            if key:
                groups.setdefault(key, []).append(com)
        out = []
        for key in sorted(groups):
            members = groups[key]
            coll = ogr.Geometry(ogr.wkbMultiPolygon)
            for com in members:
                for part in range(com["geom2154"].GetGeometryCount()):
                    coll.AddGeometry(com["geom2154"].GetGeometryRef(part))
            union = _multi(coll.UnionCascaded())
            union_4326 = union.Clone()
            union_4326.Transform(TO_WGS84)
            # IGN identifiers: class name padded to 8 characters, then 16 digits
            # ("EPCI____0000000200000001"); the digits here are made up, stable.
            props = {"cleabs": f"{prefix[:8].ljust(8, '_')}{_stable_int(prefix + key):016d}"}
            props.update(props_of(key, members))
            out.append({"props": props, "geom4326": _multi(union_4326), "geom2154": union})
        return out

    def _dissolve_epci(self) -> List[dict]:
        def props(siren, members):
            first = self.commune_info[members[0]["props"]["code_insee"]]
            deps = sorted({m["props"]["code_insee_du_departement"] for m in members})
            nom = first["epci_nom"]
            return {
                "nom_officiel": nom,
                "nom_officiel_en_majuscules": strip_accents(nom).upper(),
                "nature": self.epci_nature.get(siren),
                "codes_insee_des_communes_membres": "/".join(
                    sorted(m["props"]["code_insee"] for m in members)
                ),
                "codes_insee_des_departements_membres": "/".join(deps),
                "code_siren": siren,
            }

        return self._dissolved(lambda p: p["codes_siren_des_epci"], props, "EPCI")

    def _dissolve_departements(self) -> List[dict]:
        def props(dep, members):
            nom = self.dep_names.get(dep, dep)
            return {
                "nom_officiel": nom,
                "nom_officiel_en_majuscules": strip_accents(nom).upper(),
                "code_insee": dep,
                "code_insee_de_la_region": self.dep_region.get(dep, ""),
                "code_siren": None,
            }

        return self._dissolved(lambda p: p["code_insee_du_departement"], props, "DEPARTEMENT")

    def _dissolve_regions(self) -> List[dict]:
        def props(reg, members):
            nom = self.reg_names.get(reg, reg)
            return {
                "nom_officiel": nom,
                "nom_officiel_en_majuscules": strip_accents(nom).upper(),
                "code_insee": reg,
                "code_siren": None,
            }

        return self._dissolved(lambda p: p["code_insee_de_la_region"], props, "REGION")

    # -- QPV 2024 (real codes and names, synthetic outlines) ----------------------------------
    def _qpv_list(self) -> Dict[str, dict]:
        """code_qp -> {name, communes} for the QPV whose communes are all in the commune files."""
        path = self.shared / "qpv" / "qpv2024_communes_points.gpkg"
        ds = ogr.Open(str(path))
        qpv: Dict[str, dict] = {}
        for feat in ds.GetLayer(0):
            com = (feat.GetField("insee_com") or "").strip()
            codes = [c.strip() for c in (feat.GetField("code_qp") or "").split(",") if c.strip()]
            names = [n.strip() for n in (feat.GetField("lib_qp") or "").split(", ")]
            if len(names) != len(codes):
                names = [""] * len(codes)
            for code, name in zip(codes, names):
                item = qpv.setdefault(code, {"name": name, "communes": set()})
                item["communes"].add(com)
                if name and not item["name"]:
                    item["name"] = name
        ds = None
        return {
            code: item
            for code, item in sorted(qpv.items())
            if item["communes"] and all(c in self.commune_geom for c in item["communes"])
        }

    def _build_qpv(self) -> List[dict]:
        features = []
        placed: Dict[str, List[ogr.Geometry]] = {}
        for fid, (code, item) in enumerate(self._qpv_list().items(), start=1):
            communes = sorted(item["communes"])
            geom = self._synthetic_outline(code, communes, placed)
            if geom is None:
                continue
            for com in communes:
                placed.setdefault(com, []).append(geom)
            wgs = geom.Clone()
            wgs.Transform(TO_WGS84)
            first = self.commune_info[communes[0]]
            dep = first["dep"]
            features.append(
                {
                    "type": "Feature",
                    "properties": {
                        "fid": fid,
                        "code_qp": code,
                        "lib_qp": item["name"],
                        "insee_reg": first["reg"],
                        "lib_reg": self.reg_names.get(first["reg"], ""),
                        "insee_dep": dep,
                        "lib_dep": self.dep_names.get(dep, ""),
                        "insee_com": ", ".join(communes),
                        "lib_com": ", ".join(self.commune_info[c]["nom"] for c in communes),
                        "siren_epci": first["epci"],
                    },
                    "geometry": geometry_json(_multi(wgs), 6),
                }
            )
        return features

    def _synthetic_outline(self, code, communes, placed) -> Optional[ogr.Geometry]:
        """An irregular 20–60 ha polygon inside its commune(s) (Lambert-93), not overlapping
        the QPV already placed. A multi-commune QPV straddles the border of its first two
        communes when they touch."""
        rng = random.Random(_stable_int(code, 12))
        area_ha = rng.uniform(20.0, 60.0)
        radius = math.sqrt(area_ha * 10000.0 / math.pi)
        union = self.commune_geom[communes[0]].Clone()
        for com in communes[1:]:
            union = union.Union(self.commune_geom[com])
        anchors = []
        if len(communes) > 1:
            border = (
                self.commune_geom[communes[0]]
                .Boundary()
                .Intersection(self.commune_geom[communes[1]].Boundary())
            )
            if border is not None and not border.IsEmpty() and border.Length() > 0:
                for _ in range(12):
                    dist = rng.uniform(0.2, 0.8) * border.Length()
                    anchors.append(_point_along(border, dist))
        minx, maxx, miny, maxy = union.GetEnvelope()
        shrink = 1.0
        for attempt in range(500):
            if attempt < len(anchors):
                cx, cy = anchors[attempt]
            else:
                cx, cy = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if attempt and attempt % 50 == 0:
                shrink *= 0.8  # small or crowded communes: smaller outlines (down to ~5 ha)
            poly = _blob(cx, cy, radius * shrink, rng)
            if not union.Contains(poly):
                continue
            if any(poly.Intersects(other) for com in communes for other in placed.get(com, [])):
                continue
            return poly
        return None

    def _qpv_geojson_bytes(self) -> bytes:
        collection = {
            "type": "FeatureCollection",
            "name": "QP2024_France_Hexagonale_Outre_Mer_WGS84",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": self.qpv_features,
        }
        return json.dumps(collection, ensure_ascii=False).encode("utf-8")

    def _qpv_zip_bytes(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            info = zipfile.ZipInfo("GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson")
            info.date_time = (2025, 2, 6, 16, 18, 39)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, self.qpv_geojson)
            note = zipfile.ZipInfo("LISEZMOI_REPLAY.txt")
            note.date_time = (2025, 2, 6, 16, 18, 39)
            archive.writestr(
                note,
                (
                    f"{REPLAY_LABEL}. Codes, noms et communes des QPV 2024 réels ; contours "
                    "synthétiques générés pour les tests (serveur de rejeu du plugin CGET). Ne "
                    "pas utiliser comme donnée officielle.\n"
                ).encode(),
            )
        return buf.getvalue()

    # -- France Services ------------------------------------------------------------------------
    def _france_services_csv(self) -> Tuple[bytes, List[dict]]:
        path = self.shared / "services" / "france_services_2024-08-01.gpkg"
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

    # -- FRR (real communes, SYNTHETIC classification) ------------------------------------------
    def _frr_rows(self) -> List[Tuple[str, str, str, str]]:
        """(code_insee, département, commune, class) for every commune of the shared files:
        real codes and names; the class is SYNTHETIC, drawn from the commune code (same at
        every run) among the documented values, for the rural départements 23 and 48 only."""
        rows = []
        for code in sorted(self.commune_info):
            info = self.commune_info[code]
            rows.append((code, info["dep"], info["nom"], frr_class(code, info["dep"])))
        return rows

    def _frr_xlsx_bytes(self) -> bytes:
        """The DGCL workbook layout: a title row above the header row (the plugin finds the
        header by its column names), one row per commune; a second sheet says it is replay
        data."""
        from osgeo import gdal

        path = f"/vsimem/replay_frr_{id(self)}.xlsx"
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
        for values in [FRR_COLUMNS] + [tuple(r) for r in self.frr_rows]:
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

    def _frr_csv_bytes(self) -> bytes:
        """The Observatoire des territoires CSV (``codgeo;libgeo;codefrr``, ``-9999`` for an
        unclassed commune). The real ``codefrr`` coding of the classes is not documented
        here: the replay writes the class labels."""
        out = io.StringIO()
        out.write("codgeo;libgeo;codefrr\n")
        for code, _dep, nom, klass in self.frr_rows:
            value = "-9999" if klass == "Non classée" else klass
            out.write(f"{code};{nom};{value}\n")
        return out.getvalue().encode("utf-8")

    # -- geocoder index ---------------------------------------------------------------------------
    def _address_index(self) -> List[dict]:
        entries = []
        seen = set()
        for row in self.fs_rows:
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
        path = self.shared / "services" / "mairies_93.gpkg"
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


def frr_class(code: str, dep: str) -> str:
    """SYNTHETIC FRR class of a commune (deterministic): in 23 and 48, about 15 % unclassed,
    40 % FRR socle, 25 % FRR+, the rest shared by the three partial/beneficiary values."""
    if dep not in FRR_RURAL_DEPS:
        return "Non classée"
    draw = _stable_int("frr:" + code, 6) % 100
    for limit, klass in zip((15, 55, 80, 88, 94, 100), FRR_CLASSES):
        if draw < limit:
            return klass
    return FRR_CLASSES[0]


def _point_along(line: ogr.Geometry, dist: float) -> Tuple[float, float]:
    """Point at ``dist`` along a (multi)line."""
    parts = (
        [line.GetGeometryRef(i) for i in range(line.GetGeometryCount())]
        if line.GetGeometryCount()
        else [line]
    )
    for part in parts:
        pts = part.GetPoints() or []
        for (x1, y1, *_), (x2, y2, *_) in zip(pts, pts[1:]):
            seg = math.hypot(x2 - x1, y2 - y1)
            if dist <= seg and seg > 0:
                t = dist / seg
                return x1 + t * (x2 - x1), y1 + t * (y2 - y1)
            dist -= seg
    pts = parts[-1].GetPoints() or [(0.0, 0.0)]
    return pts[-1][0], pts[-1][1]


def _blob(cx: float, cy: float, radius: float, rng: random.Random) -> ogr.Geometry:
    """An irregular, simple polygon of mean radius ``radius`` (metres)."""
    n = 24
    phases = [rng.uniform(0, 2 * math.pi) for _ in range(3)]
    ring = ogr.Geometry(ogr.wkbLinearRing)
    coords = []
    for i in range(n):
        a = 2 * math.pi * i / n
        r = radius * (
            1.0
            + 0.18 * math.sin(2 * a + phases[0])
            + 0.10 * math.sin(3 * a + phases[1])
            + 0.06 * math.sin(5 * a + phases[2])
        )
        coords.append((round(cx + r * math.cos(a), 1), round(cy + r * math.sin(a), 1)))
    for x, y in coords + coords[:1]:
        ring.AddPoint_2D(x, y)
    poly = ogr.Geometry(ogr.wkbPolygon)
    poly.AddGeometry(ring)
    return poly


def tokens(text: str) -> List[str]:
    text = strip_accents((text or "").lower())
    text = re.sub(r"[^a-z0-9]+", " ", text)
    return [t for t in text.split() if t]


def _address(street_text, postcode, city, citycode, lon, lat) -> dict:
    street_text = " ".join(str(street_text).split())
    match = re.match(r"^(\d+(?:\s*(?:bis|ter|[a-z])\b)?)(?:\s*-\s*\d+)?\s+(.*)$", street_text, re.I)
    housenumber = match.group(1).replace(" ", "") if match else ""
    street = match.group(2) if match else street_text
    point = ogr.Geometry(ogr.wkbPoint)
    point.AddPoint_2D(lon, lat)
    point.Transform(TO_L93)
    label = f"{street_text} {postcode} {city}"
    ident = f"{citycode}_{_stable_int(street.lower(), 5):05d}" + (
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
        "tokens": set(tokens(label)),
    }
