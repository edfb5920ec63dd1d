"""Isolation proven, not assumed: every URL pattern of config/urls.py, as every role of
jobcentre A, every role of jobcentre B against A's ids, and anonymous.

The URL conf is walked, not listed: a new URL pattern that ACCESS (below) does not name
makes the test fail, so whoever adds a page decides here who may open it.

- A role without business on a page gets 403, 404, or a redirect to the login (GET, and
  POST for POST-only views, so a permission check behind require_POST is reached too).
- A user of B asking B's host for A's ids gets nothing of A: no 200 for an id of A, and no
  response body at B contains any of A's candidate names or CPR numbers.
- A role with business gets no server error.
"""

import logging
import re
from datetime import date

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django_tenants.utils import schema_context

from tests.conftest import TENANTS
from tests.factories import CandidateFactory, ContractFactory, CourseFactory, MentorFactory

ROLES = ["jobkonsulent", "sagsbehandler", "mentor", "jobcenterchef", "admin", None]

# Who may open each URL (by name; unnamed patterns by route). "*" = every logged-in user
# including one without a role; "public" = also anonymous (login, password reset, the
# director's signing link whose token is the key). Anything else: a tuple of roles.
KONS, SAGS, MENT, CHEF, ADM = ROLES[:5]
CASE = (KONS, SAGS)
ANY = "*"
PUBLIC = "public"
ACCESS: dict[str, object] = {
    "home": (KONS, SAGS, MENT, CHEF, ADM),
    # candidates (issue 5): case roles read, jobkonsulent manages; chef/admin/mentor never.
    "candidates:list": CASE,
    "candidates:register": CASE,
    "candidates:detail": CASE,
    "candidates:print": CASE,
    "candidates:cpr_reveal": CASE,
    "candidates:refer": CASE,
    "candidates:edit": CASE,
    "candidates:waiting_list": CASE,
    "candidates:visitation": (KONS,),
    "candidates:withdraw": (KONS,),
    "candidates:target_group": (KONS,),
    "candidates:courses": CASE,
    "candidates:course": CASE,
    "candidates:course_hours": (KONS,),
    "candidates:goal_add": (KONS,),
    "candidates:goal_progress": (KONS,),
    "candidates:note_add": (KONS,),
    "candidates:course_follow_up": (KONS,),
    "candidates:course_extend": (KONS,),
    "candidates:course_end": (KONS,),
    "candidates:course_agreement": CASE,
    "candidates:due": (KONS,),
    "centers:list": CASE,
    "centers:refill": CASE,
    # contracts (issue 7)
    # The jobcentre's admin manages people, not cases: no contracts (issue 17).
    "contracts:list": (KONS, CHEF),
    "contracts:create": (KONS,),
    "contracts:detail": (KONS, CHEF),
    "contracts:edit": (KONS,),
    "contracts:approve": (KONS,),
    "contracts:amendment_create": (KONS,),
    "contracts:chief_sign": (CHEF,),
    # Sending the director's link is the jobkonsulent's case work; the chef signs.
    "contracts:signing_link_send": (KONS,),
    "contracts:document_request": (KONS, CHEF),
    "contracts:document_status": (KONS, CHEF),
    "contracts:document_download": (KONS, CHEF),
    "contracts:director_sign": PUBLIC,
    # The director's signing link (issue 21): the PDF to sign and its rendering's state.
    "contracts:director_document": PUBLIC,
    "contracts:director_document_status": PUBLIC,
    "contracts:terminate": (KONS,),
    "contracts:template": (KONS, CHEF),
    # Workplaces and the staff-ratio rule (issue 20): the jobkonsulent records, both read.
    "contracts:workplaces": (KONS, CHEF),
    "contracts:workplace_create": (KONS,),
    "contracts:workplace": (KONS, CHEF),
    "contracts:workplace_centre": (KONS,),
    "contracts:workplace_fact": (KONS,),
    # mentors (issue 6): the mentor's own centres; the jobkonsulent's overview.
    "mentors:today": (MENT,),
    "mentors:day": (MENT,),
    "mentors:week": (MENT,),
    "mentors:week_of": (MENT,),
    "mentors:hours": (MENT,),
    "mentors:course": (MENT,),
    "mentors:attendance_save": (MENT,),
    "mentors:all_present": (MENT,),
    "mentors:note_create": (MENT,),
    "mentors:flag_raise": (MENT,),
    "mentors:centre_stats": (MENT, KONS),
    "mentors:centre_export": (MENT, KONS),
    "mentors:consultant_overview": (KONS,),
    "mentors:invite": (KONS,),
    # The invitation's first sign-in with MitID Erhverv (issue 26): its one-time key is the
    # key, so it is public (a wrong key is a Danish 404 page).
    "mentors:mitid_invitation": PUBLIC,
    "mentors:consultant_course": (KONS,),
    "mentors:flag_resolve": (KONS,),
    "mentors:grants": (KONS,),
    "mentors:grant_extend": (KONS,),
    # reports (issue 9)
    "reports:dashboard": (CHEF, KONS),
    # The chef orders the key figures; the jobkonsulent reads them.
    "reports:compute": (CHEF,),
    "reports:job_state": (CHEF, KONS),
    "reports:centres": (CHEF, KONS),
    "reports:goals": (CHEF, KONS),
    "reports:centre_detail": (CHEF, KONS),
    "reports:export": (CHEF, KONS),
    "reports:pdf": (CHEF, KONS),
    "reports:caseload": (KONS,),
    "reports:settings": (CHEF, ADM),
    "national:comparison": (CHEF,),
    "national:comparison_export": (CHEF,),
    # billing (issue 8)
    "billing:index": (KONS, CHEF),
    "billing:month": (KONS, CHEF),
    # Both build the month (issue 23: a fresh month had no way for the chef); the chef approves.
    "billing:rebuild": (KONS, CHEF),
    "billing:export_csv": (KONS, CHEF),
    "billing:export_xlsx": (KONS, CHEF),
    "billing:run_status": (KONS, CHEF),
    "billing:statement": (KONS, CHEF),
    "billing:approve": (CHEF,),
    "billing:pdf": (KONS, CHEF),
    "billing:invoice": (KONS, CHEF),
    # audit and GDPR (issue 10): the chef only.
    "audit:list": (CHEF,),
    "audit:candidate": (CHEF,),
    "audit:access_export": (CHEF,),
    "audit:data_export": (CHEF,),
    "audit:user": (CHEF,),
    # allauth: the login pages are public, the account pages for every logged-in user.
    "account_login": PUBLIC,
    "account_logout": PUBLIC,
    "account_inactive": PUBLIC,
    "account_signup": PUBLIC,  # closed: the adapter refuses sign-up
    "account_reauthenticate": ANY,
    # Reauthentication by an e-mailed code (allauth 65.22): only for a signed-in user.
    "account_request_reauthentication_code": ANY,
    "account_confirm_reauthentication_code": ANY,
    "account_email": ANY,
    "account_email_verification_sent": PUBLIC,
    "account_change_password": ANY,
    "account_set_password": ANY,
    "account_reset_password": PUBLIC,
    "account_confirm_login_code": PUBLIC,
    "account_confirm_email": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_done": PUBLIC,
    "mfa_index": ANY,
    "mfa_authenticate": PUBLIC,
    "mfa_reauthenticate": ANY,
    "mfa_activate_totp": ANY,
    "mfa_deactivate_totp": ANY,
    "mfa_view_recovery_codes": ANY,
    "mfa_generate_recovery_codes": ANY,
    "mfa_download_recovery_codes": ANY,
    # Single sign-on (issue 25): the jobcentre's admin configures it; the IdP's ways in and
    # out (allauth's social-account URLs and our wrappers in front of them) are public, the
    # linked-accounts page is every signed-in user's.
    "sso:index": (ADM,),
    "sso:provider_new": (ADM,),
    "sso:provider_edit": (ADM,),
    "sso:provider_delete": (ADM,),
    "konto/oidc/<str:provider_id>/login/": PUBLIC,
    "konto/saml/<str:organization_slug>/login/": PUBLIC,
    "konto/logout/": PUBLIC,
    "openid_connect_login": PUBLIC,
    "openid_connect_callback": PUBLIC,
    "saml_acs": PUBLIC,
    "saml_finish_acs": PUBLIC,
    "saml_sls": PUBLIC,
    "saml_metadata": PUBLIC,
    "saml_login": PUBLIC,
    "socialaccount_signup": PUBLIC,
    "socialaccount_login_cancelled": PUBLIC,
    "socialaccount_login_error": PUBLIC,
    "socialaccount_connections": ANY,
    # allauth's old addresses of the same four: permanent redirects to /konto/3rdparty/.
    "konto/social/signup/": PUBLIC,
    "konto/social/login/cancelled/": PUBLIC,
    "konto/social/login/error/": PUBLIC,
    "konto/social/connections/": PUBLIC,
    # The accessibility statement (issue 22): linked from every page's footer, the login's too.
    "accessibility": PUBLIC,
    # The language choice at the top of every page (POST; Django's set_language).
    "set_language": PUBLIC,
    # the page benchmark's floor (docs/benchmarks.md): an empty page under the base layout
    "blank": ANY,
    # The integration API (issue 27): API keys only, never a session (401 for every browser
    # user; tests/api checks each key and scope). Its OpenAPI document and docs are public.
    "api-v1:openapi-json": PUBLIC,
    "api-v1:openapi-view": PUBLIC,
    "api-v1:*": (),
    "api_integrations": (ADM,),
    "api_key_create": (ADM,),
    "api_key_revoke": (ADM,),
    "api_invoice_settings": (ADM,),
    # The tenant admin: its staff only (the jobcentre's admin role); login via allauth.
    "admin/login/": PUBLIC,
    "admin:logout": PUBLIC,
    "admin:*": (ADM,),
}

