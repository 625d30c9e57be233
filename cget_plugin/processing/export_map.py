"""cget:exportmap: a prefecture-ready map (or atlas) as PDF, PNG or SVG, the layout left in
the project (docs/processing.md §3). Thin: parameters in, ``core.layouts`` builds and exports.

The project and transform context are the Processing context's. A bare context (a script's
``QgsProcessingContext()`` without a project) still writes the map: the layout is built in a
temporary project and cannot be left anywhere, which the feedback says."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingParameterVectorLayer,
    QgsProject,
)

from .. import compat as qc
from ..core.definitions import map_format_label, map_mode_label, map_orientation_label
from ..core.errors import InputError
from ..core.i18n import tr
from ..core.layouts.builder import MapRequest, build_layout
from ..core.layouts.export import ExportOptions, export_atlas, export_layout, format_of
from ..core.layouts.layers import visible_layers
from ..core.layouts.settings import setting
from ..core.layouts.sources import split_user_sources
from ..core.layouts.spec import FORMATS, MODES, ORIENTATIONS, PAPERS, MapSpec, french_number
from ..core.layouts.templates import unique_layout_name
from .base import CgetAlgorithm
from .parameters import enum_parameter

ORIENTATION_OPTIONS = ("auto",) + ORIENTATIONS


def _content_parameters() -> list:
    """What the map shows: layers, extent, atlas."""
    return [
        QgsProcessingParameterMultipleLayers(
            "LAYERS",
            tr("Layers on the map (empty: the visible layers of the project)"),
            qc.SOURCE_MAP_LAYER,
            optional=True,
        ),
        QgsProcessingParameterExtent(
            "EXTENT", tr("Map extent (empty: the extent of the layers)"), optional=True
        ),
        QgsProcessingParameterVectorLayer(
            "ATLAS_LAYER",
            tr("Atlas layer: one page per feature (optional)"),
            [qc.SOURCE_VECTOR_POLYGON, qc.SOURCE_VECTOR_POINT],
            optional=True,
        ),
    ]


def _page_text_parameters() -> list:
    """The page's texts and bloc-marque (empty: the settings)."""
    return [
        QgsProcessingParameterString("TITLE", tr("Title"), optional=True),
        QgsProcessingParameterString("SUBTITLE", tr("Subtitle"), optional=True),
        QgsProcessingParameterString(
            "AUTHORITY",
            tr("Authority, e.g. « Préfète de la Haute-Garonne » (empty: settings)"),
            optional=True,
        ),
        QgsProcessingParameterFile(
            "LOGO",
            tr("Official bloc-marque, SVG or PNG (empty: settings)"),
            optional=True,
        ),
        QgsProcessingParameterString(
            "AUTHOR", tr("Author service for « Réalisation » (empty: settings)"), optional=True
        ),
        QgsProcessingParameterString(
            "SOURCES",
            tr("Further sources, separated by « ; » (added to those of the layers)"),
            multiLine=True,
            optional=True,
        ),
    ]


def _print_parameters() -> list:
    """Paper, labels, template, resolution, mode, overwriting."""
    return [
        enum_parameter("PAPER", tr("Paper size"), PAPERS, "A4", labels=PAPERS),
        enum_parameter(
            "ORIENTATION",
            tr("Orientation"),
            ORIENTATION_OPTIONS,
            "auto",
            labels=map_orientation_label,
            optional=True,
        ),
        QgsProcessingParameterBoolean(
            "LABEL_SERVICES",
            tr("Label the services (point layers) with their names"),
            defaultValue=False,
        ),
        QgsProcessingParameterFile(
            "TEMPLATE",
            tr("Layout template .qpt with the plugin's item ids (optional)"),
            extension="qpt",
            optional=True,
        ),
        QgsProcessingParameterNumber(
            "DPI",
            tr("Resolution (dpi)"),
            qc.NUMBER_INTEGER,
            defaultValue=300,
            minValue=50,
            maxValue=1200,
        ),
        enum_parameter("MODE", tr("Mode: draft or final"), MODES, "draft", labels=map_mode_label),
        QgsProcessingParameterBoolean(
            "OVERWRITE", tr("Replace existing files"), defaultValue=False
        ),
    ]


