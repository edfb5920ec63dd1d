"""Every page of every role, in Chromium with axe-core: WCAG 2.1 A/AA, Danish, no sideways
scroll, visible keyboard focus (issue 22).

The page list comes from the URL conf, not from a list of pages: every named pattern of the
jobcentre's URL conf is visited by every role, with the sample kwargs of `SAMPLES` (real ids
of a world committed in a jobcentre of its own, `walk`, dropped afterwards). A new pattern
without a sample fails `test_every_url_pattern_has_a_sample` naming it: add its kwargs (or a
reason in `NOT_WALKED`) here. Each role sees its pages at 1366 px; the mentor's also at
375 px. A page a role may not open (403/404) is checked once per role as the error page it
shows; a POST-only address (405) and downloads are left out.

The Django admin is walked as well: every registered model's list, add and change page (a
real row), by the jobcentre's admin and, on the platform (public schema), by an operator.
Besides axe, each page is checked for English, sideways scroll, boxes narrower than their
content (_check_page: OVERFLOW_JS) and the keyboard (KEYS_PREP_JS/KEYS_CHECK_JS: every
visible control reachable and showing its focus, the first Tab presses in order); the menu
is opened and closed with the keyboard once per role (_check_menu).
test_the_walks_own_checks_find_known_faults shows the checks fail where they must.
"""

import http.client
import json
import os
import re
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD, ROOT, TENANTS

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCHEMA = "walk"
HOST = "walk.test.localhost"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 375, "height": 812}
ROLES = ["jobkonsulent", "sagsbehandler", "mentor", "jobcenterchef", "admin"]
NAMES = {
    "jobkonsulent": ("Jonas", "Konsulentsen"),
    "sagsbehandler": ("Sara", "Behandlersen"),
    "mentor": ("Mette", "Mentorsen"),
    "jobcenterchef": ("Charlotte", "Chefsen"),
    "admin": ("Anders", "Administratorsen"),
}

# English a user must never meet (Django's, allauth's and the admin's own strings, English
# dates). Whole words, case-sensitive: Danish text has none of them.
ENGLISH = [
    "Forbidden",
    "Server Error",
    "Not Found",
    "Page not found",
    "Password",
    "password",
    "success",
    "successfully",
    "Django",
    "Sign In",
    "Sign Up",
    "Sign Out",
    "Log out",
    "Submit",
    "Save",
    "Delete",
    "Cancel",
    "Search",
    "Welcome",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "January",
    "December",
    "Toggle",
    "required",
]
ENGLISH_RE = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b")

# URL patterns deliberately not walked, with the reason. Everything else needs a sample.
NOT_WALKED_PREFIXES = {
    "admin:": "the admin: _admin_urls walks its index and every model's list, add and change "
    "page (delete and history are Django's confirmation and log pages)",
    "saml_": "the SAML endpoints the IdP talks to (tests/e2e/test_sso.py signs in through them)",
    "openid_connect_": "the OpenID Connect endpoints (tests/e2e/test_sso.py signs in through them)",
    "api-v1:": "the integration API: JSON for other systems (tests/api, schemathesis); its "
    "browsable docs are Swagger UI's own page for integrators",
}
NOT_WALKED = {
    "candidates:cpr_reveal": "POST: reveals a CPR number (logged)",
    "mentors:centre_export": "download (CSV)",
    "reports:export": "download (CSV/XLSX)",
    "reports:pdf": "download (PDF)",
    "billing:export_csv": "download (CSV)",
    "billing:export_xlsx": "download (XLSX)",
    "billing:pdf": "download (PDF)",
    "audit:data_export": "download (GDPR export)",
    "audit:access_export": "download (access log)",
    "contracts:document_download": "download (the stored contract PDF)",
    "account_logout": "signs the walking user out",
    "mfa_download_recovery_codes": "download (recovery codes)",
    "reports:job_state": "htmx partial polled by the dashboard",
    "contracts:document_status": "htmx partial polled by the contract page",
    "billing:run_status": "htmx partial polled by the month page",
    "billing:invoice": "download (Peppol BIS 3.0 XML)",
    "contracts:director_document": "download (the PDF the director signs)",
    "contracts:director_document_status": "htmx partial polled by the director's signing page",
    "national:comparison_export": "download (XLSX/PDF)",
    "api_key_revoke": "POST: revokes an API key",
    "sso:provider_delete": "POST: deletes an identity provider",
    "set_language": "POST: the language choice (its form is on every page walked)",
    "mentors:all_present": "POST: marks the centre's candidates present (the day page is walked)",
}


