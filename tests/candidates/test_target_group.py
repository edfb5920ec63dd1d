"""The candidate's target group (LAB § 6) and the rules version on the way through a centre:
recorded at visitation with its date and history, stored on the course, applied by course
start, extension, the due list and the import (issue 20, part 1)."""

import copy
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from candidates.models import Course, TargetGroupChange
from candidates.selectors import courses_due_for_follow_up
from candidates.services import (
    candidate_set_target_group,
    course_extend,
    course_start,
    referral_create,
)
from dataimport.validation import ExistingRefs, validate
from tests.conftest import TODAY
from tests.domain.test_import import GOOD
from tests.factories import CandidateFactory, ContractFactory

MONDAY = date(2025, 6, 2)  # TODAY


def _start(candidate, contract, consultant, **kw):
    return course_start(
        candidate=candidate,
        contract=contract,
        start=MONDAY,
        hours_per_week=Decimal(10),
        acting_user=consultant,
        **kw,
    )


def test_an_insured_unemployed_persons_course_is_planned_4_weeks_and_refused_from_day_29(people):
    consultant = people["jobkonsulent"]
    with schema_context("alpha"):
        candidate = CandidateFactory(benefit="forsikret_ledig", target_group="dagpenge")
        course = _start(candidate, ContractFactory(), consultant)
        assert (course.target_group, course.rules_version) == ("dagpenge", "lab-2020")
        assert course.planned_end == MONDAY + timedelta(days=27)  # 4 weeks, not the contract's 13
        with pytest.raises(ValidationError, match="højst være i virksomhedspraktik i 4 uger"):
            course_extend(
                course=course,
                new_planned_end=MONDAY + timedelta(days=28),  # day 29
                reason="Individuel vurdering",
                representatives_consulted_on=MONDAY,
                acting_user=consultant,
            )
        course.refresh_from_db()
        assert course.planned_end == MONDAY + timedelta(days=27) and not course.extensions.exists()


def test_beyond_26_weeks_the_very_special_need_is_stored_in_its_own_field(people):
    consultant = people["jobkonsulent"]
    with schema_context("alpha"):
        course = _start(CandidateFactory(), ContractFactory(end=date(2027, 6, 30)), consultant)
        week = {w: course.start + timedelta(weeks=w, days=-1) for w in (13, 26, 39)}
        assert course.planned_end == week[13]
        args = {"reason": "Vurdering", "representatives_consulted_on": MONDAY}
        course_extend(course=course, new_planned_end=week[26], acting_user=consultant, **args)
        with pytest.raises(ValidationError, match="helt særligt behov"):
            course_extend(course=course, new_planned_end=week[39], acting_user=consultant, **args)
        extension = course_extend(
            course=course,
            new_planned_end=week[39],
            very_special_need="Ansættelse i sigte efter sæsonen",
            acting_user=consultant,
            **args,
        )
        assert extension.very_special_need == "Ansættelse i sigte efter sæsonen"
        assert course.extensions.count() == 2


def test_a_course_start_asks_for_the_target_group_and_visitation_records_it_with_history(
    people,
):
    consultant = people["jobkonsulent"]
    with schema_context("alpha"):
        candidate = CandidateFactory(target_group="ikke_angivet")
        contract = ContractFactory()
        with pytest.raises(ValidationError, match="Angiv kandidatens målgruppe"):
            _start(candidate, contract, consultant)
        assert not Course.objects.exists()
        course = _start(candidate, contract, consultant, target_group="jobparat_kontanthjaelp")
        candidate.refresh_from_db()
        assert candidate.target_group == "jobparat_kontanthjaelp"
        (change,) = candidate.target_group_changes.all()
        assert (change.valid_from, change.source, change.created_by) == (
            MONDAY,
            "visitation",
            consultant,
        )
        assert course.target_group == "jobparat_kontanthjaelp" and course.limits.initial_weeks == 4
        # An older change fills in the history; the latest date stays the current group.
        candidate_set_target_group(
            candidate=candidate,
            target_group="aktivitetsparat_kontanthjaelp",
            valid_from=MONDAY - timedelta(days=30),
            acting_user=consultant,
        )
        candidate.refresh_from_db()
        assert candidate.target_group == "jobparat_kontanthjaelp"
        assert candidate.target_group_changes.count() == 2
        assert AuditEvent.objects.filter(action="candidate.target_group").count() == 2


def test_visitation_form_takes_the_target_group_and_the_course_page_shows_version_and_group(
    as_role, centre_setup, people
):
    with schema_context("alpha"):
        candidate = centre_setup["candidate"]
        candidate.target_group = "ikke_angivet"
        candidate.save()
        referral = referral_create(
            candidate=candidate,
            reason="Afklaring",
            wishes="",
            referred_on=TODAY,
            acting_user=people["sagsbehandler"],
        )
    client = as_role("jobkonsulent")
    url = f"/kandidater/henvisninger/{referral.pk}/visitation/"
    data = {
        "contract": centre_setup["contract"].pk,
        "start": "2025-06-02",
        "hours_per_week": "10",
        "legal_frame": "virksomhedspraktik",
    }
    page = client.get(url).content.decode()
    assert 'name="target_group"' in page and '<option value="ikke_angivet" selected>' in page
    refused = client.post(url, {**data, "target_group": "ikke_angivet"})
    assert refused.status_code == 200 and "Angiv kandidatens målgruppe" in refused.content.decode()
    response = client.post(url, {**data, "target_group": "uddannelsesparat"})
    assert response.status_code == 302
    with schema_context("alpha"):
        course = Course.objects.get()
    assert course.planned_end == date(2025, 6, 29)  # 4 weeks for the education-ready
    page = client.get(f"/kandidater/forloeb/{course.pk}/").content.decode()
    assert "Uddannelsesparat uddannelseshjælpsmodtager" in page
    assert "LAB § 61 (lov nr. 548 af 7. maj 2019, LBK nr. 280 af 1. marts 2024)" in page
    assert "kan ikke forlænges" in page


