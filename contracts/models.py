"""Centerkontrakt: the written agreement between the jobcentre and a company for a centre."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _

from centers.models import ImportRefMixin
from codes.lab import NORMAL_COURSE_WEEKS
from codes.lists import Barrier, ContractStatus, PaymentModel  # noqa: F401 - re-exported
from codes.onerow import OneRow
from codes.tracking import ChangeTracked
from jobs.models import JobRunBase

# The concept's minimum; fewer is allowed but warned about (DOMAIN.md: "at least 4").
MIN_PLACES_RECOMMENDED = 4


MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal(0))]}


class PaymentTermsMixin(models.Model):
    """The terms a contract (or an amendment) agrees: places, mentor hours and payment."""

    places = models.PositiveSmallIntegerField(_("antal pladser"), validators=[MinValueValidator(1)])
    mentor_hours_per_week = models.DecimalField(
        _("mentortimer pr. uge"),
        max_digits=5,
        decimal_places=1,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal(0))],
    )
    payment_model = models.CharField(
        _("betalingsmodel"), max_length=30, choices=PaymentModel.choices
    )
    payment_amount = models.DecimalField(_("beløb"), null=True, blank=True, **MONEY)
    payment_hourly_rate = models.DecimalField(_("timesats"), null=True, blank=True, **MONEY)
    payment_hours_per_week = models.DecimalField(
        _("aftalte frikøbte timer pr. uge"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    establishment_amount = models.DecimalField(
        _("etableringsbeløb (engangsbeløb)"), default=Decimal(0), **MONEY
    )

    class Meta:
        abstract = True

    @staticmethod
    def terms_constraints(prefix: str) -> list[models.BaseConstraint]:
        return [
            models.CheckConstraint(condition=Q(places__gte=1), name=f"{prefix}_places_at_least_1"),
            models.CheckConstraint(
                condition=Q(mentor_hours_per_week__gte=0),
                name=f"{prefix}_mentor_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(payment_amount__isnull=True) | Q(payment_amount__gte=0),
                name=f"{prefix}_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(payment_hourly_rate__isnull=True) | Q(payment_hourly_rate__gte=0),
                name=f"{prefix}_hourly_rate_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(payment_hours_per_week__isnull=True) | Q(payment_hours_per_week__gte=0),
                name=f"{prefix}_paid_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(establishment_amount__gte=0),
                name=f"{prefix}_establishment_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(payment_model__in=[c.value for c in PaymentModel]),
                name=f"{prefix}_payment_model_code",
            ),
            # Each model carries the figures it is computed from.
            models.CheckConstraint(
                condition=~Q(payment_model__in=["per_candidate_week", "per_place_month"])
                | Q(payment_amount__isnull=False),
                name=f"{prefix}_amount_required",
            ),
            models.CheckConstraint(
                condition=~Q(payment_model="mentor_hours")
                | Q(payment_hourly_rate__isnull=False, payment_hours_per_week__isnull=False),
                name=f"{prefix}_mentor_hours_terms_required",
            ),
        ]


class TerminationCause(models.TextChoices):
    CENTRE_CLOSED = "centre_closed", _("Virksomheden lukker centret")
    COMPANY_NOTICE = "company_notice", _("Virksomheden har opsagt kontrakten")
    JOBCENTRE_NOTICE = "jobcentre_notice", _("Jobcentret har opsagt kontrakten")


# A contract still being written or waiting for its signatures (the jobkonsulent's card
# "Kontrakter i gang", contracts.selectors.contracts_in_progress).
OPEN_STATUSES = (ContractStatus.DRAFT, ContractStatus.APPROVED)


class Contract(ChangeTracked, ImportRefMixin, PaymentTermsMixin):
    Status = ContractStatus

    centre = models.ForeignKey(
        "centers.Centre",
        verbose_name=_("virksomhedscenter"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ContractStatus.choices, default=ContractStatus.DRAFT
    )
    start = models.DateField(_("startdato"))
    end = models.DateField(_("slutdato"))
    # At most the law's 13 weeks (LAB § 61): a longer course is an extension of that course,
    # with its reason and the employees' representatives consulted, never the contract's
    # default (candidates.rules.normal_planned_end caps older rows too).
    course_weeks = models.PositiveSmallIntegerField(
        _("normal forløbslængde (uger)"),
        default=NORMAL_COURSE_WEEKS,
        validators=[
            MinValueValidator(1),
            MaxValueValidator(
                NORMAL_COURSE_WEEKS,
                message=_(
                    "Et normalt forløb er højst %(limit_value)s uger. Et længere forløb er en "
                    "forlængelse af det enkelte forløb, med begrundelse og høring af "
                    "medarbejderrepræsentanterne."
                ),
            ),
        ],
    )
    goals_text = models.TextField(_("mål"), blank=True)
    goal_ordinary_job_pct = models.PositiveSmallIntegerField(
        _("mål: andel til ordinært job (%)"), null=True, blank=True
    )
    goal_education_pct = models.PositiveSmallIntegerField(
        _("mål: andel til uddannelse (%)"), null=True, blank=True
    )
    target_group = models.TextField(_("målgruppe"), blank=True)
    target_age_min = models.PositiveSmallIntegerField(
        _("målgruppe: alder fra"), null=True, blank=True
    )
    target_age_max = models.PositiveSmallIntegerField(
        _("målgruppe: alder til"), null=True, blank=True
    )
    target_barriers = ArrayField(
        models.CharField(max_length=20),
        verbose_name=_("målgruppe: barrierer"),
        default=list,
        blank=True,
    )
    work_tasks = models.TextField(_("arbejdsopgaver"), blank=True)
    support_activities = models.TextField(_("fælles understøttende aktiviteter"), blank=True)
    reception = models.TextField(_("modtagelse og introduktion af nye kandidater"), blank=True)
    absence_handling = models.TextField(_("håndtering og opfølgning på fravær"), blank=True)
    udslusning = models.TextField(_("udslusning"), blank=True)
    chief_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("underskrevet af jobcenterchef"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chief_signed_at = models.DateTimeField(_("jobcenterchef underskrev"), null=True, blank=True)
    # Name and title as the chief gave them when signing (a later change of the user's
    # title does not rewrite what was signed).
    chief_signed_name = models.CharField(_("jobcenterchefens navn"), max_length=300, blank=True)
    chief_signed_title = models.CharField(
        _("jobcenterchefens stilling"), max_length=150, blank=True
    )
    director_name = models.CharField(_("virksomhedens direktør"), max_length=200, blank=True)
    director_signed_at = models.DateTimeField(_("direktøren underskrev"), null=True, blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # Changed-since filtering of the integration API (api/): bumped by every save(), also
    # with update_fields (codes.tracking.ChangeTracked).
    updated_at = models.DateTimeField(_("ændret"), auto_now=True, db_index=True)
    director_email = models.EmailField(_("direktørens e-mail"), blank=True)
    director_ip = models.GenericIPAddressField(
        _("IP-adresse ved direktørens underskrift"), null=True, blank=True
    )
    director_title = models.CharField(_("direktørens stilling"), max_length=150, blank=True)
    # The SHA-256 of the PDF the director was shown and signed (the "til underskrift" PDF
    # of this version); the signed PDF names it in its metadata.
    director_signed_sha256 = models.CharField(
        _("SHA-256 af det underskrevne dokument"), max_length=64, blank=True
    )
    # Early termination (contracts.services.contract_terminate): `end` becomes the
    # termination date, so places and billing stop there; the agreed end is kept here.
    planned_end = models.DateField(_("oprindelig slutdato"), null=True, blank=True)
    terminated_on = models.DateField(_("ophører den"), null=True, blank=True)
    termination_cause = models.CharField(
        _("årsag til opsigelse"), max_length=20, choices=TerminationCause.choices, blank=True
    )
    termination_reason = models.TextField(_("begrundelse for opsigelse"), blank=True)
    terminated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opsagt af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    terminated_at = models.DateTimeField(_("opsagt"), null=True, blank=True)

    class Meta:
        verbose_name = _("centerkontrakt")
        verbose_name_plural = _("centerkontrakter")
        ordering = ["-start"]
        # The contract list's order, newest period first, paged by key (documents/paging.py).
        indexes = [
            models.Index(fields=["start", "id"], name="contract_start_id"),
            # The few open ones among a jobcentre's thousands (ended ones stay for years).
            models.Index(
                fields=["start", "id"],
                condition=Q(status__in=[s.value for s in OPEN_STATUSES]),
                name="contract_open_start_id",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=F("start")), name="contract_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in ContractStatus]),
                name="contract_status_code",
            ),
            models.CheckConstraint(
                condition=Q(goal_ordinary_job_pct__isnull=True) | Q(goal_ordinary_job_pct__lte=100),
                name="contract_goal_job_pct_range",
            ),
            models.CheckConstraint(
                condition=Q(goal_education_pct__isnull=True) | Q(goal_education_pct__lte=100),
                name="contract_goal_education_pct_range",
            ),
            *PaymentTermsMixin.terms_constraints("contract"),
            # A terminated contract has its date and reason; only a terminated one has them.
            models.CheckConstraint(
                condition=~Q(status="terminated")
                | Q(terminated_on__isnull=False, planned_end__isnull=False),
                name="contract_terminated_has_date",
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | Q(end=F("terminated_on")),
                name="contract_terminated_ends_on_its_date",
            ),
        ]

    def __str__(self):
        return f"{self.centre} {self.start:%d.%m.%Y}-{self.end:%d.%m.%Y}"

    @property
    def below_recommended_places(self) -> bool:
        return self.places < MIN_PLACES_RECOMMENDED

    def covers(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def barrier_labels(self) -> list[str]:
        labels = dict(Barrier.choices)
        return [str(labels.get(code, code)) for code in self.target_barriers]

    # The contract itself is version 1; amendments are versions 2, 3, ...
    version = 1

    @property
    def is_editable(self) -> bool:
        """A draft (or an approved contract nobody has signed) may still be changed."""
        return self.status in (ContractStatus.DRAFT, ContractStatus.APPROVED) and not (
            self.chief_signed_at or self.director_signed_at
        )

    @property
    def current_approvals(self):
        """The approvals given to the present text (an edit supersedes the earlier ones)."""
        return self.approvals.filter(superseded_at__isnull=True).select_related("recorded_by")

    @property
    def is_ready_for_signing(self) -> bool:
        return self.status == ContractStatus.APPROVED

    @property
    def is_signed(self) -> bool:
        return bool(self.chief_signed_at and self.director_signed_at)


class ApprovalSettings(OneRow):
    """Which approvals a Centerkontrakt needs before signing; one row per jobcentre.

    The municipality decides (DOMAIN, last section: no local employment council since
    2015): by default one step, the employee representative's statement on the ratio and
    the work tasks; optionally named committees. Edited on the settings page
    (/statistik/indstillinger/) through contracts.services.approval_settings_update; the
    steps themselves come from contracts.rules.approval_steps.
    """

    employee_statement = models.BooleanField(
        _("medarbejderrepræsentantens udtalelse kræves"),
        default=True,
        help_text=_("Udtalelse om rimelighedskravet og arbejdsopgaverne."),
    )
    committees = ArrayField(
        models.CharField(max_length=200),
        verbose_name=_("udvalg der godkender"),
        default=list,
        blank=True,
    )

    class Meta:
        verbose_name = _("godkendelser før underskrift")
        verbose_name_plural = _("godkendelser før underskrift")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="approval_settings_singleton"),
        ]

    @property
    def steps(self) -> list[str]:
        from .rules import approval_steps

        return approval_steps(
            employee_statement=self.employee_statement, committees=self.committees
        )


class ContractTemplate(OneRow):
    """The jobcentre's standard paragraphs: the defaults of a new contract's texts.

    One row per jobcentre (its own schema), edited on the settings page through
    contracts.services.contract_template_update; contracts.forms.contract_initial offers
    them when a contract is drafted. A contract keeps its own copy of the text.
    """

    goals_text = models.TextField(_("mål"), blank=True)
    target_group = models.TextField(_("målgruppe"), blank=True)
    support_activities = models.TextField(_("fælles understøttende aktiviteter"), blank=True)
    reception = models.TextField(_("modtagelse og introduktion af nye kandidater"), blank=True)
    absence_handling = models.TextField(_("håndtering og opfølgning på fravær"), blank=True)
    udslusning = models.TextField(_("udslusning"), blank=True)
    updated_at = models.DateTimeField(_("ændret"), auto_now=True)

    TEXT_FIELDS = (
        "goals_text",
        "target_group",
        "support_activities",
        "reception",
        "absence_handling",
        "udslusning",
    )

    class Meta:
        verbose_name = _("standardtekster til centerkontrakter")
        verbose_name_plural = _("standardtekster til centerkontrakter")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="contract_template_singleton"),
        ]

    @classmethod
    def defaults(cls) -> "ContractTemplate":
        """The concept's standard paragraphs, until the jobcentre saves its own."""
        from .rules import STANDARD_PARAGRAPHS

        return cls(**STANDARD_PARAGRAPHS)


