"""Staff sign in through the jobcentre's identity provider, in a real browser, against two
real identity provider processes on loopback (tests/sso/idps.py): npm's oidc-provider
(OpenID Connect) and pysaml2's IdP (SAML 2.0, assertions signed with xmlsec1).

Alpha has one provider of each protocol; beta has its own, on the same two IdPs and with
the same short names, so that a response meant for alpha can be carried to beta.
"""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connections
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD, TENANTS
from tests.e2e.conftest import audit_events_delete
from tests.sso import idps

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(bool(idps.missing_tools()), reason=idps.missing_tools() or ""),
]

ROLE_CLAIM_OIDC = "roles"
ROLE_ATTRIBUTE_SAML = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role"
ROLE_MAP = {"VC_Konsulent": "jobkonsulent", "VC_Chef": "jobcenterchef", "VC_Admin": "admin"}
EMAIL_ATTR = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress"
GIVEN_ATTR = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname"
SURNAME_ATTR = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname"
EMAILS = [f"{name}@alpha.test" for name in ("anna", "bent", "carl", "dora", "emil")]


def base(schema: str) -> str:
    return f"http://{TENANTS[schema]['domain']}:{idps.LIVE_PORT}"


def oidc_clients(slug: str, *, client: str, secret: str) -> list[dict]:
    """The test OIDC provider's clients: one per jobcentre (`<schema>-<client>`, the secret
    with `{schema}` filled in), calling back to the provider `slug`'s allauth endpoint."""
    return [
        {
            "client_id": f"{schema}-{client}",
            "client_secret": secret.format(schema=schema),
            "redirect_uris": [base(schema) + f"/konto/oidc/{slug}/login/callback/"],
            "post_logout_redirect_uris": [base(schema) + "/konto/login/"],
        }
        for schema in ("alpha", "beta")
    ]


def oidc_claims(name: str, roles: list[str]) -> dict:
    return {
        "email": f"{name}@alpha.test",
        "email_verified": True,
        "given_name": name.capitalize(),
        "family_name": "Testesen",
        "roles": roles,
        "loa": "https://data.gov.dk/concept/core/nsis/loa/Substantial",
    }


def saml_attributes(name: str, roles: list[str]) -> dict:
    return {
        EMAIL_ATTR: [f"{name}@alpha.test"],
        GIVEN_ATTR: [name.capitalize()],
        SURNAME_ATTR: ["Testesen"],
        ROLE_ATTRIBUTE_SAML: roles,
    }


def _provider(schema: str, spec):
    from accounts.models import User
    from sso.services import identity_provider_save

    with schema_context(schema):
        admin = User.objects.get(email=f"admin@{schema}.test")
        return identity_provider_save(spec=spec, acting_user=admin)


def _live_server():
    from django.test.testcases import LiveServerThread, _StaticFilesHandler

    thread = LiveServerThread("127.0.0.1", _StaticFilesHandler, port=idps.LIVE_PORT)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    return thread


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):  # noqa: ARG001
    from allauth.socialaccount.models import SocialApp

    from sso.services import ProviderSpec

    directory = tmp_path_factory.mktemp("idps")
    keys = {name: idps.key_pair(directory, name) for name in ("a", "b", "rogue")}
    clients = oidc_clients("kommune", client="vc", secret="hemmelig-{schema}-0123456789")
    accounts = {name: oidc_claims(name, ["VC_Konsulent"]) for name in ("anna", "carl")}
    users = {name: saml_attributes(name, ["VC_Konsulent"]) for name in ("bent", "dora")}
    with django_db_blocker.unblock():
        thread = _live_server()
        try:
            with (
                idps.oidc_idp(
                    directory, clients=clients, accounts=accounts, claims=["roles", "loa"]
                ) as oidc,
                idps.saml_idp(directory, keys=keys, users=users) as saml,
            ):
                for schema in ("alpha", "beta"):
                    _provider(
                        schema,
                        ProviderSpec(
                            protocol="openid_connect",
                            name="Kommunens login (OIDC)",
                            slug="kommune",
                            role_claim=ROLE_CLAIM_OIDC,
                            role_map=ROLE_MAP,
                            assurance_claim="loa",
                            issuer=idps.OIDC_ISSUER,
                            client_id=f"{schema}-vc",
                            secret=f"hemmelig-{schema}-0123456789",
                        ),
                    )
                    _provider(
                        schema,
                        ProviderSpec(
                            protocol="saml",
                            name="Kommunens login (SAML)",
                            slug="kommune-saml",
                            role_claim=ROLE_ATTRIBUTE_SAML,
                            role_map=ROLE_MAP,
                            entity_id=idps.SAML_BASE + "/metadata",
                            sso_url=idps.SAML_BASE + "/sso",
                            slo_url=idps.SAML_BASE + "/slo",
                            # Rollover: the current and the next certificate, both valid.
                            certificates=[keys["a"].cert_body, keys["b"].cert_body],
                        ),
                    )
                    # The IdP trusts each jobcentre's SP by the metadata it publishes.
                    status, metadata = idps.http_get(
                        TENANTS[schema]["domain"],
                        idps.LIVE_PORT,
                        "/konto/saml/kommune-saml/metadata/",
                    )
                    assert status == 200, metadata
                    saml.put("/_control/sp", metadata)
                connections.close_all()
                yield {"oidc": oidc, "saml": saml, "keys": keys}
        finally:
            thread.terminate()
            thread.join()
            for schema in ("alpha", "beta"):
                with schema_context(schema):
                    from accounts.models import User

                    User.objects.filter(email__in=EMAILS).delete()
                    SocialApp.objects.all().delete()
                    from sso.models import SignInPolicy

                    SignInPolicy.objects.all().delete()
                    audit_events_delete(action__startswith="sso.")
                    audit_events_delete(actor_label__in=EMAILS)
            connections.close_all()


