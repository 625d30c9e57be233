"""The "non raccordés" output: absent when every origin is attached (no empty layer in the
dialog's results), created and loaded when some are left out even if not asked for."""

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


def _origins(points):
    layer = QgsVectorLayer("Point?crs=EPSG:2154&field=id:string", "origines", "memory")
    feats = []
    for i, (x, y) in enumerate(points):
        feat = QgsFeature(layer.fields())
        feat.setAttributes([f"o{i}"])
        feat.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        feats.append(feat)
    layer.dataProvider().addFeatures(feats)
    return layer


def _run(run_alg, origins):
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    params = {
        "INPUT": origins,
        "ID_FIELD": "id",
        "NETWORK": f"{SAMPLE}|layername=troncon_de_route",
        "BANDS_MIN": "5",
        "OUTPUT": "TEMPORARY_OUTPUT",
    }
    result = run_alg("cget:isochrones", params, context=context)
    return result, context


def test_no_unsnapped_layer_when_all_attached(run_alg):
    services = QgsVectorLayer(f"{SAMPLE}|layername=france_services", "fs", "ogr")
    pts = [f.geometry().asPoint() for f in services.getFeatures()][:2]
    result, _context = _run(run_alg, _origins([(p.x(), p.y()) for p in pts]))
    assert "UNSNAPPED" not in result or not result["UNSNAPPED"]


def test_unsnapped_layer_created_and_loaded_when_points_left_out(run_alg):
    services = QgsVectorLayer(f"{SAMPLE}|layername=france_services", "fs", "ogr")
    p = next(services.getFeatures()).geometry().asPoint()
    far = (p.x() + 200_000, p.y() + 200_000)  # 280 km away from any road of the sample
    result, context = _run(run_alg, _origins([(p.x(), p.y()), far]))
    layer = result["UNSNAPPED"]
    layer = layer if isinstance(layer, QgsVectorLayer) else context.getMapLayer(layer)
    assert layer is not None and layer.featureCount() == 1
