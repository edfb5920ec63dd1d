"""codes.parse: the one parser of typed and imported numbers and dates (issue 17, finding 8)."""

from datetime import date
from decimal import Decimal

import pytest

from codes import parse


@pytest.mark.parametrize("text", ["25,5", "25.5", " 25,50 ", Decimal("25.5"), "25,500"])
def test_danish_and_english_decimals_are_the_same_number(text):
    assert parse.parse_number(text, places=1) == Decimal("25.5")


@pytest.mark.parametrize(
    "text",
    ["NaN", "nan", "sNaN", "-sNaN", "Infinity", "-inf", "1,000.5", "1.500", "fire", "", True, None],
)
def test_nan_infinity_and_words_are_not_numbers(text):
    with pytest.raises(parse.ParseError, match="Skal være et tal"):
        parse.parse_number(text)


def test_bounds_and_decimals_share_one_message():
    with pytest.raises(parse.ParseError) as low:
        parse.parse_number("-1", min_value=0, max_value=60, places=1)
    with pytest.raises(parse.ParseError) as places:
        parse.parse_number("2,25", min_value=0, max_value=60, places=1)
    assert str(low.value) == str(places.value) == "Skriv et tal mellem 0 og 60 med højst 1 decimal."


def test_trailing_zeros_are_not_decimals():
    """The contract form's own initial "10.00" is 10 hours for a one-decimal column."""
    assert parse.parse_number("10.00", places=1) == Decimal("10.0")


def test_dates_lie_in_the_window_2000_to_five_years_ahead():
    today = date(2025, 3, 5)
    assert parse.date_window(today) == (date(2000, 1, 1), date(2030, 3, 5))
    assert parse.parse_day("05.03.2025", today=today) == today
    assert parse.parse_day("2030-03-05", today=today) == date(2030, 3, 5)
    for far in ("0001-01-01", "9999-12-27", "9999-12-31", "1999-12-31", "2030-03-06"):
        with pytest.raises(parse.ParseError, match="Datoen skal ligge mellem 01.01.2000"):
            parse.parse_day(far, today=today)
    for bad in ("2025-02-30", "i går", "", "x" * 50, 20250101):
        with pytest.raises(parse.ParseError, match="Ugyldig dato"):
            parse.parse_day(bad, today=today)
    assert parse.parse_day("1960-05-01", earliest=parse.BIRTH_EARLIEST_DATE, today=today)


@pytest.mark.parametrize("text", ["-100000000000000000000000000", "9" * 30, "1" * 27 + ",5"])
def test_a_number_longer_than_decimals_precision_is_refused_not_a_crash(text):
    """make fuzz found it (kpi settings, 1,000 examples): quantizing 27 digits to two
    decimals overflows Decimal's 28-digit precision; it is a number out of bounds."""
    with pytest.raises(parse.ParseError):
        parse.parse_number(text)
    with pytest.raises(parse.ParseError):
        parse.parse_number(text, min_value=0, max_value=10**9)
