"""Speed and permission tables of the road networks the plugin can route on.

One source of truth for speeds (docs/architecture.md §2). A profile turns the attributes of one
road feature into ``(forward_kmh, backward_kmh)`` for a travel mode, where 0 means "not allowed
in that direction" (forward = digitising direction of the line).

Profiles:
- ``bdtopo``: IGN BD TOPO v3 ``troncon_de_route`` (``vitesse_moyenne_vl``, ``sens_de_circulation``,
  ``acces_vehicule_leger``, ``nature``, ``importance``, ``etat_de_l_objet``);
- ``bdtopo2``: the older BD TOPO 2.x schema (``sens`` = Double / Direct / Inverse / NC, no speed
  field: speeds from ``nature`` and ``importance``);
- ``osm``: OpenStreetMap ``highway`` / ``maxspeed`` / ``oneway`` / ``junction``, as OSMnx writes
  them (list-valued strings such as ``"['footway', 'steps']"``) or as GDAL's OSM driver reads a
  ``.osm`` file (tags in ``other_tags``);
- ``generic``: any line layer, with a speed field or a default speed.
"""

from __future__ import annotations

import ast
import re
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

from ..definitions import TRAVEL_MODES, is_null
from ..errors import InputError
from ..i18n import tr

#: Walking speed used by IGN's pedestrian isochrones; also the off-network leg of every mode.
WALK_SPEED_KMH = 4.0
BIKE_SPEED_KMH = 15.0
#: Pushing a bike up or down steps.
BIKE_ON_STEPS_KMH = 4.0

# -- defaults per mode (grid cell of the isochrone raster, off-network walking leg) ----------
DEFAULT_CELL_SIZE_M = {"car": 100.0, "bike": 50.0, "walk": 25.0}
DEFAULT_OFF_NETWORK_M = {"car": 300.0, "bike": 200.0, "walk": 100.0}

# -- OSM: OSRM car.lua v5 default speeds (docs/data-sources.md §5.6) ---------------------------
OSM_CAR_SPEEDS = {
    "motorway": 90,
    "motorway_link": 45,
    "trunk": 85,
    "trunk_link": 40,
    "primary": 65,
    "primary_link": 30,
    "secondary": 55,
    "secondary_link": 25,
    "tertiary": 40,
    "tertiary_link": 20,
    "unclassified": 25,
    "residential": 25,
    "living_street": 10,
    "service": 15,
    "road": 25,  # unknown classification, treated as unclassified
}
OSM_FERRY_KMH = 5
OSM_MOTORWAYS = {"motorway", "motorway_link"}
OSM_NOT_WALKABLE = OSM_MOTORWAYS | {"construction", "proposed", "abandoned", "platform", "raceway"}
OSM_STEPS = {"steps"}
# French implicit limits ("FR:urban"...); rural roads are 80 km/h since July 2018.
OSM_IMPLICIT_MAXSPEED = {
    "fr:urban": 50,
    "fr:rural": 80,
    "fr:motorway": 130,
    "fr:zone30": 30,
    "fr:zone:30": 30,
    "fr:zone20": 20,
    "fr:walk": 6,
    "fr:living_street": 20,
    "walk": 6,
    "living_street": 20,
}
#: OSRM turns a legal limit into a driving speed with 0.8 × limit + 11, never above the limit.
OSRM_SPEED_REDUCTION = 0.8
OSRM_SPEED_OFFSET = 11.0

# -- BD TOPO -------------------------------------------------------------------------------------
BDTOPO_NO_CAR_NATURES = {"sentier", "escalier", "piste cyclable", "bac piéton", "chemin"}
BDTOPO_MOTORWAY_NATURES = {"type autoroutier", "autoroute", "quasi-autoroute"}
#: a ramp ("Bretelle") is a motorway ramp when it has the motorways' importance or an A number
BDTOPO_MOTORWAY_RAMP = "bretelle"
BDTOPO_MOTORWAY_IMPORTANCE = {"1"}
BDTOPO_CAR_ACCESS_OK = {"", "libre", "a péage", "à péage"}
BDTOPO_IN_SERVICE = {"", "en service"}
# BD TOPO 2.x has no speed: mean speeds by nature, then by importance (km/h).
BDTOPO2_NATURE_SPEEDS = {
    "autoroute": 110,
    "type autoroutier": 110,
    "quasi-autoroute": 90,
    "bretelle": 50,
    "rond-point": 30,
    "route empierrée": 20,
    "bac auto": 10,
    "bac ou liaison maritime": 10,
}
BDTOPO2_IMPORTANCE_SPEEDS = {"1": 80, "2": 70, "3": 60, "4": 50, "5": 40, "6": 30}
BDTOPO2_DEFAULT_SPEED = 30

