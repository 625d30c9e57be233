"""Isochrone services in their real formats, and their own errors.

- IGN Géoplateforme ``GET /navigation/isochrone``: the request echoed with ``resourceVersion``
  and a GeoJSON ``geometry``; 400 ``{"error": {"message": …}}`` for a bad parameter; 5 requests
  per second per client, then 429 with ``Retry-After: 1``.
- openrouteservice ``POST /v2/isochrones/{profile}``: a FeatureCollection with
  ``group_index``/``value`` (seconds)/``center`` and ``metadata.engine``.
- Valhalla ``POST /isochrone``: a FeatureCollection with ``contour``/``metric`` and styling
  properties, largest contour first.

The shape is a strategy: :func:`square` (half-side 100 m per minute, so nesting and sizes can
be checked exactly) or :func:`approximate_isochrone` (an irregular star whose mean radius is
time × a mean speed; the standalone server's, labelled an approximation). Every request is
recorded in ``calls``.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import deque
from typing import Callable, Deque, Dict, Optional

from tests.replay.answers import Answer, ReplayError, json_answer, recorded, too_many_requests

IGN_RESOURCE_VERSION = "2025-09-25"
IGN_RESOURCES = ("bdtopo-valhalla", "bdtopo-pgr")
#: IGN navigation: 5 requests/s per IP, then HTTP 429 with Retry-After.
IGN_RATE = 5
#: Mean speeds of the approximation (km/h): dense-suburb car traffic, walking.
SPEED_KMH = {"car": 25.0, "pedestrian": 4.0}
ORS_ENGINE = {
    "version": "9.3.0",
    "build_date": "2025-06-24T09:33:42Z",
    "graph_date": "2025-10-12T21:05:11Z",
}
DEG_PER_MIN = 0.001

#: A shape: (lon, lat, minutes or None, metres) -> GeoJSON geometry in lon/lat.
Shape = Callable[[float, float, Optional[float], float], dict]


def square(lon: float, lat: float, minutes: Optional[float], metres: float = 0.0) -> dict:
    """A square around the point, half-side :data:`DEG_PER_MIN` degrees per minute."""
    d = DEG_PER_MIN * (minutes if minutes is not None else metres / 100.0)
    ring = [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def approximate_isochrone(lon: float, lat: float, metres: float) -> dict:
    """An irregular star of mean radius ``metres`` around the point (deterministic per point),
    as a GeoJSON Polygon in lon/lat. Not a routing."""
    seed = int(hashlib.sha1(f"{lon:.6f},{lat:.6f}".encode()).hexdigest(), 16) % 10**9
    phases = [(seed >> (i * 7)) % 628 / 100.0 for i in range(3)]
    n = 36
    coords = []
    for i in range(n):
        a = 2 * math.pi * i / n
        r = metres * (
            0.82
            + 0.10 * math.sin(3 * a + phases[0])
            + 0.06 * math.sin(5 * a + phases[1])
            + 0.04 * math.sin(7 * a + phases[2])
        )
        dx, dy = r * math.cos(a), r * math.sin(a)
        coords.append(
            [
                round(lon + dx / (111320.0 * math.cos(math.radians(lat))), 6),
                round(lat + dy / 110574.0, 6),
            ]
        )
    coords.append(coords[0])
    return {"type": "Polygon", "coordinates": [coords]}


def star(lon: float, lat: float, minutes: Optional[float], metres: float) -> dict:
    return approximate_isochrone(lon, lat, metres)


class RateLimit:
    """At most ``per_second`` requests per client in any one-second window."""

    def __init__(self, per_second: int = IGN_RATE):
        self.per_second = per_second
        self._hits: Dict[str, Deque[float]] = {}
        self._lock = threading.Lock()

    def exceeded(self, client: str) -> bool:
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] <= now - 1.0:
                hits.popleft()
            if len(hits) >= self.per_second:
                return True
            hits.append(now)
            return False


# -- IGN ------------------------------------------------------------------------------------


def ign_error(status: int, message: str, **headers) -> ReplayError:
    return ReplayError(json_answer({"error": {"message": message}}, status, **headers))


def ign_too_many_requests(retry_after="1", message="Too Many Requests") -> Answer:
    return too_many_requests({"error": {"message": message}}, retry_after, "application/json")


def ign_outside_resource() -> Answer:
    """The recorded 400 of a point outside the resource's bounding box."""
    return recorded("ign_error_body.json", 400)


