"""Generate resources/layouts/{A4,A3}_{landscape,portrait}.qpt from the page geometry of
docs/map-conventions.md §2 (``cget_plugin.core.layouts.spec.GEOMETRY``).

Run with the QGIS 3.22 Python so the templates load in 3.22 and every later version:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/make_layout_templates.py

The .qpt files are committed; tests/unit/test_layout_templates.py checks ids, sizes and
uniqueness against the same table.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


class _Template:
    """One template being drawn: the layout and where each item id goes."""

    family = "Marianne"  # the intent; the builder swaps in the installed fallback, on purpose

    def __init__(self, paper, orientation):
        from qgis.core import QgsPrintLayout, QgsProject

        from cget_plugin.core.layouts import qgis_compat as compat
        from cget_plugin.core.layouts.spec import GEOMETRY, TYPE_SCALE

        self.paper, self.orientation = paper, orientation
        self.geometry = GEOMETRY[(paper, orientation)]
        self.sizes = TYPE_SCALE[(paper, orientation)]
        self.mm = compat.millimetres()
        self.project = QgsProject()
        self.layout = QgsPrintLayout(self.project)
        self.layout.initializeDefaults()
        self.layout.setName(f"CGET {paper} {orientation}")
        page = self.layout.pageCollection().page(0)
        page.setPageSize(paper, compat.page_orientation(orientation))

    def place(self, item, item_id):
        from qgis.core import QgsLayoutItem, QgsLayoutPoint, QgsLayoutSize

        x, y, w, h = self.geometry[item_id]
        item.setId(item_id)
        item.setReferencePoint(QgsLayoutItem.ReferencePoint.UpperLeft)
        self.layout.addLayoutItem(item)
        item.attemptMove(QgsLayoutPoint(x, y, self.mm))
        item.attemptResize(QgsLayoutSize(w, h, self.mm))
        return item

    def label(self, item_id, text, size, bold, color, halign=None):
        from qgis.core import QgsLayoutItemLabel
        from qgis.PyQt.QtCore import Qt

        from cget_plugin.core.layouts import qgis_compat as compat

        item = QgsLayoutItemLabel(self.layout)
        item.setText(text)
        compat.set_label_text_style(item, self.family, size, bold, color)
        item.setHAlign(halign if halign is not None else Qt.AlignmentFlag.AlignLeft)
        item.setVAlign(Qt.AlignmentFlag.AlignTop)
        item.setMarginX(0)
        item.setMarginY(0)
        return self.place(item, item_id)


def _header(tpl):
    """Bloc-marque slot, title, subtitle and the blue rule under them."""
    from qgis.core import QgsFillSymbol, QgsLayoutItem, QgsLayoutItemPicture, QgsLayoutItemShape

    from cget_plugin.core.layouts.spec import COLOURS, PAGE_TEXT

    logo = QgsLayoutItemPicture(tpl.layout)
    logo.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
    logo.setPictureAnchor(QgsLayoutItem.ReferencePoint.UpperLeft)
    tpl.place(logo, "logo_etat")
    sizes = tpl.sizes
    tpl.label("titre", PAGE_TEXT["title_placeholder"], sizes["title"], True, COLOURS["title"])
    tpl.label(
        "sous_titre", PAGE_TEXT["subtitle_placeholder"], sizes["subtitle"], False, COLOURS["text"]
    )
    rule = QgsLayoutItemShape(tpl.layout)
    rule.setShapeType(QgsLayoutItemShape.Shape.Rectangle)
    rule.setSymbol(
        QgsFillSymbol.createSimple(
            {"color": COLOURS["bleu_france"], "outline_style": "no", "style": "solid"}
        )
    )
    tpl.place(rule, "filet")


def _map_and_legend(tpl):
    from qgis.core import QgsLayoutItemLegend, QgsLayoutItemMap, QgsLayoutMeasurement
    from qgis.PyQt.QtGui import QColor

    from cget_plugin.core.layouts.spec import COLOURS, LEGEND_COLUMNS, PAGE_TEXT

    carte = QgsLayoutItemMap(tpl.layout)
    carte.setFrameEnabled(True)
    carte.setFrameStrokeWidth(QgsLayoutMeasurement(0.25, tpl.mm))
    carte.setFrameStrokeColor(QColor(COLOURS["text"]))
    carte.setBackgroundColor(QColor("#FFFFFF"))
    tpl.place(carte, "carte")

    legend = QgsLayoutItemLegend(tpl.layout)
    legend.setLinkedMap(carte)
    legend.setTitle(PAGE_TEXT["legend"])
    legend.setResizeToContents(False)
    legend.setColumnCount(LEGEND_COLUMNS[(tpl.paper, tpl.orientation)])
    legend.setBackgroundEnabled(False)
    legend.setFrameEnabled(False)
    tpl.place(legend, "legende")
    return carte


def _situation(tpl, carte):
    """The overview map with the main map's extent in red (optional id)."""
    from qgis.core import (
        QgsLayoutItemMap,
        QgsLayoutItemMapOverview,
        QgsLayoutMeasurement,
    )
    from qgis.PyQt.QtGui import QColor

    from cget_plugin.core.layouts.overview import extent_frame_symbol
    from cget_plugin.core.layouts.spec import COLOURS

    if "carte_situation" not in tpl.geometry:
        return
    situation = QgsLayoutItemMap(tpl.layout)
    situation.setFrameEnabled(True)
    situation.setFrameStrokeWidth(QgsLayoutMeasurement(0.2, tpl.mm))
    situation.setFrameStrokeColor(QColor(COLOURS["mention"]))
    tpl.place(situation, "carte_situation")
    overview = QgsLayoutItemMapOverview("Emprise", situation)
    overview.setLinkedMap(carte)
    overview.setFrameSymbol(extent_frame_symbol())
    situation.overviews().addOverview(overview)


