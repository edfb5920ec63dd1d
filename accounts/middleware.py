"""Two-factor login is required for the roles that see most: jobcenterchef and admin
(settings.MFA_REQUIRED_ROLES); every user may set it up at /konto/2fa/."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse
from django.utils.cache import add_never_cache_headers

# The session of a login through the jobcentre's identity provider (written by sso.services):
# the IdP did the second factor, so the TOTP set-up is not demanded for it (issue 25).
SSO_SESSION_KEY = "sso_login"


def mfa_required(user, *, on_platform: bool = False) -> bool:
    """True for a user holding a role of settings.MFA_REQUIRED_ROLES (chef and admin), and
    on the platform (the public schema) for every staff user, who can close jobcentres, and
    every holder of a platform role (settings.MFA_REQUIRED_PLATFORM_ROLES: the analyst)."""
    if not user.is_authenticated:
        return False
    if on_platform:
        return bool(user.is_staff) or any(
            user.has_role(role) for role in settings.MFA_REQUIRED_PLATFORM_ROLES
        )
    roles = settings.MFA_REQUIRED_ROLES
    return any(user.has_role(role) for role in roles)


def mfa_enabled(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class MfaRequiredMiddleware:
    """Sends a chef or admin without a TOTP authenticator to its set-up page, from any page.

    Only the set-up itself, logout, re-authentication and static files stay reachable, so the
    first thing such a user does after logging in is to set up the authenticator app.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        on_platform = getattr(request.tenant, "schema_name", "public") == "public"
        if (
            user is not None
            and user.is_authenticated
            and not self._exempt(request.path)
            and mfa_required(user, on_platform=on_platform)
            and not request.session.get(SSO_SESSION_KEY)
            and not mfa_enabled(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        try:
            allowed = (
                reverse("mfa_index"),
                reverse("account_logout"),
                reverse("account_reauthenticate"),
            )
        except NoReverseMatch:  # a URL conf without allauth: nothing to set up there
            return True
        return path.startswith((*allowed, settings.STATIC_URL))


class NoStoreMiddleware:
    """`Cache-Control: no-store` on every answer that does not set its own caching.

    Pages, print views, exports and htmx partials may carry personal data, and they are
    opened on shared office PCs and phones: neither the browser nor a proxy may keep them.
    Static files (whitenoise, earlier in the chain) set their own long caching and never
    reach this; an answer that sets Cache-Control itself keeps it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            add_never_cache_headers(response)
        return response
