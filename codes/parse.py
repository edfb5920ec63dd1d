"""One parser for the numbers and dates people type or import, with bounds.

Every form that takes hours, amounts or dates, the views that read a date from the URL or
the query string, and the import parse through here, so that NaN, infinity and impossible
dates are refused the same way everywhere, with the same Danish message per kind:

- not a number (NaN, sNaN, Infinity, words): `NUMBER_MESSAGE` (`number_message(field)`);
- a number outside the field's bounds or with too many decimals: `number_range_message`;
- not a date: `DATE_MESSAGE`;
- a date outside the sane window: `date_window_message`.

Numbers: Danish "25,5" and "25.5" are the same number (issue 23 saw "25,5" hours become
255). A dot is always a decimal point ("1.500" is one and a half), never a thousands
separator, and a number with both a comma and a dot is refused; so is a dot followed by
exactly three digits ("1.500"): a Dane means 1500, a machine 1.5, and an amount must not
lose three orders of magnitude on a guess. Trailing zeros do not
count as decimals ("10.00" is 10, whatever its places), so a form accepts its own initial.

Dates: the window is `EARLIEST_DATE` (1 January 2000, before any virksomhedscenter of the
national trial) .. today + `FUTURE_YEARS` (5 years, longer than any contract is drafted
ahead). A date outside it is a typing error, and it would otherwise reach billing weeks
and course hours (week 0001-01-01, hours valid from 9999-12-31). A field may narrow the
window (birth dates widen it backwards: `BIRTH_EARLIEST_DATE`).

Pure functions (no database); the Django form fields at the end use them.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms

from . import clock

EARLIEST_DATE = date(2000, 1, 1)
BIRTH_EARLIEST_DATE = date(1900, 1, 1)
FUTURE_YEARS = 5

NUMBER_MESSAGE = "Skal være et tal, fx 4,5."
DATE_MESSAGE = "Ugyldig dato: skriv fx 31.12.2025."


def number_message(field: str | None = None) -> str:
    """NUMBER_MESSAGE, with the field's name in front where no form field shows it."""
    return f"{field} {NUMBER_MESSAGE[0].lower()}{NUMBER_MESSAGE[1:]}" if field else NUMBER_MESSAGE


# "1.500": Danish thousands or an English decimal? Refused rather than guessed.
AMBIGUOUS_THOUSANDS = re.compile(r"\A[+-]?\d+\.\d{3}\Z")

DATE_INPUT_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y")


class ParseError(ValueError):
    """A value that is not a number or date, or lies outside its bounds (Danish message)."""


