"""An origin whose coordinates are impossible in its layer's CRS (Lambert-93 numbers in a
WGS 84 layer, as a click on a canvas in the wrong CRS gives) is refused with a clear message,
not a Python traceback: found by tests/gui/test_accessibility_toolbar.py (map tool)."""

from pathlib import Path

import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsProcessingException, QgsVectorLayer

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "cget_sample.gpkg"


def test_origin_outside_its_crs_gives_a_clear_message(run_alg):
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=id:string", "point", "memory")
    feat = QgsFeature(layer.fields())
    feat.setAttributes(["p"])
    feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(633550.17, 6866920.86)))
    layer.dataProvider().addFeatures([feat])
    with pytest.raises(QgsProcessingException) as info:
        run_alg(
            "cget:isochrones",
            {
                "INPUT": layer,
                "ID_FIELD": "id",
                "NETWORK": f"{SAMPLE}|layername=troncon_de_route",
                "BANDS_MIN": "5",
                "OUTPUT": "TEMPORARY_OUTPUT",
            },
        )
    message = str(info.value)
    assert "Traceback" not in message
    assert "EPSG:4326" in message and "EPSG:2154" in message
