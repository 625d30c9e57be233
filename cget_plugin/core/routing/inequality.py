"""Access inequalities per zone: population-weighted mean and median time to the nearest
service and the share of the population beyond each threshold, for each zone (QPV, commune,
EPCI) and, when reference zones are given (communes or EPCI), for the rest of the reference
zones around each zone (outside every zone), with the gap zone – rest.

So one table answers "are the priority neighbourhoods worse served than the rest of their
commune?". Figures are over the population attached to the network (the unattached part is
counted apart by :func:`coverage.coverage_table`); a resident who reaches no service counts as
beyond every threshold and is left out of the mean. :func:`access_table` joins both tables into
the one ``cget:accesstime`` writes.
"""

from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from ..errors import CancelledError
from ..i18n import tr
from .coverage import (
    AccessResult,
    coverage_table,
    persons,
    wkb_rings,
    zone_sample_weights,
    zone_weights,
)
from .coverage import (
    table_fields as coverage_fields,
)
from .coverage import (
    table_values as coverage_values,
)
from .population import PopulationUnits


def weighted_median(values: np.ndarray, weights: np.ndarray) -> float:
    """The value below which half the weight lies (inf values allowed; nan when no weight)."""
    keep = weights > 0
    if not keep.any():
        return float("nan")
    order = np.argsort(values[keep], kind="stable")
    v, w = values[keep][order], weights[keep][order]
    cum = np.cumsum(w)
    return float(v[np.searchsorted(cum, cum[-1] / 2.0 - 1e-12 * cum[-1])])


def stats(weights, minutes, attached, thresholds) -> Dict[str, Optional[float]]:
    """``pop``, ``minutes_mean``, ``minutes_median``, ``part_gt_<t>`` of the samples carrying
    ``weights`` (the population of a zone)."""
    w = np.where(attached, weights, 0.0)
    pop = float(w.sum())
    out: Dict[str, Optional[float]] = {"pop": round(pop, 1)}
    reach = attached & np.isfinite(minutes)
    if w[reach].sum() > 0:
        out["minutes_mean"] = round(float(np.average(minutes[reach], weights=w[reach])), 1)
    else:
        out["minutes_mean"] = None
    median = weighted_median(np.where(attached, minutes, np.inf), w)
    out["minutes_median"] = round(median, 1) if np.isfinite(median) else None
    for t in thresholds:
        beyond = float(w[~(minutes <= t)].sum())
        out[f"part_gt_{t}"] = round(100.0 * beyond / pop, 1) if pop > 0 else None
    return out


def _overlaps(box_a, box_b) -> bool:
    """Envelopes as OGR gives them: (xmin, xmax, ymin, ymax)."""
    return not (
        box_a[1] < box_b[0] or box_b[1] < box_a[0] or box_a[3] < box_b[2] or box_b[3] < box_a[2]
    )


def inequality_rows(
    units,
    sample_minutes: np.ndarray,
    attached: np.ndarray,
    thresholds: Sequence[int],
    zones: List[Tuple[str, bytes]],
    references: Optional[List[Tuple[str, bytes]]] = None,
    feedback=None,
    weights: Optional[List[np.ndarray]] = None,
) -> List[Dict[str, object]]:
    """One row per zone (after the overall row, label "Overall") with :func:`stats`, and with
    references the ``rest_*`` figures of the reference zones it touches, outside every zone,
    and the ``gap_*`` (zone – rest). ``weights``: the zones' ``coverage.zone_weights`` when
    already computed."""
    overall = {"zone": tr("Overall"), **stats(units.sample_w, sample_minutes, attached, thresholds)}
    rows = [overall]
    if weights is None:
        weights = zone_weights(units, zones, feedback)
    for (label, _wkb), w in zip(zones, weights):
        rows.append({"zone": label, **stats(w, sample_minutes, attached, thresholds)})
    if not references or not zones:
        return rows
    in_any_zone = np.minimum(np.sum(weights, axis=0), units.sample_w)
    ref_boxes = [wkb_rings(wkb)[1] for _label, wkb in references]
    ref_weights: Dict[int, np.ndarray] = {}
    for row, w, (_label, wkb) in zip(rows[1:], weights, zones):
        box = wkb_rings(wkb)[1]
        rest = np.zeros_like(units.sample_w)
        names = []
        for r, (ref_label, ref_wkb) in enumerate(references):
            if not _overlaps(box, ref_boxes[r]):
                continue
            if r not in ref_weights:
                _check(feedback, r)
                ref_weights[r] = zone_sample_weights(units, ref_wkb)
            if (ref_weights[r] * w).sum() <= 0:
                continue
            rest += ref_weights[r]
            names.append(ref_label)
        if not names:
            continue
        rest = np.clip(np.minimum(rest, units.sample_w) - in_any_zone, 0.0, None)
        figures = stats(rest, sample_minutes, attached, thresholds)
        row["rest_of"] = ", ".join(names)
        for key, value in figures.items():
            row[f"rest_{key}"] = value
        for key in ["minutes_mean", "minutes_median"] + [f"part_gt_{t}" for t in thresholds]:
            a, b = row.get(key), figures.get(key)
            row[f"gap_{key}"] = round(a - b, 1) if a is not None and b is not None else None
    return rows


