"""Issue 17, finding 8 on the contract form: the new contract form refused its own pre-filled
"10.00" mentor hours (an initial with two decimals for a one-decimal column); NaN amounts
and impossible dates are refused in Danish and create nothing."""

from html.parser import HTMLParser

import pytest
from django_tenants.utils import schema_context

from contracts.models import Contract

from .test_lifecycle import FORM


class FormValues(HTMLParser):
    """What a browser would post back from the page's form, untouched."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, list[str]] = {}
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and name != "csrfmiddlewaretoken":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            if a.get("type") in ("submit", "button"):
                return
            self.values.setdefault(name, []).append(a.get("value") or "")
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = [""]
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.values.setdefault(self._select, []).append(a.get("value") or "")

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def test_the_new_contract_form_saves_its_own_prefilled_values(login, client_a, konsulent, centre_a):
    login("alpha", user=konsulent)
    page = client_a.get(f"/kontrakter/ny/?centre={centre_a.pk}").content.decode()
    parser = FormValues()
    parser.feed(page[page.index('<form method="post"') :])
    values = parser.values
    assert values["mentor_hours_per_week"] == ["10"]
    response = client_a.post("/kontrakter/ny/", values)
    assert response.status_code == 302, response.content.decode()[:3000]
    with schema_context("alpha"):
        assert Contract.objects.get().mentor_hours_per_week == 10


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("mentor_hours_per_week", "NaN", "Skal være et tal"),
        ("payment_amount", "sNaN", "Skal være et tal"),
        ("establishment_amount", "Infinity", "Skal være et tal"),
        ("mentor_hours_per_week", "10,55", "med højst 1 decimal"),
        ("start", "0001-01-01", "Datoen skal ligge mellem"),
        ("end", "9999-12-31", "Datoen skal ligge mellem"),
    ],
)
def test_contract_numbers_and_dates_out_of_bounds_are_refused(
    login, client_a, konsulent, centre_a, field, value, message
):
    login("alpha", user=konsulent)
    response = client_a.post("/kontrakter/ny/", FORM | {"centre": centre_a.pk, field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    with schema_context("alpha"):
        assert not Contract.objects.exists()
