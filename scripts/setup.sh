#!/usr/bin/env bash
# Installs on Debian 12 what the plugin's tests and demo need, only what is missing, then the
# test venv. Safe to re-run: it does nothing when everything is there.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(qgis python3-qgis qgis-providers python3-pandas python3-scipy xvfb xauth
              pyqt5-dev-tools qttools5-dev-tools poppler-utils gdal-bin python3-venv
              fonts-liberation debootstrap python3-openpyxl)
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

VENV=.venv
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c "import qgis.core" 2>/dev/null; then
  echo "setup: creating $VENV (system site packages: QGIS, numpy, pandas, scipy)"
  rm -rf "$VENV"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
REQ_HASH=$(sha256sum tests/requirements.txt | cut -c1-16)
if [ "$(cat "$VENV/.requirements" 2>/dev/null)" != "$REQ_HASH" ]; then
  "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r tests/requirements.txt
  echo "$REQ_HASH" > "$VENV/.requirements"
fi
