"""The national comparison (issue 30), kept in the public schema: which jobcentres take part,
and the figures the nightly job took from their stored key figures - never a person.

A jobcentre's figure is stored with the number of persons it is built from; a figure built
from fewer than 5 is stored without its value (reports.rules.SMALL_NUMBER_LIMIT)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.models import Jobcenter


class NationalConsent(models.Model):
    """A jobcentre's consent to the national comparison, given or withdrawn by its chef."""

    jobcenter = models.OneToOneField(
        Jobcenter, on_delete=models.CASCADE, related_name="national_consent"
    )
    consented = models.BooleanField(_("deltager i landsoversigten"), default=False)
    changed_at = models.DateTimeField(_("ændret"))
    # The chef is a user of the jobcentre's own schema: named by address, not by a key.
    changed_by = models.CharField(_("ændret af"), max_length=254)

    class Meta:
        verbose_name = _("samtykke til landsoversigten")
        verbose_name_plural = _("samtykker til landsoversigten")

    def __str__(self):
        return f"{self.jobcenter} ({'ja' if self.consented else 'nej'})"


class NationalRun(models.Model):
    """One run of the nightly comparison: when, and what it read."""

    started_at = models.DateTimeField(_("startet"))
    finished_at = models.DateTimeField(_("færdig"), null=True, blank=True)
    jobcentres = models.PositiveIntegerField(_("jobcentre med"), default=0)
    # per schema: the periods missing there (no stored figures yet), for the analyst
    missing = models.JSONField(_("manglende perioder"), default=dict, blank=True)

    class Meta:
        verbose_name = _("kørsel af landsoversigten")
        verbose_name_plural = _("kørsler af landsoversigten")
        ordering = ["-started_at"]

    def __str__(self):
        return f"{self.started_at:%d.%m.%Y %H:%M}"


class NationalFigure(models.Model):
    """One consenting jobcentre's figure for one period, with the persons behind it."""

    jobcenter = models.ForeignKey(Jobcenter, on_delete=models.CASCADE)
    period_from = models.DateField(_("fra"))
    period_to = models.DateField(_("til"))
    figure = models.CharField(_("nøgletal"), max_length=60)
    # None when suppressed (fewer than 5 persons) or not computable (nothing to divide by)
    value = models.FloatField(_("værdi"), null=True, blank=True)
    persons = models.PositiveIntegerField(_("personer"))
    suppressed = models.BooleanField(_("skjult (under 5 personer)"), default=False)
    run = models.ForeignKey(NationalRun, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("jobcenterets nøgletal i landsoversigten")
        verbose_name_plural = _("jobcentrenes nøgletal i landsoversigten")
        constraints = [
            models.UniqueConstraint(
                fields=["jobcenter", "period_from", "period_to", "figure"],
                name="national_figure_one_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(suppressed=False) | models.Q(value__isnull=True),
                name="national_figure_suppressed_has_no_value",
            ),
        ]

    def __str__(self):
        return f"{self.jobcenter} {self.figure} {self.period_from}-{self.period_to}"


class NationalDistribution(models.Model):
    """The national distribution of one figure for one period: median and quartiles over
    the consenting jobcentres whose figure is shown."""

    period_from = models.DateField(_("fra"))
    period_to = models.DateField(_("til"))
    figure = models.CharField(_("nøgletal"), max_length=60)
    jobcentres = models.PositiveIntegerField(_("jobcentre"))
    q1 = models.FloatField(_("1. kvartil"), null=True, blank=True)
    median = models.FloatField(_("median"), null=True, blank=True)
    q3 = models.FloatField(_("3. kvartil"), null=True, blank=True)
    run = models.ForeignKey(NationalRun, on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("landsfordeling")
        verbose_name_plural = _("landsfordelinger")
        constraints = [
            models.UniqueConstraint(
                fields=["period_from", "period_to", "figure"], name="national_distribution_one"
            )
        ]

    def __str__(self):
        return f"{self.figure} {self.period_from}-{self.period_to}"
