"""The one set of writes on background runs: queue, start, finish, fail.

For any model that inherits jobs.models.JobRunBase. The owning app's service decides what
the job is, checks who may ask for it and writes the audit log; these functions keep the
run's state, so that the rules "not queued twice while one is pending" and "lost after N
minutes" hold for every kind of job alike.

The row is the outbox and a running run holds a lease (jobs/models.py): job_start takes
the lease, jobs.tasks.JobTask renews it while the task runs, and job_revive / jobs_sweep
send a queued run again or take over a run whose lease ran out.

Every time is the database's statement time: Now() in the ORM, statement_timestamp() in
SQL (now() would be the transaction's start, earlier than a run queued in it). The
key-figure job finishes its run inside the statement that stores the figures
(reports/kpi/statement.py), to save a round trip; it writes the same columns as
job_finish().
"""

import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from functools import cache
from typing import Any, TypeVar

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.db.models import F
from django.db.models.functions import Now
from django_tenants.utils import schema_context

from .models import JobRunBase, JobState
from .selectors import runs_pending, stalled_q, waiting_q

logger = logging.getLogger(__name__)

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
    those fields is pending, that run is returned - revived first when it is stuck (sent
    again, or taken over when its worker died: job_revive) - and (run, False). Without it
    every call queues a new run.
    `task` must be declared with jobs.tasks.JobTask: sent on commit, and a broker that is
    down never fails the request (the sweeper sends the row later).
    """
    with transaction.atomic():
        if single:
            _queue_lock(model, fields)
            pending = runs_pending(model=model).filter(**fields).order_by("-created_at").first()
            if pending is not None:
                revived = job_revive(run=pending, task=task)
                if revived is not None:
                    return revived, False
        run = model._default_manager.create(requested_by=acting_user, **fields)
        task.delay(run.pk)
    return run, True


def job_requeue(*, run: R, task) -> R:
    """Queue a finished run again, as if newly asked for (for a run that exists once, e.g.
    a signed contract's PDF). Sends `task(run.pk)` when the transaction commits."""
    type(run)._default_manager.filter(pk=run.pk).update(
        state=JobState.QUEUED,
        message="",
        created_at=Now(),
        started_at=None,
        finished_at=None,
        sent_at=None,
        lease_until=None,
        restarts=0,
    )
    run.refresh_from_db()
    task.delay(run.pk)
    return run


def _gave_up_message(restarts: int) -> str:
    return f"Stoppet efter {restarts} nedbrud: baggrundsjobbet gik ned hver gang. Bestil det igen."


def _take_over(model: type[JobRunBase], ids: list[int]) -> None:
    """Queue stalled runs again (their worker died), or fail those that stalled too often."""
    runs = model._default_manager.filter(pk__in=ids)
    runs.filter(restarts__gte=settings.JOBS_MAX_RESTARTS).update(
        state=JobState.FAILED,
        finished_at=Now(),
        lease_until=None,
        message=_gave_up_message(settings.JOBS_MAX_RESTARTS),
    )
    runs.filter(restarts__lt=settings.JOBS_MAX_RESTARTS).update(
        state=JobState.QUEUED, restarts=F("restarts") + 1, lease_until=None, sent_at=Now()
    )


def job_revive(*, run: R, task) -> R | None:
    """A pending run made live again: a run whose lease ran out is taken over (queued again,
    one restart more), a run queued past JOBS_RESEND_AFTER_SECONDS is sent again; a live
    run is left as it is. Returns the run, or None when it stalled JOBS_MAX_RESTARTS times
    and has failed now. The decision is the database's (its clock, the row locked).
    """
    model = type(run)
    row = model._default_manager.filter(pk=run.pk)
    with transaction.atomic():
        if row.filter(stalled_q()).select_for_update().exists():
            _take_over(model, [run.pk])
            run.refresh_from_db()
            if run.state == JobState.FAILED:
                return None
            task.delay(run.pk)
        elif row.filter(waiting_q()).update(sent_at=Now()):
            task.delay(run.pk)
    run.refresh_from_db()
    return run


def jobs_sweep(*, tasks: dict[type[JobRunBase], Any]) -> dict[str, int]:
    """The outbox's sweeper, in the current jobcentre: for each model and its task, take over
    the runs whose lease ran out and send again the runs that stayed queued. Returns the
    counts ("taken_over", "resent"). Rows another sweeper holds are skipped."""
    counts = {"taken_over": 0, "resent": 0}
    for model, task in tasks.items():
        with transaction.atomic():
            stalled = list(
                model._default_manager.filter(stalled_q())
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)
            )
            waiting = list(
                model._default_manager.filter(waiting_q())
                .select_for_update(skip_locked=True)
                .values_list("pk", flat=True)
            )
            _take_over(model, stalled)
            model._default_manager.filter(pk__in=waiting).update(sent_at=Now())
            resend = list(
                model._default_manager.filter(
                    pk__in=stalled + waiting, state=JobState.QUEUED
                ).values_list("pk", flat=True)
            )
            for pk in resend:
                task.delay(pk)
        if stalled or waiting:
            logger.warning(
                "jobs sweep %s: %d taken over, %d sent again",
                model._meta.label,
                len(stalled),
                len(waiting),
            )
        counts["taken_over"] += len(stalled)
        counts["resent"] += len(waiting)
    return counts