def _danish_number(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def number_range_message(min_value: Decimal | None, max_value: Decimal | None, places: int) -> str:
    """The one message for a number outside its bounds or with too many decimals."""
    if min_value is not None and max_value is not None:
        bounds = f"mellem {_danish_number(min_value)} og {_danish_number(max_value)}"
    elif min_value is not None:
        bounds = f"mindst {_danish_number(min_value)}"
    elif max_value is not None:
        bounds = f"højst {_danish_number(max_value)}"
    else:
        bounds = ""
    decimals = (
        "uden decimaler"
        if places == 0
        else f"med højst {places} decimal" + ("er" if places > 1 else "")
    )
    return " ".join(part for part in ("Skriv et tal", bounds, decimals) if part) + "."


def parse_number(
    value,
    *,
    min_value: Decimal | int | None = None,
    max_value: Decimal | int | None = None,
    places: int = 2,
) -> Decimal:
    """A finite Decimal from a number or a Danish/English decimal string, within bounds.

    Accepts "25,5", "25.5", " 25 ", ints and Decimals; refuses bools, NaN, sNaN, Infinity,
    thousands separators and anything else with ParseError(NUMBER_MESSAGE). A value
    below min_value, above max_value or with more than `places` significant decimals
    raises ParseError(number_range_message(...)). The result is quantized to `places`.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str | Decimal):
        raise ParseError(NUMBER_MESSAGE)
    raw = str(value).strip()
    text = raw.replace(",", ".")
    if not text or len(text) > 40 or text.count(".") > 1 or AMBIGUOUS_THOUSANDS.search(raw):
        raise ParseError(NUMBER_MESSAGE)
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ParseError(NUMBER_MESSAGE) from None
    if not number.is_finite():
        raise ParseError(NUMBER_MESSAGE)
    low = None if min_value is None else Decimal(min_value)
    high = None if max_value is None else Decimal(max_value)
    step = Decimal(1).scaleb(-places)
    try:
        exact = number == number.quantize(step, rounding="ROUND_DOWN")
    except InvalidOperation:  # more digits than Decimal's precision (28): no amount of ours
        exact = False
    if (low is not None and number < low) or (high is not None and number > high) or not exact:
        raise ParseError(number_range_message(low, high, places))
    return number.quantize(step)


def date_window(today: date | None = None) -> tuple[date, date]:
    """The sane window for a date typed or imported today: 2000-01-01 .. today + 5 years."""
    today = today or clock.today()
    try:
        latest = today.replace(year=today.year + FUTURE_YEARS)
    except ValueError:  # 29 February
        latest = today.replace(year=today.year + FUTURE_YEARS, day=28)
    return EARLIEST_DATE, latest


def date_window_message(earliest: date, latest: date) -> str:
    """The one message for a date outside its window."""
    return f"Datoen skal ligge mellem {earliest:%d.%m.%Y} og {latest:%d.%m.%Y}."


def parse_day(
    value,
    *,
    earliest: date | None = None,
    latest: date | None = None,
    today: date | None = None,
) -> date:
    """A date from a date or a string (ÅÅÅÅ-MM-DD or DD.MM.ÅÅÅÅ), within its window.

    The window defaults to `date_window(today)`; pass earliest/latest to narrow or widen
    it. Raises ParseError(DATE_MESSAGE) for no date, ParseError(date_window_message(...))
    for a date outside the window.
    """
    default_earliest, default_latest = date_window(today)
    earliest = earliest or default_earliest
    latest = latest or default_latest
    if isinstance(value, date):
        day = value.date() if hasattr(value, "date") and callable(value.date) else value
    elif isinstance(value, str) and 0 < len(value.strip()) <= 20:
        day = _date_from_text(value.strip())
    else:
        raise ParseError(DATE_MESSAGE)
    if not earliest <= day <= latest:
        raise ParseError(date_window_message(earliest, latest))
    return day


def _date_from_text(text: str) -> date:
    from datetime import datetime

    for fmt in DATE_INPUT_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ParseError(DATE_MESSAGE)


# --- Form fields -----------------------------------------------------------------------------


class BoundedDecimalField(forms.Field):
    """A number field through `parse_number`: "25,5" and "25.5", no NaN or infinity, bounds.

    A text input with inputmode decimal (phones show the number pad with a comma); the
    initial value is shown with a Danish comma and without trailing zeros.
    """

    def __init__(self, *, min_value=None, max_value=None, places=2, **kwargs):
        self.min_value, self.max_value, self.places = min_value, max_value, places
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        for unused in ("max_digits", "decimal_places", "step_size", "max_length"):
            kwargs.pop(unused, None)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return _danish_number(Decimal(value))
        return value

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip()
        if value in self.empty_values:
            return None
        try:
            return parse_number(
                value, min_value=self.min_value, max_value=self.max_value, places=self.places
            )
        except ParseError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


class BoundedDateField(forms.DateField):
    """A date field through `parse_day`: ÅÅÅÅ-MM-DD or DD.MM.ÅÅÅÅ within the sane window.

    `earliest`/`latest` narrow or widen the window (dates or callables taking today).
    """

    def __init__(self, *, earliest=None, latest=None, **kwargs):
        self.earliest, self.latest = earliest, latest
        kwargs.setdefault("widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
        super().__init__(**kwargs)
        self.error_messages["invalid"] = DATE_MESSAGE

    def to_python(self, value):
        if value in self.empty_values:
            return None
        today = clock.today()
        earliest = self.earliest(today) if callable(self.earliest) else self.earliest
        latest = self.latest(today) if callable(self.latest) else self.latest
        try:
            return parse_day(value, earliest=earliest, latest=latest, today=today)
        except ParseError as exc:
            raise forms.ValidationError(str(exc), code="invalid") from None


def bounded_formfield(db_field, **kwargs):
    """A ModelForm's `formfield_callback`: model decimals and dates get the bounded fields.

    A decimal's bounds come from the column (max_digits, decimal_places) and its
    MinValueValidator; a date gets the sane window. Other fields are Django's own.
    """
    from django.core.validators import MinValueValidator
    from django.db import models

    if isinstance(db_field, models.DecimalField):
        places = db_field.decimal_places
        lows = [v.limit_value for v in db_field.validators if isinstance(v, MinValueValidator)]
        kwargs.update(
            form_class=BoundedDecimalField,
            min_value=max(lows) if lows else None,
            max_value=Decimal(10) ** (db_field.max_digits - places) - Decimal(1).scaleb(-places),
            places=places,
        )
    elif isinstance(db_field, models.DateField) and not isinstance(db_field, models.DateTimeField):
        kwargs["form_class"] = BoundedDateField
    return db_field.formfield(**kwargs)
