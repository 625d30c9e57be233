#!/usr/bin/env python3
"""The size rules of docs/CONTRIBUTING.md as a check: no module over 600 lines, no function
over 80 lines (``def`` to its last line), in cget_plugin/, scripts/, bench/ and tests/.

Usage: ``python scripts/check_sizes.py [folder ...]`` (``make lint``; tests/unit/test_sizes.py
runs it in ``make test``). Prints each breach and exits 1 if there is one. Complexity (≤ 15)
is ruff's C90 rule (ruff.toml)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from typing import Iterator, List, Sequence

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("cget_plugin", "scripts", "bench", "tests")
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80
SKIP_PARTS = {"__pycache__", ".venv", "build"}

#: Known breaches being fixed elsewhere: "path" or "path::function" -> why. Keep it empty.
ALLOWED: dict = {}


def python_files(folders: Sequence[Path]) -> Iterator[Path]:
    for folder in folders:
        for path in sorted(folder.rglob("*.py")):
            if not SKIP_PARTS.intersection(path.parts):
                yield path


def breaches(path: Path, root: Path = REPO) -> List[str]:
    """The size breaches of one file, as ``path:line: message`` (path relative to ``root``)."""
    text = path.read_text(encoding="utf-8")
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = path.as_posix()
    found = []
    lines = len(text.splitlines())
    if lines > MAX_MODULE_LINES and rel not in ALLOWED:
        found.append(f"{rel}:1: module of {lines} lines (> {MAX_MODULE_LINES})")
    for node in ast.walk(ast.parse(text, filename=str(path))):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES and f"{rel}::{node.name}" not in ALLOWED:
                found.append(
                    f"{rel}:{node.lineno}: function {node.name} of {length} lines "
                    f"(> {MAX_FUNCTION_LINES})"
                )
    return found


def main(argv=None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folders = [Path(a) for a in args] or [REPO / f for f in FOLDERS]
    found = [b for path in python_files(folders) for b in breaches(path)]
    for line in found:
        print(line)
    if found:
        print(f"{len(found)} size breach(es): split along the seams (docs/CONTRIBUTING.md)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
