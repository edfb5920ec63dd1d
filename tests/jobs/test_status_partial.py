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


def _run(model, state, *, minutes_ago=1, lease_left=30, restarts=0, **fields):
    """An unsaved run of `model` in `state`, queued `minutes_ago`, its lease `lease_left`
    seconds from running out (negative: its worker died)."""
    now = timezone.now()
    return model(
        pk=7,
        state=state,
        message={"failed": "Måneden er ikke begyndt."}.get(state, ""),
        created_at=now - timedelta(minutes=minutes_ago),
        lease_until=now + timedelta(seconds=lease_left) if state == "running" else None,
        restarts=restarts,
        finished_at=FINISHED if state in ("done", "failed") else None,
        **fields,
    )


@pytest.mark.parametrize(
    ("state", "extra", "text", "shown"),
    [
        ("queued", {}, "I kø: venter på baggrundsjobbet", "queued"),
        ("queued", {"minutes_ago": 600}, "I kø: venter på baggrundsjobbet", "queued"),
        ("running", {}, "Kører", "running"),
        ("done", {}, "Færdig 4. marts 2025 10:30.", "done"),
        ("failed", {}, "Fejlet: Måneden er ikke begyndt.", "failed"),
        ("running", {"lease_left": -1}, "Afbrudt: baggrundsjobbet gik ned.", "stalled"),
        ("queued", {"restarts": 1}, "Genstartet efter nedbrud.", "queued"),
        ("done", {"restarts": 2}, "Genstartet efter nedbrud (2 gange).", "done"),
    ],
)
def test_the_partial_says_each_state_in_danish_and_polls_while_pending(state, extra, text, shown):
    run = _run(JobRun, state, kind="statistics", **extra)
    html = render_to_string("jobs/_status.html", {"run": run})
    assert text in html
    assert (POLL in html) is (state in ("queued", "running"))
    assert 'role="status"' in html
    assert f"state-{shown}" in html
    assert ("Genstartet" in html) is bool(extra.get("restarts"))


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
    assert "Beregningen står i kø og venter" in kpi
    assert 'hx-get="/kontrakter/3/dokumenter/7/status/"' in pdf and "PDF: Dannes" in pdf


@pytest.mark.usefixtures("tenant_a")
def test_a_stalled_run_in_each_kind_says_so_and_keeps_polling_until_it_is_taken_over():
    stalled = {"lease_left": -5, "contract_id": 3}
    with schema_context("alpha"):
        pages = [
            render_to_string(
                "billing/_run_status.html",
                {"run": _run(BillingRun, "running", month=date(2025, 2, 1), lease_left=-5)},
            ),
            render_to_string(
                "reports/_job_state.html",
                {"run": _run(JobRun, "running", kind="statistics", lease_left=-5), "query": ""},
            ),
            render_to_string(
                "contracts/_document_status.html",
                {
                    "run": _run(ContractDocument, "running", kind="signed", **stalled),
                    "contract": type("C", (), {"pk": 3})(),
                },
            ),
        ]
    for html in pages:
        assert "Afbrudt: baggrundsjobbet gik ned" in html and POLL in html
    assert "<strong>Afbrudt</strong>" in pages[0]
