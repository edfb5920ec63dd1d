"""Every payment model with hand-computed amounts (the arithmetic is in each test's comment)."""

from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from billing.models import Statement
from billing.rules import parse_month
from billing.selectors import contract_payments, contracts_payments
from billing.services import billing_month_build
from contracts.models import PaymentModel
from mentors.models import MentorTraining

from .conftest import BUILT_ON, amendment, contract, course, log_hours, mentor_for

D = Decimal


def _statement(c, month):
    billing_month_build(month=month, today=BUILT_ON)
    return Statement.objects.get(contract=c, month=month, kind="original")


def _amounts(statement):
    return [line.amount for line in statement.lines.order_by("position")]


def test_per_candidate_week_charges_every_started_week_in_the_month_it_starts(centre):
    with schema_context("alpha"):
        c = contract(
            centre, payment_model=PaymentModel.PER_CANDIDATE_WEEK, payment_amount=D("350.00")
        )
        # A: Monday 3.2.2025, 13 weeks. Week starts in February: 3.2, 10.2, 17.2, 24.2 = 4;
        # in March: 3.3, 10.3, 17.3, 24.3, 31.3 = 5.
        course(c, start=date(2025, 2, 3), planned_end=date(2025, 5, 4))
        # B: 10 days, Wed 26.2 - Fri 7.3 = 2 started weeks: week 1 on 26.2 (February),
        # week 2 on 5.3 (March).
        course(
            c, start=date(2025, 2, 26), planned_end=date(2025, 3, 7), place=2, end=date(2025, 3, 7)
        )
        feb = _statement(c, date(2025, 2, 1))
        # February: (4 + 1) x 350.00 = 1,750.00
        assert feb.total == D("1750.00")
        assert feb.lines.count() == 5
        week = feb.lines.get(week_no=1, place_number=2)
        assert (week.period_start, week.period_end) == (date(2025, 2, 26), date(2025, 3, 4))
        assert week.rule == "per_candidate_week" and week.amount == D("350.00")
        mar = _statement(c, date(2025, 3, 1))
        # March: (5 + 1) x 350.00 = 2,100.00; B's week 2 ends with the course on 7.3.
        assert mar.total == D("2100.00")
        b2 = mar.lines.get(place_number=2)
        assert (b2.week_no, b2.period_start, b2.period_end) == (
            2,
            date(2025, 3, 5),
            date(2025, 3, 7),
        )
        # A's weeks in April: 7.4, 14.4, 21.4, 28.4 = 4 x 350.00 = 1,400.00; none in May
        # (week 14 would start 5.5, after the planned end 4.5).
        assert contract_payments(contract=c, start=date(2025, 4, 1), end=date(2025, 5, 31)) == D(
            "1400.00"
        )


def test_per_candidate_week_total_over_the_course_life_matches_weeks_started(centre):
    with schema_context("alpha"):
        c = contract(
            centre, payment_model=PaymentModel.PER_CANDIDATE_WEEK, payment_amount=D("350.00")
        )
        course(c, start=date(2025, 2, 3), planned_end=date(2025, 5, 4))
        course(
            c, start=date(2025, 2, 26), planned_end=date(2025, 3, 7), place=2, end=date(2025, 3, 7)
        )
        # A: 13 weeks, B: 2 weeks = 15 x 350.00 = 5,250.00
        assert contract_payments(contract=c, start=date(2025, 1, 1), end=date(2025, 12, 31)) == D(
            "5250.00"
        )


def test_per_candidate_week_with_an_amendment_uses_the_rate_on_the_week_start(centre):
    with schema_context("alpha"):
        c = contract(
            centre, payment_model=PaymentModel.PER_CANDIDATE_WEEK, payment_amount=D("350.00")
        )
        course(c, start=date(2025, 2, 3), planned_end=date(2025, 5, 4))
        # From Thursday 13.2 a week costs 412.50: the week of 10.2 began before, at 350.00.
        amendment(c, version=2, valid_from=date(2025, 2, 13), payment_amount=D("412.50"))
        feb = _statement(c, date(2025, 2, 1))
        # 3.2: 350.00, 10.2: 350.00, 17.2: 412.50, 24.2: 412.50 = 1,525.00
        assert _amounts(feb) == [D("350.00"), D("350.00"), D("412.50"), D("412.50")]
        assert feb.total == D("1525.00")
        assert [line.terms_version for line in feb.lines.order_by("position")] == [1, 1, 2, 2]


