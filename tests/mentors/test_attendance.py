import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from mentors.models import Attendance, AttendanceFlag
from tests.factories import CandidateFactory, ContractFactory, CourseFactory

from .conftest import HTMX, WEDNESDAY, course_beside


def save(client, course, *, status, hours="4,0", day=WEDNESDAY, htmx=True, **extra):
    data = {"date": day.isoformat(), "status": status, "hours": hours, **extra}
    headers = HTMX if htmx else {}
    return client.post(f"/mentor/forloeb/{course.pk}/fremmoede/", data, **headers)


def attendance(site, day=WEDNESDAY):
    with schema_context("alpha"):
        return Attendance.objects.filter(course=site.course, date=day).first()


@pytest.mark.usefixtures("site", "other_site")
def test_mentor_lands_on_today_with_a_row_per_candidate_and_hours_prefilled(mentor_client):
    response = mentor_client.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>I dag</h1>" in body
    assert "Karin Kandidat" in body
    assert 'name="hours" value="4,0"' in body  # 20 h a week / 5
    for label in ("Mødt", "Syg", "Udeblevet", "Aftalt fravær"):
        assert f">{label}</button>" in body
    assert "Bent Anden" not in body
    assert 'hx-post="/mentor/forloeb/' in body
    assert "js/htmx.min.js" in body


@pytest.mark.parametrize(
    ("status", "hours", "label"),
    [
        ("present", Decimal("4.0"), "Mødt"),
        ("sick", Decimal(0), "Syg"),
        ("absent", Decimal(0), "Udeblevet uden besked"),
        ("agreed_absence", Decimal(0), "Aftalt fravær/ferie"),
    ],
)
def test_one_tap_saves_each_status_and_the_row_says_so(mentor_client, site, status, hours, label):
    response = save(mentor_client, site.course, status=status)
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith("<li")  # only the row, for htmx to swap
    assert f"Gemt: {label}" in body
    assert 'aria-pressed="true"' in body
    row = attendance(site)
    assert (row.status, row.hours) == (status, hours)
    with schema_context("alpha"):
        event = AuditEvent.objects.get(object_type="mentors.attendance", object_id=str(row.pk))
    assert event.action == "attendance.record"
    assert event.actor_label == "mentor@alpha.test"


def test_present_takes_typed_hours_with_a_danish_comma(mentor_client, site):
    save(mentor_client, site.course, status="present", hours="3,5")
    assert attendance(site).hours == Decimal("3.5")


def test_without_javascript_the_form_posts_and_returns_to_the_page(mentor_client, site):
    response = save(mentor_client, site.course, status="sick", htmx=False, next="/mentor/")
    assert response.status_code == 302
    assert response["Location"] == "/mentor/"
    assert attendance(site).status == "sick"
    page = mentor_client.get("/mentor/").content.decode()
    assert "Gemt: Karin Kandidat 05.03.2025." in page


def test_next_pointing_elsewhere_is_ignored(mentor_client, site):
    response = save(
        mentor_client, site.course, status="sick", htmx=False, next="https://evil.example/"
    )
    assert response["Location"] == "/"


def test_correcting_a_day_in_the_week_view_is_recorded_as_a_correction(mentor_client, site):
    monday = WEDNESDAY - timedelta(days=2)
    save(mentor_client, site.course, status="absent", day=monday)
    week = mentor_client.get(f"/mentor/uge/{monday.isoformat()}/").content.decode()
    assert "Karin Kandidat" in week
    assert f'href="/mentor/dag/{monday.isoformat()}/"' in week
    day_page = mentor_client.get(f"/mentor/dag/{monday.isoformat()}/").content.decode()
    assert f'name="date" value="{monday.isoformat()}"' in day_page

    response = save(mentor_client, site.course, status="present", hours="5", day=monday)
    assert "Gemt: Mødt" in response.content.decode()
    row = attendance(site, monday)
    assert (row.status, row.hours) == ("present", Decimal("5.0"))
    with schema_context("alpha"):
        actions = list(
            AuditEvent.objects.filter(object_id=str(row.pk), object_type="mentors.attendance")
            .order_by("at")
            .values_list("action", "fields")
        )
    assert actions == [
        ("attendance.record", ["hours", "status"]),
        ("attendance.correct", ["hours", "status"]),
    ]


