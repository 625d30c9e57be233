"""Replay handlers for pytest-httpserver answering in the formats of the real services.

Each handler reads the request the plugin sent (query string or JSON body) and answers what the
service would: IGN Géoplateforme echoes the request with ``resourceVersion`` and a GeoJSON
``geometry``; openrouteservice a FeatureCollection with ``group_index``/``value`` (seconds)/
``center`` and ``metadata.engine``; Valhalla a FeatureCollection with ``contour``/``metric``
and its styling properties. Polygons are squares around the point whose half-side grows with
the minutes (about 100 m per minute), so nesting and sizes can be checked. Every request is
recorded in ``calls`` for assertions on batching and parameters.
"""

import json
from pathlib import Path

from werkzeug import Response

HERE = Path(__file__).resolve().parent
IGN_RESOURCE_VERSION = "2025-09-25"
ORS_ENGINE = {
    "version": "9.3.0",
    "build_date": "2025-06-24T09:33:42Z",
    "graph_date": "2025-10-12T21:05:11Z",
}
DEG_PER_MIN = 0.001


def fixture_bytes(name: str) -> bytes:
    return (HERE / name).read_bytes()


def square(lon: float, lat: float, minutes: float) -> dict:
    d = DEG_PER_MIN * minutes
    ring = [
        [lon - d, lat - d],
        [lon + d, lat - d],
        [lon + d, lat + d],
        [lon - d, lat + d],
        [lon - d, lat - d],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def json_response(payload, status=200, headers=None) -> Response:
    return Response(
        json.dumps(payload), status=status, headers=headers, content_type="application/json"
    )


class IgnReplay:
    """``GET /navigation/isochrone``: one polygon per request, request echoed."""

    def __init__(self, geometry_factory=square):
        self.calls = []
        self.geometry_factory = geometry_factory

    def __call__(self, request):
        args = dict(request.args)
        self.calls.append(args)
        lon, lat = (float(v) for v in args["point"].split(","))
        value = float(args["costValue"])
        body = {
            "point": args["point"],
            "resource": args["resource"],
            "resourceVersion": IGN_RESOURCE_VERSION,
            "costType": args.get("costType"),
            "costValue": value,
            "profile": args.get("profile"),
            "direction": args.get("direction"),
            "timeUnit": args.get("timeUnit"),
            "distanceUnit": "meter",
            "crs": args.get("crs"),
            "constraints": [],
            "geometry": self.geometry_factory(lon, lat, value),
        }
        return json_response(body)


class OrsReplay:
    """``POST /v2/isochrones/{profile}``: one feature per location and range."""

    def __init__(self):
        self.calls = []

    def __call__(self, request):
        body = json.loads(request.get_data())
        profile = request.path.rsplit("/", 1)[-1]
        self.calls.append(
            {"profile": profile, "body": body, "auth": request.headers.get("Authorization")}
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
        payload = {
            "type": "FeatureCollection",
            "metadata": {
                "attribution": "openrouteservice.org | OpenStreetMap contributors",
                "service": "isochrones",
                "timestamp": 1763800000000,
                "query": {
                    "profile": profile,
                    "profileName": profile,
                    "locations": body["locations"],
                    "location_type": body.get("location_type", "start"),
                    "range": body["range"],
                    "range_type": body.get("range_type", "time"),
                },
                "engine": ORS_ENGINE,
            },
            "bbox": [0, 0, 0, 0],
            "features": features,
        }
        return json_response(payload, headers={"Content-Type": "application/geo+json"})


class ValhallaReplay:
    """``POST /isochrone``: one feature per contour, largest first, as Valhalla does."""

    def __init__(self, geometry_factory=square):
        self.calls = []
        self.geometry_factory = geometry_factory

    def __call__(self, request):
        body = json.loads(request.get_data())
        self.calls.append(body)
        loc = body["locations"][0]
        features = []
        colours = ["bf4040", "bfaa40", "6abf40", "40bf80"]
        for i, contour in enumerate(sorted(body["contours"], key=lambda c: -c["time"])):
            colour = "#" + colours[i % len(colours)]
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
                    "geometry": self.geometry_factory(loc["lon"], loc["lat"], contour["time"]),
                    "type": "Feature",
                }
            )
        return json_response({"features": features, "type": "FeatureCollection"})
