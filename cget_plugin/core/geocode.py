"""Géoplateforme geocoding (IGN ``data.geopf.fr/geocodage``), one address or a whole table.

``api-adresse.data.gouv.fr`` was retired at the end of January 2026: only the Géoplateforme
service is used (docs/data-sources.md §6.1). Every call goes through ``core.net.request`` (QGIS proxy,
certificates, retries on 429/5xx with ``Retry-After``).

- :func:`search`: ``GET /search`` for one address (address box, map tool), throttled to
  40 requests/s, below the service's 50 requests/s per IP.
- :func:`geocode_batch`: ``POST /search/csv`` (multipart: ``data`` file, repeated ``columns``,
  optional ``citycode``/``postcode`` columns, repeated ``result_columns``), in chunks kept under
  the service limits (UTF-8, < 50 MB and < 200,000 rows per file).

Each row gets a status: ``ok``, ``score faible`` (below the threshold, default 0.5),
``non trouvé``, ``adresse vide`` or ``erreur``. Rows are never dropped: a row the service did not
return (truncated answer, failed chunk) is kept with status ``erreur``.

The status values are data, stable whatever the interface language, so that scripts and
filters can rely on them.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass
from typing import Callable, List, Optional, Sequence
from urllib.parse import urlsplit

from . import net
from .definitions import SETTINGS_GEOCODER_MIN_SCORE, SETTINGS_GEOCODER_URL
from .errors import CancelledError, DataError, InputError, NetworkError
from .i18n import tr
from .reference import arrondissement_commune

DEFAULT_URL = "https://data.geopf.fr/geocodage"
# Kept under these names for the settings dialog.
SETTINGS_URL_KEY = SETTINGS_GEOCODER_URL
SETTINGS_MIN_SCORE_KEY = SETTINGS_GEOCODER_MIN_SCORE
DEFAULT_MIN_SCORE = 0.5
MAX_REQUESTS_PER_S = 40.0
THROTTLE_KEY = "geopf-geocodage"
BATCH_MAX_ROWS = 200_000  # service limit per file
BATCH_MAX_BYTES = 50 * 1024 * 1024  # service limit per file
DEFAULT_CHUNK_ROWS = 10_000  # smaller files: progress, cancel and retries stay responsive
DEFAULT_CHUNK_BYTES = 40 * 1024 * 1024  # margin under the 50 MB limit (multipart overhead)
BATCH_TIMEOUT_S = 600

STATUS_OK = "ok"
STATUS_LOW_SCORE = "score faible"
STATUS_NOT_FOUND = "non trouvé"
STATUS_EMPTY = "adresse vide"
STATUS_ERROR = "erreur"

ROW_ID = "cget_row"
RESULT_COLUMNS = (
    "latitude",
    "longitude",
    "result_label",
    "result_score",
    "result_type",
    "result_id",
    "result_postcode",
    "result_city",
    "result_citycode",
    "result_status",
)


def commune_of(citycode: Optional[str]) -> str:
    """Commune INSEE code of a geocoder ``citycode``: Paris, Lyon and Marseille arrondissements
    are mapped to 75056, 69123 and 13055; lost leading zeros are restored."""
    code = (citycode or "").strip()
    if not code:
        return ""
    if code.isdigit() and len(code) == 4:
        code = "0" + code
    return arrondissement_commune(code) or code


def base_url(override: str = "") -> str:
    """Geocoder root URL: explicit override, else the setting ``cget/geocoder/url``, else the
    catalogue's ``services.geocoder`` (``CGET_CATALOG`` mirrors), else the Géoplateforme."""
    if override:
        return override.rstrip("/")
    try:
        from qgis.core import QgsSettings

        value = QgsSettings().value(SETTINGS_URL_KEY, "", type=str)
    except ImportError:  # outside QGIS
        value = ""
    if not value:
        from .catalog import service_url

        value = service_url("geocoder", DEFAULT_URL)
    return (value or DEFAULT_URL).rstrip("/")


def min_score_setting() -> float:
    try:
        from qgis.core import QgsSettings

        value = QgsSettings().value(SETTINGS_MIN_SCORE_KEY, DEFAULT_MIN_SCORE, type=float)
    except (ImportError, TypeError, ValueError):  # outside QGIS, or not a number
        value = DEFAULT_MIN_SCORE
    return float(value) if value is not None else DEFAULT_MIN_SCORE


