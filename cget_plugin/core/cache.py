"""On-disk cache of downloaded sources: reused offline, refreshed when the source changed,
written atomically, size-capped, never replaced by a failed or corrupt download.

Each entry is ``<key>.data`` plus ``<key>.json`` (URL, retrieval date, ETag, Last-Modified,
source date, size). :meth:`Cache.fetch` returns a :class:`CachedFile`; when the network failed
or the new download was unusable and an older copy exists, the copy is returned with
``stale=True`` and a ``note`` telling which vintage the user is looking at.

Also: safe ZIP handling (:func:`safe_extract`, :func:`vsizip_members`) against path traversal
and zip bombs.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, List, Optional

from . import net
from .errors import CancelledError, DataError, NetworkError
from .feedback import push_warning
from .i18n import tr
from .paths import cache_dir

DEFAULT_MAX_BYTES = 2 * 1024**3  # 2 GB of cached sources
DEFAULT_MAX_AGE_S = 7 * 86400
# Few retries: offline, the user should fall back to the cached copy quickly.
DEFAULT_RETRIES = 2
DEFAULT_BACKOFF_S = 1.0

ZIP_MAX_TOTAL = 4 * 1024**3
ZIP_MAX_RATIO = 200
ZIP_MAX_MEMBERS = 20000


@dataclass
class CachedFile:
    path: Path
    from_cache: bool
    stale: bool
    retrieved: str
    last_modified: str = ""
    etag: str = ""
    url: str = ""
    source_date: str = ""
    content_type: str = ""
    note: str = ""
    warnings: List[str] = field(default_factory=list)

    def read_bytes(self) -> bytes:
        return Path(self.path).read_bytes()


def _iso_now() -> str:
    return dt.datetime.now().replace(microsecond=0).isoformat()


def french_date(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).strftime("%d/%m/%Y %H:%M")
    except (ValueError, AttributeError):
        return iso or "?"


def cache_note(retrieved: str) -> str:
    return tr("cached copy of {date}").format(date=french_date(retrieved))


# -- content checks ---------------------------------------------------------------------------


def sniff_kind(content: bytes) -> str:
    """'zip', 'html', 'json', 'gpkg', 'xlsx' (zip), 'xls', 'text' or 'empty'."""
    if not content:
        return "empty"
    head = content[:1024].lstrip()
    if content[:4] == b"PK\x03\x04":
        return "zip"
    if content[:16].startswith(b"SQLite format 3"):
        return "gpkg"
    if content[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        return "xls"
    low = head[:200].lower()
    if low.startswith((b"<!doctype html", b"<html")) or b"<html" in low[:100]:
        return "html"
    if head[:3] == b"\xef\xbb\xbf":
        head = head[3:].lstrip()
    if head[:1] in (b"{", b"["):
        return "json"
    return "text"


def validate_content(content: bytes, expect: str, url: str = "") -> None:
    """Raise :class:`DataError` when ``content`` is not the expected kind of data.

    ``expect``: 'json', 'zip', 'geojson', 'csv', 'xlsx', 'xls', 'data' (anything but HTML or
    empty), 'any'."""
    if expect == "any":
        return
    kind = sniff_kind(content)
    where = url or tr("the source")
    if kind == "empty":
        raise DataError(tr("{url} returned an empty file.").format(url=where))
    if kind == "html" and expect != "html":
        raise DataError(
            tr(
                "{url} returned an HTML page instead of data (an error or login page, or a "
                "moved file). Check the URL or point this source to a mirror or local file."
            ).format(url=where)
        )
    if expect in ("json", "geojson"):
        if kind == "zip":
            return  # a ZIP holding the GeoJSON (stable redirect of the QPV dataset)
        try:
            json.loads(content.decode("utf-8-sig"))
        except (ValueError, UnicodeDecodeError):
            raise DataError(
                tr("{url} returned a truncated or invalid JSON file.").format(url=where)
            ) from None
    elif expect in ("zip", "xlsx"):
        check_zip_bytes(content, where)
    elif kind == "zip":
        check_zip_bytes(content, where)


def check_zip_bytes(content: bytes, where: str = "") -> None:
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _check_zip_infos(archive, where)
            bad = archive.testzip()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise DataError(
            tr("{url}: the ZIP archive is corrupt or truncated.").format(url=where or "ZIP")
        ) from None
    if bad:
        raise DataError(
            tr("{url}: the ZIP archive is corrupt (member {member}).").format(
                url=where or "ZIP", member=bad
            )
        )


def _check_zip_infos(archive: zipfile.ZipFile, where: str) -> None:
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_MEMBERS:
        raise DataError(
            tr("{url}: the ZIP archive has too many files ({n}).").format(url=where, n=len(infos))
        )
    total = 0
    for info in infos:
        _check_member_name(info.filename, where)
        total += info.file_size
        ratio = info.file_size / max(1, info.compress_size)
        if info.file_size > 10 * 1024**2 and ratio > ZIP_MAX_RATIO:
            raise DataError(
                tr("{url}: the ZIP member {member} is suspiciously compressed (zip bomb?).").format(
                    url=where, member=info.filename
                )
            )
    if total > ZIP_MAX_TOTAL:
        raise DataError(
            tr("{url}: the ZIP archive would expand to {size} MB, over the limit.").format(
                url=where, size=total // 1024**2
            )
        )


def _check_member_name(name: str, where: str = "") -> None:
    posix = PurePosixPath(name.replace("\\", "/"))
    if posix.is_absolute() or ".." in posix.parts or re.match(r"^[A-Za-z]:", name):
        raise DataError(
            tr("{url}: the ZIP member name {member} is unsafe (path traversal).").format(
                url=where or "ZIP", member=name
            )
        )


def zip_members(path) -> List[str]:
    """Names of the files of a ZIP, checked (names, sizes, ratios)."""
    try:
        with zipfile.ZipFile(path) as archive:
            _check_zip_infos(archive, str(path))
            return [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, EOFError):
        raise DataError(
            tr("{url}: the ZIP archive is corrupt or truncated.").format(url=path)
        ) from None


def vsizip_path(zip_path, member: str) -> str:
    """GDAL path of a member inside a checked ZIP (read in place, not extracted)."""
    if member not in zip_members(zip_path):
        raise DataError(
            tr("{member} is not in the archive {path}.").format(member=member, path=zip_path)
        )
    return f"/vsizip/{{{Path(zip_path).as_posix()}}}/{member}"


def safe_extract(zip_path, dest, max_total: int = ZIP_MAX_TOTAL) -> List[Path]:
    """Extract a ZIP into ``dest`` refusing unsafe names, links and more than ``max_total``
    bytes actually written (declared sizes may lie)."""
    dest = Path(dest).resolve()
    dest.mkdir(parents=True, exist_ok=True)
    written = 0
    out = []
    try:
        with zipfile.ZipFile(zip_path) as archive:
            _check_zip_infos(archive, str(zip_path))
            for info in archive.infolist():
                _check_member_name(info.filename, str(zip_path))
                # Unix symlink entries: refuse, they could point outside dest.
                if (info.external_attr >> 16) & 0o170000 == 0o120000:
                    raise DataError(
                        tr("{url}: the ZIP member {member} is a link; refused.").format(
                            url=zip_path, member=info.filename
                        )
                    )
                target = (dest / info.filename).resolve()
                if dest not in target.parents and target != dest:
                    raise DataError(
                        tr(
                            "{url}: the ZIP member name {member} is unsafe (path traversal)."
                        ).format(url=zip_path, member=info.filename)
                    )
                if info.is_dir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, open(target, "wb") as dst:
                    while True:
                        chunk = src.read(1 << 20)
                        if not chunk:
                            break
                        written += len(chunk)
                        if written > max_total:
                            raise DataError(
                                tr("{url}: the ZIP archive expands beyond the size limit.").format(
                                    url=zip_path
                                )
                            )
                        dst.write(chunk)
                out.append(target)
    except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile):
        raise DataError(
            tr("{url}: the ZIP archive is corrupt or truncated.").format(url=zip_path)
        ) from None
    return out


# -- the cache --------------------------------------------------------------------------------


def write_atomic(path: Path, content: bytes) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=path.suffix)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


class Cache:
    """Files downloaded once and reused; see module docstring."""

    def __init__(self, folder=None, max_bytes: int = DEFAULT_MAX_BYTES):
        self.folder = Path(folder) if folder else cache_dir() / "sources"
        self.folder.mkdir(parents=True, exist_ok=True)
        self.max_bytes = max_bytes
        self.retries = DEFAULT_RETRIES
        self.backoff_s = DEFAULT_BACKOFF_S
        self.timeout_s = net.DEFAULT_TIMEOUT_S

    # paths
    @staticmethod
    def key_for(url: str) -> str:
        return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]

    def _paths(self, key: str):
        safe = re.sub(r"[^A-Za-z0-9_.-]", "_", key)[:120]
        return self.folder / f"{safe}.data", self.folder / f"{safe}.json"

    def meta(self, key: str) -> Optional[dict]:
        data_path, meta_path = self._paths(key)
        if not (data_path.is_file() and meta_path.is_file()):
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if meta.get("size") is not None and data_path.stat().st_size != meta["size"]:
            return None  # the data file does not match its record: treat as absent
        return meta

    def cached(self, url: str, key: Optional[str] = None) -> Optional[CachedFile]:
        """The cached copy of ``url`` without any network access, or ``None``."""
        key = key or self.key_for(url)
        meta = self.meta(key)
        if meta is None:
            return None
        return self._result(
            key, meta, from_cache=True, stale=True, note=cache_note(meta["retrieved"])
        )

    def _result(self, key, meta, from_cache, stale, note="") -> CachedFile:
        data_path, meta_path = self._paths(key)
        # LRU stamp: the file's access time is not reliable (noatime mounts).
        try:
            os.utime(meta_path, None)
        except OSError:
            pass
        return CachedFile(
            path=data_path,
            from_cache=from_cache,
            stale=stale,
            retrieved=meta.get("retrieved", ""),
            last_modified=meta.get("last_modified", ""),
            etag=meta.get("etag", ""),
            url=meta.get("url", ""),
            source_date=meta.get("source_date", ""),
            content_type=meta.get("content_type", ""),
            note=note,
        )

    def fetch(
        self,
        url: str,
        key: Optional[str] = None,
        feedback=None,
        max_age_s: float = DEFAULT_MAX_AGE_S,
        expect: str = "data",
        source_date: str = "",
        params: Optional[dict] = None,
        validator: Optional[Callable[[bytes], None]] = None,
        offline: bool = False,
    ) -> CachedFile:
        """The content of ``url`` as a local file.

        - a cached copy younger than ``max_age_s``, or whose recorded ``source_date`` equals the
          one given (data.gouv ``last_modified``), is returned without network access;
        - otherwise a conditional request (ETag / If-Modified-Since) refreshes it; 304 keeps it;
        - a failed request or unusable content (``expect``/``validator``) returns the cached copy
          (``stale=True`` with a ``note``) when there is one, else raises.
        """
        full_url = net.with_params(url, params)
        key = key or self.key_for(full_url)
        meta = self.meta(key)
        if meta is not None:
            age = time.time() - float(meta.get("retrieved_ts", 0))
            same_source = bool(source_date) and meta.get("source_date") == source_date
            if offline or age < max_age_s or same_source:
                return self._result(key, meta, from_cache=True, stale=False)
        elif offline:
            raise NetworkError(
                tr("No cached copy of {url}; it must be downloaded once online.").format(url=url),
                url=url,
            )
        try:
            resp = self._request(full_url, meta, feedback)
            if resp.status == 304:
                if meta is None:
                    raise DataError(tr("{url}: unexpected “not modified” answer.").format(url=url))
                meta["retrieved"] = _iso_now()
                meta["retrieved_ts"] = time.time()
                if source_date:
                    meta["source_date"] = source_date
                self._write_meta(key, meta)
                return self._result(key, meta, from_cache=True, stale=False)
            self._check_complete(resp)
            validate_content(resp.content, expect, full_url)
            if validator is not None:
                validator(resp.content)
        except CancelledError:
            raise
        except (NetworkError, DataError) as exc:
            if meta is None:
                raise
            return self._stale(key, meta, exc, feedback)
        return self._store_response(key, full_url, resp, source_date)

    def _request(self, full_url: str, meta: Optional[dict], feedback):
        """GET, conditional on the cached copy's ETag / Last-Modified (304 keeps it)."""
        headers = {}
        if meta is not None:
            if meta.get("etag"):
                headers["If-None-Match"] = meta["etag"]
            if meta.get("last_modified"):
                headers["If-Modified-Since"] = meta["last_modified"]
        return net.request(
            full_url,
            headers=headers,
            feedback=feedback,
            retries=self.retries,
            backoff_base_s=self.backoff_s,
            timeout_s=self.timeout_s,
            accept_status=(200, 304),
            force_refresh=True,
        )

    def _stale(self, key: str, meta: dict, exc: Exception, feedback) -> CachedFile:
        """The cached copy, after a failed refresh: with a warning naming its date."""
        note = cache_note(meta.get("retrieved", ""))
        result = self._result(key, meta, from_cache=True, stale=True, note=note)
        result.warnings.append(
            tr("{error} Using the {note}.").format(error=str(exc).rstrip(), note=note)
        )
        push_warning(feedback, result.warnings[-1])
        return result

    def _store_response(self, key: str, full_url: str, resp, source_date: str) -> CachedFile:
        meta = {
            "url": full_url,
            "retrieved": _iso_now(),
            "retrieved_ts": time.time(),
            "etag": resp.headers.get("etag", ""),
            "last_modified": resp.headers.get("last-modified", ""),
            "content_type": resp.content_type,
            "source_date": source_date,
            "size": len(resp.content),
        }
        data_path, _meta_path = self._paths(key)
        write_atomic(data_path, resp.content)
        self._write_meta(key, meta)
        self.evict(keep={key})
        return self._result(key, meta, from_cache=False, stale=False)

    @staticmethod
    def _check_complete(resp) -> None:
        expected = resp.headers.get("content-length", "")
        encoding = resp.headers.get("content-encoding", "")
        if expected.isdigit() and not encoding and int(expected) != len(resp.content):
            raise DataError(
                tr(
                    "{url}: the download is truncated ({got} of {expected} bytes). Try again later."
                ).format(url=resp.url, got=len(resp.content), expected=expected)
            )

    def _write_meta(self, key: str, meta: dict) -> None:
        _data_path, meta_path = self._paths(key)
        write_atomic(meta_path, json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))

    def store(self, key: str, content: bytes, url: str = "", source_date: str = "") -> CachedFile:
        """Put derived content (e.g. a page assembled from several requests) in the cache."""
        data_path, _ = self._paths(key)
        write_atomic(data_path, content)
        meta = {
            "url": url,
            "retrieved": _iso_now(),
            "retrieved_ts": time.time(),
            "source_date": source_date,
            "size": len(content),
        }
        self._write_meta(key, meta)
        self.evict(keep={key})
        return self._result(key, meta, from_cache=False, stale=False)

    def entries(self) -> List[tuple]:
        """(key, bytes, last use timestamp) of every entry."""
        out = []
        for meta_path in self.folder.glob("*.json"):
            data_path = meta_path.with_suffix(".data")
            if not data_path.is_file():
                continue
            try:
                used = meta_path.stat().st_mtime
                size = data_path.stat().st_size
            except OSError:
                continue
            out.append((meta_path.stem, size, used))
        return out

    def evict(self, keep=()) -> int:
        """Remove least recently used entries until the cache fits ``max_bytes``."""
        entries = sorted(self.entries(), key=lambda e: e[2])
        total = sum(e[1] for e in entries)
        removed = 0
        for key, size, _used in entries:
            if total <= self.max_bytes:
                break
            if key in keep:
                continue
            data_path, meta_path = self._paths(key)
            for path in (meta_path, data_path):
                try:
                    path.unlink()
                except OSError:
                    pass
            total -= size
            removed += 1
        return removed

    def remove(self, url: str, params: Optional[dict] = None) -> None:
        """Forget the cached copy of ``url`` (with ``params``): the next fetch downloads it."""
        for path in self._paths(self.key_for(net.with_params(url, params))):
            try:
                path.unlink()
            except FileNotFoundError:
                pass

    def clear(self) -> None:
        for path in self.folder.glob("*"):
            if path.is_file():
                path.unlink()
