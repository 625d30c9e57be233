"""``cget:loadgeography``: one official priority geography, filtered on a territory.

Thin: parameters in, :func:`core.geographies.load_geography`, features out with provenance,
style, French field aliases and a readable layer name.
"""

from __future__ import annotations

from qgis.core import (
    QgsFields,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from ..compat import NUMBER_DOUBLE, WKB_MULTILINESTRING, WKB_MULTIPOLYGON, WKB_POINT
from ..core.errors import CancelledError
from ..core.geographies.roads import DEFAULT_MARGIN_M
from ..core.i18n import tr
from .base import CgetAlgorithm
from .parameters import advanced, catalogue_choices, enum_parameter, set_decimals
from .sinks import create_sink

FALLBACK_IDS = (
    "qpv2024",
    "qpv2015",
    "frr",
    "zrr",
    "acv",
    "pvd",
    "territoires_industrie",
    "france_services",
    "zfu",
    "crte",
    "communes",
    "epci",
    "departements",
    "regions",
    "troncon_de_route",
    "carreaux_200m",
    "carreaux_1km",
)


class LoadGeographyAlgorithm(CgetAlgorithm):
    ALG_ID = "loadgeography"
    GROUP_ID = "geography"

    GEOGRAPHY = "GEOGRAPHY"
    TERRITORY = "TERRITORY"
    SOURCE = "SOURCE"
    MARGIN_M = "MARGIN_M"
    OUTPUT = "OUTPUT"
    FEATURE_COUNT = "FEATURE_COUNT"

    def display_name(self):
        return tr("Load a priority geography")

    def help_text(self):
        return tr(
            "Loads an official geography (QPV 2024, QPV 2015, FRR, ZRR, Action Cœur de Ville, "
            "Petites villes de demain, Territoires d'industrie, France Services, ZFU, CRTE, "
            "communes, EPCI, départements, régions) for a territory, from data.gouv.fr or the "
            "IGN Géoplateforme, or from the cache when offline.<br><br>"
            "<b>Territory</b>: codes separated by commas: département (93, 2A, 971), commune "
            "INSEE code (93066; Paris, Lyon and Marseille arrondissements accepted), EPCI SIREN "
            "(200054781), région with the prefix reg: (reg:11). Empty: all of France.<br>"
            "<b>Source</b> (optional): a local file (GeoJSON, GeoPackage, shapefile, ZIP, CSV, "
            "XLSX; <i>file.gpkg|layername=layer</i> for one layer) or a URL replacing the "
            "catalogue's source.<br><br>"
            "<b>Local engine inputs</b>: troncon_de_route is the IGN BD TOPO road network "
            "around the territory (plus <i>Margin</i>, 20 km by default), downloaded page by "
            "page and kept in the cache; carreaux_200m and carreaux_1km are the INSEE Filosofi "
            "2021 gridded population, whose national file is downloaded once (no grid exists "
            "for Guadeloupe, Guyane and Mayotte: use the communes' population).<br><br>"
            "Output in Lambert-93 (official local CRS overseas), with the fields code, nom, "
            "insee_dep, millesime, the source's own fields, repaired geometries and the "
            "provenance (producer, vintage, URL, licence, dates) in the layer metadata."
        )

    def initAlgorithm(self, config=None):
        ids, titles = catalogue_choices(fallback=FALLBACK_IDS)
        self.addParameter(
            enum_parameter(
                self.GEOGRAPHY, tr("Geography"), ids, ids[0] if ids else None, labels=titles
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.TERRITORY,
                tr("Territory (codes, comma-separated; empty = all of France)"),
                defaultValue="",
                optional=True,
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.SOURCE,
                tr("Source (optional local file or URL replacing the catalogue)"),
                defaultValue="",
                optional=True,
            )
        )
        margin = QgsProcessingParameterNumber(
            self.MARGIN_M,
            tr("Margin around the territory, road network only (m)"),
            NUMBER_DOUBLE,
            defaultValue=DEFAULT_MARGIN_M,
            minValue=0.0,
            optional=True,
        )
        self.addParameter(advanced(set_decimals(margin, 0)))
        self.addParameter(QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Geography")))
        self.addOutput(QgsProcessingOutputNumber(self.FEATURE_COUNT, tr("Number of features")))

    def execute(self, parameters, context, feedback):
        from ..core.geographies import load_geography

        geography = self.parameterAsEnumString(parameters, self.GEOGRAPHY, context)
        territory = self.parameterAsString(parameters, self.TERRITORY, context) or ""
        source = self.parameterAsString(parameters, self.SOURCE, context) or ""
        result = load_geography(
            geography,
            territory=territory.strip() or None,
            source=source or None,
            feedback=feedback,
            transform_context=context.transformContext(),
            margin_m=self._margin(parameters, context),
        )
        layer = result.layer
        fields = QgsFields(layer.fields())
        for name, alias in result.aliases.items():
            idx = fields.indexOf(name)
            if idx >= 0:
                fields.field(idx).setAlias(alias)
        wkb = {"polygon": WKB_MULTIPOLYGON, "line": WKB_MULTILINESTRING}.get(
            result.entry.geometry_type, WKB_POINT
        )
        sink, dest_id = create_sink(
            self, parameters, self.OUTPUT, context, fields, wkb, layer.crs()
        )
        count = 0
        total = max(1, layer.featureCount())
        for feat in layer.getFeatures():
            if feedback.isCanceled():
                raise CancelledError(tr("Cancelled: the geography was not written."))
            sink.add(feat)
            count += 1
            if count % 200 == 0:
                feedback.setProgress(95 + 5 * count / total)
        sink.finish()
        feedback.pushInfo(
            tr("{n} features of {geo} for {territory} (CRS {crs}).").format(
                n=count,
                geo=result.entry.display_name,
                territory=result.territory.label(),
                crs=result.crs,
            )
        )
        self.decorate_output(
            dest_id,
            context,
            result.provenance,
            style=result.entry.style,
            layer_name=result.layer_name,
            aliases=result.aliases,
        )
        return {self.OUTPUT: dest_id, self.FEATURE_COUNT: count}

    def _margin(self, parameters, context):
        """MARGIN_M when given, else None (the catalogue's default)."""
        if parameters.get(self.MARGIN_M) in (None, ""):
            return None
        return self.parameterAsDouble(parameters, self.MARGIN_M, context)
