"""cget:exportmap atlases: page and file counts, file names, commune pages, the legend filtered
per page."""

import shutil
import subprocess

import pytest
from qgis.core import (
    QgsProcessingException,
    QgsProject,
    QgsVectorLayer,
)

from cget_plugin.core.provenance import Provenance, apply_to_layer
from tests.helpers.layout_export import QPV_31, Feedback, flat_text, pdf_info, pdf_text
from tests.helpers.shared_data import real_layer

pytestmark = pytest.mark.usefixtures("layout_clean_settings")


def test_atlas_one_pdf_page_per_feature(run_alg, layers, tmp_path):
    out = tmp_path / "atlas.pdf"
    result = run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], layers["communes"]],
            "ATLAS_LAYER": layers["qpv"],
            "TITLE": "Quartiers prioritaires de la Haute-Garonne",
            "OUTPUT": str(out),
            "DPI": 72,
        },
    )
    assert result["PAGE_COUNT"] == QPV_31 == layers["qpv"].featureCount()
    assert pdf_info(out)[2] == QPV_31
    text = flat_text(pdf_text(out))
    assert f"1/{QPV_31} – " in text and f"{QPV_31}/{QPV_31} – " in text
    assert "Empalot (QP031010)" in text


def test_atlas_one_file_per_feature(run_alg, layers, tmp_path, artifacts_dir):
    folder = tmp_path / "pages"
    result = run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], layers["communes"]],
            "ATLAS_LAYER": layers["qpv"],
            "OUTPUT": str(folder),
            "FORMAT": "png",
            "DPI": 50,
        },
    )
    files = sorted(folder.glob("*.png"))
    assert len(files) == QPV_31 == len(result["FILES"])
    assert (folder / "QP031010_Empalot.png").is_file()
    (artifacts_dir / "layouts").mkdir(exist_ok=True)
    shutil.copy(folder / "QP031010_Empalot.png", artifacts_dir / "layouts" / "atlas_QP031010.png")


def test_atlas_names_not_valid_as_file_names(run_alg, tmp_path):
    layer = QgsVectorLayer(
        "Polygon?crs=EPSG:2154&field=code:string&field=nom:string", "zones", "memory"
    )
    from qgis.core import QgsFeature, QgsGeometry

    feats = []
    for i, (code, name) in enumerate(
        [("A1", "Nord / Sud : centre?"), ("A2", "CON"), ("A1", "Nord / Sud : centre?")]
    ):
        f = QgsFeature(layer.fields())
        f.setAttributes([code, name])
        x = 570000 + i * 3000
        f.setGeometry(
            QgsGeometry.fromWkt(
                f"POLYGON(({x} 6270000,{x+2000} 6270000,{x+2000} 6272000,{x} 6272000,{x} 6270000))"
            )
        )
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    QgsProject.instance().addMapLayer(layer)
    feedback = Feedback()
    run_alg(
        "cget:exportmap",
        {"ATLAS_LAYER": layer, "OUTPUT": str(tmp_path / "z"), "FORMAT": "png", "DPI": 50},
        feedback=feedback,
    )
    names = sorted(p.name for p in (tmp_path / "z").iterdir())
    assert names == ["A1_Nord_Sud_centre.png", "A1_Nord_Sud_centre_2.png", "A2_CON.png"]
    assert any("Nord / Sud" in w for w in feedback.warnings)


def test_atlas_layer_without_feature(run_alg, layers, tmp_path):
    layers["qpv"].setSubsetString("1 = 0")
    with pytest.raises(QgsProcessingException, match="no feature"):
        run_alg("cget:exportmap", {"ATLAS_LAYER": layers["qpv"], "OUTPUT": str(tmp_path / "a.pdf")})


def test_commune_atlas_page_key(run_alg, tmp_path):
    communes = real_layer("communes/communes_31.gpkg", "communes", "Communes")
    communes.setSubsetString(
        "code_insee IN ('31069', '31022', '31555')"
    )  # Blagnac, Aucamville, Toulouse
    apply_to_layer(communes, Provenance("IGN", "ADMIN EXPRESS COG", "2026"))
    QgsProject.instance().addMapLayer(communes)
    out = tmp_path / "communes.pdf"
    run_alg("cget:exportmap", {"ATLAS_LAYER": communes, "OUTPUT": str(out), "DPI": 50})
    text = flat_text(pdf_text(out))
    assert pdf_info(out)[2] == 3
    assert "1/3 – Commune d'Aucamville (31022)" in text
    assert "2/3 – Commune de Blagnac (31069)" in text
    assert "3/3 – Commune de Toulouse (31555)" in text


def test_atlas_legend_filtered_per_page(run_alg, layers, tmp_path):
    out = tmp_path / "atlas.pdf"
    run_alg(
        "cget:exportmap",
        {
            "LAYERS": [layers["qpv"], layers["fs"], layers["communes"]],
            "ATLAS_LAYER": layers["qpv"],
            "OUTPUT": str(out),
            "DPI": 50,
        },
    )
    with_fs = []
    for page in range(1, QPV_31 + 1):
        text = subprocess.run(
            ["pdftotext", "-f", str(page), "-l", str(page), str(out), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        legend = text.split("Légende")[1].split("Sources")[0]
        assert "Quartiers prioritaires 2015" in flat_text(legend)
        with_fs.append("France services 2024" in flat_text(legend))
    # a France services site is in the frame of some QPV pages only
    assert any(with_fs) and not all(with_fs)
