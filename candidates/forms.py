"""Forms of the candidate pages: they parse input; the services hold the rules."""

from datetime import date
from decimal import Decimal
from functools import lru_cache

from django import forms
from django.utils import translation
from django.utils.safestring import SafeString
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from codes.cpr import cpr_clean
from codes.parse import BoundedDateField, BoundedDecimalField

from . import rules
from .models import Barrier, Candidate, Goal, LegalFrame, Outcome, TargetGroup

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Hours through codes.parse: a Danish "25,5" is 25.5 hours (issue 23 saw it become 255).
HOURS = {"min_value": Decimal(0), "max_value": rules.MAX_HOURS_PER_WEEK, "places": 1}


class CprLookupForm(forms.Form):
    cpr = forms.CharField(
        label=_("CPR-nummer"),
        max_length=11,
        help_text=_("10 cifre, med eller uden bindestreg."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )

    def clean_cpr(self):
        return cpr_clean(self.cleaned_data["cpr"])


class CandidateForm(forms.ModelForm):
    barriers = forms.MultipleChoiceField(
        label=_("Barrierer"),
        choices=Barrier.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Candidate
        fields = [
            "name",
            "phone",
            "email",
            "benefit",
            "on_benefit_over_1_year",
            "matchgruppe",
            "education",
            "labour_market_years",
            "barriers",
            "wishes",
        ]
        widgets = {"wishes": forms.Textarea(attrs={"rows": 2})}

    matchgruppe = forms.TypedChoiceField(
        label=_("Matchgruppe"),
        choices=[("", "-")] + [(n, str(n)) for n in range(1, 6)],
        coerce=int,
        empty_value=None,
        required=False,
    )


class ReferralForm(forms.Form):
    reason = forms.CharField(
        label=_("Begrundelse for henvisning"), widget=forms.Textarea(attrs={"rows": 3})
    )
    wishes = forms.CharField(
        label=_("Kandidatens ønsker til arbejde"),
        required=False,
        help_text=_("Fx butik, lager, kasse. Bruges til at finde et passende center."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CourseStartForm(forms.Form):
    contract = forms.IntegerField(widget=forms.HiddenInput)
    start = BoundedDateField(label=_("Start"), widget=DATE)
    hours_per_week = BoundedDecimalField(label=_("Timer pr. uge"), **HOURS)
    legal_frame = forms.ChoiceField(label=_("Lovgrundlag"), choices=LegalFrame.choices)
    # Recorded on the candidate from the start day at visitation (LAB § 6); "ikke angivet"
    # is refused by the service with the reason.
    target_group = forms.ChoiceField(
        label=_("Målgruppe"), choices=TargetGroup.choices, required=False
    )


class TargetGroupForm(forms.Form):
    """The candidate's target group from a date (the history keeps the earlier ones)."""

    target_group = forms.ChoiceField(
        label=_("Målgruppe"),
        choices=[c for c in TargetGroup.choices if c[0] != TargetGroup.IKKE_ANGIVET],
    )
    valid_from = BoundedDateField(label=_("Gælder fra"), widget=DATE)


def target_group_form_html(*, target_group: str, today: date) -> SafeString:
    """The empty TargetGroupForm of the candidate page (the current group chosen, today as
    the date), as Django renders it. Rendered once per group, day and language: the
    widget templates (one include per option of the 13 groups) cost a fifth of the page
    (issue 24); the form shown is always unbound (an error is shown by the redirect's
    message), so its HTML depends on nothing else."""
    return _target_group_form_html(translation.get_language(), target_group, today)


@lru_cache(maxsize=64)
def _target_group_form_html(language: str, target_group: str, today: date) -> SafeString:
    del language  # the cache's key only: the labels are translated in the active language
    form = TargetGroupForm(initial={"target_group": target_group, "valid_from": today})
    return form.as_p()


class HoursForm(forms.Form):
    valid_from = BoundedDateField(label=_("Gælder fra"), widget=DATE)
    hours_per_week = BoundedDecimalField(label=_("Timer pr. uge"), **HOURS)


class GoalForm(forms.Form):
    text = forms.CharField(label=_("Mål"), max_length=300)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class GoalProgressForm(forms.Form):
    progress = forms.TypedChoiceField(
        label=_("Progression"), choices=Goal.Progress.choices, coerce=int
    )


class NoteForm(forms.Form):
    date = BoundedDateField(label=_("Dato"), widget=DATE)
    text = forms.CharField(label=_("Notat"), widget=forms.Textarea(attrs={"rows": 3}))


class ExtensionForm(forms.Form):
    new_planned_end = BoundedDateField(label=_("Ny planlagt slutdato"), widget=DATE)
    reason = forms.CharField(
        label=_("Begrundelse (individuel vurdering)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    representatives_consulted_on = BoundedDateField(
        label=_("Medarbejderrepræsentanter hørt den"),
        required=False,
        help_text=format_lazy(
            _("Kræves ved forlængelse ud over {normal} og {extended} uger."),
            **rules.WEEKS_FOR_PAGES,
        ),
        widget=DATE,
    )
    very_special_need = forms.CharField(
        label=_("Helt særligt behov (ud over 26 uger)"),
        required=False,
        help_text=_(
            "Kræves ved forlængelse ud over 26 uger, og derefter højst 13 uger ad gangen "
            "(LAB § 61, stk. 2)."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EndForm(forms.Form):
    end = BoundedDateField(label=_("Slutdato"), widget=DATE)
    outcome = forms.ChoiceField(
        label=_("Udslusning"), choices=[("", "-- vælg --")] + list(Outcome.choices)
    )


class FollowUpForm(forms.Form):
    weeks = forms.TypedChoiceField(
        label=_("Opfølgning efter"),
        choices=[(w, format_lazy(_("{weeks} uger"), weeks=w)) for w in rules.FOLLOW_UP_WEEKS],
        coerce=int,
    )
    self_supporting = forms.TypedChoiceField(
        label=_("Selvforsørgende"),
        choices=[("1", _("Ja")), ("0", _("Nej"))],
        coerce=lambda v: v == "1",
    )
