"""Forms of the contract pages. They parse input; the services hold the rules."""

from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from centers.models import (
    Centre,
    Company,
    Workplace,
    WorkplaceEmployees,
    WorkplaceOtherPlacement,
    WorkplaceStatement,
)
from codes.lists import Barrier
from codes.parse import BoundedDateField, bounded_formfield

from .models import (
    MIN_PLACES_RECOMMENDED,
    NORMAL_COURSE_WEEKS,
    Amendment,
    Contract,
    ContractTemplate,
    PaymentModel,
    TerminationCause,
)
from .rules import STANDARD_PARAGRAPHS, approval_settings_problem, committees_parse
from .services import (
    EDITABLE_FIELDS,
    TERMS_FIELDS,
    contract_fields_validate,
    contract_terms_validate,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# The concept's own wording until the jobcentre writes its own (contracts.models.ContractTemplate).
DEFAULT_TEXTS = STANDARD_PARAGRAPHS


def mentor_hours_for(places: int) -> Decimal:
    """The concept's rule of thumb: 10 h a week for 4 places, 15 h for 8 (1.25 h per place).

    In the column's precision (one decimal): the form once refused its own "10.00"."""
    hours = Decimal(10) + (Decimal(places) - MIN_PLACES_RECOMMENDED) * Decimal("1.25")
    return hours.quantize(Decimal("0.1"))


def contract_initial(*, today: date, centre: Centre | None = None) -> dict:
    """Sensible defaults for a new draft: two years from next month, 4 places, 13-week courses."""
    start = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    initial = {
        "start": start,
        "end": start.replace(year=start.year + 2) - timedelta(days=1),
        "places": MIN_PLACES_RECOMMENDED,
        "course_weeks": NORMAL_COURSE_WEEKS,
        "mentor_hours_per_week": mentor_hours_for(MIN_PLACES_RECOMMENDED),
        "payment_model": PaymentModel.PER_PLACE_MONTH,
        "payment_amount": Decimal(1500),
        "establishment_amount": Decimal(0),
        "goal_ordinary_job_pct": 20,
        "goal_education_pct": 10,
        "target_age_min": 18,
    }
    # The jobcentre's standard paragraphs (or the concept's until it has written its own).
    template = ContractTemplate.current()
    initial |= {name: getattr(template, name) for name in ContractTemplate.TEXT_FIELDS}
    if centre is not None:
        initial["centre"] = centre.pk
        initial["work_tasks"] = "\n".join(centre.work_tasks)
        if centre.support_activities:
            initial["support_activities"] = "\n".join(centre.support_activities)
        initial["director_name"] = ""
    return initial


class TermsCleanMixin:
    """The services' Danish messages on incomplete payment terms, shown at the field."""

    def clean(self):
        cleaned = super().clean()
        checks = [lambda: contract_fields_validate(cleaned)]
        if all(name in cleaned for name in ("payment_model", "places")):
            checks.append(
                lambda: contract_terms_validate(
                    payment_model=cleaned.get("payment_model"),
                    payment_amount=cleaned.get("payment_amount"),
                    payment_hourly_rate=cleaned.get("payment_hourly_rate"),
                    payment_hours_per_week=cleaned.get("payment_hours_per_week"),
                    places=cleaned.get("places"),
                )
            )
        for check in checks:
            try:
                check()
            except forms.ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    for error in errors:
                        self.add_error(field if field in self.fields else None, error)
        return cleaned

    def _post_clean(self):
        # clean() gave the Danish version of the table's checks; the model's generic
        # "constraint violated" texts would only repeat them in worse words.
        if not self._errors:
            super()._post_clean()


class ContractForm(TermsCleanMixin, forms.ModelForm):
    target_barriers = forms.MultipleChoiceField(
        label=_("Målgruppe: barrierer"),
        choices=Barrier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Contract
        fields = EDITABLE_FIELDS
        formfield_callback = bounded_formfield
        widgets = {
            "start": DATE_INPUT,
            "end": DATE_INPUT,
            **{
                name: forms.Textarea(attrs={"rows": 3})
                for name in (
                    "goals_text",
                    "target_group",
                    "work_tasks",
                    "support_activities",
                    "reception",
                    "absence_handling",
                    "udslusning",
                )
            },
        }
        help_texts = {
            "places": _("Konceptet anbefaler mindst 4 pladser."),
            "mentor_hours_per_week": _("Tommelfingerregel: 10 timer for 4 pladser, 15 for 8."),
            "payment_amount": _("Pr. kandidat pr. påbegyndt uge eller pr. plads pr. måned."),
            "payment_hourly_rate": _("Ved frikøb: typisk 170-250 kr. i timen."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = Centre.objects.select_related("company").order_by("name")


class ApprovalForm(forms.Form):
    """One approval of the draft: the step (the jobcentre's own), who, when and what."""

    step = forms.ChoiceField(label=_("Godkendelsestrin"))
    approved_by = forms.CharField(label=_("Navn på godkender eller møde"), max_length=200)
    # No future window here: the service's sharper bound (not after today) says it better.
    approved_on = BoundedDateField(
        label=_("Dato for godkendelse"), widget=DATE_INPUT, latest=date.max
    )
    statement = forms.CharField(
        label=_("Udtalelse eller beslutning"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Hvad godkenderen udtalte eller besluttede, fx om rimelighedskravet."),
    )

    def __init__(self, *args, steps: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].choices = [(step, step) for step in steps]


class ApprovalSettingsForm(forms.Form):
    """On the jobcentre's settings page (reports): the approval steps before signing.

    Optional there, like the mentors' setting: a post without it leaves it as it is
    (`employee_statement` None).
    """

    employee_statement = forms.TypedChoiceField(
        label=_(
            "Medarbejderrepræsentantens udtalelse om rimelighedskravet og arbejdsopgaverne kræves"
        ),
        choices=[("yes", _("Ja")), ("no", _("Nej"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
    )
    committees = forms.CharField(
        label=_("Udvalg der skal godkende kontrakten"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Ét udvalg pr. linje, fx Beskæftigelsesudvalget eller MED-udvalget."),
    )

    def clean_committees(self) -> list[str]:
        return committees_parse(self.cleaned_data.get("committees", ""))

    def clean(self):
        data = super().clean()
        if "committees" in data and data.get("employee_statement") is not None:
            problem = approval_settings_problem(
                employee_statement=data["employee_statement"],
                committees=data["committees"],
            )
            if problem:
                self.add_error("committees", problem)
        return data


class ChiefSignForm(forms.Form):
    name = forms.CharField(label=_("Dit fulde navn"), max_length=300, required=False)
    title = forms.CharField(
        label=_("Din stilling"),
        max_length=150,
        required=False,
        help_text=_("Står under din underskrift, fx Jobcenterchef."),
    )
    password = forms.CharField(
        label=_("Din adgangskode"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Underskriften er en bevidst handling: bekræft med din adgangskode."),
    )


class SigningLinkForm(forms.Form):
    director_name = forms.CharField(label=_("Direktørens navn"), max_length=200)
    director_email = forms.EmailField(label=_("Direktørens e-mail"))


class DirectorSignForm(forms.Form):
    name = forms.CharField(label=_("Dit fulde navn"), max_length=200)
    title = forms.CharField(
        label=_("Din stilling"), max_length=150, help_text=_("Fx Direktør eller Indehaver.")
    )
    # The SHA-256 of the PDF the page showed: what the director signs.
    document_sha256 = forms.CharField(
        widget=forms.HiddenInput,
        max_length=64,
        error_messages={"required": _("Vent til kontrakten er vist som PDF, og underskriv så.")},
    )
    accept = forms.BooleanField(
        label=_("Jeg har læst kontrakten og underskriver den på virksomhedens vegne."),
        required=True,
    )


class AmendmentForm(TermsCleanMixin, forms.ModelForm):
    class Meta:
        model = Amendment
        fields = ("valid_from", "reason", *TERMS_FIELDS)
        formfield_callback = bounded_formfield
        widgets = {"valid_from": DATE_INPUT, "reason": forms.Textarea(attrs={"rows": 3})}


# --- Workplaces and the staff-ratio rule (the facts centers.services records) ------------


class WorkplaceForm(forms.ModelForm):
    class Meta:
        model = Workplace
        fields = ("company", "name", "p_number", "address", "postal_code", "city")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.order_by("name")


class WorkplaceEmployeesForm(forms.ModelForm):
    class Meta:
        model = WorkplaceEmployees
        fields = ("ordinary_employees", "stated_on", "stated_by")
        formfield_callback = bounded_formfield
        help_texts = {
            "ordinary_employees": _(
                "Fuldtidspersoner, gennemsnit af de seneste 4 måneder; uden ansatte med "
                "offentligt tilskud og ansatte under 18 år."
            )
        }


class WorkplaceOtherPlacementForm(forms.ModelForm):
    class Meta:
        model = WorkplaceOtherPlacement
        fields = ("persons", "placed_by", "start", "end")
        formfield_callback = bounded_formfield
        help_texts = {
            "placed_by": _("Fx et andet jobcenter eller virksomhedens egne løntilskudsansatte.")
        }


class WorkplaceStatementForm(forms.ModelForm):
    class Meta:
        model = WorkplaceStatement
        fields = (
            "given_on",
            "employer_name",
            "representative_name",
            "representative_role",
            "ratio_reasonable",
            "text",
        )
        formfield_callback = bounded_formfield
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}


class CentreWorkplaceForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Virksomhedscenter"), queryset=Centre.objects.none())

    def __init__(self, *args, workplace: Workplace, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = Centre.objects.filter(
            Q(company=workplace.company_id) | Q(network_companies=workplace.company_id)
        ).distinct()


class TerminationForm(forms.Form):
    """Early termination: the date the contract ends, why, and the reason written out."""

    terminated_on = BoundedDateField(label=_("Kontrakten ophører den"), widget=DATE_INPUT)
    cause = forms.ChoiceField(
        label=_("Årsag"),
        choices=TerminationCause.choices,
        error_messages={"invalid_choice": _("Vælg årsagen til opsigelsen.")},
    )
    reason = forms.CharField(
        label=_("Begrundelse"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class ContractTemplateForm(forms.ModelForm):
    """The jobcentre's standard paragraphs for new contracts."""

    class Meta:
        model = ContractTemplate
        fields = ContractTemplate.TEXT_FIELDS
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in ContractTemplate.TEXT_FIELDS}
