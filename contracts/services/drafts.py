"""Drafting a Centerkontrakt, its approvals and its daily status transitions."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from centers.models import Centre, Place
from codes import clock

from ..models import (
    Amendment,
    Contract,
    ContractStatus,
    PaymentModel,
    SigningLink,
)
from .staff_ratio import staff_ratio_check

# Fields a draft form may change (the rest is set by approvals, signing and transitions).
EDITABLE_FIELDS = (
    "centre",
    "start",
    "end",
    "places",
    "course_weeks",
    "mentor_hours_per_week",
    "payment_model",
    "payment_amount",
    "payment_hourly_rate",
    "payment_hours_per_week",
    "establishment_amount",
    "goals_text",
    "goal_ordinary_job_pct",
    "goal_education_pct",
    "target_group",
    "target_age_min",
    "target_age_max",
    "target_barriers",
    "work_tasks",
    "support_activities",
    "reception",
    "absence_handling",
    "udslusning",
    "director_name",
    "director_email",
)
TERMS_FIELDS = (
    "places",
    "mentor_hours_per_week",
    "payment_model",
    "payment_amount",
    "payment_hourly_rate",
    "payment_hours_per_week",
    "establishment_amount",
)


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


def contract_places_ensure(*, contract: Contract, places: int | None = None) -> None:
    """Make sure place rows 1..places exist (places are never deleted: courses refer to them).

    `places` defaults to the contract's own; a signed amendment passes its (larger) number.
    """
    wanted = places if places is not None else contract.places
    existing = set(contract.place_set.values_list("number", flat=True))
    Place.objects.bulk_create(
        [Place(contract=contract, number=n) for n in range(1, wanted + 1) if n not in existing]
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
    contract_fields_validate(terms)
    contract_terms_validate(
        payment_model=payment_model,
        payment_amount=terms.get("payment_amount"),
        payment_hourly_rate=terms.get("payment_hourly_rate"),
        payment_hours_per_week=terms.get("payment_hours_per_week"),
        places=places,
    )
    contract_places_check(centre=centre, start=start, places=places)
    contract = Contract.objects.create(
        centre=centre, start=start, end=end, places=places, payment_model=payment_model, **terms
    )
    contract_places_ensure(contract=contract)
    audit_record(acting_user=acting_user, action="contract.create", obj=contract)
    return contract


def contract_places_check(
    *, centre: Centre, start: date, places: int, contract: Contract | None = None
) -> None:
    """The staff-ratio rule for a contract's places at its centre's workplace, counted from
    today or the contract's (or amendment's) start if later; `contract`'s own courses are
    what its places are for, so they are left out of the placed persons."""
    staff_ratio_check(
        centre=centre,
        day=max(clock.today(), start),
        adding=places,
        asking=f"kontrakten har {places} {'plads' if places == 1 else 'pladser'}",
        exclude_contract=contract,
    )


def contract_fields_validate(fields: dict) -> None:
    """The readable Danish version of the table's checks, for a whole draft at once."""
    errors = {}
    start, end = fields.get("start"), fields.get("end")
    if start and end and end < start:
        errors["end"] = "Slutdatoen ligger før startdatoen."
    for name in ("goal_ordinary_job_pct", "goal_education_pct"):
        value = fields.get(name)
        if value is not None and not 0 <= value <= 100:
            errors[name] = "En andel skal ligge mellem 0 og 100 %."
    age_min, age_max = fields.get("target_age_min"), fields.get("target_age_max")
    if age_min is not None and age_max is not None and age_max < age_min:
        errors["target_age_max"] = "Aldersgrænsen 'til' ligger under 'fra'."
    if errors:
        raise ValidationError(errors)


def _terms_validate(merged: dict) -> None:
    contract_terms_validate(
        payment_model=merged["payment_model"],
        payment_amount=merged["payment_amount"],
        payment_hourly_rate=merged["payment_hourly_rate"],
        payment_hours_per_week=merged["payment_hours_per_week"],
        places=merged["places"],
    )


def _locked(model, pk: int):
    """The row again, locked for the rest of the transaction (two clicks never both win)."""
    return model.objects.select_for_update().get(pk=pk)


@transaction.atomic
def contract_update(*, contract: Contract, acting_user, **fields) -> Contract:
    """Change a draft. Only EDITABLE_FIELDS; only while nobody has signed.

    Changing an approved contract sends it back to draft, and every approval given so far
    is superseded: they were given to the old text. Unused signing links are revoked for
    the same reason.
    Raises ValidationError (Danish) and changes nothing when the input is wrong.
    """
    contract = _locked(Contract, contract.pk)
    if not contract.is_editable:
        raise ValidationError("Kontrakten er underskrevet og kan ikke ændres. Lav et tillæg.")
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"Felterne kan ikke ændres her: {', '.join(sorted(unknown))}.")
    merged = {name: getattr(contract, name) for name in EDITABLE_FIELDS} | fields
    contract_fields_validate(merged)
    _terms_validate(merged)
    changed = [name for name, value in fields.items() if getattr(contract, name) != value]
    if not changed:
        return contract
    if {"places", "centre", "start"} & set(changed):
        contract_places_check(
            centre=merged["centre"],
            start=merged["start"],
            places=merged["places"],
            contract=contract,
        )
    for name in changed:
        setattr(contract, name, fields[name])
    if contract.status == ContractStatus.APPROVED:
        contract.status = ContractStatus.DRAFT
    contract.save()
    # The approvals were given to the old text: kept, but no longer count.
    contract.approvals.filter(superseded_at__isnull=True).update(superseded_at=timezone.now())
    contract_places_ensure(contract=contract)
    _signing_links_revoke(contract=contract, version=1)
    audit_record(acting_user=acting_user, action="contract.update", obj=contract, fields=changed)
    return contract


def contract_version_get(*, contract: Contract, version: int) -> Contract | Amendment:
    """The row that is `version` of the contract: the contract (1) or an amendment (2..).

    Raises Amendment.DoesNotExist for an unknown version.
    """
    if version == 1:
        return contract
    return contract.amendments.get(version=version)


@transaction.atomic
def contract_status_transitions(*, today: date) -> dict[str, int]:
    """The daily job: signed -> active from the start date, -> ended after the end date.

    Returns how many contracts became active and ended. Idempotent: running it twice on
    the same day changes nothing the second time.
    """
    counts = {"activated": 0, "ended": 0}
    due = (
        Contract.objects.select_for_update()
        .filter(status__in=[ContractStatus.SIGNED, ContractStatus.ACTIVE], start__lte=today)
        .select_related("centre")
    )
    for contract in due:
        if contract.end < today:
            new = ContractStatus.ENDED
        elif contract.status == ContractStatus.SIGNED:
            new = ContractStatus.ACTIVE
        else:
            continue
        contract.status = new
        contract.save(update_fields=["status"])
        counts["activated" if new == ContractStatus.ACTIVE else "ended"] += 1
        audit_record(acting_user=None, action=f"contract.{new}", obj=contract)
    return counts


def _signing_links_revoke(*, contract: Contract, version: int) -> None:
    SigningLink.objects.filter(
        contract=contract, version=version, used_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
