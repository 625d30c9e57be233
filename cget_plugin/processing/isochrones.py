"""``cget:isochrones``: travel-time bands around origins (local engine or remote routers).

Thin: parameters in, ``core.routing`` calls, polygons out (what it shares with
``cget:accesstime`` is in :mod:`routing_common`, its styles in :mod:`styles`).
"""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
)

from .. import compat
from ..core import provenance as prov_mod
from ..core.definitions import OUTPUT_MODES, output_mode_label, travel_mode_noun
from ..core.errors import CancelledError, InputError
from ..core.i18n import tr
from ..core.routing import coverage, diagnostics, isochrones
from ..core.routing.population import population_units
from .base import CgetAlgorithm
from .parameters import enum_parameter
from .routing_common import (
    EngineSettings,
    add_engine_parameters,
    add_grid_parameters,
    add_unsnapped_sink,
    read_points,
    remote_isochrones,
    unsnapped_points,
    write_unsnapped,
)
from .sinks import create_sink
from .styles import isochrone_style

#: Output fields of the bands; an input field of the same name is carried as ``orig_<name>``.
BAND_FIELDS = ("origin_id", "min_from", "min_to", "area_km2", "population")


class IsochronesAlgorithm(CgetAlgorithm):
    ALG_ID = "isochrones"
    GROUP_ID = "accessibility"

    def display_name(self):
        return tr("Isochrones (travel-time bands)")

    def help_text(self):
        return tr(
            "<p>Travel-time bands around points (France Services, town halls...), computed on a "
            "local road network (BD TOPO, BD TOPO 2, OpenStreetMap or any line layer with a "
            "speed) or by a remote router (IGN Géoplateforme, openrouteservice, Valhalla).</p>"
            "<p><b>Output modes</b>: <i>rings</i> = non-overlapping bands, each area assigned to "
            "its nearest origin (origin_id; dissolve on min_to for one polygon per band); "
            "<i>cumulative</i> = 0 to each band, all origins together; <i>per_origin</i> = the "
            "bands of each origin, with its attributes (they overlap between origins). With a "
            "remote router, <i>rings</i> carry no origin_id.</p>"
            "<p><b>Method (local engine)</b>: exact shortest times on the network (one-way "
            "streets respected in the chosen direction), origins attached to the nearest point of "
            "a road; then a raster of CELL_SIZE_M where the last leg off the road is walked at "
            "4 km/h up to OFF_NETWORK_M (defaults: car 100 m / 300 m, bike 50 m / 200 m, walk "
            "25 m / 100 m). As in IGN's isochrones, the area between roads that one reaches on "
            "foot from the road is part of the band: a few hundred metres for the car (300 m, "
            "4.5 min of walking) fills the built-up areas and the edges of the roads without "
            "inventing access across open country; raise OFF_NETWORK_M for smoother areas in "
            "sparse rural networks. Precision: one cell; the band edges are drawn smooth (contours "
            "of the travel-time surface; RAW_OUTLINES keeps the cell outlines), the populations "
            "and areas coming from the cells either way. Walking is 4 km/h, cycling 15 km/h, "
            "neither on motorways. Motorways and their ramps carry the car between "
            "interchanges only: nobody walks off them and no origin or population attaches to "
            "them.</p>"
            "<p>Origins farther than SNAP_TOLERANCE_M from the network go to the "
            "<i>non raccordés</i> output. Give a POPULATION layer (points or polygons such as "
            "INSEE Filosofi cells, spread pro rata of area) and POP_FIELD to get the population "
            "of each band. The graph of a network is kept for the session: the next run on the "
            "same network starts at once.</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "INPUT", tr("Origins (points)"), [compat.SOURCE_VECTOR_POINT]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "ID_FIELD",
                tr("Origin identifier field"),
                parentLayerParameterName="INPUT",
                optional=True,
            )
        )
        add_engine_parameters(self, "departure")
        self.addParameter(
            QgsProcessingParameterString(
                "BANDS_MIN", tr("Bands (minutes)"), defaultValue="5,10,15,20"
            )
        )
        self.addParameter(
            enum_parameter(
                "OUTPUT_MODE",
                tr("Output mode"),
                OUTPUT_MODES,
                "rings",
                labels=output_mode_label,
            )
        )
        add_grid_parameters(self)
        raw = QgsProcessingParameterBoolean(
            "RAW_OUTLINES",
            tr("Raw cell outlines (no smoothing of the band edges; same figures)"),
            defaultValue=False,
        )
        raw.setFlags(raw.flags() | compat.PARAM_FLAG_ADVANCED)
        self.addParameter(raw)
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "POPULATION",
                tr("Population (points or polygons, optional)"),
                [compat.SOURCE_VECTOR_POINT, compat.SOURCE_VECTOR_POLYGON],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "POP_FIELD",
                tr("Population field"),
                parentLayerParameterName="POPULATION",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT", tr("Isochrones"), type=compat.SOURCE_VECTOR_POLYGON
            )
        )
        add_unsnapped_sink(self)

    # -----------------------------------------------------------------------------------------
    def execute(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, "INPUT", context)
        if source is None:
            raise InputError(tr("No origin layer was given (INPUT)."))
        id_field = self.parameterAsString(parameters, "ID_FIELD", context) or ""
        settings = EngineSettings(self, parameters, context)
        bands = isochrones.parse_bands(
            self.parameterAsString(parameters, "BANDS_MIN", context) or "5,10,15,20"
        )
        output_mode = self.parameterAsEnumString(parameters, "OUTPUT_MODE", context) or "rings"
        graph, crs = settings.graph_and_crs(source, context, feedback)
        origins = read_points(source, id_field, crs, context, feedback, tr("origins"))
        population = _Population.read(self, parameters, context, crs, settings.cell, feedback)

        run = (settings, bands, output_mode, population, feedback)
        if settings.local:
            smooth = not self.parameterAsBool(parameters, "RAW_OUTLINES", context)
            features, unsnapped, provenance = _local_bands(graph, origins, smooth, *run)
        else:
            features, provenance = _remote_bands(crs, origins, context, *run)
            unsnapped = []
        _check_result(features, bands, feedback)

        with_population = population.layer is not None
        sink, dest_id = create_sink(
            self,
            parameters,
            "OUTPUT",
            context,
            band_fields(source.fields(), output_mode, with_population),
            compat.WKB_MULTIPOLYGON,
            crs,
        )
        fields = sink.fields
        sink.write(
            band_feature(feat, fields, origins, output_mode, with_population) for feat in features
        )
        unsnapped_id = write_unsnapped(self, parameters, context, crs, unsnapped)

        provenance.parameters.update(settings.parameters())
        provenance.parameters.update({"bands_min": bands, "output_mode": output_mode})
        if population.layer is not None:
            provenance.extra_credits = list(provenance.extra_credits) + [
                c for c in prov_mod.layer_credits(population.layer) if c
            ]
        self._decorate(dest_id, context, provenance, fields, bands, settings.mode)
        results = {"OUTPUT": dest_id}
        if unsnapped_id:
            results["UNSNAPPED"] = unsnapped_id
        return results

    def _decorate(self, dest_id, context, provenance, fields, bands, mode) -> None:
        """The band style (one palette), field aliases and the layer's names."""
        style_file = isochrone_style(bands, fields)
        names = {
            key: tr("Isochrones {bands} min ({mode})", on_map=on_map).format(
                bands="/".join(map(str, bands)), mode=travel_mode_noun(mode, on_map)
            )
            for key, on_map in (("layer_name", False), ("map_name", True))
        }
        provenance.parameters.update(names)  # the legend of a map reads map_name (French)
        self.decorate_output(
            dest_id, context, provenance, style=style_file, layer_name=names["layer_name"]
        )


