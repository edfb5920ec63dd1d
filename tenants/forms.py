from django import forms
from django.utils.translation import gettext_lazy as _

from .models import JobcenterClosure


class JobcenterCloseForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Jobcentrets data"),
        choices=JobcenterClosure.Mode.choices,
        initial=JobcenterClosure.Mode.ARCHIVED,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Begrundelse"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    confirmation = forms.CharField(
        label=_("Skriv jobcentrets skemanavn for at bekræfte"), max_length=63
    )
