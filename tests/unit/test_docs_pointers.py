"""The design lives in the repository: no file points to the team's documents outside it
(``../shared/docs``, ``DESIGN.md``, ``layout-conventions.md``, a bare ``data-sources.md`` or
``anchors.md``), and every ``docs/<page>.md §N`` a file cites is a section of that page.

``../shared/data`` stays allowed: it is optional test data (tests/helpers/shared_data.py), not
design.
"""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DOCS = REPO / "docs"
SKIP_DIRS = {".git", ".venv", "build", "demo-output", "artifacts", "__pycache__", "i18n"}
TEXT_SUFFIXES = {".py", ".md", ".json", ".html", ".txt", ".sh", ".toml", ".cfg", ".ini", ".qml"}
TEXT_NAMES = {"Makefile", "metadata.txt"}

#: Pointers outside the repository, in any file.
OUTSIDE = re.compile(r"shared/docs|DESIGN\.md|DESIGN §|DESIGN contract|layout-conventions")
#: A team document named without the repository's ``docs/`` (allowed inside docs/ itself,
#: where pages link to each other by their bare names).
BARE = re.compile(r"(?<![\w/])(?:data-sources|anchors)\.md")

#: Files whose owners are still rewriting their pointers (issue 10); empty once they are done.
#: No other file may gain one.
BEING_REWRITTEN: set = set()

_CITED = re.compile(r"docs/([a-z-]+)\.md`?\s*((?:§\s*\d+(?:\.\d+)*(?:\s*#\d+)?[,\s]*(?:and\s+)?)+)")
_LINKED = re.compile(r"\(([a-z-]+)\.md\)\s*((?:§\s*\d+(?:\.\d+)*[,\s]*(?:and\s+)?)+)")
_SECTION = re.compile(r"§\s*(\d+(?:\.\d+)?)")
_HEADING = re.compile(r"^#{2,4} (\d+(?:\.\d+)*)\.? ", re.MULTILINE)


def repository_texts():
    for path in sorted(REPO.rglob("*")):
        rel = path.relative_to(REPO)
        if any(part in SKIP_DIRS for part in rel.parts) or not path.is_file():
            continue
        if path.suffix in TEXT_SUFFIXES or path.name in TEXT_NAMES:
            yield rel.as_posix(), path.read_text(encoding="utf-8", errors="replace")


def outside_pointers(rel: str, text: str):
    found = [m.group(0) for m in OUTSIDE.finditer(text)]
    if not rel.startswith("docs/"):
        found += [m.group(0) for m in BARE.finditer(text)]
    return found


def sections(page: str) -> set:
    return set(_HEADING.findall((DOCS / f"{page}.md").read_text(encoding="utf-8")))


def cited_sections(rel: str, text: str):
    """(page, section) pairs ``text`` cites, e.g. ("map-conventions", "2.5")."""
    found = []
    for match in _CITED.finditer(text):
        found += [(match.group(1), s) for s in _SECTION.findall(match.group(2))]
    if rel.startswith("docs/"):
        for match in _LINKED.finditer(text):
            found += [(match.group(1), s) for s in _SECTION.findall(match.group(2))]
    return found


def test_no_file_points_outside_the_repository():
    offenders = {}
    for rel, text in repository_texts():
        if rel == "tests/unit/test_docs_pointers.py" or rel in BEING_REWRITTEN:
            continue
        found = outside_pointers(rel, text)
        if found:
            offenders[rel] = sorted(set(found))
    assert not offenders, "point to docs/ instead: " + repr(offenders)


def test_the_docs_pages_exist():
    for page in ("architecture", "processing", "data-sources", "map-conventions"):
        assert {"1", "2", "3"} <= sections(page), page
    assert (DOCS / "anchors.md").is_file()


def test_every_cited_section_exists():
    missing = []
    for rel, text in repository_texts():
        if rel == "tests/unit/test_docs_pointers.py":
            continue
        for page, section in cited_sections(rel, text):
            path = DOCS / f"{page}.md"
            if not path.is_file() or section not in sections(page):
                missing.append(f"{rel}: docs/{page}.md §{section}")
    assert not missing


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "(docs/map-conventions.md §2.5, §3.5)",
            [("map-conventions", "2.5"), ("map-conventions", "3.5")],
        ),
        ("`docs/processing.md` §3", [("processing", "3")]),
        ("docs/map-conventions.md §1.1 #6: round", [("map-conventions", "1.1")]),
        ("docs/data-sources.md).", []),
    ],
)
def test_citations_are_read(text, expected):
    assert cited_sections("x.py", text) == expected


def test_outside_pointers_are_seen():
    assert outside_pointers("x.py", "see ../shared/docs/DESIGN.md §3") == [
        "shared/docs",
        "DESIGN.md",
    ]
    assert outside_pointers("x.py", "(data-sources.md §6.1)") == ["data-sources.md"]
    assert outside_pointers("x.py", "(docs/data-sources.md §6.1)") == []
    assert outside_pointers("docs/a.md", "[x](data-sources.md)") == []
