"""Write the shipped fallback styles of the accessibility outputs (``resources/styles/
isochrones.qml``, ``access_time_points.qml``, ``access_time_polygons.qml``) from
``cget_plugin.processing.styles``, with the default bands: the algorithms fall back on them
when they cannot write their own style, so they must carry the same palette.

Run with the QGIS 3.22 Python (the styles then load in 3.22 and every later version), after
``make translations`` (the aliases are French, as the layers a French user gets):

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/make_band_styles.py

tests/unit/test_routing_style.py checks that the shipped files hold the palette.
"""

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

ISOCHRONE_BANDS = (5, 10, 15, 20)  # BANDS_MIN's default
ACCESS_THRESHOLDS = (10, 20, 30)  # THRESHOLDS_MIN's default


def main():
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_HASH_SEED"] = "0"  # stable XML attribute order, so git shows real changes
    from qgis.core import QgsApplication, QgsFields
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    app = QgsApplication([], False)
    app.initQgis()
    translator = QTranslator()
    if not translator.load(str(REPO / "i18n" / "cget_fr.qm")):
        raise SystemExit("i18n/cget_fr.qm is missing: run `make translations` first")
    QCoreApplication.installTranslator(translator)

    from cget_plugin.processing import styles
    from cget_plugin.processing.access_time import unit_fields
    from cget_plugin.processing.isochrones import band_fields

    folder = REPO / "resources" / "styles"
    bands = band_fields(QgsFields(), "rings", with_population=True)
    print(styles.isochrone_style(ISOCHRONE_BANDS, bands, str(folder / "isochrones.qml")))
    units, added = unit_fields(QgsFields())
    for geometry in ("Point", "Polygon"):
        path = folder / f"access_time_{geometry.lower()}s.qml"
        print(styles.access_unit_style(geometry, ACCESS_THRESHOLDS, units, added, str(path)))
    app.exitQgis()


if __name__ == "__main__":
    main()
