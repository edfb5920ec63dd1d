"""codes/: the ground floor's shared rules (CPR, CVR, the clock) and its promise to import
no project app."""

import ast
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from codes import clock
from codes.cpr import (
    CPR_INVALID_MESSAGE,
    cpr_birth_date,
    cpr_birth_dates,
    cpr_clean,
    cpr_masked,
    cpr_normalise,
    validate_cpr,
)
from codes.cvr import cvr_is_valid, p_number_is_valid
from tests.conftest import ROOT

PROJECT_APPS = {
    "accounts",
    "audit",
    "billing",
    "candidates",
    "centers",
    "config",
    "contracts",
    "dataimport",
    "mentors",
    "reports",
    "tenants",
}


@pytest.mark.parametrize("typed", ["0203851234", "020385-1234", " 020385 1234 ", "020385 - 1234"])
def test_a_cpr_number_is_normalised_from_dash_and_spaces(typed):
    assert cpr_normalise(typed) == "0203851234"
    assert cpr_clean(typed) == "0203851234"


def test_cpr_normalise_keeps_what_the_check_must_refuse():
    assert cpr_normalise(None) == ""
    assert cpr_normalise("02038x1234") == "02038x1234"


@pytest.mark.parametrize("bad", ["", "123", "3002851234", "0203851234x", "020385123"])
def test_an_invalid_cpr_number_is_refused_with_the_one_danish_message(bad):
    with pytest.raises(ValidationError) as refused:
        cpr_clean(bad)
    assert refused.value.messages == [CPR_INVALID_MESSAGE]
    with pytest.raises(ValidationError):
        validate_cpr(bad)


def test_six_cpr_digits_stand_for_their_date_in_each_century_that_has_it():
    assert cpr_birth_dates("170590") == [date(1890, 5, 17), date(1990, 5, 17), date(2090, 5, 17)]
    assert cpr_birth_dates("290200") == [date(2000, 2, 29)]  # 1800 and 1900: no leap year
    assert cpr_birth_dates("310490") == [] and cpr_birth_dates("1705") == []


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("0203851234", date(1985, 3, 2)),  # 7th digit 0-3: 1900s
        ("1107034321", date(2003, 7, 11)),  # 4 and 00-36: 2000s
        ("1107404321", date(1940, 7, 11)),  # 4 and 37-99: 1900s
        ("0101575000", date(2057, 1, 1)),  # 5-8 and 00-57: 2000s
        ("0101585000", date(1858, 1, 1)),  # 5-8 and 58-99: 1800s
    ],
)
def test_the_century_follows_the_seventh_digit(cpr, born):
    assert cpr_birth_date(cpr) == born


def test_a_cpr_number_is_masked_on_screen():
    assert cpr_masked("0203851234") == "020385-XXXX"
    assert cpr_masked("") == "XXXXXX-XXXX"


def test_cvr_and_p_numbers():
    assert cvr_is_valid("35954716")
    assert not cvr_is_valid("35954717")  # modulus 11
    assert not cvr_is_valid("05954716")  # never starts with 0
    assert p_number_is_valid("1012345678") and not p_number_is_valid("101234567")


def test_the_clock_is_todays_date_in_the_jobcentres_time_zone(settings, monkeypatch):
    assert settings.TIME_ZONE == "Europe/Copenhagen"
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2025, 6, 2))
    assert clock.today() == date(2025, 6, 2)


def test_codes_imports_no_project_app():
    for path in sorted(Path(ROOT, "codes").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                assert name.split(".")[0] not in PROJECT_APPS, f"{path.name} imports {name}"
