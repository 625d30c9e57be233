"""MapSpec + layers -> a named QgsPrintLayout, from ``resources/layouts/*.qpt`` (or the user's).

The template's item ids are the contract (docs/map-conventions.md §2). The build reads as its
steps, each in the module of its section:

- ``layers``: what is drawn (thematic over base layers) and the legend;
- ``framing``: extent, CRS of the territory, round scale;
- ``page`` / ``templates`` / ``settings``: the template, paper and typeface;
- ``page_items``: title, sources, réalisation, bloc-marque, scale bar, north arrow, draft marks;
- ``atlas``, ``overview``: atlas pages and the situation map;
- ``text_fit``: text that fits its box.

The layout is added to the project so the cartographer can still edit it by hand. No file is
written here (see ``export.py``). The project and transform context come from the caller (the
Processing context), never from ``QgsProject.instance()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

from qgis.core import QgsCoordinateReferenceSystem, QgsPrintLayout, QgsRectangle, QgsVectorLayer

from ..i18n import tr
from .atlas import setup_atlas
from .fonts import FontChoice
from .framing import choose_crs, frame_request, place_map, typical_width
from .labels import label_services
from .layers import (
    detect_fields,
    fill_legend,
    is_base_layer,
    map_layers,
    order_layers,
    readable_name,
    visible_layers,
)
from .overview import place_overview
from .page import open_page
from .page_items import (
    check_logo,
    draft_marks,
    place_bloc_marque,
    place_partners,
    place_scalebar_and_north,
    write_credits,
    write_title,
)
from .settings import set_setting, setting
from .sources import Credits
from .spec import MapSpec, missing_for_final
from .surroundings import find_surroundings, set_layout_variables, with_surroundings
from .templates import default_name, load_template, template_path, unique_layout_name


@dataclass
class MapRequest:
    spec: MapSpec
    layers: list  # layers to show, any order (the project's layer order wins)
    extent: Optional[QgsRectangle] = None
    extent_crs: Optional[QgsCoordinateReferenceSystem] = None
    atlas_layer: Optional[QgsVectorLayer] = None
    layout_name: str = ""


@dataclass
class BuildResult:
    layout: QgsPrintLayout
    paper: str
    orientation: str
    crs: QgsCoordinateReferenceSystem
    scale: float
    font: FontChoice
    credits: Credits
    legend_names: List[str]
    missing_for_final: List[str]
    warnings: List[str] = field(default_factory=list)
    atlas_count: int = 0
    logo_used: bool = False


def build_layout(
    request: MapRequest, project, register: bool = True, transform_context=None
) -> BuildResult:
    """Build the layout in ``project``; with ``register`` it is added to the project's layout
    manager under a unique name (a preview passes False and throws it away).
    ``transform_context`` defaults to the project's."""
    spec = request.spec
    layers = map_layers(request, project)
    if spec.label_services:
        label_services(layers)
    frame = frame_request(request, layers, project, transform_context or project.transformContext())
    page = open_page(spec, frame.rect, project)
    found = find_surroundings(project, layers, frame)
    if found is not None:
        set_layout_variables(page.layout, found)
    carte = page.item("carte")
    scale = place_map(carte, with_surroundings(layers, found), frame)
    names = {lyr.id(): readable_name(lyr) for lyr in layers}
    if not fill_legend(page, carte, layers, names):
        page.warnings.append(
            tr(
                "The legend is larger than its panel: shorten the layer names or reduce the "
                "number of classes, or use A3."
            )
        )
    atlas = request.atlas_layer
    place_scalebar_and_north(page, carte, scale, typical_width(atlas, frame), atlas is not None)
    title = write_title(page, spec)
    drawn = [found.credit] if found is not None else []
    credits = write_credits(page, carte, layers, names, frame, request, drawn)
    logo_used = place_bloc_marque(page, spec)
    place_partners(page, spec)
    atlas_count = setup_atlas(page, atlas, carte, title) if atlas is not None else 0
    place_overview(page, carte, layers, atlas, frame, found)
    # Checks before export: what a final map lacks, and the draft mark
    service = (spec.service or "").strip()
    missing = missing_for_final(
        title, credits.sources_line(), logo_used, service, credits.uncited_layers
    )
    if spec.mode != "final":
        draft_marks(page, carte, logo_used)
    layout = page.layout
    layout.setName(unique_layout_name(project, request.layout_name or default_name(spec)))
    if register:
        project.layoutManager().addLayout(layout)
    layout.refresh()
    return BuildResult(
        layout=layout,
        paper=page.paper,
        orientation=page.orientation,
        crs=frame.crs,
        scale=scale,
        font=page.font,
        credits=credits,
        legend_names=[names[lyr.id()] for lyr in layers],
        missing_for_final=missing,
        warnings=page.warnings,
        atlas_count=atlas_count,
        logo_used=logo_used,
    )


__all__ = [
    "MapRequest",
    "BuildResult",
    "build_layout",
    "template_path",
    "load_template",
    "check_logo",
    "readable_name",
    "is_base_layer",
    "visible_layers",
    "order_layers",
    "choose_crs",
    "detect_fields",
    "setting",
    "set_setting",
    "unique_layout_name",
]
