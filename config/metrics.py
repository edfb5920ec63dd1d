"""GET /metrics: Prometheus' text format, for the operators' Prometheus only (issue 29).

What it carries:
- `vc_http_request_duration_seconds{view,method,status}`: every request's latency by the
  URL name of its view (a histogram; observed by config.logs.RequestLogMiddleware);
- `vc_job_runs{kind,state}`: the background runs of every jobcentre by their model and
  state (queued, running, done, failed, and "stalled": running with its lease run out);
- `vc_celery_queue_length{queue}`: messages waiting in each queue of the broker;
- `vc_heartbeat_age_seconds{component}`: seconds since beat and the worker of each queue last
  beat (config/heartbeat.py); +Inf when none beat or Redis does not answer.

The last three are read when Prometheus asks (one query per jobcentre, one Redis round-trip
per queue and component), so every web process reports the same, whichever is scraped.

Under gunicorn each worker process has its own request histogram: config/gunicorn.py sets
PROMETHEUS_MULTIPROC_DIR before the workers start, and a scrape adds up the files there
(prometheus_client's multiprocess mode), so one scrape of a web process covers all its
workers.

Protection: /metrics answers 404 unless METRICS_TOKEN is set, and then only a request with
`Authorization: Bearer <METRICS_TOKEN>` (401 otherwise). It is answered before the tenant
lookup, on any host, so Prometheus scrapes each web process on its own address; the public
entrance (deploy/haproxy.cfg) refuses /metrics whatever the token.
"""

import hmac
import logging
import math
import os

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)

REQUEST_SECONDS = Histogram(
    "vc_http_request_duration_seconds",
    "Time from a request's arrival to its response, by the URL name of the view.",
    ["view", "method", "status"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


def request_observe(*, view: str, method: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(view=view, method=method, status=str(status)).observe(seconds)


def job_run_counts() -> list[tuple[str, str, int]]:
    """(kind, state, count) over every jobcentre's schema; "stalled" apart from "running"."""
    from django.db.models import Case, CharField, Count, F, Value, When
    from django_tenants.utils import get_public_schema_name, schema_context

    from jobs.selectors import stalled_q
    from jobs.tasks import job_tasks
    from tenants.models import Jobcenter

    with schema_context(get_public_schema_name()):
        schemas = list(
            Jobcenter.objects.exclude(schema_name=get_public_schema_name())
            .order_by("schema_name")
            .values_list("schema_name", flat=True)
        )
    totals: dict[tuple[str, str], int] = {}
    kinds: set[str] = set()
    # The platform's own runs (creating a jobcentre) in public, then every jobcentre's: each
    # schema has its own run models (jobs.tasks.job_tasks takes those of the current schema).
    for schema in [get_public_schema_name(), *schemas]:
        with schema_context(schema):
            models = sorted(job_tasks(), key=lambda model: model._meta.label_lower)
            kinds.update(model._meta.label_lower for model in models)
            parts = [
                model._default_manager.annotate(
                    run_kind=Value(model._meta.label_lower, output_field=CharField()),
                    shown=Case(
                        When(stalled_q(), then=Value("stalled")),
                        default=F("state"),
                        output_field=CharField(),
                    ),
                )
                .values("run_kind", "shown")
                .annotate(n=Count("pk"))
                .order_by()
                for model in models
            ]
            if not parts:
                continue
            rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
            for row in rows:
                key = (row["run_kind"], row["shown"])
                totals[key] = totals.get(key, 0) + row["n"]
    states = ("queued", "running", "stalled", "done", "failed")
    # Every kind and state, 0 included: an alert on a series that is absent never fires.
    return [
        (kind, state, totals.get((kind, state), 0)) for kind in sorted(kinds) for state in states
    ]


def queue_lengths() -> dict[str, int]:
    """Messages waiting in each of the deployment's queues (kombu counts every priority)."""
    from django.conf import settings

    from config.celery import app

    lengths = {}
    with app.connection_for_write() as conn, conn.channel() as channel:
        for queue in settings.CELERY_TASK_QUEUES:
            lengths[queue] = channel.queue_declare(
                queue=queue, durable=True, auto_delete=False, passive=False
            ).message_count
    return lengths


def heartbeat_ages() -> dict[str, float]:
    """Seconds since beat and each queue's worker beat; +Inf for none (or Redis away)."""
    import redis
    from django.conf import settings

    from config.heartbeat import BEAT_COMPONENT, heartbeat_age, worker_component

    components = [BEAT_COMPONENT] + [worker_component(q) for q in settings.CELERY_TASK_QUEUES]
    ages = {}
    for component in components:
        try:
            age = heartbeat_age(component=component)
        except redis.RedisError:
            age = None
        ages[component] = math.inf if age is None else age
    return ages


class DeploymentCollector:
    """Read at scrape time; a part that fails is left out and counted in vc_scrape_errors."""

    def collect(self):
        errors = GaugeMetricFamily(
            "vc_scrape_errors", "Parts of this scrape that could not be read (1).", labels=["part"]
        )
        runs = GaugeMetricFamily(
            "vc_job_runs",
            "Background runs of every jobcentre, by kind (model) and state.",
            labels=["kind", "state"],
        )
        try:
            for kind, state, count in job_run_counts():
                runs.add_metric([kind, state], count)
        except Exception:  # the database is away: the rest still answers
            logger.warning("metrics: job runs not read", exc_info=True)
            errors.add_metric(["job_runs"], 1)
        yield runs
        queues = GaugeMetricFamily(
            "vc_celery_queue_length", "Messages waiting in the queue.", labels=["queue"]
        )
        try:
            for queue, length in queue_lengths().items():
                queues.add_metric([queue], length)
        except Exception:  # Redis away
            logger.warning("metrics: queue lengths not read", exc_info=True)
            errors.add_metric(["queue_length"], 1)
        yield queues
        beats = GaugeMetricFamily(
            "vc_heartbeat_age_seconds",
            "Seconds since beat or a queue's worker last wrote its heartbeat (+Inf: none).",
            labels=["component"],
        )
        for component, age in heartbeat_ages().items():
            beats.add_metric([component], age)
        yield beats
        yield errors


def metrics_text() -> bytes:
    """This process's (or, under gunicorn, all its workers') metrics and the deployment's, in
    the text format 0.0.4 (every name here is a legacy name, so nothing is escaped)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    deployment = CollectorRegistry()
    deployment.register(DeploymentCollector())
    return generate_latest(registry) + generate_latest(deployment)


def metrics_authorised(request) -> bool | None:
    """None: /metrics is off (no token set); else whether the request carries the token."""
    from django.conf import settings

    token = settings.METRICS_TOKEN
    if not token:
        return None
    offered = request.META.get("HTTP_AUTHORIZATION", "")
    scheme, _, value = offered.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(value.encode(), token.encode())


class MetricsMiddleware:
    """Answers /metrics before the tenant lookup (after HealthzMiddleware's place)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.http import HttpResponse, HttpResponseNotFound

        if request.path != "/metrics":
            return self.get_response(request)
        allowed = metrics_authorised(request)
        if allowed is None:
            return HttpResponseNotFound()
        if not allowed:
            return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
        return HttpResponse(
            metrics_text(),
            content_type=CONTENT_TYPE_PLAIN_0_0_4,
            headers={"Cache-Control": "no-store"},
        )
