"""The due list (candidates/due.py): its kinds ordered together by due date, its edges as the
rules (candidates/rules.py) draw them, its pages (nothing lost or doubled between them) and
the start page's first part of it (issue 24)."""

import re
from datetime import date, timedelta

from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from candidates import rules
from candidates.models import FollowUpNote, Referral
from candidates.selectors import courses_due_for_follow_up, due_items_count, due_items_page
from tests.conftest import TODAY
from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

ROW = re.compile(r'<tr class="due-(\w+)"><td>([\d.]+)</td><td><a href="[^"]*/forloeb/(\d+)/">')


def _rows(body: str) -> list[tuple[str, str, int]]:
    """The due rows of a page: (kind, due date as shown, course id)."""
    return [(kind, due, int(pk)) for kind, due, pk in ROW.findall(body)]


def _link(body: str, name: str) -> str:
    return re.search(rf'href="\?([^"]*{name}=\d+)"', body).group(1).replace("&amp;", "&")


def _course(centre, name: str, *, start: date, planned_end=None, end=None, note=None):
    """A course of its own contract (so that places never clash) at `centre`."""
    ended = {"end": end, "outcome": "ordinaert_job"} if end else {}
    course = CourseFactory(
        candidate=CandidateFactory(name=name),
        contract=ContractFactory(centre=centre, start=date(2024, 1, 1)),
        start=start,
        planned_end=planned_end or end or start + timedelta(weeks=13, days=-1),
        **ended,
    )
    if note is not None:
        FollowUpNote.objects.create(course=course, date=note, text="ok")
    return course


def _day(days: int) -> date:
    return TODAY + timedelta(days=days)


def test_the_kinds_are_ordered_together_by_due_date_then_name(people):
    from mentors.models import AttendanceFlag

    consultant = people["jobkonsulent"]
    with schema_context("alpha"):
        centre = CentreFactory(consultant=consultant)
        far = _day(60)
        a = _course(centre, "Aske", start=_day(-30), planned_end=far)  # note due -23
        b = _course(centre, "Bo", start=_day(-20), planned_end=_day(5), note=_day(-10))
        c = _course(centre, "Cille", start=_day(-5), planned_end=far)  # no note due yet
        AttendanceFlag.objects.create(
            course=c, date=_day(-4), source="mentor", reason="Løst", resolved_at=timezone.now()
        )
        AttendanceFlag.objects.create(course=c, date=_day(-2), source="mentor", reason="Væk")
        AttendanceFlag.objects.create(course=c, date=_day(-1), source="mentor", reason="Igen")
        d = _course(centre, "Dorte", start=date(2025, 1, 6), end=_day(-38))  # 4 weeks: -10
        e = _course(centre, "Egon", start=date(2025, 1, 6), end=_day(-91))  # 13 weeks: today
        h = _course(centre, "Anna", start=_day(-17), planned_end=far)  # note due -10
        _course(centre, "Finn", start=date(2025, 1, 13), end=_day(-28 - 57))  # seen too long
        _course(centre, "Gry", start=_day(-30), planned_end=far, note=_day(-6))  # noted
        _course(ContractFactory().centre, "Ulla", start=_day(-30), planned_end=far)  # not own

        items = courses_due_for_follow_up(today=TODAY, consultant=consultant)
    assert [(i.course.pk, i.kind, i.due) for i in items] == [
        (a.pk, "note", _day(-23)),
        (h.pk, "note", _day(-10)),  # Anna before Dorte on the same day
        (d.pk, "follow_up", _day(-10)),
        (b.pk, "note", _day(-3)),
        (c.pk, "attendance", _day(-2)),  # the first open flag, once
        (e.pk, "follow_up", _day(0)),
        (b.pk, "extension", _day(5)),
    ]
    texts = {(i.course.pk, i.kind): i.text for i in items}
    assert texts[(b.pk, "note")] == "Ingen opfølgning siden 23.05.2025"
    assert texts[(c.pk, "attendance")] == "Fremmødeproblem: Væk"
    assert texts[(e.pk, "follow_up")] == "Opfølgning 13 uger efter forløbet: selvforsørgende?"
    assert texts[(b.pk, "extension")].startswith("Passerer 3 uger den 07.06.2025")
    assert [i.weeks for i in items if i.kind == "follow_up"] == [4, 13]
    assert {i.centre_name for i in items} == {centre.name}
    assert [i.candidate_name for i in items][:3] == ["Aske", "Anna", "Dorte"]