BDTOPO_FIELDS = ("vitesse_moyenne_vl", "sens_de_circulation")
BDTOPO2_FIELDS = ("sens", "nature")


# ---------------------------------------------------------------------------------------------
def _text(value) -> str:
    if is_null(value):
        return ""
    return str(value).strip()


def _number(value) -> Optional[float]:
    text = _text(value)
    if not text:
        return None
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def parse_list(value) -> List[str]:
    """OSMnx writes merged tags as Python list literals: ``"['footway', 'steps']"``."""
    text = _text(value)
    if not text:
        return []
    if text.startswith("[") and text.endswith("]"):
        try:
            items = ast.literal_eval(text)
            return [str(i).strip() for i in items if str(i).strip()]
        except (ValueError, SyntaxError):
            text = text.strip("[]")
            return [t.strip(" '\"") for t in text.split(",") if t.strip(" '\"")]
    return [t.strip() for t in text.split(";") if t.strip()]


def parse_maxspeed(value) -> Optional[float]:
    """Legal limit in km/h from a ``maxspeed`` tag, or ``None`` when it says nothing usable.

    Handles ``"50"``, ``"50 mph"``, ``"FR:urban"``, lists (``"['30', '45']"``, ``"30;50"``: the
    mean, as OSMnx does), ``"none"``/``"signals"`` (``None``)."""
    values = []
    for item in parse_list(value):
        low = item.lower().strip()
        if low in OSM_IMPLICIT_MAXSPEED:
            values.append(float(OSM_IMPLICIT_MAXSPEED[low]))
            continue
        match = re.match(r"^\s*([0-9]+(?:[.,][0-9]+)?)\s*(mph|km/h|kmh|kph)?\s*$", low)
        if match:
            speed = float(match.group(1).replace(",", "."))
            if match.group(2) == "mph":
                speed *= 1.609344
            if speed > 0:
                values.append(speed)
    if not values:
        return None
    return sum(values) / len(values)


def parse_oneway(value) -> int:
    """``1`` one-way in the digitising direction, ``-1`` reverse, ``0`` both ways.

    Accepts ``yes/true/1/-1/reverse/no/false/0`` in any case, and OSMnx lists such as
    ``"[False, True]"`` (a merged chain partly one-way: treated as one-way, the safe reading)."""
    items = parse_list(value)
    result = 0
    for item in items:
        low = item.lower()
        if low in ("-1", "reverse"):
            return -1
        if low in ("yes", "true", "1"):
            result = 1
    return result


def parse_hstore(text: str) -> Dict[str, str]:
    """GDAL OSM driver ``other_tags``: ``"oneway"=>"yes","maxspeed"=>"50"``."""
    if not text:
        return {}
    return {k: v for k, v in re.findall(r'"((?:[^"\\]|\\.)*)"=>"((?:[^"\\]|\\.)*)"', text)}


def _importance(values) -> str:
    text = _text(values.get("importance"))
    return text[:-2] if text.endswith(".0") else text


def bdtopo_limited_access(values: Dict[str, object]) -> bool:
    """BD TOPO (v3 and 2.x): motorway natures, and ramps of importance 1 or numbered A."""
    nature = _text(values.get("nature")).lower()
    if nature in BDTOPO_MOTORWAY_NATURES:
        return True
    if nature != BDTOPO_MOTORWAY_RAMP:
        return False
    if _importance(values) in BDTOPO_MOTORWAY_IMPORTANCE:
        return True
    classement = _text(values.get("cpx_classement_administratif") or values.get("class_adm"))
    numero = _text(values.get("cpx_numero") or values.get("num_route")).upper().replace(" ", "")
    return classement.lower() == "autoroute" or bool(re.match(r"^A\d", numero))


# ---------------------------------------------------------------------------------------------
class Profile:
    """Maps the attributes of one feature to ``(forward_kmh, backward_kmh)``."""

    name = ""
    #: field names read from the layer (lower case; the layer's actual names are matched)
    fields: Tuple[str, ...] = ()
    credit = ""  # sources-line credit for outputs computed on this network (e.g. OSM)
    label = ""

    def __init__(self, mode: str):
        if mode not in TRAVEL_MODES:
            raise InputError(
                tr("Unknown travel mode {mode}: use car, walk or bike.").format(mode=mode)
            )
        self.mode = mode

    def speeds(self, values: Dict[str, object]) -> Tuple[float, float]:  # pragma: no cover
        raise NotImplementedError

    def limited_access(self, values: Dict[str, object]) -> bool:
        """True for roads nobody can leave or join between interchanges (motorways, their
        ramps): their points never start the off-network walk nor take snapped points."""
        return False


