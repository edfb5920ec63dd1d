"""Rimelighedskravet (the staff-ratio rule): the limit per workplace (P-number) and its checks
where persons are placed - a contract's places and a course's start (BEK nr. 2636 af
28/12/2021 § 65)."""

import copy
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from candidates.services import course_start
from centers.models import Centre, Workplace
from centers.services import (
    workplace_employees_state,
    workplace_other_placement_record,
    workplace_statement_record,
)
from contracts.rules import occupies, staff_ratio_limit
from contracts.selectors import workplaces_headroom
from contracts.services import amendment_create, contract_create, contract_update
from dataimport.services import ImportFailed
from tests.conftest import make_user
from tests.domain.test_import import GOOD, alpha, run  # noqa: F401 - alpha is a fixture
from tests.factories import (
    CandidateFactory,
    CentreFactory,
    ContractFactory,
    CourseFactory,
    WorkplaceFactory,
)

MONDAY = date(2025, 2, 3)


def test_the_limit_is_1_per_5_up_to_50_always_1_then_1_per_10():
    # The cases from the order's own wording ...
    assert staff_ratio_limit(12) == 2
    assert staff_ratio_limit(60) == 11
    assert staff_ratio_limit(3) == 1
    # ... and the edges: always at least 1, 50 -> 10, the next 10 beyond 50 add one.
    assert staff_ratio_limit(0) == 1
    assert staff_ratio_limit(9) == 1
    assert staff_ratio_limit(10) == 2
    assert staff_ratio_limit(50) == 10
    assert staff_ratio_limit(59) == 10
    assert staff_ratio_limit(150) == 20
    # Full-time equivalents: a fraction rounds down.
    assert staff_ratio_limit(Decimal("14.9")) == 2
    with pytest.raises(ValueError):
        staff_ratio_limit(-1)


@pytest.fixture
def konsulent(tenant_a):
    user = make_user(tenant_a, "jobkonsulent")
    with schema_context("alpha"):
        yield user


def shop(employees=Decimal(12), statement=True):
    """A centre at a 12-employee shop (limit 2) with its written statement."""
    workplace = WorkplaceFactory(
        name="Brugsen Nørre Aaby", employees=employees, statement=statement
    )
    return CentreFactory(company=workplace.company, workplace=workplace)


def start(contract, user, day=MONDAY):
    return course_start(
        candidate=CandidateFactory(),
        contract=contract,
        start=day,
        hours_per_week=Decimal(20),
        acting_user=user,
    )


@pytest.mark.usefixtures("frozen_today")
def test_a_ten_place_contract_at_a_twelve_employee_shop_is_refused_with_the_numbers(konsulent):
    centre = shop()
    with pytest.raises(ValidationError) as refused:
        contract_create(
            centre=centre,
            start=date(2025, 7, 1),
            end=date(2026, 6, 30),
            places=10,
            payment_model="per_place_month",
            payment_amount=Decimal(1500),
            acting_user=konsulent,
        )
    message = refused.value.messages[0]
    assert "har 12 ordinært ansatte og må højst have 2 personer" in message
    assert "0 er allerede placeret" in message
    assert "kontrakten har 10 pladser" in message
    assert not centre.contracts.exists()
    # Two places fit.
    contract = contract_create(
        centre=centre,
        start=date(2025, 7, 1),
        end=date(2026, 6, 30),
        places=2,
        payment_model="per_place_month",
        payment_amount=Decimal(1500),
        acting_user=konsulent,
    )
    assert contract.place_set.count() == 2
    # Raising a draft's places over the limit is refused too, and changes nothing.
    with pytest.raises(ValidationError, match="kontrakten har 3 pladser"):
        contract_update(contract=contract, places=3, acting_user=konsulent)
    contract.refresh_from_db()
    assert contract.places == 2


def test_a_course_start_counts_our_courses_and_others_placements(konsulent, frozen_today):
    centre = shop()
    contract = ContractFactory(centre=centre, places=2)
    start(contract, konsulent)  # 1 of 2
    workplace_other_placement_record(
        workplace=centre.workplace,
        persons=1,
        placed_by="Jobcenter Odense",
        start=date(2025, 1, 1),
        end=None,
        acting_user=konsulent,
    )
    other_contract = ContractFactory(centre=centre, places=2)
    with pytest.raises(ValidationError) as refused:
        start(other_contract, konsulent)
    message = refused.value.messages[0]
    assert (
        "Arbejdsstedet Brugsen Nørre Aaby (P-nr. " in message
        and "har 12 ordinært ansatte og må højst have 2 personer i virksomhedspraktik og "
        "løntilskud; 2 er allerede placeret (1 af jobcentret, 1 af andre), så der er plads "
        "til 0 mere"
        in message
    )
    assert not other_contract.courses.exists()
    # More employees stated later make room from that day.
    workplace_employees_state(
        workplace=centre.workplace,
        ordinary_employees=Decimal(15),
        stated_on=date(2025, 3, 1),
        stated_by="Butikschef Lis Hansen",
        today=frozen_today.day,
        acting_user=konsulent,
    )
    with pytest.raises(ValidationError, match="12 ordinært ansatte"):
        start(other_contract, konsulent, day=date(2025, 2, 24))
    assert start(other_contract, konsulent, day=date(2025, 3, 3)).place.contract == other_contract