@dataclass
class World:
    ids: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    # URL names axe has checked (at a width): axe runs once per page and width, the cheap
    # checks (English, sideways scroll, focus) for every role.
    axe_checked: set = field(default_factory=set)
    visited: list = field(default_factory=list)  # "who@width status url", for the report


def _samples(w: World) -> dict:
    """Sample kwargs per URL name: real ids of the walk's world."""
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    i = w.ids
    return {
        "candidates:detail": {"pk": i["candidate"]},
        "candidates:print": {"pk": i["candidate"]},
        "candidates:refer": {"pk": i["candidate_free"]},
        "candidates:target_group": {"pk": i["candidate"]},
        "candidates:visitation": {"pk": i["referral"]},
        "candidates:withdraw": {"pk": i["referral"]},
        "candidates:course": {"pk": i["course"]},
        "candidates:course_hours": {"pk": i["course"]},
        "candidates:goal_add": {"pk": i["course"]},
        "candidates:goal_progress": {"pk": i["goal"]},
        "candidates:note_add": {"pk": i["course"]},
        "candidates:course_follow_up": {"pk": i["course_ended"]},
        "candidates:course_extend": {"pk": i["course"]},
        "candidates:course_end": {"pk": i["course"]},
        "candidates:course_agreement": {"pk": i["course"]},
        "centers:refill": {"pk": i["contract"]},
        "contracts:detail": {"pk": i["contract"]},
        "contracts:edit": {"pk": i["contract_draft"]},
        "contracts:approve": {"pk": i["contract_draft"]},
        "contracts:amendment_create": {"pk": i["contract"]},
        "contracts:chief_sign": {"pk": i["contract_draft"], "version": 1},
        "contracts:signing_link_send": {"pk": i["contract_draft"], "version": 1},
        "contracts:document_request": {"pk": i["contract"], "version": 1},
        "contracts:workplace": {"pk": i["workplace"]},
        "contracts:workplace_centre": {"pk": i["workplace"]},
        "contracts:workplace_fact": {"pk": i["workplace"], "kind": "medarbejdere"},
        "contracts:director_sign": {"token": "ugyldigt-link"},
        "contracts:terminate": {"pk": i["contract"]},
        "candidates:edit": {"pk": i["candidate"]},
        "sso:provider_new": {"protocol": "saml"},
        "sso:provider_edit": {"pk": i["sso_provider"]},
        "mentors:day": {"day": today},
        "mentors:week_of": {"monday": monday},
        "mentors:course": {"pk": i["course"]},
        "mentors:attendance_save": {"pk": i["course"]},
        "mentors:note_create": {"pk": i["course"]},
        "mentors:flag_raise": {"pk": i["course"]},
        "mentors:centre_stats": {"pk": i["centre"]},
        "mentors:consultant_course": {"pk": i["course"]},
        "mentors:flag_resolve": {"pk": i["flag"]},
        "mentors:grants": {"pk": i["contract"]},
        "mentors:grant_extend": {"pk": i["grant"]},
        "reports:centre_detail": {"pk": i["centre"]},
        "billing:month": {"month": i["month"]},
        "billing:rebuild": {"month": i["month"]},
        "billing:statement": {"pk": i["statement"]} if i["statement"] else None,
        "billing:approve": {"pk": i["statement"]} if i["statement"] else None,
        "audit:candidate": {"pk": i["candidate"]},
        "audit:user": {"pk": w.users["jobkonsulent"]},
        # allauth: a bad key is a page a person meets (an old link).
        "account_reset_password_from_key": {"uidb36": "x", "key": "ugyldig"},
        "account_confirm_email": {"key": "ugyldig"},
        # The invitation's MitID Erhverv link, spent or wrong (tests/e2e/test_mitid.py
        # signs in through a good one).
        "mentors:mitid_invitation": {"key": "x-ugyldig"},
        "account_reset_password_from_key_done": {},
    }


