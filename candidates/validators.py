"""CPR numbers: a real date (DDMMYY) plus 4 digits. No modulus 11 - dropped in 2007."""

from datetime import date

from django.core.exceptions import ValidationError


def cpr_birth_date(cpr: str) -> date | None:
    """The birth date a CPR number encodes, or None if it is not a valid CPR number.

    The century follows from the 7th digit (CPR-kontoret's table): 0-3 -> 1900s;
    4 and 9 -> 2000s for years 00-36, else 1900s; 5-8 -> 2000s for 00-57, else 1800s.
    """
    if len(cpr) != 10 or not cpr.isdigit():
        return None
    day, month, yy, digit7 = int(cpr[0:2]), int(cpr[2:4]), int(cpr[4:6]), int(cpr[6])
    if digit7 <= 3:
        century = 1900
    elif digit7 in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:
        century = 2000 if yy <= 57 else 1800
    try:
        return date(century + yy, month, day)
    except ValueError:
        return None


def validate_cpr(value: str) -> None:
    if cpr_birth_date(value) is None:
        raise ValidationError(
            "Ugyldigt CPR-nummer: det skal være 10 cifre, hvor de første 6 er en rigtig dato.",
            code="invalid_cpr",
        )


def cpr_masked(cpr: str) -> str:
    """DDMMYY-XXXX: enough to tell two people apart on screen, not enough to misuse."""
    return f"{cpr[:6]}-XXXX" if len(cpr) == 10 else "XXXXXX-XXXX"
