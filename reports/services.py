from datetime import timedelta

from django.utils import timezone

from .models import JobRun


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