@pytest.fixture
def page(browser, world):
    world["oidc"].mode(mode="normal")
    world["saml"].mode()
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()


def user_roles(schema: str, email: str) -> list[str] | None:
    from accounts.models import User

    with schema_context(schema):
        user = User.objects.filter(email=email).first()
        return sorted(user.groups.values_list("name", flat=True)) if user else None


def oidc_sign_in(page, schema: str, login: str) -> None:
    """From our login page through the OIDC provider's sign-in form and back."""
    page.goto(base(schema) + "/konto/login/")
    page.get_by_role("link", name="Kommunens login (OIDC)").click()
    page.locator("main form button[type=submit]").click()  # allauth: "continue to the IdP"
    page.wait_for_url(re.compile(re.escape(idps.OIDC_ISSUER) + ".*"))
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "hvad-som-helst")
    page.click("button[type=submit]")


def saml_sign_in(page, schema: str, login: str) -> None:
    page.goto(base(schema) + "/konto/login/")
    page.get_by_role("link", name="Kommunens login (SAML)").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(re.escape(idps.SAML_BASE) + ".*"))
    page.fill("input[name=username]", login)
    page.click("button[type=submit]")


def logout_controls(page) -> int:
    """The header's "Log ud": a link to the logout page after an SSO login (its form goes on
    to the IdP), a button that posts the logout after a password login (templates/base.html)."""
    return (
        page.get_by_role("link", name=re.compile("Log ud")).count()
        + page.get_by_role("button", name=re.compile("Log ud")).count()
    )


def signed_in_start(page, schema: str) -> None:
    try:
        page.wait_for_url(base(schema) + "/", timeout=15000)
    except Exception as exc:
        raise AssertionError(
            f"not signed in at {page.url}: {page.inner_text('body')[:800]}"
        ) from exc
    assert logout_controls(page) == 1


def last_audit(schema: str, email: str, action: str):
    from audit.models import AuditEvent

    with schema_context(schema):
        return AuditEvent.objects.filter(actor_label=email, action=action).order_by("-pk").first()


# OpenID Connect ---------------------------------------------------------------------------


def test_oidc_first_login_creates_the_user_with_the_mapped_role_and_records_the_level(page, world):
    world["oidc"].account("anna", oidc_claims("anna", ["VC_Konsulent", "Ukendt_Rolle"]))
    oidc_sign_in(page, "alpha", "anna")
    signed_in_start(page, "alpha")
    assert user_roles("alpha", "anna@alpha.test") == ["jobkonsulent"]
    event = last_audit("alpha", "anna@alpha.test", "login.sso")
    assert event is not None
    assert "Substantial" in event.object_label and "IdP-login 20" in event.object_label
    # Never at beta: the user exists in alpha's schema only.
    assert user_roles("beta", "anna@alpha.test") is None


