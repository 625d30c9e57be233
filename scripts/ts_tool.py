"""Helper for translators: list unfinished messages of i18n/cget_fr.ts, apply translations.

    python scripts/ts_tool.py unfinished            # JSON list of sources still untranslated
    python scripts/ts_tool.py apply fr.json         # {"source": "traduction", ...}
    python scripts/ts_tool.py check                 # exit 1 if anything is unfinished
    python scripts/ts_tool.py normalise             # drop source locations, sort by source

Run ``bash scripts/update_translations.sh`` first so the .ts lists every current string.

The .ts is kept *normalised*: no ``<location>`` (line numbers change with every edit of the code
and made every branch conflict on the .ts) and messages sorted by source text, so two branches
that add different strings merge without conflict. Nothing reads the locations: the translation
test and lrelease work from the source texts.
"""

import fcntl
import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

TS = Path(__file__).resolve().parent.parent / "i18n" / "cget_fr.ts"


def _messages(root):
    for context in root.iter("context"):
        for message in context.iter("message"):
            yield context.findtext("name"), message


def unfinished(path=TS):
    root = ET.parse(path).getroot()
    out = []
    for _ctx, message in _messages(root):
        translation = message.find("translation")
        if (
            translation is None
            or translation.get("type") == "unfinished"
            or not (translation.text or "").strip()
        ):
            out.append(message.findtext("source"))
    return sorted(set(out))


def _write(tree, path):
    ET.indent(tree, space="    ")
    tree.write(path, encoding="utf-8", xml_declaration=True)
    # restore the DOCTYPE line pylupdate5/lrelease expect
    text = Path(path).read_text(encoding="utf-8")
    if "<!DOCTYPE TS>" not in text:
        text = text.replace("?>\n", "?>\n<!DOCTYPE TS>\n", 1)
    Path(path).write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def normalise(path=TS):
    """Drop locations and sort each context's messages by source (stable, merge-friendly)."""
    with open("/tmp/cget_ts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        tree = ET.parse(path)
        for context in tree.getroot().iter("context"):
            messages = context.findall("message")
            for message in messages:
                for location in message.findall("location"):
                    message.remove(location)
                context.remove(message)
            messages.sort(key=lambda m: m.findtext("source") or "")
            context.extend(messages)
        _write(tree, path)


def apply(mapping, path=TS):
    with open("/tmp/cget_ts.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        tree = ET.parse(path)
        count = 0
        for _ctx, message in _messages(tree.getroot()):
            source = message.findtext("source")
            if source in mapping:
                translation = message.find("translation")
                if translation is None:
                    translation = ET.SubElement(message, "translation")
                translation.text = mapping[source]
                translation.attrib.pop("type", None)
                count += 1
        _write(tree, path)
    normalise(path)
    return count


def main(argv):
    if len(argv) < 2:
        print(__doc__)
        return 2
    if argv[1] == "unfinished":
        print(json.dumps(unfinished(), ensure_ascii=False, indent=1))
    elif argv[1] == "apply":
        mapping = json.loads(Path(argv[2]).read_text(encoding="utf-8"))
        print(f"{apply(mapping)} messages translated")
    elif argv[1] == "normalise":
        normalise()
    elif argv[1] == "check":
        missing = unfinished()
        for source in missing:
            print("untranslated:", source)
        return 1 if missing else 0
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
