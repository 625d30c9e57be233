"""openrouteservice v2 isochrones: ``POST {url}/v2/isochrones/{profile}``.

The public API (HeiGIT) takes at most 5 locations and 10 ranges per request, ranges in seconds,
and enforces a per-minute quota (HTTP 429) and a daily one (HTTP 403 "Quota exceeded"). The API
key lives in the QGIS authentication database: the settings only hold the id of an
authentication configuration (``cget/routing/ors/authcfg``); the key is read through
``QgsApplication.authManager()`` and sent in the ``Authorization`` header, never logged.
Self-hosted instances (any URL) need no key.
"""

from __future__ import annotations

import json

from ...errors import InputError, NetworkError, QuotaError
from ...i18n import tr
from ...net import request
from ...provenance import Provenance, now_iso
from .base import OSM_CREDIT, Batch, IsochroneBackend, host_of, parse_json_body

DEFAULT_URL = "https://api.openrouteservice.org"
PUBLIC_HOST = "api.openrouteservice.org"
PROFILES = {"car": "driving-car", "walk": "foot-walking", "bike": "cycling-regular"}
# Public API limits (openrouteservice.org/restrictions): range time per profile, in minutes.
PUBLIC_MAX_MIN = {"driving-car": 60, "cycling-regular": 300, "foot-walking": 1200}
# Free plan: about 20 isochrone requests per minute; space requests to stay under it.
PUBLIC_MIN_INTERVAL_S = 3.0
ORS_CREDIT = "© openrouteservice.org by HeiGIT"
# Config keys where an API key may sit, by authentication method: a custom "APIHeader"
# (QGIS >= 3.26) stores header names, "EsriToken" a token, "Basic" a password.
_KEY_FIELDS = ("Authorization", "authorization", "api_key", "key", "token", "password", "username")


