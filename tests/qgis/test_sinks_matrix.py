"""Issue 15: every feature reaches every sink. Each algorithm x each of its vector outputs x
{memory, GeoPackage, Shapefile, CSV}, from GeoPackage inputs (their ``fid`` field) and from
memory copies of them: the same counts and the same attributes everywhere, no ordinary field
named like a primary key, and a sink that refuses a feature stops the run naming the output."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GPKG = REPO / "resources" / "sample" / "cget_sample.gpkg"
FORMATS = ("memory", "gpkg", "shp", "csv")
INPUTS = ("gpkg", "memory")


def _uri(name):
    return f"{GPKG}|layername={name}"


def _source(name, kind):
    """A sample layer as a GeoPackage URI, or a memory copy keeping every field (``fid``)."""
    if kind == "gpkg":
        return _uri(name)
    from qgis.core import QgsFeatureRequest, QgsVectorLayer

    layer = QgsVectorLayer(_uri(name), name, "ogr").materialize(QgsFeatureRequest())
    assert layer.fields().lookupField("fid") >= 0
    return layer


# algorithm id, its vector outputs, its parameters from an input kind; the snap tolerances
# are small so that the "non raccordés" outputs hold rows too
CASES = {
    "isochrones": (
        "cget:isochrones",
        ("OUTPUT", "UNSNAPPED"),
        lambda kind: {
            "INPUT": _source("mairies", kind),
            "ID_FIELD": "code_insee",
            "NETWORK": _uri("troncon_de_route"),
            "BANDS_MIN": "5,10",
            "OUTPUT_MODE": "per_origin",
            "RAW_OUTLINES": True,
            "SNAP_TOLERANCE_M": 12,  # 10 town halls within 12 m of a road, 8 beyond
        },
    ),
    "accesstime": (
        "cget:accesstime",
        ("OUTPUT", "OUTPUT_TABLE", "UNSNAPPED"),
        lambda kind: {
            "FACILITIES": _source("france_services", kind),
            "ID_FIELD": "id_fs",
            "POPULATION": _source("carreaux_200m", kind),
            "POP_FIELD": "ind",
            "ZONES": _source("qpv", kind),
            "ZONE_FIELD": "code_qp",
            "NETWORK": _uri("troncon_de_route"),
            "THRESHOLDS_MIN": "10,20",
            "SNAP_TOLERANCE_M": 60,
        },
    ),
    "locateaddresses": (
        "cget:locateaddresses",
        ("OUTPUT",),
        lambda kind: {
            "INPUT": _source("mairies", kind),
            "ZONES": _source("qpv", kind),
            "ZONE_CODE_FIELD": "code_qp",
        },
    ),
    "siting": (
        "cget:siting",
        ("OUTPUT", "OUTPUT_TABLE", "OUTPUT_UNSERVED", "OUTPUT_CRITICAL"),
        lambda kind: {
            "FACILITIES": _source("france_services", kind),
            "ID_FIELD": "id_fs",
            "CANDIDATES": _source("mairies", kind),
            "CANDIDATE_ID_FIELD": "code_insee",
            "POPULATION": _source("carreaux_200m", kind),
            "POP_FIELD": "ind",
            "NETWORK": _uri("troncon_de_route"),
            "THRESHOLD_MIN": 10,
            "NEW_SITES": 3,
        },
    ),
    # the source of cget:loadgeography is a file: GeoPackage only
    "loadgeography_points": (
        "cget:loadgeography",
        ("OUTPUT",),
        lambda kind: {"GEOGRAPHY": "france_services", "SOURCE": _uri("france_services")},
    ),
    "loadgeography_polygons": (
        "cget:loadgeography",
        ("OUTPUT",),
        lambda kind: {"GEOGRAPHY": "communes", "SOURCE": _uri("communes")},
    ),
}
FILE_ONLY = {"loadgeography_points", "loadgeography_polygons"}

_REFERENCE = {}


def _value(value):
    """A comparable form of an attribute whatever the format (CSV holds text)."""
    from cget_plugin.core.definitions import is_null

    if is_null(value) or value == "":
        return None
    if hasattr(value, "toString") and hasattr(value, "isValid"):  # QDate, QDateTime
        value = value.toString("yyyy-MM-dd")
    if isinstance(value, bool):
        value = int(value)
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value).strip()
    return round(number, 3) if math.isfinite(number) else str(value)


def _table(layer, fmt):
    """``(field names, rows, geometries)`` of an output; the GeoPackage's key left out."""
    skip = {0} if fmt == "gpkg" else set()
    if fmt == "gpkg":
        assert layer.fields().at(0).name() == "fid"
    names = [f.name() for i, f in enumerate(layer.fields()) if i not in skip]
    rows, shapes = [], []
    for feat in layer.getFeatures():
        attrs = feat.attributes()
        rows.append([_value(v) for i, v in enumerate(attrs) if i not in skip])
        geom = feat.geometry()
        if geom is not None and not geom.isEmpty():
            c = geom.centroid().asPoint()
            shapes.append((c.x(), c.y(), geom.area()))
        else:
            shapes.append(None)
    return names, rows, shapes


def _run(run_alg, case, kind, fmt, folder):
    from qgis.core import QgsVectorLayer

    alg, outputs, params = CASES[case]
    params = params(kind)
    for out in outputs:
        if fmt == "memory":
            params[out] = "TEMPORARY_OUTPUT"
        else:
            params[out] = str(folder / f"{case}_{kind}_{out.lower()}.{fmt}")
    result = run_alg(alg, params)
    tables = {}
    for out in outputs:
        value = result[out]
        layer = value if isinstance(value, QgsVectorLayer) else QgsVectorLayer(value, out, "ogr")
        assert layer.isValid(), (case, out, fmt)
        tables[out] = _table(layer, fmt)
    return tables


