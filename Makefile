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

.PHONY: setup test test-unit test-qgis test-gui demo bench package deploy lint translations clean

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

## Tests: unit (no QGIS), qgis (pytest-qgis, offscreen), gui (real QGIS under xvfb).
test: setup $(QM)
	@$(MAKE) --no-print-directory test-unit test-qgis test-gui

test-unit: setup
	$(PY) -m pytest tests/unit -p no:qgis -q

test-qgis: setup $(QM)
	$(PY) -m pytest tests/qgis -q

test-gui: setup package
	QT_QPA_PLATFORM= xvfb-run -a -s "-screen 0 1600x1000x24" $(PY) -m pytest tests/gui -p no:qgis -q

## The main job, on the bundled offline sample (TERRITORY=<code> for official data online).
demo: setup $(QM)
	$(PY) scripts/demo.py $(if $(TERRITORY),--territory $(TERRITORY))

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

clean:
	rm -rf $(BUILD) $(QM) demo-output .pytest_cache
