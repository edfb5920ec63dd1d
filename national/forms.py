from django import forms
from django.utils.translation import gettext_lazy as _


class ConsentForm(forms.Form):
    consented = forms.TypedChoiceField(
        label=_("Deltager jobcentret i landsoversigten?"),
        choices=[("1", _("Ja, del jobcentrets nøgletal")), ("0", _("Nej"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