@dataclass
class GeocodeResult:
    """One geocoded address (coordinates in WGS84)."""

    status: str
    label: str = ""
    score: Optional[float] = None
    lon: Optional[float] = None
    lat: Optional[float] = None
    citycode: str = ""  # as returned (arrondissement code for Paris/Lyon/Marseille)
    commune: str = ""  # commune INSEE code (arrondissements mapped back)
    postcode: str = ""
    city: str = ""
    type: str = ""
    id: str = ""
    message: str = ""

    @property
    def has_point(self) -> bool:
        return self.lon is not None and self.lat is not None

    @property
    def usable(self) -> bool:
        """Good enough to answer "in a zone?" (the others answer "unknown")."""
        return self.status == STATUS_OK and self.has_point


def _status_for(score: Optional[float], has_point: bool, min_score: float) -> str:
    if not has_point:
        return STATUS_NOT_FOUND
    if score is None or score < min_score:
        return STATUS_LOW_SCORE
    return STATUS_OK


# -- one address ----------------------------------------------------------------------------
def search(
    query: str,
    limit: int = 5,
    citycode: str = "",
    postcode: str = "",
    url: str = "",
    min_score: Optional[float] = None,
    feedback=None,
    timeout_s: float = 20,
    retries: int = 2,
) -> List[GeocodeResult]:
    """Candidates for ``query`` from ``GET /search``, best first (possibly empty)."""
    query = (query or "").strip()
    if len(query) < 3:
        raise InputError(
            tr('The address "{q}" is too short: type at least 3 characters.').format(q=query)
        )
    min_score = min_score_setting() if min_score is None else min_score
    params = {"q": query[:200], "limit": int(limit)}
    if citycode:
        params["citycode"] = citycode.strip()
    if postcode:
        params["postcode"] = postcode.strip()
    endpoint = base_url(url) + "/search"
    resp = net.request(
        endpoint,
        params=params,
        headers={"Accept": "application/json"},
        feedback=feedback,
        timeout_s=timeout_s,
        retries=retries,
        throttle_key=THROTTLE_KEY,
        min_interval_s=1.0 / MAX_REQUESTS_PER_S,
    )
    if resp.looks_like_html():
        raise NetworkError(
            tr(
                "The geocoder {url} answered with an HTML page instead of data. Check the "
                "geocoder address in the plugin settings."
            ).format(url=endpoint),
            status=resp.status,
            url=resp.url,
        )
    body = resp.json()
    if not isinstance(body, dict) or not isinstance(body.get("features"), list):
        raise NetworkError(
            tr(
                "The geocoder {url} did not return a GeoCodeJSON feature collection. Check the "
                "geocoder address in the plugin settings."
            ).format(url=endpoint),
            status=resp.status,
            url=resp.url,
        )
    results = []
    for feat in body["features"]:
        try:
            results.append(_from_feature(feat, min_score))
        except (TypeError, ValueError, KeyError, IndexError):
            continue  # one malformed candidate must not hide the others
    results.sort(key=lambda r: -(r.score or 0.0))
    return results


def _from_feature(feat: dict, min_score: float) -> GeocodeResult:
    props = feat.get("properties") or {}
    coords = (feat.get("geometry") or {}).get("coordinates") or []
    lon = float(coords[0]) if len(coords) >= 2 else None
    lat = float(coords[1]) if len(coords) >= 2 else None
    score = props.get("score")
    score = float(score) if score is not None else None
    citycode = str(props.get("citycode") or "")
    return GeocodeResult(
        status=_status_for(score, lon is not None, min_score),
        label=str(props.get("label") or ""),
        score=score,
        lon=lon,
        lat=lat,
        citycode=citycode,
        commune=commune_of(citycode),
        postcode=str(props.get("postcode") or ""),
        city=str(props.get("city") or ""),
        type=str(props.get("type") or ""),
        id=str(props.get("id") or ""),
    )


def geocode_one(query: str, **kwargs) -> GeocodeResult:
    """Best candidate for ``query`` with its status (``non trouvé`` when none)."""
    if not (query or "").strip():
        return GeocodeResult(status=STATUS_EMPTY)
    found = search(query, limit=1, **kwargs)
    return found[0] if found else GeocodeResult(status=STATUS_NOT_FOUND)


