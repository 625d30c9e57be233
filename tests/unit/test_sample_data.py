"""The committed fictitious sample (resources/sample/cget_sample.gpkg): schema, codes, topology,
population and labelling. Read with GDAL/OGR only (no QGIS application needed)."""

import math
import re
import sqlite3
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

ogr = pytest.importorskip("osgeo.ogr")
osr = pytest.importorskip("osgeo.osr")

REPO = Path(__file__).resolve().parents[2]
GPKG = REPO / "resources" / "sample" / "cget_sample.gpkg"
MENTION = "Données fictives de démonstration – plugin CGET"
SIZE_BUDGET_BYTES = 3_500_000

QPV_FIELDS = [
    "code_qp",
    "lib_qp",
    "insee_reg",
    "lib_reg",
    "insee_dep",
    "lib_dep",
    "insee_com",
    "lib_com",
    "siren_epci",
]
FS_FIELDS = [
    "id_fs",
    "insee_dep",
    "lib_fs",
    "adresse",
    "complement_adresse",
    "insee_com",
    "code_postal",
    "lib_com",
    "latitude",
    "longitude",
    "type_fs",
    "format_fs",
]
ROAD_FIELDS = [
    "cleabs",
    "nature",
    "importance",
    "etat_de_l_objet",
    "sens_de_circulation",
    "vitesse_moyenne_vl",
    "acces_vehicule_leger",
    "acces_pieton",
    "urbain",
    "insee_commune_gauche",
    "insee_commune_droite",
    "cpx_numero",
]
COMMUNE_FIELDS = [
    "code_insee",
    "nom_officiel",
    "nom",
    "population",
    "code_insee_du_departement",
    "codes_siren_des_epci",
    "epci_siren",
    "epci_nom",
]
GRID_FIELDS = ["idcar_200m", "ind", "men", "i_est_200", "lcog_geo"]

EXPECTED = {
    "departement": (ogr.wkbMultiPolygon, ["code_insee", "nom_officiel", "nom"]),
    "communes": (ogr.wkbMultiPolygon, COMMUNE_FIELDS),
    "epci": (ogr.wkbMultiPolygon, ["code_siren", "nom_officiel", "nature", "epci_siren"]),
    "troncon_de_route": (ogr.wkbLineString, ROAD_FIELDS),
    "qpv": (ogr.wkbMultiPolygon, QPV_FIELDS),
    "qpv_population": (ogr.wkbNone, ["code_qp", "population"]),
    "france_services": (ogr.wkbPoint, FS_FIELDS),
    "mairies": (ogr.wkbPoint, ["code_insee", "nom_commune"]),
    "carreaux_200m": (ogr.wkbPolygon, GRID_FIELDS),
}


@pytest.fixture(scope="module")
def ds():
    if not GPKG.is_file():
        pytest.fail(f"sample missing: {GPKG} (run `make sample`)")
    data = ogr.Open(str(GPKG))
    assert data is not None
    return data


class Feat(dict):
    """Attributes plus a cloned geometry: OGR geometries die with their feature."""

    def __init__(self, f):
        super().__init__(f.items())
        self.fid = f.GetFID()
        g = f.GetGeometryRef()
        self.geom = g.Clone() if g is not None else None


def features(ds, name):
    layer = ds.GetLayerByName(name)
    assert layer is not None, name
    layer.ResetReading()
    return [Feat(f) for f in layer]


def test_size_budget():
    total = sum(p.stat().st_size for p in GPKG.parent.iterdir() if p.is_file())
    assert total <= SIZE_BUDGET_BYTES, f"sample folder is {total / 1e6:.2f} MB"


def test_layers_fields_types_and_crs(ds):
    names = {ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())}
    assert names == set(EXPECTED)
    for name, (gtype, fields) in EXPECTED.items():
        layer = ds.GetLayerByName(name)
        defn = layer.GetLayerDefn()
        have = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
        missing = [f for f in fields + ["source"] if f not in have]
        assert not missing, f"{name}: missing {missing}"
        assert layer.GetGeomType() == gtype, name
        if gtype != ogr.wkbNone:
            srs = layer.GetSpatialRef()
            assert srs.GetAuthorityCode(None) == "2154", name
        assert layer.GetFeatureCount() > 0, name


