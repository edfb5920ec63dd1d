import os
import secrets
import subprocess
import sys

import pytest
from django.core.cache import cache
from django_tenants.utils import schema_context

from tests.conftest import ROOT


@pytest.mark.usefixtures("db")
def test_same_cache_key_in_two_jobcentres_holds_two_values():
    with schema_context("alpha"):
        cache.set("venteliste", "alfa")
    with schema_context("beta"):
        cache.set("venteliste", "beta")
    with schema_context("alpha"):
        assert cache.get("venteliste") == "alfa"
    with schema_context("beta"):
        assert cache.get("venteliste") == "beta"


def test_check_deploy_is_clean_with_production_settings():
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DEBUG="1",  # production ignores it: DEBUG is always off there
        ALLOWED_HOSTS="virksomhedscenter.example.dk",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.usefixtures("db")
def test_migrations_match_the_models():
    from django.core.management import call_command

    # Exits non-zero (SystemExit) when a model change has no migration.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
