"""Mentors sign in with MitID Erhverv (issue 26), in a real browser, against the real OpenID
Connect provider process of the staff sign-in tests (tests/sso/oidc_provider.mjs), here
standing in for an OIDC broker in front of NemLog-in: it sends MitID Erhverv's claims under
NemLog-in's names (sso.rules.MITID_CLAIMS): the professional's persistent id, the CVR, the
P-number, the company's name.

Alpha and beta each have a mentors' provider "MitID Erhverv" (short name "mitid") on the same
IdP. A mentor is invited in alpha; the invitation's link starts the first login, which links
the MitID identity; later logins match on the persistent id.
"""

import os
import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD, TENANTS
from tests.e2e.conftest import audit_events_delete
from tests.e2e.test_sso import _live_server, base, committed, oidc_clients, password_login
from tests.sso import idps

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(bool(idps.missing_tools()), reason=idps.missing_tools() or ""),
]

PHONE = {"width": 375, "height": 740}
UID = "https://data.gov.dk/model/core/eid/professional/uuid/persistent"
CVR = "https://data.gov.dk/model/core/eid/professional/cvr"
P_NUMBER = "https://data.gov.dk/model/core/eid/professional/productionUnit"
ORG_NAME = "https://data.gov.dk/model/core/eid/professional/orgName"
FIRST = "https://data.gov.dk/model/core/eid/firstName"
LAST = "https://data.gov.dk/model/core/eid/lastName"
MITID_CLAIMS = [UID, CVR, P_NUMBER, ORG_NAME, FIRST, LAST]
OTHER_CVR = "39999999"
NAMES = ("mette", "niels", "olga", "pia", "rune", "sara", "tove")
EMAILS = [f"{name}@firma.test" for name in NAMES]
CONSULTANT = "konsulent-mitid@alpha.test"