class IgnIsochrone:
    """``GET /navigation/isochrone`` with the service's parameter checks."""

    def __init__(
        self,
        shape: Shape = square,
        resource_version: str = IGN_RESOURCE_VERSION,
        rate_limit: Optional[RateLimit] = None,
        note: bool = False,
    ):
        self.calls = []
        self.shape = shape
        self.resource_version = resource_version
        self.rate_limit = rate_limit
        self.note = note

    def __call__(self, request) -> Answer:
        if self.rate_limit and self.rate_limit.exceeded(request.client):
            return ign_too_many_requests(
                "1", f"Too Many Requests: {self.rate_limit.per_second} requests per second allowed"
            )
        params = request.args
        self.calls.append(params)
        lon, lat, metres, minutes = _ign_reach(params)
        body = {
            "point": params["point"],
            "resource": params["resource"],
            "resourceVersion": self.resource_version,
            "costType": params["costType"],
            "costValue": float(params["costValue"]),
            "profile": params.get("profile", "car"),
            "direction": params.get("direction", "departure"),
            "timeUnit": params.get("timeUnit", "second"),
            "distanceUnit": params.get("distanceUnit", "meter"),
            "crs": params.get("crs", "EPSG:4326"),
            "constraints": [],
            "geometry": self.shape(lon, lat, minutes, metres),
        }
        if self.note:
            speed = SPEED_KMH[body["profile"]]
            body["replay"] = (
                "APPROXIMATION du serveur de rejeu : étoile irrégulière de rayon moyen "
                f"{metres:.0f} m (vitesse moyenne {speed:.0f} km/h), pas un calcul d'itinéraire."
            )
        return json_answer(body, **{"Cache-Control": "private, max-age=1814400"})


def _one_of(params, name, default, allowed):
    value = params.get(name, default)
    if value not in allowed:
        raise ign_error(
            400, f"Parameter [{name}] is invalid: value should be one of {','.join(allowed)}"
        )
    return value


def _ign_reach(params):
    """(lon, lat, metres, minutes or None) of a valid request; ReplayError 400 otherwise."""
    for name in ("point", "resource", "costValue", "costType"):
        if not params.get(name):
            raise ign_error(400, f"Parameter [{name}] is required")
    try:
        lon, lat = (float(v) for v in params["point"].split(","))
    except ValueError:
        raise ign_error(400, "Parameter [point] is invalid: lon,lat expected") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ign_error(400, "Parameter [point] is invalid: out of bounds")
    _one_of(params, "resource", None, IGN_RESOURCES)
    profile = _one_of(params, "profile", "car", tuple(SPEED_KMH))
    _one_of(params, "direction", "departure", ("departure", "arrival"))
    cost_type = _one_of(params, "costType", None, ("time", "distance"))
    try:
        value = float(params["costValue"])
    except ValueError:
        raise ign_error(400, "Parameter [costValue] is invalid") from None
    if value <= 0:
        raise ign_error(400, "Parameter [costValue] is invalid: must be positive")
    if params.get("crs", "EPSG:4326") != "EPSG:4326":
        raise ign_error(400, "Replay server: crs EPSG:4326 only")
    if params.get("geometryFormat", "geojson") != "geojson":
        raise ign_error(400, "Replay server: geometryFormat geojson only")
    if cost_type == "time":
        factor = {"hour": 60.0, "minute": 1.0, "second": 1 / 60.0}.get(
            params.get("timeUnit", "second")
        )
        if factor is None:
            raise ign_error(400, "Parameter [timeUnit] is invalid")
        minutes = value * factor
        return lon, lat, SPEED_KMH[profile] / 3.6 * minutes * 60.0, minutes
    factor = {"meter": 1.0, "kilometer": 1000.0}.get(params.get("distanceUnit", "meter"))
    if factor is None:
        raise ign_error(400, "Parameter [distanceUnit] is invalid")
    return lon, lat, value * factor, None


