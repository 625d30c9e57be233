"""Common machinery of the remote isochrone backends (IGN Géoplateforme, openrouteservice,
Valhalla).

A backend turns origins (EPSG:4326) and sorted bands in minutes into one cumulative polygon
per origin and band. This module does what every service needs: input checks with clear
messages, endpoint resolution (settings overrides > QgsSettings > the catalogue's ``services``
block > built-in default), an on-disk cache per (point, profile, minutes, direction, resource),
batching of the misses to each service's limits, progress and cancel, GeoJSON -> valid
``QgsGeometry`` (holes kept, ``makeValid`` applied), and the JSON sanity checks (HTML page,
truncated body, error body).
Each service module only says how to build one request and read its answer.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple
from urllib.parse import urlsplit

from qgis.core import (
    Qgis,
    QgsGeometry,
    QgsMessageLog,
    QgsPointXY,
    QgsSettings,
    QgsWkbTypes,
)

from ...definitions import DIRECTIONS, routing_settings_key
from ...errors import CancelledError, DataError, InputError, NetworkError
from ...feedback import push_info, push_warning
from ...i18n import tr
from ...paths import cache_dir

#: Beyond this, an isochrone is no longer an accessibility question (and services refuse).
MAX_BAND_MIN = 300
LOG_TAG = "CGET"
# Public services publish their graphs every few weeks; IGN answers with
# "cache-control: max-age=1814400" (21 days), which we follow for every backend.
DEFAULT_CACHE_MAX_AGE_S = 1814400
OSM_CREDIT = "© les contributeurs d'OpenStreetMap"
#: Backend id -> key of the catalogue's ``services`` block.
SERVICE_NAMES = {"ign": "ign_isochrone", "ors": "ors_isochrone", "valhalla": "valhalla"}


@dataclass
class RemoteIsochrone:
    """One cumulative isochrone: the area reachable within ``minutes`` of ``origin_id``."""

    origin_id: Any
    minutes: int
    geometry: QgsGeometry  # valid (multi)polygon in EPSG:4326, holes kept


# -- small helpers ----------------------------------------------------------------------------


def chunks(items: Sequence, size: int) -> List[list]:
    size = max(1, int(size))
    return [list(items[i : i + size]) for i in range(0, len(items), size)]


def check_bands(bands_min: Iterable) -> List[int]:
    """Sorted, strictly increasing, positive whole minutes, or a clear :class:`InputError`."""
    try:
        raw = list(bands_min)
    except TypeError:
        raw = []
    if not raw:
        raise InputError(tr("No travel-time band was given: enter minutes such as 5,10,15."))
    bands = []
    for value in raw:
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise InputError(
                tr("Band “{value}” is not a number of minutes.").format(value=value)
            ) from None
        if number != int(number) or number <= 0:
            raise InputError(
                tr("Band {value} is not a positive whole number of minutes.").format(value=value)
            )
        bands.append(int(number))
    if any(b2 <= b1 for b1, b2 in zip(bands, bands[1:])):
        raise InputError(
            tr("Travel-time bands must be increasing without repeats (got {bands}).").format(
                bands=", ".join(str(b) for b in bands)
            )
        )
    if bands[-1] > MAX_BAND_MIN:
        raise InputError(
            tr(
                "Band {value} min is above the maximum of {max} min accepted for isochrones. "
                "Use smaller bands."
            ).format(value=bands[-1], max=MAX_BAND_MIN)
        )
    return bands


def check_origins(origins) -> List[Tuple[Any, float, float]]:
    checked = []
    for item in origins:
        try:
            origin_id, lon, lat = item
            lon, lat = float(lon), float(lat)
        except (TypeError, ValueError):
            raise InputError(
                tr("Origin {item} is not (id, longitude, latitude).").format(item=item)
            ) from None
        if not (-180.0 <= lon <= 180.0 and -90.0 <= lat <= 90.0):
            raise InputError(
                tr(
                    "Origin {id} has coordinates ({x}, {y}) outside longitude/latitude ranges: "
                    "remote routers need points in EPSG:4326 (WGS 84)."
                ).format(id=origin_id, x=lon, y=lat)
            )
        checked.append((origin_id, lon, lat))
    return checked


def check_direction(direction: str) -> str:
    if direction not in DIRECTIONS:
        raise InputError(
            tr("Unknown direction “{value}”: use departure or arrival.").format(value=direction)
        )
    return direction


def host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def parse_json_body(resp, service: str):
    """JSON of a service response, with a clear message for HTML pages and truncated bodies."""
    if resp.looks_like_html():
        raise NetworkError(
            tr(
                "{service} at {url} returned an HTML page instead of data (a proxy login page, "
                "a maintenance page or a wrong URL). Check the service URL in the settings and "
                "the proxy settings of QGIS."
            ).format(service=service, url=resp.url),
            status=resp.status,
            url=resp.url,
        )
    if not resp.content.strip():
        raise NetworkError(
            tr("{service} at {url} returned an empty response. Try again later.").format(
                service=service, url=resp.url
            ),
            status=resp.status,
            url=resp.url,
        )
    try:
        return json.loads(resp.content.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        raise NetworkError(
            tr(
                "The response of {service} at {url} is incomplete or is not JSON ({n} bytes): "
                "the connection may have been cut. Try again later."
            ).format(service=service, url=resp.url, n=len(resp.content)),
            status=resp.status,
            url=resp.url,
        ) from None


# -- GeoJSON -> QgsGeometry -------------------------------------------------------------------


def _ring(coords) -> List[QgsPointXY]:
    points = [QgsPointXY(float(c[0]), float(c[1])) for c in coords]
    if points and points[0] != points[-1]:
        points.append(points[0])
    return points


def geojson_to_geometry(geom: dict) -> QgsGeometry:
    """A GeoJSON Polygon / MultiPolygon (or a collection of them) as a valid multipolygon.

    Holes are kept. Self-intersections (Douglas-Peucker generalisation on the server side)
    are repaired with ``makeValid``; stray lines or points from the repair are dropped."""
    if not isinstance(geom, dict):
        raise DataError(tr("The router answered without a polygon geometry."))
    gtype = geom.get("type")
    try:
        if gtype == "Polygon":
            polygons = [geom["coordinates"]]
        elif gtype == "MultiPolygon":
            polygons = list(geom["coordinates"])
        elif gtype == "GeometryCollection":
            parts = [geojson_to_geometry(g) for g in geom.get("geometries", [])]
            return _merge([p for p in parts if not p.isEmpty()])
        else:
            raise DataError(
                tr("The router answered a {type} where a polygon was expected.").format(
                    type=gtype or "?"
                )
            )
        if not all(isinstance(p, list) and all(isinstance(r, list) for r in p) for p in polygons):
            raise TypeError
        multi = [[_ring(ring) for ring in polygon if len(ring) >= 3] for polygon in polygons]
    except (KeyError, TypeError, IndexError, ValueError):
        raise DataError(tr("The router answered a malformed polygon geometry.")) from None
    multi = [polygon for polygon in multi if polygon and len(polygon[0]) >= 4]
    if not multi:
        return QgsGeometry()
    return make_valid_polygon(QgsGeometry.fromMultiPolygonXY(multi))


def make_valid_polygon(geometry: QgsGeometry) -> QgsGeometry:
    if geometry.isEmpty():
        return geometry
    if not geometry.isGeosValid():
        geometry = geometry.makeValid()
    if QgsWkbTypes.geometryType(geometry.wkbType()) != QgsWkbTypes.PolygonGeometry or (
        QgsWkbTypes.flatType(geometry.wkbType()) == QgsWkbTypes.GeometryCollection
    ):
        polys = [
            QgsGeometry(part.clone())
            for part in geometry.constParts()
            if QgsWkbTypes.geometryType(part.wkbType()) == QgsWkbTypes.PolygonGeometry
        ]
        geometry = _merge(polys)
    if not geometry.isEmpty():
        geometry.convertToMultiType()
    return geometry


def _merge(parts: List[QgsGeometry]) -> QgsGeometry:
    if not parts:
        return QgsGeometry()
    if len(parts) == 1:
        merged = QgsGeometry(parts[0])
    else:
        merged = QgsGeometry.unaryUnion(parts)
    if not merged.isEmpty():
        merged.convertToMultiType()
    return merged


# -- on-disk cache ----------------------------------------------------------------------------


class ResponseCache:
    """Small JSON cache under ``cache_dir()/isochrones/<backend>``: one file per key, written
    atomically (temp file in the same folder, then ``os.replace``) so that a crash or two QGIS
    windows never leave a half-written entry; unreadable entries count as misses."""

    def __init__(self, namespace: str, max_age_s: float = DEFAULT_CACHE_MAX_AGE_S):
        self.namespace = namespace
        self.max_age_s = max_age_s

    @property
    def folder(self) -> Path:
        path = cache_dir() / "isochrones" / self.namespace
        path.mkdir(parents=True, exist_ok=True)
        return path

    @staticmethod
    def key(parts: dict) -> str:
        canonical = json.dumps(parts, sort_keys=True, ensure_ascii=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()

    def _path(self, parts: dict) -> Path:
        return self.folder / f"{self.key(parts)}.json"

    def get(self, parts: dict) -> Optional[dict]:
        path = self._path(parts)
        try:
            if self.max_age_s and time.time() - path.stat().st_mtime > self.max_age_s:
                return None
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("key") != parts:
            return None  # hash collision or foreign file: treat as a miss
        return data.get("value")

    def put(self, parts: dict, value: dict) -> None:
        folder = self.folder
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".json", dir=str(folder))
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump({"key": parts, "value": value}, handle, ensure_ascii=False)
            os.replace(tmp, self._path(parts))
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass


# -- backend base class -----------------------------------------------------------------------


@dataclass
class Batch:
    """One request: some origins (lon, lat) and some bands (minutes)."""

    points: List[Tuple[float, float]]
    bands: List[int]


class IsochroneBackend:
    """Base class of the remote backends. Subclasses set the class attributes and implement
    :meth:`profile_for`, :meth:`fetch` and :meth:`provenance`."""

    ID = ""
    LABEL = ""  # service name shown in messages
    DEFAULT_URL = ""
    MAX_LOCATIONS = 1  # origins per request
    MAX_RANGES = 1  # bands per request

    def __init__(self, settings_overrides: Optional[dict] = None):
        self.overrides = dict(settings_overrides or {})
        # Engine versions seen in responses (or in the cache), for provenance.
        self.versions: set = set()
        self.cache_hits = 0
        self.requests_made = 0
        max_age = self.setting("cache_max_age_s", DEFAULT_CACHE_MAX_AGE_S)
        self.cache = ResponseCache(self.ID, float(max_age))
        self.use_cache = _as_bool(self.setting("cache", True))

    # -- settings ---------------------------------------------------------------------------
    def setting(self, name: str, default=None):
        """``settings_overrides[name]``, else QgsSettings ``cget/routing/<id>/<name>``."""
        if name in self.overrides and self.overrides[name] not in (None, ""):
            return self.overrides[name]
        value = QgsSettings().value(routing_settings_key(self.ID, name), None)
        return default if value in (None, "") else value

    @property
    def url(self) -> str:
        """Endpoint: overrides > QgsSettings ``cget/routing/<id>/url`` > the ``services``
        block of the catalogue in use (``CGET_CATALOG``) > :attr:`DEFAULT_URL`."""
        value = self.setting("url", None)
        if value is None or not str(value).strip():
            from ...catalog import service_url

            value = service_url(SERVICE_NAMES.get(self.ID, self.ID), self.DEFAULT_URL)
        return str(value).strip()

    # -- to implement -----------------------------------------------------------------------
    def profile_for(self, mode: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

    def fetch(
        self, batch: Batch, profile: str, direction: str, feedback
    ) -> Dict[Tuple[int, int], dict]:  # pragma: no cover - abstract
        """Request one batch; return {(index in batch.points, minutes): GeoJSON geometry}.
        Record the engine version seen in ``self.versions``."""
        raise NotImplementedError

    def cache_parts(self, lon, lat, minutes, profile, direction) -> dict:
        return {
            "backend": self.ID,
            "url": self.url,
            "point": [round(lon, 6), round(lat, 6)],
            "profile": profile,
            "minutes": minutes,
            "direction": direction,
        }

    def throttle_interval(self) -> float:
        return float(self.setting("min_interval_s", 0.0) or 0.0)

    # -- the contract -----------------------------------------------------------------------
    def isochrones(self, origins, bands_min, mode, direction, feedback=None):
        """One cumulative :class:`RemoteIsochrone` per origin and band (origin order, then
        band order). See the package docstring for the contract."""
        bands = check_bands(bands_min)
        direction = check_direction(direction)
        profile = self.profile_for(mode)
        origins = check_origins(origins)
        if not origins:
            return []
        self.log(
            tr("Isochrones by {service} at {url} (profile {profile}, {direction}).").format(
                service=self.LABEL, url=self.url, profile=profile, direction=direction
            ),
            feedback,
        )
        found, missing_by_origin = self._from_cache(origins, bands, profile, direction)
        if self.cache_hits:
            self.log(
                tr("{n} isochrone(s) reused from the local cache.").format(n=self.cache_hits),
                feedback,
            )
        batches = self._batches(missing_by_origin)
        for number, (origin_chunk, band_chunk) in enumerate(batches):
            if feedback is not None and feedback.isCanceled():
                raise CancelledError(tr("Cancelled by the user."))
            found.update(
                self._fetch_batch(origins, origin_chunk, band_chunk, profile, direction, feedback)
            )
            if feedback is not None:
                feedback.setProgress(100.0 * (number + 1) / len(batches))
        return self._nested(origins, bands, found)

    def _from_cache(self, origins, bands, profile, direction):
        """``(found, missing_by_origin)``: cached answers by (origin index, minutes), and the
        bands still to ask for each origin."""
        found: Dict[Tuple[int, int], dict] = {}
        missing_by_origin: Dict[int, Tuple[int, ...]] = {}
        for idx, (_oid, lon, lat) in enumerate(origins):
            missing = []
            for minutes in bands:
                hit = None
                if self.use_cache:
                    hit = self.cache.get(self.cache_parts(lon, lat, minutes, profile, direction))
                if hit and isinstance(hit.get("geometry"), dict):
                    found[(idx, minutes)] = hit
                    if hit.get("version"):
                        self.versions.add(hit["version"])
                    self.cache_hits += 1
                else:
                    missing.append(minutes)
            if missing:
                missing_by_origin[idx] = tuple(missing)
        return found, missing_by_origin

    def _batches(self, missing_by_origin) -> List[Tuple[List[int], List[int]]]:
        """Requests within the service's limits; origins missing the same bands together."""
        batches: List[Tuple[List[int], List[int]]] = []
        groups: Dict[Tuple[int, ...], List[int]] = {}
        for idx, missing in missing_by_origin.items():
            groups.setdefault(missing, []).append(idx)
        for missing, idxs in groups.items():
            for origin_chunk in chunks(idxs, self.MAX_LOCATIONS):
                for band_chunk in chunks(list(missing), self.MAX_RANGES):
                    batches.append((origin_chunk, band_chunk))
        return batches

    def _fetch_batch(self, origins, origin_chunk, band_chunk, profile, direction, feedback):
        """One request: its answers by (origin index, minutes), put in the cache."""
        batch = Batch([(origins[i][1], origins[i][2]) for i in origin_chunk], band_chunk)
        try:
            answer = self.fetch(batch, profile, direction, feedback)
        except NetworkError as exc:
            if len(origin_chunk) == 1:
                raise type(exc)(
                    tr("Origin {id}: {error}").format(
                        id=origins[origin_chunk[0]][0], error=str(exc)
                    ),
                    status=exc.status,
                    url=exc.url,
                ) from None
            raise
        self.requests_made += 1
        version = self.last_version
        now = _dt.datetime.now().replace(microsecond=0).isoformat()
        found = {}
        for (pos, minutes), geometry in answer.items():
            idx = origin_chunk[pos]
            _oid, lon, lat = origins[idx]
            value = {"geometry": geometry, "version": version, "retrieved": now}
            found[(idx, minutes)] = value
            if self.use_cache:
                self.cache.put(self.cache_parts(lon, lat, minutes, profile, direction), value)
        return found

    def _nested(self, origins, bands, found) -> List[RemoteIsochrone]:
        """The answers as geometries, in origin then band order, each band holding the
        previous one; refuses a missing or empty answer."""
        results = []
        for idx, (oid, lon, lat) in enumerate(origins):
            previous = None
            for minutes in bands:
                value = found.get((idx, minutes))
                if value is None:
                    raise DataError(
                        tr(
                            "{service} returned no isochrone for origin {id} at {m} min. "
                            "Check that the point is near a road, or try another router."
                        ).format(service=self.LABEL, id=oid, m=minutes)
                    )
                geometry = geojson_to_geometry(value["geometry"])
                if geometry.isEmpty():
                    raise DataError(
                        tr(
                            "{service} returned an empty area for origin {id} ({x:.5f}, "
                            "{y:.5f}) at {m} min: the point is probably too far from any road "
                            "open to this mode. Move the point or use another router."
                        ).format(service=self.LABEL, id=oid, x=lon, y=lat, m=minutes)
                    )
                # Reachable in 10 min means reachable in 15: keep bands nested even when
                # the service computed each band separately (IGN) or generalised them.
                if previous is not None and not previous.within(geometry):
                    geometry = make_valid_polygon(QgsGeometry.unaryUnion([geometry, previous]))
                results.append(RemoteIsochrone(oid, minutes, geometry))
                previous = geometry
        return results

    last_version = ""

    # -- logging ----------------------------------------------------------------------------
    def log(self, message: str, feedback=None, level=Qgis.Info) -> None:
        QgsMessageLog.logMessage(message, LOG_TAG, level)
        if level == Qgis.Warning:
            push_warning(feedback, message)
        else:
            push_info(feedback, message)

    def version_text(self) -> str:
        return ", ".join(sorted(v for v in self.versions if v))


def _as_bool(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in ("0", "false", "no", "off", "")
    return bool(value)
