"""Virksomhed (company), its arbejdssteder (workplaces, one per P-number), Virksomhedscenter
(centre at a workplace) and Plads (a place)."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from codes.lists import Branche, OrganisationModel, Sector  # noqa: F401 - re-exported
from codes.tracking import ChangeTracked

from .validators import validate_cvr, validate_p_number


class ImportRefMixin(models.Model):
    """The `ref` a row had in an import file; makes a re-import update instead of duplicate."""

    import_ref = models.CharField(
        _("importnøgle"), max_length=60, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        abstract = True


class VatCategory(models.TextChoices):
    """The company's VAT position on its invoices to the municipality (UNCL5305 codes, as
    Peppol BIS Billing 3.0 writes them). Mentor support bought by a municipality is normally
    outside the scope of VAT (O), but the company's position varies: its own accountant
    decides, so it is a setting per company, never a rule of ours."""

    OUTSIDE_SCOPE = "O", _("Uden for momsområdet")
    STANDARD = "S", _("Momspligtig, 25 %")
    EXEMPT = "E", _("Momsfritaget")


class Company(ChangeTracked, ImportRefMixin):
    Branche = Branche

    Sector = Sector

    name = models.CharField(_("navn"), max_length=200)
    cvr = models.CharField(_("CVR-nummer"), max_length=8, validators=[validate_cvr])
    # Chains (Føtex, Kvickly) share one CVR; the production unit tells the sites apart.
    p_number = models.CharField(
        _("P-nummer"), max_length=10, blank=True, validators=[validate_p_number]
    )
    branche = models.CharField(_("branche"), max_length=20, choices=Branche.choices)
    sector = models.CharField(_("sektor"), max_length=10, choices=Sector.choices)
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)
    employees = models.PositiveIntegerField(_("antal ansatte"), null=True, blank=True)
    contact_name = models.CharField(_("kontaktperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("kontaktpersonens e-mail"), blank=True)
    contact_phone = models.CharField(_("kontaktpersonens telefon"), max_length=30, blank=True)
    union_rep = models.CharField(_("tillidsrepræsentant"), max_length=200, blank=True)
    # The VAT category of the company's electronic invoices (billing/einvoice.py).
    vat_category = models.CharField(
        _("momskategori på fakturaer"),
        max_length=1,
        choices=VatCategory.choices,
        default=VatCategory.OUTSIDE_SCOPE,
    )
    # Changed-since filtering of the integration API (api/): bumped by every save(), also
    # with update_fields (codes.tracking.ChangeTracked).
    updated_at = models.DateTimeField(_("ændret"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("virksomhed")
        verbose_name_plural = _("virksomheder")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cvr__regex=r"^[1-9][0-9]{7}$"), name="company_cvr_8_digits"
            ),
            models.CheckConstraint(
                condition=Q(p_number="") | Q(p_number__regex=r"^[0-9]{10}$"),
                name="company_p_number_10_digits",
            ),
            models.UniqueConstraint(
                fields=["p_number"], condition=~Q(p_number=""), name="company_p_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(branche__in=[c.value for c in Branche]), name="company_branche_code"
            ),
            models.CheckConstraint(
                condition=Q(sector__in=[c.value for c in Sector]), name="company_sector_code"
            ),
            models.CheckConstraint(
                condition=Q(vat_category__in=[c.value for c in VatCategory]),
                name="company_vat_category_code",
            ),
        ]

    def __str__(self):
        return f"{self.name} (CVR {self.cvr})"


class Workplace(ChangeTracked, models.Model):
    """An arbejdssted: one production unit (P-number) of a company, the unit the staff-ratio
    rule (rimelighedskravet, contracts.rules.staff_ratio_limit) counts. A chain has one CVR
    and many workplaces."""

    touches = ("company",)  # the API shows these rows inside their company

    company = models.ForeignKey(
        Company, verbose_name=_("virksomhed"), on_delete=models.CASCADE, related_name="workplaces"
    )
    name = models.CharField(_("navn"), max_length=200)
    # Blank only on workplaces migrated from a company without a P-number; new ones need it.
    p_number = models.CharField(
        _("P-nummer"), max_length=10, blank=True, validators=[validate_p_number]
    )
    address = models.CharField(_("adresse"), max_length=200, blank=True)
    postal_code = models.CharField(_("postnummer"), max_length=4, blank=True)
    city = models.CharField(_("by"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("arbejdssted")
        verbose_name_plural = _("arbejdssteder")
        ordering = ["company__name", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(p_number="") | Q(p_number__regex=r"^[0-9]{10}$"),
                name="workplace_p_number_10_digits",
            ),
            models.UniqueConstraint(
                fields=["p_number"],
                condition=~Q(p_number=""),
                name="workplace_p_number_unique",
                violation_error_message=_("Der findes allerede et arbejdssted med dette P-nummer."),
            ),
        ]

    def __str__(self):
        return self.label(self.name, self.p_number)

    @staticmethod
    def label(name: str, p_number: str) -> str:
        """How a workplace is named in the pages' messages (also contracts.selectors'
        WorkplaceRef)."""
        return f"{name} (P-nr. {p_number})" if p_number else name


class WorkplaceRecord(models.Model):
    """Who recorded a workplace fact in the application, and when (the audit log has more)."""

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registreret af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("registreret"), auto_now_add=True)

    class Meta:
        abstract = True


class WorkplaceEmployees(WorkplaceRecord):
    """The workplace's ordinary employees as someone stated them on a date; the latest
    statement on or before a day is the one the staff-ratio rule uses. Full-time equivalents,
    the average of the last 4 months, without subsidised staff and staff under 18
    (BEK nr. 2636 af 28/12/2021 § 65, stk. 3-4)."""

    workplace = models.ForeignKey(
        Workplace,
        verbose_name=_("arbejdssted"),
        on_delete=models.CASCADE,
        related_name="employee_counts",
    )
    ordinary_employees = models.DecimalField(
        _("ordinært ansatte (fuldtidspersoner)"),
        max_digits=7,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0))],
    )
    stated_on = models.DateField(_("oplyst den"))
    stated_by = models.CharField(_("oplyst af"), max_length=200)

    class Meta:
        verbose_name = _("antal ordinært ansatte")
        verbose_name_plural = _("antal ordinært ansatte")
        ordering = ["workplace", "-stated_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ordinary_employees__gte=0), name="workplace_employees_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.workplace}: {self.ordinary_employees} ({self.stated_on:%d.%m.%Y})"


class WorkplaceOtherPlacement(WorkplaceRecord):
    """Persons in virksomhedspraktik or wage subsidy at the workplace that this jobcentre did
    not place (another jobcentre's, the company's own subsidised staff), as the jobkonsulent
    learned them; they count against the staff-ratio limit from start to end."""

    workplace = models.ForeignKey(
        Workplace,
        verbose_name=_("arbejdssted"),
        on_delete=models.CASCADE,
        related_name="other_placements",
    )
    persons = models.PositiveSmallIntegerField(_("antal personer"))
    placed_by = models.CharField(_("placeret af"), max_length=200)
    start = models.DateField(_("fra"))
    end = models.DateField(_("til"), null=True, blank=True)

    class Meta:
        verbose_name = _("placering ved andre")
        verbose_name_plural = _("placeringer ved andre")
        ordering = ["workplace", "-start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(persons__gte=1), name="workplace_other_placement_persons"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="workplace_other_placement_end_after_start",
            ),
        ]

    def __str__(self):
        return f"{self.workplace}: {self.persons} ({self.placed_by})"


class WorkplaceStatement(WorkplaceRecord):
    """The written statement (skriftlig tilkendegivelse) from the employer and an employee
    representative at the P-number on whether the staff-ratio condition is met; it must
    exist before a placement starts (BEK nr. 2636 af 28/12/2021 § 65, stk. 6)."""

    workplace = models.ForeignKey(
        Workplace,
        verbose_name=_("arbejdssted"),
        on_delete=models.CASCADE,
        related_name="statements",
    )
    given_on = models.DateField(_("givet den"))
    employer_name = models.CharField(_("for arbejdsgiveren"), max_length=200)
    representative_name = models.CharField(_("medarbejderrepræsentant"), max_length=200)
    representative_role = models.CharField(
        _("repræsentantens rolle"),
        max_length=100,
        help_text=_("Fx tillidsrepræsentant for faggruppen på P-nummeret."),
    )
    ratio_reasonable = models.BooleanField(
        _("der er et rimeligt forhold mellem ordinært ansatte og personer med tilskud")
    )
    text = models.TextField(_("hvad tilkendegivelsen siger"), blank=True)

    class Meta:
        verbose_name = _("skriftlig tilkendegivelse")
        verbose_name_plural = _("skriftlige tilkendegivelser")
        ordering = ["workplace", "-given_on", "-id"]

    def __str__(self):
        return f"{self.workplace}: {self.given_on:%d.%m.%Y}"


class Centre(ChangeTracked, ImportRefMixin):
    OrganisationModel = OrganisationModel

    # Only these two models spread candidates over other companies.
    NETWORK_MODELS = (OrganisationModel.NETVAERKSBASERET, OrganisationModel.SATELLITBASERET)

    company = models.ForeignKey(
        Company, verbose_name=_("virksomhed"), on_delete=models.PROTECT, related_name="centres"
    )
    # The workplace (P-number) the centre's candidates are placed at; the staff-ratio rule
    # counts there. Null only for a centre nobody has placed at a workplace yet.
    workplace = models.ForeignKey(
        Workplace,
        verbose_name=_("arbejdssted"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="centres",
    )
    name = models.CharField(_("navn"), max_length=200)
    organisation_model = models.CharField(
        _("organisationsmodel"), max_length=30, choices=OrganisationModel.choices
    )
    network_companies = models.ManyToManyField(
        Company,
        verbose_name=_("netværksvirksomheder"),
        blank=True,
        related_name="network_centres",
        help_text=_("Kun for netværks- og satellitbaserede centre."),
    )
    work_tasks = ArrayField(
        models.CharField(max_length=100), verbose_name=_("arbejdsopgaver"), default=list, blank=True
    )
    special_requirements = models.TextField(_("særlige krav"), blank=True)
    requires_clean_record = models.BooleanField(_("kræver ren straffeattest"), default=False)
    support_activities = ArrayField(
        models.CharField(max_length=100),
        verbose_name=_("understøttende aktiviteter"),
        default=list,
        blank=True,
    )
    consultant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("fast jobkonsulent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultant_centres",
    )
    # Changed-since filtering of the integration API (api/): bumped by every save(), also
    # with update_fields (codes.tracking.ChangeTracked).
    updated_at = models.DateTimeField(_("ændret"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("virksomhedscenter")
        verbose_name_plural = _("virksomhedscentre")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation_model__in=[c.value for c in OrganisationModel]),
                name="centre_organisation_model_code",
            ),
        ]

    def __str__(self):
        return self.name


class Place(models.Model):
    """One place (plads) under a contract. Holds at most one course at a time."""

    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("kontrakt"),
        on_delete=models.CASCADE,
        related_name="place_set",
    )
    number = models.PositiveSmallIntegerField(_("nummer"))

    class Meta:
        verbose_name = _("plads")
        verbose_name_plural = _("pladser")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="place_number_unique"),
            models.CheckConstraint(condition=Q(number__gte=1), name="place_number_positive"),
        ]

    def __str__(self):
        return f"{_('Plads')} {self.number}"
