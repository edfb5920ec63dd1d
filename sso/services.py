"""Writes on the current jobcentre's single sign-on: its identity providers (allauth
SocialApp rows in the jobcentre's schema), its sign-in policy, and what a login through an
identity provider changes (roles, session, audit log)."""

from dataclasses import dataclass, field
from typing import Any

from allauth.socialaccount.models import SocialApp
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.middleware import SSO_SESSION_KEY
from accounts.models import User
from accounts.services import user_roles_set
from audit.services import audit_record

from . import rules
from .models import SignInPolicy
from .saml_config import AUTHN_CONTEXT, AUTHN_INSTANT, NAME_ID, NAME_ID_FORMAT, SESSION_INDEX
from .selectors import identity_providers

OIDC, SAML = "openid_connect", "saml"

# SAML attributes for name and e-mail when the admin names none: the OIOSAML 3 / KOMBIT
# names first, then Entra ID / AD FS's claim URIs.
DEFAULT_SAML_ATTRIBUTES = {
    "uid": ["https://data.gov.dk/model/core/eid/professional/uuid/persistent"],
    "email": [
        "https://data.gov.dk/model/core/eid/email",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
        "email",
    ],
    "first_name": [
        "https://data.gov.dk/model/core/eid/firstName",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname",
        "givenName",
    ],
    "last_name": [
        "https://data.gov.dk/model/core/eid/lastName",
        "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname",
        "sn",
    ],
}


@dataclass
class ProviderSpec:
    """What the admin's form gives for one identity provider."""

    protocol: str
    name: str
    slug: str
    role_claim: str
    role_map: dict[str, str]
    assurance_claim: str = ""
    # OpenID Connect
    issuer: str = ""
    client_id: str = ""
    secret: str = ""
    # SAML: the IdP (from its metadata or typed) and up to two signing certificates
    entity_id: str = ""
    sso_url: str = ""
    slo_url: str = ""
    certificates: list[str] = field(default_factory=list)
    metadata_url: str = ""
    # Who signs in with it (rules.AUDIENCE_*); MitID Erhverv's claim names for mentors.
    audience: str = rules.AUDIENCE_STAFF
    claims: dict[str, str] = field(default_factory=dict)


def _mitid_claims(spec: ProviderSpec) -> dict[str, str]:
    return {
        key: (spec.claims.get(key) or "").strip() or default
        for key, default in rules.MITID_CLAIMS.items()
    }


def _settings_for(spec: ProviderSpec, old: dict) -> dict:
    mentor = spec.audience == rules.AUDIENCE_MENTOR
    ours: dict[str, Any] = {
        "audience": spec.audience,
        "role_claim": "" if mentor else spec.role_claim,
        "role_map": {} if mentor else spec.role_map,
        "assurance_claim": spec.assurance_claim,
    }
    if mentor:
        ours["claims"] = _mitid_claims(spec)
    if spec.protocol == OIDC:
        result = {**old, "server_url": spec.issuer, "fetch_userinfo": True, "vc": ours}
        # allauth finds the account by this claim: the professional's persistent id.
        result.pop("uid_field", None)
        if mentor:
            result["uid_field"] = ours["claims"]["uid"]
        return result
    certs = [c.strip() for c in spec.certificates if c and c.strip()][:2]
    was_mentor = old.get("vc", {}).get("audience") == rules.AUDIENCE_MENTOR
    mapping = (
        DEFAULT_SAML_ATTRIBUTES
        if was_mentor
        else old.get("attribute_mapping", DEFAULT_SAML_ATTRIBUTES)
    )
    if mentor:
        claims = ours["claims"]
        mapping = {
            "uid": [claims["uid"]],
            "first_name": [claims["first_name"]],
            "last_name": [claims["last_name"]],
            "email": DEFAULT_SAML_ATTRIBUTES["email"],
        }
    return {
        **old,
        "attribute_mapping": mapping,
        "idp": {
            "entity_id": spec.entity_id,
            "sso_url": spec.sso_url,
            "slo_url": spec.slo_url,
            "x509cert": certs[0] if certs else "",
            "x509cert_multi": certs,
        },
        "advanced": {
            **old.get("advanced", {}),
            # Never accept an unsigned assertion, nor one the IdP sent unasked.
            "strict": True,
            "want_assertion_signed": True,
            "reject_idp_initiated_sso": True,
        },
        "vc": {**ours, "metadata_url": spec.metadata_url},
    }


