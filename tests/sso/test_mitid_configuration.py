"""MitID Erhverv for mentors (issue 26) without a browser: the admin's provider for mentors
with NemLog-in's claim names, the mentors' password switch-off (login and password reset),
the invitation's MitID link, the CVR rule. tests/e2e/test_mitid.py signs in for real."""

import re

import pytest
from allauth.socialaccount.models import SocialApp
from django.core import mail
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from mentors import rules as mentor_rules
from sso import rules
from sso.models import SignInPolicy
from tests.conftest import PASSWORD, make_user, tenant_client

pytestmark = pytest.mark.django_db

OIDC_FORM = {
    "name": "MitID Erhverv",
    "slug": "mitid",
    "audience": "mentor",
    "issuer": "https://broker.example/oidc",
    "client_id": "vc-mitid",
    "secret": "hemmelig",
}


def test_the_cvr_rule_keeps_the_centres_of_the_logins_company_only():
    centres = {1: {"12345678"}, 2: {"87654321", "12345678"}, 3: {"87654321"}}
    assert mentor_rules.centres_for_company_login(cvr="12345678", centre_cvrs=centres) == [1, 2]
    # A broker's "DK" prefix or spaces do not matter; no CVR keeps nothing.
    assert mentor_rules.centres_for_company_login(cvr="DK 8765 4321", centre_cvrs=centres) == [2, 3]
    assert mentor_rules.centres_for_company_login(cvr="", centre_cvrs=centres) == []
    assert mentor_rules.centres_for_company_login(cvr="11111111", centre_cvrs=centres) == []
    assert rules.is_mentor_only({"mentor"}) and not rules.is_mentor_only({"mentor", "admin"})


