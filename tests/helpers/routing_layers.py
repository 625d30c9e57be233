"""Layers and feedback shared by the routing algorithm tests (tests/qgis/test_routing_*.py):
in-memory BD TOPO-like networks and point layers, the parameters every run shares."""

from qgis.core import (
    QgsFeature,
    QgsField,
    QgsGeometry,
    QgsProcessingFeedback,
    QgsProject,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QVariant


class Feedback(QgsProcessingFeedback):
    def __init__(self):
        super().__init__()
        self.infos, self.errors = [], []

    def pushInfo(self, info):
        self.infos.append(info)

    def reportError(self, error, fatalError=False):
        self.errors.append(error)


def memory_layer(kind, crs, fields, rows, name="layer"):
    """``rows`` = [(wkt, [values])]."""
    layer = QgsVectorLayer(f"{kind}?crs={crs}", name, "memory")
    layer.dataProvider().addAttributes([QgsField(n, t) for n, t in fields])
    layer.updateFields()
    feats = []
    for wkt, values in rows:
        feat = QgsFeature(layer.fields())
        feat.setGeometry(QgsGeometry.fromWkt(wkt))
        feat.setAttributes(values)
        feats.append(feat)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer, False)
    return layer


def bdtopo_fixture():
    """A -> B -> C along x (Lambert-93): AB 'Sens direct', BC 'Sens inverse', CD double."""
    fields = [
        ("cleabs", QVariant.String),
        ("nature", QVariant.String),
        ("importance", QVariant.String),
        ("sens_de_circulation", QVariant.String),
        ("vitesse_moyenne_vl", QVariant.Int),
        ("acces_vehicule_leger", QVariant.String),
        ("etat_de_l_objet", QVariant.String),
    ]
    x, y = 650000, 6860000
    rows = [
        (
            f"LINESTRING({x} {y}, {x + 1000} {y})",
            ["AB", "Route à 1 chaussée", "4", "Sens direct", 60, "Libre", "En service"],
        ),
        (
            f"LINESTRING({x + 1000} {y}, {x + 2000} {y})",
            ["BC", "Route à 1 chaussée", "4", "Sens inverse", 60, "Libre", "En service"],
        ),
        (
            f"LINESTRING({x + 2000} {y}, {x + 3000} {y})",
            ["CD", "Route à 1 chaussée", "5", "Double sens", 30, "Libre", "En service"],
        ),
        (
            f"LINESTRING({x} {y}, {x} {y + 500})",
            ["chemin", "Sentier", "6", "Sans objet", 0, "Physiquement impossible", "En service"],
        ),
    ]
    return memory_layer("LineString", "EPSG:2154", fields, rows, "troncon_de_route")


def points(coords, crs="EPSG:2154", name="points", extra=None):
    fields = [("id", QVariant.String)] + [(n, t) for n, t, _ in (extra or [])]
    rows = []
    for i, (x, y) in enumerate(coords):
        values = [f"p{i}"] + [vals[i] for _, _, vals in (extra or [])]
        rows.append((f"POINT({x} {y})", values))
    return memory_layer("Point", crs, fields, rows, name)


BASE = {
    "ID_FIELD": "id",
    "BACKEND": "local",
    "NETWORK_PROFILE": "auto",
    "MODE": "car",
    "DIRECTION": "departure",
    "OUTPUT_MODE": "cumulative",
    "OUTPUT": "TEMPORARY_OUTPUT",
}
