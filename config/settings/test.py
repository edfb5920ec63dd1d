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

from .base import *  # noqa: E402,F403
from .base import STORAGES  # noqa: E402

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# A Redis database of its own (unless a socket is given), so a developer's running worker
# or cached values never meet a test's: the broadcast ping of /healthz included.
if REDIS_URL.startswith("redis://"):  # noqa: F405
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)  # noqa: F405
    REDIS_URL = urlunsplit(_parts._replace(path="/" + os.environ.get("TEST_REDIS_DB", "9")))
    CELERY_BROKER_URL = CELERY_RESULT_BACKEND = REDIS_URL
    CACHES["default"]["LOCATION"] = REDIS_URL  # noqa: F405

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Most areas' tests log a chef or an admin in by password or force_login without setting up
# TOTP; tests/security switches the requirement on (override_settings) and pins the
# production value, which is base.py's.
MFA_REQUIRED_ROLES: list[str] = []
