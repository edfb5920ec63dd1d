"""Afregning pages per role (jobkonsulent, jobcenterchef, sagsbehandler, mentor, another
jobcentre), bad months, bounded queries, exports and the statement PDF."""

import csv
import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from django_tenants.utils import schema_context
from openpyxl import load_workbook
from pypdf import PdfReader

from billing.models import BillingRun, Statement
from billing.services import billing_month_build, billing_statement_approve
from contracts.models import PaymentModel
from tests.conftest import make_user
from tests.factories import CentreFactory

from .conftest import BUILT_ON, contract, course

D = Decimal
FEB = date(2025, 2, 1)


@pytest.fixture
def statement(centre):
    """February 2025 built for one per_place_month contract: 4 x 1,500.00 = 6,000.00."""
    with schema_context("alpha"):
        c = contract(centre)
        billing_month_build(month=FEB, today=BUILT_ON)
        return Statement.objects.get(contract=c, month=FEB)


def test_nav_shows_afregning_to_jobkonsulent_and_jobcenterchef_only(
    login, client_a, konsulent, chef, sagsbehandler
):
    for user, shown in ((konsulent, True), (chef, True), (sagsbehandler, False)):
        client_a.logout()
        response = login("alpha", user=user).get("/")
        assert ('href="/afregning/"' in response.content.decode()) is shown, user


@pytest.mark.usefixtures("statement")
def test_month_page_lists_statements_with_totals_for_readers(login, konsulent, chef):
    for user in (konsulent, chef):
        response = login("alpha", user=user).get("/afregning/maaned/2025-02/")
        assert response.status_code == 200
        body = response.content.decode()
        assert "Brugsen Virksomhedscenter" in body
        assert "6.000,00 kr." in body


@pytest.mark.parametrize(
    "url",
    [
        "/afregning/",
        "/afregning/maaned/2025-02/",
        "/afregning/maaned/2025-02/afregning.csv",
        "/afregning/maaned/2025-02/afregning.xlsx",
    ],
)
def test_sagsbehandler_and_mentor_get_403(login, client_a, sagsbehandler, mentor_user, url):
    for user in (sagsbehandler, mentor_user):
        client_a.logout()
        assert login("alpha", user=user).get(url).status_code == 403


def test_sagsbehandler_and_mentor_cannot_see_or_approve_a_statement(
    login, client_a, sagsbehandler, mentor_user, statement
):
    for user in (sagsbehandler, mentor_user):
        client_a.logout()
        login("alpha", user=user)
        assert client_a.get(f"/afregning/opgoerelse/{statement.pk}/").status_code == 403
        assert client_a.get(f"/afregning/opgoerelse/{statement.pk}/pdf/").status_code == 403
        assert client_a.post(f"/afregning/opgoerelse/{statement.pk}/godkend/").status_code == 403
        assert client_a.post("/afregning/maaned/2025-02/genberegn/").status_code == 403
    with schema_context("alpha"):
        statement.refresh_from_db()
        assert statement.status == "draft"
        assert not BillingRun.objects.exists()


def test_anonymous_is_sent_to_login(client_a, statement):
    response = client_a.get(f"/afregning/opgoerelse/{statement.pk}/")
    assert response.status_code == 302 and "/konto/login/" in response["Location"]


def test_user_of_another_jobcentre_gets_404_for_the_statement(login, client_b, tenant_b, statement):
    other = make_user(tenant_b, "jobcenterchef")
    login("beta", user=other)
    assert client_b.get(f"/afregning/opgoerelse/{statement.pk}/").status_code == 404
    assert client_b.post(f"/afregning/opgoerelse/{statement.pk}/godkend/").status_code == 404
    assert client_b.get(f"/afregning/opgoerelse/{statement.pk}/pdf/").status_code == 404
    # And beta's month page shows none of alpha's statements.
    body = client_b.get("/afregning/maaned/2025-02/").content.decode()
    assert "Brugsen Virksomhedscenter" not in body
    with schema_context("alpha"):
        statement.refresh_from_db()
        assert statement.status == "draft"


