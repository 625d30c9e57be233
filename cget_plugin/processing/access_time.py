"""``cget:accesstime``: time to the nearest facility for a population, and population covered
within thresholds, overall and per zone (QPV, communes...), with the zone's mean and median time
and, against reference zones, the rest of its commune or EPCI and the gap.

Thin: parameters in, ``core.routing.coverage`` / ``inequality`` calls, the units and a table out (what it shares
with ``cget:isochrones`` is in :mod:`routing_common`, its styles in :mod:`styles`).
"""

from __future__ import annotations

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureRequest,
    QgsFields,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
)

from .. import compat
from ..core import provenance as prov_mod
from ..core.definitions import travel_mode_noun
from ..core.errors import CancelledError, InputError
from ..core.i18n import tr
from ..core.routing import coverage, diagnostics, inequality, isochrones
from ..core.routing.population import population_units
from .base import CgetAlgorithm
from .routing_common import (
    EngineSettings,
    Unsnapped,
    add_engine_parameters,
    add_grid_parameters,
    add_population_parameters,
    add_unsnapped_sink,
    fields_with,
    read_points,
    remote_isochrones,
    unsnapped_points,
    write_unsnapped,
)
from .sinks import create_sink
from .styles import access_table_style, access_unit_style

#: Fields added to each population unit, with their types.
UNIT_FIELDS = (
    ("minutes", "double"),
    ("nearest_id", "string"),
    ("distance_m", "double"),
    ("part_raccordee", "double"),
)


