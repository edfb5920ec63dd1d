"""gunicorn, the production web server: `gunicorn -c config/gunicorn.py config.wsgi`.

Sized against the database (issue 19; docs/operations.md): each worker process has its own
connection pool of at most DB_POOL_MAX_SIZE connections (config/settings/base.py), and each
of its threads holds at most one connection during a request, so a worker never needs more
than THREADS. With the defaults, the web server opens at most
WORKERS x min(THREADS, DB_POOL_MAX_SIZE) = 3 x 4 = 12 connections, whatever the traffic:
more requests wait in gunicorn's queue instead of in PostgreSQL's max_connections.
"""

import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Processes (one per core is the usual start) x threads per process: the requests served at
# once. Threads share their process's pool; keep THREADS <= DB_POOL_MAX_SIZE so no thread
# waits for a connection.
workers = int(os.environ.get("GUNICORN_WORKERS", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
worker_class = "gthread"
# A request running longer than this is killed and logged (the PDFs and the import run in
# Celery, so a page never needs it); a restart lets running requests finish within
# graceful_timeout. Keep-alive for the proxy in front.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = 5
# Waiting connections beyond the threads (a burst) queue here, not in PostgreSQL.
backlog = 2048
# A worker is replaced after this many requests (with jitter, not all at once): bounded
# memory growth.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The application logs every request itself, as JSON with the jobcentre and the request id
# (config/logs.py), so gunicorn's own access log is off unless GUNICORN_ACCESSLOG names a
# file ("-": stdout). Gunicorn's own few lines (booting, a worker killed) stay plain text.
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "") or None
errorlog = "-"

# /metrics adds up the request histograms of all this server's workers (config/metrics.py):
# prometheus_client's multiprocess mode, a directory of this master's own (emptied at every
# start; set before a worker imports prometheus_client), and a dead worker's files marked.
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    import tempfile

    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="vc-prometheus-")


def on_starting(server):  # noqa: ARG001 - gunicorn's hook signature
    directory = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(directory, exist_ok=True)
    for name in os.listdir(directory):
        if name.endswith(".db"):
            os.remove(os.path.join(directory, name))


def child_exit(server, worker):  # noqa: ARG001 - gunicorn's hook signature
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def post_worker_init(worker):  # noqa: ARG001 - gunicorn's hook signature
    """The application is loaded: import the URL conf's views too (Django does that on the
    first request), then move every object alive now - modules, classes, the URL resolver,
    settings - into the collector's permanent generation (gc.freeze). Python's cyclic garbage
    collector otherwise walks all of them in each full collection: at Copenhagen scale one
    every ~80 requests, about 100 ms with the worker's threads held (issue 24: a page that
    allocates more triggers it more often, and the pause falls on the requests in flight,
    their p95). Frozen objects are never collected; they live as long as the worker anyway."""
    import gc

    from django.conf import settings
    from django.urls import get_resolver

    for urlconf in (settings.ROOT_URLCONF, settings.PUBLIC_SCHEMA_URLCONF):
        get_resolver(urlconf).url_patterns  # noqa: B018 - imports every view module
    gc.collect()
    gc.freeze()
