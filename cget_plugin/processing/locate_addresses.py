"""``cget:locateaddresses``: are these places in a zone (QPV...)? Which one, how far?

Thin: parameters in, ``core.geocode`` / ``core.locate`` / ``core.geographies`` calls, a point
layer out. Every input row is written, geocoded or not: rows that cannot be located keep their
attributes, a null geometry, ``in_zone`` NULL (unknown) and a status saying why.
"""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsGeometry,
    QgsPointXY,
    QgsProcessing,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..compat import make_field, parameter_as_strings
from ..core import geocode as geo
from ..core import provenance as prov_mod
from ..core.errors import InputError
from ..core.i18n import tr
from ..core.locate import ZoneIndex, point_of, sig_ville_link
from .base import CgetAlgorithm

# Fields added to every input row (docs/processing.md §3 names first).
OUTPUT_FIELDS = (
    ("in_zone", "bool"),
    ("zone_code", "string"),
    ("zone_nom", "string"),
    ("zone_codes", "string"),
    ("distance_m", "double"),
    ("lien_sig_ville", "string"),
    ("geocode_score", "double"),
    ("geocode_status", "string"),
    ("geocode_label", "string"),
    ("geocode_type", "string"),
    ("geocode_insee", "string"),
)
STATUS_NO_GEOMETRY = "sans géométrie"
FALLBACK_GEOGRAPHIES = ("qpv2024", "qpv2015", "zfu", "frr", "acv", "pvd", "communes", "epci")


def output_aliases():
    return {
        "in_zone": tr("In the zone"),
        "zone_code": tr("Zone code"),
        "zone_nom": tr("Zone name"),
        "zone_codes": tr("All zones containing the place"),
        "distance_m": tr("Distance to the nearest zone (m)"),
        "lien_sig_ville": tr("SIG Ville page"),
        "geocode_score": tr("Geocoding score"),
        "geocode_status": tr("Geocoding status"),
        "geocode_label": tr("Address found"),
        "geocode_type": tr("Geocoding precision"),
        "geocode_insee": tr("Commune code (geocoding)"),
    }


def polygon_geographies():
    """Catalogue ids usable as zones (polygon geographies), in catalogue order."""
    try:
        from ..core.catalog import load_catalog

        ids = [e.id for e in load_catalog().entries() if e.geometry_type == "polygon"]
    except Exception:  # broken catalogue: the run will report it
        ids = []
    return ids or list(FALLBACK_GEOGRAPHIES)


def resolve_field(names, wanted, param_label, layer_name):
    """The layer's field matching ``wanted`` (exact, else ignoring case, spaces and BOM)."""
    if wanted in names:
        return wanted

    def norm(text):
        return text.replace("\ufeff", "").strip().strip('"').lower()

    for name in names:
        if norm(name) == norm(wanted):
            return name
    raise InputError(
        tr(
            "The field “{field}” ({param}) is not in the table {layer}. Available fields: "
            "{fields}. Choose the column that holds the addresses."
        ).format(
            field=wanted,
            param=param_label,
            layer=layer_name,
            fields=", ".join(names) or tr("none"),
        )
    )


