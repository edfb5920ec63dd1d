"""Reads of the current jobcentre's single sign-on configuration."""

from allauth.socialaccount.models import SocialApp
from django.db.models import QuerySet

from .models import SignInPolicy

PROTOCOLS = ("openid_connect", "saml")


def identity_providers() -> QuerySet[SocialApp]:
    """The jobcentre's identity providers (OpenID Connect and SAML), by name."""
    return SocialApp.objects.filter(provider__in=PROTOCOLS).order_by("name", "pk")


def sign_in_policy() -> SignInPolicy:
    """The jobcentre's policy; the defaults (password login for all) when never saved."""
    return SignInPolicy.objects.filter(pk=1).first() or SignInPolicy(pk=1)
