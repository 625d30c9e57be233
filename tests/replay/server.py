#!/usr/bin/python3
"""Loopback replay server: the official services of the catalogue, in their real formats,
for tests and for ``make demo-replay`` (no internet).

    /usr/bin/python3 tests/replay/server.py --port 0 --catalog-out build/replay/catalog.json

prints ``URL <base>`` and ``CATALOG <path>`` and serves until killed (127.0.0.1 only). Point
the plugin at it with ``CGET_CATALOG=<path>``. Every replayed host is a path prefix of the
server: ``https://<host>/<path>`` becomes ``<base>/<host>/<path>``. See README.md here.

The services themselves (formats and errors) are the modules of this folder, shared with the
tests that serve them on pytest-httpserver (``tests/replay/httpserver.py``). In a test::

    server = start_server(catalog_out=tmp / "catalog.json", wfs_page_size=10)
    ...
    server.stop()
"""

from __future__ import annotations

import argparse
import datetime as _dt
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Dict, Optional
from urllib.parse import unquote

if __package__ in (None, ""):  # run as a script: make ``tests.replay`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.replay import datagouv, fixtures
from tests.replay.answers import Answer, ReplayError, not_found, respond, text_answer
from tests.replay.catalog import GEOCODER_PATH, ISOCHRONE_PATH, write_catalog
from tests.replay.geocoder import AddressIndex, BatchGeocoder, GeocoderSearch
from tests.replay.isochrones import IgnIsochrone, RateLimit, star
from tests.replay.local_engine import LocalEngineServices
from tests.replay.request import ReplayRequest
from tests.replay.wfs import WfsGetFeature

QPV_DATASET_ID = "5a561801c751df42d7fca9b6"
QPV_DATASET_SLUG = "quartiers-prioritaires-de-la-politique-de-la-ville-qpv"
QPV_STATIC = (
    "/static.data.gouv.fr/resources/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/"
    "20250206-161839/qp2024-france-hexagonale-outre-mer-wgs84-epsg4326.geojson"
)
QPV_ZIP = (
    "/static.data.gouv.fr/resources/quartiers-prioritaires-de-la-politique-de-la-ville-qpv/"
    "20250206-161839/qp2024.zip"
)
QPV_STABLE_ZIP = "/www.data.gouv.fr/fr/datasets/r/942d4ee8-8142-4556-8ea1-335537ce1119"
FS_DATASET_ID = "5f2bd6ef3ef6ae2d1b1b8a4f"  # replay id; the catalogue asks by slug
FS_DATASET_SLUG = "liste-des-structures-france-services"
FS_STATIC = (
    "/static.data.gouv.fr/resources/liste-des-structures-france-services/"
    "20240801-000000/liste-fs-20240801.csv"
)
FS_STABLE = "/www.data.gouv.fr/fr/datasets/r/31576dff-fd61-4de9-819f-32c2f880b142"
#: FRR, as the catalogue fetches it (compared percent-decoded: clients differ on quoting).
FRR_XLSX = (
    "/www.collectivites-locales.gouv.fr/files/files/3. Animer les territoires/5. La cohésion "
    "territoriale et l'aménagement du territoire/Liste communes FRR_juillet2025.xlsx"
)
FRR_OBSERVATOIRE = (
    "/www.observatoire-des-territoires.gouv.fr/outils/cartographie-interactive/api/v1/"
    "functions/GC_API_download.php"
)
WFS_PATH = "/data.geopf.fr/wfs/ows"
DATASETS_PATH = "/www.data.gouv.fr/api/1/datasets/"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- the replay's datasets -----------------------------------------------------------------------


