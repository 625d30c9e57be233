"""Service points: a town hall per commune and the France Services sites, on the street a few
metres from a junction, with the attributes of their real lists."""

from __future__ import annotations

import math

import numpy as np

from .geometry import PolygonIndex, rnd, rng_for
from .territory import DEP_CODE, MENTION, PLACES, PLACES_BY_CODE
from .towns import Town


def _frontage(t: Town, key, rng, offset=12.0):
    """A point beside the street near grid node ``key`` (building front)."""
    adj = t.adjacency()
    a = t.nodes[key]
    nbrs = sorted(adj.get(key, []))
    b = t.nodes[nbrs[int(rng.integers(len(nbrs)))]] if nbrs else (a[0] + 50, a[1])
    d = np.array(b) - np.array(a)
    L = np.linalg.norm(d) or 1.0
    along = min(30.0, L / 3)
    p = np.array(a) + d / L * along + np.array([-d[1], d[0]]) / L * offset
    return (rnd(p[0]), rnd(p[1]))


def _wgs84():
    from osgeo import osr

    s = osr.SpatialReference()
    s.ImportFromEPSG(2154)
    t = osr.SpatialReference()
    t.ImportFromEPSG(4326)
    for x in (s, t):
        x.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return osr.CoordinateTransformation(s, t)


STREETS = ["place de la Mairie", "rue de la République", "avenue Jean-Jaurès", "rue Victor-Hugo",
           "place de l'Église", "rue des Écoles", "rue du Marché", "allée des Tilleuls"]  # fmt: skip


def make_mairies(towns):
    out = []
    for i, p in enumerate(PLACES):
        t = towns[p.code]
        rng = rng_for("mairie", p.code)
        xy = _frontage(t, (0, 0), rng)
        slug = _slug(p.name)
        out.append(
            (
                f"Point ({xy[0]:.1f} {xy[1]:.1f})",
                {
                    "code_insee": p.code,
                    "nom_commune": p.name,
                    "dep": DEP_CODE,
                    "adresse": f"{1 + i % 9} {STREETS[i % 2 * 4]}, {p.postal} {p.name}",
                    "telephone": f"01 99 00 {10 + i:02d} {20 + i:02d}",
                    "email": f"mairie@{slug}.example",
                    "site": f"https://www.{slug}.example",
                    "source": MENTION,
                },
            )
        )
    return out


def _slug(name):
    import unicodedata

    s = unicodedata.normalize("NFKD", name.lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    return "".join(ch if ch.isalnum() else "-" for ch in s).strip("-")


FS_SITES = [
    # (host, where: "centre" | qpv code | bearing deg + relative radius, type, format, label)
    ("00001", "centre", "Principal", "Fixe", "France services Valmont-sur-Sylve – centre-ville"),
    ("00001", "QN00001M", "Principal", "Fixe", "France services Les Hauts de Valmont"),
    ("00002", "centre", "Principal", "Fixe", "France services Brenaval"),
    ("00003", "centre", "Principal", "Fixe_antenne(s)", "France services Sarlande-la-Forêt"),
    ("00004", "centre", "Principal", "Fixe", "France services du Pays de Courtevent"),
    (
        "00012",
        "centre",
        "Antenne",
        "Fixe_antenne(s)",
        "France services Sarlande – antenne d'Escoussac",
    ),
]


def make_france_services(towns, qpv_polys, communes):
    to_wgs = _wgs84()
    qpv_geom = {q[0]: g for q, g in qpv_polys}
    com_idx = PolygonIndex([(c, g) for c, g in sorted(communes.items())])
    out = []
    hours = [
        ("09:00 - 12:00 / 13:30 - 17:00",) * 5 + ("09:00 - 12:00",),
        ("09:00 - 12:30 / 14:00 - 17:30",) * 4 + ("09:00 - 12:30", ""),
        ("14:00 - 17:30", "09:00 - 12:00 / 14:00 - 17:30", "09:00 - 12:00", "09:00 - 12:00 / 14:00 - 17:30", "09:00 - 12:00 / 13:30 - 16:30", "09:30 - 12:00"),
    ]  # fmt: skip
    for i, (host, where, kind, fmt, label) in enumerate(FS_SITES):
        t = towns[host]
        rng = rng_for("fs", i)
        if where == "centre":
            cands = sorted(k for k in t.nodes if 1 <= abs(k[0]) + abs(k[1]) <= 2)
        else:
            g = qpv_geom[where]
            c = g.centroid().asPoint()
            cands = sorted(t.nodes, key=lambda k: math.dist(t.nodes[k], (c.x(), c.y())))[:3]
        cands = [k for k in cands if k in t.adjacency()] or [(0, 0)]
        key = cands[int(rng.integers(len(cands)))]
        xy = _frontage(t, key, rng)
        lon, lat, *_ = to_wgs.TransformPoint(xy[0], xy[1])
        code = com_idx.find(*xy) or host
        p = PLACES_BY_CODE[code]
        slug = _slug(p.name)
        h = hours[i % len(hours)]
        out.append(
            (
                f"Point ({xy[0]:.1f} {xy[1]:.1f})",
                {
                    "id_fs": f"{90001 + i}",
                    "insee_dep": DEP_CODE,
                    "lib_fs": label,
                    "adresse": f"{2 + 3 * i} {STREETS[(i + 1) % len(STREETS)]}",
                    "complement_adresse": "",
                    "insee_com": code,
                    "code_postal": p.postal,
                    "lib_com": p.name,
                    "latitude": round(lat, 6),
                    "longitude": round(lon, 6),
                    "mail": f"france-services@{slug}.example",
                    "telephone": f"01 99 00 {50 + i:02d} {60 + i:02d}",
                    "h_lundi": h[0],
                    "h_mardi": h[1],
                    "h_mercredi": h[2],
                    "h_jeudi": h[3],
                    "h_vendredi": h[4],
                    "h_samedi": h[5],
                    "prise_rdv": "Oui" if i % 3 == 0 else "Non",
                    "commentaire": MENTION,
                    "type_fs": kind,
                    "format_fs": fmt,
                    "groupe_fs": "Sarlande" if host in ("00003", "00012") else "",
                    "labellisation_fs": f"Espace labellisé 01/{1 + i % 9:02d}/2021",
                    "source": MENTION,
                },
            )
        )
    return out