def test_the_candidate_page_records_a_target_group_change_and_shows_the_history(
    as_role, centre_setup
):
    candidate = centre_setup["candidate"]
    client = as_role("jobkonsulent")
    response = client.post(
        f"/kandidater/{candidate.pk}/maalgruppe/",
        {"target_group": "sygedagpenge", "valid_from": "2025-05-01"},
    )
    assert response.status_code == 302
    bad = client.post(
        f"/kandidater/{candidate.pk}/maalgruppe/",
        {"target_group": "ikke_angivet", "valid_from": "2025-05-01"},
    )
    assert bad.status_code == 302
    page = client.get(f"/kandidater/{candidate.pk}/").content.decode()
    assert "Sygedagpengemodtager" in page and "01.05.2025" in page
    with schema_context("alpha"):
        assert TargetGroupChange.objects.filter(candidate=candidate).count() == 1
    # a sagsbehandler reads the page but cannot change the group
    assert as_role("sagsbehandler").post(
        f"/kandidater/{candidate.pk}/maalgruppe/",
        {"target_group": "dagpenge", "valid_from": "2025-05-01"},
    ).status_code in (302, 403)
    with schema_context("alpha"):
        candidate.refresh_from_db()
        assert candidate.target_group == "sygedagpenge"


def test_the_candidate_pages_form_offers_the_current_group_from_today_to_managers_only(
    as_role, centre_setup
):
    """The form is rendered once per group, day and language (candidates.forms): it still
    selects the candidate's current group, after a change too, and dates from today."""
    candidate = centre_setup["candidate"]
    client = as_role("jobkonsulent")
    url = f"/kandidater/{candidate.pk}/"
    selected = '<option value="{}" selected>'
    page = client.get(url).content.decode()
    assert f'name="valid_from" value="{TODAY:%Y-%m-%d}"' in page
    assert f'action="{url}maalgruppe/"' in page
    client.post(f"{url}maalgruppe/", {"target_group": "sygedagpenge", "valid_from": "2025-05-01"})
    page = client.get(url).content.decode()
    assert selected.format("sygedagpenge") in page and page.count(" selected>") == 1
    assert "maalgruppe/" not in as_role("sagsbehandler").get(url).content.decode()


def test_the_due_list_says_a_4_week_course_cannot_be_extended(people):
    consultant = people["jobkonsulent"]
    with schema_context("alpha"):
        from tests.factories import CentreFactory

        contract = ContractFactory(centre=CentreFactory(consultant=consultant))
        _start(CandidateFactory(target_group="dagpenge"), contract, consultant)
        _start(CandidateFactory(), contract, consultant)
        items = courses_due_for_follow_up(today=MONDAY + timedelta(days=20), consultant=consultant)
    texts = [i.text for i in items if i.kind == "extension"]
    assert texts == [
        "Passerer 4 uger den 29.06.2025: målgruppen kan ikke forlænges: beslut udslusning"
    ]


EXISTING = ExistingRefs(
    companies=set(),
    centres=set(),
    contracts={},
    candidates={"p2"},
    courses={},
    consultants={"konsulent@alpha.test": 1},
)


def _candidates(data):
    rows, problems = validate(data, existing=EXISTING, today=date(2026, 10, 31))
    return rows["sections"]["candidates"], [str(p) for p in problems]


def test_the_import_takes_maalgruppe_or_the_benefits_default():
    data = copy.deepcopy(GOOD)
    first, second = data["candidates"][:2]
    first["benefit"] = "forsikret_ledig"
    second.pop("maalgruppe", None)
    rows, problems = _candidates(data)
    assert problems == []
    assert rows[first["ref"]]["target_group"] == "dagpenge"  # new: the benefit's default
    assert "target_group" not in rows[second["ref"]]  # known: keeps its registered group
    first["maalgruppe"] = "aktivitetsparat_kontanthjaelp"
    rows, problems = _candidates(data)
    assert rows[first["ref"]]["target_group"] == "aktivitetsparat_kontanthjaelp"
    first["maalgruppe"] = "jobparat"
    _rows, problems = _candidates(data)
    assert len(problems) == 1 and "maalgruppe: ukendt kode 'jobparat'" in problems[0]


@pytest.mark.usefixtures("tenant_a")
def test_the_migration_derives_the_group_from_an_unambiguous_benefit_only():
    from django.apps import apps

    from tests.conftest import ROOT

    (path,) = (ROOT / "candidates" / "migrations").glob("*_target_group.py")
    migration = __import__(f"candidates.migrations.{path.stem}", fromlist=["derive_target_groups"])
    with schema_context("alpha"):
        insured = CandidateFactory(benefit="forsikret_ledig", target_group="ikke_angivet")
        cash = CandidateFactory(benefit="kontanthjaelp", target_group="ikke_angivet")
        migration.derive_target_groups(apps, None)
        insured.refresh_from_db()
        cash.refresh_from_db()
        assert (insured.target_group, cash.target_group) == ("dagpenge", "ikke_angivet")
        (change,) = TargetGroupChange.objects.filter(candidate=insured)
        assert change.source == "migrering"
        assert not TargetGroupChange.objects.filter(candidate=cash).exists()
