"""Valhalla ``/isochrone`` on any base URL (self-hosted on port 8002, or a public instance).

Valhalla merges several locations of one request into a single reachable area, so each origin
gets its own request; contours are in minutes, at most 4 per request by default
(``service_limits.isochrone.max_contours``), hence batches of 4 bands. ``polygons=true`` makes
it return areas instead of lines; ``reverse=true`` gives the area from which the point is
reached (direction ``arrival``). The engine version is read once from ``/status``.
"""

from __future__ import annotations

import json

from ...errors import InputError, NetworkError
from ...i18n import tr
from ...net import request
from ...provenance import Provenance, now_iso
from .base import OSM_CREDIT, Batch, IsochroneBackend, host_of, parse_json_body

DEFAULT_URL = "https://valhalla1.openstreetmap.de"
PUBLIC_HOSTS = ("valhalla1.openstreetmap.de", "valhalla.openstreetmap.de")
COSTINGS = {"car": "auto", "walk": "pedestrian", "bike": "bicycle"}
MAX_CONTOURS = 4


class ValhallaBackend(IsochroneBackend):
    ID = "valhalla"
    LABEL = "Valhalla"
    DEFAULT_URL = DEFAULT_URL
    MAX_LOCATIONS = 1

    def __init__(self, settings_overrides=None):
        super().__init__(settings_overrides)
        self.MAX_RANGES = int(self.setting("max_contours", MAX_CONTOURS))
        self._status_checked = False

    def profile_for(self, mode: str) -> str:
        if mode not in COSTINGS:
            raise InputError(
                tr("Unknown travel mode “{mode}”: use car, walk or bike.").format(mode=mode)
            )
        return COSTINGS[mode]

    def throttle_interval(self) -> float:
        # FOSSGIS asks for fair use of its public server: one request per second.
        default = 1.0 if host_of(self.url) in PUBLIC_HOSTS else 0.0
        return float(self.setting("min_interval_s", default))

    def _read_status(self, feedback) -> None:
        """Engine version from ``/status`` (best effort: older servers have no such route)."""
        if self._status_checked:
            return
        self._status_checked = True
        try:
            resp = request(
                f"{self.url.rstrip('/')}/status", feedback=feedback, retries=0, timeout_s=15
            )
            data = json.loads(resp.content.decode("utf-8"))
            version = str(data.get("version") or "") if isinstance(data, dict) else ""
        except (NetworkError, ValueError, UnicodeDecodeError):
            version = ""
        self.last_version = version
        if version:
            self.versions.add(version)

    def fetch(self, batch: Batch, profile: str, direction: str, feedback):
        self._read_status(feedback)
        (lon, lat) = batch.points[0]
        query = {
            "locations": [{"lat": round(lat, 6), "lon": round(lon, 6)}],
            "costing": profile,
            "contours": [{"time": float(m)} for m in batch.bands],
            "polygons": True,
        }
        if direction == "arrival":
            query["reverse"] = True
        # Server defaults unless set: denoise 1 keeps only the largest ring per contour;
        # 0 keeps every reachable island. generalize is a tolerance in metres.
        for option in ("denoise", "generalize"):
            value = self.setting(option, None)
            if value is not None:
                query[option] = float(value)
        url = f"{self.url.rstrip('/')}/isochrone"
        try:
            resp = request(
                url,
                method="POST",
                data=json.dumps(query).encode(),
                headers={"Content-Type": "application/json", "Accept": "application/json"},
                feedback=feedback,
                throttle_key=f"valhalla:{host_of(self.url)}",
                min_interval_s=self.throttle_interval(),
                retries=int(self.setting("retries", 3)),
            )
        except NetworkError as exc:
            if exc.status and 400 <= exc.status < 500:
                raise NetworkError(
                    tr(
                        "Valhalla could not compute the isochrone at ({x:.5f}, {y:.5f}): {error}"
                    ).format(x=lon, y=lat, error=str(exc)),
                    status=exc.status,
                    url=exc.url,
                ) from None
            raise
        data = parse_json_body(resp, self.LABEL)
        if isinstance(data, dict) and data.get("error"):
            raise NetworkError(
                tr(
                    "Valhalla could not compute the isochrone at ({x:.5f}, {y:.5f}): {error}"
                ).format(x=lon, y=lat, error=data.get("error")),
                status=resp.status,
                url=url,
            )
        if not isinstance(data, dict) or not isinstance(data.get("features"), list):
            raise NetworkError(
                tr("Valhalla at {url} did not answer a GeoJSON FeatureCollection.").format(url=url),
                url=url,
            )
        grouped: dict = {}
        for feature in data["features"]:
            props = feature.get("properties") or {}
            geometry = feature.get("geometry") or {}
            if geometry.get("type") not in ("Polygon", "MultiPolygon"):
                continue  # show_locations points, or lines from a server ignoring polygons
            try:
                contour = float(props.get("contour"))
            except (TypeError, ValueError):
                continue
            minutes = next((m for m in batch.bands if abs(m - contour) < 1e-6), None)
            if minutes is not None:
                grouped.setdefault((0, minutes), []).append(geometry)
        out = {}
        for key, geoms in grouped.items():
            out[key] = (
                geoms[0] if len(geoms) == 1 else {"type": "GeometryCollection", "geometries": geoms}
            )
        return out

    def provenance(self, bands_min, mode, direction) -> Provenance:
        version = self.version_text()
        host = host_of(self.url)
        return Provenance(
            producer=f"Valhalla ({host})",
            dataset="Isochrones Valhalla (OpenStreetMap)",
            url=self.url,
            licence="ODbL-1.0",
            retrieved=now_iso(),
            engine="Valhalla " + (version or tr("unknown version")),
            parameters={
                "backend": self.ID,
                "costing": COSTINGS.get(mode, mode),
                "mode": mode,
                "direction": direction,
                "bands_min": list(bands_min),
                "url": self.url,
            },
            notes=[tr("{n} isochrone(s) taken from the local cache.").format(n=self.cache_hits)]
            if self.cache_hits
            else [],
            credit="Valhalla" + (f" {version}" if version else "") + f", isochrones ({host})",
            extra_credits=[OSM_CREDIT],
        )