def _local_bands(graph, origins, smooth, settings, bands, output_mode, population, feedback):
    """``(features, unsnapped points, provenance)`` of the local engine."""
    snaps, bad = diagnostics.snap_points(
        graph,
        origins.xy,
        origins.ids,
        settings.snap_m,
        feedback,
        tr("origins"),
        tr(
            "No origin is within {tol:.0f} m of the road network {name}: check that "
            "the layers cover the same area, or raise SNAP_TOLERANCE_M."
        ),
    )
    features = isochrones.local_isochrones(
        graph,
        snaps,
        settings.direction,
        bands,
        output_mode,
        settings.cell,
        settings.off_m,
        population.xy,
        population.w,
        feedback,
        smooth=smooth,
    )
    unsnapped = unsnapped_points(origins, snaps, bad, tr("origin"))
    return features, unsnapped, _local_provenance(settings, graph)


def _remote_bands(crs, origins, context, settings, bands, output_mode, population, feedback):
    """``(features, provenance)`` of a remote router (population counted in its polygons)."""
    remote, provenance = remote_isochrones(settings, crs, origins.xy, bands, context, feedback)
    features = isochrones.remote_to_modes(remote, bands, output_mode, feedback)
    if population.layer is not None:
        isochrones.count_population(features, population.xy, population.w)
    return features, provenance


