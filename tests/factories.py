"""factory_boy factories for the domain. Use them inside a tenant schema
(`with schema_context("alpha"):` or through a request to that tenant).
"""

import itertools
from datetime import date, timedelta
from decimal import Decimal

import factory

from candidates.models import Candidate, Course, CourseHours
from centers.models import (
    Centre,
    Company,
    Workplace,
    WorkplaceEmployees,
    WorkplaceStatement,
)
from centers.validators import CVR_WEIGHTS
from contracts.models import Contract, PaymentModel
from contracts.services import contract_places_ensure
from mentors.models import Mentor

_cvr_counter = itertools.count(1000000)
_cpr_counter = itertools.count(1000)
_p_number_counter = itertools.count(1000000000)
# A workplace's ordinary employees unless a test says otherwise: enough for the staff-ratio
# rule (contracts.rules.staff_ratio_limit(500) = 55 persons) to leave other tests alone.
FACTORY_EMPLOYEES = Decimal(500)
FACTORY_FACTS_ON = date(2000, 1, 1)


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


class WorkplaceFactory(factory.django.DjangoModelFactory):
    """A workplace with its ordinary employees stated (`employees`, default 500; None for
    none) and a written statement saying the ratio is reasonable (`statement=False`: none),
    both on 1 January 2000 so every frozen test day comes after them."""

    class Meta:
        model = Workplace
        skip_postgeneration_save = True

    company = factory.SubFactory(CompanyFactory)
    name = factory.LazyAttribute(lambda o: o.company.name)
    p_number = factory.LazyFunction(lambda: str(next(_p_number_counter)))

    @factory.post_generation
    def employees(obj, create, extracted, **kwargs):  # noqa: ARG002 - the framework fixes the signature
        if create and extracted is not False:
            WorkplaceEmployees.objects.create(
                workplace=obj,
                ordinary_employees=FACTORY_EMPLOYEES if extracted is None else extracted,
                stated_on=FACTORY_FACTS_ON,
                stated_by="Direktøren",
            )

    @factory.post_generation
    def statement(obj, create, extracted, **kwargs):  # noqa: ARG002 - the framework fixes the signature
        if create and extracted is not False:
            WorkplaceStatement.objects.create(
                workplace=obj,
                given_on=FACTORY_FACTS_ON,
                employer_name="Direktøren",
                representative_name="Tillidsrepræsentanten",
                representative_role="tillidsrepræsentant",
                ratio_reasonable=True,
            )


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre

    company = factory.SubFactory(CompanyFactory)
    workplace = factory.SubFactory(WorkplaceFactory, company=factory.SelfAttribute("..company"))
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
