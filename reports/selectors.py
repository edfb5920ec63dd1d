from django.db.models import QuerySet

from .models import JobRun


def job_runs_latest(*, limit: int) -> QuerySet[JobRun]:
    return JobRun.objects.order_by("-created_at")[:limit]