class _Population:
    """The optional POPULATION input as weighted samples in the working CRS."""

    def __init__(self, layer=None, xy=None, w=None):
        self.layer, self.xy, self.w = layer, xy, w

    @classmethod
    def read(cls, alg, parameters, context, crs, cell, feedback) -> _Population:
        layer = alg.parameterAsVectorLayer(parameters, "POPULATION", context)
        if layer is None:
            if alg.parameterAsSource(parameters, "POPULATION", context) is not None:
                raise InputError(tr("The population input must be a vector layer."))
            return cls()
        pop_field = alg.parameterAsString(parameters, "POP_FIELD", context) or ""
        if not pop_field:
            feedback.pushInfo(tr("No population field: each population feature counts as 1."))
        units = population_units(
            layer, pop_field, crs, cell, feedback, transform_context=context.transformContext()
        )
        return cls(layer, units.sample_xy, units.sample_w)


def _local_provenance(settings, graph) -> prov_mod.Provenance:
    engine_text = settings.engine_text(graph)
    return prov_mod.Provenance(
        producer=tr("CGET computation"),
        dataset=tr("Travel-time bands"),
        vintage="",
        retrieved=prov_mod.now_iso(),
        engine=engine_text,
        parameters={},
        credit=engine_text,
        extra_credits=settings.network_credits(graph),
    )


def _check_result(features, bands, feedback) -> None:
    if feedback.isCanceled():
        raise CancelledError(tr("Cancelled: the isochrones were not written."))
    if not features:
        raise InputError(
            tr(
                "No area is reachable within {band} min from the origins: check the network "
                "and the origins."
            ).format(band=bands[-1])
        )


def band_fields(input_fields: QgsFields, output_mode: str, with_population: bool) -> QgsFields:
    """origin_id, the origin's own fields (per_origin), min_from, min_to, area_km2 and
    population when counted."""
    fields = QgsFields()
    fields.append(compat.make_field("origin_id", "string"))
    if output_mode == "per_origin":
        for f in input_fields:
            name = f.name()
            if name.lower() in BAND_FIELDS:
                name = "orig_" + name
            carried = QgsField(f)
            carried.setName(name)
            fields.append(carried)
    fields.append(compat.make_field("min_from", "int"))
    fields.append(compat.make_field("min_to", "int"))
    fields.append(compat.make_field("area_km2", "double", 12, 3))
    if with_population:
        fields.append(compat.make_field("population", "int"))
    return fields


def band_feature(feat, fields, origins, output_mode: str, with_population: bool) -> QgsFeature:
    out = QgsFeature(fields)
    geom = QgsGeometry()
    geom.fromWkb(feat.wkb)
    out.setGeometry(geom)
    values = [origins.ids[feat.origin] if feat.origin is not None else None]
    if output_mode == "per_origin":
        values += list(origins.feats[feat.origin].attributes())
    values += [feat.min_from, feat.min_to, round(feat.area_km2, 3)]
    if with_population:
        values.append(coverage.persons(feat.population or 0.0))
    out.setAttributes(values)
    return out
