"""Every algorithm's vector outputs go through :func:`create_sink`: every feature reaches the
destination, or the run stops saying which output refused what (issue 15).

Two things used to lose features silently when an output went to a file:

- an input field named like the destination's primary key (a GeoPackage's ``fid``) copied as an
  ordinary field: the writer uses it as the key and refuses every repeated value. Such fields
  are renamed ``<name>_src`` whatever the format, so every format holds the same attributes;
- ``addFeature(s)`` results nobody read: the refusal went only to the log and the run reported
  success. Each result is checked here and a refusal raises with the sink's own reason.
"""

from __future__ import annotations

import os
from typing import Iterable, Optional, Tuple

from qgis.core import (
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingOutputLayerDefinition,
)

from ..core.definitions import PRIMARY_KEY_FIELDS, SOURCE_FIELD_SUFFIX
from ..core.errors import DataError, InputError
from ..core.i18n import tr

BATCH = 5000


def key_safe_fields(fields: QgsFields) -> QgsFields:
    """``fields`` with each one named like a primary key (``fid``, ``ogc_fid``, any case)
    renamed ``<name>_src`` (``_src2``… if taken); order, types and aliases kept."""
    taken = {f.name().lower() for f in fields}
    out = QgsFields()
    for field in fields:
        copy = QgsField(field)
        if field.name().lower() in PRIMARY_KEY_FIELDS:
            base = field.name() + SOURCE_FIELD_SUFFIX
            name, n = base, 1
            while name.lower() in taken:
                n += 1
                name = f"{base}{n}"
            taken.add(name.lower())
            copy.setName(name)
        out.append(copy)
    return out


class OutputSink:
    """A Processing sink whose every write is checked. ``fields`` are the output's fields
    (build features on them); ``count`` the features written so far."""

    def __init__(self, sink, fields: QgsFields, label: str, destination: str):
        self._sink = sink
        self.fields = fields
        self.label = label
        self.destination = destination
        self.count = 0

    def add(self, feature) -> None:
        self._check(self._sink.addFeature(feature, QgsFeatureSink.Flag.FastInsert))
        self.count += 1

    def add_all(self, features) -> None:
        features = list(features)
        if features:
            self._check(self._sink.addFeatures(features, QgsFeatureSink.Flag.FastInsert))
            self.count += len(features)

    def write(self, features: Iterable) -> int:
        """Every feature of ``features`` (in batches), then :meth:`finish`; the count."""
        batch = []
        for feature in features:
            batch.append(feature)
            if len(batch) >= BATCH:
                self.add_all(batch)
                batch = []
        self.add_all(batch)
        self.finish()
        return self.count

    def finish(self) -> None:
        """Flush what the sink may have buffered (checked like the writes)."""
        self._check(self._sink.flushBuffer())

    def _check(self, ok: bool) -> None:
        if ok:
            return
        reason = ""
        if hasattr(self._sink, "lastError"):
            reason = self._sink.lastError() or ""
        raise DataError(
            tr(
                "The output “{output}” ({destination}) refused a feature after {count} written: "
                "{reason}. The run was stopped rather than leave features out: choose another "
                "destination or format."
            ).format(
                output=self.label,
                destination=self.destination,
                count=self.count,
                reason=reason or tr("no reason given by the destination"),
            )
        )


def create_sink(
    alg, parameters, name: str, context, fields: QgsFields, wkb_type, crs, optional=False
) -> Tuple[Optional[OutputSink], Optional[str]]:
    """``(sink, destination id)`` of the output ``name`` with :func:`key_safe_fields`. An
    output that cannot be created is refused, except an ``optional`` one not asked for
    (``(None, None)``)."""
    fields = key_safe_fields(fields)
    sink, dest_id = alg.parameterAsSink(parameters, name, context, fields, wkb_type, crs)
    definition = alg.parameterDefinition(name)
    label = definition.description() if definition is not None else name
    if sink is None:
        if optional:
            return None, None
        raise InputError(
            tr(
                "The output “{output}” ({name}) could not be created: check its destination."
            ).format(output=label, name=name)
        )
    dest_id = _table_in_dbf(dest_id, context)
    return OutputSink(sink, fields, label, _destination_text(parameters.get(name))), dest_id


def _table_in_dbf(dest_id: str, context) -> str:
    """A table without geometry asked as ``.shp`` is written by GDAL as the ``.dbf`` alone,
    while Processing names the ``.shp``: scripts and the project get the file that exists."""
    if not dest_id.lower().endswith(".shp"):
        return dest_id
    dbf = dest_id[:-4] + ".dbf"
    if os.path.exists(dest_id) or not os.path.exists(dbf):
        return dest_id
    layers = context.layersToLoadOnCompletion()
    if dest_id in layers:
        layers[dbf] = layers.pop(dest_id)
        context.setLayersToLoadOnCompletion(layers)
    return dbf


def _destination_text(value) -> str:
    """The file or URI an output parameter names, for messages. Not through
    ``parameterAsOutputLayer``: that would register the layer to load a second time."""
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink.staticValue()
    text = str(value or "")
    if not text or text.startswith(("memory:", QgsProcessing.TEMPORARY_OUTPUT)):
        return tr("temporary layer")
    return text