def mitid_claims(name: str, cvr: str, uid: str | None = None) -> dict:
    return {
        UID: uid or f"urn:uuid:{name}-0000-4000-8000-000000000001",
        CVR: cvr,
        P_NUMBER: "1012345678",
        ORG_NAME: "Firmaet A/S" if cvr != OTHER_CVR else "Konkurrenten ApS",
        FIRST: name.capitalize(),
        LAST: "Mentorsen",
        "email": f"{name}@firma.test",
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):  # noqa: ARG001
    from allauth.socialaccount.models import SocialApp

    from accounts.models import User
    from accounts.services import user_create
    from mentors.services import mentor_invite
    from sso.services import ProviderSpec, identity_provider_save
    from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

    directory = tmp_path_factory.mktemp("mitid")
    clients = oidc_clients("mitid", client="mitid", secret="mitid-{schema}-0123456789abcdef")
    today = timezone.localdate()
    with django_db_blocker.unblock():
        with schema_context("alpha"):
            centre = CentreFactory(name="MitID Centret")
            contract = ContractFactory(
                centre=centre, start=today - timedelta(days=60), end=today + timedelta(days=300)
            )
            course = CourseFactory(
                contract=contract,
                place=contract.place_set.get(number=1),
                candidate=CandidateFactory(name="Kaj Kandidat"),
                start=today - timedelta(days=14),
                hours_per_week=Decimal(20),
            )
            company = centre.company
            consultant = user_create(email=CONSULTANT, password=PASSWORD, roles=["jobkonsulent"])
            for name in NAMES:
                mentor_invite(
                    first_name=name.capitalize(),
                    last_name="Mentorsen",
                    email=f"{name}@firma.test",
                    company=company,
                    centres=[centre],
                    acting_user=consultant,
                    base_url=base("alpha"),
                )
        accounts = {name: mitid_claims(name, company.cvr) for name in NAMES}
        # Same e-mail as Mette, another professional id: a different person to MitID.
        accounts["mette-anden"] = mitid_claims("mette", company.cvr, uid="urn:uuid:another")
        # NemLog-in over OIOSAML 3 (pysaml2's IdP), the same attributes as SAML lists.
        users = {"tove": {k: [v] for k, v in mitid_claims("tove", company.cvr).items()}}
        keys = {"a": idps.key_pair(directory, "a")}
        thread = _live_server()
        try:
            with (
                idps.oidc_idp(
                    directory, clients=clients, accounts=accounts, claims=MITID_CLAIMS
                ) as oidc,
                idps.saml_idp(directory, keys=keys, users=users) as saml,
            ):
                for schema in ("alpha", "beta"):
                    with schema_context(schema):
                        admin = User.objects.get(email=f"admin@{schema}.test")
                        identity_provider_save(
                            spec=ProviderSpec(
                                protocol="openid_connect",
                                name="MitID Erhverv",
                                slug="mitid",
                                role_claim="",
                                role_map={},
                                issuer=idps.OIDC_ISSUER,
                                client_id=f"{schema}-mitid",
                                secret=f"mitid-{schema}-0123456789abcdef",
                                audience="mentor",
                            ),
                            acting_user=admin,
                        )
                with schema_context("alpha"):
                    identity_provider_save(
                        spec=ProviderSpec(
                            protocol="saml",
                            name="NemLog-in (MitID Erhverv)",
                            slug="nemlogin",
                            role_claim="",
                            role_map={},
                            entity_id=idps.SAML_BASE + "/metadata",
                            sso_url=idps.SAML_BASE + "/sso",
                            slo_url=idps.SAML_BASE + "/slo",
                            certificates=[keys["a"].cert_body],
                            audience="mentor",
                        ),
                        acting_user=User.objects.get(email="admin@alpha.test"),
                    )
                status, metadata = idps.http_get(
                    TENANTS["alpha"]["domain"], idps.LIVE_PORT, "/konto/saml/nemlogin/metadata/"
                )
                assert status == 200, metadata
                saml.put("/_control/sp", metadata)
                connections.close_all()
                yield {
                    "oidc": oidc,
                    "saml": saml,
                    "course": course,
                    "company": company,
                    "today": today,
                }
        finally:
            thread.terminate()
            thread.join()
            with schema_context("alpha"):
                from mentors.models import Attendance, Mentor

                Attendance.objects.filter(course=course).delete()
                Mentor.objects.filter(user__email__in=EMAILS).delete()
                User.objects.filter(email__in=[*EMAILS, CONSULTANT]).delete()
                candidate = course.candidate
                course.delete()
                candidate.delete()
                contract.delete()
                centre.delete()
                company.delete()
            for schema in ("alpha", "beta"):
                with schema_context(schema):
                    SocialApp.objects.all().delete()
                    from sso.models import SignInPolicy

                    SignInPolicy.objects.all().delete()
                    audit_events_delete(action__startswith="sso.")
                    audit_events_delete(action__startswith="mentor.")
                    audit_events_delete(actor_label__in=[*EMAILS, CONSULTANT])
            connections.close_all()


@pytest.fixture
def page(browser, world):
    world["oidc"].mode(mode="normal")
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="da-DK")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def invitation_link(email: str) -> str:
    from accounts.models import User
    from mentors.services import mitid_invitation_path

    with schema_context("alpha"):
        return base("alpha") + mitid_invitation_path(User.objects.get(email=email))


def at_idp(page, login: str) -> None:
    """allauth's "continue" form, then the IdP's sign-in form, and back."""
    page.locator("main form button[type=submit], form button[type=submit]").first.click()
    page.wait_for_url(re.compile(re.escape(idps.OIDC_ISSUER) + ".*"))
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "hvad-som-helst")
    page.click("button[type=submit]")


def first_login(page, name: str, login: str | None = None) -> None:
    page.goto(invitation_link(f"{name}@firma.test"))
    page.get_by_role("link", name="MitID Erhverv", exact=True).click()
    at_idp(page, login or name)


def mitid_login(page, schema: str, login: str) -> None:
    page.goto(base(schema) + "/konto/login/")
    page.get_by_role("link", name="MitID Erhverv", exact=True).click()
    at_idp(page, login)


