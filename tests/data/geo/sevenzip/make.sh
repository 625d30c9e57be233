#!/bin/bash
# The .7z fixtures, made by 7-Zip itself (an implementation independent of core/sevenzip.py):
# Debian package 7zip (`7zz`), 7-Zip 26.02. Run from this folder; commit the archives.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
src=$(mktemp -d)
trap 'rm -rf "$src"' EXIT
/usr/bin/python3 "$here/content.py" "$src"
cd "$src"
for method in lzma2 lzma bzip2 deflate copy; do
    rm -f "$here/$method.7z"
    7zz a -bd -m0=$method "$here/$method.7z" carreaux.csv bruit.bin vide.txt sous >/dev/null
done
rm -f "$here/non_solid.7z"
7zz a -bd -ms=off -mhc=off "$here/non_solid.7z" carreaux.csv bruit.bin sous >/dev/null