def test_a_course_needs_the_written_statement_before_it_starts(konsulent, frozen_today):
    centre = shop(employees=Decimal(60), statement=False)
    contract = ContractFactory(centre=centre, places=4)
    with pytest.raises(ValidationError, match="mangler en skriftlig tilkendegivelse"):
        start(contract, konsulent)
    assert not contract.courses.exists()
    workplace_statement_record(
        workplace=centre.workplace,
        given_on=date(2025, 2, 10),
        employer_name="Direktør Jens Hansen",
        representative_name="Hanne Tillid",
        representative_role="tillidsrepræsentant for butiksansatte",
        ratio_reasonable=True,
        text="Forholdet er rimeligt; 60 ordinært ansatte, 4 pladser.",
        today=frozen_today.day,
        acting_user=konsulent,
    )
    # Given after the start date: still missing on that day.
    with pytest.raises(ValidationError, match="mangler en skriftlig tilkendegivelse"):
        start(contract, konsulent)
    assert start(contract, konsulent, day=date(2025, 2, 10)).start == date(2025, 2, 10)


def test_a_statement_saying_the_ratio_is_not_reasonable_blocks_a_start(konsulent, frozen_today):
    centre = shop(employees=Decimal(60))
    workplace_statement_record(
        workplace=centre.workplace,
        given_on=date(2025, 1, 15),
        employer_name="Direktør Jens Hansen",
        representative_name="Hanne Tillid",
        representative_role="tillidsrepræsentant",
        ratio_reasonable=False,
        text="Vi har for mange i praktik lige nu.",
        today=frozen_today.day,
        acting_user=konsulent,
    )
    with pytest.raises(ValidationError, match="ikke er et rimeligt forhold"):
        start(ContractFactory(centre=centre, places=4), konsulent)


@pytest.mark.usefixtures("frozen_today")
def test_an_amendment_over_the_limit_is_refused_but_its_own_courses_are_not_counted_twice(
    konsulent,
):
    centre = shop()
    contract = ContractFactory(centre=centre, places=2, status="active")
    start(contract, konsulent)
    start(contract, konsulent)
    # The contract's own two courses are in its own two places: 2 stays allowed.
    amendment = amendment_create(
        contract=contract,
        valid_from=date(2025, 7, 1),
        reason="Ny mentor",
        places=2,
        acting_user=konsulent,
    )
    assert amendment.places == 2
    amendment.delete()
    with pytest.raises(ValidationError, match="kontrakten har 3 pladser"):
        amendment_create(
            contract=contract,
            valid_from=date(2025, 7, 1),
            reason="Flere pladser",
            places=3,
            acting_user=konsulent,
        )


@pytest.mark.usefixtures("konsulent")
def test_headroom_per_workplace_in_one_query(django_assert_max_num_queries):
    busy = shop()
    CourseFactory(contract=ContractFactory(centre=busy, places=2), start=MONDAY)
    roomy = shop(employees=Decimal(60))
    nothing_stated = shop(employees=False)
    elsewhere = shop()  # not asked for: its course counts nowhere else
    CourseFactory(contract=ContractFactory(centre=elsewhere, places=2), start=MONDAY)
    workplaces = Workplace.objects.filter(
        pk__in=[busy.workplace_id, roomy.workplace_id, nothing_stated.workplace_id]
    ).order_by("-pk")
    # One query whatever the number of workplaces (plus the tenant's search_path).
    with django_assert_max_num_queries(2):
        rows = workplaces_headroom(workplaces=workplaces, day=date(2025, 3, 3))
    # In the queryset's order, each with its own figures.
    assert [r.workplace.pk for r in rows] == [
        nothing_stated.workplace_id,
        roomy.workplace_id,
        busy.workplace_id,
    ]
    assert [(r.limit, r.placed, r.others, r.free) for r in rows] == [
        (0, 0, 0, 0),
        (11, 0, 0, 11),
        (2, 1, 0, 1),
    ]
    assert rows[0].employees is None
    assert str(rows[2].workplace) == str(busy.workplace)
    # Another order of the same workplaces, and a filter that matches nothing (the centre
    # list of a jobcentre without contracts asks for `centres__contracts__in=[]`).
    rows = workplaces_headroom(workplaces=workplaces.order_by("pk"), day=date(2025, 3, 3))
    assert [r.workplace.pk for r in rows] == sorted(
        [busy.workplace_id, roomy.workplace_id, nothing_stated.workplace_id]
    )
    assert workplaces_headroom(workplaces=Workplace.objects.filter(pk__in=[]), day=MONDAY) == []


