"""The one Celery task base: sent when the transaction commits, run in the queuing tenant.

Every task of the project is declared with `@shared_task(base=TransactionAwareTask)`, and a
task that carries out a run (a row of a jobs.models.JobRunBase model) with `base=JobTask`.
pretix's TransactionAwareTask is the model: a task queued inside a transaction is sent to
the broker only once the transaction commits, so a worker never looks for a row that is not
there yet, and a rolled-back request sends nothing. Outside a transaction it is sent at once.

tenant-schemas-celery puts the current schema into a task's headers when the message is
sent. A task sent on commit would take the schema current at commit time, which need not
be the one that queued it (a schema_context left before its transaction ends); so the
schema is written into the headers when the task is queued, and the worker runs it there.
"""

import logging
from functools import partial

from celery import current_app, shared_task
from celery.utils import uuid
from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, router, transaction
from tenant_schemas_celery.task import TenantTask, headers_with_schema

logger = logging.getLogger(__name__)


class TransactionAwareTask(TenantTask):
    abstract = True

    def apply_async(self, args=None, kwargs=None, task_id=None, **options):
        """Send now outside a transaction, else when it commits (nothing if it rolls back).

        Returns the task's AsyncResult either way: its id is fixed before it is sent.
        """
        options["headers"] = headers_with_schema(options.get("headers"))
        if not transaction.get_connection().in_atomic_block:
            return self._send(args, kwargs, task_id=task_id, **options)
        task_id = task_id or uuid()
        transaction.on_commit(partial(self._send, args, kwargs, task_id=task_id, **options))
        return self.AsyncResult(task_id)

    def _send(self, args, kwargs, **options):
        return super().apply_async(args, kwargs, **options)


class JobTask(TransactionAwareTask):
    """The task of a run: `task(run_id)` carries out one row of `run_model` ("app.Model").

    The row is the outbox (issue 18), so sending never fails the caller: a broker that is
    down (or slow past its short timeouts, config/settings/base.py) is logged and the
    sweeper sends the row again later; the person who asked sees it queued. While the task
    runs, its run's lease is renewed. Such a task is idempotent - a second delivery finds
    the run finished or leased and does nothing, a rerun replaces the result - so it is
    acknowledged late and re-queued when its worker process dies.
    """

    abstract = True
    run_model = ""
    acks_late = True
    reject_on_worker_lost = True

    def _send(self, args, kwargs, **options):
        # Twice: a pooled connection to a Redis that restarted fails once, then reconnects;
        # a Redis that is down fails again at once (connection refused, or the 2 s timeout).
        error: Exception | None = None
        for _attempt in range(2):
            try:
                return super()._send(args, kwargs, **options)
            except Exception as exc:  # noqa: BLE001 - the broker is away; the sweeper sends it
                error = exc
        logger.warning(
            "%s%s not sent now (broker away: %r); the sweeper sends it",
            self.name,
            args or "",
            error,
        )
        return self.AsyncResult(options.get("task_id") or uuid())

    def __call__(self, *args, **kwargs):
        from .services import job_lease_kept

        run_id = args[0] if args else next(iter(kwargs.values()))
        with job_lease_kept(model=apps.get_model(self.run_model), run_id=run_id):
            return super().__call__(*args, **kwargs)


def job_tasks() -> dict:
    """Every run model of the current schema with the task that carries out its runs (the
    tasks that declare one): a jobcentre's runs in a jobcentre, the platform's in public."""
    current_app.loader.import_default_modules()
    models = {
        apps.get_model(task.run_model): task
        for task in current_app.tasks.values()
        if isinstance(task, JobTask) and task.run_model
    }
    return {
        model: task
        for model, task in models.items()
        if router.allow_migrate_model(DEFAULT_DB_ALIAS, model)
    }


@shared_task(base=TransactionAwareTask)
def jobs_sweep_task() -> dict[str, int]:
    """Every minute (beat, every jobcentre): send again what stayed queued, take over what
    stalled (jobs.services.jobs_sweep)."""
    from .services import jobs_sweep

    return jobs_sweep(tasks=job_tasks())
