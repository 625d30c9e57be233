"""The small extracts of real open data kept in ``tests/data/real`` (made by
``scripts/make_test_data.py``; sources and licences in the README there), unpacked on first use.

``real_path("communes/communes_93.gpkg")`` returns the unpacked file; ``real_root()`` the
folder holding them all, laid out as ``../shared/data`` (the replay server reads it). The copies
live in the temporary folder, keyed by the content of the stored files, so a read-only checkout
(the QGIS 3.44 root mounts the repository read-only) and parallel runs are fine. Standard
library only: the replay server uses it outside pytest.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
STORED = REPO / "tests" / "data" / "real"


def _stored():
    return sorted(STORED.rglob("*.gz"))


def real_root() -> Path:
    """The folder of the unpacked extracts (unpacked now if needed)."""
    digest = hashlib.sha1()
    for path in _stored():
        digest.update(path.relative_to(STORED).as_posix().encode())
        digest.update(path.read_bytes())
    root = Path(tempfile.gettempdir()) / f"cget-real-data-{digest.hexdigest()[:12]}"
    for path in _stored():
        target = root / path.relative_to(STORED).with_suffix("")
        if target.exists():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
        with gzip.open(path, "rb") as src, tmp.open("wb") as out:
            shutil.copyfileobj(src, out)
        os.replace(tmp, target)  # atomic: a parallel run sees the whole file or none
    return root


def real_path(relative: str) -> Path:
    path = real_root() / relative
    if not path.exists():
        raise FileNotFoundError(
            f"{relative} is not among the extracts of tests/data/real "
            "(add it to scripts/make_test_data.py)"
        )
    return path
