"""The column-wise GeoPackage reads (``core/routing/column_reader.py``) give exactly what the
QGIS feature iterator gives: the same graph, the same population units, or no answer at all
(the iterator then reads the layer)."""

import numpy as np
import pytest

from cget_plugin.core.errors import InputError

GRAPH_ARRAYS = (
    "node_xy",
    "part_u",
    "part_v",
    "part_len",
    "part_cost_f",
    "part_cost_b",
    "part_fid",
    "part_limited",
    "vert_xy",
    "sample_xy",
    "sample_part",
    "sample_frac",
    "rows",
    "cols",
    "weights",
)

# (WKT, speed, direction, nature): every kind of geometry and value a network file may hold
SECTIONS = [
    ("LINESTRING (0 0, 100 0, 200 0)", 50, "Double sens", "Route à 1 chaussée"),
    ("LINESTRING Z (200 0 5, 300 0 6)", 30, "Sens direct", "Route à 1 chaussée"),
    ("MULTILINESTRING ((300 0, 400 0))", 70, "Sens inverse", "Route à 2 chaussées"),
    ("MULTILINESTRING ((400 0, 400 100), (400 100, 500 100))", 50, "Double sens", "Chemin"),
    ("COMPOUNDCURVE (CIRCULARSTRING (500 100, 550 150, 600 100))", 40, "Double sens", "Rond-point"),
    (None, 50, "Double sens", "Route à 1 chaussée"),
    ("LINESTRING EMPTY", 50, "Double sens", "Route à 1 chaussée"),
    ("LINESTRING (0 0, 0 100)", None, None, None),
    ("LINESTRING (0 100, 100 100)", 50, "Sans objet", "Route à 1 chaussée"),
    ("LINESTRING (100 100, 100 0)", 90, "Double sens", "Type autoroutier"),
    ("LINESTRING (100 100, 100 200)", 0, "Double sens", "Route à 1 chaussée"),
]


def _network_gpkg(path, sections):
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("troncon_de_route", srs, ogr.wkbUnknown)
    for name, kind in (
        ("cleabs", ogr.OFTString),
        ("nature", ogr.OFTString),
        ("importance", ogr.OFTString),
        ("sens_de_circulation", ogr.OFTString),
        ("vitesse_moyenne_vl", ogr.OFTInteger),
        ("acces_vehicule_leger", ogr.OFTString),
        ("etat_de_l_objet", ogr.OFTString),
    ):
        layer.CreateField(ogr.FieldDefn(name, kind))
    for i, (wkt, speed, direction, nature) in enumerate(sections):
        feat = ogr.Feature(layer.GetLayerDefn())
        feat.SetField("cleabs", f"TRONROUT{i:010d}")
        if nature is not None:
            feat.SetField("nature", nature)
            feat.SetField("importance", "1" if nature == "Type autoroutier" else "4")
        if direction is not None:
            feat.SetField("sens_de_circulation", direction)
        if speed is not None:
            feat.SetField("vitesse_moyenne_vl", speed)
        feat.SetField("acces_vehicule_leger", "Libre")
        feat.SetField("etat_de_l_objet", "En service")
        if wkt is not None:
            feat.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(feat)
    ds = None
    return path


def _both_graphs(layer, monkeypatch):
    from cget_plugin.core.routing import building, column_reader

    calls = []

    def spy(*args, **kwargs):
        answer = column_reader.read_flat_lines(*args, **kwargs)
        calls.append(answer is not None)
        return answer

    monkeypatch.setattr(building, "read_flat_lines", spy)
    fast = building.build_graph(layer, "bdtopo", "car")
    monkeypatch.setattr(building, "read_flat_lines", lambda *a, **k: None)
    slow = building.build_graph(layer, "bdtopo", "car")
    return fast, slow, calls


def _assert_same_graph(fast, slow):
    for name in GRAPH_ARRAYS:
        np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
    assert fast.stats == slow.stats


def test_every_kind_of_section_gives_the_graph_of_the_feature_iterator(
    qgis_app, tmp_path, monkeypatch
):
    from qgis.core import QgsVectorLayer

    path = _network_gpkg(tmp_path / "roads.gpkg", SECTIONS)
    layer = QgsVectorLayer(f"{path}|layername=troncon_de_route", "roads", "ogr")
    fast, slow, calls = _both_graphs(layer, monkeypatch)
    assert calls == [True]
    _assert_same_graph(fast, slow)
    # the curve segmentised, the NULL and empty geometries left out, the section without any
    # value and the one at zero speed refused, the two parts of the MultiLineString kept
    assert sorted(np.unique(fast.part_fid)) == [1, 2, 3, 4, 5, 9, 10]
    assert list(fast.part_fid).count(4) == 2
    assert fast.stats["features_forbidden"] == 2