# -- a whole table --------------------------------------------------------------------------
def geocode_batch(
    addresses: Sequence[Sequence[str]],
    citycodes: Optional[Sequence[str]] = None,
    postcodes: Optional[Sequence[str]] = None,
    url: str = "",
    min_score: Optional[float] = None,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    chunk_bytes: int = DEFAULT_CHUNK_BYTES,
    feedback=None,
    timeout_s: float = BATCH_TIMEOUT_S,
    retries: int = net.DEFAULT_RETRIES,
    on_warning: Optional[Callable[[str], None]] = None,
) -> List[GeocodeResult]:
    """Geocode rows through ``POST /search/csv``; one result per input row, same order.

    ``addresses[i]`` is a string or the parts of the address (number, street, town...) that the
    service concatenates in order. ``citycodes``/``postcodes`` narrow the search when given.
    A chunk that fails after the retries flags its rows ``erreur`` and the others go on; when
    every chunk fails the error is raised (nothing to show but the failure).
    """
    min_score = min_score_setting() if min_score is None else min_score
    chunk_rows = max(1, min(int(chunk_rows), BATCH_MAX_ROWS - 1))
    chunk_bytes = max(1024, min(int(chunk_bytes), BATCH_MAX_BYTES - 1024 * 1024))
    rows = [_as_parts(a) for a in addresses]
    n_parts = max([len(r) for r in rows] + [1])
    results: List[Optional[GeocodeResult]] = [None] * len(rows)
    todo = []
    for i, parts in enumerate(rows):
        if not any(p.strip() for p in parts):
            results[i] = GeocodeResult(status=STATUS_EMPTY)
        else:
            todo.append(i)
    endpoint = base_url(url) + "/search/csv"
    chunks = list(_chunks(todo, rows, citycodes, postcodes, n_parts, chunk_rows, chunk_bytes))
    failures: List[NetworkError] = []
    done = 0
    for number, chunk in enumerate(chunks, start=1):
        if feedback is not None and feedback.isCanceled():
            raise CancelledError(tr("Cancelled by the user."))
        if feedback is not None and len(chunks) > 1:
            feedback.pushInfo(
                tr("Geocoding batch {n}/{total} ({rows} addresses)…").format(
                    n=number, total=len(chunks), rows=len(chunk)
                )
            )
        try:
            answered = _post_chunk(
                endpoint,
                chunk,
                rows,
                citycodes,
                postcodes,
                n_parts,
                min_score,
                feedback,
                timeout_s,
                retries,
            )
        except CancelledError:
            raise
        except (NetworkError, DataError) as exc:
            failures.append(exc)
            for i in chunk:
                results[i] = GeocodeResult(status=STATUS_ERROR, message=str(exc))
            _warn(on_warning, feedback, str(exc))
        else:
            _keep_answers(chunk, answered, results, on_warning, feedback)
        done += len(chunk)
        if feedback is not None and todo:
            feedback.setProgress(100.0 * done / len(todo))
    if chunks and len(failures) == len(chunks):
        raise failures[0]
    return [r if r is not None else GeocodeResult(status=STATUS_ERROR) for r in results]


def _keep_answers(chunk, answered, results, on_warning, feedback) -> None:
    """The chunk's answers into ``results``; rows the service left out flagged ``erreur``."""
    missing = 0
    for i in chunk:
        if i in answered:
            results[i] = answered[i]
        else:
            missing += 1
            results[i] = GeocodeResult(
                status=STATUS_ERROR, message=tr("row missing from the geocoder answer")
            )
    if missing:
        _warn(
            on_warning,
            feedback,
            tr(
                "The geocoder returned {got} of {sent} rows (truncated answer?). The {n} "
                'missing rows are kept with the status "erreur": run again to retry.'
            ).format(got=len(chunk) - missing, sent=len(chunk), n=missing),
        )


def _warn(on_warning, feedback, message):
    if on_warning is not None:
        on_warning(message)
    elif feedback is not None:
        feedback.reportError(message, False)


def _as_parts(address) -> List[str]:
    if address is None:
        return [""]
    if isinstance(address, str):
        return [_clean(address)]
    return [_clean(a) for a in address]


def _clean(value) -> str:
    if value is None:
        return ""
    text = str(value)
    if text.upper() == "NULL":
        return ""
    # Newlines inside an address would split the CSV row on some parsers.
    return " ".join(text.split())


def _row_values(i, rows, citycodes, postcodes, n_parts):
    parts = rows[i] + [""] * (n_parts - len(rows[i]))
    values = [str(i)] + parts
    if citycodes is not None:
        values.append(_clean_code(citycodes[i]))
    if postcodes is not None:
        values.append(_clean_code(postcodes[i]))
    return values


def _clean_code(value) -> str:
    """INSEE or postal code as text: Excel ``="01053"`` unwrapped, lost zero restored."""
    text = _clean(value).strip()
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]  # a number column read as float
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    return text


def _header(n_parts, citycodes, postcodes):
    header = [ROW_ID] + [f"adresse_{k + 1}" for k in range(n_parts)]
    if citycodes is not None:
        header.append("cget_citycode")
    if postcodes is not None:
        header.append("cget_postcode")
    return header


def _encode_rows(values_list) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    for values in values_list:
        writer.writerow(values)
    return out.getvalue().encode("utf-8")


