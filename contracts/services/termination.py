"""Early termination of a Centerkontrakt, and the jobcentre's standard paragraphs."""

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record

from .. import rules
from ..models import Contract, ContractStatus, ContractTemplate, TerminationCause
from .drafts import _locked, _signing_links_revoke

TERMINABLE_STATUSES = (ContractStatus.SIGNED, ContractStatus.ACTIVE)


@transaction.atomic
def contract_terminate(
    *,
    contract: Contract,
    terminated_on: date,
    cause: str,
    reason: str,
    now: datetime,
    acting_user,
) -> Contract:
    """End a signed or running contract early: the company closes the centre, or either
    party gives notice.

    The contract's `end` becomes `terminated_on` (the agreed end is kept in `planned_end`),
    so its places stop counting from the day after and billing stops pro rata there (both
    read `end`); the status becomes *terminated* at once, with the date shown. A course
    lies within its contract's period (the trigger contract_keeps_its_courses): a course
    planned beyond the date gets the date as its planned end (audited per course), and
    contracts_courses_past_end lists the running ones for the jobkonsulent to move or end. Unused
    signing links die.
    Raises ValidationError (Danish) for a contract that is not signed or running, a date
    outside its period, a missing cause or reason, or courses that started or ended after
    the date (rules.termination_blockers); nothing is changed then.
    """
    contract = _locked(Contract, contract.pk)
    if contract.status not in TERMINABLE_STATUSES:
        raise ValidationError("Kun en underskrevet eller aktiv kontrakt kan opsiges.")
    problem = rules.termination_problem(
        start=contract.start,
        end=contract.end,
        terminated_on=terminated_on,
        cause=cause,
        reason=reason,
        causes=TerminationCause.values,
    )
    if problem:
        raise ValidationError(problem)
    courses = list(contract.courses.select_related("place").order_by("start", "pk"))
    blockers = rules.termination_blockers(courses=courses, terminated_on=terminated_on)
    if blockers:
        raise ValidationError(
            "Forløb starter eller slutter efter ophørsdatoen ("
            + ", ".join(
                f"plads {c.place.number}: {c.start:%d.%m.%Y}–{(c.end or c.planned_end):%d.%m.%Y}"
                for c in blockers
            )
            + "). Vælg en senere dato, eller flyt forløbene først."
        )
    # The database keeps every course's planned end inside its contract, so an ended
    # course planned beyond the date has its plan cut to it as well (audited).
    for course in courses:
        if course.planned_end > terminated_on:
            previous = course.planned_end
            course.planned_end = terminated_on
            course.save(update_fields=["planned_end"])
            audit_record(
                acting_user=acting_user,
                action="course.planned_end.contract_terminated",
                obj=course,
                fields=[f"planned_end:{previous.isoformat()}->{terminated_on.isoformat()}"],
            )
    contract.planned_end, contract.end = contract.end, terminated_on
    contract.terminated_on = terminated_on
    contract.termination_cause, contract.termination_reason = cause, reason.strip()
    contract.terminated_by, contract.terminated_at = acting_user, now
    contract.status = ContractStatus.TERMINATED
    contract.save(
        update_fields=[
            "planned_end",
            "end",
            "terminated_on",
            "termination_cause",
            "termination_reason",
            "terminated_by",
            "terminated_at",
            "status",
        ]
    )
    for version in [1, *contract.amendments.values_list("version", flat=True)]:
        _signing_links_revoke(contract=contract, version=version)
    audit_record(
        acting_user=acting_user,
        action="contract.terminate",
        obj=contract,
        fields=[f"terminated_on:{terminated_on.isoformat()}", f"cause:{cause}"],
    )
    return contract


def contract_template_current() -> ContractTemplate:
    """The stored standard paragraphs, or the concept's (unsaved) until some are saved."""
    return ContractTemplate.current()


@transaction.atomic
def contract_template_update(*, acting_user, **texts: str) -> ContractTemplate:
    """Save the jobcentre's standard paragraphs (the defaults of a new contract's texts).

    Raises ValidationError for an unknown field; empty texts are allowed (no default).
    """
    unknown = set(texts) - set(ContractTemplate.TEXT_FIELDS)
    if unknown:
        raise ValidationError(f"Ukendte felter: {', '.join(sorted(unknown))}.")
    template = ContractTemplate.for_update()
    for name, text in texts.items():
        setattr(template, name, (text or "").strip())
    template.save()
    audit_record(
        acting_user=acting_user,
        action="contract_template.update",
        obj=template,
        fields=sorted(texts),
    )
    return template