def _apply_oneway(speed: float, oneway: int, mode: str) -> Tuple[float, float]:
    if speed <= 0:
        return 0.0, 0.0
    if mode == "walk" or oneway == 0:
        return speed, speed
    if oneway > 0:
        return speed, 0.0
    return 0.0, speed


class BdTopoProfile(Profile):
    name = "bdtopo"
    label = "BD TOPO"
    fields = (
        "vitesse_moyenne_vl",
        "sens_de_circulation",
        "acces_vehicule_leger",
        "nature",
        "importance",
        "etat_de_l_objet",
        "cpx_classement_administratif",
        "cpx_numero",
    )

    def limited_access(self, values):
        return bdtopo_limited_access(values)

    def speeds(self, values):
        nature = _text(values.get("nature")).lower()
        state = _text(values.get("etat_de_l_objet")).lower()
        if state not in BDTOPO_IN_SERVICE:
            return 0.0, 0.0
        sens = _text(values.get("sens_de_circulation")).lower()
        oneway = 1 if sens == "sens direct" else (-1 if sens == "sens inverse" else 0)
        if self.mode == "car":
            access = _text(values.get("acces_vehicule_leger")).lower()
            if access not in BDTOPO_CAR_ACCESS_OK or nature in BDTOPO_NO_CAR_NATURES - {"chemin"}:
                return 0.0, 0.0
            speed = _number(values.get("vitesse_moyenne_vl")) or 0.0
            return _apply_oneway(speed, oneway, "car")
        if nature in BDTOPO_MOTORWAY_NATURES:
            return 0.0, 0.0
        if self.mode == "walk":
            return WALK_SPEED_KMH, WALK_SPEED_KMH
        speed = BIKE_ON_STEPS_KMH if nature == "escalier" else BIKE_SPEED_KMH
        return _apply_oneway(speed, oneway, "bike")


class BdTopo2Profile(Profile):
    name = "bdtopo2"
    label = "BD TOPO 2"
    fields = ("sens", "nature", "importance", "num_route", "class_adm")

    def limited_access(self, values):
        return bdtopo_limited_access(values)

    def car_speed(self, nature: str, importance: str) -> float:
        if nature in BDTOPO_NO_CAR_NATURES:
            return 0.0
        if nature in BDTOPO2_NATURE_SPEEDS:
            return float(BDTOPO2_NATURE_SPEEDS[nature])
        return float(BDTOPO2_IMPORTANCE_SPEEDS.get(importance, BDTOPO2_DEFAULT_SPEED))

    def speeds(self, values):
        nature = _text(values.get("nature")).lower()
        importance = _text(values.get("importance"))
        if importance.endswith(".0"):
            importance = importance[:-2]
        sens = _text(values.get("sens")).lower()
        oneway = 1 if sens == "direct" else (-1 if sens == "inverse" else 0)
        if self.mode == "car":
            return _apply_oneway(self.car_speed(nature, importance), oneway, "car")
        if nature in BDTOPO_MOTORWAY_NATURES:
            return 0.0, 0.0
        if self.mode == "walk":
            return WALK_SPEED_KMH, WALK_SPEED_KMH
        speed = BIKE_ON_STEPS_KMH if nature == "escalier" else BIKE_SPEED_KMH
        return _apply_oneway(speed, oneway, "bike")


class OsmProfile(Profile):
    name = "osm"
    label = "OpenStreetMap"
    credit = "© les contributeurs d'OpenStreetMap"
    fields = (
        "highway",
        "maxspeed",
        "oneway",
        "junction",
        "access",
        "other_tags",
        "route",
        "motorroad",
        "foot",
    )

    def limited_access(self, values):
        tags = parse_hstore(_text(values.get("other_tags")))

        def tag(key):
            text = _text(values.get(key))
            return (text if text else tags.get(key, "")).lower()

        highways = {h.lower() for h in parse_list(tag("highway"))}
        if highways & OSM_MOTORWAYS:
            return True
        if highways & {"trunk", "trunk_link"}:
            # French "voies express" are trunk roads tagged motorroad=yes (or closed to walkers)
            return tag("motorroad") == "yes" or tag("foot") == "no"
        return False

    def speeds(self, values):
        tags = parse_hstore(_text(values.get("other_tags")))

        def tag(key):
            value = values.get(key)
            text = _text(value)
            return text if text else tags.get(key, "")

        highways = [h.lower() for h in parse_list(tag("highway"))]
        if not highways:
            if tag("route").lower() == "ferry":
                speed = OSM_FERRY_KMH if self.mode == "car" else WALK_SPEED_KMH
                return speed, speed
            return 0.0, 0.0
        access = tag("access").lower()
        if access in ("no", "private"):
            return 0.0, 0.0
        oneway = parse_oneway(tag("oneway"))
        if tag("junction").lower() in ("roundabout", "circular") and oneway == 0:
            oneway = 1
        if any(h in ("motorway",) for h in highways) and oneway == 0 and not tag("oneway"):
            oneway = 1  # motorways are implicitly one-way in OSM
        if self.mode == "car":
            # A merged OSMnx chain is drivable only if every piece is.
            if not all(h in OSM_CAR_SPEEDS for h in highways):
                return 0.0, 0.0
            # OSMnx keeps the first element of a highway list for the speed.
            speed = float(OSM_CAR_SPEEDS[highways[0]])
            legal = parse_maxspeed(tag("maxspeed"))
            if legal is not None:
                speed = min(legal * OSRM_SPEED_REDUCTION + OSRM_SPEED_OFFSET, legal)
            return _apply_oneway(speed, oneway, "car")
        if any(h in OSM_NOT_WALKABLE for h in highways):
            return 0.0, 0.0
        if self.mode == "walk":
            return WALK_SPEED_KMH, WALK_SPEED_KMH
        speed = BIKE_ON_STEPS_KMH if any(h in OSM_STEPS for h in highways) else BIKE_SPEED_KMH
        if tag("oneway:bicycle").lower() == "no" or tag("cycleway").lower().startswith("opposite"):
            oneway = 0
        if all(h in ("footway", "path", "pedestrian", "steps", "bridleway") for h in highways):
            oneway = 0
        return _apply_oneway(speed, oneway, "bike")