def read_api_key(authcfg: str) -> str:
    """The openrouteservice key stored in the QGIS authentication configuration ``authcfg``."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    manager = QgsApplication.authManager()
    config = QgsAuthMethodConfig()
    loaded = manager.loadAuthenticationConfig(authcfg, config, True)
    ok = loaded[0] if isinstance(loaded, tuple) else bool(loaded)
    if not ok or not config.isValid(True):
        raise InputError(
            tr(
                "The authentication configuration “{id}” holding the openrouteservice "
                "key cannot be read (unknown id, or the master password was not entered). Check "
                "it in Settings > Options > Authentication."
            ).format(id=authcfg)
        )
    values = config.configMap()
    for field in _KEY_FIELDS:
        value = (values.get(field) or "").strip()
        if value:
            return value
    raise InputError(
        tr(
            "The authentication configuration “{id}” has no key: store the "
            "openrouteservice key as its password (Basic method) or token."
        ).format(id=authcfg)
    )


def store_api_key(key: str, name: str = "openrouteservice") -> str:
    """Store ``key`` encrypted in the QGIS authentication database; return the new authcfg id
    (to save in the ``cget/routing/ors/authcfg`` setting)."""
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    config = QgsAuthMethodConfig("Basic")
    config.setName(name)
    config.setConfig("username", "")
    config.setConfig("password", key.strip())
    manager = QgsApplication.authManager()
    stored = manager.storeAuthenticationConfig(config)
    ok = stored[0] if isinstance(stored, tuple) else bool(stored)
    if not ok:
        raise InputError(
            tr(
                "The openrouteservice key could not be stored in the QGIS authentication "
                "database: set a master password in Settings > Options > Authentication."
            )
        )
    return config.id()


class OrsBackend(IsochroneBackend):
    ID = "ors"
    LABEL = "openrouteservice"
    DEFAULT_URL = DEFAULT_URL
    MAX_LOCATIONS = 5
    MAX_RANGES = 10

    def __init__(self, settings_overrides=None):
        super().__init__(settings_overrides)
        self.graph_dates: set = set()

    @property
    def is_public(self) -> bool:
        return host_of(self.url) == PUBLIC_HOST

    def endpoint(self, profile: str) -> str:
        return f"{self.url.rstrip('/')}/v2/isochrones/{profile}"

    def profile_for(self, mode: str) -> str:
        if mode not in PROFILES:
            raise InputError(
                tr("Unknown travel mode “{mode}”: use car, walk or bike.").format(mode=mode)
            )
        return PROFILES[mode]

    def throttle_interval(self) -> float:
        default = PUBLIC_MIN_INTERVAL_S if self.is_public else 0.0
        return float(self.setting("min_interval_s", default))

    def _auth_headers(self) -> dict:
        authcfg = str(self.setting("authcfg", "") or "").strip()
        if not authcfg:
            if self.is_public:
                raise InputError(
                    tr(
                        "openrouteservice needs an API key: create a free key on "
                        "openrouteservice.org, store it in the QGIS authentication database "
                        "and select it in the plugin settings (or use IGN Géoplateforme, "
                        "Valhalla or the local network)."
                    )
                )
            return {}
        return {"Authorization": read_api_key(authcfg)}

    def isochrones(self, origins, bands_min, mode, direction, feedback=None):
        profile = self.profile_for(mode)
        bands = list(bands_min or [])
        if self.is_public and bands and PUBLIC_MAX_MIN.get(profile):
            limit = PUBLIC_MAX_MIN[profile]
            if max(int(float(b)) for b in bands) > limit:
                raise InputError(
                    tr(
                        "The public openrouteservice API computes {profile} isochrones up to "
                        "{limit} min only. Use smaller bands, IGN Géoplateforme or the local "
                        "network."
                    ).format(profile=profile, limit=limit)
                )
        return super().isochrones(origins, bands_min, mode, direction, feedback)

    def fetch(self, batch: Batch, profile: str, direction: str, feedback):
        body = {
            "locations": [[round(lon, 6), round(lat, 6)] for lon, lat in batch.points],
            "range": [m * 60 for m in batch.bands],
            "range_type": "time",
            "location_type": "destination" if direction == "arrival" else "start",
        }
        headers = {
            "Content-Type": "application/json; charset=utf-8",
            "Accept": "application/json, application/geo+json",
        }
        headers.update(self._auth_headers())
        url = self.endpoint(profile)
        try:
            resp = request(
                url,
                method="POST",
                data=json.dumps(body).encode(),
                headers=headers,
                feedback=feedback,
                throttle_key=f"ors:{host_of(self.url)}",
                min_interval_s=self.throttle_interval(),
                retries=int(self.setting("retries", 3)),
                # The per-minute window is 60 s: back off long enough for it to slide.
                backoff_base_s=float(self.setting("backoff_base_s", 4.0)),
            )
        except QuotaError as exc:
            raise _quota_error(exc) from None
        except NetworkError as exc:
            raise _ors_error(exc) from None
        data = parse_json_body(resp, self.LABEL)
        if not isinstance(data, dict) or not isinstance(data.get("features"), list):
            raise NetworkError(
                tr("openrouteservice at {url} did not answer a GeoJSON FeatureCollection.").format(
                    url=url
                ),
                url=url,
            )
        engine = (data.get("metadata") or {}).get("engine") or {}
        self.last_version = str(engine.get("version") or "")
        if self.last_version:
            self.versions.add(self.last_version)
        if engine.get("graph_date"):
            self.graph_dates.add(str(engine["graph_date"]))
        seconds = {m * 60: m for m in batch.bands}
        grouped: dict = {}
        for feature in data["features"]:
            props = feature.get("properties") or {}
            try:
                pos = int(props.get("group_index", 0))
                value = float(props.get("value"))
            except (TypeError, ValueError):
                continue
            minutes = seconds.get(int(round(value)))
            if minutes is None or not 0 <= pos < len(batch.points):
                continue
            grouped.setdefault((pos, minutes), []).append(feature.get("geometry"))
        return {key: _collection(geoms) for key, geoms in grouped.items()}

    def provenance(self, bands_min, mode, direction) -> Provenance:
        version = self.version_text()
        graph = ", ".join(sorted(self.graph_dates))
        engine = "openrouteservice " + (version or tr("unknown version"))
        if graph:
            engine += " – " + tr("graph of {date}").format(date=graph)
        return Provenance(
            producer="HeiGIT (openrouteservice)",
            dataset="Isochrones openrouteservice (OpenStreetMap)",
            vintage=graph[:10] if graph else "",
            url=self.url,
            licence="ODbL-1.0",
            retrieved=now_iso(),
            source_date=graph.split(", ")[-1] if graph else "",
            engine=engine,
            parameters={
                "backend": self.ID,
                "profile": PROFILES.get(mode, mode),
                "mode": mode,
                "direction": direction,
                "bands_min": list(bands_min),
                "url": self.url,
            },
            notes=[tr("{n} isochrone(s) taken from the local cache.").format(n=self.cache_hits)]
            if self.cache_hits
            else [],
            credit="openrouteservice, isochrones (" + (version or "OSM") + ")",
            extra_credits=[ORS_CREDIT, OSM_CREDIT],
        )


def _collection(geometries: list) -> dict:
    geometries = [g for g in geometries if isinstance(g, dict)]
    if len(geometries) == 1:
        return geometries[0]
    return {"type": "GeometryCollection", "geometries": geometries}


def _quota_error(exc: QuotaError) -> QuotaError:
    if exc.status == 403:
        message = tr(
            "The daily quota of your openrouteservice key is used up (HTTP 403). It is "
            "restored 24 hours after the first requests of the day. Meanwhile, use IGN "
            "Géoplateforme (car, walk), a Valhalla server or the local road network, or another "
            "openrouteservice key or plan."
        )
    else:
        message = tr(
            "openrouteservice is refusing requests: per-minute limit reached (HTTP 429) even "
            "after waiting. Wait one minute and run again with fewer origins, or use IGN "
            "Géoplateforme, Valhalla or the local road network."
        )
    return QuotaError(message, status=exc.status, url=exc.url)


def _ors_error(exc: NetworkError) -> NetworkError:
    if exc.status in (401, 403):
        return NetworkError(
            tr(
                "openrouteservice refused the API key (HTTP {status}). Check the key stored in "
                "the QGIS authentication configuration selected in the plugin settings."
            ).format(status=exc.status),
            status=exc.status,
            url=exc.url,
        )
    if exc.status and 400 <= exc.status < 500:
        return NetworkError(
            tr("openrouteservice could not compute the isochrones: {error}").format(error=str(exc)),
            status=exc.status,
            url=exc.url,
        )
    return exc
