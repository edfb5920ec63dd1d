"""The start page's contract cards (contracts/selectors.py, issue 24): a consultant's free
places, read in one statement, are contracts_with_capacity's; the contracts in progress
are the drafts, the approved and those with an open amendment, newest first."""

from datetime import date

from django_tenants.utils import schema_context

from contracts.models import ContractStatus
from contracts.rules import free_places
from contracts.selectors import (
    contracts_in_progress,
    contracts_with_capacity,
    free_places_of_consultant,
)
from contracts.services import amendment_create
from tests.factories import CentreFactory, ContractFactory, CourseFactory

TODAY = date(2026, 3, 10)


def test_a_consultants_free_places_are_those_of_contracts_with_capacity(tenant_a, konsulent):  # noqa: ARG001
    with schema_context("alpha"):
        own = CentreFactory(consultant=konsulent, name="Eget center")
        full = ContractFactory(centre=own, start=date(2026, 1, 1), end=date(2027, 12, 31))
        places = list(full.place_set.order_by("number"))
        # Ended before today (frees its place), running, ending later, starting later.
        CourseFactory(
            contract=full,
            place=places[0],
            start=date(2026, 1, 5),
            end=date(2026, 3, 9),
            outcome="ukendt",
        )
        CourseFactory(contract=full, place=places[1], start=date(2026, 2, 2))
        CourseFactory(
            contract=full,
            place=places[2],
            start=date(2026, 1, 5),
            end=date(2026, 3, 10),
            outcome="ukendt",
        )
        CourseFactory(contract=full, place=places[3], start=date(2026, 4, 6))
        soon = ContractFactory(centre=own, start=date(2026, 3, 20), end=date(2026, 12, 31))
        ContractFactory(centre=own, start=date(2026, 4, 1), end=date(2026, 12, 31))  # too late
        ContractFactory(centre=own, status=ContractStatus.DRAFT)  # not signed
        ContractFactory(centre=CentreFactory(name="Andet center"))  # not own
        for day in (TODAY, date(2026, 3, 11)):
            expected = [
                (c.pk, c.centre.name, c.places, free_places(places=c.places, busy=c.busy))
                for c in contracts_with_capacity(today=day).filter(centre__consultant=konsulent)
            ]
            rows = free_places_of_consultant(today=day, consultant=konsulent)
            assert [(r.pk, r.centre_name, r.places, r.free) for r in rows] == expected
        assert [(r.pk, r.free) for r in rows] == [(full.pk, 2), (soon.pk, 4)]


def test_contracts_in_progress_are_drafts_approved_and_open_amendments(tenant_a, konsulent):  # noqa: ARG001
    with schema_context("alpha"):
        draft = ContractFactory(status=ContractStatus.DRAFT, start=date(2026, 1, 1))
        approved = ContractFactory(status=ContractStatus.APPROVED, start=date(2025, 6, 1))
        amended = ContractFactory(status=ContractStatus.ACTIVE, start=date(2025, 1, 1))
        amendment_create(
            contract=amended,
            valid_from=date(2026, 4, 1),
            reason="Flere pladser",
            acting_user=konsulent,
        )
        ContractFactory(status=ContractStatus.ACTIVE)  # nothing open
        rows = contracts_in_progress()
    assert [(r.pk, r.status, r.centre_name) for r in rows] == [
        (draft.pk, "draft", draft.centre.name),
        (approved.pk, "approved", approved.centre.name),
        (amended.pk, "active", amended.centre.name),
    ]
    assert rows[0].status_label == str(ContractStatus.DRAFT.label)
