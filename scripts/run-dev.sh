#!/usr/bin/env bash
# Called by `make run` with DATABASE_URL and REDIS_URL set by scripts/services.py.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
mkdir -p .data
export DJANGO_SETTINGS_MODULE=config.settings.local
$PY manage.py migrate_schemas --noinput -v 0
export WEB_PORT="${WEB_PORT:-8000}"
$PY manage.py demo_setup --port "$WEB_PORT"
exec .venv/bin/honcho -f Procfile.dev start
