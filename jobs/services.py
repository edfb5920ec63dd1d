"""The one set of writes on background runs: queue, start, finish, fail.

For any model that inherits jobs.models.JobRunBase. The owning app's service decides what
the job is, checks who may ask for it and writes the audit log; these functions keep the
run's state, so that the rules "not queued twice while one is pending" and "lost after N
minutes" hold for every kind of job alike.

Every time is the database's statement time: Now() in the ORM, statement_timestamp() in
SQL (now() would be the transaction's start, earlier than a run queued in it). The
key-figure job finishes its run inside the statement that stores the figures
(reports/kpi/statement.py), to save a round trip; it writes the same columns as
job_finish().
"""

import json
from functools import cache
from typing import Any, TypeVar

from django.db import connection, transaction
from django.db.models.functions import Now

from .models import PENDING_STATES, JobRunBase, JobState
from .selectors import runs_pending

R = TypeVar("R", bound=JobRunBase)

# The message column is text; a traceback's worth is enough to say why.
MESSAGE_MAX_CHARS = 1000


def _queue_lock(model: type[JobRunBase], match: dict[str, Any]) -> None:
    """Serialise queuing of the same job in this jobcentre until the transaction ends.

    Two requests at once would otherwise both find nothing pending and both queue.
    """
    key = json.dumps(match, sort_keys=True, default=lambda value: getattr(value, "pk", str(value)))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtext(%s))",
            [f"jobs:{connection.schema_name}:{model._meta.db_table}:{key}"],  # type: ignore[attr-defined]
        )


def job_queue(
    *, model: type[R], task, acting_user=None, single: bool = True, **fields: Any
) -> tuple[R, bool]:
    """Queue a run of `model` with `fields` and send `task(run.pk)` when the transaction
    commits; returns (run, True), the run's requested_by being `acting_user`.

    `fields` name the job (a month, a period, a document). With `single`, while a run with
    those fields is pending - queued or running, and not lost - that run is returned and
    nothing is sent: (run, False). Without it every call queues a new run.
    `task` must be declared with jobs.tasks.TransactionAwareTask (sent on commit).
    """
    with transaction.atomic():
        if single:
            _queue_lock(model, fields)
            pending = runs_pending(model=model).filter(**fields).order_by("-created_at").first()
            if pending is not None:
                return pending, False
        run = model._default_manager.create(requested_by=acting_user, **fields)
        task.delay(run.pk)
    return run, True


def job_requeue(*, run: R, task) -> R:
    """Queue a finished or lost run again, as if newly asked for (for a run that exists once,
    e.g. a signed contract's PDF). Sends `task(run.pk)` when the transaction commits."""
    type(run)._default_manager.filter(pk=run.pk).update(
        state=JobState.QUEUED, message="", created_at=Now(), started_at=None, finished_at=None
    )
    run.refresh_from_db()
    task.delay(run.pk)
    return run


def job_start(*, model: type[R], run_id: int) -> R | None:
    """Mark a run as running, committed at once so that polling pages show it; return it.

    A run already running is taken again: its worker died and the broker delivered the
    message again. None when there is no such run or it has finished (done or failed), so a
    message delivered twice does nothing the second time. One statement (UPDATE ...
    RETURNING): the key-figure job's timing includes this round trip (docs/benchmarks.md).
    """
    fields = model._meta.concrete_fields
    with connection.cursor() as cursor:
        cursor.execute(
            _start_sql(model), [str(JobState.RUNNING), run_id, *(str(s) for s in PENDING_STATES)]
        )
        row = cursor.fetchone()
    if row is None:
        return None
    # What a queryset would do, without its machinery (the KPI job's timing counts it).
    values = [
        field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
        for field, value in zip(fields, row, strict=True)
    ]
    return model.from_db(connection.alias, [field.attname for field in fields], values)


@cache
def _start_sql(model: type[JobRunBase]) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in model._meta.concrete_fields)
    return (
        f"UPDATE {quote(model._meta.db_table)} SET state = %s, started_at = statement_timestamp() "  # noqa: S608 - names from the model
        f"WHERE {quote(str(model._meta.pk.column))} = %s AND state IN (%s, %s) RETURNING {columns}"
    )


def job_finish(*, model: type[JobRunBase], run_id: int, message: str = "", **fields: Any) -> None:
    """Mark a run done with its message (e.g. a summary); `fields` are the job's results."""
    model._default_manager.filter(pk=run_id).update(
        state=JobState.DONE, finished_at=Now(), message=message[:MESSAGE_MAX_CHARS], **fields
    )


def job_fail(*, model: type[JobRunBase], run_id: int, message: str) -> None:
    """Mark a run failed with the reason the page shows.

    The job may have failed because the database connection dropped; a connection that no
    longer answers is replaced first, so the run says "failed" rather than "running".
    """
    if connection.connection is not None and not connection.is_usable():
        connection.close()
    model._default_manager.filter(pk=run_id).update(
        state=JobState.FAILED, finished_at=Now(), message=message[:MESSAGE_MAX_CHARS]
    )


def job_error_message(exc: BaseException) -> str:
    """The failure as a run's message: the exception's type and text."""
    return f"{type(exc).__name__}: {exc}"
