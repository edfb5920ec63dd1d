"""Random and hostile input (hypothesis): overlong strings, control characters, SQL and HTML
fragments, impossible dates, negative and huge numbers. Every form and the import answer
with a Danish validation error or a clean success - never a 500, never a partial write,
never unescaped HTML in the page."""

import copy
import os
from contextlib import contextmanager
from datetime import date
from urllib.parse import quote

import pytest
from django.db import transaction
from django.template.base import Template
from django_tenants.utils import schema_context
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from candidates.models import Candidate, Referral
from contracts.models import Contract
from tests.conftest import make_user, tenant_client
from tests.domain.test_import import GOOD, IMPORTED_ON, MODELS
from tests.factories import CentreFactory, CourseFactory

from .conftest import record, users_for

# `make test` runs 60 examples per form; `make fuzz` (CI, after make test) runs 1,000.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
# Examples run per form (the test's key): each must reach EXAMPLES (checked after the module).
COUNTED: dict[str, int] = {}

HOSTILE = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'; DROP TABLE candidates_candidate; --",
    "\x00",
    "\u202e",
    "0101901234",
    "x" * 5000,
    "-1",
    "2025-02-30",
    "99999999999999999999",
    "NaN",
    "{{ 7*7 }}",
]

text = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=300))
number_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(10**12), max_value=10**12).map(str),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
date_text = st.one_of(
    st.sampled_from(["2025-02-30", "0000-01-01", "9999-12-31", "31.12.2025", "", "i går"]),
    st.dates().map(date.isoformat),
    text,
)

