"""The background run: one concept for every job a person (or the beat) asks for.

A run is queued when someone asks, running once a worker has taken it, and then done or
failed with a message. The row is the outbox (issue 18): the request commits it and sends
the task after the commit; a send that fails, or a message the broker loses, is sent again
by the sweeper (jobs.services.jobs_sweep, every minute from beat) once the run has stayed
queued past `JOBS_RESEND_AFTER_SECONDS`. A running run holds a lease (`lease_until`),
renewed by its worker while it works; a run whose lease ran out has lost its worker
(killed, or the machine died) and is taken over: queued again and counted in `restarts`,
and its page says "genstartet efter nedbrud". The times are settings (config/settings/base.py,
"Background jobs").

The concrete runs live with the concept they serve (contracts.ContractDocument,
billing.BillingRun, reports.JobRun) and inherit JobRunBase; jobs/services.py is their one
set of services and jobs/_status.html their one status partial.
"""

from datetime import datetime

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


# Not stored: a running run whose lease ran out has lost its worker; it is shown as such
# until the sweeper (or a new request for the same job) takes it over.
STALLED = "stalled"
STALLED_LABEL = _("Afbrudt")

PENDING_STATES = (JobState.QUEUED, JobState.RUNNING)


class JobRunBase(models.Model):
    """State, who asked and when (the database's clock), and the outcome's message."""

    State = JobState

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
    # The outbox and the lease (issue 18). sent_at: when the sweeper last sent the task
    # again (the request's own send is not recorded: created_at stands for it).
    sent_at = models.DateTimeField(_("sendt igen"), null=True, blank=True)
    # While running: the worker's lease, renewed while it works; past it, the run is taken over.
    lease_until = models.DateTimeField(_("lejet indtil"), null=True, blank=True)
    # How often the run was taken over after its worker died.
    restarts = models.PositiveSmallIntegerField(_("genstartet"), default=0)

    class Meta:
        abstract = True

    @staticmethod
    def state_constraint(name: str) -> models.CheckConstraint:
        """The check that `state` holds one of the four codes (a constraint per table)."""
        return models.CheckConstraint(condition=Q(state__in=[s.value for s in JobState]), name=name)

    @property
    def is_stalled(self) -> bool:
        """Running, but the lease ran out: the worker died and nobody has taken it over yet."""
        if self.state != JobState.RUNNING or not isinstance(self.lease_until, datetime):
            return False
        return self.lease_until < timezone.now()

    @property
    def is_pending(self) -> bool:
        """Queued or running: the page polls it. A stalled run is still pending - the sweeper
        takes it over within a minute, and the page shows it restarting."""
        return self.state in PENDING_STATES

    @property
    def was_restarted(self) -> bool:
        """Taken over at least once after its worker died ("genstartet efter nedbrud")."""
        return bool(self.restarts)

    @property
    def shown_state(self) -> str:
        """The state code as pages show it: the stored one, or "stalled"."""
        return STALLED if self.is_stalled else self.state

    @property
    def shown_state_label(self) -> str:
        return str(STALLED_LABEL) if self.is_stalled else str(self.get_state_display())  # type: ignore[attr-defined]
