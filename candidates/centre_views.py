"""Centre pages for the jobkonsulent: room in each centre, and refilling a freed place.

They read contracts' capacity and the venteliste, so they live with the venteliste here
(candidates), above contracts and centers; the URLs keep their namespace "centers"."""

from datetime import date, timedelta

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from audit.reads import logs_list_read
from centers.models import Workplace
from codes import clock
from contracts.selectors import SOON_DAYS, contracts_with_capacity, workplaces_headroom

from . import list_reads, selectors
from .models import LegalFrame
from .permissions import can_manage, can_read, require
from .rules import free_places


@login_required
def centre_list(request):
    """Contracts running now or soon, with free and soon-free places (one query)."""
    require(can_read(request.user))
    today = clock.today()
    contracts = list(contracts_with_capacity(today=today))
    for contract in contracts:
        contract.free_now = free_places(places=contract.places, busy=contract.busy)
    # Rimelighedskravet at the listed centres' workplaces (one query).
    headrooms = workplaces_headroom(
        workplaces=Workplace.objects.filter(centres__contracts__in=[c.pk for c in contracts])
        .distinct()
        .order_by("company__name", "name"),
        day=today,
    )
    return render(
        request,
        "centers/centre_list.html",
        {"contracts": contracts, "today": today, "headrooms": headrooms},
    )


@login_required
@logs_list_read(purpose="Venteliste: genbesættelse af en plads", shown=list_reads.refill)
def refill(request, pk):
    """The venteliste seen from one contract: who fits the free place, fitting ones first."""
    require(can_read(request.user))
    today = _refill_day(request.GET.get("fra"), clock.today())
    contract = contracts_with_capacity(today=today).filter(pk=pk).first()
    if contract is None:
        raise Http404
    pairs = selectors.waiting_list_for_contract(contract=contract, today=today)
    return render(
        request,
        "centers/refill.html",
        {
            "contract": contract,
            "centre": contract.centre,
            "free_now": free_places(places=contract.places, busy=contract.busy),
            "pairs": pairs,
            "today": today,
            "can_manage": can_manage(request.user),
            "legal_frames": LegalFrame.choices,
            "default_hours": 10,
        },
    )


def _refill_day(value: str | None, today: date) -> date:
    """The day to refill from: a course holds its place through its end day, so after an
    udslusning the place is free from the next day (`?fra=`). Anything else: today."""
    try:
        day = date.fromisoformat(value or "")
    except ValueError:
        return today
    return day if today <= day <= today + timedelta(days=SOON_DAYS) else today