class ExportMapAlgorithm(CgetAlgorithm):
    ALG_ID = "exportmap"
    GROUP_ID = "layouts"
    ICON = "layout_map.svg"

    def display_name(self):
        return tr("Prefecture map (PDF, PNG, SVG, atlas)")

    def help_text(self):
        return tr(
            "Builds a map ready for the prefect's desk from the chosen layers: bloc-marque, "
            "title, subtitle, legend of the visible layers only, scale bar, north arrow, "
            "sources with their vintages (read from the layers' metadata), projection and "
            "« Réalisation : service – date », on A4 or A3. The layout stays in the project "
            "under LAYOUT_NAME so it can still be edited by hand.\n\n"
            "OUTPUT ending in .pdf, .png or .svg gives one file. With ATLAS_LAYER, one page per "
            "feature: OUTPUT ending in .pdf gives one multi-page PDF, a folder gives one file "
            "per feature (FORMAT) named from its code and name.\n\n"
            "MODE final refuses a map without title, bloc-marque, réalisation or dated "
            "sources and lists what is missing; MODE draft proceeds and marks the map "
            "« PROJET ». Without an official bloc-marque (LOGO or Réglages), only a draft is "
            "possible: the plugin never draws the Marianne.\n\n"
            "An existing file is only replaced with OVERWRITE. PDF text stays searchable "
            "text (accessibility); TEXT_AS_OUTLINES converts it to curves for print shops."
        )

    def flags(self):
        return qc.no_threading_flags(self)

    def initAlgorithm(self, config=None):
        for param in _content_parameters() + _page_text_parameters() + _print_parameters():
            self.addParameter(param)
        advanced = [
            QgsProcessingParameterBoolean(
                "TEXT_AS_OUTLINES",
                tr("Convert text to outlines (print shop; the PDF text is then not searchable)"),
                defaultValue=False,
            ),
            enum_parameter(
                "FORMAT",
                tr("Atlas file format when OUTPUT is a folder"),
                FORMATS,
                "pdf",
                labels=map_format_label,
            ),
        ]
        for param in advanced:
            param.setFlags(param.flags() | qc.PARAM_FLAG_ADVANCED)
            self.addParameter(param)
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "OUTPUT",
                tr("Output file (.pdf, .png, .svg) or folder for an atlas"),
                fileFilter="PDF (*.pdf);;PNG (*.png);;SVG (*.svg)",
            )
        )
        self.addOutput(QgsProcessingOutputString("LAYOUT_NAME", tr("Layout left in the project")))
        self.addOutput(QgsProcessingOutputNumber("PAGE_COUNT", tr("Number of pages")))

    # -- shared with the dialog's preview ---------------------------------------------------
    def request_from_parameters(self, parameters, context) -> MapRequest:
        project = context.project()
        layers = self.parameterAsLayerList(parameters, "LAYERS", context) or []
        if not layers and project is not None:
            layers = visible_layers(project)
        extent = None
        extent_crs = None
        if parameters.get("EXTENT") not in (None, ""):
            extent = self.parameterAsExtent(parameters, "EXTENT", context)
            extent_crs = self.parameterAsExtentCrs(parameters, "EXTENT", context)
        atlas_layer = None
        if parameters.get("ATLAS_LAYER") not in (None, ""):
            atlas_layer = self.parameterAsVectorLayer(parameters, "ATLAS_LAYER", context)
        orientation = self.parameterAsEnumString(parameters, "ORIENTATION", context) or "auto"
        spec = MapSpec(
            title=self.parameterAsString(parameters, "TITLE", context),
            subtitle=self.parameterAsString(parameters, "SUBTITLE", context),
            authority=self.parameterAsString(parameters, "AUTHORITY", context)
            or setting("authority", ""),
            service=self.parameterAsString(parameters, "AUTHOR", context) or setting("service", ""),
            logo=self.parameterAsFile(parameters, "LOGO", context) or setting("logo", ""),
            extra_sources=split_user_sources(
                self.parameterAsString(parameters, "SOURCES", context)
            ),
            paper=self.parameterAsEnumString(parameters, "PAPER", context) or "A4",
            orientation="" if orientation == "auto" else orientation,
            template=self.parameterAsFile(parameters, "TEMPLATE", context),
            dpi=self.parameterAsInt(parameters, "DPI", context) or 300,
            mode=self.parameterAsEnumString(parameters, "MODE", context) or "draft",
            label_services=self.parameterAsBool(parameters, "LABEL_SERVICES", context),
        )
        return MapRequest(spec, layers, extent, extent_crs, atlas_layer)

    @staticmethod
    def _keep_layers(request, context, project):
        """Layers a script passed as file paths live in the context's temporary store and die
        with it: move them into the project so the layout left there still shows them."""
        store = context.temporaryLayerStore()
        layers = list(request.layers) + ([request.atlas_layer] if request.atlas_layer else [])
        for layer in layers:
            if layer is None or project.mapLayer(layer.id()) is not None:
                continue
            if store.mapLayer(layer.id()) is not None:
                layer = store.takeMapLayer(layer)
            if layer is not None:
                project.addMapLayer(layer)

    def _keep_layout(self, result, request, context, feedback) -> str:
        """Leave the layout (and the layers it shows) in the context's project; its name, or
        "" when the context has no project to keep it in."""
        project = context.project()
        if project is None:
            feedback.pushInfo(
                tr(
                    "The layout is not kept: this Processing context has no project (the map "
                    "was built in a temporary one). Run the algorithm from QGIS or give the "
                    "context a project to keep the layout for editing."
                )
            )
            return ""
        self._keep_layers(request, context, project)
        result.layout.setName(unique_layout_name(project, result.layout.name()))
        project.layoutManager().addLayout(result.layout)
        return result.layout.name()

    def _report_build(self, request, result, feedback) -> None:
        for warning in result.warnings:
            feedback.pushWarning(warning)
        feedback.pushInfo(
            tr("Typeface: {family}; page {paper} {orientation}; scale 1:{scale}; {crs}.").format(
                family=result.font.family,
                paper=result.paper,
                orientation=tr("landscape")
                if result.orientation == "landscape"
                else tr("portrait"),
                scale=french_number(result.scale),
                crs=result.crs.authid(),
            )
        )
        if request.spec.mode == "final" and result.missing_for_final:
            raise InputError(
                tr(
                    "A final map needs: {missing}. Complete them, or export as a draft (MODE draft)."
                ).format(missing="; ".join(result.missing_for_final))
            )
        if request.spec.mode != "final" and result.missing_for_final:
            feedback.pushInfo(
                tr("Draft marked « PROJET ». Missing for a final map: {missing}.").format(
                    missing="; ".join(result.missing_for_final)
                )
            )

    def execute(self, parameters, context, feedback):
        request = self.request_from_parameters(parameters, context)
        output = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        if not output:
            raise InputError(tr("Choose an output file (OUTPUT)."))
        if request.atlas_layer is None:
            format_of(output)  # check the extension before any work
        options = ExportOptions(
            dpi=request.spec.dpi,
            text_as_outlines=self.parameterAsBool(parameters, "TEXT_AS_OUTLINES", context),
            overwrite=self.parameterAsBool(parameters, "OVERWRITE", context),
        )
        # Build without registering first: a refused final map leaves nothing in the project.
        project = context.project() or QgsProject()
        result = build_layout(
            request, project, register=False, transform_context=context.transformContext()
        )
        self._report_build(request, result, feedback)
        feedback.setProgress(10)
        if request.atlas_layer is not None:
            fmt = self.parameterAsEnumString(parameters, "FORMAT", context) or "pdf"
            report = export_atlas(result.layout, output, options, fmt, feedback)
        else:
            report = export_layout(result.layout, output, options, feedback)
        for note in report.notes:
            feedback.pushWarning(tr("File name changed: {note}").format(note=note))
        layout_name = self._keep_layout(result, request, context, feedback)
        for path in report.files:
            feedback.pushInfo(tr("Written: {path}").format(path=path))
        out = output
        if request.atlas_layer is not None and Path(output).suffix.lower() != ".pdf":
            out = str(Path(report.files[0]).parent) if report.files else output
        return {
            "OUTPUT": out,
            "LAYOUT_NAME": layout_name,
            "PAGE_COUNT": result.atlas_count or 1,
            "FILES": report.files,
        }
