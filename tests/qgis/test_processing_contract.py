"""docs/processing.md §3 and the registered provider say the same thing, both ways.

For each algorithm of the page: every parameter listed exists with that type, default,
required flag and (for choices) the same static-string ids in the same order, every
parameter of the code is listed, and the declared outputs match. An algorithm marked
``**Status: planned**`` (being implemented) is reported as an expected failure while it is not
registered; as soon as it is, the test fails until the mark is removed and the tables match, so
the algorithm can neither land undocumented nor stay "planned" once it exists.
The provider's exact set of algorithms is checked in test_provider.py.
"""

import pytest
from qgis.core import QgsApplication

from cget_plugin import compat
from tests.helpers.processing_doc import DocAlgorithm, contract

CONTRACT = contract()


def _same_default(documented, actual) -> bool:
    if documented is None:
        return actual in (None, "")
    if isinstance(actual, bool):
        return documented == str(actual).lower()
    if isinstance(actual, (int, float)):
        try:
            return float(documented) == float(actual)
        except ValueError:
            return False
    return documented == str(actual)


def _differences(doc: DocAlgorithm, alg) -> list:
    problems = []
    code = {p.name(): p for p in alg.parameterDefinitions()}
    for name in sorted(set(doc.parameters) - set(code)):
        problems.append(f"{name}: in the page, not in the code")
    for name in sorted(set(code) - set(doc.parameters)):
        problems.append(f"{name}: in the code, not in the page")
    for name in sorted(set(doc.parameters) & set(code)):
        documented, param = doc.parameters[name], code[name]
        if documented.type != param.type():
            problems.append(f"{name}: type {documented.type} in the page, {param.type()} in code")
        if not _same_default(documented.default, param.defaultValue()):
            problems.append(
                f"{name}: default {documented.default!r} in the page, "
                f"{param.defaultValue()!r} in the code"
            )
        optional = bool(param.flags() & compat.PARAM_FLAG_OPTIONAL)
        if documented.required == optional:
            problems.append(f"{name}: required={documented.required} in the page, not in code")
        if param.type() == "enum":
            if not param.usesStaticStrings():
                problems.append(f"{name}: choices are not static strings")
            if documented.options != list(param.options()):
                problems.append(
                    f"{name}: ids {documented.options} in the page, {param.options()} in code"
                )
    outputs = {o.name(): o.type() for o in alg.outputDefinitions()}
    for name in sorted(set(doc.outputs) ^ set(outputs)):
        where = "page" if name in doc.outputs else "code"
        problems.append(f"output {name}: only in the {where}")
    for name in sorted(set(doc.outputs) & set(outputs)):
        if doc.outputs[name].type != outputs[name]:
            problems.append(
                f"output {name}: {doc.outputs[name].type} in the page, {outputs[name]} in code"
            )
    return problems


@pytest.mark.parametrize("doc", list(CONTRACT.values()), ids=list(CONTRACT))
def test_algorithm_matches_the_page(cget_provider, doc):
    alg = QgsApplication.processingRegistry().algorithmById(doc.id)
    if doc.planned and alg is None:
        pytest.xfail(f"{doc.id} is planned (docs/processing.md) and not registered yet")
    assert alg is not None, f"{doc.id} is documented but not registered"
    problems = _differences(doc, alg)
    if doc.planned:
        problems.append(
            "registered but still marked « Status: planned » in docs/processing.md: remove "
            "that line once its tables match the code"
        )
    assert not problems, f"{doc.id} differs from docs/processing.md:\n" + "\n".join(problems)


def test_the_comparison_sees_a_difference(cget_provider):
    """The check itself: a page that drops a parameter and changes a default is caught."""
    doc = CONTRACT["cget:isochrones"]
    altered = DocAlgorithm(doc.id, parameters=dict(doc.parameters), outputs=dict(doc.outputs))
    del altered.parameters["BANDS_MIN"]
    from dataclasses import replace

    altered.parameters["MODE"] = replace(doc.parameters["MODE"], default="walk")
    alg = QgsApplication.processingRegistry().algorithmById(doc.id)
    problems = _differences(altered, alg)
    assert "BANDS_MIN: in the code, not in the page" in problems
    assert any(p.startswith("MODE: default 'walk'") for p in problems)