def test_official_qpv_schema_order(ds):
    defn = ds.GetLayerByName("qpv").GetLayerDefn()
    have = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
    assert have[: len(QPV_FIELDS)] == QPV_FIELDS
    assert ds.GetLayerByName("qpv").GetFIDColumn() == "fid"


def test_geometries_valid_and_in_the_territory(ds):
    dep = features(ds, "departement")[0].geom
    zone = dep.Buffer(1.0)
    for name, (gtype, _f) in EXPECTED.items():
        if gtype == ogr.wkbNone:
            continue
        together = ogr.Geometry(ogr.wkbGeometryCollection)
        for f in features(ds, name):
            g = f.geom
            assert g is not None and not g.IsEmpty(), (name, f.fid)
            assert g.IsValid(), (name, f.fid)
            together.AddGeometry(g)
        if name != "carreaux_200m":  # cells reach a little beyond the outline
            assert zone.Contains(together), name


def test_every_layer_says_fictitious(ds):
    for name in EXPECTED:
        for f in features(ds, name):
            assert f["source"] == MENTION, name
    con = sqlite3.connect(str(GPKG))
    try:
        rows = dict(
            (r[0], (r[1], r[2]))
            for r in con.execute("SELECT table_name, identifier, description FROM gpkg_contents")
        )
        for name in EXPECTED:
            identifier, description = rows[name]
            assert "fictif" in identifier or "fictive" in identifier, identifier
            assert MENTION in description
        md = con.execute(
            "SELECT r.table_name, m.metadata FROM gpkg_metadata m "
            "JOIN gpkg_metadata_reference r ON r.md_file_id = m.id"
        ).fetchall()
        described = {t for t, xml in md if "Données fictives de démonstration" in xml}
        assert described == set(EXPECTED)
    finally:
        con.close()


def test_codes_are_in_the_fictitious_namespace(ds):
    communes = features(ds, "communes")
    codes = sorted(f["code_insee"] for f in communes)
    assert codes == [f"{i:05d}" for i in range(1, len(codes) + 1)]
    assert 12 <= len(codes) <= 20
    for f in communes:
        assert f["code_insee_du_departement"] == "00"
        assert f["insee_dep"] == "00"
        assert re.fullmatch(r"0000\d{5}", f["code_siren"])
        assert f["epci_siren"] == f["codes_siren_des_epci"]
    sirens = {f["code_siren"] for f in features(ds, "epci")}
    assert 2 <= len(sirens) <= 3
    assert {f["epci_siren"] for f in communes} == sirens
    for s in sirens:  # Luhn checksum, as real SIREN numbers
        digits = [int(c) for c in reversed(s)]
        total = sum(
            d if i % 2 == 0 else (d * 2 - 9 if d * 2 > 9 else d * 2) for i, d in enumerate(digits)
        )
        assert total % 10 == 0, s
    assert features(ds, "departement")[0]["code_insee"] == "00"


def test_commune_populations_are_plausible(ds):
    pops = sorted((f["population"] for f in features(ds, "communes")), reverse=True)
    assert 120_000 <= sum(pops) <= 200_000
    assert 45_000 <= pops[0] <= 65_000  # the town with the QPV
    assert pops[-1] < 1000  # and small villages


def test_administrative_layers_fit_together(ds):
    communes = {f["code_insee"]: f.geom for f in features(ds, "communes")}
    dep = features(ds, "departement")[0].geom
    total = sum(g.GetArea() for g in communes.values())
    assert total == pytest.approx(dep.GetArea(), rel=1e-4)
    for f in features(ds, "epci"):
        members = f["codes_insee_des_communes_membres"].split("/")
        area = sum(communes[c].GetArea() for c in members)
        assert f.geom.GetArea() == pytest.approx(area, rel=1e-4)
        assert f.geom.GetGeometryCount() == 1, "an EPCI is in one piece"
    for code, g in communes.items():
        assert g.GetGeometryCount() == 1, f"commune {code} is in one piece"


