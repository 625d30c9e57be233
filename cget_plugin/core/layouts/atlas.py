"""Atlas pages: one page per feature of the atlas layer, sorted and named by its name field,
titled « Commune de … » for communes, with a page key « 3/42 – … (code) » above the map."""

from __future__ import annotations

from qgis.core import QgsLayoutItemMap
from qgis.PyQt.QtCore import Qt

from ..definitions import COMMUNE_CODE_FIELD_CANDIDATES, COMMUNE_NAME_FIELD_CANDIDATES, first_field
from ..errors import InputError
from ..i18n import tr
from . import qgis_compat as compat
from .framing import ATLAS_MARGIN
from .layers import detect_fields
from .page import Page, add_label
from .spec import COLOURS, PAGE_KEY_ID, page_key
from .text_fit import item_rect

_COMMUNE_CODE_FIELDS = {name.lower() for name in COMMUNE_CODE_FIELD_CANDIDATES}


def page_label_expression(code_field: str, name_expr: str) -> str:
    """Expression naming an atlas page: "Commune de Blagnac", "Commune d'Aucamville",
    "Commune du Fauga" for commune layers; the plain name otherwise."""
    if code_field.lower() not in _COMMUNE_CODE_FIELDS:
        return name_expr
    n = name_expr
    elided = "'Commune d''' || " + n  # a quote is doubled inside a QGIS string literal
    return (
        "CASE "
        f"WHEN {n} ILIKE 'Le %' THEN 'Commune du ' || substr({n}, 4) "
        f"WHEN {n} ILIKE 'Les %' THEN 'Commune des ' || substr({n}, 5) "
        f"WHEN regexp_match(lower(left({n}, 1)), '[aeiouyàâäéèêëîïôöùûü]') THEN {elided} "
        f"ELSE 'Commune de ' || {n} END"
    )


def setup_atlas(page: Page, atlas_layer, carte, title: str) -> int:
    """Drive the map by the atlas layer; returns the number of pages."""
    code_field, name_field = detect_fields(atlas_layer)
    name_expr = f'"{name_field}"' if name_field else atlas_layer.displayExpression() or "$id"
    atlas = page.layout.atlas()
    atlas.setCoverageLayer(atlas_layer)
    atlas.setEnabled(True)
    atlas.setHideCoverage(False)
    atlas.setSortFeatures(True)
    atlas.setSortExpression(name_expr)
    atlas.setPageNameExpression(name_expr)
    code_part = f"\"{code_field}\" || '_' || " if code_field else ""
    atlas.setFilenameExpression(f"{code_part}{name_expr}")
    carte.setAtlasDriven(True)
    carte.setAtlasScalingMode(QgsLayoutItemMap.AtlasScalingMode.Auto)
    carte.setAtlasMargin(ATLAS_MARGIN)
    count = atlas.updateFeatures()
    if count == 0:
        raise InputError(
            tr("The atlas layer « {name} » has no feature to map (after its filter).").format(
                name=atlas_layer.name()
            )
        )
    label_expr = page_label_expression(code_field, name_expr)
    commune = _commune_text(atlas_layer, code_field)
    title_item = page.item("titre")
    if not title:
        title_item.setText(f"[% {label_expr} %]{commune}")
        compat.set_label_text_style(
            title_item, page.family, page.sizes["title"], True, COLOURS["title"]
        )
    _page_key(page, carte, title_item, label_expr, code_field, commune)
    return count


def _commune_text(atlas_layer, code_field: str) -> str:
    """ " – Toulouse": the commune(s) of a zone's page (a QPV), from its commune name field;
    "" for a commune layer (its title already names it) or a layer without such a field."""
    if code_field.lower() in _COMMUNE_CODE_FIELDS:
        return ""
    names = [f.name() for f in atlas_layer.fields()]
    commune_field = first_field(names, COMMUNE_NAME_FIELD_CANDIDATES)
    if commune_field is None:
        return ""
    return f"[% coalesce(' – ' || \"{commune_field}\", '') %]"


def _page_key(page: Page, carte, title_item, label_expr: str, code_field: str, commune) -> None:
    key_expr = page_key(
        "[% @atlas_featurenumber %]", "[% @atlas_totalfeatures %]", f"[% {label_expr} %]"
    )
    if code_field:
        key_expr += f' ([% "{code_field}" %])'
    key_expr += commune
    filet = page.item("filet")
    x, _y, w, _h = item_rect(title_item)
    top = (item_rect(filet)[1] if filet is not None else item_rect(carte)[1]) - 5
    add_label(
        page.layout,
        PAGE_KEY_ID,
        key_expr,
        (x, top, w, 4.5),
        page.family,
        page.sizes["legend_title"],
        True,
        COLOURS["bleu_france"],
        Qt.AlignmentFlag.AlignRight,
    )