def _north_and_scale(tpl, carte):
    from qgis.core import QgsLayoutItemPicture, QgsLayoutItemScaleBar, QgsScaleBarSettings

    from cget_plugin.core.layouts import qgis_compat as compat
    from cget_plugin.core.layouts.page_items import NORTH_ARROW
    from cget_plugin.core.layouts.spec import COLOURS

    north = QgsLayoutItemPicture(tpl.layout)
    north.setPicturePath(NORTH_ARROW)
    north.setMode(QgsLayoutItemPicture.Format.FormatSVG)
    north.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
    north.setLinkedMap(carte)
    tpl.place(north, "nord")

    scale = QgsLayoutItemScaleBar(tpl.layout)
    scale.setStyle("Single Box")
    scale.setLinkedMap(carte)
    scale.setUnits(compat.kilometres())
    scale.setUnitLabel("km")
    scale.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeMode.SegmentSizeFitWidth)
    w = tpl.geometry["echelle"][2]
    scale.setMinimumBarWidth(w * 0.45)
    scale.setMaximumBarWidth(w * 0.85)
    scale.setNumberOfSegments(2)
    scale.setNumberOfSegmentsLeft(0)
    scale.setHeight(1.5)
    scale.setTextFormat(compat.text_format(tpl.family, tpl.sizes["scale"], False, COLOURS["text"]))
    tpl.place(scale, "echelle")


def _footer(tpl):
    """Sources, réalisation and the partner logos slot (hidden unless genuine co-emitters)."""
    from qgis.core import QgsLayoutItem, QgsLayoutItemPicture
    from qgis.PyQt.QtCore import Qt

    from cget_plugin.core.layouts.spec import COLOURS

    small = tpl.sizes["small"]
    tpl.label("sources", "Sources : …", small, False, COLOURS["text"])
    tpl.label(
        "realisation", "Réalisation : …", small, False, COLOURS["text"], Qt.AlignmentFlag.AlignRight
    )
    if "logos_partenaires" in tpl.geometry:
        partners = QgsLayoutItemPicture(tpl.layout)
        partners.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
        partners.setPictureAnchor(QgsLayoutItem.ReferencePoint.UpperRight)
        partners.setVisibility(False)
        tpl.place(partners, "logos_partenaires")


def build(paper, orientation, out_dir):
    from qgis.core import QgsReadWriteContext

    from cget_plugin.core.layouts.spec import template_file_name

    tpl = _Template(paper, orientation)
    _header(tpl)
    carte = _map_and_legend(tpl)
    _situation(tpl, carte)
    _north_and_scale(tpl, carte)
    _footer(tpl)
    path = Path(out_dir) / template_file_name(paper, orientation)
    if not tpl.layout.saveAsTemplate(str(path), QgsReadWriteContext()):
        raise SystemExit(f"cannot write {path}")
    _stable_uuids(path)
    return path


def _stable_uuids(path):
    """Replace the random item uuids by stable ones so that regenerating a template only
    shows real changes in git (links between items are kept: same uuid, same replacement)."""
    import re
    import uuid

    text = path.read_text(encoding="utf-8")
    pattern = re.compile(r"\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}")
    mapping = {}
    for found in pattern.findall(text):
        if found not in mapping:
            stable = uuid.uuid5(uuid.NAMESPACE_URL, f"cget:{path.name}:{len(mapping)}")
            mapping[found] = "{" + str(stable) + "}"
    path.write_text(pattern.sub(lambda m: mapping[m.group(0)], text), encoding="utf-8")


def main():
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_HASH_SEED"] = "0"  # stable XML attribute order, so git shows real changes
    from qgis.core import QgsApplication

    from cget_plugin.core.layouts.spec import ORIENTATIONS, PAPERS

    app = QgsApplication([], False)
    app.initQgis()
    out_dir = REPO / "resources" / "layouts"
    out_dir.mkdir(parents=True, exist_ok=True)
    for paper in PAPERS:
        for orientation in ORIENTATIONS:
            print(build(paper, orientation, out_dir))
    app.exitQgis()


if __name__ == "__main__":
    main()
