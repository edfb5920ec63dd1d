"""The one-statement totals for statistics equal the statement lines' totals."""

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from billing.models import Rule
from billing.selectors import contracts_compute, contracts_payments
from billing.totals import contract_payment_totals, mentor_support_spending
from contracts.models import Amendment, PaymentModel
from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

PERIODS = [
    (date(2025, 1, 1), date(2025, 12, 31)),
    (date(2025, 2, 10), date(2025, 3, 17)),  # part months and part weeks
    (date(2025, 4, 16), date(2025, 4, 16)),  # one day
    (date(2024, 11, 5), date(2026, 2, 3)),  # beyond the contracts
]


def terms_for(model: str, rng: random.Random) -> dict:
    if model == PaymentModel.MENTOR_HOURS:
        return {
            "payment_amount": None,
            "payment_hours_per_week": Decimal(rng.choice([8, 10, 15])),
            "payment_hourly_rate": Decimal(rng.choice(["170.00", "212.50", "250.00"])),
        }
    if model == PaymentModel.TRAINING_ONLY:
        return {"payment_amount": None}
    return {"payment_amount": Decimal(rng.choice(["400.00", "1500.00", "1333.33"]))}


def build_mix(seed: int) -> None:
    """Contracts of every model, with mid-month, same-day and unsigned amendments, a late
    start, an establishment amount, and courses (ended, running, extended)."""
    rng = random.Random(seed)
    models = [m.value for m in PaymentModel]
    for i in range(8):
        start = date(2025, 1, 1) + timedelta(days=rng.choice([0, 0, 17, 45]))
        model = models[i % len(models)]
        contract = ContractFactory(
            centre=CentreFactory(),
            start=start,
            end=date(2025, 12, 31),
            places=rng.choice([2, 4, 6]),
            payment_model=model,
            establishment_amount=Decimal(rng.choice([0, 0, 10000])),
            **terms_for(model, rng),
        )
        for version in (2, 3):
            new_model = rng.choice(models)
            Amendment.objects.create(
                contract=contract,
                version=version,
                valid_from=start + timedelta(days=rng.choice([30, 61, 61, 100])),
                reason="Ændring",
                places=rng.choice([4, 8]),
                payment_model=new_model,
                status="signed" if version == 2 or rng.random() < 0.5 else "draft",
                **terms_for(new_model, rng),
            )
        from contracts.services import contract_places_ensure

        contract_places_ensure(contract=contract, places=8)
        for number in (1, 2):
            day = start + timedelta(days=rng.randint(0, 20))
            while day < date(2025, 11, 1):
                length = rng.choice([10, 40, 91, 120])
                end = min(day + timedelta(days=length), contract.end)
                running = end >= date(2025, 10, 15)
                CourseFactory(
                    candidate=CandidateFactory(),
                    contract=contract,
                    place=contract.place_set.get(number=number),
                    start=day,
                    planned_end=end,
                    end=None if running else end,
                    outcome=None if running else "ukendt",
                )
                if running:
                    break
                day = end + timedelta(days=rng.randint(1, 9))
        # Half the contracts have mentor-support grants (per place, and per person on a
        # course), which replace their agreed mentor hours while the model is mentor_hours.
        if i % 2 == 0:
            add_grants(contract, rng)


def add_grants(contract, rng: random.Random) -> None:
    from mentors.models import MentorGrant

    place = contract.place_set.get(number=3)
    MentorGrant.objects.create(
        place=place,
        start=contract.start + timedelta(days=rng.randint(0, 10)),
        end=contract.start + timedelta(days=rng.randint(60, 170)),
        hours_per_week=Decimal(rng.choice(["4.0", "7.5"])),
        hourly_rate=Decimal(rng.choice(["180.00", "212.50"])),
    )
    course = contract.courses.order_by("start").first()
    if course is not None:
        MentorGrant.objects.create(
            place=course.place,
            course=course,
            start=course.start,
            end=course.start + timedelta(days=rng.randint(3, 100)),
            hours_per_week=Decimal("2.5"),
            hourly_rate=Decimal("199.99"),
        )


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.usefixtures("tenant_a")
def test_totals_equal_the_statement_lines_for_every_model_and_period(seed):
    with schema_context("alpha"):
        build_mix(seed)
        for start, end in PERIODS:
            expected = contracts_payments(start=start, end=end)
            assert contract_payment_totals(start=start, end=end) == expected, (start, end)


@pytest.mark.usefixtures("tenant_a")
def test_totals_refuse_a_reversed_period():
    with schema_context("alpha"), pytest.raises(ValueError):
        contract_payment_totals(start=date(2025, 2, 1), end=date(2025, 1, 1))


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.usefixtures("tenant_a")
def test_mentor_support_spending_equals_the_mentor_hours_lines_of_the_statements(seed):
    """The ØVO box's spending (one query) is the sum of the statements' mentor-hours lines:
    agreed hours, and the grants that replace them, across amendments that change model."""
    with schema_context("alpha"):
        build_mix(seed)
        seen_spending = False
        for start, end in PERIODS:
            expected = sum(
                (
                    line.amount
                    for _contract, computed in contracts_compute(start=start, end=end)
                    for line in computed.lines
                    if line.rule == Rule.MENTOR_HOURS
                ),
                Decimal("0.00"),
            )
            assert mentor_support_spending(start=start, end=end) == expected, (start, end)
            seen_spending = seen_spending or expected > 0
        assert seen_spending  # the mix has mentor support to sum
