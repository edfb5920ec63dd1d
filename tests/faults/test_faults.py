"""Background work that survives faults (issue 18, findings of list 2), on private servers.

Each test kills and restarts what the issue's fault-injection run killed - Redis, the
worker (SIGKILL mid-job), beat, PostgreSQL - through the pages a person uses, and ends
with 0 lost jobs, 0 jobs still running after their lease, 0 duplicated results and 0
server errors from queueing (written to the report scripts/faults.py prints). Each fails
on the main branch before issue 18: the request answered 500, or the job never finished.
"""

import contextlib
import time
from datetime import UTC, date, datetime, timedelta

import psycopg
from django.db import connection
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from billing.models import BillingRun, Statement
from contracts.models import Contract, ContractDocument
from reports.models import JobRun, KpiResult
from tests.conftest import PASSWORD
from tests.factories import ContractFactory
from tests.faults.conftest import wait_until

SIGNED_AT = datetime(2025, 1, 10, 12, 0, tzinfo=UTC)
# Requests must answer at once with the broker down: the issue measured 19 s.
FAST_SECONDS = 5


def _period(year: int) -> dict:
    return {"period_from": f"{year}-01-01", "period_to": f"{year}-12-31"}


def _kpi_run(year: int) -> JobRun:
    with schema_context("alpha"):
        return JobRun.objects.get(
            kind="statistics", parameters={"from": f"{year}-01-01", "to": f"{year}-12-31"}
        )


def beregn(tally, client, year: int):
    return tally.request(client, "post", reverse("reports:compute"), **_period(year))


def rebuild(tally, client, month: str):
    return tally.request(client, "post", reverse("billing:rebuild", args=[month]))


def pdf(tally, client, contract, kind: str):
    url = reverse("contracts:document_request", args=[contract.pk, 1])
    return tally.request(client, "post", url, kind=kind)


def contract_made(**fields) -> Contract:
    with schema_context("alpha"):
        return ContractFactory(**fields)


def signed_contract() -> Contract:
    return contract_made(status="signed", chief_signed_at=SIGNED_AT, director_signed_at=SIGNED_AT)


def documents(contract, kind: str) -> list[ContractDocument]:
    with schema_context("alpha"):
        return list(ContractDocument.objects.filter(contract=contract, kind=kind))


def billing_runs(month: date) -> list[BillingRun]:
    with schema_context("alpha"):
        return list(BillingRun.objects.filter(month=month))


def all_done(runs) -> bool:
    connection.close()  # a fresh look (and a server that restarted)
    with schema_context("alpha"):
        return all(type(run).objects.get(pk=run.pk).state == "done" for run in runs)


