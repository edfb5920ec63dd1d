"""A small world for the mentor tests: two centres in alpha, one in beta, a mentor each.

Time is frozen at TODAY (a Wednesday) by replacing Django's localdate for the test.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from mentors.models import Mentor
from tests.conftest import TENANTS, make_user
from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

TODAY = date(2025, 3, 5)  # a Wednesday; the courses started Monday 3 February 2025
CPR = "1705901234"


@pytest.fixture
def frozen_today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)
    return TODAY


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


@pytest.fixture
def consultant(tenant_a):
    return make_user(tenant_a, "jobkonsulent", email="konsulent@alpha.test")


@pytest.fixture
def site(tenant_a, consultant, frozen_today):
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
def other_site(tenant_a, frozen_today):
    """Another centre in the same jobcentre with its own mentor."""
    return make_site(
        tenant_a, name="Bilka Kasse", candidate="Bent Anden", mentor_email="mentorb@alpha.test"
    )


@pytest.fixture
def beta_site(tenant_b, frozen_today):
    return make_site(
        tenant_b, name="Beta Bageri", candidate="Birte Beta", mentor_email="mentor@beta.test"
    )


def client_for(user, schema: str) -> Client:
    """A client logged in as `user` at the user's own jobcentre."""
    client = Client(HTTP_HOST=TENANTS[schema]["domain"])
    with schema_context(schema):
        client.force_login(user)
    return client


@pytest.fixture
def mentor_client(site):
    return client_for(site.mentor_user, "alpha")


@pytest.fixture
def consultant_client(consultant):
    return client_for(consultant, "alpha")


HTMX = {"HTTP_HX_REQUEST": "true"}
