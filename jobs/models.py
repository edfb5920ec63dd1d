"""The background run: one concept for every job a person (or the beat) asks for.

A run is queued when someone asks, running once a worker has taken it, and then done or
failed with a message. A run that stays queued or running longer than its model's
`lost_after_minutes` is *lost* (its worker restarted, the broker dropped the message):
it no longer blocks a new run of the same job and shows as lost, not as "running" forever.

The concrete runs live with the concept they serve (contracts.ContractDocument,
billing.BillingRun, reports.JobRun) and inherit JobRunBase; jobs/services.py is their one
set of services and jobs/_status.html their one status partial.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("I kø")
    RUNNING = "running", _("Kører")
    DONE = "done", _("Færdig")
    FAILED = "failed", _("Fejlet")


# Not stored: a pending run past its model's limit is shown (and treated) as lost.
LOST = "lost"
LOST_LABEL = _("Tabt")

PENDING_STATES = (JobState.QUEUED, JobState.RUNNING)


class JobRunBase(models.Model):
    """State, who asked and when (the database's clock), and the outcome's message."""

    State = JobState

    # A run pending longer than this is lost; a subclass sets its own.
    lost_after_minutes = 60

    state = models.CharField(
        _("tilstand"), max_length=10, choices=JobState.choices, default=JobState.QUEUED
    )
    message = models.TextField(_("besked"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bestilt af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The database's clock throughout (Now() is PostgreSQL's statement time), so that "lost
    # after N minutes" compares times of one clock whichever machine queued or ran the job.
    created_at = models.DateTimeField(_("bestilt"), db_default=Now())
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def state_constraint(name: str) -> models.CheckConstraint:
        """The check that `state` holds one of the four codes (a constraint per table)."""
        return models.CheckConstraint(condition=Q(state__in=[s.value for s in JobState]), name=name)

    @property
    def is_lost(self) -> bool:
        """Queued or running for longer than `lost_after_minutes` (since it last changed)."""
        since = self.started_at or self.created_at
        # An unsaved run holds the database default, not yet a time: not lost.
        if self.state not in PENDING_STATES or not isinstance(since, datetime):
            return False
        return since < timezone.now() - timedelta(minutes=self.lost_after_minutes)

    @property
    def is_pending(self) -> bool:
        """Queued or running and not lost: the page polls it, a new request gets it."""
        return self.state in PENDING_STATES and not self.is_lost

    @property
    def shown_state(self) -> str:
        """The state code as pages show it: the stored one, or "lost"."""
        return LOST if self.is_lost else self.state

    @property
    def shown_state_label(self) -> str:
        return str(LOST_LABEL) if self.is_lost else str(self.get_state_display())  # type: ignore[attr-defined]