def _patterns(resolver=None, namespace: str = "", prefix: str = "", inherited=frozenset()):
    """Every named pattern of the URL conf: (name, route, kwarg names), the kwargs of the
    includes it sits under (e.g. konto/saml/<organization_slug>/...) counted too."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        kwargs = inherited | set(getattr(entry.pattern, "converters", {}))
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}{entry.namespace}:"
            yield from _patterns(entry, ns, prefix + str(entry.pattern), frozenset(kwargs))
        elif isinstance(entry, URLPattern) and entry.name:
            route = prefix + str(entry.pattern)
            yield f"{namespace}{entry.name}", route, sorted(kwargs)


def _not_walked(name: str) -> str | None:
    for prefix, reason in NOT_WALKED_PREFIXES.items():
        if name.startswith(prefix):
            return reason
    return NOT_WALKED.get(name)


pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    """A jobcentre of its own with one of everything a page shows; dropped afterwards."""
    from accounts.services import user_create, user_roles_set
    from candidates.models import Goal
    from candidates.services import referral_create
    from mentors.models import AttendanceFlag, Mentor
    from mentors.services import mentor_grant_create
    from tenants.models import Jobcenter
    from tenants.services import jobcenter_create
    from tests.factories import (
        CandidateFactory,
        CentreFactory,
        ContractFactory,
        CourseFactory,
        WorkplaceFactory,
    )

    today = timezone.localdate()
    w = World()
    with django_db_blocker.unblock():
        jobcenter_create(
            schema_name=SCHEMA,
            name="Jobcenter Gennemgang",
            domain=HOST,
            municipality_code="903",
            admin_email="it@walk.test",
            admin_password=PASSWORD,
        )
        try:
            with schema_context(SCHEMA):
                for role in ROLES:
                    first, last = NAMES[role]
                    user = user_create(
                        email=f"{role}@walk.test",
                        password=PASSWORD,
                        roles=[role],
                        first_name=first,
                        last_name=last,
                    )
                    # Staff status follows the admin role (the admin opens the Django admin).
                    user_roles_set(user=user, roles=[role])
                    w.users[role] = user.pk
                centre = CentreFactory(name="Gennemgangens Center")
                contract = ContractFactory(
                    centre=centre,
                    start=today - timedelta(days=120),
                    end=today + timedelta(days=300),
                    payment_model="mentor_hours",
                    payment_amount=Decimal(0),
                    payment_hourly_rate=Decimal(210),
                    payment_hours_per_week=Decimal(4),
                )
                draft = ContractFactory(
                    centre=CentreFactory(name="Kladdens Center"),
                    start=today + timedelta(days=30),
                    end=today + timedelta(days=400),
                    status="draft",
                )
                course = CourseFactory(
                    contract=contract,
                    candidate=CandidateFactory(name="Aksel Andersen"),
                    start=today - timedelta(days=30),
                    planned_end=today + timedelta(days=60),
                )
                ended = CourseFactory(
                    contract=contract,
                    place=contract.place_set.get(number=2),
                    candidate=CandidateFactory(name="Birthe Bertelsen"),
                    start=today - timedelta(days=100),
                    planned_end=today - timedelta(days=40),
                )
                ended.end = today - timedelta(days=40)
                ended.outcome = "ordinaert_job"
                ended.save()
                free = CandidateFactory(name="Carl Christensen")
                waiting = CandidateFactory(name="Dorthe Dalgaard")
                referral = referral_create(
                    candidate=waiting,
                    reason="Ønsker praktik i detailhandlen.",
                    wishes="Tæt på hjemmet.",
                    referred_on=today - timedelta(days=3),
                    acting_user=None,
                )
                goal = Goal.objects.create(course=course, text="Møde til tiden hver dag")
                mentor = Mentor.objects.create(user_id=w.users["mentor"], company=centre.company)
                mentor.centres.set([centre])
                # A locked login, so the admin's change page of one is walked.
                from accounts.models import LoginLock

                LoginLock.objects.create(email="laast@walk.test", window_start=timezone.now())
                flag = AttendanceFlag.objects.create(
                    course=course,
                    date=today - timedelta(days=2),
                    source="mentor",
                    reason="Tre fraværsdage i træk.",
                )
                grant = mentor_grant_create(
                    place=contract.place_set.get(number=1),
                    start=today - timedelta(days=20),
                    end=today + timedelta(days=100),
                    hours_per_week=Decimal(3),
                    hourly_rate=Decimal(210),
                    acting_user=None,
                    purpose="Støtte til pladsen.",
                )
                # The dashboard's default period computed (its tables and charts shown) and
                # last month's statements built, as the worker would.
                from billing.models import Statement
                from billing.services import billing_month_build
                from reports.services import kpi_job_execute, kpi_job_queue, kpi_standard_periods

                period_from, period_to = kpi_standard_periods(today=today)[-1]
                run = kpi_job_queue(period_from=period_from, period_to=period_to, acting_user=None)
                kpi_job_execute(job_run_id=run.pk)
                last_month = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
                billing_month_build(month=last_month, today=today)
                statement = Statement.objects.order_by("pk").first()
                # One identity provider, so the admin's SSO pages show a real row to edit.
                from sso.services import OIDC, ProviderSpec, identity_provider_save

                provider = identity_provider_save(
                    spec=ProviderSpec(
                        protocol=OIDC,
                        name="Kommunens Entra ID",
                        slug="entra",
                        role_claim="roles",
                        role_map={"VC.Konsulent": "jobkonsulent"},
                        issuer="https://login.kommune.invalid/v2.0",
                        client_id="virksomhedscenter",
                        secret="hemmelig-noegle",
                    ),
                    acting_user=None,
                )
                w.ids = {
                    "candidate": course.candidate_id,
                    "candidate_free": free.pk,
                    "referral": referral.pk,
                    "course": course.pk,
                    "course_ended": ended.pk,
                    "goal": goal.pk,
                    "contract": contract.pk,
                    "contract_draft": draft.pk,
                    "centre": centre.pk,
                    "workplace": WorkplaceFactory(name="Gennemgangens Lager").pk,
                    "flag": flag.pk,
                    "grant": grant.pk,
                    "sso_provider": provider.pk,
                    "statement": statement.pk if statement else None,
                    "month": last_month.strftime("%Y-%m"),
                }
            yield w
        finally:
            from django.db import connections

            connections.close_all()
            tenant = Jobcenter.objects.get(schema_name=SCHEMA)
            tenant.domains.all().delete()
            tenant.delete(force_drop=True)


@pytest.fixture(scope="module")
def server(world, tenant_server):  # noqa: ARG001 - a fixture asked for its effect
    # After `world`, so the jobcentre is dropped only once the server is gone.
    return tenant_server("alpha").replace(TENANTS["alpha"]["domain"], HOST)


def test_every_url_pattern_has_a_sample():
    """A page nobody gave a sample is a page the walk would silently skip."""
    w = World(ids=dict.fromkeys(_ID_KEYS, 1), users=dict.fromkeys(ROLES, 1))
    samples = _samples(w)
    missing = [
        f"{name} ({route})"
        for name, route, kwargs in _patterns()
        if kwargs and name not in samples and not _not_walked(name)
    ]
    assert not missing, (
        "URL patterns with no sample kwargs in tests/e2e/test_walk.py (add them to "
        "_samples, or a reason to NOT_WALKED): " + ", ".join(missing)
    )


_ID_KEYS = [
    "candidate",
    "candidate_free",
    "referral",
    "course",
    "course_ended",
    "goal",
    "contract",
    "contract_draft",
    "centre",
    "workplace",
    "flag",
    "grant",
    "sso_provider",
    "statement",
    "month",
]


def _urls(w: World) -> list[tuple[str, str]]:
    samples = _samples(w)
    urls = []
    for name, _route, kwargs in _patterns():
        if _not_walked(name):
            continue
        sample = samples.get(name, {} if not kwargs else None)
        if sample is None:
            continue
        urls.append((name, reverse(name, kwargs=sample, urlconf=None)))
    return urls + _admin_urls(SCHEMA)


def _admin_urls(schema: str, urlconf: str | None = None) -> list[tuple[str, str]]:
    """The admin of a schema: its index and, for every registered model, its list, its add
    form, and the change, history and delete-confirmation pages of a real row (the first
    one; none when the table is empty or the schema has no such table). Opening the delete
    page deletes nothing: it asks."""
    from django.contrib import admin
    from django.contrib.admin.utils import quote
    from django.db import DatabaseError, transaction

    urls = [("admin:index", reverse("admin:index", urlconf=urlconf))]
    with schema_context(schema):
        for model in admin.site._registry:
            info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
            urls.append((f"{info}_changelist", reverse(f"{info}_changelist", urlconf=urlconf)))
            urls.append((f"{info}_add", reverse(f"{info}_add", urlconf=urlconf)))
            try:
                with transaction.atomic():
                    pk = model._default_manager.order_by("pk").values_list("pk", flat=True)[:1]
                    pk = next(iter(pk), None)
            except DatabaseError:  # a table this schema does not hold
                pk = None
            if pk is not None:
                for page in ("change", "history", "delete"):
                    url = reverse(f"{info}_{page}", args=[quote(pk)], urlconf=urlconf)
                    urls.append((f"{info}_{page}", url))
    return urls


CHECK_JS = """() => {
  const text = document.body.innerText;
  const wide = document.documentElement.scrollWidth > window.innerWidth + 1;
  return {text, wide, scrollWidth: document.documentElement.scrollWidth};
}"""

# Keyboard: every visible interactive element of the page is reachable and shows where the
# focus is. One evaluate tags the elements (in DOM order: the Tab order, as no page sets a
# positive tabindex) and records where each real Tab press lands; a bounded number of real
# Tab presses must meet the first elements in that order; then each element is focused
# (element.focus(), in the keyboard mode the presses set) and its computed outline, box
# shadow, border and background compared with the unfocused ones. A visually hidden input
# (DKFDS's label-drawn checkboxes and radios) shows its focus on its label's ::before.
TAB_PRESSES = 12
FOCUS_STYLE_CHECKS = 120
KEYS_PREP_JS = """() => {
  const sel = 'a[href], area[href], button, input:not([type=hidden]), select, textarea, '
    + 'summary, [tabindex], [contenteditable=true]';
  const shown = el => {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) return false;
    if (r.right <= 0 || r.bottom <= -window.scrollY) return false;  // parked off screen (skip link)
    const s = getComputedStyle(el);
    return s.visibility === 'visible' && !el.closest('[inert]');
  };
  const drawn = el => {
    // A transparent input drawn by its label (DKFDS's checkboxes and radios).
    if (el.tagName === 'INPUT' && parseFloat(getComputedStyle(el).opacity) === 0) {
      const label = el.id && document.querySelector('label[for="' + CSS.escape(el.id) + '"]');
      return label && shown(label) ? label : null;
    }
    return el;
  };
  const radioSeen = new Set();
  const items = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.disabled || el.closest('fieldset[disabled]')) continue;
    if (el.matches('[tabindex]') && !el.matches('a[href], button, input, select, textarea, summary')
        && el.tabIndex < 0) continue;  // a script's focus target (tabindex=-1), not a control
    const box = drawn(el);
    if (!box || !shown(box)) continue;
    let order = true;
    if (el.type === 'radio' && el.name) {
      // One Tab stop per group (the checked radio, else the first); arrows move inside.
      const group = el.form ? el.form.elements[el.name] : document.getElementsByName(el.name);
      const stop = Array.from(group).find(r => r.checked) || group[0] || el;
      order = stop === el && !radioSeen.has(el.name);
      if (order) radioSeen.add(el.name);
    }
    el.dataset.walkI = items.length;
    items.push({el, box, order});
  }
  window.__walk = {items, landed: []};
  document.addEventListener('focusin', e => {
    const i = e.target.dataset ? e.target.dataset.walkI : undefined;
    window.__walk.landed.push(i === undefined ? -1 : parseInt(i, 10));
  }, true);
  // A page that puts the focus in its first field (the admin's add forms): the Tab
  // presses go on from there.
  const active = document.activeElement;
  window.__walk.start = active && active.dataset && active.dataset.walkI !== undefined
    ? parseInt(active.dataset.walkI, 10) : -1;
  return items.filter(it => it.order).length;
}"""

KEYS_CHECK_JS = """(limit) => {
  const {items, landed, start} = window.__walk;
  const label = it => (it.el.tagName + ' ' + (it.el.getAttribute('aria-label')
    || it.el.innerText || it.el.value || it.el.name || it.el.id || '').trim().slice(0, 40)).trim();
  const problems = [];
  // Tab order: the presses meet the ordered elements one after the other.
  const ordered = items.map((it, i) => it.order && i > start ? i : null)
    .filter(i => i !== null);
  const met = [];
  for (const i of landed) {
    if (i <= start) continue;
    if (met.length && i <= met[met.length - 1]) break;  // wrapped round to the top
    met.push(i);
  }
  for (let k = 0; k < met.length; k++) {
    if (met[k] !== ordered[k]) {
      const skipped = items[ordered[k]];
      problems.push('Tab skips ' + label(skipped) + ' (press ' + (k + 1) + ' went to '
        + label(items[met[k]]) + ')');
      break;
    }
  }
  const look = (box, pseudo) => {
    const s = getComputedStyle(box, pseudo);
    return [s.outlineStyle === 'none' ? 'none' : s.outlineStyle + s.outlineWidth + s.outlineColor,
      s.boxShadow, s.borderTopColor + s.borderBottomColor + s.borderBottomWidth, s.backgroundColor];
  };
  const seen = new Map();
  let styled = 0;
  for (const it of items) {
    const el = it.el;
    if (el.tabIndex < 0) {
      problems.push('not reachable by Tab (tabindex -1): ' + label(it));
      continue;
    }
    // Reachability for all; the focus style for the first of each kind (a table of 50 rows
    // has 50 links alike), up to a limit.
    const region = el.closest('nav, table, header, footer');
    const kind = [el.tagName, el.className, el.type || '', it.box === el ? '' : 'label',
      region ? region.tagName : ''].join('|');
    const checkStyle = !seen.has(kind) && styled < limit;
    const pseudo = it.box === el ? null : '::before';
    const before = checkStyle ? look(it.box, pseudo) : null;
    el.focus({preventScroll: true});
    if (document.activeElement !== el) {
      problems.push('cannot take focus: ' + label(it));
      continue;
    }
    if (checkStyle) {
      document.getAnimations().forEach(a => { try { a.finish(); } catch (e) {} });
      const after = look(it.box, pseudo);
      seen.set(kind, true);
      styled += 1;
      if (before.every((v, k) => v === after[k])) problems.push('no visible focus on ' + label(it));
    }
    el.blur();
  }
  return problems.slice(0, 5);
}"""

# Nothing sticks out of its box: an element whose content is wider than itself (a heading's
# long word in a card, a table without its scrolling region), not only the page as a whole.
# Inside a region that scrolls on purpose (.table-scroll, overflow auto) nothing is counted.
OVERFLOW_JS = """() => {
  const out = [];
  const scrolls = el => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  // Boxes that hold text (a layout's deliberate negative margins are not counted).
  const boxes = ['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'li', 'dt', 'dd', 'td', 'th',
    'label', 'legend', 'button', 'a', '.card', 'section', 'fieldset']
    .map(t => `main ${t}, header ${t}, footer ${t}, #content ${t}`).join(', ');
  for (const el of document.querySelectorAll(boxes)) {
    if (el.clientWidth === 0 || el.scrollWidth <= el.clientWidth + 1) continue;
    if (scrolls(el) || el.closest('svg')) continue;
    let p = el.parentElement, inScroller = false;
    while (p) { if (scrolls(p)) { inScroller = true; break; } p = p.parentElement; }
    if (inScroller) continue;
    const s = getComputedStyle(el);
    if (s.position === 'absolute' && s.clip !== 'auto') continue;  // visually hidden text
    out.push(el);
  }
  // The innermost offenders: the element that is too narrow for its own content.
  const inner = out.filter(el => !out.some(o => o !== el && el.contains(o)));
  const classes = el => typeof el.className === 'string' && el.className.trim()
    ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
  return inner.slice(0, 3).map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + classes(el) + ' ' + JSON.stringify((el.innerText || '').trim().slice(0, 40))
    + ' ' + el.scrollWidth + '>' + el.clientWidth + ' px');
}"""


AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag',
    values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return r.violations.map(v => v.id + ': ' + v.nodes.slice(0, 3)
    .map(n => n.target.join(' ')).join(' | '));
}"""


