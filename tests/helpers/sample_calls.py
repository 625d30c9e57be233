"""One call of every algorithm of the cget provider on the bundled sample
(``resources/sample/cget_sample.gpkg``), offline, written the way a script or a batch file
writes it: inputs as file URIs, outputs as files. Used by the bare-context test
(``tests/qgis/test_bare_context.py``, ``processing.run``) and the command-line test
(``tests/gui/test_qgis_process.py``, ``qgis_process run``), so both cover the same calls.

A new algorithm of the provider makes both tests fail until its call is added here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "sample" / "cget_sample.gpkg"


def sample_layer(name: str) -> str:
    return f"{SAMPLE}|layername={name}"


def sample_calls(out: Path) -> Dict[str, dict]:
    """``{algorithm id: parameters}``, outputs written under ``out``."""
    network = {
        "BACKEND": "local",
        "NETWORK": sample_layer("troncon_de_route"),
        "NETWORK_PROFILE": "bdtopo",
        "MODE": "car",
    }
    population = {"POPULATION": sample_layer("carreaux_200m"), "POP_FIELD": "ind"}
    return {
        "cget:loadgeography": {
            "GEOGRAPHY": "qpv2024",
            "SOURCE": sample_layer("qpv"),
            "OUTPUT": str(out / "qpv.gpkg"),
        },
        "cget:locateaddresses": {
            "INPUT": sample_layer("mairies"),
            "ZONES": sample_layer("qpv"),
            "ZONE_CODE_FIELD": "code",
            "ZONE_NAME_FIELD": "nom",
            "OUTPUT": str(out / "located.gpkg"),
        },
        "cget:isochrones": {
            "INPUT": sample_layer("france_services"),
            "ID_FIELD": "code",
            "DIRECTION": "arrival",
            "BANDS_MIN": "10,20",
            "OUTPUT_MODE": "rings",
            **population,
            **network,
            "OUTPUT": str(out / "isochrones.gpkg"),
        },
        "cget:accesstime": {
            "FACILITIES": sample_layer("france_services"),
            "ID_FIELD": "code",
            "ZONES": sample_layer("qpv"),
            "ZONE_FIELD": "nom",
            "THRESHOLDS_MIN": "10,20",
            "DIRECTION": "arrival",
            **population,
            **network,
            "OUTPUT": str(out / "access.gpkg"),
            "OUTPUT_TABLE": str(out / "coverage.csv"),
        },
        "cget:siting": {
            "FACILITIES": sample_layer("france_services"),
            "ID_FIELD": "code",
            "CANDIDATES": sample_layer("mairies"),
            "CANDIDATE_ID_FIELD": "code_insee",
            "THRESHOLD_MIN": 10,
            "NEW_SITES": 2,
            **population,
            **network,
            "OUTPUT": str(out / "sites.gpkg"),
            "OUTPUT_TABLE": str(out / "curve.csv"),
            "OUTPUT_UNSERVED": str(out / "unserved.gpkg"),
            "OUTPUT_CRITICAL": str(out / "critical.gpkg"),
        },
        "cget:exportmap": {
            "LAYERS": [sample_layer("qpv"), sample_layer("communes")],
            "TITLE": "Échantillon",
            "MODE": "draft",
            "DPI": 72,
            "OUTPUT": str(out / "map.pdf"),
        },
    }


def file_outputs(params: dict, out: Path) -> Dict[str, str]:
    """The file outputs of one call (the parameters naming a file under ``out``)."""
    return {
        name: value
        for name, value in params.items()
        if isinstance(value, str) and value.startswith(str(out))
    }
