"""One formatting path for numbers and money (codes/numbers.py, issue 22)."""

from decimal import Decimal

from django.template import Context, Template

from codes.numbers import hours, money, number


def test_danish_thousands_separator_and_decimal_comma():
    assert money(Decimal("864825.68")) == "864.825,68 kr."
    assert money(7500) == "7.500,00 kr."
    assert money("0.005") == "0,01 kr."  # øre rounded half-up, as billing rounds
    assert number(Decimal("1234567.5")) == "1.234.567,5"
    assert number(Decimal("10.00")) == "10"
    assert number(Decimal("2.5"), 0) == "3"
    assert hours(Decimal("6.5")) == "6,5 t"


def test_a_missing_figure_is_a_dash_and_text_is_left_alone():
    assert money(None) == "–"
    assert number("") == "–"
    assert number(Decimal("NaN")) == "–"
    assert number("ikke et tal") == "ikke et tal"


def test_the_template_filters_are_the_same_path():
    out = Template("{{ a|kr }} {{ b|tal:1 }} {{ c|timer }}").render(
        Context({"a": Decimal("864825.68"), "b": Decimal("1234.56"), "c": Decimal("6.5")})
    )
    assert out == "864.825,68 kr. 1.234,6 6,5 t"
