"""A map of the French State is in French whatever the QGIS interface language (issue 14):
with the interface in English (no translator installed, as in these tests), an isochrone map's
legend classes, layer names, sources and notes carry no English word of ours."""

import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from pathlib import Path

from qgis.core import QgsProject, QgsVectorLayer

from cget_plugin.core.i18n import tr
from cget_plugin.core.paths import resource

SAMPLE = resource("sample", "cget_sample.gpkg")
TS = Path(__file__).resolve().parents[2] / "i18n" / "cget_fr.ts"
WORD = re.compile(r"[A-Za-zÀ-ÿ]{3,}")
TOKEN = re.compile(r"[\w'’-]+")
#: French words that happen not to appear in the translations (the sample's credit says
#: « Données fictives de démonstration (plugin CGET) »).
FRENCH_TOO = {"plugin"}


def _english_only_words():
    """Words of the plugin's English messages that none of their French translations uses:
    any of them on the map is English of ours."""
    english, french = set(), set()
    for message in ET.parse(TS).getroot().iter("message"):
        source, translation = message.findtext("source") or "", message.findtext("translation")
        english.update(w.lower() for w in WORD.findall(source))
        french.update(w.lower() for w in WORD.findall(translation or ""))
    return english - french


def test_isochrone_map_is_french_with_an_english_interface(run_alg, tmp_path):
    assert tr("{lo} to {hi} min") == "{lo} to {hi} min"  # the interface is in English
    uri = f"{SAMPLE}|layername="
    iso = run_alg(
        "cget:isochrones",
        {
            "INPUT": uri + "france_services",
            "ID_FIELD": "id_fs",
            "BACKEND": "local",
            "NETWORK": uri + "troncon_de_route",
            "NETWORK_PROFILE": "bdtopo",
            "MODE": "car",
            "BANDS_MIN": "10,20",
            "OUTPUT_MODE": "rings",
            "OUTPUT": str(tmp_path / "iso.gpkg"),
        },
    )
    bands = QgsVectorLayer(iso["OUTPUT"], "", "ogr")
    # the name the algorithm gave its output, as the toolbar loads it
    from cget_plugin.core.provenance import read_from_layer

    bands.setName(read_from_layer(bands).parameters["layer_name"])
    assert "car" in bands.name()  # the interface's name stays English
    QgsProject.instance().addMapLayer(bands)
    out = tmp_path / "carte.pdf"
    run_alg("cget:exportmap", {"LAYERS": [bands], "OUTPUT": str(out), "DPI": 72})
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))  # lines, ligatures
    assert "0 à 10 min" in text and "10 à 20 min" in text
    assert "Moteur local CGET" in text and "voiture" in text
    # the isochrones of the fictitious sample are drawn among fictitious neighbours, never
    # among the real départements where the sample's coordinates happen to lie
    assert "Données fictives de démonstration" in text and "IGN" not in text
    # words of the data (a network named « cget_sample ») are not ours: whole tokens only
    words = {t for t in TOKEN.findall(text) if "_" not in t and WORD.fullmatch(t)}
    english = sorted(w for w in words if w.lower() in _english_only_words() - FRENCH_TOO)
    assert english == [], english
