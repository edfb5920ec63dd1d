"""Input of the mentor's pages. Rules live in the services; forms only parse."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from centers.models import Centre, Company
from codes.parse import BoundedDateField, BoundedDecimalField, bounded_formfield

from .models import AttendanceStatus, OvoYear
from .rules import MAX_ENDED_COURSE_WEEKS


class AttendanceForm(forms.Form):
    date = BoundedDateField(label=_("Dato"), widget=forms.DateInput())
    status = forms.ChoiceField(label=_("Status"), choices=AttendanceStatus.choices)
    # Text, not a number field: Danish phones type "4,5"; the service parses it.
    hours = forms.CharField(label=_("Timer"), required=False, max_length=10)

    error_messages = {"status": _("Vælg mødt, syg, udeblevet uden besked eller aftalt fravær.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].error_messages["invalid_choice"] = self.error_messages["status"]
        self.fields["status"].error_messages["required"] = self.error_messages["status"]


class ProgressNoteForm(forms.Form):
    work_tasks = forms.CharField(
        label=_("Arbejdsopgaver kandidaten mestrer"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    attendance = forms.CharField(
        label=_("Fremmøde"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cooperation = forms.CharField(
        label=_("Samarbejde"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    next_step = forms.CharField(
        label=_("Næste skridt"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("Hvad er problemet?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Skriv kort, hvad problemet er.")},
    )


class MentorHoursForm(forms.Form):
    centre = forms.ModelChoiceField(label=_("Virksomhedscenter"), queryset=Centre.objects.none())
    week = BoundedDateField(label=_("Uge (en dag i ugen)"))
    # The service checks the bound with its own sentence; the field parses "7,5" and "7.5".
    hours = BoundedDecimalField(label=_("Mentortimer"), places=1)

    def __init__(self, *args, centres, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["centre"].queryset = centres
        self.fields["centre"].error_messages["invalid_choice"] = _(
            "Vælg et af dine virksomhedscentre."
        )


class MentorInviteForm(forms.Form):
    first_name = forms.CharField(label=_("Fornavn"), max_length=150)
    last_name = forms.CharField(label=_("Efternavn"), max_length=150)
    email = forms.EmailField(label=_("E-mail"))
    company = forms.ModelChoiceField(label=_("Virksomhed"), queryset=Company.objects.none())
    centres = forms.ModelMultipleChoiceField(
        label=_("Virksomhedscentre"),
        queryset=Centre.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = Company.objects.order_by("name")
        self.fields["centres"].queryset = Centre.objects.select_related("company").order_by("name")


class MentorSettingsForm(forms.Form):
    """On the jobcentre's settings page (reports); optional there: empty leaves it as it is."""

    ended_course_weeks = forms.IntegerField(
        label=_("Mentorer ser afsluttede forløb i (uger)"),
        help_text=_("Igangværende forløb og forløb afsluttet inden for så mange uger (0-52)."),
        min_value=0,
        max_value=MAX_ENDED_COURSE_WEEKS,
        required=False,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"), _("Skriv et helt antal uger mellem 0 og 52.")
        ),
    )


class OvoYearForm(forms.ModelForm):
    """One year's ØVO figures on the jobcentre's settings page (reports)."""

    class Meta:
        model = OvoYear
        fields = ["year", "cap_per_person", "full_time_persons", "other_spending"]
        formfield_callback = bounded_formfield
        help_texts = {
            "cap_per_person": _("Loftet pr. fuldtidsperson for året, som ministeriet melder det."),
            "full_time_persons": _("Fuldtidspersoner (helårspersoner) i målgrupperne."),
            "other_spending": _("Udgifter til mentor og øvrig vejledning uden for centrene."),
        }

    def clean(self):
        data = super().clean()
        year = data.get("year")
        if year is not None and not 2026 <= year <= 2100:
            self.add_error("year", _("Loftet gælder fra 2026; skriv et år 2026-2100."))
        if data.get("full_time_persons") is not None and data["full_time_persons"] <= 0:
            self.add_error("full_time_persons", _("Antallet skal være over 0."))
        for name in ("cap_per_person", "other_spending"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Beløbet kan ikke være negativt."))
        return data


class MentorGrantForm(forms.Form):
    """A new agreement on mentor support for a place or for one person (a course)."""

    place = forms.TypedChoiceField(label=_("Plads"), coerce=int)
    course = forms.TypedChoiceField(
        label=_("Person (forløb)"), coerce=int, required=False, empty_value=None
    )
    start = BoundedDateField(label=_("Fra"))
    end = BoundedDateField(
        label=_("Til og med"),
        help_text=_("Højst 6 måneder pr. aftale; forlæng med en ny aftale."),
    )
    # Not Django's localized DecimalField: under "da" it drops "." as a thousands separator,
    # so "4.5" hours became 45 (issue 23); codes.parse reads comma and point alike.
    hours_per_week = BoundedDecimalField(
        label=_("Timer pr. uge"), min_value=Decimal(0), max_value=Decimal("9999.9"), places=1
    )
    hourly_rate = BoundedDecimalField(
        label=_("Timesats (kr.)"), min_value=Decimal(0), max_value=Decimal("999999.99"), places=2
    )
    purpose = forms.CharField(
        label=_("Formål"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def __init__(self, *args, places, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].choices = [(p.pk, _("Plads %s") % p.number) for p in places]
        self.fields["course"].choices = [("", _("Hele pladsen (flere personer)"))] + [
            (
                c.pk,
                _("Forløb %(id)s, plads %(place)s, fra %(start)s")
                % {"id": c.pk, "place": c.place.number, "start": f"{c.start:%d.%m.%Y}"},
            )
            for c in courses
        ]


class MentorGrantExtendForm(forms.Form):
    end = BoundedDateField(label=_("Ny aftale til og med"))
