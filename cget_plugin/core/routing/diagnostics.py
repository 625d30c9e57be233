"""What a user should know about a graph and the points attached to it: the summary and
connected pieces of the network, points beyond the snapping tolerance, points on small isolated
pieces. Messages go to the Processing feedback; nothing here changes a result.
"""

from __future__ import annotations

from typing import Sequence, Tuple

import numpy as np

from ..errors import InputError
from ..i18n import tr
from .graph import RoadGraph, Snap

#: a component holding less than this share of the nodes is a "small isolated piece"
SMALL_COMPONENT_SHARE = 0.05


def report_graph(graph: RoadGraph, feedback) -> None:
    """Summary of the graph and of its connected components, into the feedback."""
    used = np.zeros(graph.n_nodes, bool)
    used[graph.rows] = True
    used[graph.cols] = True
    comps = np.unique(graph.component[used]) if used.any() else np.array([], int)
    n_comp = len(comps)
    biggest = graph.component_size.max() if len(graph.component_size) else 0
    share = 100.0 * biggest / max(graph.n_nodes, 1)
    feedback.pushInfo(
        tr(
            "Road network {name}: profile {profile}, {nodes} nodes, {edges} directed edges, "
            "built in {sec:.1f} s."
        ).format(
            name=graph.layer_name,
            profile=graph.profile_label,
            nodes=graph.n_nodes,
            edges=graph.n_edges,
            sec=graph.build_seconds,
        )
    )
    feedback.pushInfo(
        tr("{n} connected pieces; the largest holds {share:.1f} % of the nodes.").format(
            n=n_comp, share=share
        )
    )
    if graph.stats.get("features_forbidden"):
        feedback.pushInfo(
            tr("{n} road sections are not usable for this mode and were left out.").format(
                n=graph.stats["features_forbidden"]
            )
        )


def report_small_components(graph: RoadGraph, snaps: Snap, labels, feedback, what: str) -> int:
    """Warn about points attached to a small isolated piece of the network."""
    if feedback is None or not len(snaps.part):
        return 0
    ok = snaps.part >= 0
    if not ok.any():
        return 0
    comp = graph.component[graph.part_u[snaps.part[ok]]]
    small = graph.component_size[comp] < SMALL_COMPONENT_SHARE * graph.n_nodes
    idx = np.nonzero(ok)[0][small]
    if len(idx):
        names = ", ".join(str(labels[i]) for i in idx[:10])
        more = "…" if len(idx) > 10 else ""
        feedback.reportError(
            tr(
                "{n} {what} are attached to a small isolated piece of the road network "
                "(fewer than {share} % of the nodes), so their times may be cut short: "
                "{names}{more}. Check the network around them."
            ).format(
                n=len(idx),
                what=what,
                share=int(SMALL_COMPONENT_SHARE * 100),
                names=names,
                more=more,
            )
        )
    return len(idx)


def report_unsnapped(feedback, ids: Sequence, dist: Sequence[float], tolerance: float, what):
    """List (the first ten of) the points farther than ``tolerance`` from the network."""
    if not len(ids):
        return
    shown = ", ".join(f"{i} ({d:.0f} m)" for i, d in list(zip(ids, dist))[:10])
    more = "…" if len(ids) > 10 else ""
    feedback.reportError(
        tr(
            "{n} {what} are farther than {tol:.0f} m from the road network and were not "
            "computed (see the non raccordés output): {list}{more}. Raise SNAP_TOLERANCE_M or "
            "check their position."
        ).format(n=len(ids), what=what, tol=tolerance, list=shown, more=more)
    )


def snap_points(
    graph: RoadGraph, xy, ids: Sequence, tolerance: float, feedback, what: str, none_message: str
) -> Tuple[Snap, np.ndarray]:
    """Attach points to the network and say which could not be: ``(snaps, unsnapped
    indices)``. Refuses (``none_message``, formatted with ``tol`` and ``name``) when no point
    is within ``tolerance``."""
    snaps = graph.snap(xy, tolerance)
    bad = np.nonzero(snaps.part < 0)[0]
    report_unsnapped(feedback, [ids[i] for i in bad], snaps.dist[bad], tolerance, what)
    if len(bad) == len(ids):
        raise InputError(none_message.format(tol=tolerance, name=graph.layer_name))
    report_small_components(graph, snaps, ids, feedback, what)
    return snaps, bad
