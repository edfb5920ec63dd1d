"""The national comparison (issue 30) on three jobcentres with known data.

Clock: TODAY (2 June 2025); the standard periods include May 2025, checked here.
- Alfa (consents): 20 places; 10 persons from 1 May running, 7 more 1-20 May ended
  (5 ordinary job, 2 education). Occupied 10 x 31 + 7 x 20 = 450 of 620 place-days = 72.6 %,
  17 persons; direct success 7 of 7 = 100 %; the outcome split has a cell of 2: hidden.
- Beta (consents): 10 places; 6 persons from 1 May running, 6 more in two 10-day courses on
  three places, all ordinary job. 186 + 60 = 246 of 310 = 79.4 %, 12 persons; the split
  (6 ordinary job, 0 elsewhere) is shown.
- Gamma (does not consent): 10 places, 2 persons running: 20 %. Never stored, never counted.
Distribution of May's occupancy over 72.6 and 79.4: quartiles 74.3 / 76.0 / 77.7.
"""

import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from national.models import NationalConsent, NationalDistribution, NationalFigure
from national.rules import quartiles, rank
from national.selectors import comparison_for_jobcenter
from national.services import national_compute
from reports.kpi.figures import kpi_store
from reports.services import kpi_standard_periods
from tests.conftest import PASSWORD, TODAY, make_user
from tests.factories import CandidateFactory, ContractFactory, CourseFactory

MAY = (date(2025, 5, 1), date(2025, 5, 31))
GAMMA = {"schema": "gamma", "name": "Jobcenter Gamma", "domain": "gamma.test.localhost"}


@pytest.fixture(scope="module")
def tenant_c(django_db_setup, django_db_blocker):  # noqa: ARG001 - after the session set-up
    """A third jobcentre for this module only (dropped after it: other areas count two)."""
    from tenants.models import Jobcenter
    from tenants.services import jobcenter_create

    with django_db_blocker.unblock():
        jobcenter = Jobcenter.objects.filter(schema_name=GAMMA["schema"]).first()
        if jobcenter is None:
            jobcenter = jobcenter_create(
                schema_name=GAMMA["schema"],
                name=GAMMA["name"],
                domain=GAMMA["domain"],
                municipality_code="903",
                admin_email="admin@gamma.test",
                admin_password=PASSWORD,
            )
    yield jobcenter
    with django_db_blocker.unblock():
        connection.set_schema_to_public()
        jobcenter.delete(force_drop=True)


def _courses(contract, *, running: int, ended: list[tuple[int, date, date, str]]):
    places = list(contract.place_set.order_by("number"))
    for i in range(running):
        CourseFactory(
            candidate=CandidateFactory(), contract=contract, place=places[i], start=MAY[0]
        )
    for place_index, start, end, outcome in ended:
        CourseFactory(
            candidate=CandidateFactory(),
            contract=contract,
            place=places[place_index],
            start=start,
            end=end,
            outcome=outcome,
        )


def _store_standard_periods():
    for period_from, period_to in kpi_standard_periods(today=TODAY):
        kpi_store(period_from=period_from, period_to=period_to, job_run_id=None)


@pytest.fixture
def three(tenant_a, tenant_b, tenant_c, frozen_today):  # noqa: ARG001 - the clock's effect
    may20 = date(2025, 5, 20)
    with schema_context("alpha"):
        contract = ContractFactory(places=20)
        _courses(
            contract,
            running=10,
            ended=[(10 + i, MAY[0], may20, "ordinaert_job") for i in range(5)]
            + [(15 + i, MAY[0], may20, "uddannelse") for i in range(2)],
        )
        _store_standard_periods()
    with schema_context("beta"):
        contract = ContractFactory(places=10)
        ended = []
        for place in (6, 7, 8):
            ended += [
                (place, MAY[0], date(2025, 5, 10), "ordinaert_job"),
                (place, date(2025, 5, 11), may20, "ordinaert_job"),
            ]
        _courses(contract, running=6, ended=ended)
        _store_standard_periods()
    with schema_context("gamma"):
        _courses(ContractFactory(places=10), running=2, ended=[])
        _store_standard_periods()
    for jobcenter, consented in ((tenant_a, True), (tenant_b, True), (tenant_c, False)):
        NationalConsent.objects.create(
            jobcenter=jobcenter,
            consented=consented,
            changed_at="2025-06-01T10:00:00Z",
            changed_by="chef@test",
        )
    return tenant_a, tenant_b, tenant_c


def _value(jobcenter, figure):
    return NationalFigure.objects.get(
        jobcenter=jobcenter, period_from=MAY[0], period_to=MAY[1], figure=figure
    )


