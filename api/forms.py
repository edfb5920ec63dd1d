"""Input of the integration page. Rules live in the services; forms only parse."""

from django import forms
from django.utils.translation import gettext_lazy as _

from codes.parse import BoundedDateField

from .rules import SCOPES


class ApiKeyForm(forms.Form):
    name = forms.CharField(label=_("Navn (fx systemets navn)"), max_length=100)
    purpose = forms.CharField(label=_("Formål (står i revisionssporet)"), max_length=200)
    scopes = forms.MultipleChoiceField(
        label=_("Rettigheder"),
        choices=[(scope, f"{scope}: {text}") for scope, text in SCOPES.items()],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Vælg mindst én rettighed.")},
    )
    expires_on = BoundedDateField(label=_("Udløber"))


class InvoiceSettingsForm(forms.Form):
    buyer_gln = forms.CharField(label=_("Kommunens EAN-nummer"), max_length=20, required=False)
    buyer_name = forms.CharField(label=_("Navn på fakturaen"), max_length=200, required=False)
    buyer_reference = forms.CharField(label=_("Købers reference"), max_length=100, required=False)
