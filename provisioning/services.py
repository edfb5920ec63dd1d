"""Creating a jobcentre in the background: queued from the platform admin, carried out by a
worker (tenants.services.jobcenter_create, the checked clone), its steps shown as it goes."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jobs.services import job_error_message, job_fail, job_finish, job_queue, job_start
from tenants.services import jobcenter_create, jobcenter_create_problems

from .models import JobcenterCreation


def jobcenter_creation_queue(
    *,
    schema_name: str,
    name: str,
    domain: str,
    municipality_code: str,
    admin_email: str,
    acting_user,
) -> JobcenterCreation:
    """Queue the creation of a jobcentre; the worker starts when the transaction commits.

    The same checks as jobcenter_create first (ValidationError, Danish, nothing queued),
    and one pending creation per schema name.
    """
    problems = jobcenter_create_problems(
        schema_name=schema_name, domain=domain, municipality_code=municipality_code
    )
    if problems:
        raise ValidationError(problems)
    from .tasks import jobcenter_creation_task

    with transaction.atomic():
        run, created = job_queue(
            model=JobcenterCreation,
            task=jobcenter_creation_task,
            acting_user=acting_user,
            schema_name=schema_name,
        )
        if created:
            JobcenterCreation.objects.filter(pk=run.pk).update(
                name=name,
                domain=domain,
                municipality_code=municipality_code,
                admin_email=admin_email,
                step="I kø",
            )
            run.refresh_from_db()
    return run


def _step(run_id: int, text: str) -> None:
    # Committed at once (no transaction around the job): the polling page sees each step.
    JobcenterCreation.objects.filter(pk=run_id).update(step=text)


def jobcenter_creation_execute(*, run_id: int) -> int | None:
    """Carry out a queued creation; returns the new jobcentre's id (None when the run is
    not there, finished, or held by another worker)."""
    run = job_start(model=JobcenterCreation, run_id=run_id)
    if run is None:
        return None
    try:
        jobcenter = jobcenter_create(
            schema_name=run.schema_name,
            name=run.name,
            domain=run.domain,
            municipality_code=run.municipality_code,
            admin_email=run.admin_email,
            progress=lambda text: _step(run_id, text),
        )
    except ValidationError as exc:
        job_fail(model=JobcenterCreation, run_id=run_id, message="; ".join(exc.messages))
        return None
    except Exception as exc:
        job_fail(model=JobcenterCreation, run_id=run_id, message=job_error_message(exc), exc=exc)
        raise
    job_finish(
        model=JobcenterCreation,
        run_id=run_id,
        message=f"{jobcenter.name} er oprettet.",
        jobcenter=jobcenter,
        step="Færdig",
    )
    return jobcenter.pk
