"""Writes on Centerkontrakter."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record
from centers.models import Centre, Place

from .models import Contract, PaymentModel


def contract_terms_validate(
    *, payment_model: str, payment_amount, payment_hourly_rate, payment_hours_per_week, places: int
) -> None:
    """The readable Danish version of the database's checks on agreed terms."""
    errors = {}
    if payment_model not in PaymentModel.values:
        errors["payment_model"] = f"Ukendt betalingsmodel: {payment_model}."
    if places is None or places < 1:
        errors["places"] = "En kontrakt skal have mindst 1 plads."
    if payment_model in (PaymentModel.PER_CANDIDATE_WEEK, PaymentModel.PER_PLACE_MONTH) and (
        payment_amount is None
    ):
        errors["payment_amount"] = "Betalingsmodellen kræver et beløb."
    if payment_model == PaymentModel.MENTOR_HOURS and (
        payment_hourly_rate is None or payment_hours_per_week is None
    ):
        errors["payment_hourly_rate"] = "Frikøb af mentortimer kræver timesats og timer pr. uge."
    for field, value in (
        ("payment_amount", payment_amount),
        ("payment_hourly_rate", payment_hourly_rate),
        ("payment_hours_per_week", payment_hours_per_week),
    ):
        if value is not None and Decimal(value) < 0:
            errors[field] = "Beløb og timer kan ikke være negative."
    if errors:
        raise ValidationError(errors)


def contract_places_ensure(*, contract: Contract) -> None:
    """Make sure place rows 1..places exist (places are never deleted: courses refer to them)."""
    existing = set(contract.place_set.values_list("number", flat=True))
    Place.objects.bulk_create(
        [
            Place(contract=contract, number=n)
            for n in range(1, contract.places + 1)
            if n not in existing
        ]
    )


@transaction.atomic
def contract_create(
    *, centre: Centre, start: date, end: date, places: int, payment_model: str, acting_user, **terms
) -> Contract:
    """Draft a contract for a centre and create its places.

    Raises ValidationError (Danish) when end is before start or the terms are incomplete.
    A contract below 4 places is allowed (the concept's minimum is a recommendation).
    """
    if end < start:
        raise ValidationError({"end": "Slutdatoen ligger før startdatoen."})
    contract_terms_validate(
        payment_model=payment_model,
        payment_amount=terms.get("payment_amount"),
        payment_hourly_rate=terms.get("payment_hourly_rate"),
        payment_hours_per_week=terms.get("payment_hours_per_week"),
        places=places,
    )
    contract = Contract.objects.create(
        centre=centre, start=start, end=end, places=places, payment_model=payment_model, **terms
    )
    contract_places_ensure(contract=contract)
    audit_record(acting_user=acting_user, action="contract.create", obj=contract)
    return contract
