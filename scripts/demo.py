"""`make demo`: the main job end to end, through the plugin's Processing algorithms.

Offline by default, on the fictitious sample territory shipped in resources/sample/:
priority neighbourhoods, France Services, travel-time bands on the local road network with the
population covered, time to the nearest France Services for every populated 200 m cell, coverage
overall and in the QPV, and a prefecture map (PDF and PNG, A4 landscape).

With ``--territory CODE`` (``make demo TERRITORY=48``) the same chain runs on the official
sources of the catalogue and on the plugin's own engine: the territory's BD TOPO road network
(``troncon_de_route``, plus 20 km) and INSEE's 200 m population grid (``carreaux_200m``) are
downloaded once and cached. ``--backend ign`` (``make demo TERRITORY=48 BACKEND=ign``) uses the
IGN Géoplateforme isochrone service and the communes' population instead. ``CGET_CATALOG`` may
point every source at a mirror (``make demo-replay`` uses a loopback replay server).

Everything goes through ``processing.run("cget:...")``: no parallel code path.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

SAMPLE = REPO / "resources" / "sample" / "cget_sample.gpkg"
MARKER = ".cget-demo"
BANDS = (10, 20, 30)


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--territory", default="", help="official territory code (e.g. 93)")
    parser.add_argument("--output", default=str(REPO / "demo-output"), help="output folder")
    parser.add_argument("--mode", default="car", choices=("car", "walk", "bike"))
    parser.add_argument(
        "--backend",
        default="local",
        choices=("local", "ign"),
        help="local: the plugin's engine on BD TOPO and the Filosofi grid; ign: IGN service",
    )
    return parser.parse_args(argv)


class TerminalFeedback:
    """Processing feedback drawing a progress bar per step on the terminal."""

    def __new__(cls, label):
        from qgis.core import QgsProcessingFeedback

        class _Feedback(QgsProcessingFeedback):
            def __init__(self):
                super().__init__()
                self.label = label
                self.last = -1
                self.tty = sys.stdout.isatty()
                self.messages = []
                self.progressChanged.connect(self._draw)

            def _draw(self, value):
                step = int(value)
                if step == self.last or (not self.tty and step // 25 == self.last // 25):
                    return
                self.last = step
                bar = "#" * (step // 4) + "-" * (25 - step // 4)
                end = "\r" if self.tty else "\n"
                print(f"  [{bar}] {step:3d} %  {self.label}", end=end, flush=True)

            def pushWarning(self, text):
                self.messages.append(("warning", text))

            def reportError(self, text, fatal=False):
                self.messages.append(("error", text))

            def pushInfo(self, text):
                self.messages.append(("info", text))

            def finish(self):
                if self.tty:
                    print()
                for kind, text in self.messages:
                    if kind != "info":
                        print(f"    ! {text}")

        return _Feedback()


def start_qgis():
    from qgis.core import QgsApplication

    QgsApplication.setPrefixPath("/usr", True)
    app = QgsApplication([], False)
    app.initQgis()
    plugins = "/usr/share/qgis/python/plugins"
    if plugins not in sys.path:
        sys.path.append(plugins)
    from processing.core.Processing import Processing

    Processing.initialize()
    from qgis.PyQt.QtCore import QCoreApplication, QTranslator

    from cget_plugin.core.paths import i18n_dir
    from cget_plugin.processing.provider import CgetProvider

    # The demo speaks French whatever the machine's locale: a prefecture map is in French.
    translator = QTranslator()
    if translator.load(str(i18n_dir() / "cget_fr.qm")):
        QCoreApplication.installTranslator(translator)
    else:
        print("(traduction française absente : lancez `make translations`)")
    provider = CgetProvider()
    QgsApplication.processingRegistry().addProvider(provider)
    return app, provider, translator


def prepare_output(folder: Path) -> Path:
    """The demo owns demo-output/: it refuses a folder that holds other people's files."""
    if folder.exists() and any(folder.iterdir()) and not (folder / MARKER).exists():
        sys.exit(
            f"Le dossier {folder} existe et ne vient pas de la démo : il n'est pas modifié. "
            "Choisissez un autre dossier avec --output."
        )
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / MARKER).write_text("Dossier produit par `make demo` (remplacé à chaque exécution).\n")
    return folder