class GenericProfile(Profile):
    name = "generic"
    label = tr("generic")

    def __init__(self, mode, speed_field: str = "", default_speed: Optional[float] = None):
        super().__init__(mode)
        self.speed_field = speed_field or ""
        self.default_speed = default_speed if default_speed and default_speed > 0 else None
        self.fields = tuple(f for f in (self.speed_field.lower(), "oneway") if f)
        if mode == "car" and not self.speed_field and self.default_speed is None:
            raise InputError(
                tr(
                    "The road network has no known speed field (BD TOPO, OSM) and neither a speed "
                    "field nor a default speed was given: choose SPEED_FIELD or set "
                    "DEFAULT_SPEED_KMH."
                )
            )

    def speeds(self, values):
        oneway = parse_oneway(values.get("oneway"))
        if self.mode == "walk":
            return WALK_SPEED_KMH, WALK_SPEED_KMH
        if self.mode == "bike":
            return _apply_oneway(BIKE_SPEED_KMH, oneway, "bike")
        speed = None
        if self.speed_field:
            speed = _number(values.get(self.speed_field.lower()))
        if speed is None:
            speed = self.default_speed or 0.0
        return _apply_oneway(speed, oneway, "car")


# ---------------------------------------------------------------------------------------------
def detect_profile(field_names: Iterable[str]) -> str:
    """``bdtopo``, ``bdtopo2``, ``osm`` or ``generic`` from a layer's field names."""
    names = {n.lower() for n in field_names}
    if all(f in names for f in BDTOPO_FIELDS):
        return "bdtopo"
    if all(f in names for f in BDTOPO2_FIELDS):
        return "bdtopo2"
    if "highway" in names:
        return "osm"
    return "generic"


def make_profile(
    name: str,
    mode: str,
    field_names: Sequence[str],
    speed_field: str = "",
    default_speed: Optional[float] = None,
) -> Profile:
    """The profile ``name`` (``auto`` detects it) for ``mode``; checks the fields it needs."""
    names = {n.lower() for n in field_names}
    if name in ("", "auto", None):
        name = detect_profile(names)
    if speed_field and speed_field.lower() not in names:
        raise InputError(
            tr("The speed field {field} is not in the road network layer.").format(
                field=speed_field
            )
        )
    if speed_field and name != "generic":
        # An explicit speed field means the user wants it as the cost.
        name = "generic"
    factories: Dict[str, Callable[[], Profile]] = {
        "bdtopo": lambda: BdTopoProfile(mode),
        "bdtopo2": lambda: BdTopo2Profile(mode),
        "osm": lambda: OsmProfile(mode),
        "generic": lambda: GenericProfile(mode, speed_field, default_speed),
    }
    if name not in factories:
        raise InputError(
            tr("Unknown network profile {name}: use auto, bdtopo, bdtopo2, osm or generic.").format(
                name=name
            )
        )
    profile = factories[name]()
    if name == "bdtopo" and mode == "car" and "vitesse_moyenne_vl" not in names:
        raise InputError(
            tr("The BD TOPO network has no vitesse_moyenne_vl field: choose the generic profile.")
        )
    if name == "bdtopo2" and "sens" not in names:
        raise InputError(tr("The BD TOPO 2 network has no sens field."))
    if name == "osm" and "highway" not in names and "other_tags" not in names:
        raise InputError(tr("The OSM network has no highway field: choose another profile."))
    return profile
