from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from codes.parse import BoundedDateField, bounded_formfield

from .models import JobcenterCost, JobcenterSettings
from .rules import month_parse

MAX_PERIOD_DAYS = 366 * 11


class PeriodForm(forms.Form):
    period_from = BoundedDateField(label=_("Fra"))
    period_to = BoundedDateField(label=_("Til"))

    def clean(self):
        data = super().clean()
        start, end = data.get("period_from"), data.get("period_to")
        if start and end:
            if end < start:
                raise forms.ValidationError(_("Perioden slutter før den starter."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Vælg en periode på højst 11 år."))
            if start < date(2000, 1, 1):
                raise forms.ValidationError(_("Perioden kan tidligst starte 1. januar 2000."))
        return data


class JobcenterSettingsForm(forms.ModelForm):
    baseline_month = forms.CharField(
        label=_("Kampagnens udgangsmåned (ÅÅÅÅ-MM)"),
        required=False,
        max_length=7,
        help_text=_("Ændringen i personer i aktivering regnes fra denne måned, fx 2009-06."),
    )

    class Meta:
        model = JobcenterSettings
        fields = ["target_group_size", "goal1_target_persons", "yearly_benefit_saving"]
        formfield_callback = bounded_formfield

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.campaign_baseline_month and not self.is_bound:
            self.initial["baseline_month"] = f"{self.instance.campaign_baseline_month:%Y-%m}"

    def clean_baseline_month(self):
        text = self.cleaned_data.get("baseline_month") or ""
        if not text.strip():
            return None
        try:
            return month_parse(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None

    def clean(self):
        data = super().clean()
        # the model's field: the month's first day
        data["campaign_baseline_month"] = data.pop("baseline_month", None)
        return data


class JobcenterCostForm(forms.ModelForm):
    class Meta:
        model = JobcenterCost
        fields = ["year", "jobkonsulent_salaries", "mentor_courses"]
        formfield_callback = bounded_formfield

    def clean(self):
        data = super().clean()
        for name in ("jobkonsulent_salaries", "mentor_courses"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Beløbet kan ikke være negativt."))
        year = data.get("year")
        if year is not None and not 2000 <= year <= 2100:
            self.add_error("year", _("Året skal ligge mellem 2000 og 2100."))
        return data
