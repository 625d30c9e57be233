"""``cget:locateaddresses``: are these places in a zone (QPV...)? Which one, how far?

Thin: parameters in, ``core.geocode`` / ``core.locate`` / ``core.geographies`` calls, a point
layer out. Every input row is written, geocoded or not: rows that cannot be located keep their
attributes, a null geometry, ``in_zone`` NULL (unknown) and a status saying why.
"""

from __future__ import annotations

from qgis.core import (
    QgsProcessing,
    QgsProcessingMultiStepFeedback,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ..compat import parameter_as_strings
from ..core import geocode as geo
from ..core.errors import InputError
from ..core.i18n import tr
from ..core.locate_run import (
    Places,
    locate_places,
    output_aliases,
    zones_from_geography,
    zones_from_layer,
)
from .base import CgetAlgorithm
from .parameters import catalogue_choices, enum_parameter, set_decimals
from .sinks import create_sink

FALLBACK_GEOGRAPHIES = ("qpv2024", "qpv2015", "zfu", "frr", "acv", "pvd", "communes", "epci")


def _polygon_entry(entry) -> bool:
    """Zones are polygon geographies; the local engine's population grids are inputs of the
    engine, not zones."""
    from ..core.catalog import LOCAL_ENGINE_THEME

    return entry.geometry_type == "polygon" and entry.theme != LOCAL_ENGINE_THEME


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
        self._add_zone_parameters()
        self.addParameter(
            QgsProcessingParameterFeatureSink(
                self.OUTPUT, tr("Located places"), QgsProcessing.TypeVectorPoint
            )
        )

    def _add_zone_parameters(self):
        ids, titles = catalogue_choices(_polygon_entry, FALLBACK_GEOGRAPHIES)
        self.addParameter(
            enum_parameter(
                self.GEOGRAPHY,
                tr("Zones: geography of the catalogue"),
                ids,
                "qpv2024" if "qpv2024" in ids else ids[0],
                labels=titles,
                optional=True,
            )
        )
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
            set_decimals(
                QgsProcessingParameterNumber(
                    self.MIN_SCORE,
                    tr("Minimum geocoding score (below: answer unknown)"),
                    QgsProcessingParameterNumber.Double,
                    defaultValue=geo.min_score_setting(),
                    minValue=0.0,
                    maxValue=1.0,
                ),
                2,
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

    # -- run ------------------------------------------------------------------------------
    def execute(self, parameters, context, feedback):
        source = self.parameterAsSource(parameters, self.INPUT, context)
        if source is None:
            raise InputError(tr("The input layer (INPUT) could not be read."))
        places = Places.from_source(
            source,
            self._input_name(parameters, context, source),
            parameter_as_strings(self, parameters, self.ADDRESS_FIELD, context),
            self.parameterAsString(parameters, self.CITYCODE_FIELD, context).strip(),
            self.parameterAsString(parameters, self.POSTCODE_FIELD, context).strip(),
            feedback=feedback,
        )
        # Progress in three steps: zones, geocoding, location and output. A real feedback
        # object is needed (the network layer hands it to QgsBlockingNetworkRequest).
        steps = QgsProcessingMultiStepFeedback(3, feedback)
        feedback.setProgressText(tr("Loading the zones"))
        zones = self._zones(parameters, context, steps)
        outcome = locate_places(
            places,
            zones,
            steps,
            feedback,
            geocoder_url=self.parameterAsString(parameters, self.GEOCODER_URL, context).strip(),
            min_score=self.parameterAsDouble(parameters, self.MIN_SCORE, context),
            transform_context=context.transformContext(),
        )
        sink, dest_id = create_sink(
            self, parameters, self.OUTPUT, context, outcome.fields, QgsWkbTypes.Point, outcome.crs
        )
        sink.write(outcome.features)
        self.decorate_output(
            dest_id,
            context,
            outcome.provenance,
            style="geo_locate.qml",
            layer_name=outcome.layer_name,
            aliases=output_aliases(),
        )
        return {self.OUTPUT: dest_id}

    # -- helpers --------------------------------------------------------------------------
    def _input_name(self, parameters, context, source):
        layer = self.parameterAsVectorLayer(parameters, self.INPUT, context)
        if layer is not None:
            return layer.name()
        return source.sourceName() or "INPUT"

    def _zones(self, parameters, context, feedback):
        """Zones from ZONES, else GEOGRAPHY (limited to TERRITORY)."""
        zones = self.parameterAsSource(parameters, self.ZONES, context)
        if zones is not None:
            return zones_from_layer(
                zones,
                self.parameterAsVectorLayer(parameters, self.ZONES, context),
                self.parameterAsString(parameters, self.ZONE_CODE_FIELD, context),
                self.parameterAsString(parameters, self.ZONE_NAME_FIELD, context),
                feedback,
                context.transformContext(),
            )
        return zones_from_geography(
            self.parameterAsEnumString(parameters, self.GEOGRAPHY, context),
            self.parameterAsString(parameters, self.TERRITORY, context).strip(),
            feedback,
            context.transformContext(),
        )