def test_qpv_codes_sizes_and_communes(ds):
    communes = {f["code_insee"]: f for f in features(ds, "communes")}
    qpvs = features(ds, "qpv")
    assert 4 <= len(qpvs) <= 6
    multi = 0
    for f in qpvs:
        code = f["code_qp"]
        assert re.fullmatch(r"QN\d{3}\d{2}[NMI]", code), code
        assert code[2:5] == "0" + f["insee_dep"]
        area_ha = f.geom.GetArea() / 10_000
        assert 15 <= area_ha <= 80, (code, area_ha)
        hosts = [c.strip() for c in re.split(r"[;,]", f["insee_com"])]
        names = [n.strip() for n in f["lib_com"].split(",")]
        assert len(hosts) == len(names)
        multi += len(hosts) > 1
        for c, n in zip(hosts, names):
            assert communes[c]["nom"] == n
            assert communes[c].geom.Intersects(f.geom)
        assert f["siren_epci"] == communes[hosts[0]]["epci_siren"]
    assert multi >= 1, "one QPV straddles two communes, as 149 real ones do"
    assert len({f["code_qp"] for f in qpvs}) == len(qpvs)
    pops = {f["code_qp"]: f["population"] for f in features(ds, "qpv_population")}
    assert set(pops) == {f["code_qp"] for f in qpvs}
    assert all(1000 <= p <= 12_000 for p in pops.values()), pops


def _point_owner(polys, x, y):
    pt = ogr.Geometry(ogr.wkbPoint)
    pt.AddPoint_2D(x, y)
    for key, g in polys.items():
        if g.Contains(pt):
            return key
    return None


def test_grid_sums_equal_commune_populations(ds):
    communes = {f["code_insee"]: f.geom for f in features(ds, "communes")}
    pops = {f["code_insee"]: f["population"] for f in features(ds, "communes")}
    sums = defaultdict(float)
    for f in features(ds, "carreaux_200m"):
        c = f.geom.Centroid()
        owner = _point_owner(communes, c.GetX(), c.GetY())
        assert owner is not None
        assert owner in f["lcog_geo"]
        assert f["ind"] > 0  # empty cells are omitted, as in Filosofi
        assert f["men"] >= 1
        sums[owner] += f["ind"]
    for code, pop in pops.items():
        assert sums[code] == pytest.approx(pop, abs=0.5), code


def test_qpv_population_matches_the_grid(ds):
    qpvs = {f["code_qp"]: f.geom for f in features(ds, "qpv")}
    sums = defaultdict(float)
    for f in features(ds, "carreaux_200m"):
        c = f.geom.Centroid()
        owner = _point_owner(qpvs, c.GetX(), c.GetY())
        if owner:
            sums[owner] += f["ind"]
    for f in features(ds, "qpv_population"):
        assert sums[f["code_qp"]] == pytest.approx(f["population"], abs=0.5)


def test_grid_ids_follow_the_inspire_grid(ds):
    s2154 = osr.SpatialReference()
    s2154.ImportFromEPSG(2154)
    s3035 = osr.SpatialReference()
    s3035.ImportFromEPSG(3035)
    for s in (s2154, s3035):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(s2154, s3035)
    ids = set()
    for f in features(ds, "carreaux_200m"):
        m = re.fullmatch(r"CRS3035RES200mN(\d+)E(\d+)", f["idcar_200m"])
        assert m, f["idcar_200m"]
        north, east = int(m.group(1)), int(m.group(2))
        assert north % 200 == 0 and east % 200 == 0
        c = f.geom.Centroid()
        e, n, _ = ct.TransformPoint(c.GetX(), c.GetY())
        assert east <= e < east + 200 and north <= n < north + 200
        assert f["i_est_200"] == (1 if f["men"] < 11 else 0)
        ids.add(f["idcar_200m"])
    assert len(ids) == len(features(ds, "carreaux_200m"))


