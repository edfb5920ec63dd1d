"""factory_boy factories for the domain. Use them inside a tenant schema
(`with schema_context("alpha"):` or through a request to that tenant).
"""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import factory

from candidates.models import Candidate, Course, CourseHours
from centers.models import Centre, Company
from centers.validators import CVR_WEIGHTS
from contracts.models import Contract, PaymentModel
from contracts.services import contract_places_ensure
from mentors.models import Mentor

_cvr_counter = itertools.count(1000000)
_cpr_counter = itertools.count(1000)


def next_cvr() -> str:
    """The next 8-digit number that passes the modulus-11 check."""
    while True:
        candidate = str(next(_cvr_counter) * 10)[:7].rjust(7, "1")
        for last in range(10):
            cvr = candidate + str(last)
            if (
                cvr[0] != "0"
                and sum(int(d) * w for d, w in zip(cvr, CVR_WEIGHTS, strict=True)) % 11 == 0
            ):
                return cvr


def cpr_for(birth_date: date) -> str:
    """A fictitious CPR number whose 7th digit gives the right century."""
    serial = next(_cpr_counter) % 1000
    digit7 = "0" if birth_date.year < 2000 else "4"
    return f"{birth_date:%d%m%y}{digit7}{serial:03d}"


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    name = factory.Sequence(lambda n: f"Virksomhed {n}")
    cvr = factory.LazyFunction(next_cvr)
    branche = "detail"
    sector = "private"


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    company = factory.SubFactory(CompanyFactory)
    name = factory.Sequence(lambda n: f"Virksomhedscenter {n}")
    organisation_model = "virtuelt"
    work_tasks = factory.LazyFunction(lambda: ["lager", "kasse"])


class ContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contract
        skip_postgeneration_save = True

    centre = factory.SubFactory(CentreFactory)
    start = date(2025, 1, 1)
    end = date(2026, 12, 31)
    places = 4
    mentor_hours_per_week = Decimal(10)
    payment_model = PaymentModel.PER_PLACE_MONTH
    payment_amount = Decimal(1500)
    status = Contract.Status.ACTIVE

    @factory.post_generation
    def with_places(obj, create, extracted, **kwargs):  # noqa: ARG002 - the framework fixes the signature
        if create:
            contract_places_ensure(contract=obj)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    name = factory.Sequence(lambda n: f"Kandidat {n}")
    birth_date = date(1990, 5, 17)
    cpr = factory.LazyAttribute(lambda o: cpr_for(o.birth_date))
    benefit = "kontanthjaelp"
    matchgruppe = 4
    # Matchgruppe 4 on kontanthjælp: activity-ready (13 weeks, extendable; LAB § 61)
    target_group = "aktivitetsparat_kontanthjaelp"


class CourseFactory(factory.django.DjangoModelFactory):
    """A course in the first place of its contract unless `place` is given."""

    class Meta:
        model = Course
        skip_postgeneration_save = True

    candidate = factory.SubFactory(CandidateFactory)
    contract = factory.SubFactory(ContractFactory)
    place = factory.LazyAttribute(lambda o: o.contract.place_set.order_by("number").first())
    start = date(2025, 2, 3)
    planned_end = factory.LazyAttribute(lambda o: o.start + timedelta(weeks=13, days=-1))

    @factory.post_generation
    def hours_per_week(obj, create, extracted, **kwargs):
        if create:
            CourseHours.objects.create(
                course=obj, valid_from=obj.start, hours_per_week=extracted or Decimal(20)
            )


class MentorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mentor

    company = factory.SubFactory(CompanyFactory)