class ContractApproval(models.Model):
    """One approval of a contract's text: which step, who gave it, when, and what it says.

    `step` keeps the step's name as it was when given, so a renamed committee or a step
    the jobcentre no longer uses still reads right; an approval migrated from before the
    settings existed is `historical`. Editing the draft supersedes the approvals given to
    the earlier text (kept, with the time).
    """

    contract = models.ForeignKey(
        Contract, verbose_name=_("kontrakt"), on_delete=models.CASCADE, related_name="approvals"
    )
    step = models.CharField(_("godkendelsestrin"), max_length=200)
    approved_by = models.CharField(_("godkendt af (person eller møde)"), max_length=200)
    approved_on = models.DateField(_("dato for godkendelse"))
    statement = models.TextField(_("udtalelse eller beslutning"))
    historical = models.BooleanField(_("historisk"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registreret af"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("registreret"), auto_now_add=True)
    superseded_at = models.DateTimeField(_("afløst af en ændring"), null=True, blank=True)

    class Meta:
        verbose_name = _("godkendelse af kontrakt")
        verbose_name_plural = _("godkendelser af kontrakter")
        ordering = ["approved_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "step"],
                condition=Q(superseded_at__isnull=True),
                name="contract_approval_one_per_step",
            ),
        ]

    def __str__(self):
        return f"{self.contract}: {self.step} ({self.approved_on:%d.%m.%Y})"


class AmendmentStatus(models.TextChoices):
    DRAFT = "draft", _("Til underskrift")
    SIGNED = "signed", _("Underskrevet")


class Amendment(ChangeTracked, PaymentTermsMixin):
    """A change of agreed terms from `valid_from`; the contract keeps every version."""

    touches = ("contract",)  # the API shows these rows inside their contract

    contract = models.ForeignKey(
        Contract, verbose_name=_("kontrakt"), on_delete=models.CASCADE, related_name="amendments"
    )
    version = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("gælder fra"))
    reason = models.TextField(_("begrundelse"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oprettet af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # An amendment goes through signing again; until both have signed it is a draft.
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=AmendmentStatus.choices,
        default=AmendmentStatus.DRAFT,
    )
    chief_signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("underskrevet af jobcenterchef"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    chief_signed_at = models.DateTimeField(_("jobcenterchef underskrev"), null=True, blank=True)
    # Name and title as the chief gave them when signing (a later change of the user's
    # title does not rewrite what was signed).
    chief_signed_name = models.CharField(_("jobcenterchefens navn"), max_length=300, blank=True)
    chief_signed_title = models.CharField(
        _("jobcenterchefens stilling"), max_length=150, blank=True
    )
    director_name = models.CharField(_("virksomhedens direktør"), max_length=200, blank=True)
    director_email = models.EmailField(_("direktørens e-mail"), blank=True)
    director_signed_at = models.DateTimeField(_("direktøren underskrev"), null=True, blank=True)
    director_ip = models.GenericIPAddressField(
        _("IP-adresse ved direktørens underskrift"), null=True, blank=True
    )
    director_title = models.CharField(_("direktørens stilling"), max_length=150, blank=True)
    director_signed_sha256 = models.CharField(
        _("SHA-256 af det underskrevne dokument"), max_length=64, blank=True
    )

    class Meta:
        verbose_name = _("tillæg til kontrakt")
        verbose_name_plural = _("tillæg til kontrakter")
        ordering = ["contract", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "version"], name="amendment_version_unique"
            ),
            models.CheckConstraint(condition=Q(version__gte=2), name="amendment_version_after_1"),
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in AmendmentStatus]),
                name="amendment_status_code",
            ),
            # At most one amendment of a contract is being signed at a time.
            models.UniqueConstraint(
                fields=["contract"],
                condition=Q(status="draft"),
                name="amendment_one_draft_per_contract",
            ),
            *PaymentTermsMixin.terms_constraints("amendment"),
        ]

    def __str__(self):
        return f"{self.contract} v{self.version} ({self.valid_from:%d.%m.%Y})"

    @property
    def is_editable(self) -> bool:
        return self.status == AmendmentStatus.DRAFT and not (
            self.chief_signed_at or self.director_signed_at
        )

    @property
    def is_ready_for_signing(self) -> bool:
        return self.status == AmendmentStatus.DRAFT

    @property
    def is_signed(self) -> bool:
        return bool(self.chief_signed_at and self.director_signed_at)