@pytest.mark.usefixtures("konsulent")
@pytest.mark.parametrize(
    ("day", "today"),
    [
        (date(2025, 3, 3), None),
        (date(2025, 2, 28), None),
        (date(2025, 3, 31), None),
        (date(2025, 5, 5), date(2025, 3, 3)),  # booked ahead
        (date(2025, 3, 3), date(2025, 3, 3)),
    ],
)
@pytest.mark.parametrize("exclude", [False, True], ids=["all", "one contract left out"])
def test_the_headroom_counts_the_places_that_rules_occupies_holds(day, today, exclude):
    # The headroom's SQL against contracts.rules.occupies, course by course: running, ended
    # before, on and after the day, starting after it, planned to end before it.
    centre = shop(employees=Decimal(100))
    first = ContractFactory(centre=centre, places=8, start=date(2025, 1, 1))
    second = ContractFactory(centre=centre, places=8, start=date(2025, 1, 1))
    places = list(first.place_set.order_by("number")) + list(second.place_set.order_by("number"))
    spans = [
        (date(2025, 1, 6), None, date(2025, 4, 4)),  # running, planned past every day
        (date(2025, 1, 6), None, date(2025, 3, 31)),  # running, planned to end in March
        (date(2025, 1, 6), date(2025, 2, 27), date(2025, 3, 31)),  # ended before
        (date(2025, 1, 6), date(2025, 2, 28), date(2025, 3, 31)),  # ended on 28 February
        (date(2025, 2, 3), date(2025, 3, 3), date(2025, 4, 30)),  # ended on 3 March
        (date(2025, 3, 4), None, date(2025, 5, 30)),  # starts after 3 March
        (date(2025, 5, 5), None, date(2025, 8, 1)),  # starts on 5 May
        (date(2025, 1, 13), None, date(2025, 4, 30)),  # running, planned to end in April
    ]
    courses = [
        CourseFactory(contract=place.contract, place=place, start=s, planned_end=p)
        for place, (s, _e, p) in zip(places[::2], spans, strict=False)
    ] + [
        CourseFactory(contract=place.contract, place=place, start=s, planned_end=p)
        for place, (s, _e, p) in zip(places[1::2], spans, strict=False)
    ]
    for course, (_s, end, _p) in zip(courses, spans + spans, strict=True):
        if end is not None:
            type(course).objects.filter(pk=course.pk).update(end=end, outcome="ukendt")
            course.end = end
    left_out = second if exclude else None
    expected = {
        c.place_id
        for c in courses
        if (left_out is None or c.contract_id != left_out.pk)
        and occupies(start=c.start, end=c.end, first=day, planned_end=c.planned_end, today=today)
    }
    (headroom,) = workplaces_headroom(
        workplaces=Workplace.objects.filter(pk=centre.workplace_id),
        day=day,
        exclude_contract=left_out,
        today=today,
    )
    assert headroom.placed == len(expected)
    assert 0 < headroom.placed < len(courses) or day == date(2025, 5, 5)


@pytest.mark.usefixtures("alpha")
def test_the_import_makes_the_p_number_the_companys_one_workplace():

    data = copy.deepcopy(GOOD)
    data["companies"][0].update(employees=60, union_rep="Hanne Tillid")
    data["companies"][0]["ratio_statement_on"] = "2024-12-01"
    run(data)
    centre = Centre.objects.select_related("workplace").get(import_ref="vc1")
    assert centre.workplace.p_number == "1012345678"
    assert centre.workplace.company == centre.company
    (headroom,) = workplaces_headroom(
        workplaces=Workplace.objects.filter(pk=centre.workplace_id), day=date(2026, 10, 31)
    )
    assert (headroom.employees, headroom.limit, headroom.statement_ok) == (60, 11, True)
    # The network company's P-number is its own workplace, with no employees stated.
    assert Workplace.objects.get(p_number="1012345679").employee_counts.count() == 0
    # Importing again records nothing new; a changed head count is a new stated row.
    run(data)
    assert centre.workplace.employee_counts.count() == 1
    data["companies"][0]["employees"] = 70
    run(data)
    assert list(centre.workplace.employee_counts.values_list("ordinary_employees", flat=True)) == [
        70,
        60,
    ]
    # A statement needs the representative who gave it.
    data["companies"][0]["union_rep"] = ""
    with pytest.raises(ImportFailed) as refused:
        run(data)
    assert "kræver union_rep" in str(refused.value.problems)


@pytest.mark.usefixtures("konsulent")
def test_the_data_migration_makes_one_workplace_per_company_from_its_p_number_and_head_count():
    import importlib

    from django.apps import apps

    from tests.factories import CompanyFactory

    migration = importlib.import_module("centers.migrations.0003_workplaces")
    company = CompanyFactory(p_number="1098765432", employees=12, address="Torvet 1")
    centre = CentreFactory(company=company, workplace=None)
    no_count = CompanyFactory(p_number="", employees=None)
    migration.one_workplace_per_company(apps, None)
    centre.refresh_from_db()
    workplace = centre.workplace
    assert (workplace.p_number, workplace.address, workplace.name) == (
        "1098765432",
        "Torvet 1",
        company.name,
    )
    (stated,) = workplace.employee_counts.all()
    assert stated.ordinary_employees == 12
    assert staff_ratio_limit(stated.ordinary_employees) == 2
    (other,) = no_count.workplaces.all()
    assert other.p_number == "" and not other.employee_counts.exists()
