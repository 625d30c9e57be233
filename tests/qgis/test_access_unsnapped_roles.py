"""cget:accesstime, "non raccordés" output: a facility left out is labelled as a facility
(role "facility"/"équipement", its own id), not as a population unit. Found by the desktop
test tests/gui/test_accessibility_toolbar.py, where the town halls far from the Saint-Germain
network came out with role "unité"."""

from pathlib import Path

from qgis.core import (
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingContext,
    QgsProject,
    QgsVectorLayer,
)

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "cget_sample.gpkg"


def _null(value):
    return value is None or str(value) == "NULL"


def test_facility_left_out_has_the_facility_role(run_alg):
    services = QgsVectorLayer(f"{SAMPLE}|layername=france_services", "fs", "ogr")
    facilities = QgsVectorLayer("Point?crs=EPSG:2154&field=id:string", "services", "memory")
    p = next(services.getFeatures()).geometry().asPoint()
    feats = []
    for ident, (x, y) in (("near", (p.x(), p.y())), ("far", (p.x() + 200_000, p.y()))):
        feat = QgsFeature(facilities.fields())
        feat.setAttributes([ident])
        feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        feats.append(feat)
    facilities.dataProvider().addFeatures(feats)
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    result = run_alg(
        "cget:accesstime",
        {
            "FACILITIES": facilities,
            "ID_FIELD": "id",
            "POPULATION": f"{SAMPLE}|layername=carreaux_200m",
            "POP_FIELD": "ind",
            "NETWORK": f"{SAMPLE}|layername=troncon_de_route",
            "THRESHOLDS_MIN": "10",
            "OUTPUT": "TEMPORARY_OUTPUT",
            "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
        },
        context=context,
    )
    layer = result["UNSNAPPED"]
    layer = layer if isinstance(layer, QgsVectorLayer) else context.getMapLayer(layer)
    rows = [(f["role"], f["ident"]) for f in layer.getFeatures() if _null(f["population"])]
    assert len(rows) == 1
    role, ident = rows[0]
    assert ident == "far"
    assert role in ("facility", "équipement")
    units = [f["role"] for f in layer.getFeatures() if not _null(f["population"])]
    assert all(r in ("unit", "unité") for r in units)
