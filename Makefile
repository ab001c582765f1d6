# lotse_lms – the two commands of the README are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
XBLOCK_VENV ?= .venv-xblock
BIN := $(VENV)/bin
PG_URL ?= postgresql://postgres@127.0.0.1:5432/lotse_test
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: help install lock run test test-sqlite test-postgres test-xblock browser-deps deploy-deps js-deps postgres redis lint typecheck fmt translations clean

help:  ## Show the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*##/\t/'

# The application's dependencies and test tools, pinned (generated from setup.cfg by `make lock`).
LOCK := requirements-lock.txt

# From the lock, then the app itself without resolving again; `pip check` stops here when
# setup.cfg names a dependency the lock lacks (run `make lock`).
$(BIN)/lotse-lms: setup.cfg pyproject.toml $(LOCK)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r $(LOCK)
	$(BIN)/pip install --quiet --no-deps -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; echo "$(LOCK) is behind setup.cfg: make lock"; exit 1; }
	@touch $@

install: $(BIN)/lotse-lms  ## Create .venv and install lotse_lms with its test tools (from the lock file)

# pip-tools in a venv of its own; keeps the pins it can and adds what setup.cfg added.
# Newest versions of everything: make lock LOCK_FLAGS=--upgrade
lock:  ## Refresh requirements-lock.txt from setup.cfg (install + test extras)
	$(PYTHON) -m venv .venv-lock
	.venv-lock/bin/pip install --quiet pip-tools
	.venv-lock/bin/pip-compile --quiet $(LOCK_FLAGS) --extra test --strip-extras \
	  --no-emit-index-url --no-emit-find-links -o $(LOCK) setup.cfg

# HOST/PORT reach every step of `run` (seed mails, worker, server): BASE_URL and
# CONTENT_BASE_URL follow them unless set (LOTSE_BASE_URL, LOTSE_CONTENT_BASE_URL, lotse.toml).
run: export FLASK_RUN_HOST = $(HOST)
run: export FLASK_RUN_PORT = $(PORT)
run: install  ## Start the app on http://127.0.0.1:5000 and its worker, with SQLite and demo data
	$(BIN)/lotse-lms db upgrade
	$(BIN)/lotse-lms seed-demo
	@# The worker (mail, reminders, big imports) runs beside the web server and stops with it.
	$(BIN)/lotse-lms worker & worker=$$!; trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	  $(BIN)/lotse-lms run --host $(HOST) --port $(PORT)

browser-deps:  ## Install Debian's chromium and chromium-driver if missing
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
	  { (apt-get update -qq || sudo apt-get update -qq) && \
	    (apt-get install -y -qq chromium chromium-driver || sudo apt-get install -y -qq chromium chromium-driver); }

deploy-deps:  ## Install Debian's nginx and gunicorn's test needs for the scale-out test (tests/deploy)
	@command -v nginx >/dev/null || ls /usr/sbin/nginx >/dev/null 2>&1 || \
	  { (apt-get update -qq || sudo apt-get update -qq) && \
	    (apt-get install -y -qq --no-install-recommends nginx || \
	     sudo apt-get install -y -qq --no-install-recommends nginx); }

js-deps:  ## Install the npm test tools (scorm-again, jose, jsonld) into tests/js/node_modules
	@if [ -f tests/js/package.json ]; then \
	  [ -d tests/js/node_modules ] || npm ci --prefix tests/js --no-audit --no-fund --loglevel=error; fi

postgres:  ## Start the local PostgreSQL server if it is down
	@pg_isready -q -h 127.0.0.1 -p 5432 || pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
	@for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -q -h 127.0.0.1 -p 5432 && exit 0; sleep 1; done; echo "PostgreSQL did not start"; exit 1

redis:  ## Start the local Redis server if it is down (the job queue and rate limiter tests use it)
	@redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 || { \
	  command -v redis-server >/dev/null || { (apt-get update -qq || sudo apt-get update -qq) && \
	    (apt-get install -y -qq redis-server || sudo apt-get install -y -qq redis-server); }; \
	  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no; }
	@for i in 1 2 3 4 5 6 7 8 9 10; do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && exit 0; sleep 1; done; echo "Redis did not start"; exit 1

test-sqlite: install browser-deps deploy-deps js-deps redis  ## Run the suite on SQLite
	$(BIN)/python -m pytest

test-postgres: install browser-deps deploy-deps js-deps postgres redis  ## Run the suite on PostgreSQL
	LOTSE_TEST_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest

$(XBLOCK_VENV)/bin/pytest: requirements-xblock.txt setup.cfg pyproject.toml
	$(PYTHON) -m venv $(XBLOCK_VENV)
	$(XBLOCK_VENV)/bin/pip install --quiet --upgrade pip
	$(XBLOCK_VENV)/bin/pip install --quiet -r requirements-xblock.txt -e ".[xblock]"
	@touch $@

test-xblock: $(XBLOCK_VENV)/bin/pytest browser-deps  ## Run the XBlock tests in their own environment (xblock-sdk workbench)
	$(XBLOCK_VENV)/bin/python -m pytest -c tests_xblock/pytest.ini tests_xblock

test: lint typecheck test-sqlite test-postgres test-xblock  ## Lint and type check, then the whole suite: SQLite, PostgreSQL and the XBlocks

lint: install  ## ruff check and ruff format --check (CI runs both before the tests)
	$(BIN)/ruff check lotse_lms tests tests_xblock bench deploy
	$(BIN)/ruff format --check lotse_lms tests tests_xblock bench deploy

# Not part of lint: a first run takes half a minute (later ones read .mypy_cache).
typecheck: install  ## mypy on the SCORM engine and the XBlocks (settings in pyproject.toml)
	$(BIN)/mypy

fmt: install  ## ruff format
	$(BIN)/ruff format lotse_lms tests tests_xblock bench deploy

translations: install  ## Extract messages and compile the English catalogue
	$(BIN)/pybabel extract -F babel.cfg -k _l --ignore-dirs="xblocks .venv* tests node_modules" --no-location --sort-output -o lotse_lms/translations/messages.pot .
	$(BIN)/pybabel update -i lotse_lms/translations/messages.pot -d lotse_lms/translations --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d lotse_lms/translations

clean:  ## Remove the virtual environment and build output
	rm -rf $(VENV) $(XBLOCK_VENV) .venv-lock dist build tests/artifacts
