"""Paged WFS 2.0 ``GetFeature`` (GeoJSON) through the cache: one typename per request, a stable
sort, ``COUNT``/``STARTINDEX`` pages.

Each page is a cache entry of its own (keyed by its full URL), so a download interrupted at
page *k* resumes at page *k* on the next try: the pages already fetched are read from the
cache. The server may serve fewer features than asked per page (its own cap): paging follows
``numberMatched`` when the server gives it, else stops on a short page. A server that stops
before the count it announced is reported (:attr:`PagingResult.missing`), never silently
truncated, and the page that came back short is dropped from the cache so that the next try
asks for it again.

Nothing here knows about catalogue entries: :mod:`.sources` pages administrative units with
it, :mod:`.roads` the BD TOPO road network.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional, Sequence, Tuple

from .. import net
from ..cache import Cache
from ..errors import DataError
from ..i18n import tr


@dataclass
class WfsQuery:
    """One typename, one filter, one output CRS; paged by :func:`fetch_pages`."""

    url: str
    typename: str
    srs_name: str
    page_size: int = 5000
    sort_by: str = ""
    cql_filter: str = ""
    #: (xmin, ymin, xmax, ymax, CRS authid) of a BBOX filter.
    bbox: Optional[Tuple[float, float, float, float, str]] = None
    property_names: Sequence[str] = ()

    def params(self, start: int) -> dict:
        params = {
            "SERVICE": "WFS",
            "VERSION": "2.0.0",
            "REQUEST": "GetFeature",
            "TYPENAMES": self.typename,
            "OUTPUTFORMAT": "application/json",
            "SRSNAME": self.srs_name,
            "COUNT": self.page_size,
            "STARTINDEX": start,
        }
        if self.sort_by:
            params["SORTBY"] = self.sort_by
        if self.cql_filter:
            params["CQL_FILTER"] = self.cql_filter
        if self.bbox is not None:
            xmin, ymin, xmax, ymax, crs = self.bbox
            params["BBOX"] = f"{xmin:.6f},{ymin:.6f},{xmax:.6f},{ymax:.6f},{crs}"
        if self.property_names:
            params["PROPERTYNAME"] = ",".join(self.property_names)
        return params


@dataclass
class WfsPage:
    number: int  # 1-based
    start: int
    path: Path
    count: int
    matched: Optional[int]
    retrieved: str
    from_cache: bool


@dataclass
class PagingResult:
    pages: List[WfsPage] = field(default_factory=list)
    matched: Optional[int] = None
    notes: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    retrieved: str = ""
    #: Features announced (numberMatched) but never served.
    missing: int = 0

    @property
    def count(self) -> int:
        return sum(p.count for p in self.pages)


def in_filter(field_name: str, values: Sequence[str]) -> str:
    """``field IN ('a','b')`` in CQL, quotes doubled."""
    quoted = ",".join("'{}'".format(v.replace("'", "''")) for v in values)
    return f"{field_name} IN ({quoted})"


def count_matched(query: WfsQuery, feedback=None, retries: int = 1) -> Optional[int]:
    """How many features ``query`` matches, asked with ``RESULTTYPE=hits`` (no feature is
    sent); None when the server does not say. The Géoplateforme answers in GeoJSON
    (``numberMatched``, else ``totalFeatures``); a GML answer carries ``numberMatched=``."""
    params = query.params(0)
    params.pop("COUNT", None)
    params.pop("STARTINDEX", None)
    params.pop("SORTBY", None)
    params["RESULTTYPE"] = "hits"
    resp = net.request(query.url, params=params, feedback=feedback, retries=retries)
    text = resp.content.decode("utf-8-sig", errors="replace")
    try:
        answer = json.loads(text)
    except ValueError:
        match = re.search(r'numberMatched="(\d+)"', text)
        return int(match.group(1)) if match else None
    if not isinstance(answer, dict):
        return None
    for key in ("numberMatched", "totalFeatures"):
        if isinstance(answer.get(key), int):
            return answer[key]
    return None


def fetch_pages(
    cache: Cache,
    query: WfsQuery,
    feedback=None,
    max_age_s: float = 30 * 86400.0,
    on_page: Optional[Callable[[WfsPage, PagingResult], None]] = None,
    check_cancel: Optional[Callable[[], None]] = None,
) -> PagingResult:
    """Every page of ``query``: downloaded, or read from the cache when already there."""
    result = PagingResult()
    start = 0
    while True:
        if check_cancel is not None:
            check_cancel()
        page = _fetch_page(cache, query, start, len(result.pages) + 1, feedback, max_age_s, result)
        if page.matched is not None:
            result.matched = page.matched
        if page.count:
            result.pages.append(page)
            if on_page is not None:
                on_page(page, result)
        start += page.count
        if _last_page(query, page, start):
            break
    if result.matched is not None and start < result.matched:
        result.missing = result.matched - start
        # The short answer must not be replayed from the cache on the next try.
        cache.remove(query.url, params=query.params(start))
    return result


def _last_page(query: WfsQuery, page: WfsPage, start: int) -> bool:
    if not page.count:
        return True
    if page.matched is not None:
        # The server may cap COUNT below what was asked: trust numberMatched.
        return start >= page.matched
    return page.count < query.page_size


def _fetch_page(cache, query, start, number, feedback, max_age_s, result) -> WfsPage:
    parsed = {}

    def validator(content: bytes) -> None:
        parsed["page"] = _parse(content)

    got = cache.fetch(
        query.url,
        params=query.params(start),
        feedback=feedback,
        max_age_s=max_age_s,
        expect="data",
        validator=validator,
    )
    result.warnings.extend(got.warnings)
    if got.stale and got.note not in " ".join(result.notes):
        result.notes.append(tr("Offline or source unavailable: {note}.").format(note=got.note))
    result.retrieved = got.retrieved
    page = parsed.get("page")
    if page is None:  # from the cache: parsed now
        page = _parse(Path(got.path).read_bytes())
    features, matched = page
    return WfsPage(number, start, Path(got.path), features, matched, got.retrieved, got.from_cache)


def _parse(content: bytes) -> Tuple[int, Optional[int]]:
    """(number of features, numberMatched or None) of a GeoJSON page; DataError when the
    answer is not a feature collection (a WFS exception report, an HTML page...)."""
    try:
        page = json.loads(content.decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError):
        raise DataError(tr("The WFS returned invalid JSON.")) from None
    if not isinstance(page, dict) or "features" not in page:
        raise DataError(
            tr("The WFS answer is not a GeoJSON feature collection: {text}").format(
                text=str(page)[:200]
            )
        )
    matched = page.get("numberMatched")
    return len(page.get("features") or []), matched if isinstance(matched, int) else None
