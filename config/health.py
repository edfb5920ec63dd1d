"""Health: /livez (liveness), /readyz (readiness) and /healthz (the whole deployment).

- GET /livez: the process answers; it checks nothing else, so a database or Redis outage
  never gets a healthy process restarted (compose's healthcheck, a supervisor).
- GET /readyz: this web process can serve pages: PostgreSQL answers (through PgBouncer where
  there is one). Redis is reported but does not make it unready: with Redis down the pages
  and the login keep working (the cache fails open), and a load balancer that took every
  process out for it would turn a degraded service into none. haproxy's check
  (deploy/haproxy.cfg).
- GET /healthz: everything, as before: database, Redis, a worker on every queue and beat;
  for monitoring and the operators (503 names the part that is down).

Answered by a middleware placed before the tenant middleware, so that a database that is
down gives a 503 naming it rather than a 500 from the tenant lookup. Each check opens its
own short-lived connection with a timeout: a health probe must never hang.
"""

import json

import psycopg
import redis
from django.conf import settings
from django.http import HttpResponse

from config.heartbeat import BEAT_COMPONENT, STALE_AFTER_SECONDS, heartbeat_age, worker_component

CHECK_TIMEOUT_SECONDS = 2


# Options Django reads itself; everything else in OPTIONS goes to libpq (e.g. host= for a
# Unix socket directory, as the private embedded server uses).
DJANGO_ONLY_DB_OPTIONS = {"pool", "server_side_binding", "isolation_level", "assume_role"}


def check_database() -> str | None:
    """Return None when PostgreSQL answers a query, else a short reason."""
    db = settings.DATABASES["default"]
    params = {
        "dbname": db["NAME"],
        "user": db.get("USER") or None,
        "password": db.get("PASSWORD") or None,
        "host": db.get("HOST") or None,
        "port": db.get("PORT") or None,
    }
    params.update(
        (k, v) for k, v in db.get("OPTIONS", {}).items() if k not in DJANGO_ONLY_DB_OPTIONS
    )
    try:
        with psycopg.connect(connect_timeout=CHECK_TIMEOUT_SECONDS, **params) as conn:
            conn.execute("SELECT 1")
    except psycopg.Error as exc:
        return type(exc).__name__
    return None


def check_redis() -> str | None:
    """Return None when Redis answers PING, else a short reason."""
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_connect_timeout=CHECK_TIMEOUT_SECONDS,
            socket_timeout=CHECK_TIMEOUT_SECONDS,
        )
        client.ping()
        client.close()
    except redis.RedisError as exc:
        return type(exc).__name__
    return None


def check_heartbeat(component: str) -> str | None:
    """Return None when a process of `component` of this deployment beat recently, else a
    short reason (config/heartbeat.py)."""
    try:
        age = heartbeat_age(component=component)
    except redis.RedisError as exc:
        return type(exc).__name__
    if age is None:
        return f"no heartbeat from {component}"
    if age > STALE_AFTER_SECONDS:
        return f"{component} last seen {age:.0f} s ago"
    return None


def check_celery_worker() -> str | None:
    """This deployment's workers, one heartbeat for each queue (settings CELERY_TASK_QUEUES:
    the PDFs and the key figures have queues of their own, and a queue nobody consumes is a
    job that never runs). Not a broadcast ping: any worker on the same Redis answers that,
    also one of another checkout or deployment."""
    for queue in settings.CELERY_TASK_QUEUES:
        reason = check_heartbeat(worker_component(queue))
        if reason is not None:
            return reason
    return None


def check_celery_beat() -> str | None:
    """This deployment's beat: without it no nightly job runs, however healthy the worker."""
    return check_heartbeat(BEAT_COMPONENT)


def health_report() -> tuple[bool, dict]:
    """Run every check; Celery is only asked when Redis, its broker, answers."""
    checks = {"database": check_database(), "redis": check_redis()}
    checks["celery"] = check_celery_worker() if checks["redis"] is None else "broker down"
    checks["beat"] = check_celery_beat() if checks["redis"] is None else "broker down"
    healthy = all(reason is None for reason in checks.values())
    return healthy, {
        name: "ok" if reason is None else f"down: {reason}" for name, reason in checks.items()
    }


def readiness_report() -> tuple[bool, dict]:
    """Ready when the database answers; Redis is named but never makes a process unready."""
    checks = {"database": check_database(), "redis": check_redis()}
    ready = checks["database"] is None
    return ready, {
        name: "ok" if reason is None else f"down: {reason}" for name, reason in checks.items()
    }


def liveness_report() -> tuple[bool, dict]:
    """The process runs and answers: nothing else is asked."""
    return True, {}


REPORTS = {"/healthz": health_report, "/readyz": readiness_report, "/livez": liveness_report}


class HealthzMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        report_of = REPORTS.get(request.path)
        if report_of is None:
            return self.get_response(request)
        healthy, report = report_of()
        body = {"status": "ok" if healthy else "down", "checks": report}
        return HttpResponse(
            json.dumps(body),
            status=200 if healthy else 503,
            content_type="application/json",
            headers={"Cache-Control": "no-store"},
        )
