"""One home for the facts the whole plugin shares.

CRS rules, candidate field names, the ids of travel modes, directions, band layouts and
backends (with their French labels), units, settings keys and layer property keys, and the NULL
test. Other modules import these names instead of writing the facts again; a fact that two
modules need goes here. It imports nothing of the plugin but ``i18n`` (labels are translated
when asked for, never at import time).

See ``docs/architecture.md`` ("One home per fact").
"""

from __future__ import annotations

import math
from typing import Dict, Iterable, Optional, Sequence, Tuple

from .i18n import tr

# ---------------------------------------------------------------------------------------------
# Coordinate reference systems (docs/map-conventions.md §4.6, docs/data-sources.md §3.1)

WGS84 = "EPSG:4326"
LAMBERT93 = "EPSG:2154"
WEB_MERCATOR = "EPSG:3857"
#: INSEE's gridded data (Filosofi) identify cells in ETRS89-LAEA.
LAEA_EUROPE = "EPSG:3035"

#: Official projected CRS of each overseas département / collectivité, by département code.
OVERSEAS_CRS: Dict[str, str] = {
    "971": "EPSG:5490",  # Guadeloupe: RGAF09 / UTM 20N
    "972": "EPSG:5490",  # Martinique
    "977": "EPSG:5490",  # Saint-Barthélemy
    "978": "EPSG:5490",  # Saint-Martin
    "973": "EPSG:2972",  # Guyane: RGFG95 / UTM 22N
    "974": "EPSG:2975",  # La Réunion: RGR92 / UTM 40S
    "976": "EPSG:4471",  # Mayotte: RGM04 / UTM 38S
    "975": "EPSG:4467",  # Saint-Pierre-et-Miquelon: RGSPM06 / UTM 21N
}

#: Areas of France with their official metric CRS, as generous lon/lat boxes
#: (xmin, ymin, xmax, ymax). Order matters: the first box holding the point wins.
OFFICIAL_CRS_AREAS: Tuple[Tuple[str, Tuple[float, float, float, float], str], ...] = (
    ("metropole", (-6.5, 41.0, 10.5, 51.5), LAMBERT93),  # mainland France and Corsica
    ("antilles", (-63.5, 14.0, -60.5, 18.5), "EPSG:5490"),  # Guadeloupe, Martinique, SBH, SMF
    ("guyane", (-55.0, 1.5, -51.0, 6.5), "EPSG:2972"),
    ("reunion", (54.8, -21.7, 56.2, -20.5), "EPSG:2975"),
    ("mayotte", (44.8, -13.2, 45.5, -12.4), "EPSG:4471"),
    ("spm", (-56.6, 46.6, -56.0, 47.2), "EPSG:4467"),
)


def utm_crs(lon: float, lat: float) -> str:
    """The WGS 84 / UTM zone holding ``lon``, ``lat`` (outside the areas France uses)."""
    zone = int(min(59, max(0, math.floor((lon + 180.0) / 6.0)))) + 1
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def official_crs_area(lon: float, lat: float) -> Tuple[str, str]:
    """``(area id, CRS authid)`` of the official metric CRS at a WGS 84 position; outside
    France, ``("utm<epsg>", UTM zone)``."""
    for area, (xmin, ymin, xmax, ymax), authid in OFFICIAL_CRS_AREAS:
        if xmin <= lon <= xmax and ymin <= lat <= ymax:
            return area, authid
    authid = utm_crs(lon, lat)
    return "utm" + authid.split(":")[1], authid


def official_crs_for_lonlat(lon: float, lat: float) -> str:
    """Lambert-93 in mainland France, the official CRS overseas, else the UTM zone."""
    return official_crs_area(lon, lat)[1]


def official_crs_for_departements(deps: Iterable[str]) -> str:
    """The official CRS shared by these départements; Lambert-93 when they span several
    systems (or none is given)."""
    systems = {OVERSEAS_CRS.get(dep, LAMBERT93) for dep in deps if dep}
    return systems.pop() if len(systems) == 1 else LAMBERT93