def duplicated_results() -> int:
    """Key figures stored twice for a period, a signed PDF twice, a statement twice."""
    with schema_context("alpha"):
        kpi = (
            KpiResult.objects.values("period_from", "period_to")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        signed = (
            ContractDocument.objects.filter(kind="signed")
            .values("contract", "version")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
        statements = (
            Statement.objects.filter(kind="original")
            .values("contract", "month")
            .annotate(n=Count("pk"))
            .filter(n__gt=1)
            .count()
        )
    return kpi + signed + statements


def assert_clean(row: dict) -> None:
    assert (row["lost"], row["running_after_lease"], row["duplicated"], row["server_errors"]) == (
        0,
        0,
        0,
        0,
    ), row


@contextlib.contextmanager
def held(*statements: str):
    """Hold PostgreSQL locks in a connection of our own until the block ends: a job that
    needs them waits mid-job (its run already running under a lease)."""
    with psycopg.connect(**connection.get_connection_params()) as conn:
        for sql in statements:
            conn.execute(sql)
        yield
        conn.rollback()


def test_with_redis_down_beregn_signing_and_pdf_answer_at_once_and_run_when_it_returns(
    processes, redis_server, browser, tally
):
    """Main: "Beregn" and a PDF request answered 500 after 19 s, the chef's signature was
    saved but the request answered 500, and the committed "queued" rows never ran."""
    processes.worker()
    processes.beat()
    contract = contract_made(status="approved", director_signed_at=SIGNED_AT)
    chef = browser("jobcenterchef")
    redis_server.kill()
    try:
        assert beregn(tally, chef, 2021).status_code == 302
        page = chef.get(reverse("reports:dashboard"), _period(2021))
        assert "står i kø og venter" in page.content.decode()
        url = reverse("contracts:chief_sign", args=[contract.pk, 1])
        assert tally.request(chef, "post", url, password=PASSWORD).status_code == 302
        assert pdf(tally, chef, contract, "preview").status_code == 302
        page = chef.get(reverse("contracts:detail", args=[contract.pk]))
        assert "venter i kø" in page.content.decode()
    finally:
        redis_server.start()
    assert all(seconds < FAST_SECONDS for *_x, seconds in tally.responses), tally.responses
    with schema_context("alpha"):
        assert Contract.objects.get(pk=contract.pk).status == "signed"
    runs = [_kpi_run(2021), *documents(contract, "signed"), *documents(contract, "preview")]
    assert len(runs) == 3
    wait_until(lambda: all_done(runs), timeout=90, what="the jobs queued while Redis was down")
    assert_clean(tally.write(runs, duplicated=duplicated_results()))


def test_tasks_waiting_in_redis_lost_with_it_are_sent_again(
    processes, redis_server, browser, tally
):
    """Main: messages waiting in Redis were gone after its restart, the jobs stuck for good
    (and a signed contract's PDF was never rendered: only failed ones were queued again)."""
    contract = signed_contract()
    chef, konsulent = browser("jobcenterchef"), browser("jobkonsulent")
    assert beregn(tally, chef, 2020).status_code == 302
    assert rebuild(tally, konsulent, "2025-03").status_code == 302
    assert pdf(tally, chef, contract, "signed").status_code == 302
    redis_server.kill()  # no persistence: the three messages are gone
    redis_server.start()
    processes.worker()
    processes.beat()
    runs = [_kpi_run(2020), *billing_runs(date(2025, 3, 1)), *documents(contract, "signed")]
    assert len(runs) == 3
    wait_until(lambda: all_done(runs), timeout=90, what="the jobs Redis lost")
    assert_clean(tally.write(runs, duplicated=duplicated_results()))


def test_beregn_again_runs_a_stuck_job_instead_of_handing_it_back(processes, browser, tally):
    """Main: clicking "Beregn" again returned the stuck queued job, which never ran."""
    with schema_context("alpha"):
        stuck = JobRun.objects.create(
            kind="statistics", parameters={"from": "2019-01-01", "to": "2019-12-31"}
        )
        JobRun.objects.filter(pk=stuck.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    processes.worker()  # no beat: the click itself must revive it
    assert beregn(tally, browser("jobcenterchef"), 2019).status_code == 302
    assert _kpi_run(2019).pk == stuck.pk  # the same job, not a second one
    wait_until(lambda: all_done([stuck]), timeout=30, what="the stuck job, after Beregn")
    assert_clean(tally.write([stuck], duplicated=duplicated_results()))


def test_a_worker_killed_mid_job_is_taken_over_and_the_page_says_so(processes, browser, tally):
    """Main: a worker SIGKILLed mid-job left the key figures "running" and the PDF "Dannes"
    (the message waited in Redis' unacked set for kombu's one-hour visibility timeout)."""
    contract = signed_contract()
    chef, konsulent = browser("jobcenterchef"), browser("jobkonsulent")
    assert beregn(tally, chef, 2018).status_code == 302
    assert pdf(tally, chef, contract, "signed").status_code == 302
    assert rebuild(tally, konsulent, "2025-04").status_code == 302
    runs = [_kpi_run(2018), *documents(contract, "signed"), *billing_runs(date(2025, 4, 1))]
    assert len(runs) == 3
    with held(
        "LOCK TABLE alpha.reports_kpiresult IN ACCESS EXCLUSIVE MODE",
        "LOCK TABLE alpha.contracts_contract IN ACCESS EXCLUSIVE MODE",
        "SELECT pg_advisory_xact_lock(hashtext('billing:alpha:2025-04'))",
    ):
        worker = processes.worker(pool=("-P", "threads", "-c", "4"))

        def all_running():
            with schema_context("alpha"):
                return all(type(r).objects.get(pk=r.pk).state == "running" for r in runs)

        wait_until(all_running, timeout=60, what="the three jobs running")
        processes.kill(worker)
        time.sleep(2)  # PostgreSQL ends the dead worker's statements (client check, 1 s)
    processes.worker()
    processes.beat()
    wait_until(lambda: all_done(runs), timeout=90, what="the jobs of the killed worker")
    with schema_context("alpha"):
        assert all(type(r).objects.get(pk=r.pk).restarts >= 1 for r in runs)
    page = chef.get(reverse("reports:dashboard"), _period(2018))
    assert "Genstartet efter nedbrud" in page.content.decode()
    assert_clean(tally.write(runs, duplicated=duplicated_results()))


def test_worker_beat_redis_and_postgres_killed_and_restarted_mid_work(
    processes, pg, redis_server, browser, tally
):
    """The operator's worst night, in one go; every job ends done, exactly once."""
    contracts = [signed_contract() for _ in range(3)]
    chef, konsulent = browser("jobcenterchef"), browser("jobkonsulent")
    processes.worker(pool=("-P", "threads", "-c", "2"))
    beat = processes.beat()
    # Jobs, then Redis killed right after: whatever waited in it is gone.
    for year in (2010, 2011, 2012):
        beregn(tally, chef, year)
    pdf(tally, chef, contracts[0], "signed")
    rebuild(tally, konsulent, "2025-05")
    redis_server.kill()
    # Jobs asked for while Redis is down.
    beregn(tally, chef, 2013)
    pdf(tally, chef, contracts[1], "signed")
    redis_server.start()
    # The worker SIGKILLed mid-work, started again; beat killed and started again.
    beregn(tally, chef, 2014)
    pdf(tally, chef, contracts[2], "preview")
    time.sleep(0.5)
    processes.kill_workers()
    processes.kill(beat)
    processes.worker(pool=("-P", "threads", "-c", "2"), wait=False)
    processes.beat()
    # PostgreSQL crashes and restarts under the worker, beat and the jobs.
    beregn(tally, chef, 2015)
    rebuild(tally, konsulent, "2025-06")
    pg.kill()
    time.sleep(1)
    pg.start()
    connection.close()
    beregn(tally, chef, 2016)
    pdf(tally, chef, contracts[2], "signed")
    runs = [_kpi_run(year) for year in range(2010, 2017)]
    runs += [d for c in contracts for d in documents(c, "signed") + documents(c, "preview")]
    runs += billing_runs(date(2025, 5, 1)) + billing_runs(date(2025, 6, 1))
    assert len(runs) == 7 + 4 + 2
    wait_until(lambda: all_done(runs), timeout=150, what="every job of the night", step=1)
    assert_clean(tally.write(runs, duplicated=duplicated_results()))
