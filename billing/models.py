"""Afregning: monthly statements of what each contract pays the company (issue 8).

A statement is one contract's bill for one calendar month. The original statement of a
month may be rebuilt while it is a draft; once the jobcenterchef approves it, it is locked,
and a later rebuild writes a *correction* statement holding only the differences.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from codes.onerow import OneRow
from codes.tracking import ChangeTracked
from jobs.models import JobRunBase

MONEY = {"max_digits": 12, "decimal_places": 2}


class Rule(models.TextChoices):
    """The rule a line was computed by (the payment models plus the one-off amount)."""

    PER_CANDIDATE_WEEK = "per_candidate_week", _("Pr. kandidat pr. påbegyndt uge")
    MENTOR_HOURS = "mentor_hours", _("Frikøb af mentortimer")
    PER_PLACE_MONTH = "per_place_month", _("Pr. plads pr. måned")
    ESTABLISHMENT = "establishment", _("Etableringsbeløb")


class StatementKind(models.TextChoices):
    ORIGINAL = "original", _("Opgørelse")
    CORRECTION = "correction", _("Korrektion")


class StatementStatus(models.TextChoices):
    DRAFT = "draft", _("Kladde")
    APPROVED = "approved", _("Godkendt")


class Statement(ChangeTracked, models.Model):
    Kind = StatementKind
    Status = StatementStatus

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("kontrakt"),
        on_delete=models.PROTECT,
        related_name="statements",
    )
    centre = models.ForeignKey(
        "centers.Centre",
        verbose_name=_("virksomhedscenter"),
        on_delete=models.PROTECT,
        related_name="statements",
    )
    # The first day of the month billed.
    month = models.DateField(_("måned"))
    kind = models.CharField(
        _("type"), max_length=12, choices=StatementKind.choices, default=StatementKind.ORIGINAL
    )
    # A correction names the approved original it corrects.
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("korrigerer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrections",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=StatementStatus.choices, default=StatementStatus.DRAFT
    )
    total = models.DecimalField(_("i alt"), default=0, **MONEY)
    # Mentor courses and network meetings offered (training_only), a snapshot of the month.
    trainings = models.JSONField(_("mentoruddannelse"), default=list, blank=True)
    # Any mentor-hours week with more than 20 % shortfall of logged against agreed hours.
    hours_shortfall = models.BooleanField(_("for få mentortimer"), default=False)
    built_at = models.DateTimeField(_("beregnet"))
    built_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("beregnet af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("godkendt"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("godkendt af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # Changed-since filtering of the integration API (api/): bumped by every save(), also
    # with update_fields (codes.tracking.ChangeTracked).
    updated_at = models.DateTimeField(_("ændret"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("afregningsopgørelse")
        verbose_name_plural = _("afregningsopgørelser")
        ordering = ["-month", "centre__name", "contract_id", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="statement_month_first_day"),
            models.CheckConstraint(
                condition=Q(kind__in=["original", "correction"]), name="statement_kind_code"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "approved"]), name="statement_status_code"
            ),
            models.CheckConstraint(
                condition=Q(kind="original", corrects__isnull=True)
                | Q(kind="correction", corrects__isnull=False),
                name="statement_correction_names_original",
            ),
            models.CheckConstraint(
                condition=Q(status="draft", approved_at__isnull=True)
                | Q(status="approved", approved_at__isnull=False),
                name="statement_approved_has_time",
            ),
            # One original per contract and month; at most one open correction.
            models.UniqueConstraint(
                fields=["contract", "month"],
                condition=Q(kind="original"),
                name="statement_one_original_per_month",
            ),
            models.UniqueConstraint(
                fields=["contract", "month"],
                condition=Q(kind="correction", status="draft"),
                name="statement_one_open_correction",
            ),
        ]
        indexes = [models.Index(fields=["month", "centre"])]

    def __str__(self):
        return f"{self.centre} {self.month:%m.%Y} ({self.get_kind_display()})"

    @property
    def is_locked(self) -> bool:
        return self.status == StatementStatus.APPROVED

    @property
    def is_correction(self) -> bool:
        return self.kind == StatementKind.CORRECTION


class StatementLine(models.Model):
    """One charged item: a course week, a mentor-hours week, a place-month or a one-off amount.

    `key` identifies the item across rebuilds (e.g. "week:course=12:3"), so a correction
    can say which item changed by how much. Amounts are rounded to øre here and only here.
    """

    statement = models.ForeignKey(
        Statement, verbose_name=_("opgørelse"), on_delete=models.CASCADE, related_name="lines"
    )
    position = models.PositiveIntegerField(_("nr."))
    key = models.CharField(_("nøgle"), max_length=100)
    rule = models.CharField(_("regel"), max_length=30, choices=Rule.choices)
    description = models.CharField(_("tekst"), max_length=300)
    course = models.ForeignKey(
        "candidates.Course",
        verbose_name=_("forløb"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    week_no = models.PositiveSmallIntegerField(_("uge"), null=True, blank=True)
    place_number = models.PositiveSmallIntegerField(_("plads"), null=True, blank=True)
    period_start = models.DateField(_("fra"))
    period_end = models.DateField(_("til"))
    terms_version = models.PositiveSmallIntegerField(_("kontraktversion"), default=1)
    quantity = models.DecimalField(_("antal"), max_digits=12, decimal_places=4)
    rate = models.DecimalField(_("sats"), **MONEY)
    hours_agreed = models.DecimalField(
        _("aftalte timer pr. uge"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    hours_logged = models.DecimalField(
        _("loggede timer i ugen"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    shortfall = models.BooleanField(_("mere end 20 % for få timer"), default=False)
    amount = models.DecimalField(_("beløb"), **MONEY)

    class Meta:
        verbose_name = _("afregningslinje")
        verbose_name_plural = _("afregningslinjer")
        ordering = ["statement", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement", "position"], name="statement_line_position_unique"
            ),
            models.UniqueConstraint(fields=["statement", "key"], name="statement_line_key_unique"),
            models.CheckConstraint(
                condition=Q(rule__in=[c.value for c in Rule]), name="statement_line_rule_code"
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="statement_line_period",
            ),
        ]

    def __str__(self):
        return f"{self.description}: {self.amount}"


class BillingRun(JobRunBase):
    """One build of a month's statements (beat job or a jobkonsulent's rebuild) and its state."""

    month = models.DateField(_("måned"))

    class Meta:
        verbose_name = _("afregningskørsel")
        verbose_name_plural = _("afregningskørsler")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(month__day=1), name="billing_run_month_first_day"),
            JobRunBase.state_constraint("billing_run_state"),
        ]
        indexes = [models.Index(fields=["month", "-created_at"])]

    def __str__(self):
        return f"{self.month:%Y-%m} ({self.get_state_display()})"


class InvoiceSettings(OneRow):
    """The municipality as the buyer of an electronic invoice (billing/einvoice.py); one row
    per jobcentre. Danish public bodies receive invoices through NemHandel addressed to
    their EAN number (a GS1 GLN, 13 digits); the jobcentre's admin sets it on the
    integration page (/api/integrationer/, through billing.services.invoice_settings_update).
    """

    buyer_gln = models.CharField(
        _("EAN-nummer (GLN)"),
        max_length=13,
        blank=True,
        help_text=_("Kommunens EAN-nummer, som fakturaer sendes til (13 cifre)."),
    )
    buyer_name = models.CharField(_("kommunens navn på fakturaen"), max_length=200, blank=True)
    buyer_reference = models.CharField(
        _("købers reference"),
        max_length=100,
        blank=True,
        help_text=_("Fx en afdeling eller en person, der skal modtage fakturaen."),
    )

    class Meta:
        verbose_name = _("indstillinger for elektroniske fakturaer")
        verbose_name_plural = _("indstillinger for elektroniske fakturaer")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="invoice_settings_singleton"),
            models.CheckConstraint(
                condition=Q(buyer_gln="") | Q(buyer_gln__regex=r"^[0-9]{13}$"),
                name="invoice_settings_gln_13_digits",
            ),
        ]
