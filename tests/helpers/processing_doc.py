"""Reads the Processing contract written in ``docs/processing.md`` §3 (pure Python, no QGIS).

Each algorithm is a heading ``### 3.N `cget:<id>` …``; a line starting ``**Status: planned**``
marks an algorithm being implemented. Its parameter table has the header
``| Parameter | Type | Default | Required | Meaning |`` and its output table
``| Output | Type | Content |``. In a cell, the first backticked word is the value (name, type
or default) and, for an ``enum`` type, the following backticked words are its ids; ``—`` is "no
default". A ``\\|`` inside a cell is a literal bar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

DOC = Path(__file__).resolve().parents[2] / "docs" / "processing.md"

_ALGORITHM = re.compile(r"^### 3\.\d+ `(cget:[a-z_]+)`")
_PLANNED = re.compile(r"^\*\*Status: planned\*\*")
_TICKED = re.compile(r"`([^`]*)`")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
PARAMETER_HEADER = ["Parameter", "Type", "Default", "Required", "Meaning"]
OUTPUT_HEADER = ["Output", "Type", "Content"]
NO_DEFAULT = "—"


@dataclass
class DocParameter:
    name: str
    type: str
    default: Optional[str]  # the literal written in the table; None for "—"
    required: bool
    options: List[str] = field(default_factory=list)  # enum ids, in order


@dataclass
class DocOutput:
    name: str
    type: str


@dataclass
class DocAlgorithm:
    id: str
    planned: bool = False
    parameters: Dict[str, DocParameter] = field(default_factory=dict)
    outputs: Dict[str, DocOutput] = field(default_factory=dict)


def _cells(line: str) -> List[str]:
    parts = _CELL_SPLIT.split(line.strip())
    return [p.strip().replace("\\|", "|") for p in parts[1:-1]]


def _ticked(cell: str) -> List[str]:
    return _TICKED.findall(cell)


def _first_ticked(cell: str, what: str, line: str) -> str:
    values = _ticked(cell)
    if not values:
        raise ValueError(f"docs/processing.md: no `{what}` in the row: {line}")
    return values[0]


def _parameter(cells: List[str], line: str) -> DocParameter:
    name_cell, type_cell, default_cell, required_cell = cells[:4]
    types = _ticked(type_cell)
    if not types:
        raise ValueError(f"docs/processing.md: no `type` in the row: {line}")
    default = None if default_cell == NO_DEFAULT else _first_ticked(default_cell, "default", line)
    if required_cell not in ("yes", "no"):
        raise ValueError(f"docs/processing.md: Required must be yes or no: {line}")
    return DocParameter(
        name=_first_ticked(name_cell, "name", line),
        type=types[0],
        default=default,
        required=required_cell == "yes",
        options=types[1:] if types[0] == "enum" else [],
    )


def parse(text: str) -> Dict[str, DocAlgorithm]:
    """The algorithms of §3, by id, in the order of the page."""
    algorithms: Dict[str, DocAlgorithm] = {}
    current: Optional[DocAlgorithm] = None
    table = None  # "parameters" | "outputs" | None
    for line in text.splitlines():
        heading = _ALGORITHM.match(line)
        if heading:
            if heading.group(1) in algorithms:
                raise ValueError(f"docs/processing.md: {heading.group(1)} is listed twice")
            current = algorithms[heading.group(1)] = DocAlgorithm(heading.group(1))
            table = None
            continue
        if line.startswith("## ") or (line.startswith("### ") and not heading):
            current, table = None, None
            continue
        if current is None:
            continue
        if _PLANNED.match(line):
            current.planned = True
            continue
        if not line.startswith("|"):
            table = None
            continue
        cells = _cells(line)
        if cells == PARAMETER_HEADER:
            table = "parameters"
        elif cells == OUTPUT_HEADER:
            table = "outputs"
        elif table is None or set("".join(cells)) <= set("-: "):
            continue
        elif table == "parameters":
            param = _parameter(cells, line)
            if param.name in current.parameters:
                raise ValueError(f"docs/processing.md: {current.id} lists {param.name} twice")
            current.parameters[param.name] = param
        else:
            name = _first_ticked(cells[0], "output", line)
            current.outputs[name] = DocOutput(name, _first_ticked(cells[1], "type", line))
    return algorithms


def contract() -> Dict[str, DocAlgorithm]:
    return parse(DOC.read_text(encoding="utf-8"))