def _axe(page) -> list[str]:
    """axe-core's A/AA violations on the page. Evaluated through the browser's debugging
    protocol, which the page's CSP does not govern (the page allows no inline script)."""
    page.evaluate(AXE.read_text())
    return page.evaluate(AXE_RUN)


def test_axe_finds_a_known_violation(browser):
    """The walk's own check: axe, injected as the walk injects it, reports what it must."""
    context = browser.new_context()
    page = context.new_page()
    page.set_content('<html lang="da"><body><main><img src="x.png"></main></body></html>')
    assert any(v.startswith("image-alt") for v in _axe(page))
    context.close()


KNOWN_FAULTS = """<html lang="da"><head><style>
  a:focus, button:focus { outline: 3px solid #000; }
  #bare:focus { outline: none; }
  .card { width: 120px; }
</style></head><body><main>
  <a href="#a">Første</a>
  <button id="bare" type="button">Uden fokusmarkering</button>
  <a href="#b" tabindex="-1">Kun med musen</a>
  <a href="#c">Sidste</a>
  <section class="card"><h2>Virksomhedscentrenes</h2></section>
</main></body></html>"""


def test_the_walks_own_checks_find_known_faults(browser):
    """The keyboard and overflow checks, run as the walk runs them, report an element
    without a visible focus, one Tab never reaches, and a heading wider than its card."""
    context = browser.new_context(viewport=DESKTOP)
    page = context.new_page()
    page.set_content(KNOWN_FAULTS)
    problems: list[str] = []
    _check_page(page, "kendte fejl", problems, axe=False)
    context.close()
    assert any("no visible focus on BUTTON Uden fokusmarkering" in p for p in problems), problems
    assert any("Kun med musen" in p and "Tab" in p for p in problems), problems
    assert any("sticks out of its box: h2" in p for p in problems), problems


