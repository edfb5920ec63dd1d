"""Reads of background runs, for any model that inherits JobRunBase.

Every comparison is made by the database's clock (Now()), as the times were written.
"""

from datetime import timedelta
from typing import TypeVar

from django.conf import settings
from django.db.models import Q, QuerySet
from django.db.models.functions import Now

from .models import PENDING_STATES, JobRunBase, JobState

R = TypeVar("R", bound=JobRunBase)


def stalled_q() -> Q:
    """Running, and the lease ran out (or, for a run from before leases, it never held one
    and started - or was queued - longer than a lease ago): its worker died."""
    since = Now() - timedelta(seconds=settings.JOBS_LEASE_SECONDS)
    return Q(state=JobState.RUNNING) & (
        Q(lease_until__lt=Now())
        | Q(lease_until__isnull=True, started_at__lt=since)
        | Q(lease_until__isnull=True, started_at__isnull=True, created_at__lt=since)
    )


def waiting_q() -> Q:
    """Queued, and not started within JOBS_RESEND_AFTER_SECONDS of being queued or last sent:
    the send failed (the broker was down) or the broker lost the message."""
    grace = Now() - timedelta(seconds=settings.JOBS_RESEND_AFTER_SECONDS)
    return Q(state=JobState.QUEUED) & (
        Q(sent_at__isnull=True, created_at__lt=grace) | Q(sent_at__lt=grace)
    )


def runs_pending(*, model: type[R]) -> QuerySet[R]:
    """The model's runs that are queued or running, of any age (stalled and waiting ones too)."""
    return model._default_manager.filter(state__in=PENDING_STATES)


def runs_live(*, model: type[R]) -> QuerySet[R]:
    """Pending runs that are on their way: running under a lease, or queued and sent recently.

    A request may hand one of these back instead of queuing the job twice; any other
    pending run is revived first (jobs.services.job_revive).
    """
    return runs_pending(model=model).exclude(stalled_q()).exclude(waiting_q())


def runs_stalled(*, model: type[R]) -> QuerySet[R]:
    return model._default_manager.filter(stalled_q())


def runs_waiting(*, model: type[R]) -> QuerySet[R]:
    return model._default_manager.filter(waiting_q())