def test_oidc_role_change_at_the_idp_applies_at_the_next_login_without_our_totp(
    page, world, settings
):
    settings.MFA_REQUIRED_ROLES = ["jobcenterchef", "admin"]
    world["oidc"].account("carl", oidc_claims("carl", ["VC_Konsulent", "VC_Chef"]))
    oidc_sign_in(page, "alpha", "carl")
    # A chef without our TOTP still gets in: the IdP's two-factor counts for SSO.
    signed_in_start(page, "alpha")
    assert user_roles("alpha", "carl@alpha.test") == ["jobcenterchef", "jobkonsulent"]
    page.context.clear_cookies()

    world["oidc"].account("carl", oidc_claims("carl", ["VC_Konsulent"]))
    oidc_sign_in(page, "alpha", "carl")
    signed_in_start(page, "alpha")
    assert user_roles("alpha", "carl@alpha.test") == ["jobkonsulent"]
    assert last_audit("alpha", "carl@alpha.test", "sso.roles_from_idp") is not None
    page.context.clear_cookies()

    world["oidc"].account("carl", oidc_claims("carl", []))
    oidc_sign_in(page, "alpha", "carl")
    assert page.get_by_text("ingen rolle i Virksomhedscenter").count() == 1
    assert user_roles("alpha", "carl@alpha.test") == []


@pytest.mark.parametrize("mode", ["wrong_audience", "expired"])
def test_oidc_id_token_for_another_audience_or_expired_is_refused(page, world, mode):
    world["oidc"].mode(mode=mode)
    world["oidc"].account("anna", oidc_claims("anna", ["VC_Konsulent"]))
    oidc_sign_in(page, "alpha", "anna")
    page.wait_for_url(re.compile(re.escape(base("alpha")) + "/konto/oidc/.*"))
    assert logout_controls(page) == 0
    assert page.goto(base("alpha") + "/").url.startswith(base("alpha") + "/konto/login/")


def test_oidc_code_replayed_or_carried_to_another_jobcentre_is_refused(page):
    callbacks = []
    page.on(
        "request",
        lambda r: callbacks.append(r.url) if "/login/callback/" in r.url else None,
    )
    oidc_sign_in(page, "alpha", "anna")
    signed_in_start(page, "alpha")
    callback = callbacks[0]
    page.context.clear_cookies()
    # The same code and state again (a replay) signs nobody in.
    page.goto(callback)
    assert logout_controls(page) == 0
    # Nor at beta, whose provider has the same short name on the same IdP.
    parts = urlsplit(callback)
    page.goto(base("beta") + parts.path + "?" + parts.query)
    assert logout_controls(page) == 0
    assert user_roles("beta", "anna@alpha.test") is None


def test_oidc_logout_ends_the_session_at_the_idp_too(page):
    oidc_sign_in(page, "alpha", "anna")
    signed_in_start(page, "alpha")
    page.get_by_role("link", name=re.compile("Log ud")).click()
    page.locator("main form button[type=submit], form button[type=submit]").first.click()
    # oidc-provider asks whether to sign out of it as well.
    page.wait_for_url(re.compile(re.escape(idps.OIDC_ISSUER) + "/session/end.*"))
    page.locator("button[autofocus], button[type=submit]").first.click()
    page.wait_for_url(base("alpha") + "/konto/login/")
    assert page.goto(base("alpha") + "/").url.startswith(base("alpha") + "/konto/login/")
    # The IdP forgot the session: signing in asks for the login again.
    page.get_by_role("link", name="Kommunens login (OIDC)").click()
    page.locator("main form button[type=submit]").click()
    page.wait_for_selector("input[name=login]")


# SAML 2.0 ---------------------------------------------------------------------------------


def test_saml_first_login_creates_the_user_and_records_the_idps_time_and_level(page):
    saml_sign_in(page, "alpha", "bent")
    signed_in_start(page, "alpha")
    assert user_roles("alpha", "bent@alpha.test") == ["jobkonsulent"]
    event = last_audit("alpha", "bent@alpha.test", "login.sso")
    assert "nsis/loa/Substantial" in event.object_label
    assert "IdP-login 20" in event.object_label


def test_saml_role_removed_at_the_idp_is_removed_at_the_next_login(page, world):
    world["saml"].account("dora", saml_attributes("dora", ["VC_Konsulent", "VC_Admin"]))
    saml_sign_in(page, "alpha", "dora")
    signed_in_start(page, "alpha")
    assert user_roles("alpha", "dora@alpha.test") == ["admin", "jobkonsulent"]
    page.context.clear_cookies()
    world["saml"].account("dora", saml_attributes("dora", ["VC_Konsulent"]))
    saml_sign_in(page, "alpha", "dora")
    signed_in_start(page, "alpha")
    assert user_roles("alpha", "dora@alpha.test") == ["jobkonsulent"]


