# Two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)
WITH_SERVICES := $(PY) scripts/services.py exec --

.PHONY: run test lint format system-deps install clean

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP) system-deps

system-deps:
	@bash scripts/system-deps.sh

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(STAMP)
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

test: install lint
	$(WITH_SERVICES) $(PY) -m pytest $(PYTEST_ARGS)

run: install
	$(WITH_SERVICES) bash scripts/run-dev.sh

clean:
	rm -rf $(VENV) .data staticfiles
