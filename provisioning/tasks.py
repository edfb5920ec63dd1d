from celery import shared_task

from jobs.tasks import JobTask


# JobTask: acks_late and leased; a second delivery finds the run started and does nothing.
@shared_task(base=JobTask, run_model="provisioning.JobcenterCreation")
def jobcenter_creation_task(run_id: int) -> int | None:
    from .services import jobcenter_creation_execute

    return jobcenter_creation_execute(run_id=run_id)
