"""Step 4: the GeoPackage: layers and their fields (the real sources' formats), written
atomically with pinned timestamps, and QGIS layer metadata (provenance) in gpkg_metadata."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from .geometry import qgis_app
from .territory import CREDIT, DEP_CODE, DEP_NAME, GENERATED_ON, MENTION, SEED, VINTAGE

LAYERS = {
    "departement": ("Département (fictif)", "MultiPolygon"),
    "communes": ("Communes (fictives)", "MultiPolygon"),
    "epci": ("EPCI (fictifs)", "MultiPolygon"),
    "troncon_de_route": ("Réseau routier (fictif)", "LineString"),
    "qpv": ("Quartiers prioritaires 2024 (fictifs)", "MultiPolygon"),
    "qpv_population": ("Population des QPV (fictive)", None),
    "france_services": ("France Services (fictives)", "Point"),
    "mairies": ("Mairies (fictives)", "Point"),
    "carreaux_200m": ("Population carroyée 200 m (fictive)", "Polygon"),
}

LAYER_ABSTRACTS = {
    "departement": "Contour du département fictif « {dep} » (code {code}).",
    "communes": "Communes fictives, champs au format IGN ADMIN EXPRESS COG v4 (plus nom, insee_dep, epci_siren, epci_nom).",
    "epci": "EPCI fictifs : union des communes membres, champs au format ADMIN EXPRESS COG v4.",
    "troncon_de_route": "Réseau routier fictif au format IGN BD TOPO v3 « troncon_de_route » : autoroute et bretelles, routes départementales, rues (dont sens uniques et giratoires), chemins et sentiers. Topologie : les tronçons se rejoignent par leurs extrémités.",
    "qpv": "Quartiers prioritaires fictifs au format ANCT QPV 2024 (fid, code_qp, lib_qp, insee_reg, lib_reg, insee_dep, lib_dep, insee_com, lib_com, siren_epci).",
    "qpv_population": "Population fictive des QPV (somme des carreaux dont le centre est dans le quartier).",
    "france_services": "Structures France Services fictives, champs de la liste ANCT (latitude/longitude WGS84 cohérentes avec la géométrie).",
    "mairies": "Mairies fictives, une par commune.",
    "carreaux_200m": "Population carroyée fictive au format INSEE Filosofi 200 m (identifiants INSPIRE EPSG:3035, géométrie Lambert-93). La somme de « ind » par commune (centre du carreau) égale la population de la commune.",
}


def field_specs(layer):
    S, I, R, B = "str", "int", "real", "bool"  # noqa: E741
    common = [("source", S)]
    specs = {
        "departement": [
            ("cleabs", S), ("nom_officiel", S), ("nom_officiel_en_majuscules", S),
            ("code_insee", S), ("code_insee_de_la_region", S), ("code_siren", S),
            ("nom", S), ("insee_dep", S),
        ],
        "communes": [
            ("cleabs", S), ("nom_officiel", S), ("nom_officiel_en_majuscules", S), ("statut", S),
            ("code_insee", S), ("population", I), ("date_du_recensement", S),
            ("organisme_recenseur", S), ("code_insee_du_departement", S),
            ("code_insee_de_la_region", S), ("code_siren", S), ("codes_siren_des_epci", S),
            ("code_postal", S), ("superficie_cadastrale", I),
            ("nom", S), ("insee_dep", S), ("epci_siren", S), ("epci_nom", S),
        ],
        "epci": [
            ("cleabs", S), ("nom_officiel", S), ("nom_officiel_en_majuscules", S), ("nature", S),
            ("codes_insee_des_communes_membres", S), ("codes_insee_des_departements_membres", S),
            ("code_siren", S), ("nom", S), ("epci_siren", S), ("population", I),
        ],
        "troncon_de_route": [
            ("cleabs", S), ("nature", S), ("importance", S), ("etat_de_l_objet", S),
            ("position_par_rapport_au_sol", S), ("nombre_de_voies", I), ("prive", B),
            ("sens_de_circulation", S), ("vitesse_moyenne_vl", I), ("acces_vehicule_leger", S),
            ("acces_pieton", S), ("urbain", B), ("insee_commune_gauche", S),
            ("insee_commune_droite", S), ("cpx_numero", S), ("cpx_classement_administratif", S),
        ],
        "qpv": [
            ("code_qp", S), ("lib_qp", S), ("insee_reg", S), ("lib_reg", S), ("insee_dep", S),
            ("lib_dep", S), ("insee_com", S), ("lib_com", S), ("siren_epci", S),
        ],
        "qpv_population": [("code_qp", S), ("lib_qp", S), ("insee_com", S), ("population", I)],
        "france_services": [
            ("id_fs", S), ("insee_dep", S), ("lib_fs", S), ("adresse", S),
            ("complement_adresse", S), ("insee_com", S), ("code_postal", S), ("lib_com", S),
            ("latitude", R), ("longitude", R), ("mail", S), ("telephone", S), ("h_lundi", S),
            ("h_mardi", S), ("h_mercredi", S), ("h_jeudi", S), ("h_vendredi", S),
            ("h_samedi", S), ("prise_rdv", S), ("commentaire", S), ("type_fs", S),
            ("format_fs", S), ("groupe_fs", S), ("labellisation_fs", S),
        ],
        "mairies": [
            ("code_insee", S), ("nom_commune", S), ("dep", S), ("adresse", S),
            ("telephone", S), ("email", S), ("site", S),
        ],
        "carreaux_200m": [
            ("idcar_200m", S), ("i_est_200", I),
            ("i_est_1km", I), ("lcog_geo", S), ("ind", R), ("men", R), ("men_pauv", R),
            ("ind_snv", R),
        ],
    }  # fmt: skip
    return specs[layer] + common


@dataclass
class Sample:
    """Everything the GeoPackage holds: per layer, a list of (wkt or None, attributes)."""

    layers: Dict[str, List[Tuple[Optional[str], dict]]]


def write_gpkg(sample: Sample, path: Path) -> None:
    """Write atomically: a temporary file in the same folder, then os.replace."""
    from osgeo import gdal, ogr, osr

    gdal.UseExceptions()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(suffix=".gpkg", dir=str(path.parent))
    os.close(fd)
    os.unlink(tmp)
    gdal.SetConfigOption("OGR_CURRENT_DATE", GENERATED_ON + "Z")
    try:
        drv = ogr.GetDriverByName("GPKG")
        ds = drv.CreateDataSource(tmp)
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(2154)
        types = {
            "str": ogr.OFTString,
            "int": ogr.OFTInteger,
            "real": ogr.OFTReal,
            "bool": ogr.OFTInteger,
        }
        gtypes = {
            "MultiPolygon": ogr.wkbMultiPolygon,
            "Polygon": ogr.wkbPolygon,
            "LineString": ogr.wkbLineString,
            "Point": ogr.wkbPoint,
        }
        for name, (title, gtype) in LAYERS.items():
            opts = [f"IDENTIFIER={title}", f"DESCRIPTION={MENTION}. {_abstract(name)}", "FID=fid"]
            if gtype:
                opts += ["GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"]
                lyr = ds.CreateLayer(name, srs, gtypes[gtype], options=opts)
            else:
                lyr = ds.CreateLayer(name, None, ogr.wkbNone, options=opts)
            for fname, ftype in field_specs(name):
                fd_ = ogr.FieldDefn(fname, types[ftype])
                if ftype == "bool":
                    fd_.SetSubType(ogr.OFSTBoolean)
                lyr.CreateField(fd_)
            lyr.StartTransaction()
            defn = lyr.GetLayerDefn()
            for wkt, attrs in sample.layers[name]:
                f = ogr.Feature(defn)
                for fname, _t in field_specs(name):
                    v = attrs.get(fname)
                    if v is None:
                        f.SetFieldNull(fname)
                    elif isinstance(v, bool):
                        f.SetField(fname, int(v))
                    else:
                        f.SetField(fname, v)
                if wkt:
                    f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
                lyr.CreateFeature(f)
            lyr.CommitTransaction()
        ds = None
        write_metadata(tmp)
        os.replace(tmp, path)
    finally:
        gdal.SetConfigOption("OGR_CURRENT_DATE", None)
        if os.path.exists(tmp):
            os.unlink(tmp)


def _abstract(name):
    return LAYER_ABSTRACTS[name].format(dep=DEP_NAME, code=DEP_CODE)


def provenance_for(name):
    from cget_plugin.core.provenance import Provenance

    title = LAYERS[name][0]
    return Provenance(
        producer="Plugin CGET",
        dataset=title,
        vintage=VINTAGE,
        licence="",
        retrieved=GENERATED_ON,
        notes=["données fictives", MENTION],
        credit=CREDIT,
        parameters={"generator": "scripts/make_sample.py", "seed": SEED},
    )


GPKG_METADATA_DDL = [
    "CREATE TABLE IF NOT EXISTS gpkg_metadata (id INTEGER CONSTRAINT m_pk PRIMARY KEY ASC NOT NULL,"
    "md_scope TEXT NOT NULL DEFAULT 'dataset',md_standard_uri TEXT NOT NULL,"
    "mime_type TEXT NOT NULL DEFAULT 'text/xml',metadata TEXT NOT NULL DEFAULT '')",
    "CREATE TABLE IF NOT EXISTS gpkg_metadata_reference (reference_scope TEXT NOT NULL,"
    "table_name TEXT,column_name TEXT,row_id_value INTEGER,timestamp DATETIME NOT NULL DEFAULT "
    "(strftime('%Y-%m-%dT%H:%M:%fZ','now')),md_file_id INTEGER NOT NULL,md_parent_id INTEGER,"
    "CONSTRAINT crmr_mfi_fk FOREIGN KEY (md_file_id) REFERENCES gpkg_metadata(id),"
    "CONSTRAINT crmr_mpi_fk FOREIGN KEY (md_parent_id) REFERENCES gpkg_metadata(id))",
]
METADATA_EXTENSION = "http://www.geopackage.org/spec120/#extension_metadata"


def layer_metadata_xml(name) -> str:
    """QGIS layer metadata (title, abstract, rights, provenance keyword) as QGIS stores it in a
    GeoPackage: read back by QGIS on load, and by ``core.provenance.read_from_layer``."""
    qgis_app()
    from qgis.core import Qgis, QgsCoordinateReferenceSystem, QgsVectorLayer
    from qgis.PyQt.QtXml import QDomDocument, QDomImplementation

    from cget_plugin.core.provenance import apply_to_layer

    title = LAYERS[name][0]
    holder = QgsVectorLayer("None", title, "memory")
    apply_to_layer(holder, provenance_for(name))
    md = holder.metadata()
    md.setIdentifier(name)
    md.setTitle(title)
    md.setAbstract(
        f"{MENTION}.\n{_abstract(name)}\n"
        "Territoire, noms, codes, populations, routes et quartiers inventés : ils ne décrivent "
        "aucun lieu réel. / Fictitious demonstration data: invented territory, names, codes "
        "and figures; they describe no real place."
    )
    md.setLanguage("fra")
    md.setType("dataset")
    md.setRights([CREDIT])
    if LAYERS[name][1]:
        md.setCrs(QgsCoordinateReferenceSystem("EPSG:2154"))
    doc = QDomDocument(
        QDomImplementation().createDocumentType("qgis", "http://mrcc.com/qgis.dtd", "SYSTEM")
    )
    root = doc.createElement("qgis")
    root.setAttribute("version", Qgis.version())
    doc.appendChild(root)
    md.writeMetadataXml(root, doc)
    return doc.toString()


def write_metadata(path) -> None:
    con = sqlite3.connect(str(path))
    try:
        for ddl in GPKG_METADATA_DDL:
            con.execute(ddl)
        for table in ("gpkg_metadata", "gpkg_metadata_reference"):
            con.execute(
                "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope) "
                "SELECT ?, NULL, 'gpkg_metadata', ?, 'read-write' WHERE NOT EXISTS "
                "(SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_metadata')",
                (table, METADATA_EXTENSION, table),
            )
        for name in LAYERS:
            cur = con.execute(
                "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) "
                "VALUES ('dataset', 'http://mrcc.com/qgis.dtd', 'text/xml', ?)",
                (layer_metadata_xml(name),),
            )
            con.execute(
                "INSERT INTO gpkg_metadata_reference (reference_scope, table_name, column_name, "
                "row_id_value, timestamp, md_file_id, md_parent_id) VALUES ('table', ?, NULL, NULL, ?, ?, NULL)",
                (name, GENERATED_ON + ".000Z", cur.lastrowid),
            )
        con.commit()
        con.execute("VACUUM")
    finally:
        con.close()
