"""Every date and decimal input of every form of ours, rendered under Danish (issue 23).

A date input is drawn in ISO 8601, the only format `<input type=date>` keeps (the mentor's
hours form was drawn with "30.11.2026", the browser dropped it and saving said "Dette felt
er påkrævet"); a decimal input is a text field with inputmode decimal parsed by
codes.parse, so "25,5" and "25.5" are both 25.5 (the course form once made 255 of it).
"""

import importlib
import inspect
from datetime import date
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

from codes.parse import BoundedDecimalField


def _our_forms():
    found = []
    for config in apps.get_app_configs():
        if not str(config.path).startswith(str(settings.BASE_DIR)):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and hasattr(cls, "base_fields")
                and cls.__module__ == module.__name__
            ):
                found.append(cls)
    return found


OUR_FORMS = _our_forms()
DATE_FIELDS = [
    (form, name, field)
    for form in OUR_FORMS
    for name, field in form.base_fields.items()
    if isinstance(field.widget, forms.DateInput)
]
NUMBER_FIELDS = [
    (form, name, field)
    for form in OUR_FORMS
    for name, field in form.base_fields.items()
    if isinstance(field, forms.DecimalField | BoundedDecimalField)
]


def test_the_scan_finds_the_forms_it_is_about():
    names = {form.__name__ for form in OUR_FORMS}
    assert {"MentorHoursForm", "MentorGrantForm", "CourseStartForm", "ContractForm"} <= names
    assert len(DATE_FIELDS) > 10 and len(NUMBER_FIELDS) > 5


@pytest.mark.parametrize(
    ("form", "name", "field"), DATE_FIELDS, ids=[f"{f.__name__}.{n}" for f, n, _x in DATE_FIELDS]
)
def test_every_date_widget_is_drawn_in_iso_under_danish(form, name, field):
    with translation.override("da"):
        html = field.widget.render(name, date(2026, 11, 30))
    assert 'value="2026-11-30"' in html, f"{form.__name__}.{name}: {html}"


def test_a_plain_django_date_input_is_iso_too():
    """The cause, fixed where it lives (config/formats/da): not one widget at a time."""
    with translation.override("da"):
        html = forms.DateInput(attrs={"type": "date"}).render("d", date(2026, 11, 30))
        shown = Template("{{ d|date }}").render(Context({"d": date(2026, 11, 30)}))
    assert 'value="2026-11-30"' in html
    assert shown == "30. november 2026"  # dates are still shown the Danish way


@pytest.mark.parametrize(
    ("form", "name", "field"),
    NUMBER_FIELDS,
    ids=[f"{f.__name__}.{n}" for f, n, _x in NUMBER_FIELDS],
)
def test_every_decimal_field_reads_comma_and_point_alike(form, name, field):
    assert isinstance(field, BoundedDecimalField), (
        f"{form.__name__}.{name} is Django's DecimalField: under 'da' it reads '4.5' as 45"
    )
    assert field.widget.attrs.get("inputmode") == "decimal"
    with translation.override("da"):
        assert field.clean("2,5") == field.clean("2.5") == Decimal("2.5")
