"""What the start pages show of a jobkonsulent's and a sagsbehandler's work."""

from contracts.selectors import contracts_with_capacity

from .. import selectors
from ..rules import free_places
from ._common import (
    _today,
)

# The start page shows the soonest of the jobkonsulent's due items and how many there are;
# the due list pages through the rest. Ten is what the card holds beside the venteliste's
# ten oldest: the soonest are what to do today, and a jobkonsulent with a hundred items
# works from the full list anyway (it has the pager and the other centres).
START_DUE_ROWS = 10


def jobkonsulent_start_context(user) -> dict:
    """The jobkonsulent's start page: the soonest due items, the venteliste's oldest, own
    centres."""
    today = _today()
    due_items, due_total = selectors.due_items_page(
        today=today, consultant=user, size=START_DUE_ROWS
    )
    contracts = list(contracts_with_capacity(today=today).filter(centre__consultant=user))
    for contract in contracts:
        contract.free_now = free_places(places=contract.places, busy=contract.busy)
    return {
        "due_items": due_items,
        "due_total": due_total,
        "waiting": list(selectors.waiting_list(today=today)[:10]),
        "my_contracts": contracts,
    }


def sagsbehandler_start_context(user) -> dict:
    return {"my_referrals": list(selectors.referrals_by_user(user=user)[:20]), "today": _today()}