ENGLISH_DEFAULTS = ("This field is required", "Enter a valid", "Ensure this value")
SETTINGS = settings(
    max_examples=EXAMPLES,
    # One example is one request through the whole stack against the real database: tens of
    # milliseconds, more on a busy machine; no deadline, no "too slow" warning.
    deadline=None,
    # The same examples on every run: CI must not fail on a new random draw (and no example
    # database: a run is the same whatever an earlier one found). Run with
    # --hypothesis-seed=random locally to explore further.
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def count(form: str) -> None:
    COUNTED[form] = COUNTED.get(form, 0) + 1


@contextmanager
def rolled_back():
    """One example's writes, undone when it ends (a savepoint in the test's transaction):
    every example meets the same rows, so the count before is taken once per test, and a
    form that succeeded once does not turn every later example into a refusal."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def rows(*models) -> int:
    """Rows of the models, and the audit log's change events (not its read events): every
    write of a service leaves one, so a refused form that wrote anything shows here."""
    from django.db import connection

    from audit.models import AuditEvent

    # One round trip for all of them: make fuzz runs it once per example, 1,000 times.
    tables = [m._meta.db_table for m in models]
    counts = " + ".join(f"(SELECT count(*) FROM {table})" for table in tables)
    audit = AuditEvent._meta.db_table
    sql = f"SELECT {counts or '0'} + (SELECT count(*) FROM {audit} WHERE NOT is_access)"  # noqa: S608 - table names from the models
    with schema_context("alpha"), connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0]


def each(*models) -> tuple[int, ...]:
    """The rows of each model, in one round trip."""
    from django.db import connection

    counts = ", ".join(f"(SELECT count(*) FROM {m._meta.db_table})" for m in models)
    with schema_context("alpha"), connection.cursor() as cursor:
        cursor.execute(f"SELECT {counts}")  # noqa: S608 - table names from the models
        return tuple(cursor.fetchone())


@pytest.fixture
def baseline():
    """rows() (or each()) as every example of the test finds them - each example is rolled
    back - counted once per test."""
    seen: dict[tuple, object] = {}

    def before(*models, count=rows):
        key = (count, *models)
        if key not in seen:
            seen[key] = count(*models)
        return seen[key]

    return before


@pytest.fixture(scope="module", autouse=True)
def _report_examples():
    yield
    record("hypothesis_examples", sum(COUNTED.values()))
    short = {form: n for form, n in COUNTED.items() if n < EXAMPLES}
    assert not short, f"forms with fewer than {EXAMPLES} examples: {short}"


@pytest.fixture(scope="module", autouse=True)
def _no_template_recording():
    """The test client records every template rendered with a copy of its context (for
    `response.context`); these tests read only the body, and the copies cost about a tenth
    of each request. Templates render as they do outside tests."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Template, "_render", lambda self, context: self.nodelist.render(context))
        yield


def assert_clean_answer(response, values) -> str:
    assert response.status_code < 500, response.status_code
    body = response.content.decode("utf-8", "replace")
    for value in values:
        if isinstance(value, str) and ("<script" in value or "<img" in value):
            assert value not in body, "unescaped HTML in the page"
    assert not any(text in body for text in ENGLISH_DEFAULTS), "an English error message"
    return body


@pytest.fixture
def clients(login, tenant_a):
    users = users_for(tenant_a)
    return {
        role: login(tenant_a, user=users[role], client=tenant_client(tenant_a))
        for role in ("sagsbehandler", "jobkonsulent", "mentor", "jobcenterchef")
    }


@SETTINGS
@given(
    cpr=st.one_of(text, st.from_regex(r"\A[0-9]{6}-?[0-9]{4}\Z")),
    name=text,
    phone=text,
    email=text,
    benefit=st.one_of(st.sampled_from(["kontanthjaelp", "sygedagpenge"]), text),
    matchgruppe=number_text,
    reason=text,
    wishes=text,
)
def test_register_and_refer_a_candidate(
    clients, baseline, cpr, name, phone, email, benefit, matchgruppe, reason, wishes
):
    count("henvisning")
    before = baseline(Candidate, Referral)
    values = {
        "step": "create",
        "cpr": cpr,
        "name": name,
        "phone": phone,
        "email": email,
        "benefit": benefit,
        "matchgruppe": matchgruppe,
        "reason": reason,
        "wishes": wishes,
    }
    with rolled_back():
        response = clients["sagsbehandler"].post("/kandidater/henvisning/", values)
        assert_clean_answer(response, values.values())
        if response.status_code == 302:
            candidates, referrals = baseline(Candidate, Referral, count=each)
            assert each(Candidate, Referral) == (candidates + 1, referrals + 1)
        else:  # refused: nothing written, not even the candidate without its referral
            assert rows(Candidate, Referral) == before


LIST_PAGES = ["/kandidater/", "/kandidater/venteliste/", "/kandidater/forloeb/"]


@SETTINGS
@given(q=text, benefit=text, state=text, sort=text, side=number_text)
@pytest.mark.parametrize("path", LIST_PAGES)
def test_list_filters_and_search(clients, path, q, benefit, state, sort, side):
    count(path)
    params = {"q": q, "benefit": benefit, "state": state, "sort": sort, "side": side}
    with rolled_back():  # the list read it logs
        assert_clean_answer(clients["jobkonsulent"].get(path, params), params.values())


@pytest.fixture
def centre(tenant_a):  # noqa: ARG001 - a fixture asked for its effect
    with schema_context("alpha"):
        return CentreFactory()


@SETTINGS
@given(
    start=date_text,
    end=date_text,
    places=number_text,
    hours=number_text,
    model=st.one_of(st.sampled_from(["per_place_month", "mentor_hours", "per_week"]), text),
    amount=number_text,
    goals=text,
)
def test_contract_form(clients, centre, baseline, start, end, places, hours, model, amount, goals):
    count("kontrakt")
    before = baseline(Contract)
    values = {
        "centre": centre.pk,
        "start": start,
        "end": end,
        "places": places,
        "mentor_hours_per_week": hours,
        "payment_model": model,
        "payment_amount": amount,
        "goals_text": goals,
    }
    with rolled_back():
        response = clients["jobkonsulent"].post("/kontrakter/ny/", values)
        assert_clean_answer(response, values.values())
        if response.status_code == 302:
            assert each(Contract) == (baseline(Contract, count=each)[0] + 1,)
        else:
            assert rows(Contract) == before


@pytest.fixture
def mentor_course(tenant_a):
    from mentors.models import Mentor

    users = users_for(tenant_a)
    with schema_context("alpha"):
        course = CourseFactory(start=date(2025, 2, 3))
        mentor = Mentor.objects.create(user=users["mentor"], company=course.contract.centre.company)
        mentor.centres.add(course.contract.centre)
    return course


@SETTINGS
@given(day=date_text, status=text, hours=number_text)
def test_mentor_attendance(clients, mentor_course, baseline, day, status, hours):
    from mentors.models import Attendance

    count("fremmoede")
    values = {"date": day, "status": status, "hours": hours}
    before = baseline(Attendance)
    with rolled_back():
        response = clients["mentor"].post(f"/mentor/forloeb/{mentor_course.pk}/fremmoede/", values)
        body = assert_clean_answer(response, values.values())
        if "is-failed" in body or response.status_code >= 400:
            assert rows(Attendance) == before


@SETTINGS
@given(day=date_text, note=text)
def test_mentor_note(clients, mentor_course, baseline, day, note):
    from mentors.models import ProgressNote

    count("mentornote")
    values = {"date": day, "work_tasks": note, "attendance": note, "next_step": note}
    before = baseline(ProgressNote)
    with rolled_back():
        response = clients["mentor"].post(f"/mentor/forloeb/{mentor_course.pk}/note/", values)
        assert_clean_answer(response, values.values())
        assert rows(ProgressNote) - before in (0, 2)  # nothing, or the note and its audit event


COMPUTED = (date(2025, 1, 1), date(2025, 3, 31))
EXPORT_TABLE_NAMES = ["centre", "virksomheder", "brancher", "maaneder", "udslusning", "maal"]


@pytest.fixture
def computed_period(tenant_a):
    """A period whose key figures are stored, so that its exports really export."""
    from reports.services import kpi_job_execute, kpi_job_queue

    with schema_context("alpha"):
        CourseFactory(start=date(2025, 1, 6))
        chef = users_for(tenant_a)["jobcenterchef"]
        run = kpi_job_queue(period_from=COMPUTED[0], period_to=COMPUTED[1], acting_user=chef)
        kpi_job_execute(job_run_id=run.pk)
    return {"period_from": COMPUTED[0].isoformat(), "period_to": COMPUTED[1].isoformat()}


periods = st.one_of(
    st.just(None), st.fixed_dictionaries({"period_from": date_text, "period_to": date_text})
)


@SETTINGS
@given(period=periods)
@pytest.mark.parametrize("path", ["/statistik/", "/statistik/centre/", "/statistik/maal/"])
def test_report_period(clients, computed_period, path, period):
    """Hostile periods on the dashboard and the centre list: a clean answer."""
    count(path)
    params = period or computed_period
    with rolled_back():
        assert_clean_answer(clients["jobcenterchef"].get(path, params), params.values())


@SETTINGS
@given(
    period=periods,
    table=st.one_of(st.sampled_from(EXPORT_TABLE_NAMES), text),
    fmt=st.one_of(st.sampled_from(["csv", "xlsx"]), text),
)
@example(period=None, table="udslusning", fmt="csv")
@example(period=None, table="centre", fmt="xlsx")
def test_report_export(clients, computed_period, period, table, fmt):
    """Hostile table and format names and periods on the export of a computed period: a
    clean answer, and a real file when all three are valid."""
    count("noegletal-eksport")
    params = period or computed_period
    url = f"/statistik/eksport/{quote(table, safe='')}.{quote(fmt, safe='')}"
    with rolled_back():
        response = clients["jobcenterchef"].get(url, params)
    assert_clean_answer(response, [table, fmt, *params.values()])
    if period is None and table in EXPORT_TABLE_NAMES and fmt in ("csv", "xlsx"):
        assert response.status_code == 200
        assert (
            f'filename="noegletal-{table}-2025-01-01-2025-03-31.{fmt}"'
            in (response["Content-Disposition"])
        )
        body = response.content
        if fmt == "csv":
            assert body.startswith("\ufeff".encode())
            assert len(body.decode("utf-8-sig").splitlines()) >= 1  # the header at least
        else:
            assert body[:2] == b"PK"  # a zip: an xlsx workbook
    elif table not in EXPORT_TABLE_NAMES or fmt not in ("csv", "xlsx"):
        assert response.status_code == 404


# --- The import ----------------------------------------------------------------------------

PATHS = [
    ("companies", 0, "name"),
    ("companies", 0, "cvr"),
    ("centres", 0, "name"),
    ("contracts", 0, "start"),
    ("contracts", 0, "places"),
    ("contracts", 0, "mentor_hours_per_week"),
    ("candidates", 0, "cpr"),
    ("candidates", 0, "name"),
    ("candidates", 0, "birth_date"),
    ("candidates", 1, "matchgruppe"),
    ("courses", 0, "start"),
    ("courses", 0, "hours_per_week"),
]
any_value = st.one_of(
    text,
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True),
    st.none(),
    st.booleans(),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
)


