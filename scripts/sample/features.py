"""The layers' features from the generated geometries: attributes in the real sources'
formats (ADMIN EXPRESS, BD TOPO, QPV 2024, Filosofi), geometries as WKT."""

from __future__ import annotations

import hashlib
import math
from typing import Dict, Tuple

from .geometry import PolygonIndex, clean_polygon, qpoly
from .territory import (
    DEP_CODE,
    DEP_NAME,
    EPCIS,
    MENTION,
    PLACES,
    PLACES_BY_CODE,
    REG_CODE,
    REG_NAME,
    fictitious_siren,
)

SOURCE = {"source": MENTION}
URBAN_SPEED = {"2": 50, "3": 45, "4": 40, "5": 30, "6": 20}
RURAL_SPEED = {"2": 80, "3": 72, "4": 62, "5": 48, "6": 32}
FIXED_SPEED = {
    "Type autoroutier": 120,
    "Bretelle": 50,
    "Rond-point": 25,
    "Chemin": 15,
    "Sentier": 0,
    "Route empierrée": 20,
}


def _multi_wkt(geom) -> str:
    from qgis.core import QgsGeometry

    return QgsGeometry.collectGeometry([geom]).asWkt(1)


def departement_features(dep_geom):
    return [
        (
            _multi_wkt(dep_geom),
            {
                "cleabs": "DEPARTE_" + "0" * 14 + "00",
                "nom_officiel": DEP_NAME,
                "nom_officiel_en_majuscules": DEP_NAME.upper(),
                "code_insee": DEP_CODE,
                "code_insee_de_la_region": REG_CODE,
                "code_siren": fictitious_siren(100),
                "nom": DEP_NAME,
                "insee_dep": DEP_CODE,
                **SOURCE,
            },
        )
    ]


def commune_features(communes):
    out = []
    for i, p in enumerate(PLACES):
        g = communes[p.code]
        siren, ename, _nature = EPCIS[p.epci]
        attrs = {
            "cleabs": f"COMMUNE_{i + 1:016d}",
            "nom_officiel": p.name,
            "nom_officiel_en_majuscules": p.name.upper(),
            "statut": p.statut,
            "code_insee": p.code,
            "population": p.population,
            "date_du_recensement": "2023-01-01",
            "organisme_recenseur": "Données fictives",
            "code_insee_du_departement": DEP_CODE,
            "code_insee_de_la_region": REG_CODE,
            "code_siren": fictitious_siren(1000 + i + 1),
            "codes_siren_des_epci": siren,
            "code_postal": p.postal,
            "superficie_cadastrale": int(round(g.area() / 10000.0)),
            "nom": p.name,
            "insee_dep": DEP_CODE,
            "epci_siren": siren,
            "epci_nom": ename,
            **SOURCE,
        }
        out.append((_multi_wkt(g), attrs))
    return out


def epci_features(communes):
    from qgis.core import QgsGeometry

    out = []
    for i, key in enumerate(sorted(EPCIS, key=lambda k: EPCIS[k][0])):
        siren, ename, nature = EPCIS[key]
        members = [p for p in PLACES if p.epci == key]
        g = clean_polygon(QgsGeometry.unaryUnion([communes[p.code] for p in members]))
        attrs = {
            "cleabs": f"EPCI____{i + 1:016d}",
            "nom_officiel": ename,
            "nom_officiel_en_majuscules": ename.upper(),
            "nature": nature,
            "codes_insee_des_communes_membres": "/".join(p.code for p in members),
            "codes_insee_des_departements_membres": DEP_CODE,
            "code_siren": siren,
            "nom": ename,
            "epci_siren": siren,
            "population": sum(p.population for p in members),
            **SOURCE,
        }
        out.append((_multi_wkt(g), attrs))
    return out


def _road_speed(a, urban) -> int:
    """Mean light-vehicle speed (km/h) by nature, then importance in or out of towns."""
    if a["nature"] in FIXED_SPEED:
        return FIXED_SPEED[a["nature"]]
    if urban:
        return URBAN_SPEED[a["importance"]] if not a["oneway"] else 25
    return RURAL_SPEED[a["importance"]]


def _road_direction(a, pts):
    """BD TOPO's sens_de_circulation and the points in their digitised order: half the one-way
    streets are digitised against the traffic, as in BD TOPO."""
    if a.get("sens") == "Sans objet":
        return "Sans objet", pts
    if not a["oneway"]:
        return "Double sens", pts
    if a["nature"] == "Route à 1 chaussée":
        h = int(hashlib.md5(repr(pts[0]).encode()).hexdigest(), 16)
        if h % 2:
            return "Sens inverse", pts[::-1]
    return "Sens direct", pts


