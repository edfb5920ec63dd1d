"""What the start pages show of a jobkonsulent's and a sagsbehandler's work."""

from contracts.selectors import contracts_with_capacity

from .. import selectors
from ..rules import free_places
from ._common import (
    _today,
)


def jobkonsulent_start_context(user) -> dict:
    """The jobkonsulent's start page: due this week, the venteliste's oldest, own centres."""
    today = _today()
    contracts = list(contracts_with_capacity(today=today).filter(centre__consultant=user))
    for contract in contracts:
        contract.free_now = free_places(places=contract.places, busy=contract.busy)
    return {
        "due_items": selectors.courses_due_for_follow_up(today=today, consultant=user),
        "waiting": list(selectors.waiting_list(today=today)[:10]),
        "my_contracts": contracts,
    }


def sagsbehandler_start_context(user) -> dict:
    return {"my_referrals": list(selectors.referrals_by_user(user=user)[:20]), "today": _today()}
