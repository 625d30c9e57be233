"""The layers of ``cget:siting``: chosen sites, coverage curve, population still too far and
indispensable existing sites, each with its provenance, French names and style."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFields,
)

from .. import compat
from ..core.errors import CancelledError
from ..core.i18n import tr
from ..core.routing import coverage
from ..core.routing.population import PopulationUnits
from .routing_common import Points, Unsnapped, fields_with
from .sinks import create_sink
from .styles import style_path, write_graduated_style


@dataclass
class SitingInputs:
    pop_layer: object = None
    units: Optional[PopulationUnits] = None
    samples: object = None
    cand: Optional[Points] = None
    cand_fields: Optional[QgsFields] = None
    cand_crs: object = None
    cand_snap: object = None
    fac: Optional[Points] = None
    fac_crs: object = None
    fac_snap: object = None
    unsnapped: List[Unsnapped] = field(default_factory=list)


class ProgressRange:
    """A feedback whose 0..100 progress lands in ``lo..hi`` of the run's."""

    def __init__(self, feedback, lo: float, hi: float):
        self.feedback, self.lo, self.hi = feedback, lo, hi

    def setProgress(self, value):
        self.feedback.setProgress(self.lo + (self.hi - self.lo) * float(value) / 100.0)

    def isCanceled(self):
        return self.feedback.isCanceled()

    def pushInfo(self, text):
        self.feedback.pushInfo(text)


def proposal_label(rank: int) -> str:
    """The label of a chosen site on the map: "Proposition n° 1"."""
    return tr("Proposal no. {rank}", on_map=True).format(rank=rank)


def scenario_subtitle(threshold, n_sites: int) -> str:
    """Subtitle of the scenario map (one line): how many sites, for which threshold."""
    if n_sites == 1:
        text = tr("1 proposed site, threshold {t:g} min", on_map=True)
    else:
        text = tr("{n} proposed sites, threshold {t:g} min", on_map=True)
    return text.format(n=n_sites, t=float(threshold))


def _round(value, digits=1):
    return round(float(value), digits) if value is not None and np.isfinite(value) else None