# Seconds spent in each kind of check over the module (the walk runs in CI: what costs what).
TIMINGS: dict[str, float] = {}


def _timed(kind: str, run):
    start = time.perf_counter()
    try:
        return run()
    finally:
        TIMINGS[kind] = TIMINGS.get(kind, 0.0) + time.perf_counter() - start


def _check_page(page, where: str, problems: list[str], *, axe: bool) -> None:
    result = _timed("axe", lambda: _axe(page)) if axe else []
    problems += [f"{where}: axe {v}" for v in result]
    seen = page.evaluate(CHECK_JS)
    english = sorted(set(ENGLISH_RE.findall(seen["text"])))
    if english:
        problems.append(f"{where}: English words {english}")
    if seen["wide"]:
        problems.append(f"{where}: scrolls sideways ({seen['scrollWidth']} px)")
    overflow = _timed("overflow", lambda: page.evaluate(OVERFLOW_JS))
    problems += [f"{where}: sticks out of its box: {o}" for o in overflow]
    keys = _timed("keyboard", lambda: _keyboard(page))
    problems += [f"{where}: keyboard: {k}" for k in keys]


def _keyboard(page) -> list[str]:
    stops = page.evaluate(KEYS_PREP_JS)
    for _ in range(min(TAB_PRESSES, stops)):
        page.keyboard.press("Tab")
    return page.evaluate(KEYS_CHECK_JS, FOCUS_STYLE_CHECKS)


