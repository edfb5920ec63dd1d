"""Writes of the reports app: background job runs and the stored key figures."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from jobs.services import job_error_message, job_fail, job_queue, job_start

from .kpi.figures import kpi_compute, kpi_store
from .models import JobcenterCost, JobcenterSettings, JobRun
from .rules import month_last_day


def heartbeat_record(*, worker: str) -> JobRun:
    """Record that a worker ran a task in the current jobcentre's schema."""
    now = timezone.now()
    # Only the recent beats matter ("last seen"); older ones would pile up every 5 minutes.
    JobRun.objects.filter(
        kind=JobRun.Kind.HEARTBEAT, created_at__lt=now - timedelta(days=1)
    ).delete()
    return JobRun.objects.create(
        kind=JobRun.Kind.HEARTBEAT,
        state=JobRun.State.DONE,
        message=worker,
        started_at=now,
        finished_at=now,
    )


def kpi_figures_compute(*, period_from: date, period_to: date, centre_ids=None) -> dict:
    """Key figures with the jobcentre's settings (costs and payments included)."""
    return kpi_compute(period_from=period_from, period_to=period_to, centre_ids=centre_ids)


def kpi_job_queue(*, period_from: date, period_to: date, acting_user) -> JobRun:
    """Queue the computation of a period's key figures; the page shows the job's state.

    A period already queued or running is not queued twice: its job run is returned, sent
    again or taken over first when it is stuck (jobs.services.job_revive).
    """
    from .tasks import kpi_job_task

    parameters = {"from": period_from.isoformat(), "to": period_to.isoformat()}
    with transaction.atomic():
        run, created = job_queue(
            model=JobRun,
            task=kpi_job_task,
            acting_user=acting_user,
            kind=JobRun.Kind.STATISTICS,
            parameters=parameters,
        )
        if created:
            audit_record(acting_user=acting_user, action="kpi.queue", obj=run)
    return run


def kpi_job_execute(*, job_run_id: int) -> int | None:
    """Compute and store the key figures of a queued job run (replacing the period's old
    figures); returns the stored KpiResult's id. None when there is no such run or it has
    finished: a message delivered twice stores the figures once."""
    run = job_start(model=JobRun, run_id=job_run_id)
    if run is None:
        return None
    try:
        # stores the figures and marks the run done in one statement (statement.KPI_STORE_SQL)
        return kpi_store(
            period_from=date.fromisoformat(run.parameters["from"]),
            period_to=date.fromisoformat(run.parameters["to"]),
            job_run_id=job_run_id,
        )
    except Exception as exc:
        job_fail(model=JobRun, run_id=job_run_id, message=job_error_message(exc), exc=exc)
        raise


def kpi_standard_periods(*, today: date) -> list[tuple[date, date]]:
    """The periods the nightly job keeps ready: this year so far, the previous month and
    the last 12 whole months."""
    yesterday = today - timedelta(days=1)
    first_this_month = today.replace(day=1)
    last_month_end = first_this_month - timedelta(days=1)
    last_month_start = last_month_end.replace(day=1)
    months_back = last_month_start.year * 12 + last_month_start.month - 1 - 11
    twelve_start = date(months_back // 12, months_back % 12 + 1, 1)
    periods = [
        (date(yesterday.year, 1, 1), yesterday),
        (last_month_start, last_month_end),
        (twelve_start, last_month_end),
    ]
    return list(dict.fromkeys(periods))


def kpi_baseline_period() -> tuple[date, date] | None:
    """The campaign's baseline month as a period, when the jobcentre has set one."""
    first = JobcenterSettings.current().campaign_baseline_month
    return None if first is None else (first, month_last_day(first))


@transaction.atomic
def jobcenter_settings_update(*, acting_user, **fields) -> JobcenterSettings:
    settings = JobcenterSettings.for_update()
    for name, value in fields.items():
        setattr(settings, name, value)
    settings.full_clean()
    settings.save()
    audit_record(
        acting_user=acting_user, action="settings.update", obj=settings, fields=list(fields)
    )
    return settings


COST_FIELDS = ("year", "jobkonsulent_salaries", "mentor_courses")


def jobcenter_cost_save(*, cost_id: int | None, acting_user, **fields) -> JobcenterCost:
    """Create (`cost_id` None) or change one year's costs of the jobcentre, and log it.

    `fields` are the model's own (COST_FIELDS). The audit event names the fields that
    changed; a row saved unchanged writes no event. Raises ValidationError (Danish) for a
    negative amount or a year outside 2000-2100, and changes nothing then.
    """
    unknown = set(fields) - set(COST_FIELDS)
    if unknown:
        raise TypeError(f"jobcenter_cost_save: unknown fields {sorted(unknown)}")
    with transaction.atomic():
        if cost_id is None:
            cost, changed = JobcenterCost(), list(fields)
        else:
            # The stored row, not a form's instance: a bound form has already changed that.
            cost = JobcenterCost.objects.select_for_update().get(pk=cost_id)
            changed = [name for name, value in fields.items() if getattr(cost, name) != value]
        for name, value in fields.items():
            setattr(cost, name, value)
        cost.full_clean()
        cost.save()
        if changed:
            audit_record(
                acting_user=acting_user,
                action="cost.create" if cost_id is None else "cost.update",
                obj=cost,
                fields=changed,
            )
    return cost
