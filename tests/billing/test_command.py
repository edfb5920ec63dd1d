"""`manage.py billing_statement --schema --month --format json` for scripts."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from billing.services import billing_month_build
from contracts.models import PaymentModel

from .conftest import BUILT_ON, contract, course


def _run(*args) -> dict:
    out = StringIO()
    call_command("billing_statement", *args, stdout=out)
    return json.loads(out.getvalue())


def test_command_prints_the_months_statements_as_json(centre):
    with schema_context("alpha"):
        c = contract(centre, payment_model=PaymentModel.PER_CANDIDATE_WEEK, payment_amount="350.00")
        k = course(c, start=date(2025, 2, 3), planned_end=date(2025, 5, 4))
        billing_month_build(month=date(2025, 2, 1), today=BUILT_ON)
    data = _run("--schema", "alpha", "--month", "2025-02", "--format", "json")
    assert data["schema"] == "alpha" and data["month"] == "2025-02"
    # 4 started weeks in February (3.2, 10.2, 17.2, 24.2) x 350.00 = 1,400.00
    assert data["total"] == "1400.00"
    [statement] = data["statements"]
    assert statement["centre"]["name"] == "Brugsen Virksomhedscenter"
    assert statement["contract"] == {
        "id": c.pk,
        "payment_model": "per_candidate_week",
        "start": "2025-01-01",
        "end": "2026-12-31",
    }
    assert statement["status"] == "draft" and statement["kind"] == "original"
    assert statement["total"] == "1400.00"
    assert [line["week"] for line in statement["lines"]] == [1, 2, 3, 4]
    assert {line["course"] for line in statement["lines"]} == {k.pk}
    assert statement["lines"][0]["amount"] == "350.00"
    assert statement["lines"][0]["from"] == "2025-02-03"


@pytest.mark.usefixtures("tenant_a")
def test_a_month_without_statements_is_an_error_in_danish_not_an_empty_list():
    """An empty list read as "nothing to pay" for a month never built (issue 23)."""
    with pytest.raises(CommandError, match="Ingen afregningsopgørelser for 2024-01") as error:
        _run("--schema", "alpha", "--month", "2024-01")
    assert "--build" in str(error.value)


def test_build_builds_the_month_the_same_way_before_printing_it(centre):
    with schema_context("alpha"):
        c = contract(centre, payment_model=PaymentModel.PER_CANDIDATE_WEEK, payment_amount="350.00")
        course(c, start=date(2025, 2, 3), planned_end=date(2025, 5, 4))
    with pytest.raises(CommandError, match="Ingen afregningsopgørelser"):
        _run("--schema", "alpha", "--month", "2025-02")
    data = _run("--schema", "alpha", "--month", "2025-02", "--build", "--format", "json")
    assert data["total"] == "1400.00"
    [statement] = data["statements"]
    assert (statement["status"], statement["kind"]) == ("draft", "original")
    # Built again: the draft is recomputed in place, not doubled.
    again = _run("--schema", "alpha", "--month", "2025-02", "--build")
    assert [s["id"] for s in again["statements"]] == [statement["id"]]
    assert again["total"] == "1400.00"
