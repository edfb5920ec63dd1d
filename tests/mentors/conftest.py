"""A small world for the mentor tests: two centres in alpha, one in beta, a mentor each.

The clock (tests.conftest's `frozen_today`) is moved to WEDNESDAY, the mentors' day.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django_tenants.utils import schema_context

from mentors.models import Mentor
from tests.conftest import make_user, tenant_client
from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

# The mentors' day: a Wednesday in the factories' course (from Monday 3 February 2025), so
# that Monday and Tuesday of its week lie before it. The dates in these tests' assertions
# are written around it.
WEDNESDAY = date(2025, 3, 5)
CPR = "1705901234"


@pytest.fixture
def mentors_day(frozen_today):
    frozen_today.day = WEDNESDAY
    return frozen_today


@dataclass
class Site:
    """One centre with one placed course and its mentor."""

    schema: str
    centre: object
    course: object
    mentor_user: object


def make_site(tenant, *, name: str, candidate: str, mentor_email: str, consultant=None, **cand):
    with schema_context(tenant.schema_name):
        centre = CentreFactory(name=name, consultant=consultant)
        contract = ContractFactory(centre=centre)
        course = CourseFactory(
            contract=contract,
            candidate=CandidateFactory(name=candidate, **cand),
            hours_per_week=Decimal(20),
            goals="Lære at fylde varer op",
        )
        user = make_user(tenant, "mentor", email=mentor_email)
        mentor = Mentor.objects.create(user=user, company=centre.company)
        mentor.centres.set([centre])
    return Site(tenant.schema_name, centre, course, user)


def course_beside(site: Site, *, candidate: str, place: int = 2, hours=Decimal(20)):
    """Another candidate's course on the site's contract, on its place `place`."""
    with schema_context(site.schema):
        return CourseFactory(
            contract=site.course.contract,
            place=site.course.contract.place_set.get(number=place),
            candidate=CandidateFactory(name=candidate),
            hours_per_week=hours,
        )


@pytest.fixture
def consultant(tenant_a):
    return make_user(tenant_a, "jobkonsulent", email="konsulent@alpha.test")


@pytest.fixture
def site(tenant_a, consultant, mentors_day):
    """Alpha's centre with Karin, whose sensitive data a mentor must never see."""
    return make_site(
        tenant_a,
        name="Brugsen Lager",
        candidate="Karin Kandidat",
        mentor_email="mentor@alpha.test",
        consultant=consultant,
        cpr=CPR,
        benefit="sygedagpenge",
        matchgruppe=3,
        barriers=["misbrug", "psykisk"],
        wishes="Hemmeligt ønske",
    )


@pytest.fixture
def other_site(tenant_a, mentors_day):
    """Another centre in the same jobcentre with its own mentor."""
    return make_site(
        tenant_a, name="Bilka Kasse", candidate="Bent Anden", mentor_email="mentorb@alpha.test"
    )


@pytest.fixture
def beta_site(tenant_b, mentors_day):
    return make_site(
        tenant_b, name="Beta Bageri", candidate="Birte Beta", mentor_email="mentor@beta.test"
    )


@pytest.fixture
def mentor_client(login, site):
    return login("alpha", user=site.mentor_user, client=tenant_client("alpha"))


@pytest.fixture
def consultant_client(login, consultant):
    return login("alpha", user=consultant, client=tenant_client("alpha"))


HTMX = {"HTTP_HX_REQUEST": "true"}
