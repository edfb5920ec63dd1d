from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from codes.parse import BoundedDateField, bounded_formfield

from .models import JobcenterCost, JobcenterSettings

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
    class Meta:
        model = JobcenterSettings
        fields = ["target_group_size", "yearly_benefit_saving"]
        formfield_callback = bounded_formfield


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
