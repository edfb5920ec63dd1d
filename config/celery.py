"""Celery for the project. Every task runs in the schema of the tenant that queued it.

tenant-schemas-celery puts the current schema into the task's headers when it is sent
and activates that schema in the worker before the task runs.

Every worker writes a heartbeat for each queue it consumes (config/heartbeat.py), which
/healthz reads: a worker of another deployment on the same Redis never counts as ours.
"""

import logging
import os

from celery import bootsteps
from celery.signals import worker_process_init
from tenant_schemas_celery.app import CeleryApp

from config.heartbeat import (
    INTERVAL_SECONDS,
    heartbeat_remove,
    heartbeat_write,
    worker_component,
)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = CeleryApp("virksomhedscenter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


class HeartbeatStep(bootsteps.StartStopStep):
    """Beat at start, every heartbeat.INTERVAL_SECONDS on the worker's timer, unbeat at stop."""

    requires = {"celery.worker.components:Timer"}

    def __init__(self, worker, **kwargs):
        super().__init__(worker, **kwargs)
        self.tref = None

    def _components(self, worker) -> list[str]:
        queues = list(worker.app.amqp.queues.consume_from or {}) or [None]
        return [worker_component(queue) for queue in queues]

    def beat(self, worker) -> None:
        for component in self._components(worker):
            try:
                heartbeat_write(component=component, member=worker.hostname)
            except Exception:  # Redis away: the next beat tries again; never stop the worker
                logger.warning("heartbeat for %s not written", component, exc_info=True)

    def start(self, worker):
        self.beat(worker)
        self.tref = worker.timer.call_repeatedly(INTERVAL_SECONDS, self.beat, (worker,))

    def stop(self, worker):
        if self.tref is not None:
            self.tref.cancel()
            self.tref = None
        for component in self._components(worker):
            try:
                heartbeat_remove(component=component, member=worker.hostname)
            except Exception:
                logger.warning("heartbeat for %s not removed", component, exc_info=True)


app.steps["worker"].add(HeartbeatStep)


@worker_process_init.connect
def _own_connection_pool_after_fork(**kwargs):
    """A prefork child starts its own connection pool (config/dbpool.py).

    A pool inherited from the parent holds the parent's sockets and no worker threads
    (threads do not survive a fork): it is dropped without closing anything (psycopg never
    closes a connection of another process), and the child's first query opens a new one.
    """
    from django.db.backends.postgresql.base import DatabaseWrapper

    DatabaseWrapper._connection_pools.clear()