def qpv_dataset(base: str, data: fixtures.ReplayData) -> dict:
    label, modified = fixtures.REPLAY_LABEL, fixtures.QPV_LAST_MODIFIED
    return datagouv.dataset(
        QPV_DATASET_ID,
        f"{label} – Quartiers prioritaires de la politique de la ville (QPV)",
        [
            datagouv.resource(
                "b6ba3e63-9d3f-4b58-9b2a-4f1c0e1d1a01",
                f"{label} – QP2024 France hexagonale et outre-mer WGS84 (GeoJSON)",
                "geojson",
                base + QPV_STATIC,
                modified,
                len(data.qpv_geojson),
                "application/geo+json",
                label,
            ),
            datagouv.resource(
                "942d4ee8-8142-4556-8ea1-335537ce1119",
                f"{label} – QP2024 tous formats (ZIP)",
                "zip",
                base + QPV_ZIP,
                modified,
                len(data.qpv_zip),
                "application/zip",
                label,
            ),
        ],
        slug=QPV_DATASET_SLUG,
        description=(
            f"{label}. Serveur de rejeu local du plugin CGET : codes, noms et communes des QPV "
            "2024 réels (ANCT), contours SYNTHÉTIQUES générés pour les tests (polygones de 20 à "
            "60 ha placés dans leurs communes). Ne pas utiliser comme donnée officielle."
        ),
        last_modified=modified,
        page=f"{base}/www.data.gouv.fr/fr/datasets/{QPV_DATASET_SLUG}/",
    )


def fs_dataset(base: str, data: fixtures.ReplayData) -> dict:
    modified = fixtures.FS_LAST_MODIFIED
    return datagouv.dataset(
        FS_DATASET_ID,
        "REPLAY – Liste des structures France Services (instantané réel du 1er août 2024)",
        [
            datagouv.resource(
                "31576dff-fd61-4de9-819f-32c2f880b142",
                "liste-fs-20240801.csv (REPLAY, instantané réel)",
                "csv",
                base + FS_STATIC,
                modified,
                len(data.fs_csv),
                "text/csv",
            )
        ],
        slug=FS_DATASET_SLUG,
        description=(
            "Serveur de rejeu local du plugin CGET : liste réelle des structures France "
            "Services au 1er août 2024 (ANCT, instantané anct-carto/france_services), "
            "servie en boucle locale pour les tests."
        ),
        last_modified=modified,
        page=f"{base}/www.data.gouv.fr/fr/datasets/{FS_DATASET_SLUG}/",
    )


# -- the services, by path -----------------------------------------------------------------------


class ReplayServices:
    """Every replayed service on one data set; ``counts`` holds the requests per path."""

    def __init__(self, data: fixtures.ReplayData, base_url: str = "", road_spacing_m: float = 0.0):
        self.data = data
        self.base_url = base_url
        self.counts: Dict[str, int] = {}
        self._lock = threading.Lock()
        index = AddressIndex(data.addresses)
        self.isochrone = IgnIsochrone(star, f"replay-{data.today}", RateLimit(), note=True)
        self.wfs = WfsGetFeature(data.wfs_layers)
        # The local engine's inputs: BD TOPO road network (same WFS path) and Filosofi grid.
        self.local_engine = LocalEngineServices(data.shared, self.wfs, road_spacing_m)
        self.datasets = datagouv.DatasetApi(
            [qpv_dataset(base_url, data), fs_dataset(base_url, data)]
        )
        self.routes = {
            QPV_STATIC: datagouv.file_answer(
                data.qpv_geojson, "application/geo+json", fixtures.QPV_LAST_MODIFIED
            ),
            QPV_ZIP: datagouv.file_answer(
                data.qpv_zip, "application/zip", fixtures.QPV_LAST_MODIFIED
            ),
            QPV_STABLE_ZIP: datagouv.redirect(base_url + QPV_ZIP),
            FS_STATIC: datagouv.file_answer(
                data.fs_csv, "text/csv; charset=utf-8", fixtures.FS_LAST_MODIFIED
            ),
            FS_STABLE: datagouv.redirect(base_url + FS_STATIC),
            FRR_XLSX: datagouv.file_answer(data.frr_xlsx, XLSX, fixtures.FRR_LAST_MODIFIED),
            FRR_OBSERVATOIRE: self._frr_observatoire,
            WFS_PATH: self.local_engine.wfs,
            **self.local_engine.routes,
            ISOCHRONE_PATH: self.isochrone,
            GEOCODER_PATH + "/search": GeocoderSearch(index),
            GEOCODER_PATH + "/search/csv": BatchGeocoder(index),
        }

    def answer(self, request: ReplayRequest) -> Answer:
        with self._lock:
            self.counts[request.path] = self.counts.get(request.path, 0) + 1
        if request.path.startswith(DATASETS_PATH):
            return respond(self.datasets, request)
        # Paths compared percent-decoded: clients differ on quoting.
        reply = self.routes.get(request.path) or self.routes.get(unquote(request.path))
        return respond(reply, request) if reply is not None else not_found(request.path)

    def _frr_observatoire(self, request) -> Answer:
        wanted = (
            request.args.get("dataset"),
            request.args.get("indic"),
            request.args.get("format"),
        )
        if wanted != ("frr", "codefrr", "csv"):
            raise ReplayError(not_found(f"{request.path} {wanted}"))
        return text_answer(self.data.frr_csv, content_type="text/csv; charset=utf-8")


