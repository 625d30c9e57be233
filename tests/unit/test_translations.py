"""i18n/cget_fr.ts is complete: every string passed to tr() in the plugin has a finished French
translation with the same placeholders, under the context used at run time."""

import ast
import re
import string
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TS = REPO / "i18n" / "cget_fr.ts"


def _tr_literals():
    found = {}
    for path in sorted((REPO / "cget_plugin").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "tr":
                arg = node.args[0]
            elif name == "translate" and len(node.args) >= 2:
                arg = node.args[1]
            else:
                continue
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.setdefault(arg.value, f"{path.relative_to(REPO)}:{node.lineno}")
    return found


def _translations():
    root = ET.parse(TS).getroot()
    out = {}
    for context in root.iter("context"):
        if context.findtext("name") != "@default":
            continue
        for message in context.iter("message"):
            translation = message.find("translation")
            finished = translation is not None and translation.get("type") not in (
                "unfinished",
                "obsolete",
                "vanished",
            )
            out[message.findtext("source")] = (translation.text or "") if finished else None
    return out


def _fields(text):
    return sorted({f for _, f, _, _ in string.Formatter().parse(text) if f is not None})


def test_every_tr_string_is_translated():
    literals = _tr_literals()
    assert literals, "no tr() call found: the scan is broken"
    translations = _translations()
    missing = [f"{where}: {src!r}" for src, where in literals.items() if not translations.get(src)]
    assert not missing, (
        "untranslated or absent from cget_fr.ts (run `make translations`, then "
        "translate):\n" + "\n".join(missing)
    )


def test_placeholders_match():
    translations = _translations()
    wrong = []
    for source, target in translations.items():
        if not target:
            continue
        try:
            if _fields(source) != _fields(target):
                wrong.append(f"{source!r} -> {target!r}")
        except ValueError:
            wrong.append(f"malformed braces: {source!r} -> {target!r}")
    assert not wrong, "\n".join(wrong)


def test_no_escape_sequences_in_tr_strings():
    """pylupdate5 does not decode \\uXXXX escapes, so such a string never finds its translation."""
    bad = []
    for path in sorted((REPO / "cget_plugin").rglob("*.py")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\btr\(\s*[\"'][^\"']*\\u[0-9a-fA-F]{4}", line):
                bad.append(f"{path.relative_to(REPO)}:{lineno}")
    assert not bad, "write the character itself, not \\u escapes, in tr(): " + ", ".join(bad)


@pytest.mark.parametrize("word", ["Géographie prioritaire", "Accessibilité", "Cartes préfecture"])
def test_toolbar_titles_translated(word):
    assert word in _translations().values()