@pytest.mark.usefixtures("statement")
def test_jobkonsulent_rebuilds_and_sees_the_job_state(
    login, client_a, konsulent, django_capture_on_commit_callbacks
):
    login("alpha", user=konsulent)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_a.post("/afregning/maaned/2025-02/genberegn/")
    assert response.status_code == 302
    assert len(callbacks) == 1
    with schema_context("alpha"):
        run = BillingRun.objects.get()
    assert (run.month, run.state, run.requested_by) == (FEB, "queued", konsulent)
    body = client_a.get("/afregning/maaned/2025-02/").content.decode()
    assert "I kø" in body and f"/afregning/koersel/{run.pk}/" in body  # polls while queued
    partial = client_a.get(f"/afregning/koersel/{run.pk}/", HTTP_HX_REQUEST="true")
    assert partial.status_code == 200 and "I kø" in partial.content.decode()


def test_the_chef_builds_a_fresh_month_and_other_roles_cannot(
    login, chef, django_capture_on_commit_callbacks
):
    """A fresh month was empty with no way for the chef to start it (issue 23)."""
    client = login("alpha", user=chef)
    page = client.get("/afregning/maaned/2025-02/").content.decode()
    assert "Beregn måneden" in page
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.post("/afregning/maaned/2025-02/genberegn/").status_code == 302
    assert len(callbacks) == 1
    with schema_context("alpha"):
        assert BillingRun.objects.get().requested_by == chef
    for role in ("sagsbehandler", "mentor"):
        other = login("alpha", role)
        assert other.post("/afregning/maaned/2025-02/genberegn/").status_code == 403
    with schema_context("alpha"):
        assert BillingRun.objects.count() == 1


def test_jobcenterchef_approves_and_the_statement_is_locked(
    login, client_a, chef, konsulent, statement
):
    login("alpha", user=konsulent)
    assert client_a.post(f"/afregning/opgoerelse/{statement.pk}/godkend/").status_code == 403
    client_a.logout()
    login("alpha", user=chef)
    page = client_a.get(f"/afregning/opgoerelse/{statement.pk}/").content.decode()
    assert "Godkend og lås opgørelsen" in page
    url = f"/afregning/opgoerelse/{statement.pk}/godkend/"
    # Approval locks for good: without the confirmation nothing is locked.
    unconfirmed = client_a.post(url, {"version": _version_shown(page)}, follow=True)
    assert "Sæt kryds for at bekræfte" in unconfirmed.content.decode()
    with schema_context("alpha"):
        statement.refresh_from_db()
        assert statement.status == "draft"
    shown = {"version": _version_shown(page), "confirm": "1"}
    response = client_a.post(url, shown, follow=True)
    body = response.content.decode()
    assert "Opgørelsen er godkendt og låst." in body
    assert "Godkend og lås opgørelsen" not in body
    # Approving again: a clear Danish message, nothing changes.
    again = client_a.post(url, shown, follow=True)
    assert "allerede godkendt" in again.content.decode()


def _version_shown(page: str) -> str:
    return re.search(r'name="version" value="([0-9a-f]+)"', page).group(1)


def test_a_statement_rebuilt_after_it_was_shown_is_not_approved(login, chef, statement):
    """The page said 6.000,00; the month is rebuilt with 3 places before the chef clicks:
    refused in Danish, nothing locked, and the page shows the new figures (issue 19)."""
    client = login("alpha", user=chef)
    page = client.get(f"/afregning/opgoerelse/{statement.pk}/").content.decode()
    assert "6.000,00" in page
    with schema_context("alpha"):
        statement.contract.__class__.objects.filter(pk=statement.contract_id).update(places=3)
        billing_month_build(month=FEB, today=BUILT_ON)
        rebuilt = Statement.objects.get(contract_id=statement.contract_id, month=FEB)
    response = client.post(
        f"/afregning/opgoerelse/{rebuilt.pk}/godkend/",
        {"version": _version_shown(page), "confirm": "1"},
        follow=True,
    )
    body = response.content.decode()
    assert "Opgørelsen er ændret - se den igen" in body
    assert "4.500,00" in body
    with schema_context("alpha"):
        assert not Statement.objects.get(pk=rebuilt.pk).is_locked