def run_step(label, alg_id, params, context):
    import processing

    feedback = TerminalFeedback(label)
    started = time.monotonic()
    try:
        result = processing.run(alg_id, params, context=context, feedback=feedback)
    except Exception as exc:  # QgsProcessingException carries the user message
        feedback.finish()
        message = str(exc).strip().splitlines()[-1] if str(exc).strip() else repr(exc)
        print(f"\nÉchec de l'étape « {label} » : {message}", file=sys.stderr)
        raise SystemExit(2) from None
    feedback._draw(100)
    feedback.finish()
    print(f"  ✓ {label} ({time.monotonic() - started:.1f} s)")
    return result


def gpkg_output(gpkg: Path, table: str) -> str:
    return f"ogr:dbname='{gpkg}' table=\"{table}\" (geom)"


def open_layer(gpkg: Path, table: str, name: str):
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{gpkg}|layername={table}", name, "ogr")
    if not layer.isValid():
        raise SystemExit(f"La couche {table} de {gpkg} est illisible.")
    return layer


def coverage_rows(layer):
    """The coverage table's rows as dicts (first row: the whole population)."""
    names = layer.fields().names()
    return [dict(zip(names, feature.attributes())) for feature in layer.getFeatures()]


def write_french_csv(rows, path: Path):
    """The table as a French spreadsheet opens it: semicolons, decimal commas, UTF-8 with BOM
    (written beside, then moved into place)."""

    def cell(value):
        if value is None or (isinstance(value, float) and value != value):
            return ""
        if isinstance(value, float):
            return f"{value:.1f}".replace(".", ",")
        return str(value)

    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(list(rows[0]) if rows else [])
        for row in rows:
            writer.writerow([cell(v) for v in row.values()])
    os.replace(tmp, path)


def coverage_summary(rows):
    """Overall and all-QPV population within each band, from the coverage table's rows."""
    if not rows:
        return None
    overall, zones = rows[0], rows[1:]

    def number(row, key):
        try:
            return float(row.get(key) or 0)
        except (TypeError, ValueError):
            return 0.0

    summary = {"overall": {}, "qpv": {}}
    summary["overall"]["total"] = number(overall, "pop_total")
    summary["qpv"]["total"] = sum(number(z, "pop_total") for z in zones)
    for band in BANDS:
        summary["overall"][band] = number(overall, f"pop_le_{band}")
        summary["qpv"][band] = sum(number(z, f"pop_le_{band}") for z in zones)
    return summary


def french_int(value):
    return f"{round(value):,}".replace(",", "\u202f")


def print_summary(summary, mode_label):
    print("\nPopulation à moins de … du France Services le plus proche (" + mode_label + ")")
    print(f"  {'':<20}{'Ensemble':>18}{'dont QPV':>18}")
    for band in BANDS:
        cells = []
        for scope in ("overall", "qpv"):
            total = summary[scope]["total"] or 1
            value = summary[scope][band]
            cells.append(f"{french_int(value)} ({100 * value / total:.0f} %)")
        print(f"  {f'{band} min':<20}{cells[0]:>18}{cells[1]:>18}")
    print(
        f"  {'Population totale':<20}{french_int(summary['overall']['total']):>18}"
        f"{french_int(summary['qpv']['total']):>18}"
    )


