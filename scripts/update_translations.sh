#!/usr/bin/env bash
# Refresh i18n/cget_fr.ts from every Python source (pylupdate5 keeps existing translations).
# Several developers may run this at once: a lock serialises the rewrite of the .ts.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(find cget_plugin -name '*.py' -not -path '*/__pycache__/*' | sort)
exec 9>/tmp/cget_ts.lock
flock 9
pylupdate5 -noobsolete "${sources[@]}" -ts i18n/cget_fr.ts 2>&1 | grep -v DeprecationWarning | grep -v getdefaultlocale || true
exec 9>&-
# No line numbers, messages sorted by source: branches that add strings merge cleanly.
/usr/bin/python3 scripts/ts_tool.py normalise
