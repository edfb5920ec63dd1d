"""The jobcentre admin's pages for single sign-on: identity providers and the policy."""

from allauth.socialaccount.models import SocialApp
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.roles import ROLE_ADMIN, roles_required

from . import rules
from .forms import OidcProviderForm, SamlProviderForm, SignInPolicyForm
from .selectors import identity_providers, sign_in_policy
from .services import (
    OIDC,
    SAML,
    ProviderSpec,
    identity_provider_delete,
    identity_provider_save,
    provider_audience,
    sign_in_policy_set,
)

FORMS = {OIDC: OidcProviderForm, SAML: SamlProviderForm}


def _get_provider_for_admin(pk: int) -> SocialApp:
    return get_object_or_404(identity_providers(), pk=pk)


@roles_required(ROLE_ADMIN)
def sso_index(request):
    policy = sign_in_policy()
    form = SignInPolicyForm(
        request.POST or None,
        initial={
            "staff_sso_required": policy.staff_sso_required,
            "mentor_sso_required": policy.mentor_sso_required,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            sign_in_policy_set(
                staff_sso_required=form.cleaned_data["staff_sso_required"],
                mentor_sso_required=form.cleaned_data["mentor_sso_required"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Login-politikken er gemt.")
            return redirect("sso:index")
    providers = [
        {
            "app": app,
            "mentor": provider_audience(app) == rules.AUDIENCE_MENTOR,
            "login_url": reverse(
                "saml_login" if app.provider == SAML else "openid_connect_login",
                args=[app.provider_id],
            ),
            "metadata_url": request.build_absolute_uri(
                reverse("saml_metadata", args=[app.provider_id])
            )
            if app.provider == SAML
            else "",
            "callback_url": request.build_absolute_uri(
                reverse("openid_connect_callback", args=[app.provider_id])
            )
            if app.provider == OIDC
            else "",
        }
        for app in identity_providers()
    ]
    return render(request, "sso/index.html", {"form": form, "providers": providers})


def _spec(protocol: str, data: dict, app: SocialApp | None) -> ProviderSpec:
    common = {
        "protocol": protocol,
        "name": data["name"],
        "slug": data["slug"],
        "role_claim": data["role_claim"].strip(),
        "role_map": data["role_map"],
        "assurance_claim": data.get("assurance_claim", "").strip(),
        "audience": data["audience"],
        "claims": {key: data.get(f"claim_{key}", "") for key in rules.MITID_CLAIMS},
    }
    if protocol == OIDC:
        return ProviderSpec(
            **common,
            issuer=data["issuer"],
            client_id=data["client_id"],
            # A blank secret on the edit form keeps the stored one.
            secret=data["secret"] or (app.secret if app is not None else ""),
        )
    return ProviderSpec(
        **common,
        entity_id=data["entity_id"],
        sso_url=data["sso_url"],
        slo_url=data.get("slo_url", ""),
        certificates=[data.get("certificate_1", ""), data.get("certificate_2", "")],
        metadata_url=data.get("metadata_url", ""),
    )


def _initial(app: SocialApp) -> dict:
    ours = app.settings.get("vc", {})
    initial = {
        "name": app.name,
        "slug": app.provider_id,
        "role_claim": ours.get("role_claim", ""),
        "role_map": rules.format_role_map(ours.get("role_map", {})),
        "assurance_claim": ours.get("assurance_claim", ""),
        "audience": ours.get("audience", rules.AUDIENCE_STAFF),
        **{
            f"claim_{key}": ours.get("claims", {}).get(key, default)
            for key, default in rules.MITID_CLAIMS.items()
        },
    }
    if app.provider == OIDC:
        return {**initial, "issuer": app.settings.get("server_url", ""), "client_id": app.client_id}
    idp = app.settings.get("idp", {})
    certs = [*idp.get("x509cert_multi", []), "", ""]
    return {
        **initial,
        "metadata_url": ours.get("metadata_url", ""),
        "entity_id": idp.get("entity_id", ""),
        "sso_url": idp.get("sso_url", ""),
        "slo_url": idp.get("slo_url", ""),
        "certificate_1": certs[0],
        "certificate_2": certs[1],
    }


def _provider_form(request, protocol: str, app: SocialApp | None):
    form_class = FORMS.get(protocol)
    if form_class is None:
        raise Http404
    form = form_class(request.POST or None, initial=_initial(app) if app else None)
    if request.method == "POST" and form.is_valid():
        try:
            identity_provider_save(
                spec=_spec(protocol, form.cleaned_data, app), acting_user=request.user, app=app
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Identitetsudbyderen er gemt.")
            return redirect("sso:index")
    return render(
        request, "sso/provider_form.html", {"form": form, "app": app, "protocol": protocol}
    )


@roles_required(ROLE_ADMIN)
def provider_new(request, protocol: str):
    return _provider_form(request, protocol, None)


@roles_required(ROLE_ADMIN)
def provider_edit(request, pk: int):
    app = _get_provider_for_admin(pk)
    return _provider_form(request, app.provider, app)


@roles_required(ROLE_ADMIN)
@require_POST
def provider_delete(request, pk: int):
    app = _get_provider_for_admin(pk)
    try:
        identity_provider_delete(app=app, acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, "Identitetsudbyderen er slettet.")
    return redirect("sso:index")