def test_the_job_stores_each_consenting_jobcentres_figures_with_persons_and_the_distribution(
    three,
):
    alpha, beta, gamma = three
    national_compute(today=TODAY)
    a, b = _value(alpha, "occupancy_pct"), _value(beta, "occupancy_pct")
    assert (a.value, a.persons, a.suppressed) == (72.6, 17, False)
    assert (b.value, b.persons, b.suppressed) == (79.4, 12, False)
    assert not NationalFigure.objects.filter(jobcenter=gamma).exists()
    d = NationalDistribution.objects.get(
        period_from=MAY[0], period_to=MAY[1], figure="occupancy_pct"
    )
    assert (d.jobcentres, d.q1, d.median, d.q3) == (2, 74.3, 76.0, 77.7)
    assert _value(alpha, "direct_success_pct").value == 100.0
    assert _value(alpha, "direct_success_pct").persons == 7


def test_small_numbers_and_outcome_splits_with_a_cell_under_5_are_suppressed(three):
    alpha, beta, _gamma = three
    national_compute(today=TODAY)
    # Alfa's split has 2 in education: every cell of it is hidden, the value not stored
    hidden = _value(alpha, "outcome:ordinaert_job")
    assert hidden.suppressed and hidden.value is None and hidden.persons == 7
    assert _value(beta, "outcome:ordinaert_job").value == 100.0
    # nobody was followed up 4 weeks after: built from 0 persons, hidden
    assert _value(alpha, "self_supporting_4w_pct").suppressed
    # the distribution counts only what is shown
    d = NationalDistribution.objects.get(
        period_from=MAY[0], period_to=MAY[1], figure="outcome:ordinaert_job"
    )
    assert (d.jobcentres, d.median) == (1, 100.0)


PERSON_LEVEL = re.compile(r"^(candidates|centers|contracts|mentors|billing|audit|accounts)_")


