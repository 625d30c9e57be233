"""Catalogue entry -> where to fetch, and the fetch itself.

In order: the SOURCE given by the user or the settings (a local file, ``file|layername=x``,
or a URL), else the entry's ``datagouv`` dataset (newest matching resource through the
data.gouv.fr API), else its pinned ``urls``; or, for an entry with a ``wfs`` source, the paged
WFS of the Géoplateforme filtered on the territory's codes. Every download goes through the
cache (reused offline, refreshed when the source changed).
"""

from __future__ import annotations

import email.utils
import json
import re
from pathlib import Path
from typing import List, Optional, Tuple

from qgis.PyQt.QtCore import QFileInfo

from ..cache import CachedFile, cache_note, french_date
from ..errors import CancelledError, DataError, InputError, NetworkError
from ..i18n import tr
from ..provenance import now_iso
from .model import Fetched, LoadState, Table
from .readers import concat, read_vector
from .wfs import WfsQuery, fetch_pages, in_filter

DATAGOUV_API = "https://www.data.gouv.fr/api/1/datasets/"


def fetch(state: LoadState, spec: str) -> Fetched:
    """The file to read: ``spec`` (local file or URL) when given, else the catalogue's
    sources in order, each failure reported and the next one tried."""
    if spec:
        return _fetch_spec(state, spec)
    errors: List[str] = []
    saved_retries = state.cache.retries
    try:
        datagouv = state.entry.source.get("datagouv")
        attempts = [lambda: _fetch_datagouv(state, datagouv)] if datagouv else []
        attempts += [
            lambda url=url: _fetch_url(state, url) for url in state.entry.source.get("urls", [])
        ]
        for n, attempt in enumerate(attempts):
            try:
                return attempt()
            except CancelledError:
                raise
            except (NetworkError, DataError) as exc:
                errors.append(str(exc))
                if isinstance(exc, NetworkError) and not getattr(exc, "status", None):
                    # No answer at all (offline, DNS, proxy): the next addresses once only.
                    state.cache.retries = 0
                if n == 0 and datagouv:
                    state.info(
                        tr(
                            "data.gouv.fr dataset API unavailable ({error}); trying the pinned URLs."
                        ).format(error=exc)
                    )
                else:
                    state.info(str(exc))
    finally:
        state.cache.retries = saved_retries
    raise NetworkError(
        tr(
            "No source of {geo} could be read ({n} addresses tried). Last error: {error} "
            "Connect to the network once, or point this source to a mirror or a local file "
            "(SOURCE parameter or plugin settings)."
        ).format(geo=state.entry.display_name, n=len(errors), error=errors[-1] if errors else "")
    )


def _fetch_spec(state: LoadState, spec: str) -> Fetched:
    path, layername = split_layername(spec)
    if re.match(r"^https?://", path, re.I):
        return _fetch_url(state, path, layername=layername)
    local = Path(path).expanduser()
    if not local.exists():
        raise InputError(
            tr(
                "SOURCE “{source}” is neither an existing file nor an http(s) URL. Give "
                "the path of a GeoJSON, GeoPackage, shapefile, ZIP or CSV file, or a URL."
            ).format(source=spec)
        )
    stamp = QFileInfo(str(local)).lastModified().toString("yyyy-MM-ddTHH:mm:ss")
    note = tr("Local file {path} (modified {date}).").format(path=local, date=french_date(stamp))
    return Fetched(local, str(local), stamp, stamp, layername, [note], local=True)


def _fetch_url(state: LoadState, url: str, source_date: str = "", layername: str = "") -> Fetched:
    got: CachedFile = state.cache.fetch(
        url,
        feedback=state.feedback,
        max_age_s=state.entry.max_age_s,
        expect=expected_kind(url),
        source_date=source_date,
    )
    notes = []
    for warning in got.warnings:
        state.warn(warning)
    if got.stale:
        notes.append(tr("Offline or source unavailable: {note}.").format(note=got.note))
    return Fetched(
        Path(got.path),
        url,
        got.retrieved,
        source_date or http_date_iso(got.last_modified),
        layername or state.entry.source.get("layer", ""),
        notes,
    )


def _fetch_datagouv(state: LoadState, conf: dict) -> Fetched:
    base = state.catalog.data.get("datagouv_api", DATAGOUV_API)
    api_url = base.rstrip("/") + "/" + conf["dataset"] + "/"
    got = state.cache.fetch(
        api_url,
        feedback=state.feedback,
        max_age_s=min(86400.0, state.entry.max_age_s),
        expect="json",
    )
    for warning in got.warnings:
        state.info(warning)
    try:
        payload = json.loads(Path(got.path).read_text(encoding="utf-8-sig"))
    except ValueError:
        raise DataError(tr("{url} returned invalid JSON.").format(url=api_url)) from None
    resource = pick_resource(payload, conf.get("pattern", ""), conf.get("formats", []))
    if resource is None:
        raise DataError(
            tr("No resource of the data.gouv.fr dataset {id} matches {pattern}.").format(
                id=conf["dataset"], pattern=conf.get("pattern", "")
            )
        )
    last_modified = resource.get("last_modified") or resource.get("created_at") or ""
    state.info(
        tr("Resource “{title}” of {date}.").format(
            title=resource.get("title", ""), date=french_date(last_modified)
        )
    )
    fetched = _fetch_url(state, resource["url"], source_date=last_modified)
    if got.stale and not any(tr("cached copy of {date}").split("{")[0] in n for n in fetched.notes):
        # The dataset API could not be asked for a newer file: say which copy this is.
        fetched.notes.append(
            tr("Offline or source unavailable: {note}.").format(note=cache_note(fetched.retrieved))
        )
    fetched.notes.insert(
        0, tr("data.gouv.fr resource: {title}").format(title=resource.get("title", ""))
    )
    return fetched