class AccessTimeAlgorithm(CgetAlgorithm):
    ALG_ID = "accesstime"
    GROUP_ID = "accessibility"

    def display_name(self):
        return tr("Access time to the nearest service and population covered")

    def help_text(self):
        return tr(
            "<p>For each population unit (points, or polygons such as communes or INSEE "
            "Filosofi cells whose population is spread evenly over their area), the travel time "
            "in minutes to the nearest facility and which one (nearest_id); then a table of the "
            "population and its share within each threshold, overall and for each zone (QPV, "
            "communes, any polygon layer), ready to quote in a note.</p>"
            "<p>Each row also gives the population-weighted mean and median time and the share "
            "beyond each threshold, over the population attached to the network (a resident "
            "reaching no service counts beyond every threshold). With REFERENCE_ZONES (the "
            "communes or EPCI of QPV zones), each zone is compared with the rest of the "
            "reference zones it lies in, outside every zone: the same figures (rest_) and the "
            "gap zone – rest (gap_), so one table tells whether priority neighbourhoods are "
            "worse served.</p>"
            "<p>DIRECTION <i>arrival</i> (default) measures the trip from home to the facility, "
            "one-way streets included. The time of a unit is the network time at the nearest "
            "point of a road plus the walk to it at 4 km/h; for a polygon, the median over its "
            "population. Units farther than SNAP_TOLERANCE_M from any road go to the "
            "<i>non raccordés</i> output and are counted apart in the table.</p>"
            "<p>With a remote router (IGN, openrouteservice, Valhalla), times come from its "
            "isochrones at the thresholds: each unit gets the smallest threshold that contains "
            "it (minutes = that threshold, not an exact time; the mean time is then left "
            "empty).</p>"
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "FACILITIES", tr("Facilities (points)"), [compat.SOURCE_VECTOR_POINT]
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "ID_FIELD",
                tr("Facility identifier field"),
                parentLayerParameterName="FACILITIES",
                optional=True,
            )
        )
        add_population_parameters(self)
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "ZONES",
                tr("Zones for the table (QPV, communes..., optional)"),
                [compat.SOURCE_VECTOR_POLYGON],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "ZONE_FIELD",
                tr("Zone name field"),
                parentLayerParameterName="ZONES",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "REFERENCE_ZONES",
                tr("Compare each zone with the rest of (communes or EPCI, optional)"),
                [compat.SOURCE_VECTOR_POLYGON],
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "REFERENCE_FIELD",
                tr("Reference zone name field"),
                parentLayerParameterName="REFERENCE_ZONES",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                "THRESHOLDS_MIN", tr("Thresholds (minutes)"), defaultValue="10,20,30"
            )
        )
        add_engine_parameters(self, "arrival")
        add_grid_parameters(self, off_network=False)
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Access time per unit")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT_TABLE", tr("Population covered"), type=compat.SOURCE_VECTOR_ANY
            )
        )
        add_unsnapped_sink(self)

    # -----------------------------------------------------------------------------------------
    def execute(self, parameters, context, feedback):
        facilities = self.parameterAsSource(parameters, "FACILITIES", context)
        if facilities is None:
            raise InputError(tr("No facility layer was given (FACILITIES)."))
        pop_layer = self.parameterAsVectorLayer(parameters, "POPULATION", context)
        if pop_layer is None:
            raise InputError(tr("No population layer was given (POPULATION)."))
        pop_field = self.parameterAsString(parameters, "POP_FIELD", context) or ""
        id_field = self.parameterAsString(parameters, "ID_FIELD", context) or ""
        thresholds = isochrones.parse_bands(
            self.parameterAsString(parameters, "THRESHOLDS_MIN", context) or "10,20,30"
        )
        settings = EngineSettings(self, parameters, context)
        if not pop_field:
            feedback.pushInfo(tr("No population field: each population feature counts as 1."))
        graph, crs = settings.graph_and_crs(facilities, context, feedback)
        points = read_points(facilities, id_field, crs, context, feedback, tr("facilities"))
        units = population_units(
            pop_layer,
            pop_field,
            crs,
            settings.cell,
            feedback,
            transform_context=context.transformContext(),
        )
        feedback.setProgress(30)
        if settings.local:
            result, unsnapped, provenance = _local_access(graph, points, units, settings, feedback)
        else:
            result, provenance = _remote_access(
                crs, points, units, thresholds, settings, context, feedback
            )
            unsnapped = []
        if feedback.isCanceled():
            raise CancelledError(tr("Cancelled: the access times were not written."))
        feedback.setProgress(70)

        run = (settings, thresholds, units, result, crs)
        dest_id, fields, added = self._write_units(
            parameters, context, pop_layer, run, points.ids, unsnapped, feedback
        )
        table_id, tfields, columns = self._write_coverage(parameters, context, run, feedback)
        unsnapped_id = write_unsnapped(self, parameters, context, crs, unsnapped)

        provenance.parameters = {
            **provenance.parameters,
            **settings.parameters(),
            "thresholds_min": thresholds,
        }
        provenance.extra_credits = list(provenance.extra_credits) + [
            c for c in prov_mod.layer_credits(pop_layer) if c
        ]
        geometry = "Polygon" if units.is_polygon else "Point"
        self._decorate_units(
            dest_id, context, provenance, fields, added, geometry, thresholds, settings.mode
        )
        self._decorate_table(
            table_id, context, provenance, tfields, columns, thresholds, settings.mode
        )
        results = {"OUTPUT": dest_id, "OUTPUT_TABLE": table_id}
        if unsnapped_id:
            results["UNSNAPPED"] = unsnapped_id
        return results

    # -----------------------------------------------------------------------------------------
    def _write_units(self, parameters, context, pop_layer, run, facility_ids, unsnapped, feedback):
        """The population units with their time: destination id, fields and added names."""
        settings, _thresholds, units, result, _crs = run
        fields, added = unit_fields(pop_layer.fields())
        sink, dest_id = create_sink(
            self, parameters, "OUTPUT", context, fields, pop_layer.wkbType(), pop_layer.crs()
        )
        sink.write(
            _unit_features(sink.fields, pop_layer, units, result, facility_ids, unsnapped, feedback)
        )
        _report_unsnapped_units(units, result, settings.snap_m, feedback)
        return dest_id, sink.fields, added

    def _write_coverage(self, parameters, context, run, feedback):
        """The table of population covered per zone, with the inequality columns (and the rest
        of the reference zones when given): destination id, fields and columns."""
        settings, thresholds, units, result, crs = run
        zones_layer = self.parameterAsVectorLayer(parameters, "ZONES", context)
        zone_field = self.parameterAsString(parameters, "ZONE_FIELD", context) or ""
        zones = coverage.read_zones(
            zones_layer, zone_field, crs, context.transformContext(), feedback
        )
        references = self._references(parameters, context, crs, bool(zones), feedback)
        rows = inequality.access_table(
            units, result, thresholds, zones, references, settings.local, feedback
        )
        columns = inequality.table_fields(thresholds, bool(references))
        table_id, tfields = self._write_table(parameters, context, rows, columns, thresholds)
        _report_coverage(rows[0], thresholds, feedback)
        return table_id, tfields, columns

    # -----------------------------------------------------------------------------------------
    def _references(self, parameters, context, crs, has_zones, feedback):
        """The reference zones ``[(label, wkb)]`` (none without zones to compare)."""
        layer = self.parameterAsVectorLayer(parameters, "REFERENCE_ZONES", context)
        if layer is None:
            return []
        if not has_zones:
            feedback.pushWarning(
                tr("REFERENCE_ZONES is ignored: there are no zones (ZONES) to compare with them.")
            )
            return []
        field = self.parameterAsString(parameters, "REFERENCE_FIELD", context) or ""
        return coverage.read_zones(layer, field, crs, context.transformContext(), feedback)

    def _write_table(self, parameters, context, rows, columns, thresholds):
        """The table of population covered: its destination id and fields."""
        tfields = QgsFields()
        for name, kind, _alias in columns:
            tfields.append(compat.make_field(name, kind))
        tsink, table_id = create_sink(
            self,
            parameters,
            "OUTPUT_TABLE",
            context,
            tfields,
            compat.WKB_NOGEOMETRY,
            QgsCoordinateReferenceSystem(),
        )
        tsink.write(
            _table_row(tfields, inequality.table_values(row, thresholds, columns)) for row in rows
        )
        return table_id, tfields

    def _decorate_units(
        self, dest_id, context, provenance, fields, added, geometry, thresholds, mode
    ) -> None:
        unit_style = access_unit_style(geometry, thresholds, fields, added)
        names = {
            key: tr("Access time ({mode})", on_map=on_map).format(
                mode=travel_mode_noun(mode, on_map)
            )
            for key, on_map in (("layer_name", False), ("map_name", True))
        }
        provenance.parameters.update(names)  # the legend of a map reads map_name (French)
        self.decorate_output(
            dest_id, context, provenance, style=unit_style, layer_name=names["layer_name"]
        )

    def _decorate_table(
        self, table_id, context, provenance, tfields, columns, thresholds, mode
    ) -> None:
        aliases = {name: alias for name, _k, alias in columns}
        table_style = access_table_style(thresholds, tfields, aliases)
        self.decorate_output(
            table_id,
            context,
            provenance,
            style=table_style,
            layer_name=tr("Population covered ({mode})").format(mode=travel_mode_noun(mode)),
        )