def logout_controls(page) -> int:
    """The header's "Log ud" (in the phone's closed menu too: counted, visible or not)."""
    return page.locator(".log-off").count()


def signed_in(page, schema: str = "alpha") -> None:
    try:
        page.wait_for_url(base(schema) + "/", timeout=15000)
    except Exception as exc:
        raise AssertionError(
            f"not signed in at {page.url}: {page.inner_text('body')[:800]}"
        ) from exc
    assert logout_controls(page) == 1


def refused(page, text: str) -> None:
    page.get_by_role("heading", name="Login afvist").wait_for()
    body = page.inner_text("main")
    assert text in body, body
    assert logout_controls(page) == 0


def linked_uids(email: str, schema: str = "alpha") -> list[str]:
    from allauth.socialaccount.models import SocialAccount

    with schema_context(schema):
        return list(SocialAccount.objects.filter(user__email=email).values_list("uid", flat=True))


def centre_names(email: str) -> list[str]:
    from mentors.models import Mentor

    with schema_context("alpha"):
        mentor = Mentor.objects.get(user__email=email)
        return list(mentor.centres.values_list("name", flat=True))


def audited(action: str, email: str | None = None) -> int:
    from audit.models import AuditEvent

    with schema_context("alpha"):
        events = AuditEvent.objects.filter(action=action)
        if email:
            events = events.filter(actor_label=email)
        return events.count()


def screenshot(page, tmp_path, name: str) -> None:
    """E2E_SCREENSHOT_DIR keeps the screenshots for a person to look at."""
    shots = Path(os.environ.get("E2E_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}.png"), full_page=True)


def test_invited_mentor_links_mitid_on_a_phone_and_logs_the_days_attendance(page, world, tmp_path):
    page.goto(invitation_link("mette@firma.test"))
    screenshot(page, tmp_path, "mitid-invitation-375")
    first_login(page, "mette")
    signed_in(page)
    assert linked_uids("mette@firma.test") == [mitid_claims("mette", "")[UID]]
    assert audited("mentor.mitid_link", "mette@firma.test") == 1
    assert page.locator("h1").inner_text() == "I dag"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    row = page.locator("li.att-row").filter(has_text="Kaj Kandidat")
    row.get_by_role("button", name="Mødt").tap()
    row.get_by_text("Gemt: Mødt").wait_for()
    from mentors.models import Attendance

    with schema_context("alpha"):
        attendance = Attendance.objects.get(course=world["course"], date=world["today"])
    assert attendance.status == "present"
    screenshot(page, tmp_path, "mitid-i-dag-375")


def test_a_later_login_matches_on_the_professional_id_never_on_the_email(page):
    invitation = invitation_link("niels@firma.test")
    first_login(page, "niels")
    signed_in(page)
    page.context.clear_cookies()
    # Without the invitation: found by the persistent id.
    mitid_login(page, "alpha", "niels")
    signed_in(page)
    page.context.clear_cookies()
    # Mette's e-mail under another professional id is not Mette.
    mitid_login(page, "alpha", "mette-anden")
    refused(page, "ikke knyttet til en virksomhedsmentor")
    assert "urn:uuid:another" not in linked_uids("mette@firma.test")
    assert audited("mentor.mitid_refused") >= 1
    # The invitation's link is spent by the first login.
    page.goto(invitation)
    assert page.get_by_text("Linket er ikke gyldigt").count() == 1


def test_a_login_for_another_cvr_is_refused_and_nothing_is_linked(page, world, tmp_path):
    world["oidc"].account("olga", mitid_claims("olga", OTHER_CVR))
    first_login(page, "olga")
    refused(page, f"CVR {OTHER_CVR} (Konkurrenten ApS)")
    screenshot(page, tmp_path, "mitid-forkert-cvr-375")
    assert page.get_by_text(f"CVR {world['company'].cvr}").count() == 1
    assert linked_uids("olga@firma.test") == []
    assert centre_names("olga@firma.test") == ["MitID Centret"]
    assert audited("mentor.mitid_refused", "olga@firma.test") == 1
    # Her own company's MitID Erhverv then links as usual.
    world["oidc"].account("olga", mitid_claims("olga", world["company"].cvr))
    page.context.clear_cookies()
    first_login(page, "olga")
    signed_in(page)