@pytest.mark.parametrize("bad", ["2025-13", "2025-00", "1999-01"])
def test_bad_month_in_url_answers_400_in_danish_and_changes_nothing(
    login, client_a, konsulent, bad
):
    login("alpha", user=konsulent)
    for response in (
        client_a.get(f"/afregning/maaned/{bad}/"),
        client_a.post(f"/afregning/maaned/{bad}/genberegn/"),
        client_a.get(f"/afregning/maaned/{bad}/afregning.csv"),
        client_a.get(f"/afregning/?maaned={bad}"),
    ):
        assert response.status_code == 400
        assert "Ugyldig måned" in response.content.decode()
    with schema_context("alpha"):
        assert not BillingRun.objects.exists()


def test_future_month_rebuild_is_refused_with_a_message(login, client_a, konsulent):
    login("alpha", user=konsulent)
    response = client_a.post("/afregning/maaned/2099-01/genberegn/", follow=True)
    assert "ikke begyndt" in response.content.decode()
    with schema_context("alpha"):
        assert not BillingRun.objects.exists()


def test_month_picker_redirects_to_the_month(login, chef):
    response = login("alpha", user=chef).get("/afregning/?maaned=2025-02")
    assert response.status_code == 302 and response["Location"] == "/afregning/maaned/2025-02/"


def _month_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/afregning/maaned/2025-02/").status_code == 200
    return len(ctx)


def _statement_queries(client, pk):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/afregning/opgoerelse/{pk}/").status_code == 200
    return len(ctx)


def test_month_and_statement_pages_query_count_does_not_grow_with_the_data(
    login, client_a, konsulent, centre
):
    with schema_context("alpha"):
        weekly = contract(
            centre, payment_model=PaymentModel.PER_CANDIDATE_WEEK, payment_amount=D("350.00")
        )
        course(weekly, start=date(2025, 2, 3), planned_end=date(2025, 5, 4))
        billing_month_build(month=FEB, today=BUILT_ON)
        pk = Statement.objects.get(contract=weekly).pk
    login("alpha", user=konsulent)
    one_month, one_statement = _month_queries(client_a), _statement_queries(client_a, pk)
    with schema_context("alpha"):
        for _i in range(4):
            contract(CentreFactory())
        for place in (2, 3, 4):
            course(weekly, start=date(2025, 2, 4), planned_end=date(2025, 5, 4), place=place)
        billing_month_build(month=FEB, today=BUILT_ON)
        assert Statement.objects.count() == 5
    assert _month_queries(client_a) == one_month
    assert _statement_queries(client_a, pk) == one_statement


