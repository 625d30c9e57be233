"""What loading the local engine's inputs for a territory will cost, said before loading them.

The accessibility toolbar offers to load the territory's road network (``troncon_de_route``)
and population grid (``carreaux_200m``) when the project has none; a long download is announced
first. This module sizes each load without doing it:

- the road network: already in the cache (the GeoPackage :mod:`.roads` writes for the same box),
  else the number of sections the WFS matches (``RESULTTYPE=hits``, no feature sent); over the catalogue's ``max_features`` the load would be refused, said now;
- the population grid: the national file already in the cache, else its size (``HEAD``);
  where INSEE publishes no grid (Guadeloupe, Guyane, Mayotte…), the commune populations
  (``communes``, field ``population``) instead.

A size that cannot be had (offline, server down) is reported in ``problem``, never raised: the
offer is still made, without the figure.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from ..errors import CgetError
from ..i18n import tr
from ..territory import parse_territory
from .filosofi import national_download, no_grid_places
from .loader import new_state
from .model import LoadState
from .roads import DEFAULT_MAX_SECTIONS, fresh_meta, network_target, road_margin, road_query
from .wfs import count_matched

NETWORK_ID = "troncon_de_route"
GRID_ID = "carreaux_200m"
#: Where INSEE publishes no grid: the commune populations.
COMMUNES_ID = "communes"


@dataclass
class LoadEstimate:
    """The size of one catalogue load for one territory."""

    geography_id: str
    title: str
    field: str = ""  # the field the access-time algorithm reads (population)
    cached: bool = False
    features: Optional[int] = None  # road sections matched by the WFS
    size_bytes: Optional[int] = None  # national file to download
    too_large: bool = False
    limit: int = 0
    problem: str = ""  # why the size is unknown
    margin_m: float = 0.0  # around the territory (road network)


@dataclass
class EngineInputs:
    """The loads the local engine needs for a territory (see module docstring)."""

    territory: str
    label: str
    network: Optional[LoadEstimate] = None
    population: Optional[LoadEstimate] = None
    no_grid: List[str] = field(default_factory=list)


def engine_inputs(
    territory: str,
    network: bool = True,
    population: bool = True,
    feedback=None,
    catalog=None,
    cache=None,
) -> EngineInputs:
    """What loading the road network (``network``) and the population (``population``) of
    ``territory`` (codes as typed into TERRITORY, not empty) will download."""
    terr = parse_territory(territory)
    inputs = EngineInputs(territory=territory, label=terr.label())
    if network:
        state = new_state(NETWORK_ID, terr, feedback=feedback, catalog=catalog, cache=cache)
        inputs.network = network_estimate(state)
    if population:
        inputs.no_grid = no_grid_places(terr)
        geography = COMMUNES_ID if inputs.no_grid else GRID_ID
        state = new_state(geography, terr, feedback=feedback, catalog=catalog, cache=cache)
        inputs.population = population_estimate(state)
    return inputs


def _estimate(state: LoadState) -> LoadEstimate:
    entry = state.entry
    candidates = entry.fields.get("population") or [""]
    return LoadEstimate(entry.id, entry.display_name, field=candidates[0])


def network_estimate(state: LoadState) -> LoadEstimate:
    estimate = _estimate(state)
    conf = state.entry.source["road_wfs"]
    estimate.limit = int(conf.get("max_features", DEFAULT_MAX_SECTIONS))
    estimate.margin_m = road_margin(state, conf)
    try:
        query = road_query(state, conf)
        meta = fresh_meta(network_target(state, query), state.entry.max_age_s)
        if meta is not None:
            estimate.cached, estimate.features = True, int(meta.get("count") or 0)
            return estimate
        estimate.features = count_matched(query, state.feedback)
    except CgetError as exc:
        estimate.problem = str(exc)
        return estimate
    if estimate.features is None:
        estimate.problem = tr("The WFS did not say how many road sections it holds.")
    else:
        estimate.too_large = estimate.features > estimate.limit
    return estimate


def population_estimate(state: LoadState) -> LoadEstimate:
    estimate = _estimate(state)
    conf = state.entry.source.get("national_file")
    if not conf:  # the commune populations: a small WFS load, nothing to announce
        return estimate
    download = national_download(state, conf)
    if download.meta() is not None:
        estimate.cached = True
        return estimate
    try:
        estimate.size_bytes = download.remote_size(state.feedback) or None
    except CgetError as exc:
        estimate.problem = str(exc)
    return estimate