class SigningLink(models.Model):
    """A one-time link that lets the company's director sign one version without an account.

    Only the SHA-256 of the token is stored, in the jobcentre's own schema: the link means
    nothing at another jobcentre, and a database leak does not reveal usable links.
    """

    contract = models.ForeignKey(
        Contract, verbose_name=_("kontrakt"), on_delete=models.CASCADE, related_name="signing_links"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    token_hash = models.CharField(_("token (SHA-256)"), max_length=64, unique=True)
    director_name = models.CharField(_("direktør"), max_length=200)
    email = models.EmailField(_("e-mail"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sendt af"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sendt"), auto_now_add=True)
    expires_at = models.DateTimeField(_("udløber"))
    used_at = models.DateTimeField(_("brugt"), null=True, blank=True)
    used_ip = models.GenericIPAddressField(_("IP-adresse"), null=True, blank=True)
    used_name = models.CharField(_("underskrevet som"), max_length=200, blank=True)
    used_title = models.CharField(_("stilling"), max_length=150, blank=True)
    revoked_at = models.DateTimeField(_("tilbagekaldt"), null=True, blank=True)

    class Meta:
        verbose_name = _("underskriftslink")
        verbose_name_plural = _("underskriftslinks")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="signing_link_version"),
        ]

    def __str__(self):
        return f"{self.contract} v{self.version} -> {self.email}"


