"""Reads on candidates, courses and places."""

from datetime import date

from django.db.models import Exists, OuterRef, Q

from centers.models import Place


def place_free_from(*, contract, day: date) -> Place | None:
    """The lowest-numbered place of the contract with no course on or after `day`.

    A running course (no end) holds its place indefinitely; an ended one frees it the day
    after its end.
    """
    from .models import Course

    busy = Course.objects.filter(place=OuterRef("pk")).filter(Q(end__isnull=True) | Q(end__gte=day))
    return (
        Place.objects.filter(contract=contract, number__lte=contract.places)
        .exclude(Exists(busy))
        .order_by("number")
        .first()
    )
