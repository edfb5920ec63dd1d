"""Structured logs: one JSON object a line, with the tenant, the request id and the user id.

What operators see of a request in any process (issue 29): `RequestLogMiddleware` gives every
request an id (haproxy's X-Request-ID, or a new one), answers it in the X-Request-ID header,
and writes one line when the request ends (logger "virksomhedscenter.request"): method,
path (never the query string: a search may hold a name), status, duration, the view.
`ContextFilter` puts the request id, the jobcentre's schema and the signed-in user's id on
every record logged while the request (or a Celery task) runs; `JsonFormatter` writes it.

Never personal data: the user is their numeric id, never an e-mail address or a name; no
query string, no form data, no headers; and the formatter masks anything CPR-shaped in the
message and the traceback (ten digits, with or without the dash) in case a library logs a
value it was given.

Imports nothing of Django at module level: gunicorn's master formats its own lines with it
(config/gunicorn.py) before Django is set up.
"""

import json
import logging
import re
import time
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

REQUEST_LOGGER = "virksomhedscenter.request"
# A ten-digit number (DDMMYY-XXXX, the dash optional) not inside a longer number.
CPR_SHAPED = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")
CPR_MASK = "[cpr?]"
# An incoming X-Request-ID is taken as it is only when it looks like an id (haproxy's are
# hex, ':' and '_'); anything else (a client's own header, a forged log line) gets a new one.
REQUEST_ID_SHAPE = re.compile(r"^[A-Za-z0-9._:-]{1,80}$")
# Probes and the scrape: many a minute, nothing to find in them; not logged (still timed).
QUIET_PATHS = frozenset({"/livez", "/readyz", "/healthz", "/metrics"})

_request = ContextVar("virksomhedscenter_request", default=None)
_request_id = ContextVar("virksomhedscenter_request_id", default=None)

# The fields a record may carry beyond the standard ones (logger.info(..., extra={...})).
EXTRA_FIELDS = ("method", "path", "status", "duration_ms", "view")


def mask_cpr(text: str) -> str:
    return CPR_SHAPED.sub(CPR_MASK, text)


def _tenant_schema(request) -> str | None:
    tenant = getattr(request, "tenant", None) if request is not None else None
    if tenant is not None:
        return tenant.schema_name
    # Inside a Celery task (run in its tenant's schema by tenant-schemas-celery): the schema
    # the connection of this thread points at. Reads an attribute; never queries. Elsewhere
    # (between requests) that would be the last request's: nothing.
    if request is not None or _task_id() is None:
        return None
    try:
        from django.db import connection

        return getattr(connection, "schema_name", None)
    except Exception:  # Django not set up
        return None


def _user_id(request, *, evaluate: bool) -> int | None:
    """The signed-in user's id. Inside the request only once Django loaded the user (never
    a query from logging); at the request's end (evaluate) the user is loaded if needed."""
    if request is None:
        return None
    user = getattr(request, "user" if evaluate else "_cached_user", None)
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.pk


def _task_id() -> str | None:
    try:
        from celery import current_task
    except ImportError:
        return None
    task = current_task
    request = getattr(task, "request", None) if task else None
    return getattr(request, "id", None)


class ContextFilter(logging.Filter):
    """Adds request_id, tenant, user_id and task_id to every record (None where none)."""

    def filter(self, record: logging.LogRecord) -> bool:
        request = _request.get()
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        if not hasattr(record, "tenant"):
            record.tenant = _tenant_schema(request)
        if not hasattr(record, "user_id"):
            record.user_id = _user_id(request, evaluate=False)
        if not hasattr(record, "task_id"):
            record.task_id = _task_id() if request is None else None
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (UTC), level, logger, message, the context, the extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": mask_cpr(record.getMessage()),
            "request_id": getattr(record, "request_id", None),
            "tenant": getattr(record, "tenant", None),
            "user_id": getattr(record, "user_id", None),
        }
        task_id = getattr(record, "task_id", None)
        if task_id:
            entry["task_id"] = task_id
        for name in EXTRA_FIELDS:
            if hasattr(record, name):
                entry[name] = getattr(record, name)
        if record.exc_info:
            entry["exception"] = mask_cpr(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False, default=str)


def request_id_of(request) -> str:
    offered = request.META.get("HTTP_X_REQUEST_ID", "")
    return offered if REQUEST_ID_SHAPE.match(offered) else uuid.uuid4().hex


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "<unresolved>"
    return match.view_name or match._func_path


class RequestLogMiddleware:
    """First in MIDDLEWARE: the request's id and timing around everything else (the health
    answers and the tenant lookup included); one line and one latency sample per request."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.logger = logging.getLogger(REQUEST_LOGGER)

    def __call__(self, request):
        from config import metrics

        request_id = request_id_of(request)
        request.request_id = request_id
        tokens = (_request.set(request), _request_id.set(request_id))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            took = time.perf_counter() - started
            view = _view_name(request)
            if request.path not in QUIET_PATHS:
                metrics.request_observe(
                    view=view, method=request.method, status=response.status_code, seconds=took
                )
                self.logger.info(
                    "request",
                    extra={
                        "method": request.method,
                        "path": request.path,
                        "status": response.status_code,
                        "duration_ms": round(took * 1000, 1),
                        "view": view,
                        "tenant": _tenant_schema(request),
                        "user_id": _user_id(request, evaluate=True),
                    },
                )
            return response
        finally:
            _request.reset(tokens[0])
            _request_id.reset(tokens[1])
