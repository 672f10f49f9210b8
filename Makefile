# The two commands a newcomer needs: `make demo` and `make test`. Everything else is for us.
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
LOCAL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/smartcommunity
LOCAL_REDIS_URL ?= redis://127.0.0.1:6379/0

.PHONY: install demo test stack lint format messages lock bench bench-small assets drills

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; v = sys.version_info[:2]; sys.exit(0 if v == (3, 11) else "Python 3.11 is required, found %d.%d (set PYTHON=/path/to/python3.11)" % v)'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade "pip>=24"
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

# The platform on the embedded default: SQLite under var/, tasks in-process, no services needed.
# Procfile.demo runs the web server and Celery beat; on the embedded default beat runs each
# periodic task itself (escalation, re-checks, benefits lapsing at 18), so the demo's clocks move.
# DEMO_FAKES: a demo 12345 secret, hotline replies as files under var/, a fake WeChat (README).
demo: export DEMO_FAKES = true
demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo "Serving http://$(HOST):$(PORT)/  (API /api/v1/, docs /api/docs/, admin /admin/)"
	HOST=$(HOST) PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/honcho start -f Procfile.demo -p $(PORT)

test: install
	$(BIN)/pytest

# The production topology without Docker: ASGI web, Celery worker and beat against local
# PostgreSQL and Redis, running the Procfile's commands (the same as docker-compose.yml).
stack: install
	DATABASE_URL=$${DATABASE_URL:-$(LOCAL_DATABASE_URL)} REDIS_URL=$${REDIS_URL:-$(LOCAL_REDIS_URL)} \
		sh -c '$(BIN)/python -m config.ensure_database && $(BIN)/python manage.py migrate --noinput && \
		PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/honcho start -f Procfile -p $(PORT)'

# Speed at a city's size (docs/BENCHMARKS.md): seeds a PostgreSQL database of its own once
# (sc_bench_<N>, or BENCH_DATABASE_URL), runs every benchmark in bench/registry.py, exits
# non-zero when a target is missed. Not part of `make test`. bench-small is the check after a change.
bench: install
	$(BIN)/python -m bench.run --residents 1000000

bench-small: install
	$(BIN)/python -m bench.run --residents 100000

# Longer hostile runs than CI's: the API fuzzed with more examples an operation (FUZZ_EXAMPLES,
# FUZZ_SEED; tests/hostile/test_fuzz_api.py), the drills on real processes (tests/e2e), then the
# load drill: locust against the Procfile's stack on a database of its own (bench/load/,
# docs/BENCHMARKS.md "Load drill"; LOAD_ARGS, e.g. "--run-time 60 --reuse").
drills: install
	FUZZ_EXAMPLES=$${FUZZ_EXAMPLES:-25} $(BIN)/pytest -q tests/hostile/test_fuzz_api.py
	$(BIN)/pytest -q tests/e2e
	$(BIN)/python -m bench.load $(LOAD_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract strings and compile catalogs (needs GNU gettext for extraction only; compiling is Python).
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --ignore ".venv/*" --ignore "tests/*" --ignore "bench/*"
	$(BIN)/python -m config.compile_messages

# Refresh the constraints file after changing dependencies in pyproject.toml.
lock: install
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e ' > constraints.txt

# Refresh the committed front-end files from the npm registry, exactly as assets/package-lock.json
# pins them (npm ci checks each package's integrity). Newcomers never need it: the files are
# committed under core/dashboards/static/.
ECHARTS_STATIC := core/dashboards/static/dashboards/vendor
assets:
	cd assets && npm ci --ignore-scripts --no-audit --no-fund
	mkdir -p $(ECHARTS_STATIC)
	cp assets/node_modules/echarts/dist/echarts.min.js $(ECHARTS_STATIC)/echarts.min.js
	cp assets/node_modules/echarts/LICENSE $(ECHARTS_STATIC)/echarts.LICENSE
	rm -rf assets/node_modules
