"""Mentor support as a grant (issue 20, part 4): per person or per place, for a period of
at most 6 months per agreement (LAB § 167), hours x rate, and billed from the grants."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from billing.selectors import contract_payments
from billing.totals import contract_payment_totals
from contracts.models import PaymentModel
from mentors import rules
from mentors.services import mentor_grant_create, mentor_grant_extend

from .conftest import contract, course

D = Decimal


def test_an_agreement_runs_at_most_6_months_and_is_extended_by_a_new_one():
    assert rules.grant_latest_end(date(2026, 1, 1)) == date(2026, 6, 30)
    assert rules.grant_latest_end(date(2026, 3, 15)) == date(2026, 9, 14)
    assert rules.grant_latest_end(date(2026, 8, 31)) == date(2027, 2, 27)  # 28.2 - 1 day
    ok = {"hours_per_week": D(5), "hourly_rate": D(200)}
    assert rules.grant_problem(start=date(2026, 1, 1), end=date(2026, 6, 30), **ok) is None
    assert "højst 6 måneder, her til og med 30.06.2026" in rules.grant_problem(
        start=date(2026, 1, 1), end=date(2026, 7, 1), **ok
    )
    assert rules.extension_start(date(2026, 6, 30)) == date(2026, 7, 1)
    assert rules.grant_problem(
        start=date(2026, 1, 1), end=date(2026, 2, 1), hours_per_week=D(0), hourly_rate=D(1)
    )
    assert rules.periods_overlap((date(2026, 1, 1), date(2026, 1, 31)), (date(2026, 1, 31),) * 2)
    assert not rules.periods_overlap(
        (date(2026, 1, 1), date(2026, 1, 30)), (date(2026, 1, 31),) * 2
    )
    assert rules.ovo_per_person(spending=D("1060200"), full_time_persons=D("100.0")) == 10602


@pytest.fixture
def frikob(centre):
    with schema_context("alpha"):
        return contract(
            centre,
            start=date(2026, 1, 5),
            end=date(2026, 12, 31),
            payment_model=PaymentModel.MENTOR_HOURS,
            payment_amount=None,
            payment_hours_per_week=D("10.0"),
            payment_hourly_rate=D("212.50"),
        )


def test_grants_per_place_and_per_person_are_billed_instead_of_the_agreed_hours(frikob, konsulent):
    with schema_context("alpha"):
        place = frikob.place_set.get(number=1)
        person = course(frikob, start=date(2026, 2, 2), planned_end=date(2026, 5, 3), place=2)
        mentor_grant_create(
            place=place,
            start=date(2026, 2, 4),
            end=date(2026, 8, 3),
            hours_per_week=D("6.0"),
            hourly_rate=D("200.00"),
            acting_user=konsulent,
        )
        mentor_grant_create(
            place=person.place,
            course=person,
            start=date(2026, 2, 2),
            end=date(2026, 2, 15),
            hours_per_week=D("3.0"),
            hourly_rate=D("250.00"),
            acting_user=konsulent,
        )
        # February, place grant from Wed 4.2: 4.-8.2 = 5/7 x 6 h x 200 = 857.14; 9.2 and
        # 16.2 1,200.00 each; 23.-28.2 = 6/7 -> 1,028.57. Person grant: two full weeks of
        # 3 h x 250 = 750.00. The contract's own 10 h x 212.50 is not paid beside them.
        expected = D("857.14") + 2 * D("1200.00") + D("1028.57") + 2 * D("750.00")
        assert expected == D("5785.71")
        february = (date(2026, 2, 1), date(2026, 2, 28))
        assert contract_payments(contract=frikob, start=february[0], end=february[1]) == expected
        assert contract_payment_totals(start=february[0], end=february[1]) == {frikob.pk: expected}
        # September: both grants have ended, nothing more is paid for mentor support.
        assert contract_payments(
            contract=frikob, start=date(2026, 9, 1), end=date(2026, 9, 30)
        ) == D("0.00")


def test_a_grant_beyond_6_months_or_overlapping_is_refused_and_extension_follows_on(
    frikob, centre, konsulent
):
    with schema_context("alpha"):
        place = frikob.place_set.get(number=1)
        terms = {"hours_per_week": D(5), "hourly_rate": D(200), "acting_user": konsulent}
        with pytest.raises(ValidationError, match="højst 6 måneder, her til og med 03.08.2026"):
            mentor_grant_create(place=place, start=date(2026, 2, 4), end=date(2026, 8, 4), **terms)
        grant = mentor_grant_create(
            place=place, start=date(2026, 2, 4), end=date(2026, 8, 3), **terms
        )
        with pytest.raises(ValidationError, match="to aftaler kan ikke løbe samtidig"):
            mentor_grant_create(place=place, start=date(2026, 8, 1), end=date(2026, 9, 1), **terms)
        longer = mentor_grant_extend(grant=grant, end=date(2026, 12, 31), acting_user=konsulent)
        assert (longer.start, longer.extends_id, longer.hours_per_week) == (
            date(2026, 8, 4),
            grant.pk,
            D(5),
        )
        with pytest.raises(ValidationError, match="allerede forlænget"):
            mentor_grant_extend(grant=grant, end=date(2027, 1, 1), acting_user=konsulent)
        monthly = contract(centre, start=date(2026, 1, 1), end=date(2026, 12, 31))
        with pytest.raises(ValidationError, match="betaler ikke mentorstøtte"):
            mentor_grant_create(
                place=monthly.place_set.get(number=1),
                start=date(2026, 2, 1),
                end=date(2026, 3, 1),
                **terms,
            )


def test_the_kpi_page_shows_the_centres_mentor_spending_per_full_time_person_beside_the_cap(
    frikob, konsulent, chef, login, client_a
):
    with schema_context("alpha"):
        mentor_grant_create(
            place=frikob.place_set.get(number=1),
            start=date(2026, 2, 4),
            end=date(2026, 8, 3),
            hours_per_week=D("6.0"),
            hourly_rate=D("200.00"),
            acting_user=konsulent,
        )
    login("alpha", user=chef)
    response = client_a.post(
        "/statistik/indstillinger/",
        {
            "yearly_benefit_saving": "32500",
            "form-TOTAL_FORMS": "0",
            "form-INITIAL_FORMS": "0",
            "ovo-TOTAL_FORMS": "1",
            "ovo-INITIAL_FORMS": "0",
            "ovo-0-year": "2026",
            "ovo-0-cap_per_person": "10602",
            "ovo-0-full_time_persons": "10,0",
            "ovo-0-other_spending": "50000",
        },
    )
    assert response.status_code == 302
    page = client_a.get("/statistik/?period_from=2026-01-01&period_to=2026-02-28")
    html = page.content.decode()
    # February's place grant: 857.14 + 2 x 1,200.00 + 1,028.57 = 4,285.71 kr., over 10
    # full-time persons 428.571 -> 429 kr.; other 50,000 / 10 = 5,000; cap 10,602:
    # 10,602 - 429 - 5,000 = 5,173 kr. left.
    assert "Virksomhedscentrenes andel" in html
    assert "4.285,71" in html
    section = html[html.index('id="ovo-centres"') :]
    assert "429" in section.split("</tr>")[0]
    assert "10.602" in section
    assert "5.173" in section
    # A bad year is refused in Danish and stores nothing.
    response = client_a.post(
        "/statistik/indstillinger/",
        {
            "yearly_benefit_saving": "32500",
            "form-TOTAL_FORMS": "0",
            "form-INITIAL_FORMS": "0",
            "ovo-TOTAL_FORMS": "2",
            "ovo-INITIAL_FORMS": "0",
            "ovo-0-year": "2025",
            "ovo-0-cap_per_person": "1",
            "ovo-0-full_time_persons": "1",
            "ovo-0-other_spending": "0",
        },
    )
    assert "Loftet gælder fra 2026" in response.content.decode()
    from mentors.models import OvoYear

    with schema_context("alpha"):
        assert list(OvoYear.objects.values_list("year", flat=True)) == [2026]


def test_the_kpi_page_shows_the_mentor_spending_stored_with_its_figures_until_computed_again(
    frikob, konsulent, chef, login, client_a
):
    from reports.kpi.figures import kpi_store

    def grant(number):
        mentor_grant_create(
            place=frikob.place_set.get(number=number),
            start=date(2026, 2, 4),
            end=date(2026, 8, 3),
            hours_per_week=D("6.0"),
            hourly_rate=D("200.00"),
            acting_user=konsulent,
        )

    period = {"period_from": date(2026, 1, 1), "period_to": date(2026, 2, 28)}
    with schema_context("alpha"):
        grant(1)
        kpi_store(**period, job_run_id=None)
        grant(2)  # after the computation
    login("alpha", user=chef)
    url = "/statistik/?period_from=2026-01-01&period_to=2026-02-28"
    html = client_a.get(url).content.decode()
    box = html[html.index('id="h-ovo"') :]
    # As computed with the figures (one grant: 4,285.71 kr.), and said so.
    assert "Virksomhedscentrenes andel i år: 4.285,71 kr." in box
    assert "Beregnet med nøgletallene" in box
    with schema_context("alpha"):
        kpi_store(**period, job_run_id=None)
    html = client_a.get(url).content.decode()
    assert "Virksomhedscentrenes andel i år: 8.571,42 kr." in html[html.index('id="h-ovo"') :]


def test_the_jobkonsulent_grants_and_extends_on_the_contracts_page_others_get_404(
    frikob, login, client_a, client_b, tenant_b
):
    from mentors.models import MentorGrant

    url = f"/mentor/konsulent/kontrakt/{frikob.pk}/mentorstoette/"
    with schema_context("alpha"):
        place = frikob.place_set.get(number=1)
    login("alpha", "jobkonsulent")
    too_long = {
        "place": str(place.pk),
        "course": "",
        "start": "2026-02-04",
        "end": "2026-08-04",
        "hours_per_week": "4,5",
        "hourly_rate": "210",
    }
    response = client_a.post(url, too_long)
    assert response.status_code == 400
    assert "højst 6 måneder, her til og med 03.08.2026" in response.content.decode()
    response = client_a.post(url, too_long | {"end": "2026-08-03"})
    assert response.status_code == 302
    with schema_context("alpha"):
        grant = MentorGrant.objects.get()
    assert (grant.hours_per_week, grant.course_id) == (D("4.5"), None)
    response = client_a.post(
        f"/mentor/konsulent/mentorstoette/{grant.pk}/forlaeng/", {"end": "2026-12-31"}
    )
    assert response.status_code == 302
    page = client_a.get(url).content.decode()
    assert "04.08.2026–31.12.2026" in page
    # A mentor of this jobcentre and a jobkonsulent of another see nothing.
    login("alpha", "mentor")
    assert client_a.get(url).status_code == 404
    login(tenant_b, "jobkonsulent", email="k2@beta.test")
    assert client_b.get(url).status_code == 404
