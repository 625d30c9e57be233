"""``cget:accesstime``: time to the nearest facility for a population, and population covered
within thresholds, overall and per zone (QPV, communes...).

Thin: parameters in, ``core.routing.coverage`` calls, the units and a table out.
"""

from __future__ import annotations

from typing import Dict

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProject,
)

from .. import compat
from ..core import provenance as prov_mod
from ..core.errors import CancelledError, InputError
from ..core.i18n import tr
from ..core.routing import coverage, isochrones, network
from ..core.routing import profiles as prof
from .base import CgetAlgorithm
from .isochrones import (
    EngineSettings,
    IsochronesAlgorithm,
    _CrsOf,
    add_engine_parameters,
    add_grid_parameters,
    add_unsnapped_sink,
    read_points,
    report_unsnapped,
    style_path,
    write_graduated_style,
)

UNIT_FIELDS = ("minutes", "nearest_id", "distance_m", "part_raccordee")


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
            "<p>DIRECTION <i>arrival</i> (default) measures the trip from home to the facility, "
            "one-way streets included. The time of a unit is the network time at the nearest "
            "point of a road plus the walk to it at 4 km/h; for a polygon, the median over its "
            "population. Units farther than SNAP_TOLERANCE_M from any road go to the "
            "<i>non raccordés</i> output and are counted apart in the table.</p>"
            "<p>With a remote router (IGN, openrouteservice, Valhalla), times come from its "
            "isochrones at the thresholds: each unit gets the smallest threshold that contains "
            "it (minutes = that threshold, not an exact time).</p>"
        )

    def initAlgorithm(self, config=None):  # noqa: N802
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
        self.addParameter(
            QgsProcessingParameterVectorLayer(
                "POPULATION",
                tr("Population (points or polygons)"),
                [compat.SOURCE_VECTOR_POINT, compat.SOURCE_VECTOR_POLYGON],
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
        zones_layer = self.parameterAsVectorLayer(parameters, "ZONES", context)
        zone_field = self.parameterAsString(parameters, "ZONE_FIELD", context) or ""
        id_field = self.parameterAsString(parameters, "ID_FIELD", context) or ""
        thresholds = isochrones.parse_bands(
            self.parameterAsString(parameters, "THRESHOLDS_MIN", context) or "10,20,30"
        )
        settings = EngineSettings(self, parameters, context)
        if not pop_field:
            feedback.pushInfo(tr("No population field: each population feature counts as 1."))

        graph = None
        if settings.backend == "local":
            graph = settings.graph(feedback)
            crs = QgsCoordinateReferenceSystem(graph.crs_authid)
        else:
            crs = network.working_crs(
                self.parameterAsVectorLayer(parameters, "FACILITIES", context)
                or _CrsOf(facilities),
                feedback,
            )
        _feats, fxy, fids = read_points(facilities, id_field, crs, feedback, tr("facilities"))
        units = coverage.population_units(pop_layer, pop_field, crs, settings.cell, feedback)
        feedback.setProgress(30)

        unsnapped_rows = []
        unsnapped_pop = []
        if settings.backend == "local":
            fsnap = graph.snap(fxy, settings.snap_m)
            bad = np.nonzero(fsnap.part < 0)[0]
            for i in bad:
                unsnapped_rows.append((fids[i], float(fsnap.dist[i]), fxy[i], tr("facility")))
                unsnapped_pop.append(None)
            report_unsnapped(
                feedback, [fids[i] for i in bad], fsnap.dist[bad], settings.snap_m, tr("facilities")
            )
            if len(bad) == len(fids):
                raise InputError(
                    tr(
                        "No facility is within {tol:.0f} m of the road network {name}: check "
                        "that the layers cover the same area, or raise SNAP_TOLERANCE_M."
                    ).format(tol=settings.snap_m, name=graph.layer_name)
                )
            network.report_small_components(graph, fsnap, fids, feedback, tr("facilities"))
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
        else:
            result, provenance = self._remote(settings, crs, fxy, units, thresholds, feedback)
        if feedback.isCanceled():
            raise CancelledError(tr("Cancelled: the access times were not written."))
        feedback.setProgress(70)

        # -- units -------------------------------------------------------------------------
        fields = QgsFields(pop_layer.fields())
        added = []
        for name, kind in (
            ("minutes", "double"),
            ("nearest_id", "string"),
            ("distance_m", "double"),
            ("part_raccordee", "double"),
        ):
            out_name = name if fields.lookupField(name) < 0 else "cget_" + name
            added.append(out_name)
            fields.append(compat.make_field(out_name, kind))
        sink, dest_id = self.parameterAsSink(
            parameters, "OUTPUT", context, fields, pop_layer.wkbType(), pop_layer.crs()
        )
        if sink is None:
            raise InputError(tr("The output layer could not be created."))
        position = {int(fid): i for i, fid in enumerate(units.fids)}
        attached = result.unit_snapped_share > 0
        request = QgsFeatureRequest()
        batch = []
        for n, feat in enumerate(pop_layer.getFeatures(request)):
            if n % 5000 == 0 and feedback.isCanceled():
                raise CancelledError(tr("Cancelled: the access times were not written."))
            i = position.get(int(feat.id()))
            if i is None:
                continue
            if not attached[i]:
                unsnapped_rows.append((str(feat.id()), float(result.unit_dist[i]), units.rep_xy[i]))
                unsnapped_pop.append(float(units.pop[i]))
                continue
            minutes = result.unit_minutes[i]
            origin = result.unit_origin[i]
            dist = result.unit_dist[i]
            # reuse the input feature (geometry kept): much faster for 100,000 units
            attrs = feat.attributes()
            feat.setFields(fields, False)
            feat.setAttributes(
                attrs
                + [
                    round(float(minutes), 1) if np.isfinite(minutes) else None,
                    fids[origin] if origin >= 0 else None,
                    round(float(dist), 1) if np.isfinite(dist) else None,
                    round(100.0 * float(result.unit_snapped_share[i]), 1),
                ]
            )
            batch.append(feat)
            if len(batch) >= 5000:
                sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
                batch = []
        if batch:
            sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
        n_bad_units = int((~attached).sum())
        if n_bad_units:
            report_unsnapped(
                feedback,
                [str(units.fids[i]) for i in np.nonzero(~attached)[0]],
                result.unit_dist[~attached],
                settings.snap_m,
                tr("population units"),
            )

        # -- table -------------------------------------------------------------------------
        zones = self._zones(zones_layer, zone_field, crs, feedback)
        rows = coverage.coverage_table(units, result, thresholds, zones, feedback)
        tfields = QgsFields()
        spec = coverage.table_fields(thresholds)
        for name, kind, _alias in spec:
            tfields.append(compat.make_field(name, kind))
        tsink, table_id = self.parameterAsSink(
            parameters,
            "OUTPUT_TABLE",
            context,
            tfields,
            compat.WKB_NOGEOMETRY,
            QgsCoordinateReferenceSystem(),
        )
        if tsink is None:
            raise InputError(tr("The output table could not be created."))
        for row in rows:
            out = QgsFeature(tfields)
            out.setAttributes([row.get(name) for name, _k, _a in spec])
            tsink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
        overall = rows[0]
        feedback.pushInfo(
            tr("Population: {total:.0f}; within {t} min: {pop:.0f} ({share} %).").format(
                total=overall["pop_total"],
                t=thresholds[-1],
                pop=overall[f"pop_le_{thresholds[-1]}"],
                share=overall[f"part_le_{thresholds[-1]}"],
            )
        )

        IsochronesAlgorithm._write_unsnapped(
            self, parameters, context, crs, unsnapped_rows, tr("unit"), unsnapped_pop
        )

        # -- provenance and styles -----------------------------------------------------------
        params = settings.parameters()
        params.update({"thresholds_min": thresholds})
        provenance.parameters = {**provenance.parameters, **params}
        provenance.extra_credits = list(provenance.extra_credits) + [
            c for c in prov_mod.layer_credits(pop_layer) if c
        ]
        aliases = {
            added[0]: tr("Minutes to the nearest service"),
            added[1]: tr("Nearest service"),
            added[2]: tr("Distance to the network (m)"),
            added[3]: tr("Share of the population attached (%)"),
        }
        classes = []
        prev = 0
        for th in thresholds:
            classes.append((prev, th, tr("{lo} to {hi} min", on_map=True).format(lo=prev, hi=th)))
            prev = th
        classes.append((prev, 100000, tr("more than {t} min", on_map=True).format(t=prev)))
        geometry = "Polygon" if units.is_polygon else "Point"
        unit_style = write_graduated_style(
            style_path(f"access_{geometry}_" + "_".join(map(str, thresholds)) + ".qml"),
            geometry,
            added[0],
            classes,
            aliases,
            fields,
            fallback=f"access_time_{geometry.lower()}s.qml",
        )
        names = {
            key: tr("Access time ({mode})", on_map=on_map).format(
                mode=prof.MODE_LABELS[settings.mode](on_map)
            )
            for key, on_map in (("layer_name", False), ("map_name", True))
        }
        provenance.parameters.update(names)  # the legend of a map reads map_name (French)
        self.decorate_output(
            dest_id, context, provenance, style=unit_style, layer_name=names["layer_name"]
        )
        table_style = write_graduated_style(
            style_path("access_table_" + "_".join(map(str, thresholds)) + ".qml"),
            "None",
            "",
            [],
            {name: alias for name, _k, alias in spec},
            tfields,
        )
        self.decorate_output(
            table_id,
            context,
            provenance,
            style=table_style,
            layer_name=tr("Population covered ({mode})").format(
                mode=prof.MODE_LABELS[settings.mode]()
            ),
        )
        results = {"OUTPUT": dest_id, "OUTPUT_TABLE": table_id}
        if getattr(self, "_unsnapped_id", None):
            results["UNSNAPPED"] = self._unsnapped_id
        return results

    # -----------------------------------------------------------------------------------------
    def _zones(self, layer, zone_field, crs, feedback):
        if layer is None:
            return []
        names = [f.name() for f in layer.fields()]
        if not zone_field:
            lower = {n.lower(): n for n in names}
            for candidate in coverage.ZONE_LABEL_FIELDS:
                if candidate in lower:
                    zone_field = lower[candidate]
                    break
        idx = layer.fields().lookupField(zone_field) if zone_field else -1
        request = QgsFeatureRequest()
        request.setDestinationCrs(crs, QgsProject.instance().transformContext())
        zones = []
        for feat in layer.getFeatures(request):
            if feedback.isCanceled():
                raise CancelledError(tr("Cancelled while reading the zones."))
            geom = feat.geometry()
            if geom.isNull() or geom.isEmpty():
                continue
            label = feat.attributes()[idx] if idx >= 0 else feat.id()
            zones.append((str(label), bytes(geom.asWkb())))
        return zones

    def _remote(self, settings, crs, fxy, units, thresholds, feedback):
        from ..core.routing.backends import get_backend

        backend = get_backend(settings.backend)
        wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
        to_wgs = QgsCoordinateTransform(crs, wgs84, QgsProject.instance())
        back = QgsCoordinateTransform(wgs84, crs, QgsProject.instance())
        origins = []
        for i, (x, y) in enumerate(fxy):
            p = to_wgs.transform(QgsPointXY(float(x), float(y)))
            origins.append((i, p.x(), p.y()))
        results = backend.isochrones(
            origins, thresholds, settings.mode, settings.direction, feedback
        )
        remote: Dict[int, Dict[int, bytes]] = {}
        for r in results:
            geom = QgsGeometry(r.geometry)
            geom.transform(back)
            remote.setdefault(int(r.origin_id), {})[int(r.minutes)] = bytes(geom.asWkb())
        minutes, origin = coverage.remote_bands_for_samples(
            units.sample_xy, remote, thresholds, feedback
        )
        ok = np.ones(len(minutes), bool)
        dist = np.zeros(len(minutes))
        summary = coverage.unit_summary(units, minutes, origin, ok, dist)
        result = coverage.AccessResult(minutes, origin, ok, dist, *summary)
        return result, backend.provenance(thresholds, settings.mode, settings.direction)