def _reference(run_alg, case, tmp_path_factory):
    """GeoPackage input, temporary outputs: what every other combination must hold."""
    if case not in _REFERENCE:
        _REFERENCE[case] = _run(run_alg, case, "gpkg", "memory", tmp_path_factory.mktemp(case))
        for out, (names, rows, _shapes) in _REFERENCE[case].items():
            assert rows, f"{case} {out}: the reference output is empty (the test would be void)"
            assert not {n.lower() for n in names} & {"fid", "ogc_fid"}, (case, out, names)
    return _REFERENCE[case]


def _same_shapes(shapes, ref_shapes) -> bool:
    """Same centroids within 1 m and areas within 0.1 %, feature by feature (formats store
    coordinates with their own precision)."""
    for shape, ref in zip(shapes, ref_shapes):
        if (shape is None) != (ref is None):
            return False
        if shape is not None and not (
            abs(shape[0] - ref[0]) < 1
            and abs(shape[1] - ref[1]) < 1
            and abs(shape[2] - ref[2]) <= 1e-3 * ref[2] + 1e-6
        ):
            return False
    return len(shapes) == len(ref_shapes)


def _same_name(name, ref, fmt):
    if fmt == "shp":  # 10 characters, laundered when two truncate alike (nom_offi_1)
        return name.lower()[:5] == ref.lower()[:5]
    return name == ref


MATRIX = [
    (case, kind, fmt)
    for case in sorted(CASES)
    for kind in INPUTS
    if not (kind == "memory" and case in FILE_ONLY)
    for fmt in FORMATS
]


@pytest.mark.parametrize(("case", "kind", "fmt"), MATRIX)
def test_every_feature_reaches_every_sink(run_alg, tmp_path_factory, case, kind, fmt):
    reference = _reference(run_alg, case, tmp_path_factory)
    tables = _run(run_alg, case, kind, fmt, tmp_path_factory.mktemp(f"{case}_{kind}_{fmt}"))
    for out, (names, rows, shapes) in tables.items():
        ref_names, ref_rows, ref_shapes = reference[out]
        where = f"{case} from {kind} input, {out} to {fmt}"
        assert len(rows) == len(ref_rows), f"{where}: {len(rows)} features, not {len(ref_rows)}"
        assert len(names) == len(ref_names), f"{where}: fields {names} against {ref_names}"
        assert all(_same_name(n, r, fmt) for n, r in zip(names, ref_names)), (where, names)
        assert rows == ref_rows, f"{where}: other attributes"
        if fmt != "csv":  # CSV outputs hold no geometry
            assert _same_shapes(shapes, ref_shapes), f"{where}: other geometries"


def test_per_origin_repeats_the_input_fid_once_per_band(run_alg, tmp_path_factory):
    """The case of issue 15: the origin's fid is repeated on each of its bands, which a
    GeoPackage refused as its key; it is now the ordinary field fid_src."""
    names, rows, _ = _reference(run_alg, "isochrones", tmp_path_factory)["OUTPUT"]
    fid_src = [row[names.index("fid_src")] for row in rows]
    assert len(set(fid_src)) == 10 and len(fid_src) == 20


def test_key_safe_fields_renames_only_key_names(qgis_app):
    from qgis.core import QgsFields

    from cget_plugin.compat import make_field
    from cget_plugin.processing.sinks import key_safe_fields

    fields = QgsFields()
    for name in ("FID", "fid_src", "ogc_fid", "name", "fidelity"):
        fields.append(make_field(name, "string"))
    out = key_safe_fields(fields)
    assert [f.name() for f in out] == ["FID_src2", "fid_src", "ogc_fid_src", "name", "fidelity"]


def test_a_refused_feature_stops_the_run_naming_the_output_and_the_reason(tmp_path, qgis_app):
    """A real GeoPackage sink given a repeated key (what happened before the renaming): the
    second feature raises with GDAL's reason instead of being dropped."""
    from qgis.core import (
        QgsCoordinateReferenceSystem,
        QgsFeature,
        QgsFields,
        QgsProcessingContext,
        QgsProcessingUtils,
    )

    from cget_plugin import compat
    from cget_plugin.core.errors import DataError
    from cget_plugin.processing.sinks import OutputSink

    fields = QgsFields()
    fields.append(compat.make_field("fid", "int"))
    path = str(tmp_path / "refused.gpkg")
    sink, _dest = QgsProcessingUtils.createFeatureSink(
        path, QgsProcessingContext(), fields, compat.WKB_NOGEOMETRY, QgsCoordinateReferenceSystem()
    )
    checked = OutputSink(sink, fields, "Isochrones", path)
    feats = []
    for _ in range(2):
        feat = QgsFeature(fields)
        feat.setAttributes([7])
        feats.append(feat)
    try:
        checked.add(feats[0])
        with pytest.raises(DataError) as err:
            checked.add(feats[1])
        message = str(err.value)
    finally:
        # the GDAL writer closed now, not after QGIS has shut GDAL down (3.44 crashed there)
        del checked, sink
        err = None
    assert "“Isochrones”" in message and path in message and "after 1 written" in message
    assert "UNIQUE" in message