def _chunks(todo, rows, citycodes, postcodes, n_parts, chunk_rows, chunk_bytes):
    header_bytes = len(_encode_rows([_header(n_parts, citycodes, postcodes)]))
    chunk, size = [], header_bytes
    for i in todo:
        row_bytes = len(_encode_rows([_row_values(i, rows, citycodes, postcodes, n_parts)]))
        if chunk and (len(chunk) >= chunk_rows or size + row_bytes > chunk_bytes):
            yield chunk
            chunk, size = [], header_bytes
        chunk.append(i)
        size += row_bytes
    if chunk:
        yield chunk


def build_request(chunk, rows, citycodes, postcodes, n_parts) -> tuple:
    """(multipart body, content type) for one chunk (exposed for tests)."""
    header = _header(n_parts, citycodes, postcodes)
    payload = _encode_rows(
        [header] + [_row_values(i, rows, citycodes, postcodes, n_parts) for i in chunk]
    )
    fields = [("columns", name) for name in header[1 : 1 + n_parts]]
    if citycodes is not None:
        fields.append(("citycode", "cget_citycode"))
    if postcodes is not None:
        fields.append(("postcode", "cget_postcode"))
    fields.extend(("result_columns", name) for name in RESULT_COLUMNS)
    return net.multipart_form(fields, [("data", "adresses.csv", payload, "text/csv")])


def _post_chunk(
    endpoint, chunk, rows, citycodes, postcodes, n_parts, min_score, feedback, timeout_s, retries
):
    body, content_type = build_request(chunk, rows, citycodes, postcodes, n_parts)
    resp = net.request(
        endpoint,
        method="POST",
        data=body,
        headers={"Content-Type": content_type, "Accept": "text/csv"},
        feedback=feedback,
        timeout_s=timeout_s,
        retries=retries,
        throttle_key=THROTTLE_KEY,
        min_interval_s=1.0 / MAX_REQUESTS_PER_S,
    )
    host = urlsplit(endpoint).netloc
    if resp.looks_like_html():
        raise NetworkError(
            tr(
                "The geocoder {host} answered with an HTML page instead of CSV (maintenance "
                "page or wrong address). Check the geocoder address in the plugin settings or "
                "try again later."
            ).format(host=host),
            status=resp.status,
            url=resp.url,
        )
    return parse_batch_csv(resp.content, min_score, host)


def parse_batch_csv(content: bytes, min_score: float, host: str = "") -> dict:
    """{row index: GeocodeResult} from a ``/search/csv`` answer. Incomplete rows (truncated
    body) are left out, so the caller flags them."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(
            tr("The geocoder {host} answered with text that is not UTF-8.").format(host=host)
        ) from exc
    if not text.strip():
        raise DataError(tr("The geocoder {host} returned an empty answer.").format(host=host))
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t", "|"), key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise DataError(
            tr("The geocoder {host} returned an unreadable CSV.").format(host=host)
        ) from exc
    header = [h.strip() for h in header]
    if ROW_ID not in header:
        raise DataError(
            tr(
                "The geocoder {host} returned a CSV without the row identifier column; it is "
                "not the answer of a /search/csv service."
            ).format(host=host)
        )
    col = {name: header.index(name) for name in header}
    answered = {}
    try:
        for values in reader:
            if len(values) < len(header):
                continue  # cut row (truncated body)
            try:
                row = int(values[col[ROW_ID]])
            except ValueError:
                continue
            answered[row] = _from_csv_row(values, col, min_score)
    except csv.Error:
        pass  # truncated inside a quoted value: the rows read so far stand
    return answered


def _from_csv_row(values, col, min_score) -> GeocodeResult:
    def get(name):
        k = col.get(name)
        return values[k].strip() if k is not None and k < len(values) else ""

    service_status = get("result_status").lower()
    lat, lon = _float(get("latitude")), _float(get("longitude"))
    score = _float(get("result_score"))
    has_point = lat is not None and lon is not None
    if service_status == "error":
        status = STATUS_ERROR
    elif service_status in ("not-found", "skipped") or not has_point:
        status = STATUS_NOT_FOUND
    else:
        status = _status_for(score, has_point, min_score)
    citycode = get("result_citycode")
    return GeocodeResult(
        status=status,
        label=get("result_label"),
        score=score,
        lon=lon if has_point else None,
        lat=lat if has_point else None,
        citycode=citycode,
        commune=commune_of(citycode),
        postcode=get("result_postcode"),
        city=get("result_city"),
        type=get("result_type"),
        id=get("result_id"),
    )


def _float(text: str) -> Optional[float]:
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return None
    return value if math.isfinite(value) else None
