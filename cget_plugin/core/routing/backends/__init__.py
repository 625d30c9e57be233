"""Remote isochrone backends: IGN Géoplateforme, openrouteservice and Valhalla.

Contract used by ``cget:isochrones`` and ``cget:accesstime``::

    from cget_plugin.core.routing.backends import get_backend
    backend = get_backend("ign", settings_overrides=None)  # "ign" | "ors" | "valhalla"
    results = backend.isochrones(origins, bands_min, mode, direction, feedback)
    provenance = backend.provenance(bands_min, mode, direction)

- ``origins``: list of ``(origin_id, lon, lat)`` in EPSG:4326;
- ``bands_min``: sorted list of whole minutes; ``mode``: ``car`` | ``walk`` | ``bike``;
  ``direction``: ``departure`` | ``arrival``; ``feedback``: a ``QgsFeedback`` or ``None``;
- returns a list of :class:`RemoteIsochrone` ``(origin_id, minutes, geometry)``, one per origin
  and band, in origin then band order; ``geometry`` is a valid multipolygon in EPSG:4326 (holes
  kept), the **cumulative** area reachable within 0..minutes;
- errors are :class:`~cget_plugin.core.errors.CgetError` subclasses with a translated message
  (``InputError``, ``NetworkError``, ``QuotaError``, ``DataError``, ``CancelledError``).

Endpoints and options come from ``settings_overrides`` first, then the QgsSettings keys
``cget/routing/<backend>/<name>`` (``url``, ``authcfg`` for ORS, ``min_interval_s``,
``retries``, ``cache``, ``cache_max_age_s``, ``resource`` for IGN, ``denoise`` and
``generalize`` for Valhalla), then built-in defaults.
"""

from typing import Optional

from ...errors import InputError
from ...i18n import tr
from .base import RemoteIsochrone, check_bands
from .ign import IgnBackend
from .ors import OrsBackend
from .valhalla import ValhallaBackend

BACKENDS = {"ign": IgnBackend, "ors": OrsBackend, "valhalla": ValhallaBackend}

__all__ = ["BACKENDS", "RemoteIsochrone", "check_bands", "get_backend", "backend_label"]


def get_backend(backend_id: str, settings_overrides: Optional[dict] = None):
    """A new backend instance for ``backend_id`` (``ign``, ``ors`` or ``valhalla``)."""
    try:
        cls = BACKENDS[str(backend_id).strip().lower()]
    except KeyError:
        raise InputError(
            tr("Unknown remote router “{id}”: use ign, ors or valhalla.").format(id=backend_id)
        ) from None
    return cls(settings_overrides)


def backend_label(backend_id: str) -> str:
    cls = BACKENDS.get(backend_id)
    return cls.LABEL if cls else backend_id