BDTOPO_DOMAINS = {
    "nature": {
        "Type autoroutier",
        "Route à 2 chaussées",
        "Route à 1 chaussée",
        "Bretelle",
        "Rond-point",
        "Route empierrée",
        "Chemin",
        "Sentier",
        "Escalier",
        "Bac ou liaison maritime",
    },
    "importance": {"1", "2", "3", "4", "5", "6"},
    "sens_de_circulation": {"Double sens", "Sens direct", "Sens inverse", "Sans objet"},
    "acces_vehicule_leger": {
        "Libre",
        "A péage",
        "Restreint aux ayants droit",
        "Physiquement impossible",
    },
    "etat_de_l_objet": {"En service"},
}


@pytest.fixture(scope="module")
def roads(ds):
    out = []
    for f in features(ds, "troncon_de_route"):
        g = f.geom
        pts = [(g.GetX(i), g.GetY(i)) for i in range(g.GetPointCount())]
        out.append((pts, {k: f[k] for k in ROAD_FIELDS}))
    return out


def test_road_values_follow_bd_topo(roads):
    assert 5000 <= len(roads) <= 15000
    seen = defaultdict(set)
    for pts, a in roads:
        for key, domain in BDTOPO_DOMAINS.items():
            assert a[key] in domain, (key, a[key])
            seen[key].add(a[key])
        assert isinstance(a["vitesse_moyenne_vl"], int) and 0 <= a["vitesse_moyenne_vl"] <= 130
        if a["acces_vehicule_leger"] != "Physiquement impossible":
            assert a["vitesse_moyenne_vl"] > 0
        for x, y in pts:  # stored at 0.1 m
            assert abs(x * 10 - round(x * 10)) < 1e-6 and abs(y * 10 - round(y * 10)) < 1e-6
    assert {"Type autoroutier", "Bretelle", "Rond-point", "Chemin", "Sentier"} <= seen["nature"]
    assert {"Double sens", "Sens direct", "Sens inverse"} <= seen["sens_de_circulation"]
    assert seen["importance"] == BDTOPO_DOMAINS["importance"]
    cleabs = [a["cleabs"] for _p, a in roads]
    assert len(set(cleabs)) == len(cleabs)
    assert all(re.fullmatch(r"TRONROUT\d{16}", c) for c in cleabs)
    motorway = [a for _p, a in roads if a["nature"] == "Type autoroutier"]
    assert all(a["importance"] == "1" and a["cpx_numero"] for a in motorway)
    assert (
        sum(
            1
            for _p, a in roads
            if a["nature"] == "Route à 1 chaussée" and a["sens_de_circulation"] != "Double sens"
        )
        >= 30
    )


def test_road_lengths_are_realistic(roads):
    lengths = {}
    for pts, a in roads:
        length = sum(math.dist(p, q) for p, q in zip(pts[:-1], pts[1:]))
        assert length > 0.05
        lengths.setdefault(a["nature"], []).append(length)
    total_km = sum(sum(v) for v in lengths.values()) / 1000
    assert 800 <= total_km <= 2500, total_km
    assert 30 <= sum(lengths["Type autoroutier"]) / 1000 <= 90  # two carriageways
    urban = [
        ln
        for (pts, a), ln in zip(
            roads, (sum(math.dist(p, q) for p, q in zip(pts[:-1], pts[1:])) for pts, _a in roads)
        )
        if a["urbain"]
    ]
    assert 40 <= float(np.median(urban)) <= 250  # town blocks


def test_road_network_is_connected(roads):
    parent = {}

    def find(a):
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for pts, _a in roads:
        ra, rb = find(pts[0]), find(pts[-1])
        if ra != rb:
            parent[ra] = rb
    sizes = defaultdict(int)
    for pts, _a in roads:
        sizes[find(pts[0])] += 1
    assert max(sizes.values()) / len(roads) > 0.95
    assert len(sizes) == 1, "the generator keeps one connected network"
    # the motorway reaches the rest only through its interchanges
    drivable = [p for p, a in roads if a["acces_vehicule_leger"] == "Libre"]
    assert drivable