def test_mentor_hours_part_weeks_pro_rata_and_logged_hours_flagged(centre, tenant_a):
    m1 = mentor_for(centre, tenant_a, "mentor1@alpha.test")
    m2 = mentor_for(centre, tenant_a, "mentor2@alpha.test")
    with schema_context("alpha"):
        c = contract(
            centre,
            start=date(2025, 1, 15),
            end=date(2025, 3, 12),
            payment_model=PaymentModel.MENTOR_HOURS,
            payment_amount=None,
            payment_hours_per_week=D("10.0"),
            payment_hourly_rate=D("212.50"),
        )
        # Two mentors log 5.0 + 3.0 = 8.0 h in the week of 13.1 (exactly 20 % short: not
        # flagged), one logs 7.5 h in the week of 20.1 (25 % short: flagged), none the week
        # of 27.1 (100 % short: flagged).
        log_hours(m1, centre, date(2025, 1, 13), "5.0")
        log_hours(m2, centre, date(2025, 1, 13), "3.0")
        log_hours(m1, centre, date(2025, 1, 20), "7.5")
        jan = _statement(c, date(2025, 1, 1))
        # Week of 13.1: contract from Wed 15.1: 5/7 x 10 h x 212.50 = 1,517.857.. -> 1,517.86
        # Week of 20.1: 10 h x 212.50 = 2,125.00
        # Week of 27.1: 27.1-31.1 in January: 5/7 x 2,125.00 = 1,517.857.. -> 1,517.86
        # Total 5,160.72 (unrounded 2,125 x 17/7 = 5,160.714..: øre only at line level).
        assert _amounts(jan) == [D("1517.86"), D("2125.00"), D("1517.86")]
        assert jan.total == D("5160.72")
        lines = list(jan.lines.order_by("position"))
        assert [line.hours_logged for line in lines] == [D("8.0"), D("7.5"), D("0.0")]
        assert [line.hours_agreed for line in lines] == [D("10.0")] * 3
        assert [line.shortfall for line in lines] == [False, True, True]
        assert lines[0].quantity == D("7.1429")  # 10 h x 5/7
        assert jan.hours_shortfall is True

        mar = _statement(c, date(2025, 3, 1))
        # Week of 24.2: 1.3-2.3 = 2/7 x 2,125.00 = 607.142.. -> 607.14
        # Week of 3.3: 2,125.00; week of 10.3: until the end, Wed 12.3 = 3/7 -> 910.71
        # Total 3,642.85
        assert _amounts(mar) == [D("607.14"), D("2125.00"), D("910.71")]
        assert mar.total == D("3642.85")
        # February: the week of 27.1 has 1.2-2.2 (2 days: 607.14), then 3 full weeks
        # (3 x 2,125.00) and 24.2-28.2 (5 days: 1,517.86) = 8,500.00
        assert contract_payments(contract=c, start=date(2025, 2, 1), end=date(2025, 2, 28)) == D(
            "8500.00"
        )


def test_per_place_month_part_months_by_day_and_establishment_once(centre):
    with schema_context("alpha"):
        c = contract(
            centre,
            start=date(2025, 3, 10),
            end=date(2025, 6, 20),
            places=4,
            payment_amount=D("1500.00"),
            establishment_amount=D("25000.00"),
        )
        mar = _statement(c, date(2025, 3, 1))
        # Establishment 25,000.00 in the first month;
        # 10.3-31.3 = 22 of 31 days: 4 x 1,500 x 22/31 = 4,258.064.. -> 4,258.06
        assert _amounts(mar) == [D("25000.00"), D("4258.06")]
        assert mar.total == D("29258.06")
        assert [line.rule for line in mar.lines.order_by("position")] == [
            "establishment",
            "per_place_month",
        ]
        # April: 4 x 1,500 = 6,000.00, no establishment again.
        assert _amounts(_statement(c, date(2025, 4, 1))) == [D("6000.00")]
        # June: 1.6-20.6 = 20 of 30 days: 6,000 x 20/30 = 4,000.00
        assert _amounts(_statement(c, date(2025, 6, 1))) == [D("4000.00")]
        # July: after the end, no statement at all.
        billing_month_build(month=date(2025, 7, 1), today=date(2025, 8, 1))
        assert not Statement.objects.filter(contract=c, month=date(2025, 7, 1)).exists()
        # The whole contract: 25,000 + 4,258.06 + 6,000 (April) + 6,000 (May) + 4,000
        assert contract_payments(contract=c, start=date(2025, 1, 1), end=date(2025, 12, 31)) == D(
            "45258.06"
        )