def test_geometries_of_one_size_come_as_a_fixed_width_array(qgis_app, tmp_path, monkeypatch):
    from qgis.core import QgsVectorLayer

    lattice = [
        (f"LINESTRING ({x} {y}, {x + 100} {y})", 50, "Double sens", "Route à 1 chaussée")
        for x in range(0, 1000, 100)
        for y in range(0, 300, 100)
    ]
    path = _network_gpkg(tmp_path / "lattice.gpkg", lattice)
    layer = QgsVectorLayer(f"{path}|layername=troncon_de_route", "lattice", "ogr")
    fast, slow, calls = _both_graphs(layer, monkeypatch)
    assert calls == [True]
    _assert_same_graph(fast, slow)


def test_a_subset_string_or_a_reprojection_leaves_the_read_to_qgis(qgis_app, tmp_path):
    from qgis.core import QgsCoordinateReferenceSystem, QgsVectorLayer

    from cget_plugin.core.routing import building, column_reader
    from cget_plugin.core.routing import profiles as prof

    path = _network_gpkg(tmp_path / "roads.gpkg", SECTIONS)
    layer = QgsVectorLayer(f"{path}|layername=troncon_de_route", "roads", "ogr")
    names = [f.name() for f in layer.fields()]
    profile = prof.make_profile("bdtopo", "car", names, "", None)
    wanted = [(n, names.index(n)) for n in profile.fields if n in names]

    def speeds(values):
        return building._feature_speeds(profile, "car", values)

    assert column_reader.read_flat_lines(layer, layer.crs(), wanted, speeds) is not None
    other = QgsCoordinateReferenceSystem("EPSG:3857")
    assert column_reader.read_flat_lines(layer, other, wanted, speeds) is None
    layer.setSubsetString("vitesse_moyenne_vl > 40")
    assert column_reader.read_flat_lines(layer, layer.crs(), wanted, speeds) is None


def _points_gpkg(path, rows):
    from osgeo import ogr, osr

    srs = osr.SpatialReference()
    srs.ImportFromEPSG(2154)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    layer = ds.CreateLayer("points", srs, ogr.wkbPoint)
    layer.CreateField(ogr.FieldDefn("pop", ogr.OFTReal))
    for wkt, pop in rows:
        feat = ogr.Feature(layer.GetLayerDefn())
        if pop is not None:
            feat.SetField("pop", pop)
        if wkt is not None:
            feat.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
        layer.CreateFeature(feat)
    ds = None
    return path


def _both_units(layer, field, monkeypatch):
    from cget_plugin.core.routing import column_reader, population

    answers = []

    def spy(*args, **kwargs):
        answer = column_reader.read_points(*args, **kwargs)
        answers.append(answer is not None)
        return answer

    monkeypatch.setattr(population, "read_points", spy)
    fast = population.population_units(layer, field, layer.crs(), 100.0)
    monkeypatch.setattr(population, "read_points", lambda *a, **k: None)
    slow = population.population_units(layer, field, layer.crs(), 100.0)
    return fast, slow, answers


def test_population_points_are_the_units_of_the_feature_iterator(qgis_app, tmp_path, monkeypatch):
    from qgis.core import QgsVectorLayer

    rows = [("POINT (10 20)", 12.0), ("POINT Z (30 40 5)", None), (None, 7.0), ("POINT (50 60)", 3)]
    path = _points_gpkg(tmp_path / "pop.gpkg", rows)
    layer = QgsVectorLayer(f"{path}|layername=points", "pop", "ogr")
    for field in ("pop", ""):
        fast, slow, answers = _both_units(layer, field, monkeypatch)
        assert answers == [True]
        for name in ("fids", "pop", "rep_xy", "sample_xy", "sample_w", "sample_unit"):
            np.testing.assert_array_equal(getattr(fast, name), getattr(slow, name), err_msg=name)
        assert (fast.n_no_geometry, fast.pop_no_geometry) == (
            slow.n_no_geometry,
            slow.pop_no_geometry,
        )
    assert list(fast.pop) == [1.0, 1.0, 1.0]


def test_a_negative_population_is_refused_with_the_iterators_message(
    qgis_app, tmp_path, monkeypatch
):
    from qgis.core import QgsVectorLayer

    from cget_plugin.core.routing import population

    path = _points_gpkg(tmp_path / "bad.gpkg", [("POINT (10 20)", 12.0), ("POINT (1 2)", -4.0)])
    layer = QgsVectorLayer(f"{path}|layername=points", "bad", "ogr")
    with pytest.raises(InputError, match="-4"):
        population.population_units(layer, "pop", layer.crs(), 100.0)
