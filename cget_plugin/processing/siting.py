"""``cget:siting``: where to open new services so that the most people are within the threshold,
and which existing sites are indispensable.

Thin: parameters in, ``core.routing.siting`` (and ``siting_critical``) calls, layers out
(:mod:`siting_outputs`).
"""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
)

from .. import compat
from ..core import provenance as prov_mod
from ..core.definitions import SITING_THRESHOLD_MIN
from ..core.errors import InputError
from ..core.i18n import tr
from ..core.routing import diagnostics, siting, siting_critical
from ..core.routing.population import population_units
from . import siting_outputs as out
from .base import CgetAlgorithm
from .parameters import set_decimals
from .routing_common import (
    EngineSettings,
    add_engine_parameters,
    add_grid_parameters,
    add_population_parameters,
    add_unsnapped_sink,
    read_points,
    unsnapped_points,
    write_unsnapped,
)


class SitingAlgorithm(CgetAlgorithm):
    ALG_ID = "siting"
    GROUP_ID = "accessibility"

    def display_name(self):
        return tr("Where to open new services (siting)")

    def help_text(self):
        return tr(
            "<p>Chooses among CANDIDATES (town halls, a grid, sites you propose) the new sites "
            "that bring the most population within THRESHOLD_MIN minutes of a service, the "
            "existing FACILITIES (optional) included: one site at a time, each time the one "
            "that adds the most people (greedy maximal covering: exact for one site, and within "
            "1 - 1/e of the best possible choice beyond). Ties go to the candidate whose "
            "identifier sorts first, so every run gives the same answer.</p>"
            "<p>Stops after NEW_SITES sites, or as soon as TARGET_SHARE % of the population is "
            "within the threshold (either or both). Outputs: the chosen sites in order "
            "(population gained, population and share covered), the coverage curve from the "
            "existing sites alone (k = 0), the population still beyond the threshold, and, "
            "for each existing site, the population that would fall beyond the threshold if "
            "it alone closed (indispensable sites first).</p>"
            "<p>Times are exact network times on the local engine (DIRECTION <i>arrival</i>: "
            "from home to the service), counted like <i>cget:accesstime</i>. A remote router "
            "cannot be used: the choice needs one travel-time tree per candidate.</p>"
        )

    def initAlgorithm(self, config=None):
        points = [compat.SOURCE_VECTOR_POINT]
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "FACILITIES", tr("Existing services (points, optional)"), points, optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "ID_FIELD",
                tr("Existing service identifier field"),
                parentLayerParameterName="FACILITIES",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                "CANDIDATES", tr("Candidate sites (points)"), points
            )
        )
        self.addParameter(
            QgsProcessingParameterField(
                "CANDIDATE_ID_FIELD",
                tr("Candidate identifier field"),
                parentLayerParameterName="CANDIDATES",
                optional=True,
            )
        )
        add_population_parameters(self)
        # minutes and shares with one decimal, a number of sites whole
        for name, label, kind, default, decimals in (
            (
                "THRESHOLD_MIN",
                tr("Threshold (minutes)"),
                compat.NUMBER_DOUBLE,
                SITING_THRESHOLD_MIN,
                1,
            ),
            ("NEW_SITES", tr("New sites, at most"), compat.NUMBER_INTEGER, None, 0),
            (
                "TARGET_SHARE",
                tr("Target share of the population (%)"),
                compat.NUMBER_DOUBLE,
                None,
                1,
            ),
        ):
            param = QgsProcessingParameterNumber(
                name, label, type=kind, defaultValue=default, optional=default is None
            )
            self.addParameter(set_decimals(param, decimals))
        add_engine_parameters(self, "arrival")
        add_grid_parameters(self, off_network=False)
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Proposed sites")))
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT_TABLE", tr("Coverage curve"), type=compat.SOURCE_VECTOR_ANY
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT_UNSERVED", tr("Population still too far"))
        )
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                "OUTPUT_CRITICAL",
                tr("Indispensable existing services"),
                type=compat.SOURCE_VECTOR_POINT,
                optional=True,
            )
        )
        add_unsnapped_sink(self)

    # -----------------------------------------------------------------------------------------
    def execute(self, parameters, context, feedback):
        threshold, max_sites, target = self._rule(parameters, context)
        settings = EngineSettings(self, parameters, context)
        if settings.backend != "local":
            raise InputError(
                tr(
                    "Siting needs the local engine (BACKEND local with a road network in "
                    "NETWORK): it builds one exact travel-time tree per candidate site, "
                    "hundreds of them, which a remote router cannot answer within its quotas."
                )
            )
        graph = settings.graph(context, feedback)
        crs = QgsCoordinateReferenceSystem(graph.crs_authid)
        inputs = self._read_inputs(parameters, context, settings, graph, crs, feedback)
        feedback.setProgress(20)
        result = siting.solve(
            graph,
            inputs.samples,
            inputs.fac_snap,
            inputs.cand_snap,
            siting.id_ranks(inputs.cand.ids),
            threshold,
            settings.direction,
            max_sites,
            target,
            out.ProgressRange(feedback, 20, 85),
        )
        self._report(result, inputs, threshold, target, feedback)
        feedback.setProgress(85)
        engine_text = settings.engine_text(graph)
        provenance = prov_mod.Provenance(
            producer=tr("CGET computation"),
            dataset=tr("Siting of new services"),
            retrieved=prov_mod.now_iso(),
            engine=engine_text,
            credit=engine_text,
            extra_credits=settings.network_credits(graph)
            + [c for c in prov_mod.layer_credits(inputs.pop_layer) if c],
        )
        provenance.parameters = {
            **settings.parameters(),
            "threshold_min": threshold,
            "new_sites": max_sites,
            "target_share": target,
        }
        writer = out.SitingWriter(self, parameters, context, feedback, provenance, threshold)
        results = {
            "OUTPUT": writer.sites(inputs, result),
            "OUTPUT_TABLE": writer.curve(inputs, result),
            "OUTPUT_UNSERVED": writer.unserved(inputs, result),
        }
        if inputs.fac_snap is not None and parameters.get("OUTPUT_CRITICAL") not in (None, ""):
            rows = siting_critical.critical_sites(
                graph, inputs.samples, inputs.fac_snap, settings.direction, threshold
            )
            results["OUTPUT_CRITICAL"] = writer.critical(inputs, rows)
        unsnapped_id = write_unsnapped(self, parameters, context, crs, inputs.unsnapped)
        if unsnapped_id:
            results["UNSNAPPED"] = unsnapped_id
        return results

    # -----------------------------------------------------------------------------------------
    def _rule(self, parameters, context):
        """Threshold and stop rule, checked before any heavy work."""
        siting.check_threshold(parameters.get("THRESHOLD_MIN", SITING_THRESHOLD_MIN))
        threshold = self.parameterAsDouble(parameters, "THRESHOLD_MIN", context)
        given = {k: parameters.get(k) not in (None, "") for k in ("NEW_SITES", "TARGET_SHARE")}
        max_sites = (
            self.parameterAsInt(parameters, "NEW_SITES", context) if given["NEW_SITES"] else None
        )
        target = (
            self.parameterAsDouble(parameters, "TARGET_SHARE", context)
            if given["TARGET_SHARE"]
            else None
        )
        if max_sites is not None and max_sites < 1:
            raise InputError(tr("NEW_SITES must be a whole number of sites, at least 1."))
        if target is not None and not 0 < target <= 100:
            raise InputError(
                tr("TARGET_SHARE is a percentage of the population: above 0, at most 100.")
            )
        return threshold, max_sites, target

    def _read_inputs(self, parameters, context, settings, graph, crs, feedback):
        inputs = out.SitingInputs()
        inputs.pop_layer = self.parameterAsVectorLayer(parameters, "POPULATION", context)
        if inputs.pop_layer is None:
            raise InputError(tr("No population layer was given (POPULATION)."))
        pop_field = self.parameterAsString(parameters, "POP_FIELD", context) or ""
        if not pop_field:
            feedback.pushInfo(tr("No population field: each population feature counts as 1."))
        candidates = self.parameterAsSource(parameters, "CANDIDATES", context)
        if candidates is None:
            raise InputError(tr("No candidate sites were given (CANDIDATES)."))
        cand_field = self.parameterAsString(parameters, "CANDIDATE_ID_FIELD", context) or ""
        inputs.cand = read_points(
            candidates, cand_field, crs, context, feedback, tr("candidate sites")
        )
        inputs.cand_fields = candidates.fields()
        inputs.cand_crs = candidates.sourceCrs()
        inputs.cand_snap = self._snap(graph, inputs.cand, inputs, settings, feedback, "candidate")
        facilities = self.parameterAsSource(parameters, "FACILITIES", context)
        if facilities is not None and facilities.featureCount() != 0:
            fac_field = self.parameterAsString(parameters, "ID_FIELD", context) or ""
            inputs.fac = read_points(
                facilities, fac_field, crs, context, feedback, tr("facilities")
            )
            inputs.fac_crs = facilities.sourceCrs()
            inputs.fac_snap = self._snap(graph, inputs.fac, inputs, settings, feedback, "facility")
        inputs.units = population_units(
            inputs.pop_layer,
            pop_field,
            crs,
            settings.cell,
            feedback,
            transform_context=context.transformContext(),
        )
        inputs.samples = siting.sample_set(
            graph, inputs.units.sample_xy, inputs.units.sample_w, settings.snap_m
        )
        return inputs

    def _snap(self, graph, points, inputs, settings, feedback, role):
        """Attach the candidates or the existing services; those too far from the network go
        to the non raccordés output (refused when none is near enough)."""
        if role == "candidate":
            what, label = tr("candidate sites"), tr("candidate")
            none = tr(
                "No candidate site is within {tol:.0f} m of the road network {name}: check "
                "that the layers cover the same area, or raise SNAP_TOLERANCE_M."
            )
        else:
            what, label = tr("facilities"), tr("facility")
            none = tr(
                "No facility is within {tol:.0f} m of the road network {name}: check "
                "that the layers cover the same area, or raise SNAP_TOLERANCE_M."
            )
        snap, bad = diagnostics.snap_points(
            graph, points.xy, points.ids, settings.snap_m, feedback, what, none
        )
        inputs.unsnapped += unsnapped_points(points, snap, bad, label)
        return snap

    def _report(self, result, inputs, threshold, target, feedback):
        share0 = result.curve()[0][2]
        if result.stop == siting.STOP_TARGET_AT_START:
            feedback.pushInfo(
                tr(
                    "The existing services already bring {share:.1f} % of the population within "
                    "{t:g} min, above the target of {target:g} %: no new site is needed (k = 0)."
                ).format(share=share0, t=threshold, target=target)
            )
        elif not result.chosen and result.base_pop <= 0:
            raise InputError(
                tr(
                    "None of the {n} candidate sites is within {t:g} min of the residents "
                    "({pop:.0f} people): propose candidates nearer to them, or raise "
                    "THRESHOLD_MIN."
                ).format(n=len(inputs.cand.ids), t=threshold, pop=result.total_pop)
            )
        elif not result.chosen:
            feedback.pushWarning(
                tr(
                    "No candidate site brings anyone more within {t:g} min: the {pop:.0f} people "
                    "still beyond the threshold are out of reach of every candidate (k = 0). "
                    "Propose candidates nearer to them (see the population still too far)."
                ).format(t=threshold, pop=result.total_pop - result.base_pop)
            )
        for k, choice in enumerate(result.chosen, 1):
            feedback.pushInfo(
                tr("Site {k}: {cand}, +{gain:.0f} people, {share:.1f} % within {t:g} min.").format(
                    k=k,
                    cand=inputs.cand.ids[choice.candidate],
                    gain=choice.gain_pop,
                    share=choice.covered_share,
                    t=threshold,
                )
            )
        if result.stats:
            feedback.pushInfo(
                tr(
                    "Travel-time trees built: {trees} for {n} candidates ({pruned} out of reach "
                    "of the residents not yet covered), on {workers} processes."
                ).format(n=len(inputs.cand.ids), **result.stats)
            )
        if result.stop == siting.STOP_NO_GAIN and result.chosen:
            feedback.pushInfo(tr("No other candidate brings anyone more within the threshold."))
