"""Approvals before signing: the jobcentre's steps (a setting) and each approval given."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record

from .. import rules
from ..models import ApprovalSettings, Contract, ContractApproval, ContractStatus
from .drafts import _locked


@transaction.atomic
def approval_settings_update(
    *, employee_statement: bool, committees: list[str], acting_user
) -> ApprovalSettings:
    """Set which approvals a contract needs before signing.

    Contracts already approved stay approved (they were approved under the steps of the
    day); drafts need the new steps. Raises ValidationError (Danish) with no step at all,
    an empty, too long or repeated committee name; changes nothing then.
    """
    committees = [name.strip() for name in committees]
    problem = rules.approval_settings_problem(
        employee_statement=employee_statement, committees=committees
    )
    if problem:
        raise ValidationError({"committees": problem})
    settings_row = ApprovalSettings.for_update()
    changed = [
        name
        for name, value in (("employee_statement", employee_statement), ("committees", committees))
        if getattr(settings_row, name) != value
    ]
    if not changed:
        return settings_row
    settings_row.employee_statement, settings_row.committees = employee_statement, committees
    settings_row.save(update_fields=changed)
    audit_record(
        acting_user=acting_user, action="approval_settings.update", obj=settings_row, fields=changed
    )
    return settings_row


@transaction.atomic
def contract_approval_record(
    *,
    contract: Contract,
    step: str,
    approved_by: str,
    approved_on: date,
    statement: str,
    today: date,
    acting_user,
) -> Contract:
    """Record that `step` (one of the jobcentre's approval steps) approved the draft: who
    (a person or a meeting), when, and what the statement or decision says.

    When every step has approved, the draft becomes *approved* and can be signed.
    Raises ValidationError (Danish) for a step the jobcentre does not use, a step already
    approved, a missing name or text, a future date or a contract that is not a draft.
    """
    steps = ApprovalSettings.current().steps
    if step not in steps:
        raise ValidationError({"step": "Ukendt godkendelsestrin."})
    if not approved_by.strip():
        raise ValidationError({"approved_by": "Skriv hvem der godkendte."})
    if not statement.strip():
        raise ValidationError({"statement": "Skriv hvad udtalelsen eller beslutningen siger."})
    if approved_on > today:
        raise ValidationError({"approved_on": "Godkendelsesdatoen ligger i fremtiden."})
    contract = _locked(Contract, contract.pk)
    if contract.status != ContractStatus.DRAFT:
        raise ValidationError("Kun et udkast kan godkendes.")
    given = set(contract.current_approvals.values_list("step", flat=True))
    if step in given:
        raise ValidationError({"step": "Trinnet er allerede godkendt."})
    ContractApproval.objects.create(
        contract=contract,
        step=step,
        approved_by=approved_by.strip(),
        approved_on=approved_on,
        statement=statement.strip(),
        recorded_by=acting_user,
    )
    if not rules.approvals_missing(steps=steps, approved=given | {step}):
        contract.status = ContractStatus.APPROVED
        contract.save(update_fields=["status"])
    audit_record(
        acting_user=acting_user,
        action="contract.approve",
        obj=contract,
        fields=[f"step:{step}"],
    )
    return contract