def test_a_mentor_who_changed_company_loses_the_old_centre_at_the_next_login(page, world):
    first_login(page, "pia")
    signed_in(page)
    page.context.clear_cookies()
    world["oidc"].account("pia", mitid_claims("pia", OTHER_CVR))
    mitid_login(page, "alpha", "pia")
    refused(page, "Din adgang til MitID Centret er derfor ophørt")
    assert centre_names("pia@firma.test") == []
    assert audited("mentor.centre_end_by_login", "pia@firma.test") == 1
    # Back at the old company's login the access stays gone: the jobcentre decides.
    world["oidc"].account("pia", mitid_claims("pia", world["company"].cvr))
    page.context.clear_cookies()
    mitid_login(page, "alpha", "pia")
    refused(page, "Kontakt jobcentret")


def test_a_replayed_code_or_one_carried_to_another_jobcentre_signs_nobody_in(page):
    callbacks = []
    page.on("request", lambda r: callbacks.append(r.url) if "/login/callback/" in r.url else None)
    first_login(page, "rune")
    signed_in(page)
    callback = callbacks[0]
    page.context.clear_cookies()
    page.goto(callback)
    assert logout_controls(page) == 0
    assert page.goto(base("alpha") + "/").url.startswith(base("alpha") + "/konto/login/")
    parts = urlsplit(callback)
    page.goto(base("beta") + parts.path + "?" + parts.query)
    assert logout_controls(page) == 0
    # And alpha's mentor signing in at beta's MitID Erhverv is unknown there.
    page.context.clear_cookies()
    mitid_login(page, "beta", "rune")
    refused(page, "ikke knyttet til en virksomhedsmentor")
    assert linked_uids("rune@firma.test", "beta") == []


def nemlogin_login(page, login: str, invitation: str | None = None) -> None:
    page.goto(invitation or base("alpha") + "/konto/login/")
    page.get_by_role("link", name="NemLog-in (MitID Erhverv)").click()
    page.locator("main form button[type=submit], form button[type=submit]").first.click()
    page.wait_for_url(re.compile(re.escape(idps.SAML_BASE) + ".*"))
    page.fill("input[name=username]", login)
    page.click("button[type=submit]")


def test_nemlogin_over_oiosaml_links_the_invitation_and_matches_the_persistent_id(page):
    nemlogin_login(page, "tove", invitation_link("tove@firma.test"))
    signed_in(page)
    assert linked_uids("tove@firma.test") == [mitid_claims("tove", "")[UID]]
    assert page.locator("li.att-row").filter(has_text="Kaj Kandidat").count() == 1
    page.context.clear_cookies()
    nemlogin_login(page, "tove")
    signed_in(page)


def _mentor_policy(required: bool) -> None:
    from sso.models import SignInPolicy

    SignInPolicy.objects.update_or_create(pk=1, defaults={"mentor_sso_required": required})


def _passwords() -> None:
    from accounts.models import User

    user = User.objects.get(email="sara@firma.test")
    user.set_password(PASSWORD)
    user.save()


def test_the_mentors_password_login_switched_off_points_to_mitid_staff_unaffected(page):
    committed("alpha", _passwords)
    committed("alpha", lambda: _mentor_policy(True))
    try:
        password_login(page, "sara@firma.test")
        page.get_by_text("logger ind med MitID Erhverv").wait_for()
        assert logout_controls(page) == 0
        password_login(page, CONSULTANT)
        signed_in(page)
    finally:
        committed("alpha", lambda: _mentor_policy(False))
    page.context.clear_cookies()
    password_login(page, "sara@firma.test")
    signed_in(page)
