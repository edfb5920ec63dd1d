"""Background jobs of a jobcentre and their state, so the UI can show what runs."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    class Kind(models.TextChoices):
        HEARTBEAT = "heartbeat", _("Livstegn fra baggrundsjob")

    class State(models.TextChoices):
        QUEUED = "queued", _("I kø")
        RUNNING = "running", _("Kører")
        DONE = "done", _("Færdig")
        FAILED = "failed", _("Fejlet")

    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    state = models.CharField(
        _("tilstand"), max_length=10, choices=State.choices, default=State.QUEUED
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
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    started_at = models.DateTimeField(_("startet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)

    class Meta:
        verbose_name = _("baggrundsjob")
        verbose_name_plural = _("baggrundsjob")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "-created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_state_display()})"


class JobcenterCost(models.Model):
    """The jobcentre's own yearly costs for its centres, for cost per place-week."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    jobkonsulent_salaries = models.DecimalField(
        _("lønninger til jobkonsulenter"), max_digits=12, decimal_places=2
    )
    mentor_courses = models.DecimalField(_("mentorkurser"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("jobcentrets udgifter")
        verbose_name_plural = _("jobcentrets udgifter")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(jobkonsulent_salaries__gte=0, mentor_courses__gte=0),
                name="jobcenter_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(year__range=(2000, 2100)), name="jobcenter_cost_year_range"
            ),
        ]

    def __str__(self):
        return f"{self.year}"