class LocateAddressesAlgorithm(CgetAlgorithm):
    ALG_ID = "locateaddresses"
    GROUP_ID = "geography"
    ICON = "geo_address.svg"

    INPUT = "INPUT"
    ADDRESS_FIELD = "ADDRESS_FIELD"
    CITYCODE_FIELD = "CITYCODE_FIELD"
    POSTCODE_FIELD = "POSTCODE_FIELD"
    GEOGRAPHY = "GEOGRAPHY"
    TERRITORY = "TERRITORY"
    ZONES = "ZONES"
    ZONE_CODE_FIELD = "ZONE_CODE_FIELD"
    ZONE_NAME_FIELD = "ZONE_NAME_FIELD"
    MIN_SCORE = "MIN_SCORE"
    GEOCODER_URL = "GEOCODER_URL"
    OUTPUT = "OUTPUT"

    def display_name(self):
        return tr("Locate addresses in zones (is it in a QPV?)")

    def help_text(self):
        return tr(
            "Tells, for each place, whether it lies in a zone of a priority geography (QPV "
            "2024 by default), which one, and how far the nearest zone is.\n\n"
            "Input: a point layer, or a table (CSV...) with an address column. Addresses are "
            "geocoded in batch by the IGN Géoplateforme (Base Adresse Nationale); several "
            "columns (number, street, postcode, town) are joined in order. A commune code "
            "(INSEE) or postcode column makes the geocoding more reliable.\n\n"
            "Zones: a geography of the catalogue, optionally limited to a territory, or your "
            "own polygon layer.\n\n"
            "Added fields: in_zone (true, false, or NULL when unknown: address not found or "
            "score below the threshold), zone_code, zone_nom, distance_m (0 inside), a link to "
            "the SIG Ville page of the QPV, geocode_score, geocode_status (ok, score faible, "
            "non trouvé, adresse vide, erreur) and geocode_label. No row is dropped."
        )

    def initAlgorithm(self, config=None):
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.INPUT,
                tr("Places (point layer, or table with addresses)"),
                [QgsProcessing.TypeVectorPoint, QgsProcessing.TypeVector],
            )
        )
        address = QgsProcessingParameterField(
            self.ADDRESS_FIELD,
            tr("Address field(s), for a table without geometry"),
            parentLayerParameterName=self.INPUT,
            type=QgsProcessingParameterField.String,
            allowMultiple=True,
            optional=True,
        )
        self.addParameter(address)
        for name, label in (
            (self.CITYCODE_FIELD, tr("Commune INSEE code field (optional, improves geocoding)")),
            (self.POSTCODE_FIELD, tr("Postcode field (optional)")),
        ):
            self.addParameter(
                QgsProcessingParameterField(
                    name, label, parentLayerParameterName=self.INPUT, optional=True
                )
            )
        ids = polygon_geographies()
        geography = QgsProcessingParameterEnum(
            self.GEOGRAPHY,
            tr("Zones: geography of the catalogue"),
            options=ids,
            defaultValue="qpv2024" if "qpv2024" in ids else ids[0],
            optional=True,
        )
        geography.setUsesStaticStrings(True)
        self.addParameter(geography)
        self.addParameter(
            QgsProcessingParameterString(
                self.TERRITORY,
                tr("Limit the geography to a territory (codes, comma-separated; empty = all)"),
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterFeatureSource(
                self.ZONES,
                tr("Zones: your own polygon layer (replaces the geography)"),
                [QgsProcessing.TypeVectorPolygon],
                optional=True,
            )
        )
        advanced = [
            QgsProcessingParameterField(
                self.ZONE_CODE_FIELD,
                tr("Zone code field (own layer; guessed when empty)"),
                parentLayerParameterName=self.ZONES,
                optional=True,
            ),
            QgsProcessingParameterField(
                self.ZONE_NAME_FIELD,
                tr("Zone name field (own layer; guessed when empty)"),
                parentLayerParameterName=self.ZONES,
                optional=True,
            ),
            QgsProcessingParameterNumber(
                self.MIN_SCORE,
                tr("Minimum geocoding score (below: answer unknown)"),
                QgsProcessingParameterNumber.Double,
                defaultValue=geo.min_score_setting(),
                minValue=0.0,
                maxValue=1.0,
            ),
            QgsProcessingParameterString(
                self.GEOCODER_URL,
                tr("Geocoder URL (empty: plugin settings, else the Géoplateforme)"),
                optional=True,
            ),
        ]
        for param in advanced:
            param.setFlags(param.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
            self.addParameter(param)
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Located places"), QgsProcessing.TypeVectorPoint
            )
        )

    # -- run ------------------------------------------------------------------------------
    def execute(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise InputError(tr("The input layer (INPUT) could not be read."))
        input_name = self._input_name(parameters, context, source)
        geom_type = QgsWkbTypes.geometryType(source.wkbType())
        has_points = geom_type == QgsWkbTypes.PointGeometry
        if geom_type not in (
            QgsWkbTypes.PointGeometry,
            QgsWkbTypes.NullGeometry,
            QgsWkbTypes.UnknownGeometry,
        ):
            raise InputError(
                tr(
                    "The input layer {layer} holds {kind}: give points, or a table without "
                    "geometry with an address column (ADDRESS_FIELD)."
                ).format(layer=input_name, kind=QgsWkbTypes.geometryDisplayString(geom_type))
            )
        names = source.fields().names()
        address_fields = [
            f for f in parameter_as_strings(self, parameters, self.ADDRESS_FIELD, context) if f
        ]
        if not has_points and not address_fields:
            raise InputError(
                tr(
                    "The table {layer} has no geometry: choose the column(s) holding the "
                    "addresses (ADDRESS_FIELD). Available fields: {fields}."
                ).format(layer=input_name, fields=", ".join(names) or tr("none"))
            )
        if has_points and address_fields:
            feedback.pushInfo(
                tr(
                    "The input has point geometries: they are used, the addresses are not "
                    "geocoded."
                )
            )
        features = list(source.getFeatures())
        if not features:
            raise InputError(
                tr("The input layer {layer} has no rows: nothing to locate.").format(
                    layer=input_name
                )
            )

        # Zones first: a wrong zones input must not cost a geocoding run.
        # Progress in three steps: zones, geocoding, location and output. A real feedback
        # object is needed (the network layer hands it to QgsBlockingNetworkRequest).
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        feedback.setProgressText(tr("Loading the zones"))
        index, zones_label, zones_prov = self._zones(parameters, context, steps)
        if len(index) == 0 and self.parameterAsSource(parameters, self.ZONES, context) is None:
            # A territory legitimately without such zones: every place is outside.
            feedback.pushWarning(
                tr(
                    "{zones} has no zone in this territory: every place is reported outside "
                    "(in_zone false, no distance)."
                ).format(zones=zones_label)
            )
        elif len(index) == 0:
            raise InputError(
                tr(
                    "The zones ({zones}) hold no polygon: nothing to test the places against."
                ).format(zones=zones_label)
            )
        if index.repaired:
            feedback.pushInfo(
                tr("{n} invalid zone geometries were repaired before the test.").format(
                    n=index.repaired
                )
            )
        # Points: from the geometry, or geocoded.
        geocoded = None
        if has_points:
            points = [point_of(f.geometry()) for f in features]
            points_crs = source.sourceCrs()
        else:
            address_fields = [
                resolve_field(names, f, "ADDRESS_FIELD", input_name) for f in address_fields
            ]
            citycodes = self._column(
                parameters, self.CITYCODE_FIELD, context, names, features, input_name
            )
            postcodes = self._column(
                parameters, self.POSTCODE_FIELD, context, names, features, input_name
            )
            addresses = [[f[name] for name in address_fields] for f in features]
            min_score = self.parameterAsDouble(parameters, self.MIN_SCORE, context)
            url = self.parameterAsString(parameters, self.GEOCODER_URL, context).strip()
            feedback.pushInfo(
                tr("Geocoding {n} addresses with {url}…").format(
                    n=len(features), url=geo.base_url(url)
                )
            )
            feedback.setProgressText(tr("Geocoding"))
            steps.setCurrentStep(1)
            geocoded = geo.geocode_batch(
                addresses,
                citycodes,
                postcodes,
                url=url,
                min_score=min_score,
                feedback=steps,
            )
            points = [QgsPointXY(r.lon, r.lat) if r.usable else None for r in geocoded]
            points_crs = QgsCoordinateReferenceSystem("EPSG:4326")
            self._report_geocoding(geocoded, feedback)

        steps.setCurrentStep(2)
        feedback.setProgressText(tr("Testing the places against the zones"))
        locations = index.locate(
            points, points_crs, feedback=steps, transform_context=context.transformContext()
        )

        # Output.
        ours = {name for name, _ in OUTPUT_FIELDS}
        kept = [f for f in source.fields() if f.name() not in ours]
        replaced = [f.name() for f in source.fields() if f.name() in ours]
        if replaced:
            feedback.pushInfo(
                tr("Fields of a previous run replaced: {fields}.").format(
                    fields=", ".join(replaced)
                )
            )
        fields = QgsFields()
        for f in kept:
            fields.append(f)
        aliases = output_aliases()
        for name, type_name in OUTPUT_FIELDS:
            fields.append(make_field(name, type_name, alias=aliases[name]))
        sink, dest_id = self.parameterAsSink(
            parameters, self.OUTPUT, context, fields, QgsWkbTypes.Point, points_crs
        )
        kept_idx = [source.fields().indexOf(f.name()) for f in kept]
        counts = {"in": 0, "out": 0, "unknown": 0}
        for n, (feat, loc) in enumerate(zip(features, locations)):
            out = QgsFeature(fields)
            attrs = [feat.attributes()[i] for i in kept_idx]
            result = geocoded[n] if geocoded is not None else None
            point = points[n]
            if loc.in_zone is None:
                counts["unknown"] += 1
                zone_attrs = [None, None, None, None, None, None]
            else:
                counts["in" if loc.in_zone else "out"] += 1
                zone_attrs = [
                    loc.in_zone,
                    loc.zone_code,
                    loc.zone_nom,
                    ", ".join(loc.zone_codes) if loc.zone_codes else None,
                    round(loc.distance_m, 1) if loc.distance_m is not None else None,
                    sig_ville_link(loc.zone_code),
                ]
            if result is not None:
                geo_attrs = [
                    result.score,
                    result.status,
                    result.label or None,
                    result.type or None,
                    result.commune or None,
                ]
                if result.has_point and point is None:
                    # Low score: keep the candidate position so the user can check it.
                    point = QgsPointXY(result.lon, result.lat)
            else:
                status = None if point is not None else STATUS_NO_GEOMETRY
                geo_attrs = [None, status, None, None, None]
            out.setAttributes(attrs + zone_attrs + geo_attrs)
            if point is not None:
                out.setGeometry(QgsGeometry.fromPointXY(point))
            sink.addFeature(out, QgsFeatureSink.FastInsert)
        feedback.pushInfo(
            tr("{inside} places in a zone, {outside} outside, {unknown} unknown.").format(
                inside=counts["in"], outside=counts["out"], unknown=counts["unknown"]
            )
        )
        if counts["unknown"] == len(features):
            feedback.reportError(
                tr(
                    "No place could be located (see geocode_status). Check the address "
                    "column, or the geocoder answer."
                ),
                False,
            )

        prov = prov_mod.Provenance(
            producer=zones_prov.producer if zones_prov else tr("CGET plugin"),
            dataset=tr("Places located in: {zones}").format(zones=zones_label),
            vintage=zones_prov.vintage if zones_prov else "",
            url=zones_prov.url if zones_prov else "",
            licence=zones_prov.licence if zones_prov else "",
            retrieved=prov_mod.now_iso(),
            source_date=zones_prov.source_date if zones_prov else "",
            parameters={"input": input_name, "zones": zones_label},
            credit=zones_prov.credit_line() if zones_prov else "",
            extra_credits=[tr("geocoding: Base Adresse Nationale via IGN Géoplateforme")]
            if geocoded is not None
            else [],
        )
        self.decorate_output(
            dest_id,
            context,
            prov,
            style="geo_locate.qml",
            layer_name=tr("{input} – in {zones}").format(input=input_name, zones=zones_label),
            aliases=output_aliases(),
        )
        return {self.OUTPUT: dest_id}

    # -- helpers --------------------------------------------------------------------------
    def _input_name(self, parameters, context, source):
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is not None:
            return layer.name()
        return source.sourceName() or "INPUT"

    def _column(self, parameters, name, context, names, features, input_name):
        wanted = self.parameterAsString(parameters, name, context).strip()
        if not wanted:
            return None
        field = resolve_field(names, wanted, name, input_name)
        return [f[field] for f in features]

    def _report_geocoding(self, results, feedback):
        counts = {}
        for r in results:
            counts[r.status] = counts.get(r.status, 0) + 1
        feedback.pushInfo(
            tr("Geocoding: {summary}.").format(
                summary=", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
            )
        )

    def _zones(self, parameters, context, feedback):
        """(ZoneIndex, label, provenance or None) from ZONES, else GEOGRAPHY."""
        zones = self.parameterAsSource(parameters, self.ZONES, context)
        if zones is not None:
            layer = self.parameterAsVectorLayer(parameters, self.ZONES, context)
            label = layer.name() if layer is not None else (zones.sourceName() or "ZONES")
            gtype = QgsWkbTypes.geometryType(zones.wkbType())
            if gtype != QgsWkbTypes.PolygonGeometry:
                raise InputError(
                    tr(
                        "The zones layer {layer} (ZONES) holds {kind}, not polygons. Choose a "
                        "polygon layer, or leave ZONES empty to use a geography of the "
                        "catalogue."
                    ).format(layer=label, kind=QgsWkbTypes.geometryDisplayString(gtype))
                )
            code_field = self.parameterAsString(parameters, self.ZONE_CODE_FIELD, context)
            name_field = self.parameterAsString(parameters, self.ZONE_NAME_FIELD, context)
            index = ZoneIndex.from_layer(
                zones,
                code_field,
                name_field,
                feedback=feedback,
                transform_context=context.transformContext(),
            )
            prov = prov_mod.read_from_layer(layer) if layer is not None else None
            return index, label, prov
        geography = self.parameterAsEnumString(parameters, self.GEOGRAPHY, context)
        if not geography:
            raise InputError(
                tr(
                    "Choose the zones: a geography of the catalogue (GEOGRAPHY) or a polygon "
                    "layer (ZONES)."
                )
            )
        territory = self.parameterAsString(parameters, self.TERRITORY, context).strip()
        from ..core import geographies

        result = geographies.load_geography(
            geography, territory=territory or None, feedback=feedback
        )
        for message in getattr(result, "messages", []) or []:
            feedback.pushInfo(str(message))
        layer = result.layer
        if layer is None:
            raise InputError(tr("The geography {gid} could not be loaded.").format(gid=geography))
        if layer.geometryType() != QgsWkbTypes.PolygonGeometry:
            raise InputError(
                tr(
                    "The geography {gid} is not made of polygons: choose a zoning "
                    "(QPV, FRR, communes...)."
                ).format(gid=geography)
            )
        label = geography + (f" ({territory})" if territory else "")
        index = ZoneIndex.from_layer(
            layer, "code", "nom", feedback=feedback, transform_context=context.transformContext()
        )
        return index, label, getattr(result, "provenance", None)
