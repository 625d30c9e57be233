"""The whole sample in memory, step by step (see the package's docstring)."""

from __future__ import annotations

import numpy as np

from .communes import make_communes, make_departement
from .features import (
    commune_features,
    departement_features,
    epci_features,
    grid_features,
    qpv_features,
    road_features,
)
from .geometry import km, qgis_app, rnd
from .gpkg import LAYERS, Sample
from .motorway import motorway_axis
from .network import make_network
from .population import grid_cells, make_population, make_qpv_polygons, qpv_anchor
from .roads import add_roundabouts, keep_main_component, node_network, open_one_way_traps
from .services import make_france_services, make_mairies
from .territory import PLACES, QPVS
from .towns import build_towns, town_streets


def _roads(dep_geom, communes, towns):
    """The noded road network with its roundabouts, one piece, no one-way trap."""
    roads, hamlets = make_network(dep_geom, towns)
    roads = node_network(roads, communes, dep_geom)
    roads = add_roundabouts(roads, towns)
    roads = keep_main_component(roads)
    open_one_way_traps(roads)
    return roads, hamlets


def build_sample(log=print) -> Sample:
    qgis_app()
    for p in PLACES:
        p.xy = (rnd(km(p.pos_km)[0]), rnd(km(p.pos_km)[1]))
    log("département and communes…")
    dep_ring = make_departement()
    dep_geom, communes = make_communes(dep_ring)
    log("towns and streets…")
    towns = build_towns(PLACES, np.array(motorway_axis()))
    qpv_zones = []
    for q in QPVS:
        centre, radius = qpv_anchor(q, communes)
        qpv_zones.append((centre, radius * 1.1))
    qpv_polys = make_qpv_polygons(towns, communes)
    for code in sorted(towns):
        town_streets(towns[code], qpv_zones)
    log("road network…")
    roads, hamlets = _roads(dep_geom, communes, towns)
    layers = {k: [] for k in LAYERS}
    layers["departement"] = departement_features(dep_geom)
    layers["communes"] = commune_features(communes)
    layers["epci"] = epci_features(communes)
    log("road attributes…")
    layers["troncon_de_route"] = road_features(roads, communes, towns)
    log("QPV, population grid, services…")
    pop_cells = make_population(grid_cells(dep_geom), communes, towns, qpv_polys, roads, hamlets)
    layers["qpv"], layers["qpv_population"] = qpv_features(qpv_polys, communes, pop_cells)
    layers["carreaux_200m"] = grid_features(pop_cells, communes)
    # mairies and France Services: on the street, a few metres from a junction
    layers["mairies"] = make_mairies(towns)
    layers["france_services"] = make_france_services(towns, qpv_polys, communes)
    return Sample(layers)