@pytest.mark.usefixtures("statement", "centre")
def test_csv_and_xlsx_export_every_line_of_the_month(login, client_a, chef):
    with schema_context("alpha"):
        other = contract(CentreFactory(name="Netto Lager"), places=2)
        billing_month_build(month=FEB, today=BUILT_ON)
    login("alpha", user=chef)
    response = client_a.get("/afregning/maaned/2025-02/afregning.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="afregning-2025-02.csv"'
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:3] == ["Måned", "Opgørelse", "Type"]
    by_centre = {row[4]: row for row in rows[1:]}
    # 4 x 1,500 = 6,000.00 and 2 x 1,500 = 3,000.00, decimal point for the finance system.
    assert by_centre["Brugsen Virksomhedscenter"][-1] == "6000.00"
    assert by_centre["Netto Lager"][-1] == "3000.00"
    assert by_centre["Netto Lager"][7] == str(other.pk)

    response = client_a.get("/afregning/maaned/2025-02/afregning.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    lines = list(book.worksheets[0].iter_rows(values_only=True))
    assert len(lines) == 3
    assert sorted(row[-1] for row in lines[1:]) == [3000, 6000]
    totals = list(book.worksheets[1].iter_rows(values_only=True))
    assert sorted(row[-1] for row in totals[1:]) == [3000, 6000]


def test_statement_pdf_shows_lines_and_total(login, konsulent, chef, statement):
    with schema_context("alpha"):
        billing_statement_approve(statement=statement, acting_user=chef)
    response = login("alpha", user=konsulent).get(f"/afregning/opgoerelse/{statement.pk}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Brugsen Virksomhedscenter" in text
    assert "Jobcenter Alfa" in text
    assert "6.000,00" in text
    assert "Godkendt" in text


def test_correction_is_visible_beside_the_approved_statement(
    login, client_a, chef, konsulent, centre
):
    with schema_context("alpha"):
        c = contract(centre)
        billing_month_build(month=FEB, today=BUILT_ON)
        original = Statement.objects.get(contract=c)
        billing_statement_approve(statement=original, acting_user=chef)
        # The contract turns out to have 5 places: February is 5 x 1,500 = 7,500.00.
        c.places = 5
        c.save()
        billing_month_build(month=FEB, acting_user=konsulent, today=BUILT_ON)
        correction = Statement.objects.get(kind="correction")
    assert correction.total == D("1500.00")
    login("alpha", user=chef)
    body = client_a.get(f"/afregning/opgoerelse/{original.pk}/").content.decode()
    assert f"/afregning/opgoerelse/{correction.pk}/" in body and "1.500,00" in body
    body = client_a.get(f"/afregning/opgoerelse/{correction.pk}/").content.decode()
    assert "Korrektion:" in body and "Godkend og lås opgørelsen" in body
    month = client_a.get("/afregning/maaned/2025-02/").content.decode()
    # Both rows, and the month's total is what is owed now: 6,000 + 1,500.
    assert month.count("billing-correction") == 1
    assert "7.500,00 kr." in month
    # The correction names the statement it corrects; each row its own status badge.
    assert f"Korrektion af #{original.pk}</td>" in month
    assert '<span class="badge badge-success">Godkendt</span>' in month
    assert '<span class="badge badge-info">Kladde</span>' in month


def test_the_month_rows_escape_names_and_mark_too_few_mentor_hours(login, chef):
    """The month's rows are built in Python (billing/rows.py): every value is escaped as
    the template escaped it, and each row says what the table's columns say."""
    with schema_context("alpha"):
        centre = CentreFactory(name="<b>Fed</b> & Co Center")
        c = contract(centre, places=2)
        billing_month_build(month=FEB, today=BUILT_ON)
        statement = Statement.objects.get(contract=c)
        Statement.objects.filter(pk=statement.pk).update(hours_shortfall=True)
        lines = statement.lines.count()
    assert lines > 0
    body = login("alpha", user=chef).get("/afregning/maaned/2025-02/").content.decode()
    row = re.search(rf'<tr><td><a href="/afregning/opgoerelse/{statement.pk}/">.*?</tr>', body)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0))
    assert cells[0].endswith(">&lt;b&gt;Fed&lt;/b&gt; &amp; Co Center</a>")
    assert cells[1] == f"{escape(centre.company.name)} (CVR {centre.company.cvr})"
    assert cells[2] == "Fast beløb pr. plads pr. måned"
    assert cells[3] == "Opgørelse"
    assert cells[4] == (
        '<span class="badge badge-info">Kladde</span>'
        ' <span class="state-bad">for få mentortimer</span>'
    )
    assert cells[5] == str(lines)  # the statement's own line count
    assert cells[6] == "3.000,00 kr."
    assert "<b>Fed</b>" not in body