class Sha256Hex(models.Func):
    """The SHA-256 of a bytea as 64 hex digits, in PostgreSQL (sha256() is built in since 11)."""

    template = "encode(sha256(%(expressions)s), 'hex')"
    output_field = models.CharField()


class ContractDocumentManager(models.Manager):
    """Leaves the PDF's bytes in the database until someone reads `content` (the download):
    pages list documents by the dozen and need only their state, size and hash."""

    def get_queryset(self):
        return super().get_queryset().defer("content")


class ContractDocument(JobRunBase):
    """A PDF of one contract version and the state of the background job rendering it.

    Previews may be rendered any number of times; the signed PDF of a version exists once
    and is never rendered again (its SHA-256 is the proof of what was signed).
    The PDF itself is stored in the row (`content`, bytea in the jobcentre's schema), so every
    backup of the database - a pg_dump of one jobcentre, a base backup, the WAL archive -
    holds it (docs/operations.md); a file beside the database would be missed by all three.
    """

    class Kind(models.TextChoices):
        PREVIEW = "preview", _("Udkast/forhåndsvisning")
        SIGNED = "signed", _("Underskrevet kontrakt")

    contract = models.ForeignKey(
        Contract, verbose_name=_("kontrakt"), on_delete=models.CASCADE, related_name="documents"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    # The PDF's bytes once rendered (about 100 KB); never served by a public URL, only by
    # the permission-checked download view.
    content = models.BinaryField(_("PDF"), null=True, editable=False)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size_bytes = models.PositiveIntegerField(_("størrelse (bytes)"), null=True, blank=True)
    # A preview's content (SHA-256 of its HTML): asking again for the same content returns
    # the same document instead of rendering a new PDF per click (issue 19).
    content_sha256 = models.CharField(_("indholdets SHA-256"), max_length=64, blank=True)

    objects = ContractDocumentManager()

    class Meta:
        verbose_name = _("kontraktdokument")
        verbose_name_plural = _("kontraktdokumenter")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "version"],
                condition=Q(kind="signed"),
                name="contract_document_signed_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["preview", "signed"]), name="contract_document_kind"
            ),
            JobRunBase.state_constraint("contract_document_state"),
            # A finished PDF always has its bytes, and the bytes are the ones its SHA-256 and
            # size name: the database refuses anything else, whoever writes.
            models.CheckConstraint(
                condition=~Q(state="done") | Q(content__isnull=False),
                name="contract_document_done_has_content",
            ),
            models.CheckConstraint(
                condition=Q(content__isnull=True)
                | Q(sha256=Sha256Hex("content"), size_bytes=Length("content")),
                name="contract_document_content_matches_hash",
            ),
        ]

    def __str__(self):
        return f"{self.contract} v{self.version} {self.kind} ({self.state})"
