from celery import shared_task

from .services import heartbeat_record


@shared_task(bind=True)
def worker_heartbeat(self) -> int:
    """Runs in the schema of the tenant that queued it (tenant-schemas-celery)."""
    return heartbeat_record(worker=self.request.hostname or "").pk