class SitingWriter:
    def __init__(self, alg, parameters, context, feedback, provenance, threshold):
        self.alg, self.parameters, self.context = alg, parameters, context
        self.feedback, self.provenance, self.threshold = feedback, provenance, threshold

    def _sink(self, name, fields, wkb_type, crs):
        """A checked sink (every feature reaches it or the run stops); build features on its
        ``fields`` (an input's ``fid`` becomes ``fid_src``)."""
        return create_sink(self.alg, self.parameters, name, self.context, fields, wkb_type, crs)

    def _decorate(self, dest, dataset, name, map_name, style, aliases=None):
        prov = dataclasses.replace(self.provenance, dataset=dataset)
        prov.parameters = {**self.provenance.parameters, "layer_name": name, "map_name": map_name}
        self.alg.decorate_output(
            dest, self.context, prov, style=style, layer_name=name, aliases=aliases
        )

    # -- chosen sites ----------------------------------------------------------------------
    def sites(self, inputs: SitingInputs, result) -> str:
        added = [
            ("rank", "int"),
            ("candidate_id", "string"),
            ("gain_pop", "double"),
            ("covered_pop", "double"),
            ("covered_share", "double"),
            ("proposition", "string"),
        ]
        fields, names = fields_with(inputs.cand_fields, added)
        wkb = inputs.cand.feats[0].geometry().wkbType()
        sink, dest = self._sink("OUTPUT", fields, wkb, inputs.cand_crs)
        for rank, choice in enumerate(result.chosen, 1):
            feat = QgsFeature(inputs.cand.feats[choice.candidate])
            attrs = feat.attributes()
            feat.setFields(sink.fields, False)
            feat.setAttributes(
                attrs
                + [
                    rank,
                    inputs.cand.ids[choice.candidate],
                    _round(choice.gain_pop),
                    _round(choice.covered_pop),
                    _round(choice.covered_share, 2),
                    proposal_label(rank),
                ]
            )
            sink.add(feat)
        sink.finish()
        aliases = dict(zip(names, self._site_aliases()))
        self._decorate(
            dest,
            tr("Proposed sites"),
            tr("Proposed sites"),
            tr("Proposed sites", on_map=True),
            "siting_sites.qml",
            aliases,
        )
        return dest

    def _site_aliases(self):
        return [
            tr("Rank"),
            tr("Candidate"),
            tr("Population gained"),
            tr("Population within the threshold"),
            tr("Share within the threshold (%)"),
            tr("Label"),
        ]

    # -- coverage curve --------------------------------------------------------------------
    def curve(self, inputs: SitingInputs, result) -> str:
        spec = [
            ("k", "int", tr("New sites")),
            ("candidate_id", "string", tr("Site added")),
            ("gain_pop", "double", tr("Population gained")),
            ("covered_pop", "double", tr("Population within the threshold")),
            ("covered_share", "double", tr("Share within the threshold (%)")),
        ]
        fields = QgsFields()
        for name, kind, _alias in spec:
            fields.append(compat.make_field(name, kind))
        sink, dest = self._sink(
            "OUTPUT_TABLE", fields, compat.WKB_NOGEOMETRY, QgsCoordinateReferenceSystem()
        )
        previous = None
        for k, covered, share in result.curve():
            cand = result.chosen[k - 1].candidate if k else None
            feat = QgsFeature(sink.fields)
            feat.setAttributes(
                [
                    k,
                    inputs.cand.ids[cand] if cand is not None else None,
                    _round(covered - previous) if previous is not None else None,
                    _round(covered),
                    _round(share, 2),
                ]
            )
            previous = covered
            sink.add(feat)
        sink.finish()
        name = tr("Coverage curve ({t:g} min)").format(t=self.threshold)
        self._decorate(dest, tr("Coverage curve"), name, name, None, {n: a for n, _k, a in spec})
        return dest

    # -- population still beyond the threshold ------------------------------------------------
    def unserved(self, inputs: SitingInputs, result) -> str:
        units = inputs.units
        snap = inputs.samples.snap
        attached = snap.part >= 0
        minutes = result.sample_minutes
        u_min, _org, share, u_dist = coverage.unit_summary(
            units, minutes, result.sample_origin, attached, snap.dist
        )
        # everyone of the unit not within the threshold (its unattached part included: units
        # entirely off the network go to the non raccordés layer instead)
        beyond_w = np.where(~(minutes <= self.threshold), units.sample_w, 0.0)
        beyond = np.bincount(units.sample_unit, weights=beyond_w, minlength=len(units.fids))
        fields, names = fields_with(
            inputs.pop_layer.fields(), [("minutes", "double"), ("pop_beyond", "double")]
        )
        layer = inputs.pop_layer
        sink, dest = self._sink("OUTPUT_UNSERVED", fields, layer.wkbType(), layer.crs())
        position = {int(fid): i for i, fid in enumerate(units.fids)}
        for n, feat in enumerate(layer.getFeatures()):
            if n % 5000 == 0 and self.feedback.isCanceled():
                raise CancelledError(tr("Cancelled during the siting computation."))
            i = position.get(int(feat.id()))
            if i is None:
                continue
            if share[i] <= 0:
                inputs.unsnapped.append(
                    Unsnapped(
                        tr("unit"),
                        str(feat.id()),
                        float(u_dist[i]),
                        tuple(units.rep_xy[i]),
                        float(units.pop[i]),
                    )
                )
                continue
            if beyond[i] <= 1e-9:
                continue
            attrs = feat.attributes()
            feat.setFields(sink.fields, False)
            feat.setAttributes(attrs + [_round(u_min[i]), _round(beyond[i])])
            sink.add(feat)
        sink.finish()
        geometry = "Polygon" if units.is_polygon else "Point"
        t = self.threshold
        classes = [
            (
                t,
                1.5 * t,
                tr("{lo} to {hi} min", on_map=True).format(lo=f"{t:g}", hi=f"{1.5 * t:g}"),
            ),
            (
                1.5 * t,
                2 * t,
                tr("{lo} to {hi} min", on_map=True).format(lo=f"{1.5 * t:g}", hi=f"{2 * t:g}"),
            ),
            (2 * t, 1e9, tr("more than {t} min", on_map=True).format(t=f"{2 * t:g}")),
        ]
        aliases = {
            names[0]: tr("Minutes to the nearest service"),
            names[1]: tr("Population beyond the threshold"),
        }
        style = write_graduated_style(
            style_path(f"siting_unserved_{geometry}_{t:g}.qml"),
            geometry,
            names[0],
            classes,
            aliases,
            sink.fields,
            fallback=f"access_time_{geometry.lower()}s.qml",
        )
        name = tr("Population beyond {t:g} min").format(t=t)
        self._decorate(
            dest,
            tr("Population beyond the threshold"),
            name,
            tr("Population beyond {t:g} min", on_map=True).format(t=t),
            style,
            aliases,
        )
        return dest

    # -- indispensable existing sites ----------------------------------------------------------
    def critical(self, inputs: SitingInputs, rows: List) -> str:
        spec = [
            ("rank", "int", tr("Rank")),
            ("facility_id", "string", tr("Service")),
            ("pop_served", "double", tr("Residents served")),
            ("pop_lost", "double", tr("Beyond the threshold if it closed")),
            ("minutes_mean", "double", tr("Mean time today (min)")),
            ("new_minutes_mean", "double", tr("Mean time if it closed (min)")),
            ("pop_stranded", "double", tr("Left without any service")),
        ]
        fields = QgsFields()
        for name, kind, _alias in spec:
            fields.append(compat.make_field(name, kind))
        wkb = inputs.fac.feats[0].geometry().wkbType()
        sink, dest = self._sink("OUTPUT_CRITICAL", fields, wkb, inputs.fac_crs)
        for rank, row in enumerate(rows, 1):
            feat = QgsFeature(sink.fields)
            feat.setGeometry(inputs.fac.feats[row.facility].geometry())
            feat.setAttributes(
                [
                    rank,
                    inputs.fac.ids[row.facility],
                    _round(row.pop_served),
                    _round(row.pop_lost),
                    _round(row.minutes_mean),
                    _round(row.new_minutes_mean),
                    _round(row.pop_stranded),
                ]
            )
            sink.add(feat)
        sink.finish()
        name = tr("Indispensable services ({t:g} min)").format(t=self.threshold)
        self._decorate(
            dest,
            tr("Indispensable services"),
            name,
            tr("Indispensable services", on_map=True),
            "france_services.qml",
            {n: a for n, _k, a in spec},
        )
        return dest