@pytest.fixture
def importer(tenant_a):
    return make_user(tenant_a, "jobkonsulent", email="konsulent@alpha.test")


@SETTINGS
@given(changes=st.lists(st.tuples(st.sampled_from(PATHS), any_value), min_size=1, max_size=4))
def test_import_with_hostile_values_is_all_or_nothing_in_danish(importer, baseline, changes):
    from dataimport.services import ImportFailed, jobcenter_data_import

    count("import")
    data = copy.deepcopy(GOOD)
    for (section, index, key), value in changes:
        if index < len(data[section]):
            data[section][index][key] = value
    before = baseline(*MODELS, count=each)
    with schema_context("alpha"), rolled_back():
        try:
            jobcenter_data_import(data=data, today=IMPORTED_ON, acting_user=importer)
        except ImportFailed as exc:
            assert each(*MODELS) == before
            assert exc.problems and all(p.message for p in exc.problems)
            assert not any(e in str(p.message) for p in exc.problems for e in ENGLISH_DEFAULTS)


# --- Every other form of the URL conf ------------------------------------------------------
# (role, method, path with {course}/{contract}/{referral}/{candidate}/{centre}, fields). A
# refused form (anything but a redirect) writes nothing: rows() is the same before and after.
# The forms above (henvisning, contract create, attendance and note, report period, import)
# have tests of their own.
FORMS = {
    "mentor_hours": ("mentor", "post", "/mentor/timer/", ["centre", "week", "hours"]),
    "mentor_flag": ("mentor", "post", "/mentor/forloeb/{course}/problem/", ["reason"]),
    "course_hours": (
        "jobkonsulent",
        "post",
        "/kandidater/forloeb/{course}/timer/",
        ["valid_from", "hours_per_week"],
    ),
    "course_goal": (
        "jobkonsulent",
        "post",
        "/kandidater/forloeb/{course}/maal/",
        ["text", "parent"],
    ),
    "course_note": (
        "jobkonsulent",
        "post",
        "/kandidater/forloeb/{course}/notat/",
        ["date", "text"],
    ),
    "course_follow_up": (
        "jobkonsulent",
        "post",
        "/kandidater/forloeb/{course}/opfoelgning/",
        ["weeks", "self_supporting"],
    ),
    "course_extension": (
        "jobkonsulent",
        "post",
        "/kandidater/forloeb/{course}/forlaeng/",
        ["new_planned_end", "reason", "representatives_consulted_on"],
    ),
    "course_end": (
        "jobkonsulent",
        "post",
        "/kandidater/forloeb/{course}/udslus/",
        ["end", "outcome"],
    ),
    "contract_edit": (
        "jobkonsulent",
        "post",
        "/kontrakter/{contract}/rediger/",
        [
            "centre",
            "start",
            "end",
            "places",
            "mentor_hours_per_week",
            "payment_model",
            "payment_amount",
            "establishment_amount",
            "goals_text",
        ],
    ),
    "contract_approval": (
        "jobkonsulent",
        "post",
        "/kontrakter/{contract}/godkendelse/",
        ["body", "approved_by", "approved_on"],
    ),
    "amendment": (
        "jobkonsulent",
        "post",
        "/kontrakter/{contract}/tillaeg/ny/",
        [
            "valid_from",
            "reason",
            "places",
            "mentor_hours_per_week",
            "payment_model",
            "payment_amount",
        ],
    ),
    "referral": ("sagsbehandler", "post", "/kandidater/{candidate}/henvis/", ["reason", "wishes"]),
    "visitation": (
        "jobkonsulent",
        "post",
        "/kandidater/henvisninger/{referral}/visitation/",
        ["contract", "start", "hours_per_week", "legal_frame"],
    ),
    "kpi_settings": (
        "jobcenterchef",
        "post",
        "/statistik/indstillinger/",
        [
            "target_group_size",
            "goal1_target_persons",
            "baseline_month",
            "yearly_benefit_saving",
            "mentor-ended_course_weeks",
            "form-0-year",
            "form-0-jobkonsulent_salaries",
            "form-0-mentor_courses",
        ],
    ),
    "kpi_compute": ("jobcenterchef", "post", "/statistik/beregn/", ["period_from", "period_to"]),
    "billing_month": ("jobcenterchef", "get", "/afregning/", ["maaned"]),
    "audit_search": ("jobcenterchef", "get", "/revision/", ["cpr", "side"]),
}
DATE_FIELDS = {
    "week",
    "valid_from",
    "date",
    "new_planned_end",
    "representatives_consulted_on",
    "end",
    "start",
    "approved_on",
    "period_from",
    "period_to",
}
NUMBER_FIELDS = {
    "hours",
    "hours_per_week",
    "parent",
    "weeks",
    "places",
    "mentor_hours_per_week",
    "payment_amount",
    "establishment_amount",
    "target_group_size",
    "yearly_benefit_saving",
    "mentor-ended_course_weeks",
    "form-0-year",
    "form-0-jobkonsulent_salaries",
    "form-0-mentor_courses",
    "centre",
    "contract",
    "side",
    "maaned",
}
FIXED = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0"}


