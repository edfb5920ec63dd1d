"""allauth's hooks for single sign-on (settings: ACCOUNT_ADAPTER, SOCIALACCOUNT_ADAPTER and
the SAML provider class, in base.py's "Single sign-on" block).

- A login through the jobcentre's IdP maps the IdP's role claim to our roles at every login
  and creates a staff user the first time (just in time), or refuses with a Danish page.
- A jobcentre that requires SSO for staff refuses their password; one that requires MitID
  Erhverv for mentors refuses theirs and sends no password-reset link to them.
- A login through a mentors' (MitID Erhverv) provider is the mentors app's to judge
  (mentors.mitid.SocialAccountAdapter overrides `mentor_login`).
- Two-factor for an SSO login is the IdP's: our TOTP step is skipped for it.
"""

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.stages import AuthenticateStage
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.db import connection
from django.shortcuts import render
from django_tenants.utils import get_public_schema_name

from accounts.adapters import AccountAdapter as BaseAccountAdapter
from accounts.models import User

from . import rules
from .selectors import identity_providers, sign_in_policy
from .services import (
    OIDC,
    SAML,
    flat_claims,
    idp_login_read,
    provider_audience,
    sso_roles_apply,
)

STAFF_PASSWORD_REFUSED = (
    "Personalet i dette jobcenter logger ind med kommunens login. "
    "Brug knappen med kommunens navn under login-formularen."
)
MENTOR_PASSWORD_REFUSED = (
    "Virksomhedsmentorer i dette jobcenter logger ind med MitID Erhverv. "
    "Brug knappen MitID Erhverv under login-formularen."
)


def mentor_password_off(user) -> bool:
    """True when `user` is a mentor (only) of a jobcentre whose mentors must use MitID."""
    return (
        connection.schema_name != get_public_schema_name()
        and rules.is_mentor_only(user.role_names)
        and sign_in_policy().mentor_sso_required
        and identity_providers(rules.AUDIENCE_MENTOR).exists()
    )


class AccountAdapter(BaseAccountAdapter):
    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if (
            user is not None
            and connection.schema_name != get_public_schema_name()
            and rules.is_staff_roles(user.role_names)
            and sign_in_policy().staff_sso_required
            and identity_providers(rules.AUDIENCE_STAFF).exists()
        ):
            # Said only after the password was right: a wrong one reads as before.
            raise forms.ValidationError(STAFF_PASSWORD_REFUSED)
        if user is not None and mentor_password_off(user):
            raise forms.ValidationError(MENTOR_PASSWORD_REFUSED)
        return user

    def send_password_reset_mail(self, user, email, context):
        """A mentor who must use MitID Erhverv gets a mail saying so, not a reset link
        (the reset page answers the same for every address, as allauth's does)."""
        if mentor_password_off(user):
            from accounts.emails import email_send

            request = context.get("request") or getattr(self, "request", None)
            email_send(
                to=[email],
                template="sso/email/mentor_use_mitid",
                context={
                    "user": user,
                    "site_url": request.build_absolute_uri("/") if request else "",
                },
            )
            return
        super().send_password_reset_mail(user, email, context)

    def get_logout_redirect_url(self, request):
        # Asked before the session ends: a login through an IdP ends there too (single
        # logout), then the IdP sends the browser back to our login page.
        from .entry import idp_logout_url

        return idp_logout_url(request) or super().get_logout_redirect_url(request)

    def get_login_stages(self) -> list[str]:
        return [
            "sso.adapters.MfaAuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]


class MfaAuthenticateStage(AuthenticateStage):
    """allauth's TOTP step, skipped when this login came through an identity provider:
    the IdP did the second factor (the assurance level it reports is in the audit log)."""

    def _should_handle(self, request) -> bool:
        methods = request.session.get("account_authentication_methods") or []
        if methods and methods[-1].get("method") == rules.SSO_METHOD:
            return False
        return super()._should_handle(request)


def refuse(request, reason: str):
    response = render(request, "sso/refused.html", {"reason": reason}, status=403)
    raise ImmediateHttpResponse(response)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def _app(self, sociallogin):
        app = getattr(sociallogin.account.get_provider(), "app", None)
        return app if app is not None and app.provider in (OIDC, SAML) else None

    def is_open_for_signup(self, request, sociallogin):  # noqa: ARG002 - allauth's hook
        # Only reached after pre_social_login accepted the roles: just-in-time creation of
        # staff. A mentor is never created by a login, only linked to an invitation.
        app = self._app(sociallogin)
        return app is not None and provider_audience(app) == rules.AUDIENCE_STAFF

    def mentor_login(self, request, sociallogin, app):  # noqa: ARG002 - the mentors app's
        """A login through a mentors' provider: linked and judged by the mentors app."""
        refuse(request, "Mentorers login med MitID Erhverv er ikke sat op.")

    def pre_social_login(self, request, sociallogin):
        app = self._app(sociallogin)
        if app is None:
            refuse(request, "Ukendt identitetsudbyder.")
        if provider_audience(app) == rules.AUDIENCE_MENTOR:
            self.mentor_login(request, sociallogin, app)
            return
        login = idp_login_read(app=app, claims=flat_claims(sociallogin.account.extra_data))
        if not login.roles:
            if sociallogin.is_existing:
                # Every role was removed at the IdP: none is left here either.
                sso_roles_apply(user=sociallogin.user, roles=[], app=app)
            refuse(
                request,
                "Din bruger hos kommunens identitetsudbyder har ingen rolle i "
                "Virksomhedscenter. Kontakt jobcentrets administrator.",
            )
        sociallogin.state["vc_roles"] = login.roles
        if sociallogin.is_existing:
            sso_roles_apply(user=sociallogin.user, roles=login.roles, app=app)
            return
        # allauth filled the new user from the claims (SAML: the attribute mapping).
        email = (sociallogin.user.email or login.email or "").strip().lower()
        if not email:
            refuse(request, "Kommunens identitetsudbyder sendte ingen e-mailadresse.")
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            # The municipality's directory vouches for its staff's addresses: the existing
            # account is linked to this IdP identity once, then found by the IdP's id.
            sociallogin.connect(request, existing)
            sso_roles_apply(user=existing, roles=login.roles, app=app)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        app = self._app(sociallogin)
        if app is not None:
            sso_roles_apply(user=user, roles=sociallogin.state.get("vc_roles", []), app=app)
        return user
