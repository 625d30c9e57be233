"""Write the label rules of ``cget_plugin.core.layouts.labels`` into the plugin's styles
(``resources/styles/*.qml``), keeping their symbology.

Run with the QGIS 3.22 Python so the styles load in 3.22 and every later version:

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/make_label_styles.py

The .qml files are committed; tests/qgis/test_layout_surroundings.py checks that they carry the rules.
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def write_style(name: str, make_labeling, enabled: bool) -> Path:
    from qgis.core import QgsMapLayer, QgsVectorLayer

    path = REPO / "resources" / "styles" / name
    geometry = "Point" if name == "france_services.qml" else "MultiPolygon"
    layer = QgsVectorLayer(f"{geometry}?crs=EPSG:2154", name, "memory")
    message, ok = layer.loadNamedStyle(str(path))
    if not ok:
        raise SystemExit(f"cannot read {path}: {message}")
    layer.setLabeling(make_labeling())
    layer.setLabelsEnabled(enabled)
    categories = QgsMapLayer.Symbology | QgsMapLayer.Labeling | QgsMapLayer.Rendering
    message, ok = layer.saveNamedStyle(str(path), categories=categories)
    if not ok:
        raise SystemExit(f"cannot write {path}: {message}")
    return path


def main():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_HASH_SEED"] = "0"  # stable XML attribute order, so git shows real changes
    from qgis.core import QgsApplication

    from cget_plugin.core.layouts.labels import STYLE_LABELS

    app = QgsApplication([], False)
    app.initQgis()
    for name, (make_labeling, enabled) in STYLE_LABELS.items():
        print(write_style(name, make_labeling, enabled))
    app.exitQgis()


if __name__ == "__main__":
    main()
