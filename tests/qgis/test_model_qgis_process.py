"""Issue 15 item 4: a Processing model chaining cget:loadgeography -> cget:isochrones ->
cget:exportmap with file outputs, saved as .model3 and run by ``qgis_process`` as a batch
user would: every feature reaches the files (GeoPackage outputs, per_origin bands repeating
their origin's key), the map is drawn, and the figures are those of an in-process run."""

from __future__ import annotations

from pathlib import Path

from tests.helpers.qgis_process import make_config, qgis_process_command, run_json

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "sample" / "cget_sample.gpkg"


def _child(alg_id, child_id, static=None, from_children=None, outputs=None):
    from qgis.core import (
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
    )

    child = QgsProcessingModelChildAlgorithm(alg_id)
    child.setChildId(child_id)
    for name, value in (static or {}).items():
        child.addParameterSources(
            name, [QgsProcessingModelChildParameterSource.fromStaticValue(value)]
        )
    for name, sources in (from_children or {}).items():
        child.addParameterSources(
            name,
            [
                QgsProcessingModelChildParameterSource.fromChildOutput(cid, out)
                for cid, out in sources
            ],
        )
    model_outputs = {}
    for output_name, model_name in (outputs or {}).items():
        out = QgsProcessingModelOutput(model_name, model_name)
        out.setChildId(child_id)
        out.setChildOutputName(output_name)
        model_outputs[model_name] = out
    child.setModelOutputs(model_outputs)
    return child


def build_model(path: Path) -> dict:
    """load (France services of the sample) -> isochrones per origin -> map. The model's
    parameter name of each output (``load:services`` up to QGIS 3.3x, ``services`` since)."""
    from qgis.core import QgsProcessingModelAlgorithm

    model = QgsProcessingModelAlgorithm("chaine_cget", "tests")
    model.addChildAlgorithm(
        _child(
            "cget:loadgeography",
            "load",
            static={
                "GEOGRAPHY": "france_services",
                "SOURCE": f"{SAMPLE}|layername=france_services",
            },
            outputs={"OUTPUT": "services"},
        )
    )
    model.addChildAlgorithm(
        _child(
            "cget:isochrones",
            "iso",
            static={
                "NETWORK": f"{SAMPLE}|layername=troncon_de_route",
                "BANDS_MIN": "5,10",
                "OUTPUT_MODE": "per_origin",
            },
            from_children={"INPUT": [("load", "OUTPUT")]},
            outputs={"OUTPUT": "isochrones"},
        )
    )
    model.addChildAlgorithm(
        _child(
            "cget:exportmap",
            "map",
            static={"TITLE": "Chaîne de traitements"},
            from_children={"LAYERS": [("iso", "OUTPUT"), ("load", "OUTPUT")]},
            outputs={"OUTPUT": "carte"},
        )
    )
    model.updateDestinationParameters()
    assert model.toFile(str(path))
    names = [p.name() for p in model.destinationParameterDefinitions()]
    return {
        output: next(n for n in names if n.split(":")[-1] == output)
        for output in ("services", "isochrones", "carte")
    }


def test_model_chain_runs_from_qgis_process_and_keeps_every_feature(run_alg, tmp_path):
    from qgis.core import QgsVectorLayer

    qgis_process_command()  # skips where qgis_process is not installed
    model = tmp_path / "chaine.model3"
    names = build_model(model)
    root = make_config(tmp_path / "qgis")
    services, bands, pdf = tmp_path / "fs.gpkg", tmp_path / "iso.gpkg", tmp_path / "carte.pdf"
    answer = run_json(
        [
            "run",
            str(model),
            "--",
            f"{names['services']}={services}",
            f"{names['isochrones']}={bands}",
            f"{names['carte']}={pdf}",
        ],
        root,
    )
    assert set(answer["results"]) >= set(names.values())

    written = QgsVectorLayer(str(services), "fs", "ogr")
    assert written.featureCount() == 6  # the sample's six France services
    iso = QgsVectorLayer(str(bands), "iso", "ogr")
    # the same step in this process, to a temporary layer: as many features, same figures
    temporary = run_alg(
        "cget:isochrones",
        {
            "INPUT": str(services),
            "NETWORK": f"{SAMPLE}|layername=troncon_de_route",
            "BANDS_MIN": "5,10",
            "OUTPUT_MODE": "per_origin",
            "OUTPUT": "TEMPORARY_OUTPUT",
        },
    )["OUTPUT"]
    assert iso.featureCount() == temporary.featureCount() == 12  # 6 origins x 2 bands

    def figures(layer):
        return sorted(
            (f["origin_id"], f["min_to"], round(f["area_km2"], 2)) for f in layer.getFeatures()
        )

    assert figures(iso) == figures(temporary)
    # the origin's key repeated on each of its bands, as an ordinary field
    keys = [f["fid_src2"] for f in iso.getFeatures()]
    assert len(set(keys)) == 6 and len(keys) == 12
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")