def test_admin_adds_a_mitid_provider_for_mentors_with_nemlogins_claim_names(tenant_a, login):
    client = login(tenant_a, "admin")
    page = client.get("/sso/ny/openid_connect/").content.decode()
    assert rules.MITID_CLAIMS["cvr"] in page  # the defaults, shown to the admin
    response = client.post(
        "/sso/ny/openid_connect/",
        {**OIDC_FORM, "claim_p_number": "p_nummer"},  # a broker's own name for one claim
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("alpha"):
        app = SocialApp.objects.get(provider_id="mitid")
        ours = app.settings["vc"]
        assert ours["audience"] == "mentor" and ours["role_map"] == {}
        assert ours["claims"]["cvr"] == "https://data.gov.dk/model/core/eid/professional/cvr"
        assert ours["claims"]["p_number"] == "p_nummer"
        # allauth finds the account by the professional's persistent id, never the e-mail.
        assert app.settings["uid_field"] == rules.MITID_CLAIMS["uid"]
        assert AuditEvent.objects.filter(action="sso.provider_create").count() == 1
    assert "mentorer, MitID Erhverv" in client.get("/sso/").content.decode()
    # A staff provider still needs its role mapping.
    staff = client.post("/sso/ny/openid_connect/", {**OIDC_FORM, "slug": "x", "audience": "staff"})
    assert "Angiv rolle-claim" in staff.content.decode()


def test_a_saml_provider_for_mentors_reads_the_oiosaml_attributes(tenant_a):  # noqa: ARG001
    from accounts.models import User
    from sso.services import ProviderSpec, identity_provider_save, mitid_login_read

    with schema_context("alpha"):
        admin = User.objects.get(email="admin@alpha.test")
        app = identity_provider_save(
            spec=ProviderSpec(
                protocol="saml",
                name="NemLog-in",
                slug="nemlogin",
                role_claim="",
                role_map={},
                entity_id="https://saml.nemlog-in.dk",
                sso_url="https://saml.nemlog-in.dk/login/",
                certificates=["MIIB"],
                audience="mentor",
            ),
            acting_user=admin,
        )
    assert app.settings["attribute_mapping"]["uid"] == [rules.MITID_CLAIMS["uid"]]
    login = mitid_login_read(
        app=app,
        claims={
            rules.MITID_CLAIMS["uid"]: ["urn:uuid:1"],
            rules.MITID_CLAIMS["cvr"]: ["12345678"],
            rules.MITID_CLAIMS["p_number"]: ["1012345678"],
            rules.MITID_CLAIMS["org_name"]: ["Firmaet A/S"],
            rules.MITID_CLAIMS["first_name"]: ["Mette"],
        },
    )
    assert (login.uid, login.cvr, login.p_number, login.org_name) == (
        "urn:uuid:1",
        "12345678",
        "1012345678",
        "Firmaet A/S",
    )
    assert login.first_name == "Mette"


def _mentor_app(schema: str) -> SocialApp:
    with schema_context(schema):
        return SocialApp.objects.create(
            provider="openid_connect",
            provider_id="mitid",
            name="MitID Erhverv",
            client_id="x",
            secret="y",
            settings={"server_url": "http://127.0.0.1:1", "vc": {"audience": "mentor"}},
        )


def test_mitid_cannot_be_required_for_mentors_without_a_mentors_provider(tenant_a, login):
    client = login(tenant_a, "admin")
    response = client.post("/sso/", {"mentor_sso_required": "on"})
    assert "Opret en MitID Erhverv-udbyder" in response.content.decode()
    with schema_context("alpha"):
        assert not SignInPolicy.objects.filter(mentor_sso_required=True).exists()
    _mentor_app("alpha")
    assert client.post("/sso/", {"mentor_sso_required": "on"}).status_code == 302
    with schema_context("alpha"):
        assert SignInPolicy.objects.get(pk=1).mentor_sso_required
        # A staff requirement still needs a staff provider: the mentors' does not count.
        assert not SignInPolicy.objects.get(pk=1).staff_sso_required
        assert AuditEvent.objects.filter(action="sso.policy_change").count() == 1
    staff = client.post("/sso/", {"staff_sso_required": "on", "mentor_sso_required": "on"})
    assert "Opret en identitetsudbyder først" in staff.content.decode()
    # The last mentors' provider cannot go while it is required.
    with schema_context("alpha"):
        app = SocialApp.objects.get(provider_id="mitid")
    client.post(f"/sso/{app.pk}/slet/")
    with schema_context("alpha"):
        assert SocialApp.objects.filter(provider_id="mitid").exists()


def _password_login(schema: str, email: str):
    return tenant_client(schema).post("/konto/login/", {"login": email, "password": PASSWORD})


def test_switched_off_the_mentors_password_and_reset_point_to_mitid_staff_unaffected(
    tenant_a, tenant_b, django_capture_on_commit_callbacks
):
    _mentor_app("alpha")
    with schema_context("alpha"):
        SignInPolicy.objects.update_or_create(pk=1, defaults={"mentor_sso_required": True})
    make_user(tenant_a, "mentor", email="m@alpha.test")
    make_user(tenant_a, "jobkonsulent", email="k@alpha.test")
    make_user(tenant_b, "mentor", email="m@beta.test")
    refused = _password_login("alpha", "m@alpha.test")
    assert refused.status_code == 200
    assert "logger ind med MitID Erhverv" in refused.content.decode()
    assert _password_login("alpha", "k@alpha.test").status_code == 302
    # Beta's mentors keep their password.
    assert _password_login("beta", "m@beta.test").status_code == 302
    # A wrong password reads as any wrong one.
    wrong = tenant_client("alpha").post("/konto/login/", {"login": "m@alpha.test", "password": "x"})
    assert "MitID" not in wrong.content.decode().split("<form")[1].split("</form>")[0]

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for email in ("m@alpha.test", "k@alpha.test"):
            response = tenant_client("alpha").post("/konto/password/reset/", {"email": email})
            assert response.status_code == 302
    by_to = {message.to[0]: message for message in mail.outbox}
    mentor_mail, staff_mail = by_to["m@alpha.test"], by_to["k@alpha.test"]
    assert (
        "MitID Erhverv" in mentor_mail.body and "/konto/password/reset/key/" not in mentor_mail.body
    )
    assert "/konto/password/reset/key/" in staff_mail.body


def test_the_invitation_carries_a_mitid_link_and_a_wrong_link_says_why(
    tenant_a,  # noqa: ARG001
    django_capture_on_commit_callbacks,
):
    from accounts.models import User
    from mentors.services import mentor_invite
    from tests.factories import CentreFactory

    _mentor_app("alpha")
    with schema_context("alpha"):
        SignInPolicy.objects.update_or_create(pk=1, defaults={"mentor_sso_required": True})
        centre = CentreFactory()
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            mentor_invite(
                first_name="Mette",
                last_name="Mentorsen",
                email="mette@firma.test",
                company=centre.company,
                centres=[centre],
                acting_user=User.objects.get(email="admin@alpha.test"),
                base_url="http://alpha.test.localhost",
            )
    (message,) = mail.outbox
    links = re.findall(r"http://alpha\.test\.localhost(/\S+)", message.body)
    assert any(link.startswith("/mentor/mitid/") for link in links), message.body
    # MitID only: no password to choose.
    assert not any("/konto/password/reset/key/" in link for link in links), message.body
    link = next(link for link in links if link.startswith("/mentor/mitid/"))
    page = tenant_client("alpha").get(link)
    assert page.status_code == 200 and "/konto/oidc/mitid/login/" in page.content.decode()
    wrong = tenant_client("alpha").get("/mentor/mitid/x-ugyldig/")
    assert wrong.status_code == 404 and "Linket er ikke gyldigt" in wrong.content.decode()
    # The link is alpha's: at beta the user does not exist.
    assert tenant_client("beta").get(link).status_code == 404


def test_the_invitations_key_never_looks_like_a_cpr_number_in_its_url():
    from mentors.services import invitation_key_for_url, invitation_key_from_url

    key = "9-dixh39-1591b4e9577a9334938658db5bd99704"
    in_url = invitation_key_for_url(key)
    assert not re.search(r"\d{6}-?\d{4}", in_url.rpartition("-")[2])
    assert in_url.startswith("9-dixh39-") and invitation_key_from_url(in_url) == key
