"""Development: DEBUG on, console e-mail, *.localhost hosts for the demo jobcentres."""

import os

os.environ.setdefault("SECRET_KEY", "dev-only-insecure-key-never-use-in-production-0123456789")
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("ALLOWED_HOSTS", ".localhost,localhost,127.0.0.1")
# Fixed keys for development only; production takes them from the environment.
os.environ.setdefault("CPR_ENCRYPTION_KEY", "ZGV2LW9ubHktY3ByLWtleS0wMTIzNDU2Nzg5YWJjZGU=")
os.environ.setdefault("CPR_HMAC_KEY", "dev-only-cpr-hmac-key-0123456789")
os.environ.setdefault("MFA_ENCRYPTION_KEY", "ZGV2LW9ubHktbWZhLWtleS0wMTIzNDU2Nzg5YWJjZGU=")
# Plain log lines in a developer's terminal (production: one JSON object a line).
os.environ.setdefault("LOG_FORMAT", "text")

from .base import *  # noqa: E402,F403
from .base import STORAGES  # noqa: E402

STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Serve static files from the app folders without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