def job_start(*, model: type[R], run_id: int) -> R | None:
    """Mark a run as running under a lease of JOBS_LEASE_SECONDS, committed at once so that
    polling pages show it; return it.

    A running run whose lease ran out is taken (one restart more): its worker died and the
    broker delivered the message again. None when there is no such run, it has finished
    (done or failed), or another worker holds its lease - so a message delivered twice does
    nothing the second time, and a job never runs twice at once. One statement (UPDATE ...
    RETURNING): the key-figure job's timing includes this round trip (docs/benchmarks.md).
    """
    fields = model._meta.concrete_fields
    running, queued = str(JobState.RUNNING), str(JobState.QUEUED)
    lease = settings.JOBS_LEASE_SECONDS
    with connection.cursor() as cursor:
        cursor.execute(_start_sql(model), [running, lease, running, run_id, queued, running, lease])
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
    now = "statement_timestamp()"
    return (
        f"UPDATE {quote(model._meta.db_table)} SET state = %s, started_at = {now}, "  # noqa: S608 - names from the model
        f"lease_until = {now} + make_interval(secs => %s), "
        "restarts = restarts + (state = %s)::int "
        f"WHERE {quote(str(model._meta.pk.column))} = %s AND (state = %s OR (state = %s AND "
        "coalesce(lease_until, coalesce(started_at, created_at) + make_interval(secs => %s)) "
        f"< {now})) "
        f"RETURNING {columns}"
    )


def job_lease_renew(*, model: type[JobRunBase], run_id: int) -> bool:
    """Extend a running run's lease by JOBS_LEASE_SECONDS from now; False when it no longer
    runs (finished, or taken over)."""
    lease = timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    return bool(
        model._default_manager.filter(pk=run_id, state=JobState.RUNNING).update(
            lease_until=Now() + lease
        )
    )


@contextmanager
def job_lease_kept(*, model: type[JobRunBase], run_id: int) -> Iterator[None]:
    """Renew the run's lease every third of JOBS_LEASE_SECONDS while the block runs.

    A thread with its own database connection in the current jobcentre's schema: it beats
    while the job waits on the database or renders, and dies with the process - a worker
    killed mid-job stops renewing, and the lease runs out.
    """
    schema = connection.schema_name  # type: ignore[attr-defined]
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(settings.JOBS_LEASE_SECONDS / 3):
                try:
                    with schema_context(schema):
                        job_lease_renew(model=model, run_id=run_id)
                except DatabaseError:  # the database is away: try at the next beat
                    logger.warning("lease of %s #%s not renewed", model._meta.label, run_id)
                    connection.close()
        finally:
            connection.close()

    thread = threading.Thread(target=renew, name=f"lease-{run_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join(timeout=10)


def job_finish(*, model: type[JobRunBase], run_id: int, message: str = "", **fields: Any) -> None:
    """Mark a run done with its message (e.g. a summary); `fields` are the job's results."""
    model._default_manager.filter(pk=run_id).update(
        state=JobState.DONE,
        finished_at=Now(),
        lease_until=None,
        message=message[:MESSAGE_MAX_CHARS],
        **fields,
    )


def job_fail(
    *, model: type[JobRunBase], run_id: int, message: str, exc: BaseException | None = None
) -> None:
    """Mark a run failed with the reason the page shows.

    The job may have failed because the database connection dropped; a connection that no
    longer answers is replaced first. When `exc` says the database went away (a restart:
    OperationalError, InterfaceError) the run is not failed but queued again, one restart
    more, for the sweeper to send once the grace has passed - up to JOBS_MAX_RESTARTS.
    """
    if connection.connection is not None and not connection.is_usable():
        connection.close()
    runs = model._default_manager.filter(pk=run_id)
    database_away = isinstance(exc, OperationalError | InterfaceError)
    if database_away and runs.filter(restarts__lt=settings.JOBS_MAX_RESTARTS).update(
        state=JobState.QUEUED, restarts=F("restarts") + 1, lease_until=None, sent_at=Now()
    ):
        logger.warning("%s #%s: database away, queued again", model._meta.label, run_id)
        return
    runs.update(
        state=JobState.FAILED,
        finished_at=Now(),
        lease_until=None,
        message=message[:MESSAGE_MAX_CHARS],
    )


def job_error_message(exc: BaseException) -> str:
    """The failure as a run's message: the exception's type and text."""
    return f"{type(exc).__name__}: {exc}"
