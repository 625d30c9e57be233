"""Large files downloaded once and kept (the national Filosofi grid: hundreds of MB).

Unlike :class:`core.cache.Cache` entries (held in memory while downloaded, evicted by size),
a large file is fetched in ``Range`` chunks appended to ``<name>.part``, so that an interrupted
download resumes where it stopped, with progress in MB. It becomes ``<name>`` only once
complete and checked (size announced by the server, SHA-256 when the catalogue gives one, the
archive's own CRCs): a bad download never replaces a good copy, and the good copy is what the
user gets (with a warning) when the network or the new file fails. A full disk leaves nothing
half-written behind.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, List, Optional

from . import net
from .cache import cache_note, write_atomic
from .errors import CancelledError, DataError, NetworkError
from .feedback import push_info, push_warning
from .i18n import tr

CHUNK_BYTES = 16 * 1024**2
DEFAULT_MAX_AGE_S = 365 * 86400.0


@dataclass
class LargeFile:
    path: Path
    url: str
    size: int
    retrieved: str
    last_modified: str = ""
    from_cache: bool = False
    stale: bool = False
    warnings: List[str] = field(default_factory=list)


def disk_full_error(folder: Path) -> DataError:
    return DataError(
        tr(
            "Not enough disk space in the cache folder {folder}: nothing was kept of the "
            "unfinished file. Free some space (or move the cache with CGET_CACHE_DIR) and run "
            "again."
        ).format(folder=folder)
    )


def is_disk_full(exc: OSError) -> bool:
    return exc.errno in (errno.ENOSPC, errno.EDQUOT)


class LargeDownload:
    """One large file of ``url`` kept as ``folder/name`` (see module docstring)."""

    def __init__(
        self,
        folder: Path,
        name: str,
        url: str,
        sha256: str = "",
        size: int = 0,
        check: Optional[Callable[[Path], None]] = None,
        retries: int = 2,
        backoff_s: float = 1.0,
        timeout_s: float = 120.0,
    ):
        self.folder = Path(folder)
        self.path = self.folder / name
        self.part = self.folder / (name + ".part")
        self.meta_path = self.folder / (name + ".json")
        self.url = url
        self.sha256 = sha256.lower()
        self.size = int(size or 0)
        self.check = check
        self.retries, self.backoff_s, self.timeout_s = retries, backoff_s, timeout_s

    # -- the kept copy ------------------------------------------------------------------------
    def meta(self) -> Optional[dict]:
        try:
            meta = json.loads(self.meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not self.path.is_file() or self.path.stat().st_size != meta.get("size"):
            return None
        return meta

    def _kept(self, meta: dict, stale: bool = False, warning: str = "") -> LargeFile:
        got = LargeFile(
            self.path,
            self.url,
            meta["size"],
            meta.get("retrieved", ""),
            meta.get("last_modified", ""),
            from_cache=True,
            stale=stale,
        )
        if warning:
            got.warnings.append(warning)
        return got

    def fetch(self, feedback=None, max_age_s: float = DEFAULT_MAX_AGE_S, offline=False):
        """The file, downloaded when absent or older than ``max_age_s`` and changed."""
        self.folder.mkdir(parents=True, exist_ok=True)
        meta = self.meta()
        if meta is not None and (offline or time.time() - meta.get("retrieved_ts", 0) < max_age_s):
            return self._kept(meta)
        if meta is None and offline:
            raise NetworkError(
                tr("No cached copy of {url}; it must be downloaded once online.").format(
                    url=self.url
                ),
                url=self.url,
            )
        try:
            return self._download(feedback, meta)
        except CancelledError:
            raise
        except (NetworkError, DataError) as exc:
            if meta is None:
                raise
            warning = tr("{error} Using the {note}.").format(
                error=str(exc).rstrip(), note=cache_note(meta.get("retrieved", ""))
            )
            push_warning(feedback, warning)
            return self._kept(meta, stale=True, warning=warning)

    def remote_size(self, feedback=None) -> int:
        """Bytes the server announces for the file (``HEAD``), or the catalogue's size; 0 when
        neither says."""
        head = self._request("HEAD", {}, feedback, (200,))
        return int(head.headers.get("content-length") or 0) or self.size

    # -- downloading --------------------------------------------------------------------------
    def _download(self, feedback, meta: Optional[dict]) -> LargeFile:
        head = self._request("HEAD", {}, feedback, (200,))
        total = int(head.headers.get("content-length") or 0) or self.size
        last_modified = head.headers.get("last-modified", "")
        etag = head.headers.get("etag", "")
        if meta is not None and _same_file(meta, total, last_modified, etag):
            meta["retrieved"], meta["retrieved_ts"] = _now(), time.time()
            self._write_meta(meta)
            return self._kept(meta)
        self._resume_or_restart(etag, last_modified, total)
        have = self.part.stat().st_size if self.part.exists() else 0
        if have:
            push_info(
                feedback,
                tr("Resuming the download of {url} at {mb} MB.").format(
                    url=self.url, mb=have // 1024**2
                ),
            )
        while not total or have < total:
            have, total = self._next_chunk(have, total, feedback)
            if not total:
                break  # the server sent the whole file at once
        self._verify(total)
        meta = {
            "url": self.url,
            "size": self.part.stat().st_size,
            "sha256": self.sha256,
            "retrieved": _now(),
            "retrieved_ts": time.time(),
            "last_modified": last_modified,
            "etag": etag,
        }
        os.replace(self.part, self.path)
        self._write_meta(meta)
        self._forget_part_meta()
        return LargeFile(self.path, self.url, meta["size"], meta["retrieved"], last_modified)

    def _request(self, method, headers, feedback, accept):
        return net.request(
            self.url,
            method=method,
            headers=headers,
            feedback=feedback,
            retries=self.retries,
            backoff_base_s=self.backoff_s,
            timeout_s=self.timeout_s,
            accept_status=accept,
        )

    def _resume_or_restart(self, etag: str, last_modified: str, total: int) -> None:
        """A partial file of another version of the source is dropped, not continued."""
        part_meta_path = self.part.with_suffix(".part.json")
        wanted = {"etag": etag, "last_modified": last_modified, "size": total}
        try:
            recorded = json.loads(part_meta_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            recorded = None
        if recorded != wanted or (
            total and self.part.exists() and self.part.stat().st_size > total
        ):
            if self.part.exists():
                self.part.unlink()
            write_atomic(part_meta_path, json.dumps(wanted).encode("utf-8"))

    def _forget_part_meta(self) -> None:
        try:
            self.part.with_suffix(".part.json").unlink()
        except FileNotFoundError:
            pass

    def _next_chunk(self, have: int, total: int, feedback):
        end = have + CHUNK_BYTES - 1
        if total:
            end = min(end, total - 1)
        resp = self._request("GET", {"Range": f"bytes={have}-{end}"}, feedback, (200, 206))
        if resp.status == 200:  # no range support: the whole file
            have = 0
            mode = "wb"
            total = len(resp.content)
        else:
            mode = "ab"
            match = re.match(r"bytes (\d+)-(\d+)/(\d+|\*)", resp.headers.get("content-range", ""))
            if not match or int(match.group(1)) != have:
                raise DataError(
                    tr("{url}: the server answered another part of the file.").format(url=self.url)
                )
            if match.group(3) != "*":
                total = int(match.group(3))
        self._append(resp.content, mode)
        have = self.part.stat().st_size
        if total and feedback is not None:
            feedback.setProgress(100.0 * have / total)
        push_info(
            feedback,
            tr("Downloaded {mb} of {total} MB.").format(
                mb=have // 1024**2, total=(total or have) // 1024**2
            ),
        )
        if not resp.content:
            raise DataError(tr("{url}: the download stopped (empty answer).").format(url=self.url))
        return have, total

    def _append(self, content: bytes, mode: str) -> None:
        try:
            with open(self.part, mode) as handle:
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        except OSError as exc:
            if is_disk_full(exc):
                # A half-written part is useless on a full disk: nothing is left behind.
                for path in (self.part, self.part.with_suffix(".part.json")):
                    try:
                        path.unlink()
                    except FileNotFoundError:
                        pass
                raise disk_full_error(self.folder) from None
            raise

    def _verify(self, total: int) -> None:
        """The complete part is what was announced; else it is deleted (the next try starts
        afresh) and the error says why."""
        problem = None
        size = self.part.stat().st_size
        if total and size != total:
            problem = tr("{url}: the download is truncated ({got} of {expected} bytes).").format(
                url=self.url, got=size, expected=total
            )
        elif self.sha256 and _sha256(self.part) != self.sha256:
            problem = tr("{url}: the file's checksum does not match the catalogue's.").format(
                url=self.url
            )
        elif self.check is not None:
            try:
                self.check(self.part)
            except DataError as exc:
                problem = str(exc)
        if problem:
            self.part.unlink()
            self._forget_part_meta()
            raise DataError(problem)

    def _write_meta(self, meta: dict) -> None:
        write_atomic(self.meta_path, json.dumps(meta, indent=1).encode("utf-8"))


def check_zip_file(path: Path) -> None:
    """DataError when the ZIP is corrupt or truncated (every member's CRC checked)."""
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError):
        bad = "?"
    if bad:
        raise DataError(
            tr("{url}: the ZIP archive is corrupt or truncated.").format(url=Path(path).name)
        )


def _same_file(meta: dict, total: int, last_modified: str, etag: str) -> bool:
    if etag and meta.get("etag"):
        return etag == meta["etag"]
    if last_modified and meta.get("last_modified"):
        return last_modified == meta["last_modified"] and (not total or total == meta["size"])
    return bool(total) and total == meta["size"]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _now() -> str:
    from .provenance import now_iso

    return now_iso()
