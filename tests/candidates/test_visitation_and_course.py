"""Steps 2-7: visitation, forløb, opfølgning, forlængelse, udslusning, follow-up after."""

from datetime import date, timedelta

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from candidates.models import Course, FollowUpNote, Goal, Referral
from candidates.selectors import centres_ranked_for_referral, courses_due_for_follow_up
from candidates.services import referral_create
from tests.conftest import TODAY
from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory


@pytest.fixture
def waiting(centre_setup, people):
    with schema_context("alpha"):
        centre_setup["candidate"].barriers = ["sprog"]
        centre_setup["candidate"].save()
        referral = referral_create(
            candidate=centre_setup["candidate"],
            reason="Afklaring",
            wishes="Gerne butikken, evt. kasse",
            referred_on=TODAY - timedelta(days=12),
            acting_user=people["sagsbehandler"],
        )
    return referral


@pytest.mark.usefixtures("people")
def test_visitation_ranks_centres_and_explains_why(as_role, waiting, centre_setup):
    with schema_context("alpha"):
        strict = CentreFactory(
            name="Vagtcentralen", work_tasks=["vagt"], requires_clean_record=True
        )
        ContractFactory(centre=strict)
        full = CentreFactory(name="Fuld Fabrik", work_tasks=["produktion"])
        full_contract = ContractFactory(centre=full, places=1)
        CourseFactory(contract=full_contract, start=TODAY - timedelta(days=80))
        centre_setup["contract"].target_barriers = ["sprog"]
        centre_setup["contract"].save()
    body = as_role("jobkonsulent").get(f"/kandidater/henvisninger/{waiting.pk}/visitation/")
    assert body.status_code == 200
    text = body.content.decode()
    assert "Centrets arbejdsopgaver passer til kandidatens ønske om butik." in text
    assert "Kontraktens målgruppe omfatter kandidatens barriere: sprog." in text
    assert "Centret har 4 ledige pladser nu." in text
    assert text.index("Brugsen Nord") < text.index("Vagtcentralen") < text.index("Fuld Fabrik")
    # The full one's course ends within 14 days: its place can be booked from the day after.
    assert "men en plads bliver ledig den 13.06.2025; forløbet kan starte den dag." in text


def test_criminal_record_excludes_a_centre_that_requires_a_clean_one(centre_setup, people):
    with schema_context("alpha"):
        centre_setup["centre"].requires_clean_record = True
        centre_setup["centre"].save()
        candidate = CandidateFactory(barriers=["kriminalitet"], birth_date=date(1980, 1, 1))
        referral = referral_create(
            candidate=candidate,
            reason="Afklaring",
            wishes="",
            referred_on=TODAY,
            acting_user=people["sagsbehandler"],
        )
        (fit,) = centres_ranked_for_referral(referral=referral, today=TODAY)
    assert fit.blocked and not fit.can_start_now
    assert fit.excluded == "Centret kræver ren straffeattest, og kandidaten har oplyst en dom."
    assert "Kandidaten er 45 år og uden for kontraktens målgruppe på 18-24 år." in fit.reasons