# ---------------------------------------------------------------------------------------------
# Candidate field names, in order of preference (normalised catalogue fields first). Matching
# is case-insensitive: see :func:`first_field`.

CODE_FIELD_CANDIDATES = (
    "code",
    "code_qp",
    "code_zone",
    "code_insee",
    "insee_com",
    "code_commune",
    "siren",
    "insee",
    "id",
)
NAME_FIELD_CANDIDATES = (
    "nom",
    "nom_qp",
    "lib_qp",
    "nom_commune",
    "nom_com",
    "lib_com",
    "libelle",
    "libgeo",
    "lib_zone",
    "nom_epci",
    "name",
)
COMMUNE_CODE_FIELD_CANDIDATES = ("code_insee", "insee_com", "code_commune", "insee")
#: Name(s) of the commune(s) a feature lies in (a QPV's « lib_com »).
COMMUNE_NAME_FIELD_CANDIDATES = ("lib_com", "nom_commune", "nom_com", "commune", "libcom")
#: Département code(s) of a feature (the normalised ``insee_dep`` may list several: "31,32").
DEPARTEMENT_FIELD_CANDIDATES = (
    "insee_dep",
    "code_departement",
    "code_insee_du_departement",
    "code_dep",
    "dep",
)
ID_FIELD_CANDIDATES = (
    "id",
    "identifiant",
    "code",
    "code_insee",
    "insee_com",
    "code_qp",
    "siret",
    "nom",
)
POPULATION_FIELD_CANDIDATES = (
    "population",
    "pop",
    "ind",
    "pmun",
    "ptot",
    "p21_pop",
    "p20_pop",
    "population_municipale",
    "nb_habitants",
)


def first_field(field_names: Iterable[str], candidates: Sequence[str]) -> Optional[str]:
    """The first of ``candidates`` present in ``field_names`` (case-insensitive), spelt as in
    ``field_names``; None when none is."""
    by_lower = {}
    for name in field_names:
        by_lower.setdefault(str(name).lower(), str(name))
    for candidate in candidates:
        found = by_lower.get(candidate.lower())
        if found is not None:
            return found
    return None


# ---------------------------------------------------------------------------------------------
# Ids of the Processing contract (docs/processing.md): static strings scripts pass.

TRAVEL_MODES = ("car", "walk", "bike")
DIRECTIONS = ("departure", "arrival")
OUTPUT_MODES = ("rings", "cumulative", "per_origin")
BACKENDS = ("local", "ign", "ors", "valhalla")
REMOTE_BACKENDS = BACKENDS[1:]
#: In the order of the Processing enum (its integer values): bdtopo2 came last.
NETWORK_PROFILES = ("auto", "bdtopo", "osm", "generic", "bdtopo2")
#: cget:siting: the State's commitment (a France Services within 30 minutes)
SITING_THRESHOLD_MIN = 30.0


def travel_mode_label(mode: str) -> str:
    return {
        "car": tr("Car"),
        "walk": tr("Walking"),
        "bike": tr("Bicycle"),
    }.get(mode, mode)


def travel_mode_noun(mode: str, on_map: bool = False) -> str:
    """The mode inside a sentence or a layer name ("Isochrones 10 min (car)"); ``on_map``:
    printed on a map, hence French whatever the interface language."""
    return {
        "car": tr("car", on_map=on_map),
        "walk": tr("walking", on_map=on_map),
        "bike": tr("bicycle", on_map=on_map),
    }.get(mode, mode)


def direction_label(direction: str) -> str:
    return {
        "departure": tr("Departure from the origin"),
        "arrival": tr("Arrival at the service"),
    }.get(direction, direction)


def output_mode_label(output_mode: str) -> str:
    return {
        "rings": tr("Non-overlapping bands"),
        "cumulative": tr("Cumulative bands"),
        "per_origin": tr("Bands per origin"),
    }.get(output_mode, output_mode)


def backend_label(backend: str) -> str:
    return {
        "local": tr("Local engine (offline)"),
        "ign": tr("IGN Géoplateforme"),
        "ors": tr("openrouteservice"),
        "valhalla": tr("Valhalla"),
    }.get(backend, backend)


