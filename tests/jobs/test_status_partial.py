"""The one status partial: every state in Danish, polling only while the run is pending."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.template.loader import render_to_string
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import BillingRun
from contracts.models import ContractDocument
from reports.models import JobRun

POLL = 'hx-trigger="every 2s"'
FINISHED = datetime(2025, 3, 4, 9, 30, tzinfo=UTC)


def _run(model, state, *, minutes_ago=1, **fields):
    """An unsaved run of `model` in `state`, queued `minutes_ago`."""
    return model(
        pk=7,
        state=state,
        message={"failed": "Måneden er ikke begyndt."}.get(state, ""),
        created_at=timezone.now() - timedelta(minutes=minutes_ago),
        finished_at=FINISHED if state in ("done", "failed") else None,
        **fields,
    )


@pytest.mark.parametrize(
    ("state", "minutes_ago", "text", "polls"),
    [
        ("queued", 1, "I kø", True),
        ("running", 1, "Kører", True),
        ("done", 1, "Færdig 4. marts 2025 10:30.", False),
        ("failed", 1, "Fejlet: Måneden er ikke begyndt.", False),
        ("running", 61, "Tabt: intet svar fra baggrundsjobbet i over 60 minutter.", False),
        ("queued", 61, "Bestil det igen.", False),
    ],
)
def test_the_partial_says_each_state_in_danish_and_polls_while_pending(
    state, minutes_ago, text, polls
):
    run = _run(JobRun, state, minutes_ago=minutes_ago, kind="statistics")
    html = render_to_string("jobs/_status.html", {"run": run})
    assert text in html
    assert (POLL in html) is polls
    assert 'role="status"' in html
    shown = "lost" if minutes_ago > 60 else state
    assert f"state-{shown}" in html


def test_the_partial_without_a_run_is_empty_and_does_not_poll():
    html = render_to_string("jobs/_status.html", {"run": None})
    assert POLL not in html and "I kø" not in html


@pytest.mark.usefixtures("tenant_a")
def test_the_three_kinds_extend_the_one_partial_and_poll_their_own_urls():
    with schema_context("alpha"):
        billing = render_to_string(
            "billing/_run_status.html", {"run": _run(BillingRun, "running", month=date(2025, 2, 1))}
        )
        kpi = render_to_string(
            "reports/_job_state.html",
            {"run": _run(JobRun, "queued", kind="statistics"), "query": "period_from=x"},
        )
        pdf = render_to_string(
            "contracts/_document_status.html",
            {
                "run": _run(ContractDocument, "running", contract_id=3, kind="preview"),
                "contract": type("C", (), {"pk": 3})(),
            },
        )
    for html in (billing, kpi, pdf):
        assert 'class="job-status state-' in html and POLL in html
    assert 'hx-get="/afregning/koersel/7/"' in billing and "Kører" in billing
    assert 'hx-get="/statistik/job/?period_from=x&amp;was=queued"' in kpi
    assert "Beregningen står i kø" in kpi
    assert 'hx-get="/kontrakter/3/dokumenter/7/status/"' in pdf and "PDF: Dannes" in pdf


@pytest.mark.usefixtures("tenant_a")
def test_a_lost_run_in_each_kind_says_lost_and_stops_polling():
    lost = {"minutes_ago": 120}
    with schema_context("alpha"):
        pages = [
            render_to_string(
                "billing/_run_status.html",
                {"run": _run(BillingRun, "running", month=date(2025, 2, 1), **lost)},
            ),
            render_to_string(
                "reports/_job_state.html",
                {"run": _run(JobRun, "running", kind="statistics", **lost), "query": ""},
            ),
            render_to_string(
                "contracts/_document_status.html",
                {
                    "run": _run(ContractDocument, "queued", contract_id=3, kind="signed", **lost),
                    "contract": type("C", (), {"pk": 3})(),
                },
            ),
        ]
    for html in pages:
        assert "Tabt: intet svar fra baggrundsjobbet" in html and POLL not in html
    assert "<strong>Tabt</strong>" in pages[0]
    assert "i over 15 minutter" in pages[2]  # a PDF's own limit