def _check_menu(page, where: str, problems: list[str], viewport: dict) -> None:
    """The menu as a keyboard user meets it: each group of the main menu opens with Enter
    and with Space (its links then next on Tab) and Escape closes it; on the phone the Menu
    button opens the drawer (focus inside) and Escape closes it."""
    if viewport["width"] < 992:
        opener = page.locator(".js-menu-open")
        if not opener.count():
            return
        opener.focus()
        page.keyboard.press("Enter")
        inside = page.evaluate("() => !!document.activeElement.closest('.mobile-drawer')")
        if not page.locator(".mobile-drawer").is_visible() or not inside:
            problems.append(f"{where}: menu: Enter on Menu opens no drawer with focus in it")
        page.keyboard.press("Escape")
        if page.locator(".mobile-drawer").is_visible():
            problems.append(f"{where}: menu: Escape does not close the drawer")
        return
    groups = page.locator(".navigation-menu .js-dropdown")
    for n in range(groups.count()):
        button = groups.nth(n)
        if not button.is_visible():  # DKFDS's "Mere" group, shown when the menu overflows
            continue
        label = button.inner_text().strip()
        target = page.locator("#" + button.get_attribute("aria-controls"))
        for key in ("Enter", " "):
            button.focus()
            page.keyboard.press(key)
            if button.get_attribute("aria-expanded") != "true" or not target.is_visible():
                problems.append(f"{where}: menu: {key!r} does not open {label!r}")
                continue
            page.keyboard.press("Tab")
            if not page.evaluate(
                "(id) => document.getElementById(id).contains(document.activeElement)",
                button.get_attribute("aria-controls"),
            ):
                problems.append(f"{where}: menu: Tab after opening {label!r} leaves the group")
            page.keyboard.press("Escape")
            if button.get_attribute("aria-expanded") != "false" or target.is_visible():
                problems.append(f"{where}: menu: Escape does not close {label!r}")


