"""Fixtures for the candidate pages: the frozen date and a centre (people: tests.conftest)."""

from datetime import date

import pytest
from django_tenants.utils import schema_context

from tests.factories import CandidateFactory, CentreFactory, ContractFactory


@pytest.fixture(autouse=True)
def _frozen(frozen_today):
    """The candidate pages work from TODAY (tests.conftest)."""


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
