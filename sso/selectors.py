"""Reads of the current jobcentre's single sign-on configuration."""

from allauth.socialaccount.models import SocialApp
from django.db.models import Q, QuerySet

from .models import SignInPolicy

PROTOCOLS = ("openid_connect", "saml")


def identity_providers(audience: str | None = None) -> QuerySet[SocialApp]:
    """The jobcentre's identity providers (OpenID Connect and SAML), by name; with
    `audience` ("staff", "mentor") only those its people sign in with."""
    apps = SocialApp.objects.filter(provider__in=PROTOCOLS).order_by("name", "pk")
    if audience == "staff":
        # Providers saved before issue 26 (no audience) are the staff's.
        return apps.filter(
            Q(settings__vc__audience=audience) | Q(settings__vc__audience__isnull=True)
        )
    if audience is not None:
        apps = apps.filter(settings__vc__audience=audience)
    return apps


def sign_in_policy() -> SignInPolicy:
    """The jobcentre's policy; the defaults (password login for all) when never saved."""
    return SignInPolicy.objects.filter(pk=1).first() or SignInPolicy(pk=1)
