#!/usr/bin/env bash
# A second test environment with QGIS 3.44 (Debian unstable, Python 3.14), without Docker:
# a Debian root made by `debootstrap --variant=minbase` in a cache folder outside the clone,
# entered with `chroot`. Built once and reused; a half-built or broken root is detected
# (completion stamp written last, recipe hash, smoke import of qgis.core) and rebuilt.
#
# Usage:
#   scripts/qgis_root.sh ensure          build the root if missing, stale or broken; print version
#   scripts/qgis_root.sh check           exit 0 when the root is complete and QGIS imports
#   scripts/qgis_root.sh rebuild         throw the root away and build it again
#   scripts/qgis_root.sh test [LAYER...]   run test layers inside the root: unit, qgis, gui
#                                          (the desktop under Xvfb); default (or all): the three
#   scripts/qgis_root.sh run CMD...      run CMD inside the root, in the repository folder
#   scripts/qgis_root.sh path            print the root folder
#
# Environment: QGIS_ROOT (root folder; default /var/cache/cget-qgis-root-r<recipe> as root user,
# else ${XDG_CACHE_HOME:-~/.cache}/cget/qgis-unstable-r<recipe>), QGIS_ROOT_MIRROR (Debian mirror; default: the
# one the host's apt uses), QGIS_ROOT_SUITE (default unstable), CGET_SHARED_DATA (shared data
# folder; default REPO/../shared/data), PYTEST_ARGS (extra pytest arguments).
#
# Every run happens in a private mount namespace (unshare -m): /proc, /sys, /dev, /tmp and the
# bind mounts of the repository and of the shared data exist only for that run and vanish with it,
# even if the run is killed; a trap also unmounts them explicitly. Runs hold a shared lock and
# builds an exclusive one (flock), so a rebuild never pulls the root from under a running suite.
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
SUITE=${QGIS_ROOT_SUITE:-unstable}
# What goes into the root. Changing this list (or the pip line) changes the recipe hash, which
# makes `ensure` rebuild the root.
# Keep in step with the test needs of scripts/setup.sh (pdf tools for the layout tests, GDAL
# tools, spreadsheet reader, the fonts the layouts fall back to, the QGIS desktop and Xvfb for
# tests/gui).
APT_PACKAGES=(python3-qgis qgis-providers python3-pandas python3-scipy
              python3-pytest python3-pytest-httpserver python3-pip
              poppler-utils gdal-bin python3-openpyxl
              fonts-dejavu-core fonts-dejavu-extra fonts-lato fonts-liberation
              qgis xvfb xauth fonts-open-sans)
# fonts-open-sans: the QGIS 3.44 desktop otherwise tries to download Open Sans at start.
# pytest-qgis is not packaged by Debian: the same pin as the host venv, fetched by the host's pip
# (which knows the host's index and certificates) and installed offline in the root.
mapfile -t PIP_PACKAGES < <(grep -E '^pytest-qgis' "$REPO/tests/requirements.txt")
RECIPE_VERSION=2
# The default folder carries the recipe version: trees still on an older recipe (other
# branches) keep their own root instead of rebuilding each other's in turn.
ROOT_SUFFIX=-r$RECIPE_VERSION
STAMP_NAME=.cget-root-complete

if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi

default_root() {
  if [ "$(id -u)" -eq 0 ]; then
    echo "/var/cache/cget-qgis-root$ROOT_SUFFIX"
  else
    echo "${XDG_CACHE_HOME:-$HOME/.cache}/cget/qgis-unstable$ROOT_SUFFIX"
  fi
}
ROOT=${QGIS_ROOT:-$(default_root)}
ROOT=${ROOT%/}
LOCK="$ROOT.lock"

