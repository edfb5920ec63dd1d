"""The staff-ratio rule (rimelighedskravet) checked where persons are placed at a workplace:
when a contract's places are set and when a course starts. The rule is
contracts.rules.staff_ratio_limit; the counts come from selectors.workplaces_headroom."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError

from centers.models import Centre, Workplace

from ..models import Contract
from ..selectors import WorkplaceHeadroom, workplaces_headroom

SOURCE = "BEK nr. 2636 af 28/12/2021 § 65"


def _number(value: Decimal) -> str:
    """12.0 -> "12", 12.5 -> "12,5" (Danish decimal comma)."""
    return f"{value.normalize():f}".replace(".", ",")


def staff_ratio_check(
    *,
    centre: Centre,
    day: date,
    adding: int,
    asking: str,
    exclude_contract: Contract | None = None,
    needs_statement: bool = False,
    today: date | None = None,
) -> WorkplaceHeadroom:
    """Refuse placing `adding` more persons at the centre's workplace on `day` when that goes
    over the staff-ratio limit, with the numbers in Danish; `asking` ends the message
    ("kontrakten har 10 pladser"). With `needs_statement` the latest written statement on or
    before `day` must exist and say the ratio is reasonable (§ 65, stk. 6: before a
    placement starts). Locks the workplace row, so two placements at once are counted one
    after the other. With `today`, a placement booked ahead does not count the running course
    planned to end before `day` (workplaces_headroom). Returns the headroom before the
    placement.
    """
    if centre.workplace_id is None:
        raise ValidationError(
            f"{centre} er ikke knyttet til et arbejdssted (P-nummer), så rimelighedskravet kan "
            "ikke kontrolleres. Knyt centret til et arbejdssted på centrets side først."
        )
    workplaces = Workplace.objects.filter(pk=centre.workplace_id)
    list(workplaces.select_for_update())
    (headroom,) = workplaces_headroom(
        workplaces=workplaces, day=day, exclude_contract=exclude_contract, today=today
    )
    workplace = headroom.workplace
    if headroom.employees is None:
        raise ValidationError(
            f"Arbejdsstedet {workplace} har intet oplyst antal ordinært ansatte pr. "
            f"{day:%d.%m.%Y}. Registrér antallet på centrets side, før der placeres personer "
            f"(rimelighedskravet, {SOURCE})."
        )
    if adding > headroom.free:
        already = headroom.placed + headroom.others
        raise ValidationError(
            f"Arbejdsstedet {workplace} har {_number(headroom.employees)} ordinært ansatte og "
            f"må højst have {headroom.limit} "
            f"{'person' if headroom.limit == 1 else 'personer'} i virksomhedspraktik og "
            f"løntilskud; {already} er allerede placeret ({headroom.placed} af jobcentret, "
            f"{headroom.others} af andre), så der er plads til {headroom.free} mere, og "
            f"{asking} (rimelighedskravet, {SOURCE})."
        )
    if needs_statement and headroom.statement_ok is None:
        raise ValidationError(
            f"Der mangler en skriftlig tilkendegivelse fra arbejdsgiveren og en "
            f"tillidsrepræsentant på arbejdsstedet {workplace} om rimelighedskravet. "
            f"Registrér den på centrets side, før forløbet starter ({SOURCE}, stk. 6)."
        )
    if needs_statement and not headroom.statement_ok:
        raise ValidationError(
            f"Den seneste skriftlige tilkendegivelse for arbejdsstedet {workplace} siger, at "
            f"der ikke er et rimeligt forhold mellem ordinært ansatte og personer med "
            f"tilskud. Forløbet kan ikke starte ({SOURCE}, stk. 6)."
        )
    return headroom