# -- the WFS of administrative units ----------------------------------------------------------


def load_wfs(state: LoadState) -> Table:
    """The entry's WFS typename, filtered on the territory's codes at the entry's ``level``
    (older field names tried when the server refuses the filter)."""
    conf = state.entry.source["wfs"]
    wfs = state.catalog.wfs
    level = conf.get("level", "commune")
    values = _wfs_filter_values(state, level)
    if values is not None and not values:
        return Table([], [], [], state.crs, True)
    key_kind = "dep" if level == "commune" else "code"
    candidates = conf.get("filter_fields", {}).get(key_kind, [None])
    last_error = None
    for field_name in candidates if values else [None]:
        query = WfsQuery(
            url=wfs["url"],
            typename=conf["typename"],
            srs_name=state.crs_id,
            page_size=int(wfs.get("page_size", 5000)),
            sort_by=wfs.get("sort_by", "cleabs"),
            cql_filter=in_filter(field_name, values) if field_name and values else "",
        )
        try:
            return _wfs_table(state, query)
        except NetworkError as exc:
            last_error = exc
            if exc.status != 400:
                raise
            state.info(
                tr("The WFS refused the filter on {field}; trying the older field names.").format(
                    field=field_name
                )
            )
    raise last_error


def _wfs_table(state: LoadState, query: WfsQuery) -> Table:
    def on_page(page, _result):
        state.info(tr("WFS: {n} objects read.").format(n=page.start + page.count))

    paged = fetch_pages(
        state.cache,
        query,
        feedback=state.feedback,
        max_age_s=state.entry.max_age_s,
        on_page=on_page,
        check_cancel=state.check_cancel,
    )
    for warning in paged.warnings:
        state.warn(warning)
    if paged.missing:
        state.warn(missing_message(paged.matched, paged.count, query.url))
    state.fetched = Fetched(Path("."), query.url, paged.retrieved or now_iso(), "", "", paged.notes)
    tables = [read_vector(str(p.path), "", query.url, default_crs=state.crs) for p in paged.pages]
    if not tables:
        return Table([], [], [], state.crs, True)
    return tables[0] if len(tables) == 1 else concat(tables, state.transform_context)


def missing_message(matched, served, url) -> str:
    return tr(
        "The WFS {url} announced {matched} objects but served only {served}: the result is "
        "incomplete. Run again later: the pages already downloaded are kept."
    ).format(url=url, matched=matched, served=served)


def _wfs_filter_values(state: LoadState, level) -> Optional[List[str]]:
    terr = state.territory
    if terr.is_empty():
        return None
    if level in ("commune", "departement"):
        return sorted(terr.departement_codes())
    if level == "epci":
        return sorted(terr.epci_codes())
    if level == "region":
        return sorted(terr.region_codes())
    return None


# -- helpers ----------------------------------------------------------------------------------


def split_layername(spec: str) -> Tuple[str, str]:
    path, _, rest = spec.partition("|")
    match = re.search(r"layername=([^|]+)", rest)
    return path.strip(), (match.group(1).strip() if match else "")


def expected_kind(url: str) -> str:
    """What the download must look like, from the URL (a redirect or an API URL says nothing:
    then only HTML pages and empty bodies are refused; the reader checks the rest)."""
    low = url.lower().split("?")[0]
    if low.endswith((".geojson", ".json")):
        return "geojson"
    if low.endswith(".zip"):
        return "zip"
    if low.endswith(".xlsx"):
        return "xlsx"
    return "data"


def http_date_iso(value: str) -> str:
    if not value:
        return ""
    try:
        return email.utils.parsedate_to_datetime(value).replace(tzinfo=None).isoformat()
    except (TypeError, ValueError):
        return value


def pick_resource(payload: dict, pattern: str, formats: List[str]) -> Optional[dict]:
    """Newest resource of a data.gouv.fr dataset whose title or URL matches ``pattern`` and
    whose format is one of ``formats``."""
    resources = payload.get("resources", []) if isinstance(payload, dict) else []
    formats = [f.lower() for f in formats or []]
    regex = re.compile(pattern) if pattern else None
    candidates = []
    for res in resources:
        if not isinstance(res, dict) or not res.get("url"):
            continue
        fmt = (res.get("format") or "").lower()
        if formats and fmt not in formats:
            continue
        text = f"{res.get('title', '')} {res.get('url', '')}"
        if regex and not (regex.search(res.get("title", "")) or regex.search(res.get("url", ""))):
            if not regex.search(text):
                continue
        candidates.append(res)
    if not candidates:
        return None
    return max(candidates, key=lambda r: r.get("last_modified") or r.get("created_at") or "")