def test_the_lists_edges_are_the_rules(people):
    """One day inside and one outside each edge; every date is the rule's own."""
    consultant = people["jobkonsulent"]
    interval, warning = rules.NOTE_INTERVAL_DAYS, rules.EXTENSION_WARNING_DAYS
    visible = rules.FOLLOW_UP_VISIBLE_DAYS
    with schema_context("alpha"):
        centre = CentreFactory(consultant=consultant)
        far = _day(60)
        noted = _course(centre, "Noted in", start=_day(-30), planned_end=far, note=_day(-interval))
        _course(centre, "Noted out", start=_day(-30), planned_end=far, note=_day(1 - interval))
        started = _course(centre, "Started in", start=_day(-interval), planned_end=far)
        _course(centre, "Started out", start=_day(1 - interval), planned_end=far)
        ending = _course(centre, "Ending in", start=_day(-3), planned_end=_day(warning))
        _course(centre, "Ending out", start=_day(-3), planned_end=_day(warning + 1))
        weeks = rules.FOLLOW_UP_WEEKS[-1]
        start = date(2024, 6, 3)
        newest = _course(centre, "Due today", start=start, end=_day(-7 * weeks))
        _course(centre, "Due tomorrow", start=start, end=_day(1 - 7 * weeks))
        oldest = _course(centre, "Due long ago", start=start, end=_day(-7 * weeks - visible))
        _course(centre, "Due too long ago", start=start, end=_day(-7 * weeks - visible - 1))
        items = courses_due_for_follow_up(today=TODAY, consultant=consultant)
    due = {(i.course.pk, i.kind): i.due for i in items}
    # "Ending in" also has its note due (started 3 days ago: no).
    assert set(due) == {
        (noted.pk, "note"),
        (started.pk, "note"),
        (ending.pk, "extension"),
        (newest.pk, "follow_up"),
        (oldest.pk, "follow_up"),
    }
    assert due[(noted.pk, "note")] == rules.note_due_on(last_note=_day(-interval), start=_day(-30))
    assert due[(started.pk, "note")] == rules.note_due_on(last_note=None, start=_day(-interval))
    assert due[(ending.pk, "extension")] == ending.planned_end
    for course in (newest, oldest):
        assert due[(course.pk, "follow_up")] == rules.follow_up_due_on(end=course.end, weeks=weeks)


def test_a_courses_latest_note_is_kept_whatever_writes_the_notes(people):
    """The due list reads the course's last_note_on, which the notes' trigger keeps: the
    service's note, one written directly, an earlier one, a moved date and a deleted note
    each move the note's due date as rules.note_due_on says."""
    from candidates.services import follow_up_note_create

    consultant = people["jobkonsulent"]
    interval = rules.NOTE_INTERVAL_DAYS

    def note_due(course):
        items = courses_due_for_follow_up(today=TODAY, consultant=consultant)
        return next((i.due for i in items if i.course.pk == course.pk and i.kind == "note"), None)

    with schema_context("alpha"):
        centre = CentreFactory(consultant=consultant)
        course = _course(centre, "Noter", start=_day(-60), planned_end=_day(60))
        assert note_due(course) == rules.note_due_on(last_note=None, start=_day(-60))
        late = follow_up_note_create(
            course=course,
            noted_on=_day(-30),
            text="Går godt",
            today=TODAY,
            acting_user=consultant,
        )
        assert note_due(course) == rules.note_due_on(last_note=_day(-30), start=_day(-60))
        course.save()  # an instance read before the note, saved whole: the date stays
        assert note_due(course) == rules.note_due_on(last_note=_day(-30), start=_day(-60))
        FollowUpNote.objects.create(course=course, date=_day(-50), text="Ældre notat")
        assert note_due(course) == _day(-30 + interval)  # an earlier note moves nothing
        late.date = _day(-20)
        late.save()
        assert note_due(course) == _day(-20 + interval)
        other = _course(centre, "Anden", start=_day(-60), planned_end=_day(60))
        FollowUpNote.objects.filter(pk=late.pk).update(course=other)
        assert note_due(course) == _day(-50 + interval)  # the note moved to another course
        assert note_due(other) == _day(-20 + interval)
        FollowUpNote.objects.filter(course=course).delete()
        assert note_due(course) == rules.note_due_on(last_note=None, start=_day(-60))
        course.refresh_from_db()
        assert course.last_note_on is None


def _many(consultant, n: int) -> None:
    """n running courses each due for a note and an extension (2n items over n names)."""
    centre = CentreFactory(consultant=consultant)
    contract = None
    for i in range(n):
        if i % 4 == 0:
            contract = ContractFactory(centre=centre)
        CourseFactory(
            candidate=CandidateFactory(name=f"Person {i % 7:03d}"),  # names repeat
            contract=contract,
            place=contract.place_set.get(number=i % 4 + 1),
            start=_day(-20 - i % 5),
            planned_end=_day(i % 9),
        )


