"""IGN Géoplateforme ``navigation/isochrone`` (resource ``bdtopo-valhalla``).

Keyless and state-run, on the BD TOPO® graph of the whole of France (DROM included). One
request per origin and band; the service allows 5 requests/s per IP and answers 429 with
``retry-after`` beyond, so requests are spaced by 0.25 s (4/s) and 429s are retried by
``core.net``. The graph date comes back as ``resourceVersion`` and goes into provenance.
Profiles: ``car`` and ``pedestrian`` only (no bicycle, HTTP 400 otherwise).
"""

from __future__ import annotations

from ...definitions import WGS84
from ...errors import InputError, NetworkError
from ...i18n import tr
from ...net import request
from ...provenance import Provenance, now_iso
from .base import Batch, IsochroneBackend, parse_json_body

DEFAULT_URL = "https://data.geopf.fr/navigation/isochrone"
RESOURCE = "bdtopo-valhalla"
PROFILES = {"car": "car", "walk": "pedestrian"}
# 5 requests/s documented: keep a margin.
MIN_INTERVAL_S = 0.25
THROTTLE_KEY = "ign-navigation-isochrone"


class IgnBackend(IsochroneBackend):
    ID = "ign"
    LABEL = "IGN Géoplateforme"
    DEFAULT_URL = DEFAULT_URL
    MAX_LOCATIONS = 1
    MAX_RANGES = 1

    @property
    def resource(self) -> str:
        return str(self.setting("resource", RESOURCE))

    def profile_for(self, mode: str) -> str:
        if mode == "bike":
            raise InputError(
                tr(
                    "IGN Géoplateforme has no bicycle profile (car and pedestrian only). For "
                    "cycling, choose openrouteservice, Valhalla or the local road network."
                )
            )
        if mode not in PROFILES:
            raise InputError(
                tr("Unknown travel mode “{mode}”: use car, walk or bike.").format(mode=mode)
            )
        return PROFILES[mode]

    def cache_parts(self, lon, lat, minutes, profile, direction) -> dict:
        parts = super().cache_parts(lon, lat, minutes, profile, direction)
        parts["resource"] = self.resource
        return parts

    def throttle_interval(self) -> float:
        return float(self.setting("min_interval_s", MIN_INTERVAL_S))

    def fetch(self, batch: Batch, profile: str, direction: str, feedback):
        (lon, lat), minutes = batch.points[0], batch.bands[0]
        params = {
            "point": f"{lon:.6f},{lat:.6f}",
            "resource": self.resource,
            "costType": "time",
            "costValue": minutes,
            "timeUnit": "minute",
            "profile": profile,
            "direction": direction,
            "geometryFormat": "geojson",
            "crs": WGS84,
        }
        try:
            resp = request(
                self.url,
                params=params,
                headers={"Accept": "application/json"},
                feedback=feedback,
                throttle_key=THROTTLE_KEY,
                min_interval_s=self.throttle_interval(),
                retries=int(self.setting("retries", 4)),
            )
        except NetworkError as exc:
            if exc.status == 400:
                raise NetworkError(
                    tr(
                        "IGN Géoplateforme refused the isochrone at ({x:.5f}, {y:.5f}), {m} min: "
                        "{error}"
                    ).format(x=lon, y=lat, m=minutes, error=str(exc)),
                    status=exc.status,
                    url=exc.url,
                ) from None
            raise
        body = parse_json_body(resp, self.LABEL)
        if not isinstance(body, dict):
            raise NetworkError(
                tr("IGN Géoplateforme answered something other than an isochrone object."),
                url=resp.url,
            )
        error = body.get("error")
        if error:
            message = error.get("message", "") if isinstance(error, dict) else str(error)
            raise NetworkError(
                tr("IGN Géoplateforme could not compute the isochrone: {message}").format(
                    message=message or "?"
                ),
                status=resp.status,
                url=resp.url,
            )
        self.last_version = str(body.get("resourceVersion") or "")
        if self.last_version:
            self.versions.add(self.last_version)
        geometry = body.get("geometry")
        if isinstance(geometry, str):
            # geometryFormat=geojson may come back serialised as a string.
            import json

            try:
                geometry = json.loads(geometry)
            except ValueError:
                geometry = None
        if not isinstance(geometry, dict):
            raise NetworkError(
                tr(
                    "IGN Géoplateforme answered without a GeoJSON geometry (geometryFormat may "
                    "not be supported by this endpoint): {url}"
                ).format(url=resp.url),
                url=resp.url,
            )
        return {(0, minutes): geometry}

    def provenance(self, bands_min, mode, direction) -> Provenance:
        version = self.version_text()
        graph = tr("graph of {date}").format(date=version) if version else tr("graph date unknown")
        engine = f"IGN Géoplateforme navigation/isochrone – {self.resource} ({graph})"
        credit = (
            f"IGN Géoplateforme, calcul d'isochrone (BD TOPO®, moteur Valhalla, "
            f"graphe du {version})"
            if version
            else "IGN Géoplateforme, calcul d'isochrone (BD TOPO®, moteur Valhalla)"
        )
        return Provenance(
            producer="IGN",
            dataset="Isochrones Géoplateforme (BD TOPO®)",
            vintage=version,
            url=self.url,
            licence="etalab-2.0",
            retrieved=now_iso(),
            source_date=version.split(", ")[-1] if version else "",
            engine=engine,
            parameters={
                "backend": self.ID,
                "resource": self.resource,
                "profile": PROFILES.get(mode, mode),
                "mode": mode,
                "direction": direction,
                "bands_min": list(bands_min),
                "url": self.url,
            },
            notes=_cache_note(self),
            credit=credit,
        )


def _cache_note(backend) -> list:
    if backend.cache_hits:
        return [tr("{n} isochrone(s) taken from the local cache.").format(n=backend.cache_hits)]
    return []
