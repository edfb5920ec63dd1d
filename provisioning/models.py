"""A jobcentre created as a background run from the platform admin (issue 28).

Lives in the public schema (a shared app only), beside the jobcentres. The run's `step` says
how far it got, for the status partial that polls it; the run model and its states are the
one background-run concept (jobs.models.JobRunBase).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobs.models import JobRunBase


class JobcenterCreation(JobRunBase):
    schema_name = models.CharField(_("skema"), max_length=63)
    name = models.CharField(_("navn"), max_length=200)
    domain = models.CharField(_("domæne"), max_length=253)
    municipality_code = models.CharField(_("kommunekode"), max_length=3)
    admin_email = models.EmailField(_("administratorens e-mail"))
    step = models.CharField(_("trin"), max_length=200, blank=True)
    jobcenter = models.ForeignKey(
        "tenants.Jobcenter",
        verbose_name=_("jobcenter"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("oprettelse af jobcenter")
        verbose_name_plural = _("oprettelser af jobcentre")
        ordering = ["-created_at"]
        constraints = [JobRunBase.state_constraint("jobcenter_creation_state")]

    def __str__(self):
        return f"{self.name} ({self.get_state_display()})"
