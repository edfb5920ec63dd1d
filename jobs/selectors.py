"""Reads of background runs, for any model that inherits JobRunBase."""

from datetime import timedelta
from typing import TypeVar

from django.db.models import QuerySet
from django.db.models.functions import Coalesce, Now
from django.db.models.lookups import GreaterThan

from .models import PENDING_STATES, JobRunBase

R = TypeVar("R", bound=JobRunBase)


def runs_pending(*, model: type[R]) -> QuerySet[R]:
    """The model's runs that are queued or running and not lost.

    Lost: pending for more than `model.lost_after_minutes` since the run was queued, or
    since it started running - by the database's clock, as the times were written.
    """
    pending_since = Coalesce("started_at", "created_at")
    return model._default_manager.filter(
        GreaterThan(pending_since, Now() - timedelta(minutes=model.lost_after_minutes)),
        state__in=PENDING_STATES,
    )
