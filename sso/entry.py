"""The ways out of our pages to the jobcentre's identity provider.

The Content-Security-Policy allows forms to post to our own origin only (form-action
'self'), and browsers apply that to the redirects after a form too. allauth's "continue to
the IdP" page and the logout page are forms whose answer redirects to the IdP, so these
wrappers add that one IdP's origin to form-action on exactly those pages. config/urls.py
mounts them in front of allauth's own URLs.
"""

from urllib.parse import urlencode, urlsplit

from allauth.account.views import logout as allauth_logout
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.openid_connect import views as oidc_views
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.socialaccount.providers.saml import views as saml_views
from allauth.socialaccount.providers.saml.utils import build_auth
from django.urls import reverse

from accounts.middleware import SSO_SESSION_KEY

from .services import OIDC, SAML


def _origin(url: str) -> str:
    parts = urlsplit(url or "")
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


def _app(request, provider_id: str) -> SocialApp | None:
    try:
        return get_adapter().get_app(request, provider=provider_id)
    except SocialApp.DoesNotExist:
        return None
    except SocialApp.MultipleObjectsReturned:
        return None


def _idp_origin(app: SocialApp | None) -> str:
    if app is None:
        return ""
    if app.provider == OIDC:
        return _origin(app.settings.get("server_url", ""))
    return _origin(app.settings.get("idp", {}).get("sso_url", ""))


def _allow_form_action(response, origin: str):
    if origin:
        response._csp_update = {"form-action": [origin]}
    return response


def oidc_login(request, provider_id):
    response = oidc_views.login(request, provider_id)
    return _allow_form_action(response, _idp_origin(_app(request, provider_id)))


def saml_login(request, organization_slug):
    response = saml_views.login(request, organization_slug=organization_slug)
    return _allow_form_action(response, _idp_origin(_app(request, organization_slug)))


def logout(request):
    sso = request.session.get(SSO_SESSION_KEY) or {}
    response = allauth_logout(request)
    if request.method == "GET" and sso:
        app = _app(request, sso.get("provider", ""))
        if app is not None and app.provider == SAML:
            origin = _origin(app.settings.get("idp", {}).get("slo_url", ""))
        else:
            origin = _idp_origin(app)
        _allow_form_action(response, origin)
    return response


def idp_logout_url(request) -> str:
    """Where a user signed in through an IdP goes on logging out: the IdP's single logout,
    which comes back to our login page. "" when the IdP has none (or the login was ours)."""
    sso = request.session.get(SSO_SESSION_KEY) or {}
    app = _app(request, sso.get("provider", "")) if sso else None
    if app is None:
        return ""
    back = request.build_absolute_uri(reverse("account_login"))
    if app.provider == OIDC:
        adapter = OpenIDConnectOAuth2Adapter(request, app.provider_id)
        try:
            end_session = adapter.openid_config.get("end_session_endpoint", "")
        except Exception:  # noqa: BLE001 - an IdP that is down: log out here only
            return ""
        if not end_session:
            return ""
        query = urlencode({"client_id": app.client_id, "post_logout_redirect_uri": back})
        return f"{end_session}?{query}"
    if not app.settings.get("idp", {}).get("slo_url"):
        return ""
    auth = build_auth(request, app.get_provider(request))
    return auth.logout(
        return_to=back,
        name_id=sso.get("name_id") or None,
        session_index=sso.get("session_index") or None,
        name_id_format=sso.get("name_id_format") or None,
    )
