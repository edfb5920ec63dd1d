"""Amendments: a signed contract is never edited; a change is a new version signed again."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record

from ..models import (
    Amendment,
    AmendmentStatus,
    Contract,
    ContractStatus,
)
from .drafts import TERMS_FIELDS, _locked, _terms_validate, contract_places_check


@transaction.atomic
def amendment_create(
    *, contract: Contract, valid_from: date, reason: str, acting_user, **terms
) -> Amendment:
    """A new version of a signed or active contract, to be signed again by both parties.

    `terms` are the PaymentTermsMixin fields; missing ones are taken from the version in force.
    Raises ValidationError (Danish) for a contract that is not signed, an open amendment,
    a date outside the contract period or incomplete terms.
    """
    contract = _locked(Contract, contract.pk)
    if contract.status not in (ContractStatus.SIGNED, ContractStatus.ACTIVE):
        raise ValidationError("Kun en underskrevet eller aktiv kontrakt kan få et tillæg.")
    if contract.amendments.filter(status=AmendmentStatus.DRAFT).exists():
        raise ValidationError("Der er allerede et tillæg til underskrift.")
    if not reason.strip():
        raise ValidationError({"reason": "Skriv en begrundelse for tillægget."})
    if not contract.start <= valid_from <= contract.end:
        raise ValidationError({"valid_from": "Datoen skal ligge i kontraktens periode."})
    unknown = set(terms) - set(TERMS_FIELDS)
    if unknown:
        raise ValidationError(f"Ukendte felter: {', '.join(sorted(unknown))}.")
    current = contract.amendments.filter(status=AmendmentStatus.SIGNED).order_by("-version").first()
    base = current or contract
    merged = {name: getattr(base, name) for name in TERMS_FIELDS} | terms
    _terms_validate(merged)
    contract_places_check(
        centre=contract.centre, start=valid_from, places=merged["places"], contract=contract
    )
    last = contract.amendments.order_by("-version").values_list("version", flat=True).first()
    amendment = Amendment.objects.create(
        contract=contract,
        version=(last or 1) + 1,
        valid_from=valid_from,
        reason=reason.strip(),
        created_by=acting_user,
        director_name=contract.director_name,
        director_email=contract.director_email,
        **merged,
    )
    audit_record(
        acting_user=acting_user,
        action="contract.amendment.create",
        obj=contract,
        fields=[f"version:{amendment.version}"],
    )
    return amendment
