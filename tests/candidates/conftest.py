"""Fixtures for the candidate pages: a frozen date, people in each role and a centre."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD, make_user
from tests.factories import CandidateFactory, CentreFactory, ContractFactory

TODAY = date(2025, 6, 2)  # a Monday inside the factories' contract period


@pytest.fixture(autouse=True)
def frozen_today(monkeypatch):
    monkeypatch.setattr("codes.clock.today", lambda: TODAY)
    return TODAY


def login(client, user):
    response = client.post("/konto/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, "login failed"
    return client


@pytest.fixture
def people(tenant_a, tenant_b):
    """One user per role in alpha, and a jobkonsulent of beta (the other tenant)."""
    return {
        "jobkonsulent": make_user(tenant_a, "jobkonsulent"),
        "sagsbehandler": make_user(tenant_a, "sagsbehandler"),
        "mentor": make_user(tenant_a, "mentor"),
        "jobcenterchef": make_user(tenant_a, "jobcenterchef"),
        "outsider": make_user(tenant_a, None),
        "other_tenant": make_user(tenant_b, "jobkonsulent"),
    }


@pytest.fixture
def as_role(client_a, people):
    def _login(role):
        return login(client_a, people[role])

    return _login


@pytest.fixture
def centre_setup(tenant_a, people):
    """A retail centre with a 4-place contract, the jobkonsulent its consultant."""
    with schema_context("alpha"):
        centre = CentreFactory(
            name="Brugsen Nord", work_tasks=["butik", "lager"], consultant=people["jobkonsulent"]
        )
        contract = ContractFactory(centre=centre, target_age_min=18, target_age_max=24)
        candidate = CandidateFactory(name="Ane Andersen", birth_date=date(2004, 6, 1))
    return {"centre": centre, "contract": contract, "candidate": candidate}
