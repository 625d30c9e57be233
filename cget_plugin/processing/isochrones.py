"""``cget:isochrones``: travel-time bands around origins (local engine or remote routers).

Thin: parameters in, ``core.routing`` calls, polygons out. Shared parameter helpers for
``cget:accesstime`` live here too.
"""

from __future__ import annotations

import os
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsCsException,
    QgsFeature,
    QgsFeatureRequest,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProject,
)

from .. import compat
from ..core import provenance as prov_mod
from ..core.errors import CancelledError, InputError
from ..core.i18n import tr
from ..core.paths import cache_dir
from ..core.routing import coverage, isochrones, network
from ..core.routing import profiles as prof
from .base import CgetAlgorithm

BACKENDS = ("local", "ign", "ors", "valhalla")
NETWORK_PROFILES = ("auto", "bdtopo", "osm", "generic", "bdtopo2")
DEFAULT_SNAP_TOLERANCE_M = 500.0
# Sequential single hue (ColorBrewer Blues, colour-blind and print safe): darkest = shortest
# time. The palest class of each scheme is never used: at 70 % opacity it vanishes on white.
BLUES = {
    2: ["#3182bd", "#9ecae1", "#deebf7"],
    3: ["#2171b5", "#6baed6", "#bdd7e7", "#eff3ff"],
    4: ["#08519c", "#3182bd", "#6baed6", "#bdd7e7", "#eff3ff"],
    5: ["#08519c", "#3182bd", "#6baed6", "#9ecae1", "#c6dbef", "#eff3ff"],
    6: ["#084594", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef", "#eff3ff"],
    7: ["#084594", "#2171b5", "#4292c6", "#6baed6", "#9ecae1", "#c6dbef", "#deebf7", "#f7fbff"],
    8: [
        "#08306b",
        "#08519c",
        "#2171b5",
        "#4292c6",
        "#6baed6",
        "#9ecae1",
        "#c6dbef",
        "#deebf7",
        "#f7fbff",
    ],
}
BAND_COLOURS = BLUES[4][:4]
BAND_OPACITY = 0.7


def band_colours(k: int) -> List[str]:
    """``k`` colours, darkest first: the ColorBrewer Blues scheme of ``k + 1`` classes without
    its palest class (``BLUES[k]``); from 7 bands on, interpolated from the darkest blue to
    #c6dbef (paler classes vanish at 70 % opacity on white paper)."""
    if k <= 0:
        return []
    if k == 1:
        return [BLUES[2][0]]
    if k in BLUES and k <= 6:
        return BLUES[k][:k]
    from qgis.PyQt.QtGui import QColor

    ref = BLUES[8][:7]
    out = []
    for i in range(k):
        pos = i * (len(ref) - 1) / (k - 1)
        lo = int(pos)
        hi = min(lo + 1, len(ref) - 1)
        a, b, f = QColor(ref[lo]), QColor(ref[hi]), pos - lo
        mix = QColor(
            round(a.red() + (b.red() - a.red()) * f),
            round(a.green() + (b.green() - a.green()) * f),
            round(a.blue() + (b.blue() - a.blue()) * f),
        )
        out.append(mix.name())
    return out


# ---------------------------------------------------------------------------------------------
# Parameters shared by cget:isochrones and cget:accesstime


def add_engine_parameters(alg, direction_default: str) -> None:
    """BACKEND, NETWORK, NETWORK_PROFILE, SPEED_FIELD, DEFAULT_SPEED_KMH, MODE, DIRECTION."""
    p = QgsProcessingParameterEnum(
        "BACKEND", tr("Routing engine"), options=list(BACKENDS), defaultValue="local"
    )
    p.setUsesStaticStrings(True)
    alg.addParameter(p)
    alg.addParameter(
        QgsProcessingParameterVectorLayer(
            "NETWORK",
            tr("Road network (lines; local engine)"),
            types=[compat.SOURCE_VECTOR_LINE],
            optional=True,
        )
    )
    p = QgsProcessingParameterEnum(
        "NETWORK_PROFILE",
        tr("Network profile"),
        options=list(NETWORK_PROFILES),
        defaultValue="auto",
    )
    p.setUsesStaticStrings(True)
    alg.addParameter(p)
    p = QgsProcessingParameterField(
        "SPEED_FIELD",
        tr("Speed field (km/h; generic profile)"),
        parentLayerParameterName="NETWORK",
        type=compat.FIELD_NUMERIC,
        optional=True,
    )
    p.setFlags(p.flags() | compat.PARAM_FLAG_ADVANCED)
    alg.addParameter(p)
    p = QgsProcessingParameterNumber(
        "DEFAULT_SPEED_KMH",
        tr("Default speed (km/h; generic profile)"),
        type=compat.NUMBER_DOUBLE,
        minValue=0.0,
        optional=True,
    )
    p.setFlags(p.flags() | compat.PARAM_FLAG_ADVANCED)
    alg.addParameter(p)
    p = QgsProcessingParameterEnum(
        "MODE", tr("Travel mode"), options=list(prof.MODES), defaultValue="car"
    )
    p.setUsesStaticStrings(True)
    alg.addParameter(p)
    p = QgsProcessingParameterEnum(
        "DIRECTION",
        tr("Direction"),
        options=list(prof.DIRECTIONS),
        defaultValue=direction_default,
    )
    p.setUsesStaticStrings(True)
    alg.addParameter(p)


def add_grid_parameters(alg, off_network: bool = True) -> None:
    """SNAP_TOLERANCE_M, CELL_SIZE_M, OFF_NETWORK_M (0 = default of the mode)."""
    alg.addParameter(
        QgsProcessingParameterNumber(
            "SNAP_TOLERANCE_M",
            tr("Maximum distance to the network (m)"),
            type=compat.NUMBER_DOUBLE,
            minValue=0.0,
            defaultValue=DEFAULT_SNAP_TOLERANCE_M,
        )
    )
    grid = [("CELL_SIZE_M", tr("Cell size (m; 0 = default of the mode)"))]
    if off_network:
        grid.append(
            ("OFF_NETWORK_M", tr("Off-network walking distance (m; 0 = default of the mode)"))
        )
    for name, label in grid:
        p = QgsProcessingParameterNumber(
            name, label, type=compat.NUMBER_DOUBLE, minValue=0.0, defaultValue=0.0
        )
        p.setFlags(p.flags() | compat.PARAM_FLAG_ADVANCED)
        alg.addParameter(p)


def add_unsnapped_sink(alg) -> None:
    alg.addParameter(
        QgsProcessingParameterFeatureSink(
            "UNSNAPPED",
            tr("Not attached to the network (non raccordés)"),
            type=compat.SOURCE_VECTOR_POINT,
            optional=True,
            # Not created when every point is attached (no empty layer in the dialog's
            # results); created and loaded anyway when some are left out (see below).
            createByDefault=False,
        )
    )


class EngineSettings:
    """The engine parameters read from a run, with the mode defaults applied."""

    def __init__(self, alg, parameters, context):
        self.backend = alg.parameterAsEnumString(parameters, "BACKEND", context) or "local"
        self.network = alg.parameterAsVectorLayer(parameters, "NETWORK", context)
        self.profile = alg.parameterAsEnumString(parameters, "NETWORK_PROFILE", context) or "auto"
        self.speed_field = alg.parameterAsString(parameters, "SPEED_FIELD", context) or ""
        speed = parameters.get("DEFAULT_SPEED_KMH")
        self.default_speed = (
            alg.parameterAsDouble(parameters, "DEFAULT_SPEED_KMH", context)
            if speed not in (None, "")
            else None
        )
        if self.default_speed is not None and self.default_speed <= 0:
            if speed not in (None, "") and float(speed) < 0:
                raise InputError(tr("DEFAULT_SPEED_KMH must be greater than zero."))
            self.default_speed = None
        self.mode = alg.parameterAsEnumString(parameters, "MODE", context) or "car"
        self.direction = alg.parameterAsEnumString(parameters, "DIRECTION", context) or "departure"
        self.snap_m = alg.parameterAsDouble(parameters, "SNAP_TOLERANCE_M", context)
        if parameters.get("SNAP_TOLERANCE_M") in (None, ""):
            self.snap_m = DEFAULT_SNAP_TOLERANCE_M
        self.cell = alg.parameterAsDouble(parameters, "CELL_SIZE_M", context) or 0.0
        if self.cell <= 0:
            self.cell = prof.DEFAULT_CELL_SIZE_M[self.mode]
        self.off_m = 0.0
        if "OFF_NETWORK_M" in parameters:
            self.off_m = alg.parameterAsDouble(parameters, "OFF_NETWORK_M", context) or 0.0
        if self.off_m <= 0:
            self.off_m = prof.DEFAULT_OFF_NETWORK_M[self.mode]
        if self.backend == "local" and self.network is None:
            raise InputError(
                tr("The local engine needs a road network: choose a line layer in NETWORK.")
            )

    def graph(self, feedback):
        graph, cached = network.get_graph(
            self.network, self.profile, self.mode, self.speed_field, self.default_speed, feedback
        )
        return graph

    def engine_text(self, graph) -> str:
        # the credit line of the map: French whatever the interface language
        return tr(
            "CGET local engine, network {name}, profile {profile}, {mode}", on_map=True
        ).format(
            name=graph.layer_name, profile=graph.profile, mode=prof.MODE_LABELS[self.mode](True)
        )

    def parameters(self) -> dict:
        return {
            "backend": self.backend,
            "mode": self.mode,
            "direction": self.direction,
            "snap_tolerance_m": self.snap_m,
            "cell_size_m": self.cell,
            "off_network_m": self.off_m,
        }

    def network_credits(self, graph) -> List[str]:
        credits = []
        if self.network is not None:
            credits = [c for c in prov_mod.layer_credits(self.network) if c]
        if not credits and graph is not None and graph.credit:
            credits = [graph.credit]
        return credits


def read_points(source, id_field: str, crs, feedback, what: str) -> Tuple[list, np.ndarray, list]:
    """Features, (n, 2) coordinates in ``crs`` and ids of a point source (first point of a
    multipoint). Refuses an empty layer."""
    transform = QgsCoordinateTransform(source.sourceCrs(), crs, QgsProject.instance())
    feats, xy, ids = [], [], []
    id_idx = source.fields().lookupField(id_field) if id_field else -1
    total = max(source.featureCount(), 1)
    for n, feat in enumerate(source.getFeatures()):
        if n % 2000 == 0:
            if feedback.isCanceled():
                raise CancelledError(tr("Cancelled while reading {what}.").format(what=what))
            feedback.setProgress(5.0 * n / total)
        geom = feat.geometry()
        if geom.isNull() or geom.isEmpty():
            feedback.reportError(
                tr("Feature {fid} of {what} has no geometry: skipped.").format(
                    fid=feat.id(), what=what
                )
            )
            continue
        if geom.isMultipart():
            point = geom.asMultiPoint()[0]
        else:
            point = geom.asPoint()
        try:
            point = transform.transform(QgsPointXY(point))
        except QgsCsException:
            raise InputError(
                tr(
                    "Point {fid} of {what} cannot be converted from {src} to {dst}: its "
                    "coordinates ({x}, {y}) lie outside that coordinate system. Check the CRS "
                    "of the layer."
                ).format(
                    fid=feat.id(),
                    what=what,
                    src=source.sourceCrs().authid(),
                    dst=crs.authid(),
                    x=round(point.x(), 4),
                    y=round(point.y(), 4),
                )
            ) from None
        feats.append(feat)
        xy.append((point.x(), point.y()))
        value = feat.attributes()[id_idx] if id_idx >= 0 else feat.id()
        ids.append("" if value is None else str(value))
    if not feats:
        raise InputError(
            tr("The layer of {what} is empty: give at least one point.").format(what=what)
        )
    return feats, np.asarray(xy, float), ids


def unsnapped_fields() -> QgsFields:
    fields = QgsFields()
    fields.append(compat.make_field("role", "string"))
    fields.append(compat.make_field("ident", "string"))
    fields.append(compat.make_field("distance_m", "double"))
    fields.append(compat.make_field("population", "double"))
    return fields


def report_unsnapped(feedback, ids, dist, tolerance, what) -> None:
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


def style_path(name: str) -> str:
    folder = cache_dir() / "styles"
    folder.mkdir(parents=True, exist_ok=True)
    return str(folder / name)


def write_graduated_style(
    path: str,
    geometry: str,
    field_name: str,
    classes: Sequence[Tuple[float, float, str]],
    aliases: Dict[str, str],
    fields: QgsFields,
    fallback: Optional[str] = None,
) -> Optional[str]:
    """A QML with a graduated renderer (darkest first class) and field aliases, atomically."""
    from qgis.core import (
        QgsFillSymbol,
        QgsGraduatedSymbolRenderer,
        QgsMarkerSymbol,
        QgsRendererRange,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtGui import QColor

    layer = QgsVectorLayer(f"{geometry}?crs=EPSG:2154", "style", "memory")
    layer.dataProvider().addAttributes(list(fields))
    layer.updateFields()
    for name, alias in aliases.items():
        idx = layer.fields().lookupField(name)
        if idx >= 0:
            layer.setFieldAlias(idx, alias)
    if geometry != "None" and classes:
        ranges = []
        colours = band_colours(len(classes))
        for i, (lo, hi, label) in enumerate(classes):
            colour = QColor(colours[i])
            if geometry == "Polygon":
                symbol = QgsFillSymbol.createSimple(
                    {
                        "color": colour.name(),
                        "outline_color": colour.darker(115).name(),
                        "outline_width": "0.1",
                    }
                )
            else:
                symbol = QgsMarkerSymbol.createSimple(
                    {"color": colour.name(), "outline_color": "#404040", "size": "1.6"}
                )
            ranges.append(QgsRendererRange(lo, hi, symbol, label))
        renderer = QgsGraduatedSymbolRenderer(field_name, ranges)
        # longest times first, so the shortest bands (darkest) stay on top where they overlap
        from qgis.core import QgsFeatureRequest as _Request

        renderer.setOrderBy(_Request.OrderBy([_Request.OrderByClause(field_name, False)]))
        renderer.setOrderByEnabled(True)
        layer.setRenderer(renderer)
        if geometry == "Polygon":
            layer.setOpacity(BAND_OPACITY)
    tmp = path + ".tmp.qml"
    try:
        layer.saveNamedStyle(tmp)
        os.replace(tmp, path)
    except OSError:
        return fallback
    return path


def band_classes(bands: Sequence[int]) -> List[Tuple[float, float, str]]:
    out = []
    prev = 0
    for b in bands:
        out.append((prev, b, tr("{lo} to {hi} min", on_map=True).format(lo=prev, hi=b)))
        prev = b
    return out


# ---------------------------------------------------------------------------------------------
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

    def initAlgorithm(self, config=None):  # noqa: N802
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
        p = QgsProcessingParameterEnum(
            "OUTPUT_MODE",
            tr("Output mode"),
            options=list(isochrones.OUTPUT_MODES),
            defaultValue="rings",
        )
        p.setUsesStaticStrings(True)
        self.addParameter(p)
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
        pop_source = self.parameterAsSource(parameters, "POPULATION", context)
        pop_layer = self.parameterAsVectorLayer(parameters, "POPULATION", context)
        pop_field = self.parameterAsString(parameters, "POP_FIELD", context) or ""

        graph = None
        if settings.backend == "local":
            graph = settings.graph(feedback)
            crs = QgsCoordinateReferenceSystem(graph.crs_authid)
        else:
            crs = network.working_crs(
                self.parameterAsVectorLayer(parameters, "INPUT", context) or _CrsOf(source),
                feedback,
            )
        feats, xy, ids = read_points(source, id_field, crs, feedback, tr("origins"))

        pop_xy = pop_w = None
        if pop_layer is not None:
            if not pop_field:
                feedback.pushInfo(tr("No population field: each population feature counts as 1."))
            units = coverage.population_units(pop_layer, pop_field, crs, settings.cell, feedback)
            pop_xy, pop_w = units.sample_xy, units.sample_w
        elif pop_source is not None:
            raise InputError(tr("The population input must be a vector layer."))

        unsnapped = []  # (id, distance, xy)
        if settings.backend == "local":
            snaps = graph.snap(xy, settings.snap_m)
            bad = np.nonzero(snaps.part < 0)[0]
            unsnapped = [(ids[i], float(snaps.dist[i]), xy[i]) for i in bad]
            report_unsnapped(
                feedback,
                [u[0] for u in unsnapped],
                [u[1] for u in unsnapped],
                settings.snap_m,
                tr("origins"),
            )
            if len(bad) == len(ids):
                raise InputError(
                    tr(
                        "No origin is within {tol:.0f} m of the road network {name}: check that "
                        "the layers cover the same area, or raise SNAP_TOLERANCE_M."
                    ).format(tol=settings.snap_m, name=graph.layer_name)
                )
            network.report_small_components(graph, snaps, ids, feedback, tr("origins"))
            features = isochrones.local_isochrones(
                graph,
                snaps,
                settings.direction,
                bands,
                output_mode,
                settings.cell,
                settings.off_m,
                pop_xy,
                pop_w,
                feedback,
                smooth=not self.parameterAsBool(parameters, "RAW_OUTLINES", context),
            )
            engine_text = settings.engine_text(graph)
            extra = settings.network_credits(graph)
            provenance_base = None
        else:
            features, provenance_base = self._remote(
                settings, crs, xy, bands, output_mode, feedback
            )
            if pop_xy is not None:
                for feat in features:
                    inside = coverage.points_in_wkb(pop_xy, feat.wkb)
                    feat.population = float(pop_w[inside].sum())
            engine_text = provenance_base.engine if provenance_base else settings.backend
            extra = []
        if feedback.isCanceled():
            raise CancelledError(tr("Cancelled: the isochrones were not written."))
        if not features:
            raise InputError(
                tr(
                    "No area is reachable within {band} min from the origins: check the network "
                    "and the origins."
                ).format(band=bands[-1])
            )

        # -- output ----------------------------------------------------------------------------
        fields = QgsFields()
        fields.append(compat.make_field("origin_id", "string"))
        carried = []
        if output_mode == "per_origin":
            for f in source.fields():
                name = f.name()
                if name.lower() in ("origin_id", "min_from", "min_to", "area_km2", "population"):
                    name = "orig_" + name
                carried.append(name)
                nf = QgsField(f)
                nf.setName(name)
                fields.append(nf)
        fields.append(compat.make_field("min_from", "int"))
        fields.append(compat.make_field("min_to", "int"))
        fields.append(compat.make_field("area_km2", "double", 12, 3))
        if pop_xy is not None:
            fields.append(compat.make_field("population", "double", 14, 1))
        sink, dest_id = self.parameterAsSink(
            parameters, "OUTPUT", context, fields, compat.WKB_MULTIPOLYGON, crs
        )
        if sink is None:
            raise InputError(tr("The output layer could not be created."))
        for feat in features:
            out = QgsFeature(fields)
            geom = QgsGeometry()
            geom.fromWkb(feat.wkb)
            out.setGeometry(geom)
            values = [ids[feat.origin] if feat.origin is not None else None]
            if output_mode == "per_origin":
                values += list(feats[feat.origin].attributes())
            values += [feat.min_from, feat.min_to, round(feat.area_km2, 3)]
            if pop_xy is not None:
                values.append(round(feat.population or 0.0, 1))
            out.setAttributes(values)
            sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
        self._write_unsnapped(parameters, context, crs, unsnapped, tr("origin"))

        params = settings.parameters()
        params.update({"bands_min": bands, "output_mode": output_mode})
        if provenance_base is not None:
            provenance = provenance_base
            provenance.parameters.update(params)
        else:
            provenance = prov_mod.Provenance(
                producer=tr("CGET computation"),
                dataset=tr("Travel-time bands"),
                vintage="",
                retrieved=prov_mod.now_iso(),
                engine=engine_text,
                parameters=params,
                credit=engine_text,
                extra_credits=extra,
            )
        if pop_layer is not None:
            provenance.extra_credits = list(provenance.extra_credits) + [
                c for c in prov_mod.layer_credits(pop_layer) if c
            ]
        aliases = {
            "origin_id": tr("Origin"),
            "min_from": tr("From (min)"),
            "min_to": tr("To (min)"),
            "area_km2": tr("Area (km²)"),
            "population": tr("Population"),
        }
        style_file = write_graduated_style(
            style_path("isochrones_" + "_".join(map(str, bands)) + ".qml"),
            "Polygon",
            "min_to",
            band_classes(bands),
            aliases,
            fields,
            fallback="isochrones.qml",
        )
        names = {
            key: tr("Isochrones {bands} min ({mode})", on_map=on_map).format(
                bands="/".join(map(str, bands)), mode=prof.MODE_LABELS[settings.mode](on_map)
            )
            for key, on_map in (("layer_name", False), ("map_name", True))
        }
        provenance.parameters.update(names)  # the legend of a map reads map_name (French)
        self.decorate_output(
            dest_id, context, provenance, style=style_file, layer_name=names["layer_name"]
        )
        results = {"OUTPUT": dest_id}
        unsnapped_id = getattr(self, "_unsnapped_id", None)
        if unsnapped_id:
            results["UNSNAPPED"] = unsnapped_id
        return results

    # -----------------------------------------------------------------------------------------
    def _write_unsnapped(self, parameters, context, crs, rows, role, populations=None):
        self._unsnapped_id = None
        self._requested_unsnapped = parameters.get("UNSNAPPED") not in (None, "")
        if parameters.get("UNSNAPPED") in (None, ""):
            if not rows:
                return
            # Never drop them silently: a script that did not ask still gets the layer.
            parameters = dict(parameters)
            parameters["UNSNAPPED"] = QgsProcessing.TEMPORARY_OUTPUT
        auto_created = parameters.get("UNSNAPPED") == QgsProcessing.TEMPORARY_OUTPUT and not (
            self._requested_unsnapped
        )
        sink, dest = self.parameterAsSink(
            parameters, "UNSNAPPED", context, unsnapped_fields(), compat.WKB_POINT, crs
        )
        if sink is None:
            return
        self._unsnapped_id = dest
        if auto_created and context.project() is not None:
            # Not asked for, but points were left out: show them rather than only logging it.
            details = QgsProcessingContext.LayerDetails(
                tr("Not attached to the network"), context.project(), "UNSNAPPED"
            )
            context.addLayerToLoadOnCompletion(dest, details)
        for i, (ident, dist, xy, *own_role) in enumerate(rows):
            out = QgsFeature(unsnapped_fields())
            out.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(float(xy[0]), float(xy[1]))))
            pop = populations[i] if populations is not None else None
            row_role = own_role[0] if own_role else role  # e.g. facilities among the units
            out.setAttributes([row_role, ident, round(dist, 1) if np.isfinite(dist) else None, pop])
            sink.addFeature(out, QgsFeatureSink.Flag.FastInsert)
        self.decorate_output(
            dest,
            context,
            None,
            style=None,
            layer_name=tr("Not attached to the network"),
        )

    def _remote(self, settings, crs, xy, bands, output_mode, feedback):
        from ..core.routing.backends import get_backend

        backend = get_backend(settings.backend)
        to_wgs = QgsCoordinateTransform(
            crs, QgsCoordinateReferenceSystem("EPSG:4326"), QgsProject.instance()
        )
        origins = []
        for i, (x, y) in enumerate(xy):
            p = to_wgs.transform(QgsPointXY(float(x), float(y)))
            origins.append((i, p.x(), p.y()))
        results = backend.isochrones(origins, bands, settings.mode, settings.direction, feedback)
        back = QgsCoordinateTransform(
            QgsCoordinateReferenceSystem("EPSG:4326"), crs, QgsProject.instance()
        )
        remote: Dict[int, Dict[int, QgsGeometry]] = {}
        for r in results:
            geom = QgsGeometry(r.geometry)
            geom.transform(back)
            remote.setdefault(int(r.origin_id), {})[int(r.minutes)] = geom
        features = isochrones.remote_to_modes(remote, bands, output_mode, feedback)
        provenance = backend.provenance(bands, settings.mode, settings.direction)
        return features, provenance


class _CrsOf:
    """Minimal layer-like wrapper so :func:`network.working_crs` works on a feature source."""

    def __init__(self, source):
        self._source = source

    def crs(self):
        return self._source.sourceCrs()

    def extent(self):
        return self._source.sourceExtent()

    def name(self):
        return self._source.sourceName()

    def getFeatures(self, request=None):
        return self._source.getFeatures(request or QgsFeatureRequest())
