"""The page benchmark (issue 24) runs for real at small scale: gunicorn with production
settings, wrk, every page answering 200, the JSON lines it promises."""

import json
from io import StringIO

import pytest
from django.core.management import call_command


@pytest.fixture
def committed(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    """The benchmark commits its jobcentre (gunicorn reads it); it is dropped afterwards."""
    with django_db_blocker.unblock():
        yield
        from tenants.models import Jobcenter

        for jobcenter in Jobcenter.objects.filter(schema_name="kpibench_small"):
            jobcenter.delete(force_drop=True)


@pytest.mark.usefixtures("committed")
def test_small_run_prints_a_line_per_page_and_the_worst_ratios():
    out = StringIO()
    call_command("page_benchmark", scale="small", seconds=1, rounds=1, stdout=out)
    lines = [json.loads(line) for line in out.getvalue().splitlines() if line.startswith("{")]
    *pages, summary = lines
    names = {page["page"] for page in pages}
    assert {"KPI dashboard", "billing month", "audit log", "attendance save POST"} <= names
    # Every page answered 200 once before the load, and wrk saw no answer other than 2xx/3xx
    # (the command fails otherwise); on a loaded machine a slow page may finish no request
    # within a 1-second run, so answers are counted over all pages.
    assert sum(page["requests"] for page in pages) > len(pages)
    for page in pages:
        assert page["floor_rps"] > 0 and page["rps"] > 0
        assert page["queries"] >= page["floor_queries"] > 0
        assert set(page) >= {"p50_ms", "p95_ms", "ratio", "p95_ratio", "floor_p95_ms"}
        # One round: its ratios are the medians.
        assert page["round_ratios"] == [page["ratio"]]
        assert page["round_p95_ratios"] == [page["p95_ratio"]]
    assert summary["pages"] == len(pages)
    assert summary["worst_page"] in names
    assert summary["worst_throughput_ratio"] == max(p["ratio"] for p in pages)
    assert summary["worst_p95_ratio"] == max(p["p95_ratio"] for p in pages)
    assert "Data: " in out.getvalue()