def test_the_courses_jobkonsulent_sees_every_change(mentor_client, consultant_client, site):
    save(mentor_client, site.course, status="absent")
    save(mentor_client, site.course, status="present", hours="4")
    body = consultant_client.get(f"/mentor/konsulent/forloeb/{site.course.pk}/").content.decode()
    assert body.count("mentor@alpha.test") == 2
    assert "05.03.2025 Mødt" in body
    assert "rettet" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"status": "on_holiday"}, "Vælg mødt, syg"),
        ({"status": "present", "hours": "fire"}, "Timer skal være et tal"),
        ({"status": "present", "hours": "0"}, "mellem 0,1 og 24"),
        ({"status": "present", "hours": "25"}, "mellem 0,1 og 24"),
        ({"status": "present", "day": WEDNESDAY + timedelta(days=1)}, "i fremtiden"),
        ({"status": "present", "day": date(2025, 1, 31)}, "ikke i forløb"),
        ({"status": "present", "date": "31-02-2025"}, "Ugyldig dato"),
    ],
)
def test_bad_input_gives_a_danish_error_and_changes_nothing(mentor_client, site, data, message):
    data = dict(data)
    day = data.pop("day", WEDNESDAY)
    response = save(mentor_client, site.course, day=day, **{"hours": "4", **data})
    assert response.status_code in (200, 422)
    assert message in response.content.decode()
    with schema_context("alpha"):
        assert not Attendance.objects.exists()
        assert not AuditEvent.objects.filter(object_type="mentors.attendance").exists()


def test_bad_input_without_javascript_is_shown_as_a_message(mentor_client, site):
    response = save(mentor_client, site.course, status="present", hours="99", htmx=False)
    assert response.status_code == 302
    page = mentor_client.get(response["Location"]).content.decode()
    assert "mellem 0,1 og 24" in page
    assert attendance(site) is None


def test_saving_a_day_costs_a_bounded_number_of_queries(
    mentor_client, site, django_assert_max_num_queries
):
    """13 statements today; django-tenants puts a SET search_path before each of them."""
    save(mentor_client, site.course, status="sick")  # warm up (session, caches)
    with django_assert_max_num_queries(2 * 12):
        response = save(mentor_client, site.course, status="present")
    assert response.status_code == 200


def test_today_page_queries_do_not_grow_with_the_number_of_candidates(mentor_client, site):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        mentor_client.get("/")
    with schema_context("alpha"):
        contract = ContractFactory(centre=site.centre, places=6)
        for n in range(5):
            CourseFactory(
                contract=contract,
                place=contract.place_set.get(number=n + 1),
                candidate=CandidateFactory(name=f"Ekstra {n}"),
            )
    with CaptureQueriesContext(connection) as six:
        body = mentor_client.get("/").content.decode()
    assert body.count('class="att-row') == 6
    assert len(six) == len(one)


def test_two_working_days_absent_in_a_row_flag_the_jobkonsulent(
    mentor_client, site, django_capture_on_commit_callbacks
):
    tuesday = WEDNESDAY - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        save(mentor_client, site.course, status="absent", day=tuesday)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        save(mentor_client, site.course, status="absent")
    with schema_context("alpha"):
        flag = AttendanceFlag.objects.get(course=site.course)
    assert flag.source == "automatic"
    assert flag.date == WEDNESDAY
    assert "04.03.2025-05.03.2025" in flag.reason
    assert [m.to for m in mail.outbox] == [["konsulent@alpha.test"]]
    assert "Karin Kandidat" in mail.outbox[0].subject
    assert f"/mentor/konsulent/forloeb/{site.course.pk}/" in mail.outbox[0].body