# -- HTTP ------------------------------------------------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    server_version = "CGET-replay/1.0"
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet unless asked
        if getattr(self.server, "verbose", False):
            sys.stderr.write("replay: " + (fmt % args) + "\n")

    def _send(self, answer: Answer):
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("Access-Control-Allow-Origin", "*")
        for key, value in answer.headers.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        self._dispatch(b"")

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        self._dispatch(self.rfile.read(length) if length else b"")

    def _dispatch(self, body: bytes):
        request = ReplayRequest.from_target(
            self.command, self.path, dict(self.headers.items()), body, self.client_address[0]
        )
        try:
            answer = self.server.services.answer(request)  # type: ignore[attr-defined]
        except Exception as exc:
            answer = text_answer(f"replay server error: {exc}", 500)
        self._send(answer)


class ReplayServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self,
        port: int,
        data: fixtures.ReplayData,
        verbose: bool = False,
        road_spacing_m: float = 0.0,
    ):
        super().__init__(("127.0.0.1", port), Handler)
        self.verbose = verbose
        self.url = f"http://127.0.0.1:{self.server_address[1]}"
        self.services = ReplayServices(data, self.url, road_spacing_m)
        self.catalog_path: Optional[Path] = None
        self._thread: Optional[threading.Thread] = None

    def start(self) -> ReplayServer:
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


_DATA_MEMO: Dict[str, fixtures.ReplayData] = {}


def start_server(
    port: int = 0,
    catalog_out=None,
    wfs_page_size: int = 0,
    shared=None,
    verbose: bool = False,
    road_spacing_m: float = 0.0,
) -> ReplayServer:
    """Start the server in a daemon thread (data built once per process and shared folder)."""
    key = str(shared or fixtures.default_data())
    data = _DATA_MEMO.get(key)
    if data is None:
        data = _DATA_MEMO[key] = fixtures.ReplayData(shared, _dt.date.today().isoformat())
    server = ReplayServer(port, data, verbose, road_spacing_m).start()
    server.services.local_engine.warm()
    if catalog_out:
        server.catalog_path = write_catalog(catalog_out, server.url, wfs_page_size)
    return server


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--catalog-out", type=Path, help="write the replay catalogue here")
    parser.add_argument(
        "--wfs-page-size",
        type=int,
        default=0,
        help="WFS page size written in the catalogue (default: the official one)",
    )
    parser.add_argument(
        "--shared-data",
        type=Path,
        help="data folder laid out as ../shared/data (default: the extracts of tests/data/real)",
    )
    parser.add_argument("--url-file", type=Path, help="also write the base URL to this file")
    parser.add_argument(
        "--road-spacing-m",
        type=float,
        default=0.0,
        help="spacing of the synthetic BD TOPO road lattice (default 1000 m; bench: denser)",
    )
    parser.add_argument("--verbose", action="store_true", help="log every request on stderr")
    args = parser.parse_args(argv)
    try:
        server = start_server(
            args.port,
            args.catalog_out,
            args.wfs_page_size,
            args.shared_data,
            args.verbose,
            args.road_spacing_m,
        )
    except FileNotFoundError as exc:
        print(f"replay server: {exc}", file=sys.stderr)
        return 2
    # Ready before saying so: the national grid files take a minute the first time.
    server.services.local_engine.ready()
    print(f"URL {server.url}", flush=True)
    if server.catalog_path:
        print(f"CATALOG {server.catalog_path}", flush=True)
    if args.url_file:
        args.url_file.parent.mkdir(parents=True, exist_ok=True)
        args.url_file.write_text(server.url + "\n", encoding="utf-8")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
