"""Generate resources/layouts/{A4,A3}_{landscape,portrait}.qpt from the page geometry of
layout-conventions.md §2 (``cget_plugin.core.layouts.spec.GEOMETRY``).

Run with the QGIS 3.22 Python so the templates load in 3.22 and every later version:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/make_layout_templates.py

The .qpt files are committed; tests/unit/test_layout_templates.py checks ids, sizes and
uniqueness against the same table.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def build(paper, orientation, out_dir):
    from qgis.core import (
        QgsFillSymbol,
        QgsLayoutItem,
        QgsLayoutItemLabel,
        QgsLayoutItemLegend,
        QgsLayoutItemMap,
        QgsLayoutItemMapOverview,
        QgsLayoutItemPicture,
        QgsLayoutItemScaleBar,
        QgsLayoutItemShape,
        QgsLayoutMeasurement,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsPrintLayout,
        QgsProject,
        QgsReadWriteContext,
        QgsScaleBarSettings,
    )
    from qgis.PyQt.QtCore import Qt
    from qgis.PyQt.QtGui import QColor

    from cget_plugin.core.layouts import qgis_compat as compat
    from cget_plugin.core.layouts.spec import (
        COLOURS,
        GEOMETRY,
        LEGEND_COLUMNS,
        PAGE_TEXT,
        TYPE_SCALE,
        template_file_name,
    )

    geometry = GEOMETRY[(paper, orientation)]
    sizes = TYPE_SCALE[(paper, orientation)]
    family = "Marianne"  # the intent; the builder swaps in the installed fallback, on purpose
    mm = compat.millimetres()

    project = QgsProject()
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(f"CGET {paper} {orientation}")
    page = layout.pageCollection().page(0)
    page.setPageSize(paper, compat.page_orientation(orientation))

    def place(item, item_id):
        x, y, w, h = geometry[item_id]
        item.setId(item_id)
        item.setReferencePoint(QgsLayoutItem.ReferencePoint.UpperLeft)
        layout.addLayoutItem(item)
        item.attemptMove(QgsLayoutPoint(x, y, mm))
        item.attemptResize(QgsLayoutSize(w, h, mm))
        return item

    def label(item_id, text, size, bold, color, halign=Qt.AlignmentFlag.AlignLeft):
        item = QgsLayoutItemLabel(layout)
        item.setText(text)
        compat.set_label_text_style(item, family, size, bold, color)
        item.setHAlign(halign)
        item.setVAlign(Qt.AlignmentFlag.AlignTop)
        item.setMarginX(0)
        item.setMarginY(0)
        return place(item, item_id)

    logo = QgsLayoutItemPicture(layout)
    logo.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
    logo.setPictureAnchor(QgsLayoutItem.ReferencePoint.UpperLeft)
    place(logo, "logo_etat")

    label("titre", PAGE_TEXT["title_placeholder"], sizes["title"], True, COLOURS["title"])
    label(
        "sous_titre", PAGE_TEXT["subtitle_placeholder"], sizes["subtitle"], False, COLOURS["text"]
    )

    rule = QgsLayoutItemShape(layout)
    rule.setShapeType(QgsLayoutItemShape.Shape.Rectangle)
    rule.setSymbol(
        QgsFillSymbol.createSimple(
            {"color": COLOURS["bleu_france"], "outline_style": "no", "style": "solid"}
        )
    )
    place(rule, "filet")

    carte = QgsLayoutItemMap(layout)
    carte.setFrameEnabled(True)
    carte.setFrameStrokeWidth(QgsLayoutMeasurement(0.25, mm))
    carte.setFrameStrokeColor(QColor(COLOURS["text"]))
    carte.setBackgroundColor(QColor("#FFFFFF"))
    place(carte, "carte")

    legend = QgsLayoutItemLegend(layout)
    legend.setLinkedMap(carte)
    legend.setTitle(PAGE_TEXT["legend"])
    legend.setResizeToContents(False)
    legend.setColumnCount(LEGEND_COLUMNS[(paper, orientation)])
    legend.setBackgroundEnabled(False)
    legend.setFrameEnabled(False)
    place(legend, "legende")

    if "carte_situation" in geometry:
        situation = QgsLayoutItemMap(layout)
        situation.setFrameEnabled(True)
        situation.setFrameStrokeWidth(QgsLayoutMeasurement(0.2, mm))
        situation.setFrameStrokeColor(QColor(COLOURS["mention"]))
        place(situation, "carte_situation")
        overview = QgsLayoutItemMapOverview("Emprise", situation)
        overview.setLinkedMap(carte)
        overview.setFrameSymbol(
            QgsFillSymbol.createSimple(
                {
                    "color": "0,0,0,0",
                    "style": "no",
                    "outline_color": COLOURS["rouge_marianne"],
                    "outline_width": "0.6",
                    "outline_width_unit": "MM",
                }
            )
        )
        situation.overviews().addOverview(overview)

    north = QgsLayoutItemPicture(layout)
    north.setPicturePath(":/images/north_arrows/layout_default_north_arrow.svg")
    north.setMode(QgsLayoutItemPicture.Format.FormatSVG)
    north.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
    north.setLinkedMap(carte)
    place(north, "nord")

    scale = QgsLayoutItemScaleBar(layout)
    scale.setStyle("Single Box")
    scale.setLinkedMap(carte)
    scale.setUnits(compat.kilometres())
    scale.setUnitLabel("km")
    scale.setSegmentSizeMode(QgsScaleBarSettings.SegmentSizeMode.SegmentSizeFitWidth)
    w = geometry["echelle"][2]
    scale.setMinimumBarWidth(w * 0.45)
    scale.setMaximumBarWidth(w * 0.85)
    scale.setNumberOfSegments(2)
    scale.setNumberOfSegmentsLeft(0)
    scale.setHeight(1.5)
    scale.setTextFormat(compat.text_format(family, sizes["scale"], False, COLOURS["text"]))
    place(scale, "echelle")

    label("sources", "Sources : …", sizes["small"], False, COLOURS["text"])
    label(
        "realisation",
        "Réalisation : …",
        sizes["small"],
        False,
        COLOURS["text"],
        Qt.AlignmentFlag.AlignRight,
    )

    if "logos_partenaires" in geometry:
        partners = QgsLayoutItemPicture(layout)
        partners.setResizeMode(QgsLayoutItemPicture.ResizeMode.Zoom)
        partners.setPictureAnchor(QgsLayoutItem.ReferencePoint.UpperRight)
        partners.setVisibility(False)  # shown only for genuine co-emitters
        place(partners, "logos_partenaires")

    path = Path(out_dir) / template_file_name(paper, orientation)
    if not layout.saveAsTemplate(str(path), QgsReadWriteContext()):
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
