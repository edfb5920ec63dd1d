"""Writes on workplaces (arbejdssteder): the facts the staff-ratio rule counts from.

Each fact is a row with its date and who stated it, never an overwrite: the employees
stated on a date, the persons placed by others, the written statement. The rule itself is
contracts.rules.staff_ratio_limit; the check where persons are placed is
contracts.services.staff_ratio_check.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.services import audit_record
from codes.cvr import p_number_is_valid

from .models import (
    Centre,
    Company,
    Workplace,
    WorkplaceEmployees,
    WorkplaceOtherPlacement,
    WorkplaceStatement,
)


def _required(**values: str) -> dict[str, str]:
    """The stripped texts; a Danish error for each one left empty."""
    errors = {name: "Feltet skal udfyldes." for name, value in values.items() if not value.strip()}
    if errors:
        raise ValidationError(errors)
    return {name: value.strip() for name, value in values.items()}


def _not_future(field: str, day: date, today: date) -> None:
    if day > today:
        raise ValidationError({field: "Datoen ligger i fremtiden."})


@transaction.atomic
def workplace_create(
    *,
    company: Company,
    name: str,
    p_number: str,
    acting_user,
    address: str = "",
    postal_code: str = "",
    city: str = "",
) -> Workplace:
    """A new workplace of a company. Raises ValidationError (Danish) for an invalid or
    already used P-number or an empty name."""
    name = _required(name=name)["name"]
    p_number = p_number.strip().replace(" ", "")
    if not p_number_is_valid(p_number):
        raise ValidationError({"p_number": "Et P-nummer er 10 cifre."})
    if Workplace.objects.filter(p_number=p_number).exists():
        raise ValidationError({"p_number": f"P-nummer {p_number} er allerede oprettet."})
    try:
        with transaction.atomic():
            workplace = Workplace.objects.create(
                company=company,
                name=name,
                p_number=p_number,
                address=address.strip(),
                postal_code=postal_code.strip(),
                city=city.strip(),
            )
    except IntegrityError as exc:  # two at once with the same P-number
        raise ValidationError({"p_number": f"P-nummer {p_number} er allerede oprettet."}) from exc
    audit_record(acting_user=acting_user, action="workplace.create", obj=workplace)
    return workplace


@transaction.atomic
def centre_workplace_set(*, centre: Centre, workplace: Workplace, acting_user) -> Centre:
    """Place a centre at a workplace of its own company or of one of its network companies."""
    allowed = {centre.company_id, *centre.network_companies.values_list("pk", flat=True)}
    if workplace.company_id not in allowed:
        raise ValidationError(
            {"workplace": "Arbejdsstedet hører ikke til centrets virksomhed eller netværk."}
        )
    centre.workplace = workplace
    centre.save(update_fields=["workplace"])
    audit_record(acting_user=acting_user, action="centre.workplace", obj=centre)
    return centre


@transaction.atomic
def workplace_employees_state(
    *,
    workplace: Workplace,
    ordinary_employees: Decimal,
    stated_on: date,
    stated_by: str,
    today: date,
    acting_user,
) -> WorkplaceEmployees:
    """Record the workplace's ordinary employees (full-time equivalents, the average of the
    last 4 months, without subsidised staff and staff under 18) as `stated_by` stated them
    on `stated_on`. Raises ValidationError (Danish) for a negative number, a future date or
    no name."""
    stated_by = _required(stated_by=stated_by)["stated_by"]
    if ordinary_employees is None or Decimal(ordinary_employees) < 0:
        raise ValidationError({"ordinary_employees": "Antallet kan ikke være negativt."})
    _not_future("stated_on", stated_on, today)
    row = WorkplaceEmployees.objects.create(
        workplace=workplace,
        ordinary_employees=ordinary_employees,
        stated_on=stated_on,
        stated_by=stated_by,
        recorded_by=acting_user,
    )
    audit_record(
        acting_user=acting_user, action="workplace.employees", obj=workplace, fields=["employees"]
    )
    return row


@transaction.atomic
def workplace_other_placement_record(
    *,
    workplace: Workplace,
    persons: int,
    placed_by: str,
    start: date,
    end: date | None,
    acting_user,
) -> WorkplaceOtherPlacement:
    """Record persons in virksomhedspraktik or wage subsidy at the workplace that others
    placed (another jobcentre, the company's own subsidised staff), from start to end (open
    while it lasts). Raises ValidationError (Danish) for no persons, no name or an end
    before the start."""
    placed_by = _required(placed_by=placed_by)["placed_by"]
    if persons is None or persons < 1:
        raise ValidationError({"persons": "Angiv mindst 1 person."})
    if end is not None and end < start:
        raise ValidationError({"end": "Slutdatoen ligger før startdatoen."})
    row = WorkplaceOtherPlacement.objects.create(
        workplace=workplace,
        persons=persons,
        placed_by=placed_by,
        start=start,
        end=end,
        recorded_by=acting_user,
    )
    audit_record(
        acting_user=acting_user, action="workplace.others", obj=workplace, fields=["others"]
    )
    return row


@transaction.atomic
def workplace_statement_record(
    *,
    workplace: Workplace,
    given_on: date,
    employer_name: str,
    representative_name: str,
    representative_role: str,
    ratio_reasonable: bool,
    text: str,
    today: date,
    acting_user,
) -> WorkplaceStatement:
    """Record the written statement from the employer and an employee representative at the
    P-number on whether the ratio is reasonable (BEK nr. 2636 af 28/12/2021 § 65, stk. 6).
    Raises ValidationError (Danish) for a missing name or role or a future date."""
    names = _required(
        employer_name=employer_name,
        representative_name=representative_name,
        representative_role=representative_role,
    )
    _not_future("given_on", given_on, today)
    row = WorkplaceStatement.objects.create(
        workplace=workplace,
        given_on=given_on,
        ratio_reasonable=ratio_reasonable,
        text=text.strip(),
        recorded_by=acting_user,
        **names,
    )
    audit_record(
        acting_user=acting_user, action="workplace.statement", obj=workplace, fields=["statement"]
    )
    return row