# ---------------------------------------------------------------------------------------------
def _local_access(graph, points, units, settings, feedback):
    """``(access result, unsnapped facilities, provenance)`` of the local engine."""
    fsnap, bad = diagnostics.snap_points(
        graph,
        points.xy,
        points.ids,
        settings.snap_m,
        feedback,
        tr("facilities"),
        tr(
            "No facility is within {tol:.0f} m of the road network {name}: check "
            "that the layers cover the same area, or raise SNAP_TOLERANCE_M."
        ),
    )
    result = coverage.access_times(
        graph, fsnap, units, settings.direction, settings.snap_m, feedback
    )
    engine_text = settings.engine_text(graph)
    provenance = prov_mod.Provenance(
        producer=tr("CGET computation"),
        dataset=tr("Access time to the nearest service"),
        retrieved=prov_mod.now_iso(),
        engine=engine_text,
        credit=engine_text,
        extra_credits=settings.network_credits(graph),
    )
    return result, unsnapped_points(points, fsnap, bad, tr("facility")), provenance


def _remote_access(crs, points, units, thresholds, settings, context, feedback):
    """``(access result, provenance)`` of a remote router: each unit gets the smallest
    threshold whose isochrone holds it."""
    remote, provenance = remote_isochrones(settings, crs, points.xy, thresholds, context, feedback)
    remote_wkb = {
        o: {m: bytes(geom.asWkb()) for m, geom in by_minutes.items()}
        for o, by_minutes in remote.items()
    }
    return coverage.remote_access(units, remote_wkb, thresholds, feedback), provenance


