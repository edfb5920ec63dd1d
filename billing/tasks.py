"""Celery entry points for billing. Thin: they call services, in the queuing tenant's schema."""

from celery import shared_task

from codes import clock
from jobs.tasks import JobTask, TransactionAwareTask

from .services import billing_previous_month_build, billing_run_execute


# JobTask: acks_late, leased; a build is one transaction that recomputes the month's drafts
# in place, so a rerun after a crash replaces, never adds.
@shared_task(base=JobTask, run_model="billing.BillingRun")
def billing_run_task(run_id: int) -> str:
    """Carry out a rebuild a jobkonsulent asked for; returns the run's final state."""
    run = billing_run_execute(run_id=run_id)
    return run.state if run is not None else "missing"


@shared_task(base=TransactionAwareTask)
def billing_previous_month_monthly() -> str:
    """On the 1st (beat, every tenant): build each centre's statements for the month before."""
    return billing_previous_month_build(today=clock.today()).state