def test_per_place_month_amendment_from_mid_month_splits_the_month(centre):
    with schema_context("alpha"):
        c = contract(centre, start=date(2025, 1, 1), end=date(2025, 12, 31))
        # From 16.4: 6 places at 1,600.00. A draft (unsigned) version 3 is ignored.
        amendment(c, version=2, valid_from=date(2025, 4, 16), places=6, payment_amount=D("1600.00"))
        amendment(c, version=3, valid_from=date(2025, 4, 20), places=10, signed=False)
        apr = _statement(c, date(2025, 4, 1))
        # 1.4-15.4: 4 x 1,500 x 15/30 = 3,000.00; 16.4-30.4: 6 x 1,600 x 15/30 = 4,800.00
        assert _amounts(apr) == [D("3000.00"), D("4800.00")]
        assert apr.total == D("7800.00")
        # May under version 2 only: 6 x 1,600 = 9,600.00
        assert _amounts(_statement(c, date(2025, 5, 1))) == [D("9600.00")]


def test_amendment_changing_the_payment_model_mid_month(centre, tenant_a):
    mentor = mentor_for(centre, tenant_a, "mentor1@alpha.test")
    with schema_context("alpha"):
        c = contract(centre, start=date(2025, 1, 1), end=date(2025, 12, 31))
        # From Monday 17.2 mentor release instead: 8 h x 200.00 a week.
        amendment(
            c,
            version=2,
            valid_from=date(2025, 2, 17),
            payment_model=PaymentModel.MENTOR_HOURS,
            payment_amount=None,
            payment_hours_per_week=D("8.0"),
            payment_hourly_rate=D("200.00"),
        )
        log_hours(mentor, centre, date(2025, 2, 17), "8.0")
        feb = _statement(c, date(2025, 2, 1))
        # 1.2-16.2: 4 x 1,500 x 16/28 = 3,428.571.. -> 3,428.57
        # weeks of 17.2 and 24.2 (24.2-28.2 = 5 days): 1,600.00 and 5/7 x 1,600 = 1,142.86
        assert _amounts(feb) == [D("3428.57"), D("1600.00"), D("1142.86")]
        assert feb.total == D("6171.43")
        assert [line.rule for line in feb.lines.order_by("position")] == [
            "per_place_month",
            "mentor_hours",
            "mentor_hours",
        ]


def test_training_only_has_no_payment_lines_and_lists_the_months_courses(centre, tenant_a):
    mentor = mentor_for(centre, tenant_a, "mentor1@alpha.test")
    with schema_context("alpha"):
        c = contract(centre, payment_model=PaymentModel.TRAINING_ONLY, payment_amount=None)
        MentorTraining.objects.create(
            mentor=mentor, kind="course", title="Mentorkursus modul 1", date=date(2025, 3, 12)
        )
        MentorTraining.objects.create(
            mentor=mentor, kind="network_meeting", title="Netværksmøde", date=date(2025, 4, 2)
        )
        mar = _statement(c, date(2025, 3, 1))
        assert mar.total == D("0.00")
        assert mar.lines.count() == 0
        assert [(t["date"], t["title"], t["kind"]) for t in mar.trainings] == [
            ("2025-03-12", "Mentorkursus modul 1", "course")
        ]
        assert contract_payments(contract=c, start=date(2025, 1, 1), end=date(2025, 12, 31)) == D(
            "0.00"
        )


def test_unsigned_contract_pays_nothing_and_bulk_form_agrees(centre):
    from contracts.models import ContractStatus

    with schema_context("alpha"):
        signed = contract(centre)
        draft = contract(centre, status=ContractStatus.DRAFT)
        assert contract_payments(
            contract=draft, start=date(2025, 1, 1), end=date(2025, 1, 31)
        ) == D("0.00")
        # January: 4 x 1,500 = 6,000.00
        assert contracts_payments(start=date(2025, 1, 1), end=date(2025, 1, 31)) == {
            signed.pk: D("6000.00")
        }
        with pytest.raises(ValueError):
            contract_payments(contract=signed, start=date(2025, 2, 1), end=date(2025, 1, 1))


@pytest.mark.parametrize("value", ["2025-13", "2025-00", "25-01", "2025-1", "januar", ""])
def test_parse_month_refuses_bad_months_in_danish(value):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as exc:
        parse_month(value)
    assert "Ugyldig måned" in exc.value.messages[0]


def test_parse_month_reads_year_and_month():
    assert parse_month("2025-02") == date(2025, 2, 1)
