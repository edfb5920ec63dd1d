"""Virksomhed (company), Virksomhedscenter (centre at a company) and Plads (a place)."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from codes.lists import Branche, OrganisationModel, Sector  # noqa: F401 - re-exported

from .validators import validate_cvr, validate_p_number


class ImportRefMixin(models.Model):
    """The `ref` a row had in an import file; makes a re-import update instead of duplicate."""

    import_ref = models.CharField(
        _("importnøgle"), max_length=60, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        abstract = True


class Company(ImportRefMixin):
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
        ]

    def __str__(self):
        return f"{self.name} (CVR {self.cvr})"


class Centre(ImportRefMixin):
    OrganisationModel = OrganisationModel

    # Only these two models spread candidates over other companies.
    NETWORK_MODELS = (OrganisationModel.NETVAERKSBASERET, OrganisationModel.SATELLITBASERET)

    company = models.ForeignKey(
        Company, verbose_name=_("virksomhed"), on_delete=models.PROTECT, related_name="centres"
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
