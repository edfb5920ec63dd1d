"""Billing stops pro rata at an early termination (issue 21): the contract pays up to and
including its termination date, a part month by day, and nothing after."""

from datetime import UTC, date, datetime
from decimal import Decimal

from django_tenants.utils import schema_context

from billing.selectors import contract_payments
from contracts.services import contract_terminate
from tests.factories import ContractFactory


def test_a_contract_terminated_mid_month_pays_that_month_by_day_and_nothing_after(
    tenant_a,  # noqa: ARG001 - the tenant must exist
    konsulent,
):
    with schema_context("alpha"):
        contract = ContractFactory(
            start=date(2026, 1, 1),
            end=date(2027, 12, 31),
            places=4,
            payment_model="per_place_month",
            payment_amount=Decimal(1500),
        )
        full_april = contract_payments(
            contract=contract, start=date(2026, 4, 1), end=date(2026, 4, 30)
        )
        assert full_april == Decimal("6000.00")
        contract_terminate(
            contract=contract,
            terminated_on=date(2026, 4, 12),
            cause="company_notice",
            reason="Virksomheden har opsagt kontrakten.",
            now=datetime(2026, 4, 1, 8, tzinfo=UTC),
            acting_user=konsulent,
        )
        contract.refresh_from_db()
        # 4 places x 1,500 kr x 12/30 days.
        april = contract_payments(contract=contract, start=date(2026, 4, 1), end=date(2026, 4, 30))
        assert april == Decimal("2400.00")
        may = contract_payments(contract=contract, start=date(2026, 5, 1), end=date(2026, 5, 31))
        assert may == Decimal("0.00")
        # The months before the termination are paid as agreed.
        march = contract_payments(contract=contract, start=date(2026, 3, 1), end=date(2026, 3, 31))
        assert march == Decimal("6000.00")