@pytest.mark.usefixtures("three")
def test_the_job_reads_only_stored_figures_never_a_person_level_table():
    statements: list[str] = []

    def capture(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        national_compute(today=TODAY)
    tables = set()
    for sql in statements:
        found = re.findall(r'(?:FROM|JOIN|INTO|UPDATE)\s+"?([a-z_]+)"?', sql, re.I)
        tables |= {t for t in found if t.lower() != "unnest"}  # bulk_create's unnest(...)
    assert "reports_kpiresult" in tables  # it did read the stored figures
    assert not {t for t in tables if PERSON_LEVEL.match(t)}, tables
    assert tables <= {
        "reports_kpiresult",
        "tenants_jobcenter",
        "national_nationalconsent",
        "national_nationalrun",
        "national_nationalfigure",
        "national_nationaldistribution",
    }, tables


def test_a_chef_sees_their_own_figures_the_distribution_and_rank_never_anothers_value(three, login):
    alpha, _beta, _gamma = three
    national_compute(today=TODAY)
    client = login(alpha, "jobcenterchef")
    response = client.get("/statistik/landsoversigt/?periode=2025-05-01_2025-05-31")
    assert response.status_code == 200
    rows = {item["row"].figure.key: item["row"] for item in response.context["rows"]}
    occupancy = rows["occupancy_pct"]
    assert (occupancy.value, occupancy.median, occupancy.rank, occupancy.jobcentres) == (
        72.6,
        76.0,
        2,
        2,
    )
    page = response.content.decode()
    assert "79,4" not in page and "79.4" not in page  # Beta's own value
    assert "Jobcenter Beta" not in page and "Jobcenter Gamma" not in page
    assert "<svg" in page


def test_a_jobcentre_that_does_not_consent_sees_no_comparison_and_is_not_in_it(three, login):
    _alpha, beta, gamma = three
    national_compute(today=TODAY)
    client = Client(HTTP_HOST=GAMMA["domain"])
    with schema_context("gamma"):
        client.force_login(make_user("gamma", "jobcenterchef"))
    response = client.get("/statistik/landsoversigt/")
    assert response.status_code == 200
    assert response.context["rows"] == []
    assert "Kun jobcentre, der deltager" in response.content.decode()
    # a jobcentre that withdraws is gone from the others' figures at once
    chef_b = login(beta, "jobcenterchef")
    assert chef_b.post("/statistik/landsoversigt/", {"consented": "0"}).status_code == 302
    with schema_context("alpha"):
        rows = comparison_for_jobcenter(jobcenter=three[0], period_from=MAY[0], period_to=MAY[1])
    occupancy = next(r for r in rows if r.figure.key == "occupancy_pct")
    assert occupancy.rank == 1  # Beta's value is no longer read
    with schema_context("beta"):
        from audit.models import AuditEvent

        assert AuditEvent.objects.filter(action="national.withdraw").exists()
    # and out of the distribution at the next computation (the nightly job, in public)
    connection.set_schema_to_public()
    national_compute(today=TODAY)
    d = NationalDistribution.objects.get(
        period_from=MAY[0], period_to=MAY[1], figure="occupancy_pct"
    )
    assert (d.jobcentres, d.median) == (1, 72.6)


def test_other_roles_get_403_and_bad_consent_input_changes_nothing(three, login):
    alpha = three[0]
    assert login(alpha, "jobkonsulent").get("/statistik/landsoversigt/").status_code == 403
    chef = login(alpha, "jobcenterchef", email="chef2@alpha.test")
    response = chef.post("/statistik/landsoversigt/", {"consented": "måske"})
    assert response.status_code == 200
    assert NationalConsent.objects.get(jobcenter=alpha).consented is True


def test_the_chefs_export_xlsx_and_pdf(three, login):
    national_compute(today=TODAY)
    client = login(three[0], "jobcenterchef")
    xlsx = client.get("/statistik/landsoversigt/eksport.xlsx?periode=2025-05-01_2025-05-31")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = {r[0]: r for r in sheet.iter_rows(values_only=True)}
    assert rows["Belægning"][1] == 72.6 and rows["Belægning"][4] == 76.0
    pdf = client.get("/statistik/landsoversigt/eksport.pdf?periode=2025-05-01_2025-05-31")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def _analyst():
    from accounts.roles import ROLE_ANALYST, platform_roles_ensure
    from accounts.services import user_create

    connection.set_schema_to_public()
    platform_roles_ensure()
    return user_create(email="analytiker@region.test", password=PASSWORD, roles=[ROLE_ANALYST])


def test_the_analyst_signs_in_at_the_platform_with_2fa_and_sees_consenting_jobcentres_by_name(
    three,
):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    national_compute(today=TODAY)
    analyst = _analyst()
    client = Client(HTTP_HOST="testserver")
    assert (
        client.post("/konto/login/", {"login": analyst.email, "password": PASSWORD}).status_code
        == 302
    )
    # two-factor login first, as for chef and admin
    response = client.get("/landsoversigt/")
    assert response.status_code == 302 and "/konto/2fa/" in response["Location"]
    TOTP.activate(analyst, generate_totp_secret())
    assert client.get("/start/")["Location"] == "/landsoversigt/"
    response = client.get("/landsoversigt/?periode=2025-05-01_2025-05-31")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Jobcenter Alfa" in page and "Jobcenter Beta" in page
    assert "Jobcenter Gamma" not in page
    # a jobcentre's name that a spreadsheet would run as a formula stays text
    three[0].name = '=HYPERLINK("http://evil.example/")'
    three[0].save(update_fields=["name"])
    xlsx = client.get("/landsoversigt/eksport.xlsx?periode=2025-05-01_2025-05-31")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    header = next(sheet.iter_rows())
    names = [cell.value for cell in header]
    assert "Jobcenter Gamma" not in names and "Jobcenter Beta" in names
    assert all(cell.data_type != "f" for cell in header)
    assert '=HYPERLINK("http://evil.example/")' in names


def test_a_platform_user_without_the_role_and_a_jobcentres_chef_cannot_open_it(three, login):
    from accounts.services import user_create

    national_compute(today=TODAY)
    connection.set_schema_to_public()
    plain = user_create(email="plain@platform.test", password=PASSWORD, roles=[])
    client = Client(HTTP_HOST="testserver")
    client.force_login(plain)
    assert client.get("/landsoversigt/").status_code == 403
    # a chef's session belongs to the jobcentre: at the platform it is nobody
    chef = login(three[0], "jobcenterchef")
    response = Client(HTTP_HOST="testserver", cookies=chef.cookies).get("/landsoversigt/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_distribution_and_rank_rules():
    assert quartiles([72.6, 79.4]) == (74.3, 76.0, 77.7)
    assert quartiles([5.0]) == (5.0, 5.0, 5.0)
    assert quartiles([]) is None
    assert rank(10, [20, 5], higher_better=True) == 2
    assert rank(10, [20, 5], higher_better=False) == 2
    assert rank(5, [20, 10], higher_better=False) == 1


def test_beat_sends_the_nightly_comparison_to_the_public_schema_only(three):
    from django.conf import settings

    from national.models import NationalRun
    from national.tasks import national_nightly

    entry = settings.CELERY_BEAT_SCHEDULE["national-nightly"]
    assert entry["tenant_schemas"] == ["public"]
    run = NationalRun.objects.get(pk=national_nightly())
    assert run.jobcentres == 2 and run.finished_at is not None
    # refused anywhere but the public schema
    with schema_context("alpha"), pytest.raises(ValueError, match="offentlige skema"):
        national_compute(today=TODAY)
    assert _value(three[0], "occupancy_pct").value == 72.6
