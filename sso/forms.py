"""The admin's forms for the jobcentre's identity providers and sign-in policy."""

from django import forms
from django.utils.translation import gettext_lazy as _

from . import rules
from .saml_config import idp_from_metadata

ROLE_MAP_HELP = _(
    "Én linje pr. værdi: 'værdi = rolle'. Roller: jobkonsulent, sagsbehandler, mentor, "
    "jobcenterchef, admin. En bruger uden nogen af værdierne kan ikke logge ind."
)


MITID_LABELS = {
    "uid": _("MitID Erhverv: claim med medarbejderens faste id"),
    "cvr": _("MitID Erhverv: claim med CVR-nummer"),
    "p_number": _("MitID Erhverv: claim med P-nummer"),
    "org_name": _("MitID Erhverv: claim med virksomhedens navn"),
    "first_name": _("MitID Erhverv: claim med fornavn"),
    "last_name": _("MitID Erhverv: claim med efternavn"),
}


class _ProviderForm(forms.Form):
    name = forms.CharField(label=_("Navn på knappen"), max_length=40)
    slug = forms.SlugField(label=_("Kort navn (i adresser)"), max_length=40)
    audience = forms.ChoiceField(
        label=_("Hvem logger ind med den"),
        choices=[
            (rules.AUDIENCE_STAFF, _("Personalet (kommunens login)")),
            (rules.AUDIENCE_MENTOR, _("Virksomhedsmentorer (MitID Erhverv)")),
        ],
        initial=rules.AUDIENCE_STAFF,
        required=False,
    )
    role_claim = forms.CharField(
        label=_("Rolle-claim / attribut"),
        max_length=200,
        required=False,
        help_text=_("Kun for personalet."),
    )
    role_map = forms.CharField(
        label=_("Værdier og roller"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=ROLE_MAP_HELP,
        required=False,
    )
    assurance_claim = forms.CharField(
        label=_("Claim / attribut med sikringsniveau"), max_length=200, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # NemLog-in's names (sso.rules.MITID_CLAIMS) unless the broker renames them.
        for key, label in MITID_LABELS.items():
            self.fields[f"claim_{key}"] = forms.CharField(
                label=label,
                max_length=200,
                required=False,
                initial=rules.MITID_CLAIMS[key],
                help_text=_("Kun for mentorer. Tom: NemLog-ins navn."),
            )

    def clean_role_map(self):
        try:
            return rules.parse_role_map(self.cleaned_data["role_map"])
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc

    def clean(self):
        data = super().clean()
        data["audience"] = data.get("audience") or rules.AUDIENCE_STAFF
        if (
            data["audience"] == rules.AUDIENCE_STAFF
            and "role_map" not in self.errors
            and not ((data.get("role_claim") or "").strip() and data.get("role_map"))
        ):
            raise forms.ValidationError(
                _("Angiv rolle-claim/attribut og mindst én værdi = rolle for personalet.")
            )
        return data


class OidcProviderForm(_ProviderForm):
    issuer = forms.URLField(
        label=_("Issuer (OpenID Connect)"), max_length=500, assume_scheme="https"
    )
    client_id = forms.CharField(label=_("Client id"), max_length=191)
    secret = forms.CharField(
        label=_("Client secret"),
        max_length=191,
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Lad feltet stå tomt for at beholde den gemte."),
    )


class SamlProviderForm(_ProviderForm):
    metadata_url = forms.URLField(
        label=_("IdP-metadata: adresse"), max_length=500, required=False, assume_scheme="https"
    )
    metadata_xml = forms.CharField(
        label=_("IdP-metadata: XML"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    entity_id = forms.CharField(label=_("IdP'ens entity id"), max_length=500, required=False)
    sso_url = forms.URLField(
        label=_("Login-adresse (SSO)"), max_length=500, required=False, assume_scheme="https"
    )
    slo_url = forms.URLField(
        label=_("Logout-adresse (SLO)"), max_length=500, required=False, assume_scheme="https"
    )
    certificate_1 = forms.CharField(
        label=_("Signeringscertifikat"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    certificate_2 = forms.CharField(
        label=_("Næste signeringscertifikat (skift)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Begge certifikater godtages, indtil det gamle fjernes."),
    )

    def clean(self):
        data = super().clean()
        url, xml = data.get("metadata_url"), (data.get("metadata_xml") or "").strip()
        if url or xml:
            try:
                idp = idp_from_metadata(xml=xml, url=url or "")
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from exc
            data["entity_id"], data["sso_url"] = idp["entity_id"], idp["sso_url"]
            data["slo_url"] = idp["slo_url"]
            certs = idp["certificates"]
            data["certificate_1"] = certs[0]
            data["certificate_2"] = certs[1] if len(certs) > 1 else ""
        if not (data.get("entity_id") and data.get("sso_url") and data.get("certificate_1")):
            raise forms.ValidationError(
                _(
                    "Angiv IdP-metadata (adresse eller XML) eller entity id, "
                    "login-adresse og certifikat."
                )
            )
        return data


class SignInPolicyForm(forms.Form):
    staff_sso_required = forms.BooleanField(
        label=_("Personalet skal logge ind med kommunens login"),
        required=False,
    )
    mentor_sso_required = forms.BooleanField(
        label=_(
            "Virksomhedsmentorer skal logge ind med MitID Erhverv (adgangskode og "
            "nulstilling af adgangskode slås fra for mentorer)"
        ),
        required=False,
    )