# -- openrouteservice -------------------------------------------------------------------------


def ors_too_many_requests(retry_after="1") -> Answer:
    return too_many_requests({"error": "Rate limit exceeded"}, retry_after, "application/json")


def ors_quota_exceeded() -> Answer:
    return recorded("ors_quota_403.json", 403)


def ors_key_refused() -> Answer:
    return recorded("ors_key_403.json", 403)


def ors_unreachable_point() -> Answer:
    """The recorded 400 "Unable to build an isochrone map"."""
    return recorded("ors_error_400.json", 400)


class OrsIsochrones:
    """``POST /v2/isochrones/{profile}``: one feature per location and range."""

    def __init__(self):
        self.calls = []

    def __call__(self, request) -> Answer:
        body = request.json()
        profile = request.path.rsplit("/", 1)[-1]
        self.calls.append(
            {"profile": profile, "body": body, "auth": request.header("Authorization") or None}
        )
        features = []
        for index, (lon, lat) in enumerate(body["locations"]):
            for seconds in sorted(body["range"]):
                features.append(
                    {
                        "type": "Feature",
                        "properties": {
                            "group_index": index,
                            "value": float(seconds),
                            "center": [lon + 0.0000123, lat - 0.0000087],
                        },
                        "geometry": square(lon, lat, seconds / 60.0),
                    }
                )
        query = {
            "profile": profile,
            "profileName": profile,
            "locations": body["locations"],
            "location_type": body.get("location_type", "start"),
            "range": body["range"],
            "range_type": body.get("range_type", "time"),
        }
        payload = {
            "type": "FeatureCollection",
            "metadata": {
                "attribution": "openrouteservice.org | OpenStreetMap contributors",
                "service": "isochrones",
                "timestamp": 1763800000000,
                "query": query,
                "engine": ORS_ENGINE,
            },
            "bbox": [0, 0, 0, 0],
            "features": features,
        }
        return json_answer(payload, content_type="application/geo+json")


# -- Valhalla ---------------------------------------------------------------------------------

VALHALLA_COLOURS = ("bf4040", "bfaa40", "6abf40", "40bf80")


def valhalla_status() -> Answer:
    return recorded("valhalla_status.json")


def valhalla_bad_request() -> Answer:
    return recorded("valhalla_error_400.json", 400)


def valhalla_collection(features) -> Answer:
    return json_answer({"features": list(features), "type": "FeatureCollection"})


class ValhallaIsochrone:
    """``POST /isochrone``: one feature per contour, largest first, as Valhalla does."""

    def __init__(self, shape: Shape = square):
        self.calls = []
        self.shape = shape

    def __call__(self, request) -> Answer:
        body = request.json()
        self.calls.append(body)
        loc = body["locations"][0]
        features = []
        for i, contour in enumerate(sorted(body["contours"], key=lambda c: -c["time"])):
            colour = "#" + VALHALLA_COLOURS[i % len(VALHALLA_COLOURS)]
            features.append(
                {
                    "properties": {
                        "fill-opacity": 0.33,
                        "fillColor": colour,
                        "opacity": 0.33,
                        "fill": colour,
                        "fillOpacity": 0.33,
                        "color": colour,
                        "contour": float(contour["time"]),
                        "metric": "time",
                    },
                    "geometry": self.shape(loc["lon"], loc["lat"], contour["time"], 0.0),
                    "type": "Feature",
                }
            )
        return valhalla_collection(features)