def _probe(base: str, url: str, cookies: list[dict]):
    """GET without the browser (no redirects followed): the server's status and type.
    Straight to 127.0.0.1 with the jobcentre's Host header (the browser's host rule does
    not reach a request made outside it), carrying the browser's session cookie."""
    parts = urlsplit(base)
    conn = http.client.HTTPConnection("127.0.0.1", parts.port, timeout=60)
    cookie = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    conn.request("GET", url, headers={"Host": parts.netloc, "Cookie": cookie})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def _csp_seen(msg, page, base: str, csp: list[str]) -> None:
    """A Content Security Policy refusal of the page's markup or its scripts. One without a
    source (url "") comes from code the walk evaluated itself: axe-core, whose checks of form
    fields set inline styles the page's policy (rightly) refuses."""
    where = msg.location.get("url", "")
    if "Content Security Policy" in msg.text and where:
        line = msg.location.get("lineNumber", "")
        csp.append(f"{page.url.removeprefix(base)} ({where}:{line}): {msg.text[:90]}")


def _sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/konto/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/", timeout=90_000)  # the first sign-in on a loaded CI machine


def _walk(
    browser, w: World, who: str, viewport: dict, base: str, urls, *, email=None, session=None
) -> tuple[int, list[str]]:
    """Every URL of `urls` as `who` (signed in by the login form with `email`, or with an
    existing `session` cookie): each page checked by _check_page, the menu by _check_menu."""
    from django.conf import settings
    from playwright.sync_api import Error as PlaywrightError

    context = browser.new_context(viewport=viewport, locale="da-DK")
    page = context.new_page()
    csp: list[str] = []
    page.on("console", lambda msg: _csp_seen(msg, page, base, csp))
    problems: list[str] = []
    if session:
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base + "/"}]
        )
    else:
        _sign_in(page, base, email)
        _check_menu(page, f"{who}@{viewport['width']} start", problems, viewport)
    checked: set[str] = set()
    errors_seen: set[int] = set()
    logins_seen: set[str] = set()
    visited = 0
    for name, url in urls:
        # A plain request first (the context's cookies, no rendering): a page the role may
        # not open is rendered once per status, a POST-only address or a download never.
        probe = _probe(base, url, context.cookies())
        status = probe.status
        if status >= 500:
            problems.append(f"{who} {name} {url}: server error {status}")
            continue
        if status == 405 or (status in (400, 403, 404) and status in errors_seen):
            continue
        if status < 300 and "text/html" not in (probe.getheader("content-type") or ""):
            continue
        if 300 <= status < 400 and "/login/" in (probe.getheader("location") or ""):
            # Sent to sign in (the admin for a role without it): that page once.
            login = urlsplit(probe.getheader("location")).path
            if login in logins_seen:
                continue
            logins_seen.add(login)
        try:
            response = _timed("load", lambda url=url: page.goto(base + url))
        except PlaywrightError:  # a redirect to a download
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        status = response.status
        if status in (400, 403, 404):
            errors_seen.add(status)
        final = page.url.removeprefix(base)
        if final in checked:
            continue
        checked.add(final)
        visited += 1
        w.visited.append(f"{who}@{viewport['width']} {status} {final}")
        key = (name if status == 200 else str(status), viewport["width"])
        axe = key not in w.axe_checked
        w.axe_checked.add(key)
        _check_page(page, f"{who}@{viewport['width']} {name} {final}", problems, axe=axe)
    problems += [f"{who}: CSP {text}" for text in dict.fromkeys(csp)]
    context.close()
    return visited, problems


