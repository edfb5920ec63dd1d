from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import JobcenterCost, JobcenterSettings

MAX_PERIOD_DAYS = 366 * 11


class PeriodForm(forms.Form):
    period_from = forms.DateField(label=_("Fra"), widget=forms.DateInput(attrs={"type": "date"}))
    period_to = forms.DateField(label=_("Til"), widget=forms.DateInput(attrs={"type": "date"}))

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
    class Meta:
        model = JobcenterSettings
        fields = ["target_group_size", "yearly_benefit_saving"]


class JobcenterCostForm(forms.ModelForm):
    class Meta:
        model = JobcenterCost
        fields = ["year", "jobkonsulent_salaries", "mentor_courses"]

    def clean(self):
        data = super().clean()
        for name in ("jobkonsulent_salaries", "mentor_courses"):
            if data.get(name) is not None and data[name] < 0:
                self.add_error(name, _("Beløbet kan ikke være negativt."))
        year = data.get("year")
        if year is not None and not 2000 <= year <= 2100:
            self.add_error("year", _("Året skal ligge mellem 2000 og 2100."))
        return data
