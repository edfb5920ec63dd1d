from django import forms
from django.utils.translation import gettext_lazy as _


class JobcenterCreationForm(forms.Form):
    name = forms.CharField(label=_("Navn"), max_length=200, help_text=_('fx "Jobcenter Skive"'))
    schema_name = forms.CharField(label=_("Skemanavn"), max_length=63, help_text=_("fx skive"))
    domain = forms.CharField(label=_("Domæne"), max_length=253, help_text=_("fx skive.localhost"))
    municipality_code = forms.CharField(
        label=_("Kommunekode"), max_length=3, help_text=_("tre cifre, fx 779")
    )
    admin_email = forms.EmailField(
        label=_("Første administrators e-mail"),
        help_text=_("Administratoren sætter sin adgangskode via 'Glemt adgangskode'."),
    )