def engine_inputs(args, offline, territory, gpkg, context, layers):
    """(routing parameters, population source, population field) of the chosen engine."""
    if offline:
        routing = {
            "BACKEND": "local",
            "NETWORK": f"{SAMPLE}|layername=troncon_de_route",
            "NETWORK_PROFILE": "bdtopo",
        }
        return {**routing, "MODE": args.mode}, f"{SAMPLE}|layername=carreaux_200m", "ind"
    if args.backend == "ign":
        return {"BACKEND": "ign", "MODE": args.mode}, layers["communes"], "population"
    # The local engine on a real territory: its road network and population grid, one
    # loadgeography each (downloaded once, then from the cache).
    for geography, label in (
        ("troncon_de_route", "BD TOPO – tronçons de route (territoire + 20 km)"),
        ("carreaux_200m", "Population carroyée Filosofi 2021 (200 m)"),
    ):
        run_step(
            f"Chargement : {label}",
            "cget:loadgeography",
            {
                "GEOGRAPHY": geography,
                "TERRITORY": territory,
                "OUTPUT": gpkg_output(gpkg, geography),
            },
            context,
        )
        layers[geography] = open_layer(gpkg, geography, label)
    routing = {
        "BACKEND": "local",
        "NETWORK": layers["troncon_de_route"],
        "NETWORK_PROFILE": "bdtopo",
        "MODE": args.mode,
    }
    return routing, layers["carreaux_200m"], "ind"


SITING_THRESHOLD = 10
SITING_SITES = 3


def siting_scenario(
    offline, out, gpkg, context, layers, routing, population, pop_field, map_params
):
    """Issue 12: the three best new sites for a 10-minute target (the sample's town halls as
    candidates), and the scenario map (PDF and PNG). Needs the local engine and candidate
    sites: skipped on a remote router and on a real territory (no town halls in the sources)."""
    if routing.get("BACKEND") != "local":
        return {"skipped": "le choix d'implantation demande le moteur local (réseau routier)"}
    if not offline:
        return {"skipped": "sites candidats (mairies) fournis par l'échantillon seulement"}
    from cget_plugin.processing.siting_outputs import scenario_subtitle

    result = run_step(
        f"Où implanter ? {SITING_SITES} nouveaux sites, objectif {SITING_THRESHOLD} min",
        "cget:siting",
        {
            "FACILITIES": layers["france_services"],
            "ID_FIELD": "code",
            "CANDIDATES": f"{SAMPLE}|layername=mairies",
            "CANDIDATE_ID_FIELD": "nom_commune",
            "POPULATION": population,
            "POP_FIELD": pop_field,
            "THRESHOLD_MIN": SITING_THRESHOLD,
            "NEW_SITES": SITING_SITES,
            "OUTPUT": gpkg_output(gpkg, "implantations"),
            "OUTPUT_TABLE": str(out / "courbe_couverture.csv"),
            "OUTPUT_UNSERVED": gpkg_output(gpkg, "population_eloignee"),
            **routing,
        },
        context,
    )
    sites = open_layer(gpkg, "implantations", "Implantations proposées")
    far = open_layer(gpkg, "population_eloignee", f"Population à plus de {SITING_THRESHOLD} min")
    for layer in (far, sites):
        context.project().addMapLayer(layer)
    files = []
    params = {
        **map_params,
        "LAYERS": [sites, layers["france_services"], far, layers["communes"]],
        "TITLE": "Où implanter de nouveaux France Services ?",
        "SUBTITLE": scenario_subtitle(SITING_THRESHOLD, SITING_SITES)
        + " – "
        + map_params["SUBTITLE"].split(" – ")[-1],
    }
    for fmt, dpi in (("pdf", 300), ("png", 150)):
        path = out / f"carte_implantations.{fmt}"
        run_step(
            f"Carte du scénario d'implantation ({fmt.upper()})",
            "cget:exportmap",
            {**params, "FORMAT": fmt, "DPI": dpi, "OUTPUT": str(path)},
            context,
        )
        files.append((path, f"carte du scénario d'implantation ({fmt.upper()})"))
    with open(result["OUTPUT_TABLE"], encoding="utf-8-sig", newline="") as handle:
        curve = list(csv.DictReader(handle))
    chosen = sorted(sites.getFeatures(), key=lambda f: f["rank"])
    rows = [(f["rank"], f["candidate_id"], f["gain_pop"], f["covered_share"]) for f in chosen]
    return {"curve": curve, "sites": rows, "files": files}


