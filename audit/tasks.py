"""Celery entry points of the audit app. Thin: they call the retention service."""

from celery import shared_task

from codes import clock
from jobs.tasks import TransactionAwareTask

from .retention import retention_apply


# acks_late: a worker dying mid-run leaves the message to be run again; the job is
# idempotent (see audit/retention.py), so the second run completes the first.
@shared_task(base=TransactionAwareTask, acks_late=True, reject_on_worker_lost=True)
def retention_nightly() -> dict[str, int]:
    """Nightly (beat, every tenant): apply the retention settings."""
    return retention_apply(today=clock.today())
