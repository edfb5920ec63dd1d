"""Celery entry points for reports. Thin: they call services, in the queuing tenant's schema."""

from celery import shared_task

from codes import clock
from jobs.tasks import JobTask, TransactionAwareTask

from .services import (
    heartbeat_record,
    kpi_baseline_period,
    kpi_job_execute,
    kpi_job_queue,
    kpi_standard_periods,
)


@shared_task(base=TransactionAwareTask, bind=True)
def worker_heartbeat(self) -> int:
    """Runs in the schema of the tenant that queued it (tenant-schemas-celery)."""
    return heartbeat_record(worker=self.request.hostname or "").pk


# JobTask: acks_late, leased; the job replaces the period's figures, so a second run stores
# one result, not two.
@shared_task(base=JobTask, run_model="reports.JobRun")
def kpi_job_task(job_run_id: int) -> int | None:
    return kpi_job_execute(job_run_id=job_run_id)


@shared_task(base=TransactionAwareTask)
def kpi_nightly() -> int:
    """Keep the standard periods' figures fresh for every jobcentre (beat, per tenant)."""
    periods = kpi_standard_periods(today=clock.today())
    # the campaign's baseline month, for the change from it (issue 30)
    baseline = kpi_baseline_period()
    if baseline is not None and baseline not in periods:
        periods.append(baseline)
    for period_from, period_to in periods:
        kpi_job_queue(period_from=period_from, period_to=period_to, acting_user=None)
    return len(periods)