def test_the_due_list_pages_without_losing_or_doubling_a_row(as_role, people):
    with schema_context("alpha"):
        _many(people["jobkonsulent"], 56)  # 112 items: three pages
        every = courses_due_for_follow_up(today=TODAY)
    expected = [(i.kind, f"{i.due:%d.%m.%Y}", i.course.pk) for i in every]
    assert len(expected) == 112 and len(set(expected)) == 112
    client = as_role("jobkonsulent")
    pages = [client.get("/kandidater/opfoelgning/", {"alle": "1"}).content.decode()]
    while 'rel="next"' in pages[-1]:
        pages.append(client.get("/kandidater/opfoelgning/?" + _link(pages[-1], "efter")))
        pages[-1] = pages[-1].content.decode()
    assert [len(_rows(p)) for p in pages] == [50, 50, 12]
    assert "112 rækker" in pages[1]
    assert [row for p in pages for row in _rows(p)] == expected
    assert _link(pages[1], "efter") == "alle=1&efter=100"
    back = client.get("/kandidater/opfoelgning/?" + _link(pages[2], "foer")).content.decode()
    assert _rows(back) == _rows(pages[1])
    # The read logs the candidates of the page shown.
    with schema_context("alpha"):
        read = AuditEvent.objects.filter(action="list.view").latest("id")
    assert set(read.subjects) == {i.course.candidate_id for i in every[50:100]}  # `back`


def test_a_page_is_the_slice_of_the_whole_list(people):
    with schema_context("alpha"):
        _many(people["jobkonsulent"], 30)
        every = courses_due_for_follow_up(today=TODAY, consultant=people["jobkonsulent"])
        key = [(i.kind, i.course.pk) for i in every]
        # Every cut: a page starting or ending inside a day's items (their names ordered
        # for the page's days only) is still the slice of the whole list.
        for first, size in [(f, n) for f in (*range(0, 61, 3), 59, 60) for n in (1, 4, 7, 10)]:
            page, total = due_items_page(
                today=TODAY, consultant=people["jobkonsulent"], first=first, size=size
            )
            assert total == 60
            assert [(i.kind, i.course.pk) for i in page] == key[first : first + size]
        assert due_items_page(today=TODAY, consultant=people["other_tenant"], size=5) == ([], 0)


def test_a_cursor_beyond_the_end_shows_the_last_row(as_role, people):
    with schema_context("alpha"):
        _many(people["jobkonsulent"], 3)
    client = as_role("jobkonsulent")
    body = client.get("/kandidater/opfoelgning/?efter=999").content.decode()
    assert len(_rows(body)) == 1 and "6 rækker" in body


def test_the_start_page_shows_the_soonest_ten_and_links_the_whole_list(as_role, people):
    with schema_context("alpha"):
        _many(people["jobkonsulent"], 6)  # 12 items
        soonest = courses_due_for_follow_up(today=TODAY, consultant=people["jobkonsulent"])[:10]
    body = as_role("jobkonsulent").get("/").content.decode()
    assert _rows(body) == [(i.kind, f"{i.due:%d.%m.%Y}", i.course.pk) for i in soonest]
    assert "De 10 første af 12." in body and "Hele listen (12 punkter)" in body


def test_the_count_is_the_lists_size_and_its_overdue_follow_ups(as_role, people):
    """The caseload's tiles count the due list in SQL (due_items_count): the same items."""
    consultant = people["jobkonsulent"]
    with schema_context("alpha"):
        centre = CentreFactory(consultant=consultant)
        _many(consultant, 5)  # 10 items
        _course(centre, "Dorte", start=date(2025, 1, 6), end=_day(-38))  # 4 weeks: due -10
        _course(centre, "Egon", start=date(2025, 1, 6), end=_day(-91))  # 13 weeks: due today
        every = courses_due_for_follow_up(today=TODAY, consultant=consultant)
        count = due_items_count(today=TODAY, consultant=consultant)
        overdue = [i for i in every if i.kind == "follow_up" and i.due < TODAY]
        assert (count.total, count.overdue_follow_ups) == (len(every), len(overdue)) == (12, 1)
        assert due_items_count(today=TODAY).total == len(courses_due_for_follow_up(today=TODAY))
        assert due_items_count(today=TODAY, consultant=people["other_tenant"]).total == 0
    body = as_role("jobkonsulent").get("/statistik/mine/").content.decode()
    assert re.search(r'class="tile-value">1</span>', body)
    assert "12 punkter på din opfølgningsliste" in body


def test_the_start_page_shows_the_longest_waiting_and_the_own_centres_free_places(as_role, people):
    consultant = people["jobkonsulent"]
    with schema_context("alpha"):
        Referral.objects.bulk_create(
            Referral(
                candidate=CandidateFactory(name=f"Venter {i:02d}"), referred_on=_day(-i), reason="x"
            )
            for i in range(1, 13)
        )
        first = Referral.objects.get(candidate__name="Venter 12")
        contract = ContractFactory(centre=CentreFactory(consultant=consultant, name="Lageret"))
        CourseFactory(contract=contract, place=contract.place_set.get(number=1), start=_day(-5))
        ContractFactory(centre=CentreFactory(name="Andres center"))  # not own
    body = as_role("jobkonsulent").get("/").content.decode()
    waiting = re.findall(r'/visitation/">(Venter \d+)</a> <span class="muted">(\d+) dage', body)
    assert waiting == [(f"Venter {i:02d}", str(i)) for i in range(12, 2, -1)]  # ten, oldest first
    assert f'href="/kandidater/henvisninger/{first.pk}/visitation/">Venter 12</a>' in body
    assert "Lageret</a>: 3 ledige pladser af 4" in body and "Andres center" not in body
