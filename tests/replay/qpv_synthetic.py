"""QPV 2024 for the replay: real codes, names and communes (``qpv/qpv2024_communes_points.gpkg``),
SYNTHETIC outlines. No QPV 2024 polygons exist in the open data at hand: each QPV gets an
irregular polygon of 20–60 ha (smaller where a small commune is crowded) inside its commune, not
overlapping the other QPV placed there; a multi-commune QPV straddles the border of its first
two communes when they touch. The seed is the QPV code: same output at every run."""

from __future__ import annotations

import io
import json
import math
import random
import zipfile
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from osgeo import ogr

from tests.replay.geo import TO_WGS84, multi, stable_int
from tests.replay.wfs import geometry_json

REPLAY_LABEL = "REPLAY – contours synthétiques de test"
QPV_LAST_MODIFIED = "2025-02-06T16:18:39.000000+00:00"


class SyntheticQpv:
    """``features`` (GeoJSON features, official 2024 schema), ``geojson`` and ``zip`` bytes."""

    def __init__(self, folder: Path, admin, ref):
        self.folder = folder
        self.commune_geom = admin.commune_geom
        self.commune_info = admin.commune_info
        self.ref = ref
        self.features = self._build_qpv()
        self.geojson = self._geojson_bytes()
        self.zip = self._zip_bytes()

    def _qpv_list(self) -> Dict[str, dict]:
        """code_qp -> {name, communes} for the QPV whose communes are all in the commune files."""
        path = self.folder / "qpv" / "qpv2024_communes_points.gpkg"
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
                        "lib_reg": self.ref.reg_names.get(first["reg"], ""),
                        "insee_dep": dep,
                        "lib_dep": self.ref.dep_names.get(dep, ""),
                        "insee_com": ", ".join(communes),
                        "lib_com": ", ".join(self.commune_info[c]["nom"] for c in communes),
                        "siren_epci": first["epci"],
                    },
                    "geometry": geometry_json(multi(wgs), 6),
                }
            )
        return features

    def _synthetic_outline(self, code, communes, placed) -> Optional[ogr.Geometry]:
        """An irregular 20–60 ha polygon inside its commune(s) (Lambert-93), not overlapping
        the QPV already placed. A multi-commune QPV straddles the border of its first two
        communes when they touch."""
        rng = random.Random(stable_int(code, 12))
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

    def _geojson_bytes(self) -> bytes:
        collection = {
            "type": "FeatureCollection",
            "name": "QP2024_France_Hexagonale_Outre_Mer_WGS84",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": self.features,
        }
        return json.dumps(collection, ensure_ascii=False).encode("utf-8")

    def _zip_bytes(self) -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
            info = zipfile.ZipInfo("GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson")
            info.date_time = (2025, 2, 6, 16, 18, 39)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, self.geojson)
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
