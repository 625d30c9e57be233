"""Session cache of road graphs: a second run on the same network does not rebuild it.

Graphs are keyed by the network's source (file and layer inside it), size, modification time
and the build parameters (see :func:`cache_key`), whatever carried the network (path, layer id,
layer object); a layer's cached graphs are dropped when it is edited, and when it is destroyed
unless they come from a file.
"""

from __future__ import annotations

import os
from collections import OrderedDict
from typing import Dict, Optional, Tuple

from qgis.core import QgsProviderRegistry
from qgis.PyQt.QtCore import QCoreApplication

from ..i18n import tr
from .building import build_graph, check_network_layer
from .graph import NODE_TOLERANCE_M, RoadGraph

CACHE_SIZE = 4

_CACHE: OrderedDict[tuple, RoadGraph] = OrderedDict()
CACHE_STATS = {"hits": 0, "builds": 0}
_WATCHED = set()


def _source_of(layer) -> tuple:
    """The file and the layer inside it (path, layer name or id) of a file-backed layer;
    ``(source, None)`` otherwise. A path, a project layer or a layer object on the same file
    give the same answer."""
    source = layer.source()
    parts = QgsProviderRegistry.instance().decodeUri(layer.providerType(), source) or {}
    path = parts.get("path") or source.split("|")[0]
    if not os.path.isfile(path):
        return (source, None)
    inner = parts.get("layerName") or parts.get("layerId")
    return (os.path.realpath(path), "" if inner is None else str(inner))


def _file_stamp(path: str) -> tuple:
    st = os.stat(path)
    stamp = (st.st_mtime_ns, st.st_size)
    # GeoPackage writes may go to the -wal file first
    wal = path + "-wal"
    if os.path.exists(wal):
        st = os.stat(wal)
        stamp += (st.st_mtime_ns, st.st_size)
    return stamp


def _source_stamp(layer) -> tuple:
    source, inner = _source_of(layer)
    stamp = _file_stamp(source) if inner is not None else ()
    extent = layer.extent()
    return (
        source,
        inner,
        layer.subsetString(),
        layer.featureCount(),
        stamp,
        round(extent.xMinimum(), 6),
        round(extent.yMinimum(), 6),
        round(extent.xMaximum(), 6),
        round(extent.yMaximum(), 6),
    )


def cache_key(layer, profile_name, mode, speed_field, default_speed) -> tuple:
    # Keyed by the data source, not the layer id: a script or a model that gives the network
    # as a path (a new temporary layer each run) still finds its graph. Memory layers have a
    # unique uid in their source.
    return (
        _source_stamp(layer),
        layer.crs().authid(),
        profile_name or "auto",
        mode,
        speed_field or "",
        float(default_speed or 0.0),
        NODE_TOLERANCE_M,
    )


def _file_backed(key: tuple) -> bool:
    return key[0][1] is not None


# key -> id of the last layer that asked for it (its edits drop the graph)
_KEY_LAYERS: Dict[tuple, str] = {}


def _forget_layer(layer_id, destroyed=False):
    """Drop the graphs built from ``layer_id``. When the layer is only destroyed, graphs of a
    file stay: their key holds the file's size and modification time, and the temporary layer
    that a path gives each run is destroyed at the end of the run."""
    for key in [k for k, lid in _KEY_LAYERS.items() if lid == layer_id]:
        _KEY_LAYERS.pop(key, None)
        if not (destroyed and _file_backed(key)):
            _CACHE.pop(key, None)


def _on_application_thread(layer) -> bool:
    """Whether ``layer`` lives in the application's thread (a project's layer). The temporary
    layers a run makes in a worker thread are not watched: Python slots connected there would
    be left behind in that thread when QGIS moves and destroys the layers, and such layers
    die with the run anyway (a file's graph is keyed by its size and modification time)."""
    app = QCoreApplication.instance()
    try:
        return app is not None and layer.thread() == app.thread()
    except (AttributeError, RuntimeError):
        return False


def _watch(layer):
    """Drop the cached graphs of a layer when it is edited (best effort)."""
    lid = layer.id()
    if lid in _WATCHED or not _on_application_thread(layer):
        return
    try:
        # afterCommitChanges: edits saved from QGIS (dataChanged is not emitted on 3.22)
        for signal in (layer.afterCommitChanges, layer.dataChanged, layer.subsetStringChanged):
            signal.connect(lambda *_, lid=lid: _forget_layer(lid))
        layer.destroyed.connect(
            lambda *_, lid=lid: (_forget_layer(lid, destroyed=True), _WATCHED.discard(lid))
        )
        _WATCHED.add(lid)
    except (AttributeError, RuntimeError, TypeError):
        pass


def _remember(key, graph, layer) -> None:
    _CACHE[key] = graph
    _CACHE.move_to_end(key)
    _KEY_LAYERS[key] = layer.id()
    while len(_CACHE) > CACHE_SIZE:
        old, _ = _CACHE.popitem(last=False)
        _KEY_LAYERS.pop(old, None)
    _watch(layer)


def get_graph(
    layer,
    profile_name: str = "auto",
    mode: str = "car",
    speed_field: str = "",
    default_speed: Optional[float] = None,
    feedback=None,
    transform_context=None,
) -> Tuple[RoadGraph, bool]:
    """The graph of ``layer`` for these parameters, from the session cache when it is there.

    Returns ``(graph, from_cache)``. A layer with unsaved edits is never cached."""
    check_network_layer(layer)
    editing = layer.isEditable() and layer.isModified()
    key = cache_key(layer, profile_name, mode, speed_field, default_speed)
    if not editing and key in _CACHE:
        CACHE_STATS["hits"] += 1
        graph = _CACHE[key]
        _remember(key, graph, layer)  # this layer's edits now drop it
        if feedback is not None:
            feedback.pushInfo(
                tr("Road network {name}: graph reused from this session's cache.").format(
                    name=graph.layer_name
                )
            )
        return graph, True
    graph = build_graph(
        layer, profile_name, mode, speed_field, default_speed, feedback, transform_context
    )
    CACHE_STATS["builds"] += 1
    if not editing:
        _remember(key, graph, layer)
    return graph, False


def clear_cache() -> None:
    _CACHE.clear()
    _KEY_LAYERS.clear()
