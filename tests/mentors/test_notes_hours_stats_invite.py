import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import User
from mentors import selectors
from mentors.models import AttendanceFlag, Mentor, MentorHours, ProgressNote
from tests.conftest import TENANTS
from tests.factories import CentreFactory, CompanyFactory

from .conftest import WEDNESDAY

MONDAY = WEDNESDAY - timedelta(days=2)


def test_progress_note_is_saved_and_read_by_the_jobkonsulent(
    mentor_client, consultant_client, site
):
    response = mentor_client.post(
        f"/mentor/forloeb/{site.course.pk}/note/",
        {"work_tasks": "Varemodtagelse", "cooperation": "Hjælper de andre", "next_step": "Kasse"},
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        note = ProgressNote.objects.get()
    assert (note.work_tasks, note.next_step, note.date) == ("Varemodtagelse", "Kasse", WEDNESDAY)
    assert "Varemodtagelse" in mentor_client.get(response["Location"]).content.decode()
    body = consultant_client.get(f"/mentor/konsulent/forloeb/{site.course.pk}/").content.decode()
    assert "Hjælper de andre" in body


def test_empty_progress_note_is_refused(mentor_client, site):
    response = mentor_client.post(f"/mentor/forloeb/{site.course.pk}/note/", {"work_tasks": " "})
    assert (
        "Skriv mindst ét af punkterne" in mentor_client.get(response["Location"]).content.decode()
    )
    with schema_context("alpha"):
        assert not ProgressNote.objects.exists()


def test_mentor_flags_a_problem_and_the_jobkonsulent_is_mailed_and_sees_it(
    mentor_client, consultant_client, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        mentor_client.post(
            f"/mentor/forloeb/{site.course.pk}/problem/", {"reason": "Kommer for sent"}
        )
    with schema_context("alpha"):
        flag = AttendanceFlag.objects.get()
    assert (flag.source, flag.raised_by_id) == ("mentor", site.mentor_user.pk)
    assert mail.outbox[0].to == ["konsulent@alpha.test"]
    assert "Kommer for sent" in mail.outbox[0].body
    overview = consultant_client.get("/mentor/konsulent/").content.decode()
    assert "Kommer for sent" in overview and "Mine centre" in overview


def test_mentor_hours_per_week_are_recorded_on_the_monday_and_corrected(mentor_client, site):
    data = {"centre": site.centre.pk, "week": (MONDAY + timedelta(days=3)).isoformat()}
    assert mentor_client.post("/mentor/timer/", {**data, "hours": "6,5"}).status_code == 302
    assert mentor_client.post("/mentor/timer/", {**data, "hours": "7"}).status_code == 302
    with schema_context("alpha"):
        row = MentorHours.objects.get()
    assert (row.week_start, row.hours) == (MONDAY, Decimal("7.0"))
    bad = mentor_client.post("/mentor/timer/", {**data, "hours": "200"})
    assert bad.status_code == 400
    assert "mellem 0 og 168" in bad.content.decode()


def record_week(site, statuses):
    from mentors.services import attendance_record

    with schema_context("alpha"):
        for offset, status in enumerate(statuses):
            attendance_record(
                course=site.course,
                date=MONDAY - timedelta(weeks=1) + timedelta(days=offset),
                status=status,
                hours="4",
                acting_user=site.mentor_user,
                today=WEDNESDAY,
            )


def test_statistics_rate_absence_by_kind_and_hours_against_plan(site):
    record_week(site, ["present", "present", "sick", "absent", "agreed_absence"])
    with schema_context("alpha"):
        stats = selectors.course_stats(site.course, today=WEDNESDAY)
        centre = selectors.centre_stats(site.centre, today=WEDNESDAY)
    # 2 present of 4 counted days (agreed absence does not count)
    assert stats.summary.rate == 50.0
    assert stats.summary.recent_rate == 50.0
    assert stats.summary.hours == Decimal("8.0")
    assert stats.summary.by_status == {"present": 2, "sick": 1, "absent": 1, "agreed_absence": 1}
    last_week = next(w for w in stats.weeks if w.monday == MONDAY - timedelta(weeks=1))
    assert (last_week.hours, last_week.planned) == (Decimal("8.0"), Decimal(20))
    assert centre.summary.rate == 50.0
    assert [(c.candidate_name, c.rate) for c in centre.candidates] == [("Karin Kandidat", 50.0)]


def test_statistics_pages_for_mentor_and_jobkonsulent_with_a_chart(
    mentor_client, consultant_client, site
):
    record_week(site, ["present", "present", "sick", "absent", "agreed_absence"])
    for client in (mentor_client, consultant_client):
        body = client.get(f"/mentor/center/{site.centre.pk}/statistik/").content.decode()
        assert "50,0 %" in body
        assert "<svg" in body and 'class="bar"' in body
        assert "Karin Kandidat" in body
    csv = mentor_client.get(f"/mentor/center/{site.centre.pk}/fremmoede.csv").content.decode()
    assert "Karin Kandidat;Syg;0" in csv


def test_statistics_cost_the_same_queries_for_more_candidates(consultant_client, site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import CandidateFactory, ContractFactory, CourseFactory

    url = f"/mentor/center/{site.centre.pk}/statistik/"
    with CaptureQueriesContext(connection) as one:
        consultant_client.get(url)
    with schema_context("alpha"):
        contract = ContractFactory(centre=site.centre, places=4)
        for n in range(3):
            CourseFactory(
                contract=contract,
                place=contract.place_set.get(number=n + 1),
                candidate=CandidateFactory(name=f"Ekstra {n}"),
            )
    with CaptureQueriesContext(connection) as four:
        consultant_client.get(url)
    assert len(four) == len(one)


def invite(client, company, centres, email="ny.mentor@firma.dk"):
    return client.post(
        "/mentor/konsulent/inviter/",
        {
            "first_name": "Nina",
            "last_name": "Mentor",
            "email": email,
            "company": company.pk,
            "centres": [c.pk for c in centres],
        },
    )


@pytest.mark.usefixtures("tenant_b")
def test_jobkonsulent_invites_a_mentor_who_sets_a_password_at_this_jobcentre_only(
    consultant_client, site, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(consultant_client, site.centre.company, [site.centre])
    assert response.status_code == 302
    with schema_context("alpha"):
        user = User.objects.get(email="ny.mentor@firma.dk")
        assert user.has_role("mentor") and not user.has_usable_password()
        assert list(Mentor.objects.get(user=user).centres.all()) == [site.centre]
    message = mail.outbox[-1]
    assert message.to == ["ny.mentor@firma.dk"]
    link = re.search(r"http://alpha\.test\.localhost(/konto/password/reset/key/\S+/)", message.body)
    assert link, message.body
    path = link.group(1)

    # The same link at another jobcentre is a bad link there.
    other = Client(HTTP_HOST=TENANTS["beta"]["domain"])
    elsewhere = other.get(path, follow=True).content.decode()
    assert 'name="password1"' not in elsewhere

    client = Client(HTTP_HOST=TENANTS["alpha"]["domain"])
    form = client.get(path, follow=True)
    assert form.status_code == 200
    set_url = form.redirect_chain[-1][0] if form.redirect_chain else path
    password = "lang-og-sikker-kode-2025"
    done = client.post(set_url, {"password1": password, "password2": password})
    assert done.status_code == 302
    login = Client(HTTP_HOST=TENANTS["alpha"]["domain"])
    response = login.post("/konto/login/", {"login": "ny.mentor@firma.dk", "password": password})
    assert response.status_code == 302
    assert "Karin Kandidat" in login.get("/").content.decode()


def test_invite_refuses_a_centre_of_another_company_and_a_used_email(consultant_client, site):
    with schema_context("alpha"):
        stranger = CompanyFactory(name="Fremmed ApS")
        CentreFactory(company=stranger)
    response = invite(consultant_client, stranger, [site.centre])
    assert response.status_code == 400
    assert "Fremmed ApS er ikke en del af Brugsen Lager" in response.content.decode()
    response = invite(consultant_client, site.centre.company, [site.centre], "mentor@alpha.test")
    assert "Der findes allerede en bruger" in response.content.decode()
    with schema_context("alpha"):
        assert not User.objects.filter(email="ny.mentor@firma.dk").exists()
    assert mail.outbox == []