def _problem(spec: ProviderSpec, app: SocialApp | None) -> str:
    if spec.protocol not in (OIDC, SAML):
        return "Ukendt protokol."
    if not spec.name.strip() or not spec.slug.strip():
        return "Navn og kort navn skal udfyldes."
    taken = identity_providers().filter(provider_id=spec.slug)
    if app is not None:
        taken = taken.exclude(pk=app.pk)
    if taken.exists():
        return f"Det korte navn '{spec.slug}' bruges allerede af en anden identitetsudbyder."
    if spec.audience not in (rules.AUDIENCE_STAFF, rules.AUDIENCE_MENTOR):
        return "Ukendt brugergruppe."
    if spec.audience == rules.AUDIENCE_STAFF and (not spec.role_claim.strip() or not spec.role_map):
        return "Angiv rolle-claim/attribut og mindst én værdi = rolle."
    if spec.protocol == OIDC and not (spec.issuer and spec.client_id and spec.secret):
        return "OpenID Connect kræver issuer, client id og client secret."
    if spec.protocol == SAML and not (spec.entity_id and spec.sso_url and spec.certificates):
        return "SAML kræver IdP'ens entity id, login-adresse og mindst ét certifikat."
    return ""


@transaction.atomic
def identity_provider_save(
    *, spec: ProviderSpec, acting_user: User, app: SocialApp | None = None
) -> SocialApp:
    """Create (app None) or change one identity provider of the jobcentre.

    Raises ValidationError (Danish) for incomplete input or a short name in use.
    """
    problem = _problem(spec, app)
    if problem:
        raise ValidationError(problem)
    created = app is None
    if app is None:
        app = SocialApp(provider=spec.protocol)
    elif app.provider != spec.protocol:
        raise ValidationError("En identitetsudbyders protokol kan ikke ændres.")
    app.name = spec.name.strip()
    app.provider_id = spec.slug.strip()
    if spec.protocol == OIDC:
        app.client_id = spec.client_id.strip()
        app.secret = spec.secret
    else:
        # allauth's SAML views find the app by client_id (the "organization slug" in URLs).
        app.client_id = app.provider_id
    app.settings = _settings_for(spec, app.settings or {})
    app.save()
    audit_record(
        acting_user=acting_user,
        action="sso.provider_create" if created else "sso.provider_change",
        obj=app,
        fields=["name", "provider_id", "settings"],
    )
    return app


@transaction.atomic
def identity_provider_delete(*, app: SocialApp, acting_user: User) -> None:
    """Remove an identity provider; its users keep their accounts (and any password).

    Raises ValidationError when it is the last one while SSO is required for staff.
    """
    policy = SignInPolicy.objects.filter(pk=1).first()
    audience = (app.settings or {}).get("vc", {}).get("audience", rules.AUDIENCE_STAFF)
    last = identity_providers(audience).count() == 1
    if policy and last and audience == rules.AUDIENCE_STAFF and policy.staff_sso_required:
        raise ValidationError(
            "Den sidste identitetsudbyder kan ikke slettes, mens personalet skal logge ind "
            "med kommunens login. Slå kravet fra først."
        )
    if policy and last and audience == rules.AUDIENCE_MENTOR and policy.mentor_sso_required:
        raise ValidationError(
            "Den sidste MitID Erhverv-udbyder kan ikke slettes, mens mentorerne skal logge "
            "ind med MitID Erhverv. Slå kravet fra først."
        )
    audit_record(acting_user=acting_user, action="sso.provider_delete", obj=app)
    app.delete()


@transaction.atomic
def sign_in_policy_set(
    *, staff_sso_required: bool, acting_user: User, mentor_sso_required: bool | None = None
) -> SignInPolicy:
    """Require (or stop requiring) single sign-on for staff, and MitID Erhverv for mentors
    (None leaves the mentors' setting as it is). Requiring either needs a provider for
    that group.

    Raises ValidationError (Danish) when there is no identity provider to sign in with.
    """
    if staff_sso_required and not identity_providers(rules.AUDIENCE_STAFF).exists():
        raise ValidationError(
            "Opret en identitetsudbyder først: ellers kan personalet ikke logge ind."
        )
    if mentor_sso_required and not identity_providers(rules.AUDIENCE_MENTOR).exists():
        raise ValidationError(
            "Opret en MitID Erhverv-udbyder til mentorer først: ellers kan mentorerne ikke "
            "logge ind."
        )
    policy, _created = SignInPolicy.objects.get_or_create(pk=1)
    policy.staff_sso_required = staff_sso_required
    if mentor_sso_required is not None:
        policy.mentor_sso_required = mentor_sso_required
    policy.save(update_fields=["staff_sso_required", "mentor_sso_required"])
    audit_record(
        acting_user=acting_user,
        action="sso.policy_change",
        obj=policy,
        fields=["staff_sso_required", "mentor_sso_required"],
    )
    return policy