def test_cars_can_leave_every_street_they_enter(roads):
    """Strongly connected for cars, but for the motorway stubs cut by the département limit."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    ids, rows, cols, edges = {}, [], [], []
    for pts, a in roads:
        if a["acces_vehicule_leger"] != "Libre" or a["nature"] == "Sentier":
            continue
        u = ids.setdefault(pts[0], len(ids))
        v = ids.setdefault(pts[-1], len(ids))
        sens = a["sens_de_circulation"]
        if sens in ("Double sens", "Sens direct"):
            rows.append(u)
            cols.append(v)
        if sens in ("Double sens", "Sens inverse"):
            rows.append(v)
            cols.append(u)
        edges.append((u, v, a["nature"]))
    n = len(ids)
    graph = csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    _k, labels = connected_components(graph, directed=True, connection="strong")
    main = np.bincount(labels).argmax()
    outside = [nat for u, v, nat in edges if labels[u] != main or labels[v] != main]
    assert set(outside) <= {"Type autoroutier", "Bretelle"}, outside
    assert len(outside) <= 0.01 * len(edges)


def test_one_way_digitising_and_roundabouts(roads):
    # a roundabout ring is one-way and its pieces join end to start
    rings = [(pts, a) for pts, a in roads if a["nature"] == "Rond-point"]
    assert len(rings) >= 6
    starts = {pts[0] for pts, _a in rings}
    for pts, a in rings:
        assert a["sens_de_circulation"] == "Sens direct"
        assert pts[-1] in starts
    # motorway ramps leave and join the carriageways, in the direction of travel
    ends = defaultdict(list)
    for pts, a in roads:
        ends[pts[0]].append(a["nature"])
        ends[pts[-1]].append(a["nature"])
    ramps = [(pts, a) for pts, a in roads if a["nature"] == "Bretelle"]
    assert len(ramps) >= 4
    for pts, _a in ramps:
        assert "Type autoroutier" in ends[pts[0]] or "Type autoroutier" in ends[pts[-1]]


def _distance_to_roads(roads, x, y):
    p = np.array([a for pts, _a in roads for a in pts[:-1]])
    q = np.array([b for pts, _a in roads for b in pts[1:]])
    d = q - p
    ll = (d**2).sum(axis=1)
    ll[ll == 0] = 1e-12
    t = np.clip(((x - p[:, 0]) * d[:, 0] + (y - p[:, 1]) * d[:, 1]) / ll, 0, 1)
    proj = p + d * t[:, None]
    return float(np.hypot(proj[:, 0] - x, proj[:, 1] - y).min())


def test_service_points_are_on_the_network_and_consistent(ds, roads):
    communes = {f["code_insee"]: f for f in features(ds, "communes")}
    src = osr.SpatialReference()
    src.ImportFromEPSG(2154)
    dst = osr.SpatialReference()
    dst.ImportFromEPSG(4326)
    for s in (src, dst):
        s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    ct = osr.CoordinateTransformation(src, dst)
    fs = features(ds, "france_services")
    assert 5 <= len(fs) <= 8
    for f in fs:
        g = f.geom
        assert _distance_to_roads(roads, g.GetX(), g.GetY()) <= 200
        lon, lat, _ = ct.TransformPoint(g.GetX(), g.GetY())
        assert f["longitude"] == pytest.approx(lon, abs=2e-6)
        assert f["latitude"] == pytest.approx(lat, abs=2e-6)
        com = communes[f["insee_com"]]
        assert com.geom.Contains(g)
        assert f["lib_com"] == com["nom"]
        assert f["insee_dep"] == "00"
        assert f["type_fs"] in {"Principal", "Antenne"}
        assert f["telephone"].startswith("01 99 00")  # range reserved for fiction
    mairies = features(ds, "mairies")
    assert {f["code_insee"] for f in mairies} == set(communes)
    for f in mairies:
        g = f.geom
        assert _distance_to_roads(roads, g.GetX(), g.GetY()) <= 200
    qpvs = [f.geom for f in features(ds, "qpv")]
    assert any(q.Contains(f.geom) for q in qpvs for f in fs), "one site in a QPV"
