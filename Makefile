# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
# Python packages come only from uv.lock (exact versions and hashes); see README, "Dependencies".
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# uv is a tool, not a dependency of the app: it lives in its own venv, pinned with hashes.
TOOLS := .tools
UV := $(TOOLS)/bin/uv
UV_STAMP := $(TOOLS)/.uv-$(shell cksum scripts/uv-requirements.txt | cut -d' ' -f1)
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON_DOWNLOADS := never
WITH_SERVICES := $(PY) scripts/services.py exec --
# mypy's Django plugin reads the settings but never connects: addresses that need no server.
MYPY_ENV := DATABASE_URL=$${DATABASE_URL:-postgres://types@localhost/types} \
	REDIS_URL=$${REDIS_URL:-redis://localhost:6379/0}

MO_FILES := $(patsubst %.po,%.mo,$(wildcard locale/*/LC_MESSAGES/django.po))

.PHONY: run test faults fuzz lint format system-deps install lock lock-check upgrade clean restore-drill

$(UV_STAMP): scripts/uv-requirements.txt
	@test -x $(TOOLS)/bin/python || $(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check \
		--require-hashes -r scripts/uv-requirements.txt
	@rm -f $(TOOLS)/.uv-*
	@touch $@

# Fails, naming the command to run, when pyproject.toml and uv.lock disagree.
lock-check: $(UV_STAMP)
	@$(UV) lock --check --quiet 2>/dev/null || { \
		echo >&2; \
		echo "uv.lock does not match pyproject.toml." >&2; \
		echo "  Run 'make lock' (or '$(UV) lock'), then commit uv.lock with pyproject.toml." >&2; \
		echo >&2; exit 1; }

# Installs exactly the locked set (and removes anything else from .venv). Quick when nothing
# changed, so it runs every time instead of trusting a stamp.
install: lock-check system-deps node_modules/.package-lock.json $(MO_FILES)
	@$(UV) sync --locked --extra dev --python $(PYTHON) --quiet

# The translation catalogues: locale/*/LC_MESSAGES/django.po are committed, the compiled
# .mo files are built here (msgfmt, Debian's gettext) and not committed.
# New strings: `manage.py makemessages -l da -l en --ignore=node_modules --ignore=.venv
# --ignore=.tools --ignore=tests --ignore=docs`, then commit the .po files.
%.mo: %.po
	msgfmt --check-format -o $@ $<

# Front-end packages (DKFDS, served as static files) and the test identity provider, exactly
# as package-lock.json pins them. Re-run only when the lock file changes.
node_modules/.package-lock.json: package-lock.json package.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

lock: $(UV_STAMP)
	$(UV) lock

# Newest releases within pyproject.toml's ranges, then the tests decide.
upgrade: $(UV_STAMP)
	$(UV) lock --upgrade
	$(MAKE) test

system-deps:
	@bash scripts/system-deps.sh

# The same checks run before each commit (.pre-commit-config.yaml); keep the two in step.
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m djlint . --lint
	$(MYPY_ENV) $(PY) -m mypy
	$(VENV)/bin/lint-imports

format: install
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

test: install lint
	$(WITH_SERVICES) $(PY) -m pytest $(PYTEST_ARGS)

# Background work under faults (issue 18): private PostgreSQL and Redis, real worker and beat
# processes, each killed and restarted mid-work; prints lost / still running / duplicated /
# server errors (all 0). About 6 minutes.
faults: install
	$(PY) scripts/faults.py -q $(PYTEST_ARGS)

# Hostile input through every form (hypothesis), 1,000 examples each: 0 server errors and
# 0 partial writes. `make test` runs the same tests with 60 examples.
# The forms are shared out over FUZZ_SHARDS processes run at once (one per core), each with
# its own test database and Redis databases (scripts/fuzz_shards.sh).
FUZZ_EXAMPLES ?= 1000
FUZZ_SHARDS ?= 2
fuzz: install
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) FUZZ_SHARDS=$(FUZZ_SHARDS) $(WITH_SERVICES) \
		bash scripts/fuzz_shards.sh $(PY) $(PYTEST_ARGS)

# Backup, more rows, restore to new clusters (latest and a point in time), one jobcentre's
# schema alone; checks schemas, row counts, PDFs and CPR decryption, prints RTO and RPO.
# Private PostgreSQL cluster(s) and Redis under /tmp; about 2-3 minutes (docs/operations.md).
restore-drill: install
	nice $(PY) scripts/restore_drill.py $(DRILL_ARGS)

run: install
	$(WITH_SERVICES) bash scripts/run-dev.sh

clean:
	rm -rf $(VENV) $(TOOLS) .data staticfiles