def test_saml_assertion_signed_with_the_next_certificate_is_accepted(page, world):
    world["saml"].mode(sign_with="b")
    saml_sign_in(page, "alpha", "bent")
    signed_in_start(page, "alpha")


@pytest.mark.parametrize(
    "mode",
    [{"sign_with": "rogue"}, {"audience": "urn:someone-else"}, {"expired": True}],
    ids=["bad-signature", "wrong-audience", "expired"],
)
def test_saml_bad_signature_wrong_audience_or_expired_assertion_is_refused(page, world, mode):
    world["saml"].mode(**mode)
    saml_sign_in(page, "alpha", "bent")
    page.wait_for_url(re.compile(re.escape(base("alpha")) + "/konto/saml/.*"))
    assert logout_controls(page) == 0
    assert page.goto(base("alpha") + "/").url.startswith(base("alpha") + "/konto/login/")


def test_saml_response_replayed_or_posted_to_another_jobcentre_is_refused(page):
    posted = []
    page.on(
        "request",
        lambda r: posted.append(r.post_data) if r.method == "POST" and "/acs/" in r.url else None,
    )
    saml_sign_in(page, "alpha", "bent")
    signed_in_start(page, "alpha")
    fields = parse_qs(posted[0])
    page.context.clear_cookies()
    for schema in ("alpha", "beta"):
        # The captured response posted again by the browser, as an attacker's page would.
        inputs = "".join(
            f'<input type="hidden" name="{html.escape(k)}" value="{html.escape(v[0])}">'
            for k, v in fields.items()
        )
        action = base(schema) + "/konto/saml/kommune-saml/acs/"
        page.goto(idps.SAML_BASE + "/angriber")
        page.set_content(
            f'<form method="post" action="{action}">{inputs}<button>Send</button></form>'
        )
        page.click("button", no_wait_after=True)
        page.wait_for_url(re.compile(re.escape(base(schema)) + "/konto/saml/.*"))
        assert logout_controls(page) == 0
        assert page.goto(base(schema) + "/").url.startswith(base(schema) + "/konto/login/")
    assert user_roles("beta", "bent@alpha.test") is None


def test_saml_single_logout_goes_through_the_idp_and_back(page):
    saml_sign_in(page, "alpha", "bent")
    signed_in_start(page, "alpha")
    slo = []
    page.on(
        "request",
        lambda r: slo.append(r.url) if r.url.startswith(idps.SAML_BASE + "/slo") else None,
    )
    page.get_by_role("link", name=re.compile("Log ud")).click()
    page.locator("main form button[type=submit]").first.click()
    try:
        page.wait_for_url(re.compile(re.escape(base("alpha")) + "/konto/login/.*"), timeout=15000)
    except Exception as exc:
        raise AssertionError(f"{page.url}: {page.inner_text('body')[:500]}") from exc
    assert slo, "the logout did not go through the IdP's single logout"
    assert page.goto(base("alpha") + "/").url.startswith(base("alpha") + "/konto/login/")


# The policy, in the browser ----------------------------------------------------------------


def committed(schema: str, work):
    """Run `work()` in the schema in a thread of its own, committed, so the server sees it."""
    from tests.live import race

    def run(_i):
        try:
            with schema_context(schema):
                return work()
        finally:
            connections.close_all()

    return race(1, run)[0]


def _policy(required: bool) -> None:
    from sso.models import SignInPolicy

    SignInPolicy.objects.update_or_create(pk=1, defaults={"staff_sso_required": required})


def _staff_and_mentor_with_passwords() -> None:
    from accounts.models import User
    from accounts.services import user_roles_set

    for email, role in (("dora@alpha.test", "jobkonsulent"), ("emil@alpha.test", "mentor")):
        user = User.objects.filter(email=email).first() or User.objects.create_user(email=email)
        user.set_password(PASSWORD)
        user.save()
        user_roles_set(user=user, roles=[role])


def password_login(page, email: str) -> None:
    page.goto(base("alpha") + "/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def test_password_login_of_staff_is_refused_when_sso_is_required_mentors_keep_theirs(page):
    committed("alpha", _staff_and_mentor_with_passwords)
    committed("alpha", lambda: _policy(True))
    try:
        password_login(page, "dora@alpha.test")
        page.wait_for_load_state()
        assert page.get_by_text("logger ind med kommunens login").count() == 1
        assert page.get_by_role("link", name="Kommunens login (SAML)").count() == 1
        assert logout_controls(page) == 0
        password_login(page, "emil@alpha.test")
        signed_in_start(page, "alpha")
    finally:
        committed("alpha", lambda: _policy(False))