def print_siting(scenario):
    """After the coverage table: the chosen sites and the population each brings."""
    if "skipped" in scenario:
        print(f"\nOù implanter ? (non calculé : {scenario['skipped']})")
        return
    base = float(scenario["curve"][0]["covered_share"])
    print(
        f"\nOù implanter ? Les {len(scenario['sites'])} meilleurs nouveaux sites pour un objectif "
        f"à {SITING_THRESHOLD} min (aujourd'hui {base:.1f} %".replace(".", ",")
        + ")"
    )
    for rank, name, gain, share in scenario["sites"]:
        share_text = f"{share:.1f}".replace(".", ",")
        print(
            f"  {rank}. {name:<22} {'+' + french_int(gain):>8} habitants à moins de "
            f"{SITING_THRESHOLD} min   → {share_text} %"
        )


def load_geographies(args, offline, gpkg, context):
    """QPV, communes and France Services of the territory (or of the sample): their layers."""
    if offline:
        if not SAMPLE.is_file():
            raise SystemExit(f"Échantillon absent : {SAMPLE}")
        print("Démonstration hors ligne sur le territoire FICTIF livré avec l'extension.\n")
        sources = {
            "qpv2024": f"{SAMPLE}|layername=qpv",
            "communes": f"{SAMPLE}|layername=communes",
            "france_services": f"{SAMPLE}|layername=france_services",
        }
    else:
        engine = (
            "moteur de l'extension (BD TOPO + carreaux Filosofi)"
            if args.backend == "local"
            else "service d'isochrones de l'IGN"
        )
        print(
            f"Démonstration sur les données officielles du territoire {args.territory}, {engine}.\n"
        )
        sources = {"qpv2024": "", "communes": "", "france_services": ""}
    names = {
        "qpv2024": "Quartiers prioritaires 2024",
        "communes": "Communes",
        "france_services": "France Services",
    }
    if offline:
        names = {k: f"{v} (fictif)" for k, v in names.items()}
    layers = {}
    for geography in ("qpv2024", "communes", "france_services"):
        run_step(
            f"Chargement : {names[geography]}",
            "cget:loadgeography",
            {
                "GEOGRAPHY": geography,
                "TERRITORY": args.territory,
                "SOURCE": sources[geography],
                "OUTPUT": gpkg_output(gpkg, geography),
            },
            context,
        )
        layers[geography] = open_layer(gpkg, geography, names[geography])
    return layers


def run_accessibility(engine, layers, gpkg, coverage_csv, context, mode_label):
    """Isochrone bands, then time to the nearest France Services with the coverage table
    (written to ``coverage_csv`` for a French spreadsheet); ``engine`` is what
    :func:`engine_inputs` returned. The bands' layer and the coverage rows."""
    routing, population_source, pop_field = engine
    bands = ",".join(str(b) for b in BANDS)
    run_step(
        "Isochrones (bandes 10, 20, 30 min) et population couverte",
        "cget:isochrones",
        {
            "INPUT": layers["france_services"],
            "ID_FIELD": "code",
            "DIRECTION": "arrival",
            "BANDS_MIN": bands,
            "OUTPUT_MODE": "rings",
            "POPULATION": population_source,
            "POP_FIELD": pop_field,
            "OUTPUT": gpkg_output(gpkg, "isochrones"),
            **routing,
        },
        context,
    )
    access = run_step(
        "Temps d'accès au France Services le plus proche, population par QPV",
        "cget:accesstime",
        {
            "FACILITIES": layers["france_services"],
            "ID_FIELD": "code",
            "POPULATION": population_source,
            "POP_FIELD": pop_field,
            "ZONES": layers["qpv2024"],
            "ZONE_FIELD": "nom",
            "THRESHOLDS_MIN": bands,
            "DIRECTION": "arrival",
            "OUTPUT": gpkg_output(gpkg, "temps_acces"),
            "OUTPUT_TABLE": "TEMPORARY_OUTPUT",
            **routing,
        },
        context,
    )
    coverage = coverage_rows(access["OUTPUT_TABLE"])  # processing.run hands back the layer
    write_french_csv(coverage, coverage_csv)
    return open_layer(gpkg, "isochrones", f"Temps d'accès {mode_label}"), coverage


