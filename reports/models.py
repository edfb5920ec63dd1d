"""Background jobs of a jobcentre and their state, so the UI can show what runs."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from codes.onerow import OneRow
from jobs.models import JobRunBase


class JobRun(JobRunBase):
    """A key-figure computation (or a worker's heartbeat) in this jobcentre."""

    class Kind(models.TextChoices):
        HEARTBEAT = "heartbeat", _("Livstegn fra baggrundsjob")
        STATISTICS = "statistics", _("Beregning af nøgletal")

    kind = models.CharField(_("type"), max_length=40, choices=Kind.choices)
    # What the job works on, e.g. {"from": "2026-01-01", "to": "2026-10-31"}.
    parameters = models.JSONField(_("parametre"), default=dict, blank=True)

    class Meta:
        verbose_name = _("baggrundsjob")
        verbose_name_plural = _("baggrundsjob")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["kind", "-created_at"])]
        constraints = [JobRunBase.state_constraint("job_run_state")]

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


class JobcenterSettings(OneRow):
    """The jobcentre's own figures for the statistics; one row per jobcentre (schema)."""

    target_group_size = models.PositiveIntegerField(
        _("målgruppens størrelse"),
        null=True,
        blank=True,
        help_text=_("Antal personer i målgruppen; kampagnemålet er mindst 16 % i aktivering."),
    )
    # Campaign goal 1 as the jobcentre's own target in persons (Middelfart: 44), and the
    # month it counts its change from (the first day of the month; issue 30).
    goal1_target_persons = models.PositiveIntegerField(
        _("mål 1: antal personer i virksomhedsrettet aktivering"),
        null=True,
        blank=True,
        help_text=_("Jobcentrets eget mål for kampagnens mål 1, i personer."),
    )
    campaign_baseline_month = models.DateField(
        _("kampagnens udgangsmåned"),
        null=True,
        blank=True,
        help_text=_("Den måned ændringen i personer i aktivering regnes fra."),
    )
    yearly_benefit_saving = models.DecimalField(
        _("årlig besparelse pr. person i job eller uddannelse (kr.)"),
        max_digits=10,
        decimal_places=2,
        default=32500,
    )

    class Meta:
        verbose_name = _("indstillinger for statistik")
        verbose_name_plural = _("indstillinger for statistik")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(singleton=True), name="jobcenter_settings_singleton"
            ),
            models.CheckConstraint(
                condition=models.Q(yearly_benefit_saving__gte=0),
                name="jobcenter_settings_saving_not_negative",
            ),
        ]


class StoredJSONField(models.JSONField):
    """JSON kept as the text it was written: PostgreSQL `json`, not `jsonb`.

    For documents that are read whole and never queried inside. Converting the key
    figures (about 90 KB at Copenhagen scale) to jsonb took PostgreSQL ~5 ms per store,
    to build a binary form nothing uses. `json` has no equality operator: no lookups into
    the field, no exact matches, DISTINCT or UNION over it.
    """

    def db_type(self, connection):  # noqa: ARG002 - the framework fixes the signature
        return "json"

    def from_db_value(self, value, expression, connection):
        if value is None or not isinstance(value, str):
            return value  # psycopg parses `json` columns itself
        return super().from_db_value(value, expression, connection)


class KpiResult(models.Model):
    """Stored key figures for one period; a rerun for the same period replaces them."""

    period_from = models.DateField(_("fra"))
    period_to = models.DateField(_("til"))
    figures = StoredJSONField(_("nøgletal"))
    computed_at = models.DateTimeField(_("beregnet"))
    # The KPI page's ØVO box: the centres' mentor support from 1 January of period_to's year
    # to period_to (billing.totals.mentor_support_spending), computed with the figures and
    # shown as of `computed_at` like them (issue 24: computing it on every view was 2 of
    # the page's queries and a quarter of its database time). None: stored before this.
    mentor_support_ytd = models.DecimalField(
        _("mentorstøtte 1. januar til periodens slutning"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
    )
    job_run = models.ForeignKey(
        JobRun, verbose_name=_("kørsel"), null=True, blank=True, on_delete=models.SET_NULL
    )

    class Meta:
        verbose_name = _("nøgletal")
        verbose_name_plural = _("nøgletal")
        ordering = ["-period_to", "-period_from"]
        constraints = [
            models.UniqueConstraint(fields=["period_from", "period_to"], name="kpi_one_per_period"),
            models.CheckConstraint(
                condition=models.Q(period_to__gte=models.F("period_from")),
                name="kpi_period_order",
            ),
        ]

    def __str__(self):
        return f"{self.period_from:%d.%m.%Y}-{self.period_to:%d.%m.%Y}"
