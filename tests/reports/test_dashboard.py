"""The dashboard, drill-downs, exports, caseload and settings, per role and tenant."""

import csv
import io
import re
from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context

from reports.kpi.figures import kpi_store
from reports.models import JobcenterSettings, KpiResult
from tests.conftest import TODAY, make_user
from tests.reports.test_kpi_figures import F, T, build_dataset

QUERY = f"?period_from={F}&period_to={T}"


@pytest.fixture
def stored(tenant_a):  # noqa: ARG001 - a fixture asked for its effect
    """The dataset of test_kpi_figures with its figures stored for Jan-Mar 2025."""
    with schema_context("alpha"):
        centre_a, centre_b = build_dataset()
        kpi_store(period_from=F, period_to=T, job_run_id=None)
    return centre_a, centre_b


@pytest.mark.usefixtures("stored")
def test_chief_sees_tiles_charts_and_tables_from_the_stored_figures(
    login, client_a, tenant_a, django_assert_max_num_queries
):
    login(tenant_a, "jobcenterchef")
    with django_assert_max_num_queries(30):
        response = client_a.get("/statistik/" + QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    assert "39,1 %" in body or "39.1 %" in body
    assert "<svg" in body and "Belægningsprocent pr. måned" in body
    assert "2025-02" in body  # the months table beside the chart
    assert "Beregn perioden igen" in body


@pytest.mark.usefixtures("stored")
def test_dashboard_query_count_does_not_grow_with_the_data(
    login, client_a, tenant_a, django_assert_max_num_queries
):
    from tests.factories import CentreFactory, ContractFactory

    login(tenant_a, "jobcenterchef")
    with schema_context("alpha"):
        for _ in range(15):
            ContractFactory(centre=CentreFactory())
        kpi_store(period_from=F, period_to=T, job_run_id=None)
        assert KpiResult.objects.count() == 1
    with django_assert_max_num_queries(30):
        assert client_a.get("/statistik/" + QUERY).status_code == 200
    with django_assert_max_num_queries(30):
        assert client_a.get("/statistik/centre/" + QUERY).status_code == 200


def test_figures_computed_again_are_shown_at_once_even_in_the_same_transaction(
    login, client_a, tenant_a, stored
):
    # The page keeps expanded figures and their tables per stored row version (codes.memo):
    # a new computation - here inside the test's one transaction, so with the same
    # computed_at - writes a new version, and the next view shows it.
    import re

    from candidates.models import Course
    from tests.factories import CourseFactory

    def started():
        body = client_a.get("/statistik/" + QUERY).content.decode()
        return int(re.search(r"\((\d+) startet", body).group(1))

    login(tenant_a, "jobcenterchef")
    before = started()
    assert started() == before  # the kept figures, viewed twice
    centre_a, _centre_b = stored
    with schema_context("alpha"):
        contract = Course.objects.filter(contract__centre=centre_a).first().contract
        CourseFactory(contract=contract, start=date(2025, 3, 10), place=contract.place_set.last())
        kpi_store(period_from=F, period_to=T, job_run_id=None)
    assert started() == before + 1


@pytest.mark.usefixtures("stored")
def test_figures_stored_in_an_older_layout_are_offered_for_computing_again(
    login, client_a, tenant_a
):
    with schema_context("alpha"):
        KpiResult.objects.update(figures={"format": 2, "overall": [1, 2, 3]})
    login(tenant_a, "jobcenterchef")
    response = client_a.get("/statistik/" + QUERY)
    assert response.status_code == 200
    body = response.content.decode()
    assert "ingen beregnede nøgletal for denne periode" in body
    assert "Beregn nøgletal for perioden" in body


@pytest.mark.usefixtures("stored")
def test_period_not_computed_offers_the_computation(login, client_a, tenant_a):
    login(tenant_a, "jobcenterchef")
    body = client_a.get("/statistik/?period_from=2024-01-01&period_to=2024-12-31").content.decode()
    assert "ingen beregnede nøgletal for denne periode" in body
    assert "Beregn nøgletal for perioden" in body


@pytest.mark.usefixtures("stored")
def test_chief_queues_a_computation_and_sees_its_state(
    login, client_a, tenant_a, django_capture_on_commit_callbacks
):
    from reports.models import JobRun

    login(tenant_a, "jobcenterchef")
    with django_capture_on_commit_callbacks(execute=False):
        response = client_a.post(
            "/statistik/beregn/", {"period_from": "2024-01-01", "period_to": "2024-12-31"}
        )
    assert response.status_code == 302
    with schema_context("alpha"):
        run = JobRun.objects.get(kind="statistics")
        assert run.parameters == {"from": "2024-01-01", "to": "2024-12-31"}
    state = client_a.get("/statistik/job/?period_from=2024-01-01&period_to=2024-12-31")
    assert "står i kø" in state.content.decode()
    assert 'hx-trigger="every 2s"' in state.content.decode()


@pytest.mark.usefixtures("stored")
def test_jobkonsulent_reads_the_dashboard_but_cannot_compute(login, client_a, tenant_a):
    login(tenant_a, "jobkonsulent")
    body = client_a.get("/statistik/" + QUERY).content.decode()
    assert "Belægning" in body and "Beregn perioden igen" not in body
    response = client_a.post("/statistik/beregn/", {"period_from": F, "period_to": T})
    assert response.status_code == 403


@pytest.mark.parametrize("role", ["sagsbehandler", "mentor", "admin", None])
@pytest.mark.usefixtures("stored")
def test_other_roles_get_403(login, client_a, tenant_a, role):
    login(tenant_a, role)
    for url in (
        "/statistik/",
        "/statistik/centre/",
        "/statistik/maal/",
        "/statistik/eksport/centre.csv",
        "/statistik/pdf/",
        "/statistik/mine/",
    ):
        assert client_a.get(url + QUERY).status_code == 403, url


@pytest.mark.usefixtures("stored")
def test_anonymous_is_sent_to_login(client_a):
    response = client_a.get("/statistik/" + QUERY)
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_other_jobcentre_never_sees_the_figures(login, client_b, tenant_b, stored):
    centre_a, _centre_b = stored
    login(tenant_b, "jobcenterchef")
    body = client_b.get("/statistik/" + QUERY).content.decode()
    assert "Center A" not in body and "ingen beregnede nøgletal" in body
    assert client_b.get(f"/statistik/centre/{centre_a.pk}/" + QUERY).status_code == 404
    assert client_b.get("/statistik/eksport/centre.csv" + QUERY).status_code == 404


def test_drill_down_from_centres_to_the_courses_of_one_centre(login, client_a, tenant_a, stored):
    centre_a, _ = stored
    login(tenant_a, "jobcenterchef")
    centres = client_a.get("/statistik/centre/" + QUERY).content.decode()
    assert "Center A" in centres and 'class="spark"' in centres
    detail = client_a.get(f"/statistik/centre/{centre_a.pk}/" + QUERY)
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "36,7 %" in body or "36.7 %" in body
    assert body.count("<tr>") >= 5  # header + its 4 courses overlapping the period


@pytest.mark.usefixtures("stored")
def test_exports_csv_and_xlsx(login, client_a, tenant_a):
    from openpyxl import load_workbook

    login(tenant_a, "jobcenterchef")
    response = client_a.get("/statistik/eksport/maaneder.csv" + QUERY)
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Måned", "Fra"]  # Danish column names (issue 22)
    assert rows[2][0] == "2025-02" and rows[2][4] == "68"
    xlsx = client_a.get("/statistik/eksport/centre.xlsx" + QUERY)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [c.value for c in sheet[1]][:3] == [
        "Navn",
        "Pladsdage til rådighed",
        "Pladsdage besat",
    ]
    assert sheet["A2"].value == "Center A" and sheet["B2"].value == 422
    assert client_a.get("/statistik/eksport/ukendt.csv" + QUERY).status_code == 404
    assert client_a.get("/statistik/eksport/centre.exe" + QUERY).status_code == 404


@pytest.mark.usefixtures("stored")
def test_dashboard_pdf_for_the_political_committee(login, client_a, tenant_a):
    from pypdf import PdfReader

    login(tenant_a, "jobcenterchef")
    response = client_a.get("/statistik/pdf/" + QUERY)
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Nøgletal for virksomhedscentre" in text
    assert "Center A" in text and "Jobcenter Alfa" in text


@pytest.mark.parametrize(
    "query",
    [
        "?period_from=2025-03-01&period_to=2025-01-01",
        "?period_from=2025-02-30&period_to=2025-03-01",
        "?period_from=x&period_to=y",
        "?period_from=1900-01-01&period_to=2025-01-01",
    ],
)
@pytest.mark.usefixtures("stored")
def test_bad_periods_get_a_danish_400_not_a_500(login, client_a, tenant_a, query):
    login(tenant_a, "jobcenterchef")
    response = client_a.get("/statistik/" + query)
    assert response.status_code == 400
    assert "Ugyldig periode" in response.content.decode()


def test_caseload_shows_the_jobkonsulents_own_centres(login, client_a, tenant_a, stored):
    centre_a, centre_b = stored
    user = make_user(tenant_a, "jobkonsulent", email="kirsten@alpha.test")
    with schema_context("alpha"):
        centre_b.consultant = user
        centre_b.save()
    login(tenant_a, user=user)
    body = client_a.get("/statistik/mine/").content.decode()
    assert "Center B" in body and "Center A" not in body


@pytest.mark.usefixtures("stored")
def test_caseload_without_centres_says_so(login, client_a, tenant_a):
    login(tenant_a, "jobkonsulent")
    assert "ikke fast jobkonsulent" in client_a.get("/statistik/mine/").content.decode()


@pytest.mark.usefixtures("stored")
def test_settings_save_target_group_and_yearly_costs(login, client_a, tenant_a):
    from reports.models import JobcenterCost

    login(tenant_a, "jobcenterchef")
    form = {
        "target_group_size": "250",
        "yearly_benefit_saving": "35000",
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "1",
        "form-0-id": "",
        "form-0-year": "2025",
        "form-0-jobkonsulent_salaries": "375000",
        "form-0-mentor_courses": "50000",
        "form-1-year": "2026",
        "form-1-jobkonsulent_salaries": "380000",
        "form-1-mentor_courses": "50000",
    }
    with schema_context("alpha"):
        form["form-0-id"] = str(JobcenterCost.objects.get(year=2025).pk)
    assert client_a.post("/statistik/indstillinger/", form).status_code == 302
    with schema_context("alpha"):
        assert JobcenterSettings.current().target_group_size == 250
        assert JobcenterCost.objects.get(year=2026).jobkonsulent_salaries == 380000
        assert JobcenterCost.objects.get(year=2025).mentor_courses == 50000


@pytest.mark.usefixtures("stored")
def test_settings_refuse_negative_amounts_and_change_nothing(login, client_a, tenant_a):
    from reports.models import JobcenterCost

    login(tenant_a, "admin")
    response = client_a.post(
        "/statistik/indstillinger/",
        {
            "target_group_size": "10",
            "yearly_benefit_saving": "32500",
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "0",
            "form-0-year": "2027",
            "form-0-jobkonsulent_salaries": "-5",
            "form-0-mentor_courses": "0",
        },
    )
    assert response.status_code == 200
    assert "kan ikke være negativt" in response.content.decode()
    with schema_context("alpha"):
        assert not JobcenterCost.objects.filter(year=2027).exists()


@pytest.mark.usefixtures("stored")
def test_chief_start_page_shows_the_last_12_months_when_computed(login, client_a, tenant_a):
    login(tenant_a, "jobcenterchef")
    body = client_a.get("/").content.decode()
    assert "ingen beregnede nøgletal for de seneste 12 måneder" in body
    assert date.today().year >= 2025


@pytest.mark.usefixtures("stored")
def test_settings_save_logs_each_changed_year_with_the_acting_user(login, client_a, tenant_a):
    from audit.models import AuditEvent
    from reports.models import JobcenterCost

    login(tenant_a, "jobcenterchef")
    with schema_context("alpha"):
        before = AuditEvent.objects.count()
    form = {
        "target_group_size": "250",
        "yearly_benefit_saving": "35000",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-year": "2031",
        "form-0-jobkonsulent_salaries": "380000",
        "form-0-mentor_courses": "50000",
    }
    assert client_a.post("/statistik/indstillinger/", form).status_code == 302
    with schema_context("alpha"):
        cost = JobcenterCost.objects.get(year=2031)
        events = AuditEvent.objects.filter(action__startswith="cost.")
        assert events.count() == 1
        event = events.get()
        assert (event.action, event.object_id) == ("cost.create", str(cost.pk))
        assert event.actor_label == "jobcenterchef.login@alpha.test"
        assert event.fields == ["jobkonsulent_salaries", "mentor_courses", "year"]
        # and the settings' own event beside it: two in all
        assert AuditEvent.objects.count() == before + 2


@pytest.mark.usefixtures("stored")
def test_settings_invalid_cost_changes_nothing_and_logs_nothing(login, client_a, tenant_a):
    from audit.models import AuditEvent

    login(tenant_a, "jobcenterchef")
    with schema_context("alpha"):
        before = AuditEvent.objects.count()
        target = JobcenterSettings.current().target_group_size
    form = {
        "target_group_size": "999",
        "yearly_benefit_saving": "35000",
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-year": "2031",
        "form-0-jobkonsulent_salaries": "-1",
        "form-0-mentor_courses": "50000",
    }
    assert client_a.post("/statistik/indstillinger/", form).status_code == 200
    with schema_context("alpha"):
        assert AuditEvent.objects.count() == before
        assert JobcenterSettings.current().target_group_size == target


def test_cost_save_service_refuses_a_negative_amount_and_changes_nothing(tenant_a):
    from django.core.exceptions import ValidationError

    from audit.models import AuditEvent
    from reports.models import JobcenterCost
    from reports.services import jobcenter_cost_save

    chef = make_user(tenant_a, "jobcenterchef")
    with schema_context("alpha"):
        with pytest.raises(ValidationError):
            jobcenter_cost_save(
                cost_id=None,
                acting_user=chef,
                year=2031,
                jobkonsulent_salaries=-1,
                mentor_courses=0,
            )
        assert not JobcenterCost.objects.filter(year=2031).exists()
        assert not AuditEvent.objects.filter(action__startswith="cost.").exists()
        cost = jobcenter_cost_save(
            cost_id=None, acting_user=chef, year=2031, jobkonsulent_salaries=1, mentor_courses=0
        )
        jobcenter_cost_save(
            cost_id=cost.pk, acting_user=chef, year=2031, jobkonsulent_salaries=2, mentor_courses=0
        )
        update = AuditEvent.objects.get(action="cost.update")
        assert update.fields == ["jobkonsulent_salaries"]
        assert update.actor_label == chef.email


def test_the_first_view_of_a_period_with_nothing_stored_computes_it_and_shows_progress(
    login, client_a, tenant_a, django_capture_on_commit_callbacks
):
    """A fresh jobcentre's dashboard was empty until someone pressed "Beregn" (issue 23)."""
    from reports.models import JobRun

    login(tenant_a, "jobcenterchef")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        body = client_a.get("/statistik/").content.decode()
    assert len(callbacks) == 1  # the job is sent once the view's transaction commits
    assert "står i kø" in body
    with schema_context("alpha"):
        assert JobRun.objects.filter(kind="statistics").count() == 1
    # Viewed again while it runs: the same job, not a second one.
    client_a.get("/statistik/")
    with schema_context("alpha"):
        assert JobRun.objects.filter(kind="statistics").count() == 1
    # A period typed by hand is computed on request only.
    client_a.get("/statistik/?period_from=2024-01-01&period_to=2024-03-31")
    with schema_context("alpha"):
        assert JobRun.objects.filter(kind="statistics").count() == 1


def test_goals_furthest_behind_comes_first_and_the_list_is_cut():
    from reports.rules import goal_shortfall, goals_furthest_behind

    def goal(name, job_goal, job, edu_goal=None, edu=None):
        return {
            "centre": name,
            "ordinary_job_goal_pct": job_goal,
            "ordinary_job_pct": job,
            "education_goal_pct": edu_goal,
            "education_pct": edu,
        }

    goals = [
        goal("met", 20, 30.0),
        goal("no result yet", 20, None),
        goal("far behind", 40, 5.0),
        goal("behind on education", 10, 12.0, 30, 10.0),
        goal("no goals", None, 50.0),
    ]
    assert goal_shortfall(goals[3]) == 20.0
    assert goal_shortfall(goals[1]) is None
    assert [g["centre"] for g in goals_furthest_behind(goals, limit=10)] == [
        "far behind",
        "behind on education",
        "met",
        "no result yet",
        "no goals",
    ]
    assert [g["centre"] for g in goals_furthest_behind(goals, limit=2)] == [
        "far behind",
        "behind on education",
    ]


@pytest.mark.usefixtures("stored")
def test_the_dashboard_shows_the_contracts_furthest_behind_and_the_goals_page_shows_all(
    login, client_a, tenant_a
):
    from reports import views
    from tests.factories import CentreFactory, ContractFactory

    with schema_context("alpha"):
        for _ in range(views.DASHBOARD_ROWS):
            ContractFactory(
                centre=CentreFactory(name="Ekstra center"),
                start=F,
                end=T,
                goal_ordinary_job_pct=10,
            )
        kpi_store(period_from=F, period_to=T, job_run_id=None)
        total = len(KpiResult.objects.get().figures["goals"])
    assert total > views.DASHBOARD_ROWS
    login(tenant_a, "jobcenterchef")
    body = client_a.get("/statistik/" + QUERY).content.decode()
    assert f"De {views.DASHBOARD_ROWS} af {total} kontrakter, der er længst fra deres mål." in body
    assert "/statistik/maal/" in body
    goals_body = client_a.get("/statistik/maal/" + QUERY).content.decode()
    assert goals_body.count("Ekstra center") == views.DASHBOARD_ROWS
    assert "Mål og resultater" in goals_body


def _workplaces_counted(client) -> int:
    body = client.get("/statistik/").content.decode()
    return int(re.search(r"\d+ af (\d+) arbejdssteder kræver handling", body).group(1))


@pytest.fixture
def counted_at(monkeypatch, frozen_today):
    """The clock of reports/today.py at noon (Copenhagen) of the frozen day (move it
    with `.now`)."""
    from reports import today

    class Clock:
        now = timezone.make_aware(datetime.combine(frozen_today.day, time(12, 0)))

    monkeypatch.setattr(today, "_now", lambda: Clock.now)
    return Clock


def test_todays_figures_are_counted_again_after_a_write_and_say_when_they_were_counted(
    login, client_a, tenant_a, counted_at, django_capture_on_commit_callbacks
):
    """The dashboard keeps today's places and staff-ratio figures for a minute
    (reports/today.py): a saved centre is counted on the next view, and the page says when
    the figures were counted."""
    from tests.factories import CentreFactory

    login(tenant_a, "jobcenterchef")
    with schema_context("alpha"):
        CentreFactory()
    assert _workplaces_counted(client_a) == 1
    with schema_context("alpha"), django_capture_on_commit_callbacks(execute=True):
        CentreFactory()  # its transaction commits: the kept count is let go
    counted_at.now += timedelta(seconds=20)
    body = client_a.get("/statistik/").content.decode()
    assert re.search(r"\d+ af 2 arbejdssteder kræver handling", body)
    # Counted again at 12:00:20 in the jobcentres' time zone.
    assert "Rimelighedskravet og pladserne i dag er opgjort kl. 12:00" in body


@pytest.mark.usefixtures("tenant_a")
def test_the_kept_count_is_let_go_when_the_write_commits_not_before(
    django_capture_on_commit_callbacks,
):
    """A count made while a write is not yet committed must not be kept as the count
    after it: the token changes on commit, once for a transaction of many rows."""
    from django.core.cache import cache

    from reports import today
    from tests.factories import CentreFactory

    with schema_context("alpha"):
        before = cache.get(today.TOKEN_KEY)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            CentreFactory(), CentreFactory()
        assert cache.get(today.TOKEN_KEY) == before  # not committed yet
        tokens = set()
        for callback in callbacks:  # the commit
            callback()
            tokens.add(cache.get(today.TOKEN_KEY))
        assert tokens - {before} and None not in tokens
        assert len(tokens) == 1  # one new token for the commit, not one per row


def test_a_write_without_signals_is_counted_within_the_minute(
    login, client_a, tenant_a, counted_at
):
    """A queryset update sends no signal: the kept count is shown until it is a minute
    old, then counted again."""
    from centers.models import Centre
    from reports import today
    from tests.factories import CentreFactory

    login(tenant_a, "jobcenterchef")
    with schema_context("alpha"):
        first, _second = CentreFactory(), CentreFactory()
    assert _workplaces_counted(client_a) == 2
    with schema_context("alpha"):
        Centre.objects.filter(pk=first.pk).update(workplace=None)
    counted_at.now += today.KEEP - timedelta(seconds=1)
    assert _workplaces_counted(client_a) == 2  # kept: counted 59 seconds ago
    counted_at.now += timedelta(seconds=1)
    assert _workplaces_counted(client_a) == 1


@pytest.mark.usefixtures("tenant_a", "counted_at")
def test_a_count_racing_a_write_is_never_shown_after_it(
    monkeypatch, django_capture_on_commit_callbacks
):
    """A count whose statements ran before a write committed, and which is stored after
    the write, is kept under the token of before the write: the next view counts again."""
    from reports import today
    from tests.factories import CentreFactory

    count = today._count

    def racing(**kwargs):
        figures = count(**kwargs)  # counted before the write ...
        with django_capture_on_commit_callbacks(execute=True):
            CentreFactory()  # ... which commits before the count is stored
        return figures

    with schema_context("alpha"):
        CentreFactory()
        monkeypatch.setattr(today, "_count", racing)
        raced = today.today_figures(today=TODAY, limit=10)
        monkeypatch.setattr(today, "_count", count)
        shown = today.today_figures(today=TODAY, limit=10)
    assert raced.headroom_total == 1
    assert shown.headroom_total == 2


@pytest.mark.usefixtures("tenant_a", "tenant_b")
def test_a_write_in_another_jobcentres_context_lets_go_of_its_own_count(
    django_capture_on_commit_callbacks,
):
    """The token replaced is the jobcentre's whose row was saved, even when the
    transaction commits with the connection pointing at another schema."""
    from django.core.cache import cache

    from reports import today
    from tests.factories import CentreFactory

    with schema_context("alpha"):
        alpha_before = cache.get(today.TOKEN_KEY)
    with schema_context("beta"):
        beta_before = cache.get(today.TOKEN_KEY)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, schema_context("alpha"):
        CentreFactory()
    with schema_context("beta"):
        for callback in callbacks:
            callback()  # the commit, the connection on beta
        assert cache.get(today.TOKEN_KEY) == beta_before
    with schema_context("alpha"):
        assert cache.get(today.TOKEN_KEY) != alpha_before


def test_todays_figures_are_the_jobcentres_own(login, client_a, client_b, tenant_a, tenant_b):
    """Each jobcentre's count is its own (the cache's keys carry the schema)."""
    from tests.factories import CentreFactory

    with schema_context("alpha"):
        CentreFactory(), CentreFactory()
    with schema_context("beta"):
        CentreFactory()
    login(tenant_a, "jobcenterchef")
    login(tenant_b, "jobcenterchef")
    assert _workplaces_counted(client_a) == 2
    assert _workplaces_counted(client_b) == 1
    assert _workplaces_counted(client_a) == 2
