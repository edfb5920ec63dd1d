"""CVR and P-numbers (Det Centrale Virksomhedsregister): the company's and its production
unit's numbers, checked in one place."""

from django.core.exceptions import ValidationError

# Erhvervsstyrelsen's modulus 11 weights for the 8 digits of a CVR number.
CVR_WEIGHTS = (2, 7, 6, 5, 4, 3, 2, 1)


def cvr_is_valid(cvr: str) -> bool:
    """CVR numbers are 8 digits, not starting with 0, whose weighted sum (2,7,6,5,4,3,2,1)
    is divisible by 11."""
    if len(cvr) != 8 or not cvr.isdigit() or cvr[0] == "0":
        return False
    return sum(int(d) * w for d, w in zip(cvr, CVR_WEIGHTS, strict=True)) % 11 == 0


def p_number_is_valid(p_number: str) -> bool:
    """A P-number (production unit, the unit the staff-ratio rule counts) is 10 digits."""
    return len(p_number) == 10 and p_number.isdigit()


def validate_cvr(value: str) -> None:
    if not cvr_is_valid(value):
        raise ValidationError(
            "%(value)s er ikke et gyldigt CVR-nummer (8 cifre med modulus 11-kontrol).",
            params={"value": value},
            code="invalid_cvr",
        )


def validate_p_number(value: str) -> None:
    if not p_number_is_valid(value):
        raise ValidationError(
            "%(value)s er ikke et gyldigt P-nummer (10 cifre).",
            params={"value": value},
            code="invalid_p_number",
        )
