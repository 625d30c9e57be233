"""docs/processing.md is well formed and every example in the repository's docs uses it.

The comparison with the registered provider is in tests/qgis/test_processing_contract.py; here
only what needs no QGIS: the tables parse, each algorithm is complete and consistent with
itself, and the ``processing.run`` / ``qgis_process`` examples of docs/processing.md and
README.md name documented algorithms and parameters only.
"""

import re

import pytest

from tests.helpers import processing_doc
from tests.helpers.processing_doc import DOC, parse

REPO = DOC.parents[1]
#: Processing declares this output for each destination parameter type.
OUTPUT_OF_DESTINATION = {"sink": "outputVector", "fileDestination": "outputFile"}


@pytest.fixture(scope="module")
def contract():
    return processing_doc.contract()


def test_the_six_algorithms_are_documented(contract):
    assert list(contract) == [
        "cget:loadgeography",
        "cget:locateaddresses",
        "cget:isochrones",
        "cget:accesstime",
        "cget:siting",
        "cget:exportmap",
    ]


def test_every_algorithm_has_parameters_and_outputs(contract):
    for alg in contract.values():
        assert alg.parameters, alg.id
        assert alg.outputs, alg.id


def test_every_destination_parameter_has_its_output(contract):
    for alg in contract.values():
        for param in alg.parameters.values():
            if param.type in OUTPUT_OF_DESTINATION:
                output = alg.outputs.get(param.name)
                assert output is not None, f"{alg.id}: output {param.name} not listed"
                assert output.type == OUTPUT_OF_DESTINATION[param.type], (alg.id, param.name)


def test_enum_defaults_are_among_their_ids(contract):
    for alg in contract.values():
        for param in alg.parameters.values():
            if param.type == "enum":
                assert param.options, (alg.id, param.name)
                assert len(set(param.options)) == len(param.options), (alg.id, param.name)
                if param.default is not None:
                    assert param.default in param.options, (alg.id, param.name, param.default)
            else:
                assert not param.options


def test_shared_choices_have_the_same_ids_everywhere(contract):
    """BACKEND, NETWORK_PROFILE, MODE, DIRECTION... offer the same ids in every algorithm
    (GEOGRAPHY differs on purpose: zones are the polygon entries only; exportmap's MODE is
    draft/final, another parameter with the same name)."""
    seen = {}
    for alg in contract.values():
        for param in alg.parameters.values():
            if param.type != "enum" or param.name == "GEOGRAPHY":
                continue
            if alg.id == "cget:exportmap" and param.name == "MODE":
                continue
            seen.setdefault(param.name, {})[tuple(param.options)] = alg.id
    assert seen["BACKEND"] and seen["MODE"]
    mixed = {name: ids for name, ids in seen.items() if len(ids) > 1}
    assert not mixed


def test_only_the_algorithm_being_built_is_planned(contract):
    planned = [alg.id for alg in contract.values() if alg.planned]
    assert set(planned) <= {"cget:siting"}


def test_parser_reads_the_table_conventions():
    text = """
### 3.1 `cget:example` — an example

**Status: planned** (issue 99)

| Parameter | Type | Default | Required | Meaning |
|---|---|---|---|---|
| `INPUT` | `source` (points) | — | yes | A layer, `a.gpkg\\|layername=x`. |
| `MODE` | `enum`: `car`, `walk` | `walk` | no | Mode. |
| `DPI` | `number` | `300` | yes | Resolution. |

Text between the tables.

| Output | Type | Content |
|---|---|---|
| `OUTPUT` | `outputVector` | Polygons. |

## 4. Other

| Parameter | Type | Default | Required | Meaning |
|---|---|---|---|---|
| `NOT_AN_ALGORITHM` | `string` | — | no | Outside §3. |
"""
    algs = parse(text)
    assert list(algs) == ["cget:example"]
    alg = algs["cget:example"]
    assert alg.planned
    assert list(alg.parameters) == ["INPUT", "MODE", "DPI"]
    assert alg.parameters["INPUT"].default is None and alg.parameters["INPUT"].required
    assert alg.parameters["MODE"].options == ["car", "walk"]
    assert alg.parameters["MODE"].default == "walk" and not alg.parameters["MODE"].required
    assert alg.parameters["DPI"].default == "300"
    assert list(alg.outputs) == ["OUTPUT"] and alg.outputs["OUTPUT"].type == "outputVector"


def test_parser_refuses_a_row_without_type():
    text = """
### 3.1 `cget:example` — x

| Parameter | Type | Default | Required | Meaning |
|---|---|---|---|---|
| `INPUT` | source | — | yes | untyped |
"""
    with pytest.raises(ValueError, match="type"):
        parse(text)


# -- examples ---------------------------------------------------------------------------------
_RUN = re.compile(r'processing\.run\(\s*"(cget:[a-z_]+)"\s*,\s*\{')
_KEY = re.compile(r'"([A-Z][A-Z0-9_]*)"\s*:')
_CLI = re.compile(r"qgis_process(?:\.bin)?\s+(?:--json\s+)?run\s+(cget:[a-z_]+)\s+--\s+(.*)")


def _dict_after(text, start):
    """The text of the ``{...}`` opened just before ``start`` (balanced braces)."""
    depth = 1
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start:i]
    raise AssertionError("unbalanced braces in an example")


def examples(text):
    """(algorithm id, parameter names) of each processing.run / qgis_process call in ``text``."""
    found = []
    for match in _RUN.finditer(text):
        found.append((match.group(1), set(_KEY.findall(_dict_after(text, match.end())))))
    joined = re.sub(r"\\\n\s*", " ", text)  # shell continuation lines
    for match in _CLI.finditer(joined):
        found.append((match.group(1), set(re.findall(r"\b([A-Z][A-Z0-9_]*)=", match.group(2)))))
    return found


@pytest.mark.parametrize("path", ["docs/processing.md", "README.md"])
def test_examples_use_documented_names(contract, path):
    calls = examples((REPO / path).read_text(encoding="utf-8"))
    assert calls, f"{path} has no processing example"
    for alg_id, names in calls:
        assert alg_id in contract, f"{path}: unknown algorithm {alg_id}"
        unknown = names - set(contract[alg_id].parameters)
        assert not unknown, f"{path}: {alg_id} has no parameter {sorted(unknown)}"
