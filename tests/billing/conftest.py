"""Billing tests: users per role in alpha, a centre, and helpers for contracts and courses.

Dates are fixed (2025); "today" is always passed explicitly to the services.
"""

from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from candidates.models import Outcome
from contracts.models import Amendment, AmendmentStatus, PaymentModel
from mentors.models import Mentor, MentorHours
from tests.conftest import make_user
from tests.factories import CentreFactory, CompanyFactory, ContractFactory, CourseFactory

# The `today` the tests pass to the month builds: after every month they bill. Not a frozen
# clock: billing takes its day as an argument.
BUILT_ON = date(2025, 6, 15)


@pytest.fixture
def konsulent(tenant_a):
    return make_user(tenant_a, "jobkonsulent")


@pytest.fixture
def chef(tenant_a):
    return make_user(tenant_a, "jobcenterchef")


@pytest.fixture
def sagsbehandler(tenant_a):
    return make_user(tenant_a, "sagsbehandler")


@pytest.fixture
def mentor_user(tenant_a):
    return make_user(tenant_a, "mentor")


@pytest.fixture
def centre(tenant_a):
    with schema_context("alpha"):
        return CentreFactory(
            name="Brugsen Virksomhedscenter",
            company=CompanyFactory(name="Brugsen Nørre Aaby"),
        )


def contract(centre, **terms):
    """A signed, active contract of `centre` (call inside schema_context)."""
    defaults = {
        "start": date(2025, 1, 1),
        "end": date(2026, 12, 31),
        "places": 4,
        "payment_model": PaymentModel.PER_PLACE_MONTH,
        "payment_amount": Decimal(1500),
    }
    defaults.update(terms)
    return ContractFactory(centre=centre, **defaults)


def course(contract, *, start, planned_end, place=1, end=None):
    place_row = contract.place_set.get(number=place)
    extra = {"end": end, "outcome": Outcome.ORDINAERT_JOB} if end else {}
    return CourseFactory(
        contract=contract, place=place_row, start=start, planned_end=planned_end, **extra
    )


def amendment(contract, *, version, valid_from, signed=True, **terms):
    base = {
        "places": contract.places,
        "payment_model": contract.payment_model,
        "payment_amount": contract.payment_amount,
        "payment_hourly_rate": contract.payment_hourly_rate,
        "payment_hours_per_week": contract.payment_hours_per_week,
    }
    base.update(terms)
    return Amendment.objects.create(
        contract=contract,
        version=version,
        valid_from=valid_from,
        reason="Flere pladser",
        status=AmendmentStatus.SIGNED if signed else AmendmentStatus.DRAFT,
        **base,
    )


def mentor_for(centre, tenant, email):
    user = make_user(tenant, "mentor", email=email)
    with schema_context(tenant.schema_name):
        mentor = Mentor.objects.create(user=user, company=centre.company)
        mentor.centres.add(centre)
    return mentor


def log_hours(mentor, centre, week_start, hours):
    return MentorHours.objects.create(
        mentor=mentor, centre=centre, week_start=week_start, hours=Decimal(hours)
    )
