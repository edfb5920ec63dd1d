"""CPR numbers (det centrale personregister): one normaliser, one check, one message.

A CPR number is a real date DDMMYY followed by 4 digits; the 7th digit gives the century
(CPR-kontoret's table). There is no modulus 11 check: it was dropped in 2007, when numbers
without it began to be issued. Typed with or without the dash and spaces, it is normalised
to its 10 digits before anything else looks at it: the form, the service, the import, the
blind index and the admin's search all call `cpr_normalise` first.
"""

from datetime import date

from django.core.exceptions import ValidationError

CPR_INVALID_MESSAGE = (
    "Ugyldigt CPR-nummer: det skal være 10 cifre, hvor de første 6 er en rigtig dato."
)


def cpr_normalise(value) -> str:
    """The number as typed, without the dash, spaces and surrounding blanks ("010203-1234",
    " 010203 1234 " -> "0102031234"). Anything else (letters, too few digits) is kept so that
    the check can refuse it; None becomes ""."""
    return str(value or "").strip().replace("-", "").replace(" ", "")


def cpr_birth_date(cpr: str) -> date | None:
    """The birth date a normalised CPR number encodes, or None if it is not a valid one.

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


def cpr_birth_dates(ddmmyy: str) -> list[date]:
    """The birth dates the first six digits of a CPR number can stand for: DDMMYY in each
    century the 7th digit may give (1800s, 1900s, 2000s), the real dates only ("290200" ->
    29.02.1900 is none, 29.02.2000 is). A search by those digits looks these dates up."""
    if len(ddmmyy) != 6 or not ddmmyy.isdigit():
        return []
    day, month, yy = int(ddmmyy[0:2]), int(ddmmyy[2:4]), int(ddmmyy[4:6])
    dates = []
    for century in (1800, 1900, 2000):
        try:
            dates.append(date(century + yy, month, day))
        except ValueError:
            continue
    return dates


def cpr_is_valid(cpr: str) -> bool:
    return cpr_birth_date(cpr) is not None


def validate_cpr(value: str) -> None:
    """Django validator of a normalised CPR number; raises the one Danish message."""
    if cpr_birth_date(value) is None:
        raise ValidationError(CPR_INVALID_MESSAGE, code="invalid_cpr")


def cpr_clean(value) -> str:
    """Normalise and check in one step: the 10 digits, or ValidationError (Danish)."""
    cpr = cpr_normalise(value)
    validate_cpr(cpr)
    return cpr


def cpr_masked(cpr: str) -> str:
    """DDMMYY-XXXX: enough to tell two people apart on screen, not enough to misuse."""
    return f"{cpr[:6]}-XXXX" if len(cpr) == 10 else "XXXXXX-XXXX"