def test_a_place_freeing_within_14_days_is_booked_from_that_day(
    as_role, waiting, centre_setup, people
):
    with schema_context("alpha"):
        contract = centre_setup["contract"]
        contract.places = 1
        contract.save()
        leaving = CourseFactory(
            contract=contract, start=TODAY - timedelta(days=80), planned_end=TODAY + timedelta(6)
        )
    client = as_role("jobkonsulent")
    url = f"/kandidater/henvisninger/{waiting.pk}/visitation/"
    text = client.get(url).content.decode()
    assert "men en plads bliver ledig den 09.06.2025; forløbet kan starte den dag." in text
    assert 'name="start" value="2025-06-09"' in text
    response = client.post(
        url,
        {
            "contract": contract.pk,
            "start": "2025-06-09",
            "hours_per_week": "10",
            "legal_frame": "virksomhedspraktik",
        },
        follow=True,
    )
    assert "det starter 09.06.2025" in response.content.decode()
    with schema_context("alpha"):
        booked = Course.objects.get(candidate=centre_setup["candidate"])
        assert booked.start == date(2025, 6, 9) and booked.place == leaving.place
        # The leaving course cannot now run past the booked start: refused in Danish.
        from django.core.exceptions import ValidationError

        from candidates.services import course_extend

        with pytest.raises(ValidationError, match="booket til et nyt forløb fra 09.06.2025"):
            course_extend(
                course=leaving,
                new_planned_end=TODAY + timedelta(days=20),
                reason="Mere træning",
                representatives_consulted_on=TODAY,
                acting_user=people["jobkonsulent"],
            )
        # The place is not offered a second time.
        fits = centres_ranked_for_referral(
            referral=referral_create(
                candidate=CandidateFactory(),
                reason="Afklaring",
                wishes="",
                referred_on=TODAY,
                acting_user=people["sagsbehandler"],
            ),
            today=TODAY,
        )
        assert not fits[0].can_start_now


