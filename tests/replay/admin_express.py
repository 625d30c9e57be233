"""ADMIN EXPRESS-like layers for the replayed WFS: real commune polygons (generalised), codes,
names and population of the ``communes/communes_<dep>.gpkg`` files, under the ADMIN EXPRESS v4
property names; EPCI, départements and régions dissolved from the communes present (an EPCI
or a région reaching beyond those files is only partly drawn)."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

from osgeo import ogr

from tests.replay.geo import TO_L93, TO_WGS84, multi, stable_int
from tests.replay.geocoder import strip_accents

NATURES = {
    "CC": "Communauté de communes",
    "CA": "Communauté d'agglomération",
    "CU": "Communauté urbaine",
    "METRO": "Métropole",
    "MET69": "Métropole de Lyon",
}


class AdminExpress:
    def __init__(self, folder: Path, ref):
        self.ref = ref
        self.communes: List[dict] = []
        self.commune_geom: Dict[str, ogr.Geometry] = {}  # Lambert-93
        self.commune_info: Dict[str, dict] = {}
        for path in sorted((folder / "communes").glob("communes_*.gpkg")):
            self._read(path)

    def layers(self) -> Dict[str, List[dict]]:
        """The WFS layers, by type name."""
        return {
            "ADMINEXPRESS-COG.LATEST:commune": self.communes,
            "ADMINEXPRESS-COG.LATEST:epci": self._dissolve_epci(),
            "ADMINEXPRESS-COG.LATEST:departement": self._dissolve_departements(),
            "ADMINEXPRESS-COG.LATEST:region": self._dissolve_regions(),
        }

    def _read(self, path: Path) -> None:
        ds = ogr.Open(str(path))
        layer = ds.GetLayer(0)
        for feat in layer:
            code = feat.GetField("code_insee")
            geom = feat.GetGeometryRef().Clone()
            geom_l93 = geom.Clone()
            geom_l93.Transform(TO_L93)
            dep = feat.GetField("dep")
            reg = self.ref.dep_region.get(dep, "")
            props = {
                "cleabs": f"COMMUNE_{stable_int('commune' + code):016d}",
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
                {"props": props, "geometry": {"4326": multi(geom), "2154": multi(geom_l93)}}
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
                for part in range(com["geometry"]["2154"].GetGeometryCount()):
                    coll.AddGeometry(com["geometry"]["2154"].GetGeometryRef(part))
            union = multi(coll.UnionCascaded())
            union_4326 = union.Clone()
            union_4326.Transform(TO_WGS84)
            # IGN identifiers: class name padded to 8 characters, then 16 digits
            # ("EPCI____0000000200000001"); the digits here are made up, stable.
            props = {"cleabs": f"{prefix[:8].ljust(8, '_')}{stable_int(prefix + key):016d}"}
            props.update(props_of(key, members))
            out.append({"props": props, "geometry": {"4326": multi(union_4326), "2154": union}})
        return out

    def _dissolve_epci(self) -> List[dict]:
        def props(siren, members):
            first = self.commune_info[members[0]["props"]["code_insee"]]
            deps = sorted({m["props"]["code_insee_du_departement"] for m in members})
            nom = first["epci_nom"]
            return {
                "nom_officiel": nom,
                "nom_officiel_en_majuscules": strip_accents(nom).upper(),
                "nature": self.ref.epci_nature.get(siren),
                "codes_insee_des_communes_membres": "/".join(
                    sorted(m["props"]["code_insee"] for m in members)
                ),
                "codes_insee_des_departements_membres": "/".join(deps),
                "code_siren": siren,
            }

        return self._dissolved(lambda p: p["codes_siren_des_epci"], props, "EPCI")

    def _dissolve_departements(self) -> List[dict]:
        def props(dep, members):
            nom = self.ref.dep_names.get(dep, dep)
            return {
                "nom_officiel": nom,
                "nom_officiel_en_majuscules": strip_accents(nom).upper(),
                "code_insee": dep,
                "code_insee_de_la_region": self.ref.dep_region.get(dep, ""),
                "code_siren": None,
            }

        return self._dissolved(lambda p: p["code_insee_du_departement"], props, "DEPARTEMENT")

    def _dissolve_regions(self) -> List[dict]:
        def props(reg, members):
            nom = self.ref.reg_names.get(reg, reg)
            return {
                "nom_officiel": nom,
                "nom_officiel_en_majuscules": strip_accents(nom).upper(),
                "code_insee": reg,
                "code_siren": None,
            }

        return self._dissolved(lambda p: p["code_insee_de_la_region"], props, "REGION")