# Values for the path parameters that are not ids of objects.
SLUGS = {
    "version": "1",
    "token": "ukendt-underskriftslink",
    "day": "2025-02-03",
    "monday": "2025-02-03",
    "table": "centre",
    "fmt": {
        "reports:export": "csv",
        "audit:access_export": "csv",
        "audit:data_export": "json",
        "national:comparison_export": "xlsx",
    },
    "month": "2025-02",
    "key": "ukendt",
    "uidb36": "1",
    "url": "ukendt/",
    "kind": "employees",
    "protocol": "saml",
    # alpha's identity provider (a_objects); at beta the same short name is unknown.
    "provider_id": "alfa-kommune",
    "organization_slug": "alfa-kommune",
}


def url_patterns():
    """(name or route, route) of every pattern of the jobcentre URL conf."""

    def walk(patterns, prefix="", ns=None):
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{ns}:{p.namespace}" if ns and p.namespace else (p.namespace or ns)
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                name = f"{ns}:{p.name}" if ns and p.name else p.name
                yield (name or prefix + str(p.pattern)), prefix + str(p.pattern)

    return list(walk(get_resolver("config.urls").url_patterns))


def access_for(name: str):
    if name in ACCESS:
        return ACCESS[name]
    if name.startswith("admin:") or name.startswith("admin/"):
        return ACCESS["admin:*"]
    if name.startswith("api-v1:"):
        return ACCESS["api-v1:*"]
    raise KeyError(name)


