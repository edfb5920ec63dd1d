"""{% load numbers %}: the template side of codes.numbers (one formatting path)."""

from django import template

from codes import numbers

register = template.Library()


@register.filter
def kr(value) -> str:
    """{{ amount|kr }} -> "7.500,00 kr." """
    return numbers.money(value)


@register.filter
def tal(value, decimals=None) -> str:
    """{{ value|tal }} -> "1.234,5"; {{ value|tal:0 }} -> "1.235"."""
    return numbers.number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def timer(value) -> str:
    """{{ hours|timer }} -> "6,5 t"."""
    return numbers.hours(value)