def unit_fields(input_fields: QgsFields):
    """The population layer's fields and the four added ones (``cget_<name>`` when the input
    already has a field of that name): ``(fields, added names)``."""
    return fields_with(input_fields, UNIT_FIELDS)


def _table_row(fields, values) -> QgsFeature:
    out = QgsFeature(fields)
    out.setAttributes(values)
    return out


def _unit_features(fields, pop_layer, units, result, facility_ids, unsnapped, feedback):
    """Each attached unit with its time, nearest facility, distance and attached share; the
    units left out are appended to ``unsnapped`` (rows of the non raccordés output)."""
    position = {int(fid): i for i, fid in enumerate(units.fids)}
    attached = result.unit_snapped_share > 0
    values = _unit_values(result, facility_ids)  # once for all, not per feature
    for n, feat in enumerate(pop_layer.getFeatures(QgsFeatureRequest())):
        if n % 5000 == 0 and feedback.isCanceled():
            raise CancelledError(tr("Cancelled: the access times were not written."))
        i = position.get(int(feat.id()))
        if i is None:
            continue
        if not attached[i]:
            unsnapped.append(
                Unsnapped(
                    tr("unit"),
                    str(feat.id()),
                    float(result.unit_dist[i]),
                    tuple(units.rep_xy[i]),
                    float(units.pop[i]),
                )
            )
            continue
        # reuse the input feature (geometry kept): much faster for 100,000 units
        attrs = feat.attributes()
        feat.setFields(fields, False)
        feat.setAttributes(attrs + values[i])
        yield feat


def _unit_values(result, facility_ids) -> list:
    """The four added values of every unit: minutes, nearest facility, distance to the
    network, attached share (rounded to 0.1; None where there is none)."""
    origins = [facility_ids[o] if o >= 0 else None for o in result.unit_origin.tolist()]
    shares = round_tenths(100.0 * np.asarray(result.unit_snapped_share, float))
    return [
        list(row)
        for row in zip(
            round_tenths(result.unit_minutes), origins, round_tenths(result.unit_dist), shares
        )
    ]


def round_tenths(array) -> list:
    """``[round(v, 1) or None]`` of ``array`` (None where not finite), the same floats as
    Python's ``round`` but vectorised (300,000 units: a second less). ``np.round`` rounds
    ``v * 10``, whose own rounding may cross a half (12.35 is 12.3499… but 123.5 once
    multiplied): values that close to a half go through Python's ``round``."""
    array = np.asarray(array, float)
    finite = np.isfinite(array)
    safe = np.where(finite, array, 0.0)
    scaled = safe * 10.0
    out = np.round(scaled) / 10.0
    near_half = np.abs(np.abs(scaled - np.floor(scaled)) - 0.5) < 1e-6
    values = out.tolist()
    for i in np.nonzero(near_half & finite)[0].tolist():
        values[i] = round(float(array[i]), 1)
    for i in np.nonzero(~finite)[0].tolist():
        values[i] = None
    return values


def _report_unsnapped_units(units, result, tolerance, feedback) -> None:
    bad = np.nonzero(~(result.unit_snapped_share > 0))[0]
    if len(bad):
        diagnostics.report_unsnapped(
            feedback,
            [str(units.fids[i]) for i in bad],
            result.unit_dist[bad],
            tolerance,
            tr("population units"),
        )


def _report_coverage(overall, thresholds, feedback) -> None:
    last = thresholds[-1]
    feedback.pushInfo(
        tr("Population: {total:.0f}; within {t} min: {pop:.0f} ({share} %).").format(
            total=overall["pop_total"],
            t=last,
            pop=overall[f"pop_le_{last}"],
            share=overall[f"part_le_{last}"],
        )
    )
