"""Tests: real PostgreSQL and Redis (found by scripts/services.py), fast password hashing."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key-0123456789-abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "0")
os.environ.setdefault("ALLOWED_HOSTS", ".test.localhost,.localhost,localhost,testserver")
# A queue of its own, so a developer's running worker never takes a test's task.
os.environ.setdefault("CELERY_QUEUE", "virksomhedscenter-test")
# Fixed keys for tests only (never used elsewhere: base.py requires them from the environment).
os.environ.setdefault("CPR_ENCRYPTION_KEY", "dGVzdC1vbmx5LWNwci1rZXktMDEyMzQ1Njc4OWFiY2Q=")
os.environ.setdefault("CPR_HMAC_KEY", "test-only-cpr-hmac-key-0123456789")
os.environ.setdefault("MFA_ENCRYPTION_KEY", "dGVzdC1vbmx5LW1mYS1rZXktMDEyMzQ1Njc4OWFiY2Q=")
# The connection pool is on, as in production: the isolation and Celery schema tests run
# with pooled connections (a connection keeps the search_path of the tenant that used it).
os.environ.setdefault("DB_POOL", "1")

from .base import *  # noqa: E402,F403
from .base import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


# Redis databases of their own, so a developer's running worker or cached values never meet
# a test's: TEST_REDIS_DB (9) for the broker, the results and the heartbeats, the next one for
# the cache - each test clears the cache (FLUSHDB), which must not wipe queued tasks or a
# worker's heartbeat.
def _redis_db(url: str, db: int) -> str:
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = dict(parse_qsl(parts.query), db=str(db))
        return urlunsplit(parts._replace(query=urlencode(query)))
    return urlunsplit(parts._replace(path=f"/{db}"))


_TEST_REDIS_DB = int(os.environ.get("TEST_REDIS_DB", "9"))
REDIS_URL = _redis_db(REDIS_URL, _TEST_REDIS_DB)  # noqa: F405
# kombu names a socket's database virtual_host (base.py drops the query for the same reason).
CELERY_BROKER_URL = CELERY_RESULT_BACKEND = (
    "redis+socket://"
    + REDIS_URL.removeprefix("unix://").split("?")[0]
    + f"?virtual_host={_TEST_REDIS_DB}"
    if REDIS_URL.startswith("unix://")
    else REDIS_URL
)
CACHES["default"]["LOCATION"] = _redis_db(REDIS_URL, _TEST_REDIS_DB + 1)  # noqa: F405

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Most areas' tests log a chef or an admin in by password or force_login without setting up
# TOTP; tests/security switches the requirement on (override_settings) and pins the
# production value, which is base.py's.
MFA_REQUIRED_ROLES: list[str] = []

# Parallel runs of the suite's parts on one server (`make fuzz` runs one process per core):
# each gets a test database of its own, test_<name>_<TEST_DB_SUFFIX>.
if os.environ.get("TEST_DB_SUFFIX"):
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": f"test_{DATABASES['default']['NAME']}_{os.environ['TEST_DB_SUFFIX']}"  # noqa: F405
    }