def _report(w: World, who: str, viewport: dict, visited: int, problems: list[str]) -> None:
    report = Path(os.environ.get("WALK_REPORT", "/dev/null"))
    if str(report) != "/dev/null":
        with report.open("a") as out:
            record = {"role": who, "width": viewport["width"], "pages": visited}
            record["urls"] = [u for u in w.visited if u.startswith(f"{who}@{viewport['width']} ")]
            record["seconds_so_far"] = {k: round(v, 1) for k, v in TIMINGS.items()}
            out.write(json.dumps({**record, "problems": problems}, ensure_ascii=False) + "\n")
    assert visited >= 3, f"{who} reached only {visited} pages"
    assert not problems, f"{len(problems)} problems on {visited} pages:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    "role,viewport",
    [(role, DESKTOP) for role in ROLES] + [("mentor", PHONE)],
    ids=[f"{role}-1366" for role in ROLES] + ["mentor-375"],
)
def test_every_page_of_the_role_passes_axe_in_danish(browser, server, world, role, viewport):
    urls = _urls(world)
    visited, problems = _walk(
        browser, world, role, viewport, server, urls, email=f"{role}@walk.test"
    )
    _report(world, role, viewport, visited, problems)


PLATFORM_HOST = "platform.test.localhost"


@pytest.fixture(scope="module")
def platform(server, django_db_blocker):
    """The platform's admin (public schema) on a host of its own, with an operator signed in
    (a superuser with a TOTP authenticator, as the platform demands): the session cookie."""
    from allauth.mfa.models import Authenticator
    from django.conf import settings
    from django.contrib.sessions.models import Session
    from django.test import Client

    from accounts.models import LoginLock, User
    from tenants.models import Domain, Jobcenter

    with django_db_blocker.unblock(), schema_context("public"):
        domain = Domain.objects.create(
            domain=PLATFORM_HOST,
            tenant=Jobcenter.objects.get(schema_name="public"),
            is_primary=False,
        )
        user = User.objects.create_superuser(email="drift@walk.test", password=PASSWORD)
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
        lock = LoginLock.objects.create(email="laast@walk.test", window_start=timezone.now())
        client = Client(HTTP_HOST=PLATFORM_HOST)
        client.force_login(user)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        try:
            yield server.replace(HOST, PLATFORM_HOST), session
        finally:
            Session.objects.filter(session_key=session).delete()
            Authenticator.objects.filter(user=user).delete()
            lock.delete()
            # Not user.delete(): its cascade asks tables the public schema does not hold.
            user.groups.clear()
            User.objects.filter(pk=user.pk)._raw_delete(User.objects.db)
            domain.delete()


def test_every_page_of_the_platform_admin_passes_axe_in_danish(browser, world, platform):
    base, session = platform
    # Named apart from the jobcentre's admin pages, so axe checks these too.
    urls = [(f"platform {name}", url) for name, url in _admin_urls("public", "config.urls_public")]
    visited, problems = _walk(browser, world, "platform", DESKTOP, base, urls, session=session)
    _report(world, "platform", DESKTOP, visited, problems)