def test_one_click_starts_a_course_in_a_free_place(as_role, waiting, centre_setup):
    client = as_role("jobkonsulent")
    contract = centre_setup["contract"]
    response = client.post(
        f"/kandidater/henvisninger/{waiting.pk}/visitation/",
        {
            "contract": contract.pk,
            "start": "2025-06-02",
            "hours_per_week": "10",
            "legal_frame": "virksomhedspraktik",
        },
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        course = Course.objects.get()
        referral = Referral.objects.get()
        assert referral.status == "visiteret" and referral.course == course
        assert course.place.number == 1 and course.planned_end == date(2025, 8, 31)
    assert response["Location"] == f"/kandidater/forloeb/{course.pk}/"


@pytest.mark.parametrize(
    "data,message",
    [
        ({"contract": 999999, "start": "2025-06-02", "hours_per_week": "10"}, "findes ikke"),
        ({"start": "2030-01-01", "hours_per_week": "10"}, "kontraktens periode"),
        ({"start": "2025-06-02", "hours_per_week": "99"}, "60"),
        ({"start": "ikke-en-dato", "hours_per_week": "10"}, "gyldig dato"),
    ],
)
def test_bad_visitation_input_is_refused_and_nothing_starts(
    as_role, waiting, centre_setup, data, message
):
    data = {"contract": centre_setup["contract"].pk, "legal_frame": "virksomhedspraktik", **data}
    response = as_role("jobkonsulent").post(
        f"/kandidater/henvisninger/{waiting.pk}/visitation/", data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    with schema_context("alpha"):
        assert not Course.objects.exists()
        assert Referral.objects.get().status == "venter"


def test_sagsbehandler_reads_but_cannot_do_visitation(as_role, waiting, centre_setup):
    client = as_role("sagsbehandler")
    assert client.get("/kandidater/venteliste/").status_code == 200
    assert client.get(f"/kandidater/{centre_setup['candidate'].pk}/").status_code == 200
    url = f"/kandidater/henvisninger/{waiting.pk}/visitation/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"contract": centre_setup["contract"].pk}).status_code == 403


@pytest.fixture
def course(centre_setup):
    with schema_context("alpha"):
        return CourseFactory(
            candidate=centre_setup["candidate"],
            contract=centre_setup["contract"],
            start=TODAY - timedelta(weeks=12),
            hours_per_week=10,
        )


def test_course_page_records_hours_goals_and_notes_with_history(as_role, course):
    client = as_role("jobkonsulent")
    base = f"/kandidater/forloeb/{course.pk}/"
    assert client.get(base).status_code == 200
    assert (
        client.post(
            base + "timer/", {"valid_from": "2025-04-07", "hours_per_week": "20"}
        ).status_code
        == 302
    )
    assert client.post(base + "maal/", {"text": "Møde til tiden"}).status_code == 302
    with schema_context("alpha"):
        goal = Goal.objects.get()
    assert (
        client.post(base + "maal/", {"text": "Ringe ved sygdom", "parent": goal.pk}).status_code
        == 302
    )
    htmx = client.post(
        f"/kandidater/maal/{goal.pk}/progression/", {"progress": "2"}, HTTP_HX_REQUEST="true"
    )
    assert htmx.status_code == 200 and "Gemt" in htmx.content.decode()
    assert (
        client.post(base + "notat/", {"date": "2025-06-02", "text": "Godt i gang"}).status_code
        == 302
    )
    page = client.get(base).content.decode()
    assert "10,0" in page and "20,0" in page and "Ringe ved sygdom" in page
    candidate_page = client.get(f"/kandidater/{course.candidate_id}/").content.decode()
    for action in ("course.hours", "goal.create", "goal.progress", "note.create"):
        assert action in candidate_page
    assert "jobkonsulent@alpha.test" in candidate_page
    with schema_context("alpha"):
        assert Goal.objects.get(pk=goal.pk).progress == 2


@pytest.mark.parametrize(
    "path,data",
    [
        ("timer/", {"valid_from": "2020-01-01", "hours_per_week": "20"}),
        ("timer/", {"valid_from": "2025-04-01", "hours_per_week": "-1"}),
        ("notat/", {"date": "2025-06-03", "text": "fremtid"}),
        ("notat/", {"date": "2025-06-02", "text": ""}),
        ("maal/", {"text": ""}),
        ("maal/", {"text": "delmål", "parent": "987654"}),
        ("opfoelgning/", {"weeks": "4", "self_supporting": "1"}),
    ],
)
def test_bad_course_input_shows_error_and_changes_nothing(as_role, course, path, data):
    client = as_role("jobkonsulent")
    with schema_context("alpha"):
        before = AuditEvent.objects.count()
    response = client.post(f"/kandidater/forloeb/{course.pk}/{path}", data)
    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()
    with schema_context("alpha"):
        assert AuditEvent.objects.count() == before
        assert not FollowUpNote.objects.exists() and not Goal.objects.exists()


def test_extension_beyond_13_weeks_needs_reason_and_consultation_date(as_role, course):
    client = as_role("jobkonsulent")
    url = f"/kandidater/forloeb/{course.pk}/forlaeng/"
    assert client.get(url).status_code == 200
    refused = client.post(url, {"new_planned_end": "2025-07-01", "reason": ""})
    assert "begrundelse" in refused.content.decode()
    refused = client.post(url, {"new_planned_end": "2025-07-01", "reason": "Tæt på job"})
    assert "medarbejderrepræsentanterne" in refused.content.decode()
    with schema_context("alpha"):
        assert Course.objects.get().planned_end == course.planned_end
    ok = client.post(
        url,
        {
            "new_planned_end": "2025-07-01",
            "reason": "Tæt på job",
            "representatives_consulted_on": "2025-05-27",
        },
    )
    assert ok.status_code == 302
    with schema_context("alpha"):
        assert Course.objects.get().planned_end == date(2025, 7, 1)


def test_udslusning_frees_the_place_and_shows_the_waiting_list(as_role, course, people):
    with schema_context("alpha"):
        other = CandidateFactory(name="Carl Clausen", wishes="lager", birth_date=date(2003, 1, 1))
        referral_create(
            candidate=other,
            reason="x",
            wishes="lager",
            referred_on=TODAY,
            acting_user=people["sagsbehandler"],
        )
    client = as_role("jobkonsulent")
    url = f"/kandidater/forloeb/{course.pk}/udslus/"
    assert client.post(url, {"end": "2025-06-02", "outcome": ""}).status_code == 200
    assert client.post(url, {"end": "2020-01-01", "outcome": "uddannelse"}).status_code == 200
    response = client.post(url, {"end": "2025-06-01", "outcome": "ordinaert_job"})
    assert response.status_code == 302
    refill = client.get(response["Location"])
    text = refill.content.decode()
    assert "4 ledige pladser" in text and "Carl Clausen" in text
    assert "kandidatens ønske om lager." in text
    assert "Start forløb" in text
    with schema_context("alpha"):
        assert Course.objects.get(pk=course.pk).outcome == "ordinaert_job"


def test_due_list_shows_missing_note_ending_course_flag_and_follow_up(course, people):
    from mentors.models import AttendanceFlag

    with schema_context("alpha"):
        contract = course.contract
        ended = CourseFactory(
            contract=contract,
            place=contract.place_set.get(number=2),
            start=date(2025, 4, 7),
            planned_end=date(2025, 5, 2),
            end=date(2025, 5, 2),
            outcome="ordinaert_job",
        )
        AttendanceFlag.objects.create(
            course=course, date=TODAY, source="mentor", reason="Udebliver"
        )
        items = courses_due_for_follow_up(today=TODAY, consultant=people["jobkonsulent"])
        kinds = {(i.course.pk, i.kind) for i in items}
        assert (course.pk, "note") in kinds
        assert (course.pk, "extension") in kinds  # 13 weeks end on 2025-06-08
        assert (course.pk, "attendance") in kinds
        assert (ended.pk, "follow_up") in kinds  # 4 weeks after 02.05 = 30.05
        FollowUpNote.objects.create(course=course, date=TODAY, text="ok")
        assert courses_due_for_follow_up(today=TODAY, consultant=people["other_tenant"]) == []


def test_follow_up_after_course_is_recorded(as_role, course):
    with schema_context("alpha"):
        Course.objects.filter(pk=course.pk).update(
            end=date(2025, 5, 2), outcome="uddannelse", planned_end=date(2025, 5, 2)
        )
    client = as_role("jobkonsulent")
    url = f"/kandidater/forloeb/{course.pk}/opfoelgning/"
    assert client.post(url, {"weeks": "4", "self_supporting": "1"}).status_code == 302
    assert (
        client.post(url, {"weeks": "13", "self_supporting": "1"}).status_code == 200
    )  # not yet due
    with schema_context("alpha"):
        c = Course.objects.get(pk=course.pk)
        assert c.self_supporting_4w is True and c.self_supporting_13w is None


def test_three_party_agreement_for_the_young_only(as_role, course):
    client = as_role("jobkonsulent")
    response = client.get(f"/kandidater/forloeb/{course.pk}/trepartsaftale/")
    assert response.status_code == 200
    assert "Trepartsaftale" in response.content.decode()
    with schema_context("alpha"):
        old = CourseFactory(
            candidate=CandidateFactory(birth_date=date(1970, 1, 1)),
            contract=course.contract,
            place=course.contract.place_set.get(number=3),
        )
    assert client.get(f"/kandidater/forloeb/{old.pk}/trepartsaftale/").status_code == 404


def test_ending_a_course_today_offers_its_place_from_tomorrow(as_role, people):
    """A course holds its place through its end day; the refill page must still offer it."""
    from tests.factories import ContractFactory, CourseFactory

    with schema_context("alpha"):
        contract = ContractFactory(places=1)
        course = CourseFactory(contract=contract, start=date(2025, 4, 1))
        waiting = CandidateFactory(name="Dorte Dam")
        referral_create(
            candidate=waiting,
            reason="x",
            wishes="",
            referred_on=TODAY,
            acting_user=people["sagsbehandler"],
        )
    client = as_role("jobkonsulent")
    response = client.post(
        f"/kandidater/forloeb/{course.pk}/udslus/", {"end": TODAY.isoformat(), "outcome": "ukendt"}
    )
    assert response["Location"].endswith("?fra=2025-06-03")
    text = client.get(response["Location"]).content.decode()
    assert "1 ledig plads" in text and "Dorte Dam" in text and "Start forløb" in text
    assert 'value="2025-06-03"' in text  # the start form proposes the first free day
    # Without the day after, today (the end day) the place is still held.
    assert (
        "0 ledige pladser"
        in client.get(f"/centre/kontrakt/{contract.pk}/genbesaet/").content.decode()
    )
    # A day in the past or far ahead is ignored: today is used.
    assert (
        "0 ledige pladser"
        in client.get(f"/centre/kontrakt/{contract.pk}/genbesaet/?fra=2020-01-01").content.decode()
    )
