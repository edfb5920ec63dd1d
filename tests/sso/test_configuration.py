"""The jobcentre admin configures single sign-on in the app (/sso/): per jobcentre, audited;
the password policy for staff; a jobcentre without SSO signs in exactly as before."""

import pytest
from allauth.socialaccount.models import SocialApp
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from sso.models import SignInPolicy
from tests.conftest import PASSWORD, make_user, tenant_client

pytestmark = pytest.mark.django_db

IDP_METADATA = """<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="https://idp.kommune.example/saml">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{cert_a}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{cert_b}</ds:X509Certificate></ds:X509Data></ds:KeyInfo>
    </md:KeyDescriptor>
    <md:SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.kommune.example/slo"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
        Location="https://idp.kommune.example/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>"""


@pytest.fixture
def certs(tmp_path):
    from tests.sso.idps import key_pair

    return [key_pair(tmp_path, name).cert_body for name in ("a", "b")]


def _saml_form(metadata: str, **extra) -> dict:
    return {
        "name": "Alfa Kommune",
        "slug": "alfa-kommune",
        "role_claim": "http://schemas.microsoft.com/ws/2008/06/identity/claims/role",
        "role_map": "VC_Konsulent = jobkonsulent\nVC_Chef = jobcenterchef",
        "metadata_xml": metadata,
        **extra,
    }


def test_admin_imports_idp_metadata_xml_with_two_signing_certificates(tenant_a, login, certs):
    client = login(tenant_a, "admin")
    metadata = IDP_METADATA.format(cert_a=certs[0], cert_b=certs[1])
    response = client.post("/sso/ny/saml/", _saml_form(metadata))
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("alpha"):
        app = SocialApp.objects.get(provider="saml", provider_id="alfa-kommune")
        assert app.settings["idp"]["entity_id"] == "https://idp.kommune.example/saml"
        assert app.settings["idp"]["x509cert_multi"] == certs
        assert app.settings["idp"]["slo_url"] == "https://idp.kommune.example/slo"
        assert app.settings["advanced"]["want_assertion_signed"] is True
        assert app.settings["vc"]["role_map"]["VC_Chef"] == "jobcenterchef"
        assert AuditEvent.objects.filter(action="sso.provider_create").count() == 1
    # The SP's metadata for the municipality (KOMBIT: the SP registration), per jobcentre.
    metadata_page = client.get("/konto/saml/alfa-kommune/metadata/")
    assert metadata_page.status_code == 200
    body = metadata_page.content.decode()
    assert "alpha.test.localhost/konto/saml/alfa-kommune/acs/" in body
    # Both certificates reach python3-saml, so either may sign (rollover).
    from sso.saml_config import build_saml_config

    with schema_context("alpha"):
        config = build_saml_config(metadata_page.wsgi_request, app.settings, app.client_id)
    assert config["idp"]["x509certMulti"] == {"signing": certs}
    # Beta knows nothing of it.
    assert tenant_client("beta").get("/konto/saml/alfa-kommune/metadata/").status_code == 404
    with schema_context("beta"):
        assert not SocialApp.objects.exists()


def test_bad_metadata_or_role_map_changes_nothing_and_says_why_in_danish(tenant_a, login, certs):
    client = login(tenant_a, "admin")
    response = client.post("/sso/ny/saml/", _saml_form("<ikke xml"))
    assert response.status_code == 200
    assert "Metadata kunne ikke læses" in response.content.decode()
    metadata = IDP_METADATA.format(cert_a=certs[0], cert_b=certs[1])
    response = client.post("/sso/ny/saml/", _saml_form(metadata, role_map="x = kejser"))
    assert "ukendt rolle" in response.content.decode()
    with schema_context("alpha"):
        assert not SocialApp.objects.exists()


def test_admin_adds_an_oidc_provider_and_the_secret_is_kept_when_left_blank(tenant_a, login):
    client = login(tenant_a, "admin")
    form = {
        "name": "Entra ID",
        "slug": "entra",
        "role_claim": "roles",
        "role_map": "VC.Konsulent = jobkonsulent",
        "issuer": "https://login.microsoftonline.com/tenant/v2.0",
        "client_id": "abc",
        "secret": "hemmelig",
    }
    assert client.post("/sso/ny/openid_connect/", form).status_code == 302
    with schema_context("alpha"):
        app = SocialApp.objects.get(provider_id="entra")
    assert (
        client.post(f"/sso/{app.pk}/", {**form, "name": "Entra", "secret": ""}).status_code == 302
    )
    with schema_context("alpha"):
        app.refresh_from_db()
        assert (app.name, app.secret) == ("Entra", "hemmelig")
    page = client.get("/sso/").content.decode()
    assert "/konto/oidc/entra/login/callback/" in page


def test_only_the_jobcentres_admin_configures_sso(tenant_a, login):
    for role in ("jobkonsulent", "jobcenterchef", "mentor", "sagsbehandler"):
        assert login(tenant_a, role).get("/sso/").status_code == 403
    assert login(tenant_a, "admin").get("/sso/").status_code == 200
    assert tenant_client("alpha").get("/sso/").status_code == 302  # to the login


def test_sso_cannot_be_required_without_a_provider(tenant_a, login):
    client = login(tenant_a, "admin")
    response = client.post("/sso/", {"staff_sso_required": "on"})
    assert "Opret en identitetsudbyder først" in response.content.decode()
    with schema_context("alpha"):
        assert not SignInPolicy.objects.filter(staff_sso_required=True).exists()


def _oidc_app(schema: str) -> SocialApp:
    with schema_context(schema):
        return SocialApp.objects.create(
            provider="openid_connect",
            provider_id="kommune",
            name="Kommunens login",
            client_id="x",
            secret="y",
            settings={"server_url": "http://127.0.0.1:1", "vc": {"role_claim": "roles"}},
        )


def _password_login(schema: str, email: str):
    return tenant_client(schema).post("/konto/login/", {"login": email, "password": PASSWORD})


def test_required_sso_refuses_a_staff_password_with_a_pointer_but_mentors_keep_theirs(
    tenant_a, tenant_b
):
    _oidc_app("alpha")
    with schema_context("alpha"):
        SignInPolicy.objects.update_or_create(pk=1, defaults={"staff_sso_required": True})
    make_user(tenant_a, "jobkonsulent", email="k@alpha.test")
    make_user(tenant_a, "mentor", email="m@alpha.test")
    make_user(tenant_b, "jobkonsulent", email="k@beta.test")
    refused = _password_login("alpha", "k@alpha.test")
    assert refused.status_code == 200
    assert "logger ind med kommunens login" in refused.content.decode()
    assert "Kommunens login" in refused.content.decode()  # the button it points to
    assert _password_login("alpha", "m@alpha.test").status_code == 302
    # Beta requires nothing: its staff sign in with their password as before.
    assert _password_login("beta", "k@beta.test").status_code == 302
    # A wrong password reads as any wrong password (no hint that the account is staff).
    wrong = tenant_client("alpha").post("/konto/login/", {"login": "k@alpha.test", "password": "x"})
    assert "kommunens login" not in wrong.content.decode()


def test_a_jobcentre_without_sso_shows_no_idp_button_and_signs_in_by_password(tenant_a):
    make_user(tenant_a, "jobkonsulent", email="k@alpha.test")
    page = tenant_client("alpha").get("/konto/login/").content.decode()
    assert "/konto/oidc/" not in page and "/konto/saml/" not in page
    assert _password_login("alpha", "k@alpha.test").status_code == 302