def replay_warning(layers) -> str:
    """A mirror may serve test data (the loopback replay server labels its datasets "REPLAY"):
    then the map must say so rather than pass them off as the official sources."""
    from cget_plugin.core.provenance import read_from_layer

    for layer in layers.values():
        provenance = read_from_layer(layer)
        if any("REPLAY" in note.upper() for note in (provenance.notes if provenance else []) or []):
            print("\n  ! Sources servies par un serveur de rejeu de test : la carte le signale.")
            return "ATTENTION : données de rejeu de test (serveur local), non diffusables"
    return ""


def export_maps(args, offline, layers, isochrones, out, context, mode_label):
    """The prefecture map, PDF and PNG: their paths and the map parameters (for the scenario)."""
    project = context.project()
    # Each added layer goes on top of the layer tree: add the background first.
    for layer in (layers["communes"], isochrones, layers["qpv2024"], layers["france_services"]):
        project.addMapLayer(layer)
    # The map is drawn in the layers' official CRS (Lambert-93 in metropolitan France).
    project.setCrs(layers["communes"].crs())
    extent = layers["communes"].extent()
    extent_text = (
        f"{extent.xMinimum()},{extent.xMaximum()},{extent.yMinimum()},{extent.yMaximum()}"
        f" [{layers['communes'].crs().authid()}]"
    )
    if offline:
        place = "territoire fictif de démonstration"
    else:
        from cget_plugin.core.territory import parse_territory

        place = parse_territory(args.territory).label()
    map_params = {
        "LAYERS": [layers["france_services"], layers["qpv2024"], isochrones, layers["communes"]],
        "EXTENT": extent_text,
        "TITLE": f"Accès aux France Services {mode_label}",
        "SUBTITLE": f"Temps de trajet vers le France Services le plus proche – {place}",
        "PAPER": "A4",
        "ORIENTATION": "landscape",
        "AUTHOR": "Démonstration de l'extension CGET" if offline else "",
        "SOURCES": replay_warning(layers),
        "MODE": "draft",
        "OVERWRITE": True,
    }
    pdf = out / "carte_acces_france_services.pdf"
    png = out / "carte_acces_france_services.png"
    for path, fmt, dpi in ((pdf, "pdf", 300), (png, "png", 150)):
        run_step(
            f"Carte préfecture ({fmt.upper()}, A4 paysage)",
            "cget:exportmap",
            {**map_params, "FORMAT": fmt, "DPI": dpi, "OUTPUT": str(path)},
            context,
        )
    return pdf, png, map_params


def main(argv=None):
    args = parse_args(argv if argv is not None else sys.argv[1:])
    out = prepare_output(Path(args.output).resolve())
    app, _provider, _translator = start_qgis()
    from qgis.core import QgsProcessingContext, QgsProject

    project = QgsProject.instance()
    context = QgsProcessingContext()
    context.setProject(project)
    gpkg = out / "cget_demo.gpkg"
    offline = not args.territory
    mode_label = {"car": "en voiture", "walk": "à pied", "bike": "à vélo"}[args.mode]
    started = time.monotonic()

    layers = load_geographies(args, offline, gpkg, context)
    engine = engine_inputs(args, offline, args.territory, gpkg, context, layers)
    coverage_csv = out / "couverture_population.csv"
    isochrones, coverage = run_accessibility(
        engine, layers, gpkg, coverage_csv, context, mode_label
    )
    pdf, png, map_params = export_maps(args, offline, layers, isochrones, out, context, mode_label)
    routing, population_source, pop_field = engine
    scenario = siting_scenario(
        offline, out, gpkg, context, layers, routing, population_source, pop_field, map_params
    )

    summary = coverage_summary(coverage)
    if summary:
        print_summary(summary, mode_label)
    print_siting(scenario)
    print(f"\nTerminé en {time.monotonic() - started:.0f} s. Fichiers produits :")
    for path, what in (
        (gpkg, "couches (QPV, communes, France Services, isochrones, temps d'accès)"),
        (coverage_csv, "tableau de couverture de la population (CSV pour tableur français)"),
        (pdf, "carte PDF A4 paysage (projet : bloc-marque à fournir)"),
        (png, "carte PNG A4 paysage"),
        *scenario.get("files", []),
    ):
        print(f"  {path}  – {what}")
    project.clear()
    return 0


if __name__ == "__main__":
    sys.exit(main())
