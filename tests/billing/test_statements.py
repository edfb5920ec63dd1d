"""Building, rebuilding, approving (locking) and correcting statements; the monthly job."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from billing.models import BillingRun, Statement
from billing.services import (
    billing_month_build,
    billing_previous_month_build,
    billing_rebuild_request,
    billing_run_execute,
    billing_statement_approve,
)
from contracts.models import ContractStatus, PaymentModel

from .conftest import BUILT_ON, contract, course

D = Decimal
FEB = date(2025, 2, 1)


@pytest.fixture
def weekly(centre):
    """A per_candidate_week contract at 350.00 and one course from Monday 3.2.2025."""
    with schema_context("alpha"):
        c = contract(
            centre, payment_model=PaymentModel.PER_CANDIDATE_WEEK, payment_amount=D("350.00")
        )
        k = course(c, start=date(2025, 2, 3), planned_end=date(2025, 5, 4))
    return c, k


def _original(c, month=FEB):
    return Statement.objects.get(contract=c, month=month, kind="original")


def test_build_makes_one_draft_per_signed_contract(weekly, centre):
    c, _k = weekly
    with schema_context("alpha"):
        contract(centre, status=ContractStatus.DRAFT)
        result = billing_month_build(month=FEB, today=BUILT_ON)
        assert result.created == 1
        statement = _original(c)
        assert statement.status == "draft" and statement.built_by is None
        # 3.2, 10.2, 17.2, 24.2: 4 x 350.00
        assert statement.total == D("1400.00")
        assert Statement.objects.filter(month=FEB).count() == 1
        assert AuditEvent.objects.filter(action="billing.month_build").exists()


def test_rebuilding_a_draft_recomputes_it_in_place(weekly, konsulent):
    c, _k = weekly
    with schema_context("alpha"):
        billing_month_build(month=FEB, today=BUILT_ON)
        before = _original(c)
        # A second course from Monday 17.2 (place 2): 2 more weeks in February.
        course(c, start=date(2025, 2, 17), planned_end=date(2025, 5, 18), place=2)
        result = billing_month_build(month=FEB, acting_user=konsulent, today=BUILT_ON)
        assert (result.created, result.rebuilt) == (0, 1)
        after = _original(c)
        assert after.pk == before.pk
        # (4 + 2) x 350.00 = 2,100.00
        assert after.total == D("2100.00")
        assert after.lines.count() == 6
        assert after.built_by == konsulent


def test_approved_statement_is_locked_and_a_rebuild_makes_a_correction(weekly, chef):
    c, k = weekly
    with schema_context("alpha"):
        billing_month_build(month=FEB, today=BUILT_ON)
        approved = billing_statement_approve(statement=_original(c), acting_user=chef)
        assert approved.is_locked and approved.approved_by == chef
        lines_before = list(approved.lines.values_list("key", "amount"))

        # The course turns out to have ended on Friday 14.2 (2 weeks, not 4), and a second
        # course started on 24.2 (1 week): the month is now 3 x 350.00 = 1,050.00.
        k.end, k.outcome = date(2025, 2, 14), "ordinaert_job"
        k.save()
        course(c, start=date(2025, 2, 24), planned_end=date(2025, 5, 25), place=2)
        result = billing_month_build(month=FEB, today=BUILT_ON)
        assert (result.corrections, result.rebuilt) == (1, 0)

        original = _original(c)
        assert original.total == D("1400.00")
        assert list(original.lines.values_list("key", "amount")) == lines_before
        correction = Statement.objects.get(contract=c, month=FEB, kind="correction")
        assert correction.status == "draft" and correction.corrects == original
        # Differences: weeks 3 and 4 of the first course reversed (-350.00 each), week 1
        # of the new course added (+350.00): -350.00 = 1,050.00 - 1,400.00.
        amounts = sorted(correction.lines.values_list("amount", flat=True))
        assert amounts == [D("-350.00"), D("-350.00"), D("350.00")]
        assert correction.total == D("-350.00")
        assert original.total + correction.total == D("1050.00")
        reversed_line = correction.lines.filter(amount__lt=0).first()
        assert reversed_line.description.startswith("Tilbageført:")
        assert AuditEvent.objects.filter(
            action="billing.correction_create", object_id=str(correction.pk)
        ).exists()


def test_rebuild_without_changes_after_approval_makes_no_correction(weekly, chef):
    c, _k = weekly
    with schema_context("alpha"):
        billing_month_build(month=FEB, today=BUILT_ON)
        billing_statement_approve(statement=_original(c), acting_user=chef)
        result = billing_month_build(month=FEB, today=BUILT_ON)
        assert (result.unchanged, result.corrections) == (1, 0)
        assert not Statement.objects.filter(kind="correction").exists()


def test_open_correction_is_rewritten_and_an_approved_one_counts_as_billed(weekly, chef):
    c, k = weekly
    with schema_context("alpha"):
        billing_month_build(month=FEB, today=BUILT_ON)
        billing_statement_approve(statement=_original(c), acting_user=chef)
        # A new course from 10.2: 3 weeks more (10.2, 17.2, 24.2) = +1,050.00.
        extra = course(c, start=date(2025, 2, 10), planned_end=date(2025, 5, 11), place=2)
        billing_month_build(month=FEB, today=BUILT_ON)
        first = Statement.objects.get(kind="correction")
        assert first.total == D("1050.00")
        # Rebuilt again before approval: the same open correction, no second one.
        billing_month_build(month=FEB, today=BUILT_ON)
        assert Statement.objects.filter(kind="correction").count() == 1
        first = billing_statement_approve(
            statement=Statement.objects.get(kind="correction"), acting_user=chef
        )
        # The extra course really started on 17.2: week 1 on 17.2, week 2 on 24.2.
        # Billed now: original (4 weeks) + correction (3 weeks) = 7 weeks; owed: 4 + 2 = 6.
        extra.start = date(2025, 2, 17)
        extra.save()
        billing_month_build(month=FEB, today=BUILT_ON)
        second = Statement.objects.get(kind="correction", status="draft")
        assert second.pk != first.pk and second.corrects == _original(c)
        # Keys: week 1 (was 10.2, now 17.2) and week 2 keep their key and amount; week 3
        # (24.2 before) is no longer owed: -350.00.
        assert second.total == D("-350.00")
        assert _original(c).total + first.total + second.total == 6 * D("350.00")


def test_approval_only_by_jobcenterchef_and_only_once(weekly, chef, konsulent):
    c, _k = weekly
    with schema_context("alpha"):
        billing_month_build(month=FEB, today=BUILT_ON)
        statement = _original(c)
        with pytest.raises(PermissionDenied):
            billing_statement_approve(statement=statement, acting_user=konsulent)
        billing_statement_approve(statement=statement, acting_user=chef)
        with pytest.raises(ValidationError) as exc:
            billing_statement_approve(statement=statement, acting_user=chef)
        assert "allerede godkendt" in exc.value.messages[0]
        assert AuditEvent.objects.filter(action="billing.statement_approve").count() == 1


@pytest.mark.usefixtures("weekly")
def test_a_month_not_begun_cannot_be_built(konsulent):
    with schema_context("alpha"):
        with pytest.raises(ValidationError) as exc:
            billing_month_build(month=date(2025, 7, 1), today=BUILT_ON)
        assert "ikke begyndt" in exc.value.messages[0]
        with pytest.raises(ValidationError):
            billing_rebuild_request(month=date(2025, 7, 1), acting_user=konsulent, today=BUILT_ON)
        assert not BillingRun.objects.exists()
        assert not Statement.objects.exists()


def test_rebuild_request_queues_a_run_that_a_worker_carries_out(
    weekly, konsulent, chef, django_capture_on_commit_callbacks
):
    c, _k = weekly
    with schema_context("alpha"):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run = billing_rebuild_request(month=FEB, acting_user=konsulent, today=BUILT_ON)
            # Asking again while it is queued gives the same run.
            assert billing_rebuild_request(month=FEB, acting_user=konsulent, today=BUILT_ON) == run
        assert len(callbacks) == 1  # the task is sent once the request is committed
        assert run.state == "queued" and run.requested_by == konsulent
        # The chef may ask too (issue 23): the queued run is handed back, not a second one.
        assert billing_rebuild_request(month=FEB, acting_user=chef, today=BUILT_ON) == run
        run = billing_run_execute(run_id=run.pk, today=BUILT_ON)
        assert run.state == "done" and run.finished_at is not None
        assert "1 nye" in run.message
        assert _original(c).built_by == konsulent
        assert AuditEvent.objects.filter(action="billing.rebuild_request").count() == 1


def test_monthly_job_builds_the_previous_month(weekly):
    c, _k = weekly
    with schema_context("alpha"):
        run = billing_previous_month_build(today=date(2025, 3, 1))
        assert (run.month, run.state, run.requested_by) == (FEB, "done", None)
        assert _original(c).total == D("1400.00")


def test_monthly_job_is_in_the_beat_schedule_for_every_tenant():
    from celery.schedules import crontab

    entry = settings.CELERY_BEAT_SCHEDULE["billing-previous-month"]
    assert entry["task"] == "billing.tasks.billing_previous_month_monthly"
    assert "tenant_schemas" not in entry.get("options", {})
    assert isinstance(entry["schedule"], crontab)
    assert entry["schedule"].day_of_month == {1}


@pytest.mark.usefixtures("weekly")
def test_statements_of_one_tenant_are_invisible_in_another():
    with schema_context("alpha"):
        billing_month_build(month=FEB, today=BUILT_ON)
        assert Statement.objects.count() == 1
    with schema_context("beta"):
        assert Statement.objects.count() == 0


@pytest.mark.usefixtures("weekly")
def test_a_run_whose_worker_died_is_taken_over_by_a_new_rebuild(
    konsulent, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.utils import timezone

    with schema_context("alpha"):
        with django_capture_on_commit_callbacks(execute=False):
            lost = billing_rebuild_request(month=FEB, acting_user=konsulent, today=BUILT_ON)
            BillingRun.objects.filter(pk=lost.pk).update(
                state="running", created_at=timezone.now() - timedelta(hours=2)
            )
            again = billing_rebuild_request(month=FEB, acting_user=konsulent, today=BUILT_ON)
        # Its lease (none: queued two hours ago) ran out: the same run, queued again.
        assert (again.pk, again.state, again.restarts) == (lost.pk, "queued", 1)


@pytest.mark.usefixtures("weekly")
def test_task_entry_points_call_the_services(konsulent, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from billing.rules import previous_month
    from billing.tasks import billing_previous_month_monthly, billing_run_task

    with schema_context("alpha"):
        with django_capture_on_commit_callbacks(execute=False):
            run = billing_rebuild_request(month=FEB, acting_user=konsulent)
        assert billing_run_task(run.pk) == "done"
        assert billing_run_task(999999) == "missing"
        assert billing_previous_month_monthly() == "done"
        assert BillingRun.objects.filter(
            month=previous_month(timezone.localdate()), requested_by=None
        ).exists()
