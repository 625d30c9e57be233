"""The fictitious territory's identity: codes, places, EPCI, QPV, motorway and departmental
roads (see ``resources/sample/README.md``), and the seed everything is drawn from."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Tuple

REPO = Path(__file__).resolve().parents[2]

SEED = 2024
DEFAULT_OUTPUT = REPO / "resources" / "sample" / "cget_sample.gpkg"

# -- the fictitious territory's identity ---------------------------------------------------------
# Codes in a namespace no real entity uses: département "00" (INSEE has none; "99" means abroad),
# communes "00001".."00018", région "00", SIREN "0000000xx" (Luhn-valid, real ones start 1-9).
DEP_CODE = "00"
DEP_NAME = "Haute-Sylve"
REG_CODE = "00"
REG_NAME = "Région fictive de démonstration"
MENTION = "Données fictives de démonstration – plugin CGET"
CREDIT = "Données fictives de démonstration (plugin CGET)"
VINTAGE = "fictif"
GENERATED_ON = "2026-01-01T00:00:00"  # pinned: the data is fictitious, not dated
CENTRE = (411000.0, 6349000.0)  # Lambert-93, a frame of ~33 x 26 km in south-west France
DEP_SEMI_AXES = (16500.0, 13000.0)
DEP_SHAPE_VARIANT = 11  # picked so that every chef-lieu lies well inside the outline


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def fictitious_siren(n: int) -> str:
    """9-digit, Luhn-valid identifier beginning with zeros (no real SIREN does)."""
    base = f"{n:08d}"
    for last in range(10):
        if luhn_ok(base + str(last)):
            return base + str(last)
    raise AssertionError(n)


@dataclass
class Place:
    code: str
    name: str
    population: int
    pos_km: Tuple[float, float]
    radius: float  # built-up radius (m)
    epci: str
    statut: str = "Commune simple"
    postal: str = ""
    spacing: float = 110.0
    xy: Tuple[float, float] = (0.0, 0.0)  # set by build.build_sample (Lambert-93, 0.1 m)

    @property
    def is_town(self) -> bool:
        return self.population >= 2500


# (code, name, population, position in km from CENTRE, built-up radius m, EPCI key, statut)
PLACES = [
    Place("00001", "Valmont-sur-Sylve", 56000, (0.0, 0.0), 3200, "CA", "Préfecture", "00100", 165),
    Place("00002", "Brenaval", 24000, (5.2, -1.6), 1550, "CA", postal="00110", spacing=145),
    Place(
        "00003",
        "Sarlande-la-Forêt",
        12500,
        (-9.5, -6.5),
        1250,
        "CS",
        "Sous-préfecture",
        "00200",
        125,
    ),
    Place("00004", "Courtevent", 8400, (10.5, 7.0), 1050, "CC", postal="00300", spacing=110),
    Place("00005", "Orlhac-sur-Sylve", 4900, (-8.5, 6.5), 800, "CS", postal="00210", spacing=105),
    Place("00006", "Mirebois", 3400, (7.5, -8.0), 700, "CC", postal="00310", spacing=100),
    Place("00007", "Saint-Aurel-des-Landes", 2150, (-3.6, -5.2), 500, "CA", postal="00120"),
    Place("00008", "Pradelune", 1850, (3.2, 5.2), 450, "CA", postal="00130"),
    Place("00009", "Fontsauge", 1250, (-4.6, 3.6), 400, "CA", postal="00140"),
    Place("00010", "Castelvieil", 780, (-14.0, 0.5), 350, "CS", postal="00220"),
    Place("00011", "Les Essarts-Brûlés", 540, (-13.2, -6.6), 300, "CS", postal="00230"),
    Place("00012", "Escoussac", 690, (-3.0, -10.3), 320, "CS", postal="00240"),
    Place("00013", "Montcalvet", 1420, (1.6, -6.0), 420, "CA", postal="00150"),
    Place("00014", "Pinsolles", 460, (12.8, -3.8), 300, "CC", postal="00320"),
    Place("00015", "Sainte-Odile-du-Marais", 630, (4.8, 10.0), 320, "CC", postal="00330"),
    Place("00016", "Belvezin", 390, (-4.2, 10.2), 280, "CS", postal="00250"),
    Place("00017", "Cazalère", 520, (13.0, 2.2), 300, "CC", postal="00340"),
    Place("00018", "Lanjuzac", 870, (-8.0, 0.6), 350, "CA", postal="00160"),
]


EPCIS = {
    "CA": (fictitious_siren(1), "CA Valmont Sylve Agglomération", "Communauté d'agglomération"),
    "CS": (fictitious_siren(2), "CC des Landes de Sarlande", "Communauté de communes"),
    "CC": (fictitious_siren(3), "CC du Pays de Courtevent", "Communauté de communes"),
}

# QPV 2024: code QN + 3-char département + 2-digit number + letter (N new, M modified, I same).
# (code, name, host place, bearing in degrees from its centre, distance m, radius m)
QPVS = [
    ("QN00001M", "Les Hauts de Valmont", "00001", 125, 1650, 430),
    ("QN00002N", "La Garenne", "00001", 235, 1350, 300),
    (
        "QN00003M",
        "Champ Rollin – Les Peupliers",
        "00001",
        None,
        None,
        360,
    ),  # on the 00001/00002 limit
    ("QN00004I", "Le Clos Fleuri", "00002", 290, 650, 280),
    ("QN00005N", "Bourg-Neuf", "00003", 20, 520, 240),
]

# Motorway (fictitious number) control points, km from CENTRE; interchanges at these indexes.
MOTORWAY_REF = "A 99"
MOTORWAY_KM = [
    (-19.0, -8.5),
    (-11.5, -3.4),
    (-5.8, 1.6),
    (-1.0, 5.0),
    (5.8, 7.2),
    (9.3, 9.8),
    (16.0, 15.0),
]

# Departmental roads: (number, importance, chain of place codes or "X<n>" exits / "J<n>" junctions)
D_ROADS = [
    ("D 1", "2", ["00001", "00007", "00003", "X5"]),
    ("D 2", "2", ["00001", "00008", "00004", "X1"]),
    ("D 3", "3", ["00001", "00009", "00005", "X3"]),
    ("D 4", "3", ["00001", "00013", "00006", "X7"]),
    ("D 5", "3", ["00003", "00011", "00010", "00005"]),
    ("D 6", "3", ["00004", "00017", "00014", "00006"]),
    ("D 7", "3", ["00001", "00002", "00014"]),
    ("D 8", "2", ["J0", "00001"]),
    ("D 9", "3", ["J1", "00004"]),
    ("D 15", "3", ["J2", "00003"]),
    ("D 10", "3", ["00003", "00012", "00006"]),
    ("D 11", "4", ["00001", "00018", "00010", "X4"]),
    ("D 12", "4", ["00005", "00016", "00015", "00004"]),
    ("D 13", "4", ["00002", "00006"]),
    ("D 14", "4", ["00003", "X6"]),
]
# Motorway interchanges: (town served, number of the link road, its importance)
INTERCHANGES = [("00001", "D 8", "2"), ("00004", "D 9", "3"), ("00003", "D 15", "3")]
EXIT_BEARINGS = [35, 70, 110, 160, 185, 215, 250, 300]  # degrees, X0..X7


Coord = Tuple[float, float]


PLACES_BY_CODE = {p.code: p for p in PLACES}