log() { printf 'qgis-root: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

recipe_hash() {
  printf '%s\n' "$RECIPE_VERSION" "$SUITE" "${APT_PACKAGES[*]}" "${PIP_PACKAGES[*]}" |
    sha256sum | cut -c1-16
}

host_mirror() {
  # The Debian mirror the host's apt already uses (deb822 `URIs:` or one-line `deb URL suite`).
  local url
  url=$(grep -hsE '^\s*URIs:\s*\S+/debian/?\s*$' /etc/apt/sources.list.d/*.sources \
          /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1 | awk '{print $2}')
  if [ -z "$url" ]; then
    url=$(grep -hsE '^\s*deb\s+(\[[^]]*\]\s+)?\S+/debian/?\s' /etc/apt/sources.list \
            /etc/apt/sources.list.d/*.list 2>/dev/null | head -1 |
          sed -E 's/^\s*deb\s+(\[[^]]*\]\s+)?(\S+).*/\2/')
  fi
  echo "${url:-http://deb.debian.org/debian}"
}
MIRROR=${QGIS_ROOT_MIRROR:-$(host_mirror)}

# --- checks ---------------------------------------------------------------------------------

stamp_ok() {
  [ -f "$ROOT/$STAMP_NAME" ] && [ "$(cat "$ROOT/$STAMP_NAME" 2>/dev/null)" = "$(recipe_hash)" ]
}

# Runs the body of "$@" in the root with the run mounts; used by check and test.
smoke() {
  in_root /usr/bin/python3 -c \
    'import shutil; from qgis.core import Qgis; import pytest, pytest_httpserver, pytest_qgis, pandas, scipy; assert shutil.which("qgis") and shutil.which("xvfb-run"); print(Qgis.QGIS_VERSION)' \
    2>/dev/null
}

healthy() {
  stamp_ok || return 1
  local version
  version=$(smoke) || return 1
  [[ "$version" == 3.* ]] || return 1
  echo "$version"
}

mounted_below() {
  # Any mount point inside the folder (never rm -rf a root with /dev or the repo bound in it).
  awk -v p="$1/" 'index($2 "/", p) == 1 { found = 1 } END { exit !found }' /proc/self/mounts
}

safe_remove() {
  local dir=$1
  [ -e "$dir" ] || return 0
  [ "$dir" != "/" ] && [ -n "$dir" ] || die "refusing to remove '$dir'"
  if mounted_below "$dir"; then
    die "something is still mounted below $dir; unmount it (findmnt -R $dir) before rebuilding"
  fi
  $SUDO rm -rf --one-file-system "$dir"
}

# --- build ----------------------------------------------------------------------------------

ensure_debootstrap() {
  command -v debootstrap >/dev/null && return 0
  log "installing debootstrap on the host"
  if ! DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends \
      debootstrap >/dev/null; then
    $SUDO apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends debootstrap
  fi
}

build() {
  ensure_debootstrap
  local tmp="$ROOT.partial" start=$SECONDS
  safe_remove "$tmp"
  $SUDO mkdir -p "$(dirname "$ROOT")"
  log "building $ROOT: debootstrap --variant=minbase $SUITE from $MIRROR"
  # debootstrap mounts /proc and /sys inside the target: a private namespace makes sure they do
  # not outlive an interrupted build.
  $SUDO unshare --mount --propagation private \
    debootstrap --variant=minbase "$SUITE" "$tmp" "$MIRROR" >"$ROOT.build.log" 2>&1 || {
      tail -20 "$ROOT.build.log" >&2
      die "debootstrap failed (full log: $ROOT.build.log)"
    }
  log "debootstrap done in $((SECONDS - start)) s; installing QGIS and the test tools"
  # The reachable mirror serves a frozen snapshot whose Release file has expired.
  printf 'Acquire::Check-Valid-Until "false";\nAPT::Install-Recommends "false";\n' |
    $SUDO tee "$tmp/etc/apt/apt.conf.d/99cget" >/dev/null
  printf 'Dpkg::Options { "--force-unsafe-io"; };\n' | $SUDO tee "$tmp/etc/apt/apt.conf.d/98cget-fast" >/dev/null
  # Documentation is of no use in a test root.
  printf 'path-exclude=/usr/share/doc/*\npath-exclude=/usr/share/man/*\npath-include=/usr/share/doc/*/copyright\n' |
    $SUDO tee "$tmp/etc/dpkg/dpkg.cfg.d/01cget-nodoc" >/dev/null
  echo "deb $MIRROR $SUITE main" | $SUDO tee "$tmp/etc/apt/sources.list" >/dev/null
  grep -qs localhost "$tmp/etc/hosts" ||
    printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' |
      $SUDO tee "$tmp/etc/hosts" >/dev/null
  local host_py=$REPO/.venv/bin/python
  "$host_py" -m pip --version >/dev/null 2>&1 || host_py=/usr/bin/python3
  $SUDO mkdir -p "$tmp/opt/cget-wheels"
  $SUDO "$host_py" -m pip download -q --no-deps --only-binary=:all: --disable-pip-version-check \
    -d "$tmp/opt/cget-wheels" "${PIP_PACKAGES[@]}" >>"$ROOT.build.log" 2>&1 ||
    die "cannot download ${PIP_PACKAGES[*]} with $host_py -m pip (run make setup first)"
  ROOT=$tmp in_root_build /bin/sh -ec "
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q
    apt-get install -y -q ${APT_PACKAGES[*]}
    python3 -m pip install -q --no-index --no-deps --break-system-packages \
      --root-user-action=ignore --disable-pip-version-check /opt/cget-wheels/*.whl
    rm -rf /opt/cget-wheels
    apt-get clean
    rm -rf /var/lib/apt/lists/* /root/.cache
  " >>"$ROOT.build.log" 2>&1 || {
    tail -30 "$ROOT.build.log" >&2
    die "installing QGIS in the root failed (full log: $ROOT.build.log)"
  }
  local version
  version=$(ROOT=$tmp smoke) || die "QGIS does not import in the new root (see $ROOT.build.log)"
  # Stamp last: a root without it is half-built and will be rebuilt.
  recipe_hash | $SUDO tee "$tmp/$STAMP_NAME" >/dev/null
  safe_remove "$ROOT"
  $SUDO mv "$tmp" "$ROOT"
  log "root ready in $((SECONDS - start)) s: QGIS $version, $(du -sh --one-file-system "$ROOT" 2>/dev/null | cut -f1)"
}

# --- entering the root ----------------------------------------------------------------------

shared_data() {
  if [ -n "${CGET_SHARED_DATA:-}" ]; then
    echo "$CGET_SHARED_DATA"
  elif [ -d "$REPO/../shared/data" ]; then
    (cd "$REPO/../shared/data" && pwd -P)
  fi
}

# The body run inside the private mount namespace: mount, run, unmount (trap), return status.
# Arguments: root, repo, shared data folder (may be empty), artefacts folder, then the command.
# shellcheck disable=SC2016
NS_BODY='
set -eu
root=$1 repo=$2 shared=$3 artifacts=$4; shift 4
mounted=""
cleanup() {
  for m in $mounted; do umount -l "$m" 2>/dev/null || true; done
}
trap cleanup EXIT
trap "exit 130" INT TERM
mnt() { mount "$@"; eval "last=\${$#}"; mounted="$last $mounted"; }
mnt -t proc proc "$root/proc"
mnt -t sysfs -o ro sysfs "$root/sys"
mnt --rbind /dev "$root/dev"
mnt -t tmpfs -o mode=1777 tmpfs "$root/tmp"
if [ -n "$repo" ]; then
  mkdir -p "$root$repo"
  mnt --bind "$repo" "$root$repo"
  mount -o remount,bind,ro "$root$repo"
  if [ -n "$artifacts" ]; then
    mkdir -p "$artifacts"
    if [ -d "$root$repo/tests/artifacts" ]; then
      mnt --bind "$artifacts" "$root$repo/tests/artifacts"
    fi
  fi
fi
if [ -n "$shared" ] && [ -d "$shared" ]; then
  mkdir -p "$root$shared"
  mnt --bind "$shared" "$root$shared"
  mount -o remount,bind,ro "$root$shared"
fi
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
status=0
chroot "$root" "$@" || status=$?
exit $status
'

# in_root CMD...: run CMD in the root (private namespace, clean environment, cwd = repository).
in_root() {
  local shared artifacts=""
  shared=$(shared_data)
  # Review artefacts (PNG renders) of 3.44 kept apart from the host ones, outside the read-only
  # repository view.
  artifacts="$REPO/build/qgis-root/artifacts"
  mkdir -p "$REPO/tests/artifacts" "$artifacts" 2>/dev/null || true
  local envs=(HOME=/tmp/home PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
              LANG=C.UTF-8 LC_ALL=C.UTF-8 TMPDIR=/tmp XDG_RUNTIME_DIR=/tmp/runtime
              QT_QPA_PLATFORM=offscreen PYTHONPYCACHEPREFIX=/tmp/pycache
              PYTHONDONTWRITEBYTECODE=1 "CI=${CI:-}" CGET_IN_QGIS_ROOT=1)
  [ -n "$shared" ] && envs+=("CGET_SHARED_DATA=$shared")
  local var
  for var in $(compgen -e); do
    case $var in CGET_*) [ "$var" = CGET_SHARED_DATA ] || envs+=("$var=${!var}") ;; esac
  done
  $SUDO unshare --mount --propagation private /bin/bash -c "$NS_BODY" ns \
    "$ROOT" "$REPO" "$shared" "$artifacts" \
    /usr/bin/env -i "${envs[@]}" /bin/sh -c \
    'mkdir -p "$HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR" && cd "$0" && exec "$@"' \
    "$REPO" "$@"
}

# in_root_build CMD...: as root in the root being built (network, no repository).
in_root_build() {
  $SUDO unshare --mount --propagation private /bin/bash -c "$NS_BODY" ns "$ROOT" "" "" "" \
    /usr/bin/env -i HOME=/root PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 "$@"
}

with_lock() {
  # with_lock shared|exclusive CMD...
  local mode=$1; shift
  $SUDO mkdir -p "$(dirname "$LOCK")"
  exec 9>>"$LOCK"
  if [ "$mode" = exclusive ]; then flock -x 9; else flock -s 9; fi
  "$@"
}

ensure() {
  local version
  # Fast path under a shared lock: a healthy root is reused as it is.
  if version=$( (exec 9>>"$LOCK"; flock -s 9; healthy) ); then
    echo "$version"
    return 0
  fi
  (
    exec 9>>"$LOCK"
    flock -x 9
    # Someone may have built it while we waited.
    if version=$(healthy); then echo "$version"; exit 0; fi
    if [ -e "$ROOT" ]; then
      if stamp_ok; then
        log "$ROOT is complete but QGIS does not start in it: rebuilding"
      elif [ -f "$ROOT/$STAMP_NAME" ]; then
        log "$ROOT was built from another recipe: rebuilding"
      else
        log "$ROOT is half-built (no completion stamp): rebuilding"
      fi
    fi
    build
    healthy || die "the rebuilt root is not healthy"
  )
}

run_tests() {
  local layers=("$@") status=0 version
  if [ ${#layers[@]} -eq 0 ] || [ "${layers[*]}" = all ]; then layers=(unit qgis gui); fi
  version=$(ensure) || die "no usable QGIS root"
  local pyver
  pyver=$(in_root /usr/bin/python3 -c 'import platform; print(platform.python_version())')
  # PYTEST_ARGS is split on purpose (several arguments).
  # shellcheck disable=SC2206
  local extra=(${PYTEST_ARGS:-})
  exec 9>>"$LOCK"
  flock -s 9
  local layer
  for layer in "${layers[@]}"; do
    case $layer in
      unit)
        echo "=== tests/unit in the QGIS root: QGIS $version, Python $pyver ==="
        in_root /usr/bin/python3 "$REPO/scripts/run_pytest.py" tests/unit -p no:qgis \
          -p no:cacheprovider -p tests.helpers.qgis_exit -q "${extra[@]}" || status=1
        ;;
      qgis)
        echo "=== tests/qgis in the QGIS root: QGIS $version, Python $pyver ==="
        in_root /usr/bin/python3 "$REPO/scripts/run_pytest.py" tests/qgis -p no:cacheprovider \
          -p tests.helpers.qgis_exit -q "${extra[@]}" || status=1
        ;;
      gui)
        # The real desktop under Xvfb, from the plugin ZIP of build/ (make package); its
        # screenshots land in build/qgis-root/artifacts.
        echo "=== tests/gui in the QGIS root (QGIS desktop under Xvfb): QGIS $version, Python $pyver ==="
        in_root /usr/bin/env QT_QPA_PLATFORM= /usr/bin/xvfb-run -a -s "-screen 0 1600x1000x24" \
          /usr/bin/python3 "$REPO/scripts/run_pytest.py" tests/gui -p no:qgis \
          -p no:cacheprovider -q "${extra[@]}" || status=1
        ;;
      *) die "unknown test layer: $layer (unit, qgis, gui)" ;;
    esac
  done
  return $status
}

cmd=${1:-ensure}
shift || true
case $cmd in
  ensure) ensure ;;
  check)
    if version=$( (exec 9>>"$LOCK"; flock -s 9; healthy) ); then
      echo "QGIS $version in $ROOT"
    else
      log "$ROOT is missing, half-built or broken"; exit 1
    fi
    ;;
  rebuild)
    ( exec 9>>"$LOCK"; flock -x 9; build )
    ;;
  test) run_tests "$@" ;;
  run)
    [ $# -gt 0 ] || die "usage: $0 run CMD..."
    ensure >/dev/null
    ( exec 9>>"$LOCK"; flock -s 9; in_root "$@" )
    ;;
  path) echo "$ROOT" ;;
  *) sed -n '2,20p' "$0" >&2; exit 2 ;;
esac