def strategy_for(name: str):
    if name in DATE_FIELDS:
        return date_text
    if name in NUMBER_FIELDS:
        return number_text
    return text


@pytest.fixture
def form_objects(mentor_course):
    """A running course (the mentor's), a draft contract of its centre, a waiting referral."""
    from tests.factories import CandidateFactory, ContractFactory

    with schema_context("alpha"):
        centre = mentor_course.contract.centre
        candidate = CandidateFactory()
        referral = Referral.objects.create(
            candidate=candidate, referred_on=date(2025, 2, 1), reason="Afklaring"
        )
        draft = ContractFactory(centre=centre, status="draft")
    return {
        "course": mentor_course.pk,
        "contract": draft.pk,
        "referral": referral.pk,
        "candidate": candidate.pk,
        "centre": centre.pk,
    }


@SETTINGS
@given(data=st.data())
@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_form_answers_in_danish_and_a_refusal_writes_nothing(
    clients, form_objects, baseline, form, data
):
    from candidates.models import Course, CourseHours, Extension, FollowUpNote, Goal
    from mentors.models import AttendanceFlag, MentorHours

    count(form)
    role, method, path, fields = FORMS[form]
    values = {name: data.draw(strategy_for(name), label=name) for name in fields}
    for name in ("centre", "contract"):
        if name in values and data.draw(st.booleans(), label=f"real {name}"):
            values[name] = form_objects[name]  # the real object, so the rest is reached
    counted = (
        Course,
        CourseHours,
        Extension,
        FollowUpNote,
        Goal,
        Referral,
        Contract,
        MentorHours,
        AttendanceFlag,
    )
    before = baseline(*counted)
    client = clients.get(role) or clients["jobkonsulent"]
    url = path.format(**form_objects)
    sent = values if method == "get" else {**FIXED, **values}
    with rolled_back():
        response = getattr(client, method)(url, sent)
        assert_clean_answer(response, values.values())
        if response.status_code != 302:
            assert rows(*counted) == before, f"{form}: a refused form wrote rows"