def test_friday_and_monday_are_in_a_row_and_a_correction_can_complete_the_row(
    mentor_client, site, django_capture_on_commit_callbacks
):
    monday = WEDNESDAY - timedelta(days=2)
    friday = monday - timedelta(days=3)
    save(mentor_client, site.course, status="absent", day=monday)
    with django_capture_on_commit_callbacks(execute=True):
        save(mentor_client, site.course, status="absent", day=friday)  # corrected afterwards
    with schema_context("alpha"):
        assert AttendanceFlag.objects.filter(course=site.course, date=monday).count() == 1
    assert len(mail.outbox) == 1


def test_absences_not_in_a_row_do_not_flag_and_an_open_flag_is_not_repeated(mentor_client, site):
    monday = WEDNESDAY - timedelta(days=2)
    save(mentor_client, site.course, status="absent", day=monday)
    save(mentor_client, site.course, status="absent", day=WEDNESDAY)  # Tuesday unknown
    with schema_context("alpha"):
        assert not AttendanceFlag.objects.exists()
    save(mentor_client, site.course, status="absent", day=monday + timedelta(days=1))
    with schema_context("alpha"):
        assert AttendanceFlag.objects.count() == 1  # Mon-Tue-Wed is one problem


def test_a_resolved_flag_lets_a_new_row_flag_again(mentor_client, consultant_client, site):
    save(mentor_client, site.course, status="absent", day=WEDNESDAY - timedelta(days=2))
    save(mentor_client, site.course, status="absent", day=WEDNESDAY - timedelta(days=1))
    with schema_context("alpha"):
        flag = AttendanceFlag.objects.get()
    response = consultant_client.post(f"/mentor/konsulent/problem/{flag.pk}/afslut/")
    assert response.status_code == 302
    save(mentor_client, site.course, status="absent")
    with schema_context("alpha"):
        assert AttendanceFlag.objects.filter(resolved_at__isnull=True).count() == 1
        assert AttendanceFlag.objects.count() == 2


def test_the_week_shows_each_candidates_days_as_recorded(mentor_client, site):
    """Each cell is its own candidate's day: the same day and state shown for two people is
    one cell each, linked to that day; a day not registered is "?", a day to come empty."""
    monday, tuesday = WEDNESDAY - timedelta(days=2), WEDNESDAY - timedelta(days=1)
    other = course_beside(site, candidate="Ole Olsen")
    save(mentor_client, site.course, status="present", hours="5", day=monday)
    save(mentor_client, other, status="present", hours="4", day=monday)
    save(mentor_client, site.course, status="sick", day=tuesday)
    save(mentor_client, other, status="present", hours="4", day=WEDNESDAY)

    week = mentor_client.get(f"/mentor/uge/{monday.isoformat()}/").content.decode()

    def cells(name):
        row = re.search(rf"<tr><th[^>]*><a [^>]*>{name}</a></th>(.*?)</tr>", week, re.S)
        return re.findall(r'<td class="cell([^"]*)">(.*?)</td>', row.group(1), re.S)

    def day_link(day, title, text):
        return f'<a href="/mentor/dag/{day.isoformat()}/" title="{title}">{text}</a>'

    def missing(day):
        url = f"/mentor/dag/{day.isoformat()}/"
        return f'<a href="{url}" class="missing" title="Ikke registreret">?</a>'

    future = ("", "")
    assert cells("Karin Kandidat") == [
        (" is-present", day_link(monday, "Mødt", "5,0")),
        (" is-sick", day_link(tuesday, "Syg", "S")),
        ("", missing(WEDNESDAY)),
        future,
        future,
    ]
    assert cells("Ole Olsen") == [
        (" is-present", day_link(monday, "Mødt", "4,0")),
        ("", missing(tuesday)),
        (" is-present", day_link(WEDNESDAY, "Mødt", "4,0")),
        future,
        future,
    ]
