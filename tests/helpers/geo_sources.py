"""The replayed sources of the load_geography tests (tests/qgis/test_geo_load*.py): synthetic
commune outlines behind a paged WFS, the QPV dataset on the data.gouv API and as a ZIP, a
catalogue pointing at the loopback server."""

import io
import json
import zipfile
from pathlib import Path

from cget_plugin.core.territory import load_reference
from tests.replay import datagouv
from tests.replay.wfs import WFS_MAX_COUNT, WfsGetFeature

REPO = Path(__file__).resolve().parents[2]


DATA = REPO / "tests" / "data" / "geo"


BUNDLED = REPO / "resources" / "catalog" / "catalog.json"


QPV_FIXTURE = DATA / "qpv2024_fixture.geojson"


DATASET = "5a561801c751df42d7fca9b6"


ZIP_MEMBER = "GEOJSON/QP2024_France_Hexagonale_Outre_Mer_WGS84.geojson"


def synthetic_communes(deps):
    """Square "outlines" (1 km, Lambert-93 grid) for every commune of ``deps``, with the ADMIN
    EXPRESS v4 attribute names. Fictitious geometry, real codes."""
    ref = load_reference()
    feats = []
    for n, code in enumerate(sorted(c for d in deps for c in ref.communes_of_departement(d))):
        row = ref.communes[code]
        x0, y0 = 600000 + (n % 40) * 1000, 6800000 + (n // 40) * 1000
        ring = [[x0, y0], [x0 + 1000, y0], [x0 + 1000, y0 + 1000], [x0, y0 + 1000], [x0, y0]]
        feats.append(
            {
                "type": "Feature",
                "id": f"commune.{n}",
                "geometry": {"type": "MultiPolygon", "coordinates": [[ring]]},
                "properties": {
                    "cleabs": f"COMMUNE_{code}",
                    "nom_officiel": row[0],
                    "code_insee": code,
                    "population": row[1],
                    "code_insee_du_departement": row[2],
                    "code_insee_de_la_region": row[3],
                    "codes_siren_des_epci": row[4],
                },
            }
        )
    return feats


def replay_wfs(feats, v3=False, cap=WFS_MAX_COUNT):
    """The replayed WFS on synthetic communes (Lambert-93 only); ``v3`` mimics the old field
    names; ``cap``: the server-side maximum per request, below the COUNT asked."""
    rows = []
    for f in feats:
        props = f["properties"]
        if v3:
            props = {
                "cleabs": props["cleabs"],
                "INSEE_COM": props["code_insee"],
                "NOM": props["nom_officiel"],
                "INSEE_DEP": props["code_insee_du_departement"],
                "POPULATION": props["population"],
            }
        rows.append({"props": props, "geometry": {"2154": f["geometry"]}})
    return WfsGetFeature({"ADMINEXPRESS-COG.LATEST:commune": rows}, max_count=cap)


def qpv_dataset_api(server, resources):
    return datagouv.dataset(
        DATASET,
        "Quartiers prioritaires de la politique de la ville (QPV)",
        [
            datagouv.resource(f"res{n}", title, fmt, server.url_for(path), modified)
            for n, (title, fmt, path, modified) in enumerate(resources)
        ],
    )


def qpv_zip():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(ZIP_MEMBER, QPV_FIXTURE.read_bytes())
        archive.writestr("SHP/readme.txt", "fixture")
    return buf.getvalue()


def alt_catalog(tmp_path, monkeypatch, server, page_size=100, max_age_days=None):
    data = json.loads(BUNDLED.read_text(encoding="utf-8"))
    data["datagouv_api"] = server.url_for("/api/1/datasets/")
    data["wfs"]["url"] = server.url_for("/wfs")
    data["wfs"]["page_size"] = page_size
    for entry in data["entries"]:
        entry["source"]["urls"] = [
            server.url_for(f"/pinned/{entry['id']}/{n}")
            for n, _ in enumerate(entry["source"].get("urls", []))
        ]
        if max_age_days is not None:
            entry["source"]["max_age_days"] = max_age_days
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    monkeypatch.setenv("CGET_CATALOG", str(path))
    return data


def features_by_code(layer):
    return {f["code"]: f for f in layer.getFeatures()}
