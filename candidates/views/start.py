"""What the start pages show of a jobkonsulent's and a sagsbehandler's work."""

from contracts.selectors import free_places_of_consultant

from .. import rows, selectors
from ._common import (
    _today,
)

# The start page shows the soonest of the jobkonsulent's due items and how many there are;
# the due list pages through the rest. Ten is what the card holds beside the venteliste's
# ten oldest: the soonest are what to do today, and a jobkonsulent with a hundred items
# works from the full list anyway (it has the pager and the other centres).
START_DUE_ROWS = 10
# The venteliste's longest waiting; the card links to the whole list.
START_WAITING_ROWS = 10


def jobkonsulent_start_context(user) -> dict:
    """The jobkonsulent's start page: the soonest due items, the venteliste's oldest, own
    centres."""
    today = _today()
    due_items, due_total = selectors.due_items_page(
        today=today, consultant=user, size=START_DUE_ROWS
    )
    waiting = selectors.waiting_list_first(today=today, limit=START_WAITING_ROWS)
    my_contracts = free_places_of_consultant(today=today, consultant=user)
    return {
        "due_items": due_items,
        "due_rows": rows.due_rows(due_items),
        "due_total": due_total,
        "waiting": waiting,
        "waiting_items": rows.waiting_items(waiting),
        "my_contracts": my_contracts,
        "my_contracts_items": rows.free_places_items(my_contracts),
    }


def sagsbehandler_start_context(user) -> dict:
    return {"my_referrals": list(selectors.referrals_by_user(user=user)[:20]), "today": _today()}