def _road_sides(pts, com_idx):
    """Middle of the road's middle segment, and the communes 3 m to its left and right."""
    k = len(pts) // 2 - (1 if len(pts) % 2 == 0 else 0)
    k = max(0, min(len(pts) - 2, k))
    (x1, y1), (x2, y2) = pts[k], pts[k + 1]
    mx, my = (x1 + x2) / 2, (y1 + y2) / 2
    L = math.hypot(x2 - x1, y2 - y1) or 1.0
    nx, ny = -(y2 - y1) / L, (x2 - x1) / L
    left = com_idx.find(mx + 3 * nx, my + 3 * ny)
    right = com_idx.find(mx - 3 * nx, my - 3 * ny)
    return (mx, my), left, right


def _road_feature(r, com_idx, towns_urban):
    a = r.attrs
    (mx, my), left, right = _road_sides(r.pts, com_idx)
    urban = a["urbain"] or any(t.rel((mx, my)) < 1.0 for t in towns_urban)
    nature = a["nature"]
    sens, pts = _road_direction(a, r.pts)
    attrs = {
        "nature": nature,
        "importance": a["importance"],
        "etat_de_l_objet": "En service",
        "position_par_rapport_au_sol": a["position_par_rapport_au_sol"],
        "nombre_de_voies": int(a["nombre_de_voies"]),
        "prive": nature == "Chemin" and a["acces_vehicule_leger"] != "Libre",
        "sens_de_circulation": sens,
        "vitesse_moyenne_vl": _road_speed(a, urban),
        "acces_vehicule_leger": a["acces_vehicule_leger"],
        "acces_pieton": "Interdit"
        if nature in ("Type autoroutier", "Bretelle")
        else a["acces_pieton"],
        "urbain": bool(urban),
        "insee_commune_gauche": left,
        "insee_commune_droite": right,
        "cpx_numero": a["cpx_numero"],
        "cpx_classement_administratif": a["cpx_classement_administratif"],
        **SOURCE,
    }
    return pts, attrs


def road_features(roads, communes, towns):
    """BD TOPO troncons, sorted by their ends and numbered in that order."""
    com_idx = PolygonIndex([(c, g) for c, g in sorted(communes.items())])
    towns_urban = list(towns.values())
    feats = [_road_feature(r, com_idx, towns_urban) for r in roads]
    feats.sort(key=lambda f: (f[0][0], f[0][-1], len(f[0])))
    out = []
    for i, (pts, attrs) in enumerate(feats):
        attrs = {"cleabs": f"TRONROUT{i + 1:016d}", **attrs}
        wkt = "LineString (" + ", ".join(f"{x:.1f} {y:.1f}" for x, y in pts) + ")"
        out.append((wkt, attrs))
    return out


def qpv_features(qpv_polys, communes, pop_cells):
    """QPV outlines and their population (sum of the cells whose centre is inside)."""
    place_names = {p.code: p.name for p in PLACES}
    qpv, qpv_population = [], []
    for q, geom in qpv_polys:
        code, name, host = q[:3]
        hosts = [c for c, g in sorted(communes.items()) if geom.intersection(g).area() > 10000.0]
        attrs = {
            "code_qp": code,
            "lib_qp": name,
            "insee_reg": REG_CODE,
            "lib_reg": REG_NAME,
            "insee_dep": DEP_CODE,
            "lib_dep": DEP_NAME,
            "insee_com": ", ".join(hosts),
            "lib_com": ", ".join(place_names[c] for c in hosts),
            "siren_epci": EPCIS[PLACES_BY_CODE[host].epci][0],
            **SOURCE,
        }
        qpv.append((_multi_wkt(geom), attrs))
        population = sum(c["ind"] for c in pop_cells if c["qpv"] == code)
        qpv_population.append(
            (
                None,
                {
                    "code_qp": code,
                    "lib_qp": name,
                    "insee_com": ", ".join(hosts),
                    "population": population,
                    **SOURCE,
                },
            )
        )
    return qpv, qpv_population


def grid_features(pop_cells, communes):
    """Filosofi 200 m cells, with the 1 km confidentiality flag and the communes touched."""
    by_km: Dict[Tuple[int, int], int] = {}
    for c in pop_cells:
        k = (c["e"] // 1000 * 1000, c["n"] // 1000 * 1000)
        by_km[k] = by_km.get(k, 0) + c["men"]
    cell_idx_geoms = sorted(communes.items())
    out = []
    for c in sorted(pop_cells, key=lambda c: (c["n"], c["e"])):
        g = qpoly(c["ring"])
        touched = [
            code
            for code, cg in cell_idx_geoms
            if cg.boundingBox().intersects(g.boundingBox()) and cg.intersects(g)
        ]
        k1 = (c["e"] // 1000 * 1000, c["n"] // 1000 * 1000)
        attrs = {
            "idcar_200m": f"CRS3035RES200mN{c['n']}E{c['e']}",
            "i_est_200": 1 if c["men"] < 11 else 0,
            "i_est_1km": 1 if by_km[k1] < 11 else 0,
            "lcog_geo": "".join(touched),
            "ind": float(c["ind"]),
            "men": float(c["men"]),
            "men_pauv": float(c["men_pauv"]),
            "ind_snv": float(c["ind_snv"]),
            **SOURCE,
        }
        out.append((g.asWkt(1), attrs))
    return out