@dataclass(frozen=True)
class IdpLogin:
    """What one login through an identity provider says, read from its claims."""

    roles: list[str]
    auth_time: str
    assurance: str
    email: str


def idp_login_read(*, app: SocialApp, claims: dict) -> IdpLogin:
    """The roles, authentication time and assurance level of a login (no writes)."""
    ours = (app.settings or {}).get("vc", {})
    roles = rules.roles_from_claims(
        rules.claim_values(claims, ours.get("role_claim", "")), ours.get("role_map", {})
    )
    if app.provider == SAML:
        instant = next(iter(rules.claim_values(claims, AUTHN_INSTANT)), "")
        assurance_values = rules.claim_values(claims, ours.get("assurance_claim", ""))
        assurance_values = assurance_values or rules.claim_values(claims, AUTHN_CONTEXT)
    else:
        instant = claims.get("auth_time", "")
        assurance_values = rules.claim_values(claims, ours.get("assurance_claim") or "acr")
    when = rules.auth_time_from(instant)
    email = next(iter(rules.claim_values(claims, "email")), "")
    return IdpLogin(
        roles=roles,
        auth_time=when.isoformat() if when else "",
        assurance=", ".join(assurance_values),
        email=email,
    )


def provider_audience(app: SocialApp) -> str:
    return (app.settings or {}).get("vc", {}).get("audience", rules.AUDIENCE_STAFF)


@dataclass(frozen=True)
class MitidLogin:
    """What a MitID Erhverv login says of the professional, read with the provider's
    claim names (rules.MITID_CLAIMS by default)."""

    uid: str
    cvr: str
    p_number: str
    org_name: str
    first_name: str
    last_name: str


def mitid_login_read(*, app: SocialApp, claims: dict) -> MitidLogin:
    """The professional's id, company (CVR, P-number, name) and name from a login."""
    names = {**rules.MITID_CLAIMS, **(app.settings or {}).get("vc", {}).get("claims", {})}

    def first(key: str, fallback: str = "") -> str:
        # A broker may give the person's name in OpenID Connect's own claims instead.
        values = rules.claim_values(claims, names[key])
        if not values and fallback:
            values = rules.claim_values(claims, fallback)
        return values[0] if values else ""

    return MitidLogin(
        uid=first("uid"),
        cvr=first("cvr"),
        p_number=first("p_number"),
        org_name=first("org_name"),
        first_name=first("first_name", "given_name"),
        last_name=first("last_name", "family_name"),
    )


@transaction.atomic
def sso_roles_apply(*, user: User, roles: list[str], app: SocialApp) -> User:
    """Give `user` exactly the roles the IdP gave at this login, logged when they change."""
    before = sorted(user.groups.values_list("name", flat=True))
    if before == sorted(roles):
        return user
    user_roles_set(user=user, roles=roles)
    audit_record(
        acting_user=user,
        action="sso.roles_from_idp",
        obj=user,
        fields=["roles"],
        label=f"{app.name}: {', '.join(before) or '-'} -> {', '.join(roles) or '-'}",
    )
    return user


def sso_login_record(sender, request, user, sociallogin=None, **kwargs):  # noqa: ARG001
    """allauth's user_logged_in: for a login through an IdP, its authentication time and
    assurance level go on the session (read by accounts.middleware for two-factor) and
    into the audit log."""
    if sociallogin is None:
        return
    app = getattr(sociallogin.account.get_provider(request), "app", None)
    if app is None or app.provider not in (OIDC, SAML):
        return
    login = idp_login_read(app=app, claims=flat_claims(sociallogin.account.extra_data))
    claims = sociallogin.account.extra_data
    request.session[SSO_SESSION_KEY] = {
        "protocol": app.provider,
        "provider": app.provider_id,
        "auth_time": login.auth_time,
        "assurance": login.assurance,
        # SAML single logout names the subject and the IdP's session.
        "name_id": next(iter(claims.get(NAME_ID) or []), "") if app.provider == SAML else "",
        "name_id_format": next(iter(claims.get(NAME_ID_FORMAT) or []), "")
        if app.provider == SAML
        else "",
        "session_index": next(iter(claims.get(SESSION_INDEX) or []), "")
        if app.provider == SAML
        else "",
    }
    audit_record(
        acting_user=user,
        action="login.sso",
        obj=user,
        label=(
            f"{app.name}; IdP-login {login.auth_time or 'ukendt tid'}; "
            f"sikringsniveau {login.assurance or 'ikke oplyst'}"
        ),
    )


def flat_claims(extra_data: dict) -> dict:
    """One dict of claims: OpenID Connect's id_token overlaid by its userinfo; SAML's
    attributes as they are."""
    if "id_token" in extra_data or "userinfo" in extra_data:
        return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}
    return dict(extra_data)
