# Two commands do all the set-up on a fresh machine: `make run` and `make test` (README).
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON_SYS ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
RASA := $(VENV)/bin/rasa
STAMP := $(VENV)/.installed
MODEL := models/current.tar.gz
TRAINING_INPUTS := config.yml domain.yml $(shell find data -name '*.yml' 2>/dev/null) $(wildcard bot/nlu/*.py)

export HRD_DATA_DIR ?= $(CURDIR)/var
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONWARNINGS := ignore
# Rasa reports usage and crashes to its own servers unless told not to: nothing leaves here.
export RASA_TELEMETRY_ENABLED := false

WIDGET := bot/console/static/widget.js

.PHONY: help install model db run test lint validate story-test pytest bench services clean widget chromium \
	catalog nginx prod-up prod-down

help:
	@echo "make run    - install, train if the data changed, migrate, start every process"
	@echo "make test   - everything the tests need, then all of them"
	@echo "make bench  - benchmarks (training time, turn latency, NLU cross-validation, store)"
	@echo "make prod-up / prod-down - the production shape on loopback behind one TLS origin"

# Rasa 3.6.21 declares Requires-Python <3.11: install it and rasa-sdk without their metadata,
# then the exact versions they need from requirements/lock.txt (../shared/notes/rasa-on-python-3.11.md).
$(STAMP): requirements/lock.txt pyproject.toml
	test -x $(PY) || $(PYTHON_SYS) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check pip==24.3.1
	$(PIP) install --quiet --no-deps --ignore-requires-python rasa==3.6.21 rasa-sdk==3.6.2
	$(PIP) install --quiet -r requirements/lock.txt
	$(PIP) install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(STAMP)

# Rasa trains only when its inputs changed since the last model (make compares timestamps).
$(MODEL): $(STAMP) $(TRAINING_INPUTS)
	$(RASA) train --fixed-model-name current --out models
	touch $@

model: $(MODEL)

# The chat widget's script: socket.io-client bundled with esbuild (exact versions in the
# lock file), served by the console; nothing is loaded from another host. npm ci also installs
# axe-core (a devDependency, for the tests only): tests/support/axe.py reads its own bundle,
# widget/node_modules/axe-core/axe.min.js, which the console never serves.
$(WIDGET): widget/package.json widget/package-lock.json $(wildcard widget/src/*.js)
	cd widget && npm ci --no-audit --no-fund && npm run build

widget: $(WIDGET)

# The console's gettext catalogs (babel.cfg): the texts of the code and templates into
# messages.pot, merged into each language's .po (read as it is at start, nothing compiled).
# New texts come in untranslated and changed ones fuzzy: tests/console/test_i18n.py fails
# on both until the .po has their translation.
LOCALE := bot/console/i18n/locale
catalog: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg --no-location --sort-output \
		--project "HRD referral console" -o $(LOCALE)/messages.pot bot
	$(VENV)/bin/pybabel update -i $(LOCALE)/messages.pot -d $(LOCALE) -D messages \
		--ignore-obsolete --ignore-pot-creation-date

# The browser tests drive Debian's Chromium through Playwright (never a downloaded browser).
chromium:
	test -x /usr/bin/chromium || (apt-get update -qq && apt-get install -y -qq chromium >/dev/null)

# The production shape's one TLS origin (deploy/nginx/) is Debian's nginx, run from a config
# in HRD_DATA_DIR as an ordinary process: the system service is stopped and stays unused.
nginx:
	test -x /usr/sbin/nginx || (apt-get update -qq && (apt-get install -y -qq nginx >/dev/null \
	  || apt-get install -y -qq nginx-light >/dev/null) && (service nginx stop >/dev/null 2>&1 || true))

db: $(STAMP)
	$(VENV)/bin/hrd db upgrade

run: $(STAMP) $(MODEL) $(WIDGET) db
	scripts/run.sh

services:
	scripts/services.sh

# Two Rasa servers, the action server and the console on loopback behind nginx at
# https://127.0.0.1:8443 (PROD_TLS_PORT), PostgreSQL and Redis shared (deploy/README.md).
prod-up: $(STAMP) $(MODEL) $(WIDGET) services nginx
	scripts/prod.sh up

prod-down:
	scripts/prod.sh down

lint: $(STAMP)
	$(VENV)/bin/ruff check bot actions tests bench scripts

validate: $(STAMP)
	$(RASA) data validate --fail-on-warnings

story-test: $(MODEL)
	$(RASA) test core --model $(MODEL) --stories tests/stories --fail-on-prediction-errors --out results/stories

pytest: $(STAMP) $(MODEL) $(WIDGET) services chromium nginx
	$(PY) -m pytest -p no:cacheprovider

test: install services chromium nginx lint validate model story-test pytest

bench: $(STAMP) $(MODEL) $(WIDGET) services
	$(PY) bench/run_all.py

clean:
	rm -rf results .pytest_cache
