"""The database itself refuses bad rows, even when Python's checks are bypassed."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django_tenants.utils import schema_context

from candidates.models import Course, CourseHours
from centers.models import Place
from contracts.models import Contract
from mentors.models import Attendance, MentorHours
from tests.conftest import make_user
from tests.factories import (
    CandidateFactory,
    CentreFactory,
    CompanyFactory,
    ContractFactory,
    CourseFactory,
    MentorFactory,
)


@pytest.fixture
def alpha(tenant_a):  # noqa: ARG001 - a fixture asked for its effect
    with schema_context("alpha"):
        yield


def refused(constraint: str):
    """Expect the database to refuse the statement, naming `constraint`."""
    return pytest.raises(IntegrityError, match=constraint)


def raw_update(model, pk, **values):
    """UPDATE through SQL, with no model validation at all."""
    sets = ", ".join(f'"{k}" = %s' for k in values)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{model._meta.db_table}" SET {sets} WHERE id = %s', [*values.values(), pk]
        )


@pytest.mark.usefixtures("alpha")
def test_place_holds_one_course_at_a_time():
    first = CourseFactory(start=date(2025, 2, 3), end=None, planned_end=date(2025, 5, 4))
    with refused("course_one_per_place_at_a_time"), transaction.atomic():
        CourseFactory(
            contract=first.contract,
            place=first.place,
            start=date(2025, 3, 1),
            planned_end=date(2025, 5, 30),
        )
    # The day after the first course ends, the place is free again.
    raw_update(Course, first.pk, end=date(2025, 4, 30), outcome="ordinaert_job")
    CourseFactory(
        contract=first.contract,
        place=first.place,
        start=date(2025, 5, 1),
        planned_end=date(2025, 7, 30),
    )


@pytest.mark.usefixtures("alpha")
def test_candidate_is_in_one_course_at_a_time():
    course = CourseFactory()
    other_place = course.contract.place_set.get(number=2)
    with refused("course_one_per_candidate_at_a_time"), transaction.atomic():
        CourseFactory(
            candidate=course.candidate,
            contract=course.contract,
            place=other_place,
            start=date(2025, 3, 3),
        )


@pytest.mark.usefixtures("alpha")
def test_course_lies_within_its_contract():
    contract = ContractFactory(start=date(2025, 1, 1), end=date(2025, 6, 30))
    with refused("course_within_contract"), transaction.atomic():
        CourseFactory(contract=contract, start=date(2024, 12, 1), planned_end=date(2025, 2, 1))
    with refused("course_within_contract"), transaction.atomic():
        CourseFactory(contract=contract, start=date(2025, 5, 1), planned_end=date(2025, 7, 31))
    course = CourseFactory(contract=contract, start=date(2025, 3, 3), planned_end=date(2025, 5, 31))
    with refused("course_within_contract"):
        raw_update(Course, course.pk, end=date(2025, 8, 1), outcome="ukendt")
    # Shrinking the contract so that the course falls outside is refused too.
    with refused("course_within_contract"):
        raw_update(Contract, contract.pk, end=date(2025, 4, 30))


@pytest.mark.usefixtures("alpha")
def test_course_place_belongs_to_its_contract():
    contract = ContractFactory()
    other = ContractFactory()
    with refused("course_place_of_contract"), transaction.atomic():
        CourseFactory(contract=contract, place=other.place_set.first())


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"end": date(2025, 1, 1), "outcome": "ukendt"}, "course_end_after_start"),
        ({"planned_end": date(2025, 1, 1)}, "course_planned_end_after_start"),
        ({"end": date(2025, 3, 1)}, "course_ended_with_outcome"),
        ({"outcome": "ordinaert_job"}, "course_ended_with_outcome"),
        ({"end": date(2025, 3, 1), "outcome": "vundet_i_lotto"}, "course_ended_with_outcome"),
        ({"self_supporting_4w": True}, "course_follow_up_only_after_end"),
        ({"legal_frame": "fleksjob"}, "course_legal_frame_code"),
    ],
)
@pytest.mark.usefixtures("alpha")
def test_course_row_rules(values, constraint):
    course = CourseFactory(start=date(2025, 2, 3))
    with refused(constraint):
        raw_update(Course, course.pk, **values)


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"places": 0}, "contract_places_at_least_1"),
        ({"end": date(2024, 1, 1)}, "contract_end_after_start"),
        ({"payment_amount": Decimal("-1")}, "contract_amount_not_negative"),
        ({"establishment_amount": Decimal("-5")}, "contract_establishment_not_negative"),
        ({"mentor_hours_per_week": Decimal("-1")}, "contract_mentor_hours_not_negative"),
        ({"payment_model": "gratis"}, "contract_payment_model_code"),
        ({"payment_amount": None}, "contract_amount_required"),
        ({"payment_model": "mentor_hours"}, "contract_mentor_hours_terms_required"),
        ({"status": "glemt"}, "contract_status_code"),
    ],
)
@pytest.mark.usefixtures("alpha")
def test_contract_row_rules(values, constraint):
    contract = ContractFactory()
    with refused(constraint):
        raw_update(Contract, contract.pk, **values)


@pytest.mark.usefixtures("alpha")
def test_contract_with_fewer_than_four_places_is_allowed_but_flagged():
    contract = ContractFactory(places=2)
    assert contract.below_recommended_places
    assert not ContractFactory(places=4).below_recommended_places


@pytest.mark.usefixtures("alpha")
def test_one_attendance_row_per_course_per_day():
    course = CourseFactory()
    Attendance.objects.create(course=course, date=date(2025, 2, 3), status="present", hours=4)
    with refused("attendance_one_per_course_day"), transaction.atomic():
        Attendance.objects.create(course=course, date=date(2025, 2, 3), status="sick")


@pytest.mark.parametrize(
    ("status", "hours", "constraint"),
    [
        ("present", Decimal(0), "attendance_hours_only_when_present"),
        ("sick", Decimal(3), "attendance_hours_only_when_present"),
        ("present", Decimal(25), "attendance_hours_0_24"),
        ("present", Decimal(-2), "attendance_hours_0_24"),
        ("on_holiday", Decimal(0), "attendance_status_code"),
    ],
)
@pytest.mark.usefixtures("alpha")
def test_attendance_row_rules(status, hours, constraint):
    course = CourseFactory()
    with refused(constraint):
        Attendance.objects.create(course=course, date=date(2025, 2, 4), status=status, hours=hours)


@pytest.mark.usefixtures("alpha")
def test_hours_are_never_negative(tenant_a):
    course = CourseFactory()
    with refused("course_hours_0_60"), transaction.atomic():
        CourseHours.objects.create(course=course, valid_from=date(2025, 3, 1), hours_per_week=-5)
    mentor = MentorFactory(user=make_user(tenant_a, "mentor"))
    with refused("mentor_hours_0_168"), transaction.atomic():
        MentorHours.objects.create(
            mentor=mentor, centre=CentreFactory(), week_start=date(2025, 2, 3), hours=-1
        )
    with refused("mentor_hours_week_starts_monday"):
        MentorHours.objects.create(
            mentor=mentor, centre=CentreFactory(), week_start=date(2025, 2, 4), hours=3
        )


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"cvr": "1234567"}, "company_cvr_8_digits"),
        ({"p_number": "12345"}, "company_p_number_10_digits"),
        ({"branche": "landbrug"}, "company_branche_code"),
    ],
)
@pytest.mark.usefixtures("alpha")
def test_company_row_rules(values, constraint):
    company = CompanyFactory()
    with refused(constraint):
        raw_update(type(company), company.pk, **values)


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"cpr_hmac": "0101901234"}, "candidate_cpr_hmac_hex"),
        ({"matchgruppe": 6}, "candidate_matchgruppe_1_5"),
        ({"benefit": "loen"}, "candidate_benefit_code"),
    ],
)
@pytest.mark.usefixtures("alpha")
def test_candidate_row_rules(values, constraint):
    candidate = CandidateFactory()
    with refused(constraint):
        raw_update(type(candidate), candidate.pk, **values)


@pytest.mark.usefixtures("tenant_a", "tenant_b")
def test_cpr_is_unique_per_jobcentre_but_not_across():
    with schema_context("alpha"):
        person = CandidateFactory()
        with refused("cpr"), transaction.atomic():
            CandidateFactory(cpr=person.cpr)
    with schema_context("beta"):
        # The same person may be known to two jobcentres; they never see each other's rows.
        CandidateFactory(cpr=person.cpr)


@pytest.mark.usefixtures("alpha")
def test_place_numbers_are_unique_per_contract():
    contract = ContractFactory(places=2)
    with refused("place_number_unique"):
        Place.objects.create(contract=contract, number=1)