def network_profile_label(profile: str) -> str:
    return {
        "auto": tr("Automatic (from the fields)"),
        "bdtopo": tr("IGN BD TOPO"),
        "osm": tr("OpenStreetMap"),
        "generic": tr("Generic (speed field or default speed)"),
        "bdtopo2": tr("IGN BD TOPO 2 (older schema)"),
    }.get(profile, profile)


# Choices of a prefecture map (ids in core/layouts/spec.py; ORIENTATION also takes "auto").
def map_orientation_label(orientation: str) -> str:
    return {
        "auto": tr("Automatic (from the extent)"),
        "landscape": tr("Landscape"),
        "portrait": tr("Portrait"),
    }.get(orientation, orientation)


def map_format_label(file_format: str) -> str:
    return {
        "pdf": tr("PDF (print, vector)"),
        "png": tr("PNG (e-mail, slides)"),
        "svg": tr("SVG"),
    }.get(file_format, file_format)


def map_mode_label(mode: str) -> str:
    return {
        "draft": tr("Draft (marked PROJET)"),
        "final": tr("Final (refused if incomplete)"),
    }.get(mode, mode)


# ---------------------------------------------------------------------------------------------
# Units

SECONDS_PER_MINUTE = 60.0
#: km/h -> m/s is a division by this.
KMH_PER_MS = 3.6
#: Typographic point in millimetres (1/72 inch).
MM_PER_POINT = 25.4 / 72.0
#: Longest side of an A4 page (mm); anything longer is A3 (297 × 420 mm).
A4_LONG_SIDE_MM = 297.0


def kmh_to_ms(speed_kmh):
    """Speed in m/s (works on numbers and numpy arrays)."""
    return speed_kmh / KMH_PER_MS


# ---------------------------------------------------------------------------------------------
# Settings keys (QgsSettings) and layer custom-property keys. Every key the plugin stores is
# built here, so a key is typed once.

SETTINGS_ROOT = "cget"


def settings_key(*parts: str) -> str:
    """``cget/<part>/<part>…``."""
    return "/".join((SETTINGS_ROOT,) + tuple(p.strip("/") for p in parts if p))


SETTINGS_SOURCES_PREFIX = settings_key("sources") + "/"  # + catalogue entry id
SETTINGS_GEOCODER_URL = settings_key("geocoder", "url")
SETTINGS_GEOCODER_MIN_SCORE = settings_key("geocoder", "min_score")
SETTINGS_TERRITORY = settings_key("geography", "territory")
SETTINGS_ADDRESS_ZONES_LAYER = settings_key("address", "zones_layer")
SETTINGS_POINT_TOOL_PREFIX = settings_key("accessibility", "point_tool")  # + /<name>
SETTINGS_LAYOUT_PREFIX = settings_key("layout") + "/"  # + name


def routing_settings_key(backend: str, name: str) -> str:
    """``cget/routing/<backend>/<name>``: where a remote router's URL or auth id is kept."""
    return settings_key("routing", backend, name)


#: Layer custom properties.
PROPERTY_PROVENANCE = "cget/provenance"
PROPERTY_LAYOUT_ROLE = "cget/layout_role"  # "base" or "thematic" overrides the guess
#: Project variable naming the user's own layout template.
PROJECT_TEMPLATE_VARIABLE = "cget_layout_template"


# ---------------------------------------------------------------------------------------------
# Output fields (docs/processing.md §3)

# Names a destination may keep for its own primary key (GeoPackage ``fid``, SpatiaLite and
# GDAL's SQL drivers ``ogc_fid``): a copied input field of that name becomes ``<name>_src``.
PRIMARY_KEY_FIELDS = ("fid", "ogc_fid")
SOURCE_FIELD_SUFFIX = "_src"


# ---------------------------------------------------------------------------------------------
# Attribute values


def is_null(value) -> bool:
    """None, or a NULL attribute value (a null ``QVariant`` on Qt 5 builds of PyQGIS, which
    compares unequal to None), or a float NaN."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if type(value).__name__ == "QVariant":
        try:
            return bool(value.isNull())
        except TypeError:
            return False
    return False
