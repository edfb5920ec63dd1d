"""The tenant: one jobcentre, one PostgreSQL schema. Lives in the public schema."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class Jobcenter(TenantMixin):
    name = models.CharField(_("navn"), max_length=200)
    municipality_code = models.CharField(
        _("kommunekode"),
        max_length=3,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{3}$", _("Kommunekoden er tre cifre, fx 410."))],
        help_text=_(
            "Danmarks Statistiks kommunekode, fx 410 for Middelfart. Tom kun for platformen."
        ),
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    # The schema is created and migrated when the jobcentre is saved the first time.
    auto_create_schema = True

    class Meta:
        verbose_name = _("jobcenter")
        verbose_name_plural = _("jobcentre")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Domain(DomainMixin):
    class Meta:
        verbose_name = _("domæne")
        verbose_name_plural = _("domæner")

    def __str__(self):
        return self.domain


class JobcenterClosure(models.Model):
    """The record, kept in the public schema, of a jobcentre taken off the platform: who
    did it, when, and where its data went (an archived schema, or dropped)."""

    class Mode(models.TextChoices):
        ARCHIVED = "archived", _("arkiveret (skemaet omdøbt og bevaret)")
        DROPPED = "dropped", _("slettet (skemaet og alle data fjernet)")

    name = models.CharField(_("navn"), max_length=200)
    schema_name = models.CharField(_("skema"), max_length=63)
    municipality_code = models.CharField(_("kommunekode"), max_length=3, blank=True)
    domains = models.TextField(_("domæner"), blank=True)
    mode = models.CharField(_("måde"), max_length=10, choices=Mode.choices)
    archive_schema = models.CharField(_("arkivskema"), max_length=63, blank=True)
    closed_at = models.DateTimeField(_("lukket"), auto_now_add=True)
    closed_by = models.CharField(_("lukket af"), max_length=254)
    reason = models.TextField(_("begrundelse"))

    class Meta:
        verbose_name = _("lukket jobcenter")
        verbose_name_plural = _("lukkede jobcentre")
        ordering = ["-closed_at"]

    def __str__(self):
        return f"{self.name} ({self.get_mode_display()})"
