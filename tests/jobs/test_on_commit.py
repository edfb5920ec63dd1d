"""Tasks are sent to the broker only when the transaction that queued them commits.

Against the real Redis broker of the tests (TEST_REDIS_DB): the billing queue's length is read
from Redis. These tests commit (no test transaction) and so touch nothing but the queue,
which they empty first; no worker runs in this module.
"""

import json

import pytest
from django.conf import settings
from django.db import transaction
from django_tenants.utils import schema_context

from billing.tasks import billing_run_task
from config.celery import app

# billing_run_task is routed to the key figures' and billing's queue (settings, issue 29).
QUEUE = settings.CELERY_QUEUE_REPORTS
NO_SUCH_RUN = 10**9  # a worker taking it by mistake reports "missing"


class Rollback(Exception):
    pass


def _queue_length() -> int:
    with app.connection_for_write() as conn, conn.channel() as channel:
        return channel.queue_declare(queue=QUEUE, durable=True, auto_delete=False).message_count


def _take_message():
    with app.connection_for_write() as conn, conn.channel() as channel:
        return channel.basic_get(queue=QUEUE, no_ack=True)


@pytest.fixture
def empty_queue(django_db_setup):  # noqa: ARG001 - the test database must exist
    with app.connection_for_write() as conn, conn.channel() as channel:
        channel.queue_declare(queue=QUEUE, durable=True, auto_delete=False)
        channel.queue_purge(QUEUE)
    yield
    with app.connection_for_write() as conn, conn.channel() as channel:
        channel.queue_purge(QUEUE)


@pytest.mark.usefixtures("empty_queue")
def test_a_rolled_back_transaction_sends_nothing(django_db_blocker):
    with (
        django_db_blocker.unblock(),
        schema_context("alpha"),
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        billing_run_task.delay(NO_SUCH_RUN)
        assert _queue_length() == 0  # not before the commit either
        raise Rollback
    assert _queue_length() == 0


@pytest.mark.usefixtures("empty_queue")
def test_a_committed_transaction_sends_the_task_with_the_queuing_tenants_schema(
    django_db_blocker,
):
    with django_db_blocker.unblock():
        with transaction.atomic():
            with schema_context("alpha"):
                result = billing_run_task.delay(NO_SUCH_RUN)
            # Still in the transaction, back in the public schema: nothing sent yet.
            assert _queue_length() == 0
        assert _queue_length() == 1
    message = _take_message()
    assert message.headers["id"] == result.id
    assert message.headers["task"] == "billing.tasks.billing_run_task"
    # The schema is the one that queued the task, not the one current at commit.
    assert message.headers["_schema_name"] == "alpha"
    args, _kwargs, _embed = json.loads(message.body)
    assert args == [NO_SUCH_RUN]


@pytest.mark.usefixtures("empty_queue")
def test_outside_a_transaction_the_task_is_sent_at_once(django_db_blocker):
    with django_db_blocker.unblock(), schema_context("beta"):
        result = billing_run_task.delay(NO_SUCH_RUN)
        assert _queue_length() == 1
    message = _take_message()
    assert (message.headers["id"], message.headers["_schema_name"]) == (result.id, "beta")


@pytest.mark.usefixtures("empty_queue")
def test_the_services_rolled_back_send_nothing_and_leave_no_run(django_db_blocker):
    from datetime import date

    from billing.models import BillingRun
    from contracts.models import ContractDocument
    from contracts.services import contract_document_request
    from reports.models import JobRun
    from reports.services import kpi_job_queue
    from tests.factories import ContractFactory

    with django_db_blocker.unblock(), schema_context("alpha"):
        runs_before = (JobRun.objects.count(), BillingRun.objects.count())
        with pytest.raises(Rollback), transaction.atomic():
            kpi_job_queue(
                period_from=date(2024, 1, 1), period_to=date(2024, 12, 31), acting_user=None
            )
            contract = ContractFactory()
            contract_document_request(
                contract=contract, version=1, kind="preview", acting_user=None
            )
            raise Rollback
        assert (JobRun.objects.count(), BillingRun.objects.count()) == runs_before
        assert not ContractDocument.objects.filter(contract__pk=contract.pk).exists()
    assert _queue_length() == 0


def test_every_task_of_the_project_uses_the_base():
    from jobs.tasks import TransactionAwareTask

    app.loader.import_default_modules()
    ours = {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}
    assert "contracts.tasks.contract_document_render_task" in ours
    assert "billing.tasks.billing_run_task" in ours
    assert "reports.tasks.kpi_job_task" in ours
    for name, task in ours.items():
        assert isinstance(task, TransactionAwareTask), name