def inequality_fields(thresholds: Sequence[int], with_rest: bool) -> List[Tuple[str, str, str]]:
    """``(name, type, French alias)`` of the columns :func:`inequality_rows` adds."""
    own = [
        ("minutes_mean", "double", tr("Mean time (min)")),
        ("minutes_median", "double", tr("Median time (min)")),
    ] + [(f"part_gt_{t}", "double", tr("Share beyond {t} min (%)").format(t=t)) for t in thresholds]
    if not with_rest:
        return own
    rest = [("rest_of", "string", tr("Compared with the rest of"))]
    rest += [("rest_pop", "int", tr("Population of the rest"))]
    rest += [(f"rest_{n}", k, tr("Rest: {what}").format(what=a)) for n, k, a in own]
    gap = [(f"gap_{n}", k, tr("Gap zone – rest: {what}").format(what=a)) for n, k, a in own]
    return own + rest + gap


def access_table(
    units: PopulationUnits,
    result: AccessResult,
    thresholds: Sequence[int],
    zones: List[Tuple[str, bytes]],
    references: Optional[List[Tuple[str, bytes]]] = None,
    exact_times: bool = True,
    feedback=None,
) -> List[Dict[str, object]]:
    """The table of ``cget:accesstime``: each row of ``coverage.coverage_table`` (overall, then
    each zone) with its :func:`inequality_rows` figures (columns of :func:`table_fields`).
    ``exact_times`` False (a remote router: each time is the smallest threshold holding the
    unit) leaves the means out: a mean of thresholds is no travel time."""
    weights = zone_weights(units, zones, feedback)
    rows = coverage_table(units, result, thresholds, zones, feedback, weights)
    extra = inequality_rows(
        units,
        result.sample_minutes,
        result.sample_snapped,
        thresholds,
        zones,
        references,
        feedback,
        weights,
    )
    for row, more in zip(rows, extra):
        for key, value in more.items():
            if key in ("zone", "pop") or (not exact_times and key.endswith("minutes_mean")):
                continue
            row[key] = value
    return rows


def table_fields(thresholds: Sequence[int], with_rest: bool) -> List[Tuple[str, str, str]]:
    """``(name, type, alias)`` of the columns of :func:`access_table`."""
    return coverage_fields(thresholds) + inequality_fields(thresholds, with_rest)


def _check(feedback, n):
    if feedback is not None and n % 20 == 0 and feedback.isCanceled():
        raise CancelledError(tr("Cancelled during the access-time computation."))


def table_values(
    row: Dict[str, object], thresholds: Sequence[int], columns: List[Tuple[str, str, str]]
) -> List[object]:
    """An :func:`access_table` row in ``columns`` (of :func:`table_fields`): the coverage
    columns as ``coverage.table_values`` gives them (whole persons, rows adding up), the other
    populations in whole persons too."""
    names = [name for name, _kind, _alias in coverage_fields(thresholds)]
    whole = dict(zip(names, coverage_values(row, thresholds)))
    return [
        whole[name] if name in whole else persons(row.get(name)) if kind == "int" else row.get(name)
        for name, kind, _alias in columns
    ]