PARAM = re.compile(r"<(?:(\w+):)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def fill(name: str, route: str, ids: dict) -> str:
    """The route with its parameters replaced by ids of A's objects or slugs."""
    route = route.replace("^", "").replace("$", "")

    def value(match):
        param = match.group(2) or match.group(3)
        if param in SLUGS:
            slug = SLUGS[param]
            return slug.get(name, "csv") if isinstance(slug, dict) else slug
        if param == "object_id":  # admin/<app>/<model>/<id>/...
            app_label, model_name = route.split("/")[1:3]
            return str(ids["admin"].get(f"{app_label}.{model_name}", 0))
        key = name if name in ids["by_name"] else name.split(":")[0] + ":" + param
        return str(ids["by_name"].get(key, ids["by_name"].get(f"{name}:{param}", 0)))

    return "/" + PARAM.sub(value, route)


def a_objects(tenant_a) -> dict:
    """Objects of every kind a URL names, in A; their ids and A's secrets (names, CPR)."""
    from billing.services import billing_month_build
    from candidates.models import FollowUpNote, Goal, Referral
    from contracts.models import ContractDocument
    from mentors.models import AttendanceFlag

    from .conftest import users_for

    with schema_context("alpha"):
        contract = ContractFactory(start=date(2025, 1, 1), centre__name="Alfa Butik")
        young = CandidateFactory(name="Alma Hemmelig", birth_date=date(2005, 3, 1))
        course = CourseFactory(candidate=young, contract=contract)
        waiting = CandidateFactory(name="Bjarne Fortrolig")
        referral = Referral.objects.create(
            candidate=waiting, referred_on=date(2025, 2, 1), reason="Henvist til test"
        )
        goal = Goal.objects.create(course=course, text="Møde til tiden")
        FollowUpNote.objects.create(course=course, date=date(2025, 2, 10), text="Går godt")
        flag = AttendanceFlag.objects.create(
            course=course, date=date(2025, 2, 11), source="mentor", reason="Udeblev"
        )
        document = ContractDocument.objects.create(contract=contract, version=1, kind="preview")
        from mentors.models import MentorGrant

        grant = MentorGrant.objects.create(
            place=course.place,
            start=date(2025, 2, 1),
            end=date(2025, 3, 1),
            hours_per_week=1,
            hourly_rate=200,
        )
        users = users_for(tenant_a)
        from sso.services import ProviderSpec, identity_provider_save

        idp = identity_provider_save(
            spec=ProviderSpec(
                protocol="saml",
                name="Alfa Kommune",
                slug="alfa-kommune",
                role_claim="role",
                role_map={"konsulent": "jobkonsulent"},
                entity_id="https://idp.alfa.example/metadata",
                sso_url="https://idp.alfa.example/sso",
                certificates=["MIIBfake"],
            ),
            acting_user=users["admin"],
        )
        mentor = MentorFactory(user=users["mentor"], company=contract.centre.company)
        mentor.centres.add(contract.centre)
        build = billing_month_build(month=date(2025, 2, 1), today=date(2025, 3, 15))
        from billing.models import BillingRun, Statement

        statement = Statement.objects.order_by("pk").first()
        run = BillingRun.objects.create(month=date(2025, 2, 1))
        admin_ids = {}
        for model in apps.get_models():
            obj = model.objects.order_by("pk").first() if _in_tenant(model) else None
            if obj is not None:
                admin_ids[model._meta.label_lower] = obj.pk
        del build
        ids = {
            "candidates:pk": young.pk,
            "candidates:visitation": referral.pk,
            "candidates:withdraw": referral.pk,
            "candidates:goal_progress": goal.pk,
            "centers:pk": contract.pk,
            "contracts:pk": contract.pk,
            "contracts:document_pk": document.pk,
            "contracts:workplace": contract.centre.workplace_id,
            "contracts:workplace_centre": contract.centre.workplace_id,
            "contracts:workplace_fact": contract.centre.workplace_id,
            "mentors:centre_stats": contract.centre_id,
            "mentors:centre_export": contract.centre_id,
            "mentors:all_present": contract.centre_id,
            "mentors:flag_resolve": flag.pk,
            "mentors:grants": contract.pk,
            "mentors:grant_extend": grant.pk,
            "mentors:pk": course.pk,
            "reports:pk": contract.centre_id,
            "billing:run_status": run.pk,
            "billing:pk": statement.pk if statement else 0,
            "audit:pk": young.pk,
            "audit:user": users["jobkonsulent"].pk,
            "sso:pk": idp.pk,
        }
        for name in ("course", "course_hours", "goal_add", "note_add", "course_follow_up"):
            ids[f"candidates:{name}"] = course.pk
        for name in ("course_extend", "course_end", "course_agreement"):
            ids[f"candidates:{name}"] = course.pk
        secrets = [young.name, waiting.name]
        for c in (young, waiting):
            secrets += [c.cpr, f"{c.cpr[:6]}-{c.cpr[6:]}"]
    return {"by_name": ids, "admin": admin_ids, "secrets": secrets, "users": users}


def _in_tenant(model) -> bool:
    return model._meta.app_label not in ("tenants", "contenttypes", "sessions", "admin")


def is_login_redirect(response) -> bool:
    """To allauth's login, or to the admin's (which sends on to allauth, or refuses a
    logged-in user who is not staff)."""
    location = response.get("Location", "") if response.status_code == 302 else ""
    return "/konto/login/" in location or location.startswith("/admin/login/")


# 401: the API's answer to a request without an API key.
DENIED = {401, 403, 404}
# URLs whose test value is unknown on purpose, so an allowed role is refused too: the
# director's signing link and allauth's keys take a token, not an id.
REFUSED_BY_DESIGN = {
    "contracts:director_sign",
    "contracts:director_document",
    "contracts:director_document_status",
    # No buyer EAN in the world: 409 with the reason (tests/billing/test_einvoice.py gets one).
    "billing:invoice",
    # An empty form is invalid input (422); the world has no key to revoke (404).
    "api_key_create",
    "api_key_revoke",
    "account_reset_password_from_key",
    "account_confirm_email",
    "mentors:mitid_invitation",
    # The world's document is not rendered yet, its period not computed: 404 by design
    # (tests/contracts/test_pdf.py and test_bad_input's export test download real ones).
    "contracts:document_download",
    "reports:export",
    "reports:pdf",
    # No national comparison computed in the world: 404 (tests/national download real ones).
    "national:comparison_export",
    # A week before the mentor's window (mentors.views.WEEKS_BACK).
    "mentors:week_of",
    # allauth answers 404 until the user has set up an authenticator.
    "mfa_deactivate_totp",
    "mfa_view_recovery_codes",
    "mfa_download_recovery_codes",
    # The IdP's ways in answer only in the middle of a login (a state, a response) or, for
    # the SP metadata and the "continue to the IdP" page, with a real certificate.
    "openid_connect_login",
    "openid_connect_callback",
    "konto/oidc/<str:provider_id>/login/",
    "saml_acs",
    "saml_finish_acs",
    "saml_sls",
    "saml_metadata",
    "saml_login",
    "konto/saml/<str:organization_slug>/login/",
    # Only in the middle of a login through an IdP (a pending sign-up in the session).
    "konto/social/signup/",
    "socialaccount_signup",
    # allauth's "login failed" page answers 401 by design.
    "socialaccount_login_error",
    # The admin's login refuses a signed-in user without admin rights with 403.
    "admin/login/",
}


def must_open(name: str) -> bool:
    """An allowed role must really get this page of its own jobcentre. In the admin that is
    its index and the change lists of the jobcentre's own models (the platform's models,
    append-only add/delete pages and unknown ids answer 403/404 by design)."""
    if name in REFUSED_BY_DESIGN:
        return False
    if name.startswith("admin:") or name.startswith("admin/"):
        return name == "admin:index" or (
            name.endswith("_changelist")
            and not name.startswith(("admin:tenants_", "admin:provisioning_"))
        )
    return True


def check(client, name, url, allowed: bool, secrets=None, own=False) -> str | None:
    """None when the answer is right, else a description of what is wrong.

    `own`: the URL names objects of the user's own jobcentre, so an allowed role must get
    the page (2xx, or a redirect that is not to the login), never a refusal.
    """
    response = client.get(url)
    status = response.status_code
    if status == 405:  # POST-only: the permission check sits behind it
        response = client.post(url, {})
        status = response.status_code
    if status >= 500:
        return f"{name} {url}: {status}"
    refused = status in DENIED or is_login_redirect(response)
    if not allowed and not refused:
        return f"{name} {url}: {status} for a role without business"
    if allowed and own and must_open(name) and (refused or (status >= 400 and status != 400)):
        return f"{name} {url}: {status} for a role the access table allows"
    if secrets is not None:
        body = response.content.decode("utf-8", "replace")
        leaked = [s for s in secrets if s in body]
        if leaked:
            return f"{name} {url}: shows A's {leaked} at B"
    return None


@pytest.fixture
def world(tenant_a, tenant_b):  # noqa: ARG001 - a fixture asked for its effect
    return a_objects(tenant_a)


def _client(host, user=None):
    client = Client(HTTP_HOST=host)
    if user is not None:
        client.force_login(user)
    return client


def test_every_url_is_in_the_access_table():
    missing = []
    for name, _route in url_patterns():
        try:
            access_for(name)
        except KeyError:
            missing.append(name)
    assert missing == [], (
        f"URL names without an entry in ACCESS: {', '.join(missing)}. Decide who may open "
        f"each one and add it to ACCESS at the top of {__file__} (a tuple of roles, ANY for "
        "every signed-in user or PUBLIC for anonymous too)."
    )


def run_matrix(world, tenant_b, record):
    from .conftest import users_for

    # Logging out (a POST) would end the session the rest of the loop needs.
    patterns = [p for p in url_patterns() if p[0] not in ("account_logout", "admin:logout")]
    host_a, host_b = TENANTS["alpha"]["domain"], TENANTS["beta"]["domain"]
    users_b = users_for(tenant_b)
    problems, count = [], 0
    for role in ROLES:
        for tenant, host, users in (("alpha", host_a, world["users"]), ("beta", host_b, users_b)):
            with schema_context(tenant):
                client = _client(host, users[role])
            for name, route in patterns:
                access = access_for(name)
                if tenant == "alpha":
                    allowed = access in (PUBLIC, ANY) or role in access
                    secrets = None
                else:
                    # At B, A's ids are unknown: the same rights, but A's data never shows.
                    allowed = access in (PUBLIC, ANY) or role in access
                    secrets = world["secrets"]
                url = fill(name, route, world)
                problem = check(client, name, url, allowed, secrets, own=tenant == "alpha")
                count += 1
                if problem:
                    problems.append(f"[{tenant} {role or 'ingen rolle'}] {problem}")
    anonymous = _client(host_a)
    for name, route in patterns:
        problem = check(anonymous, name, fill(name, route, world), access_for(name) == PUBLIC)
        count += 1
        if problem:
            problems.append(f"[anonym] {problem}")
    record(count)
    return problems


def test_every_url_as_every_role_of_both_jobcentres_and_anonymous(world, tenant_b, record_count):
    # Thousands of expected 403/404s: their log lines (with tracebacks) would cost more
    # than the requests.
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.CRITICAL)
    try:
        problems = run_matrix(world, tenant_b, record_count)
    finally:
        request_logger.setLevel(level)
    assert problems == [], "\n".join(problems)


def test_ids_of_a_are_not_found_at_b(world, tenant_b):
    """The object pages of B answer 404 (or refuse) for A's ids; never 200 with a page."""
    from .conftest import users_for

    users_b = users_for(tenant_b)
    host_b = TENANTS["beta"]["domain"]
    wrong = []
    for role in ROLES[:5]:
        with schema_context("beta"):
            client = _client(host_b, users_b[role])
        for name, route in url_patterns():
            # Users are numbered per schema too: audit:user may name B's own user.
            if "<int:" not in route or name.startswith("admin") or name == "audit:user":
                continue
            response = client.get(fill(name, route, world))
            if response.status_code == 200:
                wrong.append(f"{role} {name}")
    assert wrong == []
