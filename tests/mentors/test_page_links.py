"""The day page's rows and the week grid carry the links and the CSRF token they always did,
now written once per page instead of once per row, the rows built in Python
(mentors/rows.py, issue 24): every row's form posts to its
own course, links to its own course page, and the token in it is one the server accepts."""

import re
from datetime import timedelta

from django.test import Client
from django_tenants.utils import schema_context

from mentors.models import Attendance
from tests.conftest import TENANTS
from tests.factories import CandidateFactory, CourseFactory

from .conftest import WEDNESDAY


def _second_course(site):
    with schema_context("alpha"):
        contract = site.course.contract
        return CourseFactory(
            contract=contract,
            place=contract.place_set.exclude(pk=site.course.place_id).first(),
            candidate=CandidateFactory(name="Ole Olsen"),
            start=site.course.start,
        )


def _rows(body: str) -> dict[str, str]:
    """Each row's element id -> its markup."""
    found = re.finditer(r'<li class="att-row[^"]*" id="(att-[^"]+)".*?</li>', body, re.S)
    return {match.group(1): match.group(0) for match in found}


def test_each_row_posts_to_and_links_its_own_course(login, site):
    other = _second_course(site)
    client = login(
        "alpha",
        user=site.mentor_user,
        client=Client(HTTP_HOST=TENANTS["alpha"]["domain"], enforce_csrf_checks=True),
    )
    body = client.get("/mentor/").content.decode()
    rows = _rows(body)
    day = f"{WEDNESDAY:%Y%m%d}"
    assert set(rows) == {f"att-{site.course.pk}-{day}", f"att-{other.pk}-{day}"}
    # The texts the page's script shows in a row's state line, once for the list.
    assert body.count('data-queued-text="Venter på forbindelse"') == 1
    assert body.count('data-saving-text="Gemmer …"') == 1
    assert body.count('data-error-text="Ikke gemt - prøv igen"') == 1
    for course, name in ((site.course, "Karin Kandidat"), (other, "Ole Olsen")):
        row = rows[f"att-{course.pk}-{day}"]
        assert f'action="/mentor/forloeb/{course.pk}/fremmoede/"' in row
        assert f'hx-post="/mentor/forloeb/{course.pk}/fremmoede/"' in row
        assert f'<a class="att-name" href="/mentor/forloeb/{course.pk}/">{name}</a>' in row
        assert f'name="date" value="{WEDNESDAY.isoformat()}"' in row
        assert "data-queued-text" not in row  # once on the list, not on every row

    # The row's own token is accepted: a phone without JavaScript posts the form as it is.
    row = rows[f"att-{other.pk}-{day}"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', row).group(1)
    response = client.post(
        f"/mentor/forloeb/{other.pk}/fremmoede/",
        {"csrfmiddlewaretoken": token, "date": WEDNESDAY.isoformat(), "status": "sick"},
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        assert Attendance.objects.get(course=other, date=WEDNESDAY).status == "sick"

    # The saved row htmx swaps in has the same id, links and a token.
    saved = client.post(
        f"/mentor/forloeb/{other.pk}/fremmoede/",
        {"csrfmiddlewaretoken": token, "date": WEDNESDAY.isoformat(), "status": "absent"},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert list(_rows(saved)) == [f"att-{other.pk}-{day}"]
    assert f'hx-post="/mentor/forloeb/{other.pk}/fremmoede/"' in saved
    assert 'name="csrfmiddlewaretoken" value="' in saved
    assert "Gemt: Udeblevet uden besked" in saved


def test_the_week_links_each_candidate_and_each_day(mentor_client, site):
    other = _second_course(site)
    monday = WEDNESDAY - timedelta(days=2)
    body = mentor_client.get("/mentor/uge/").content.decode()
    for course, name in ((site.course, "Karin Kandidat"), (other, "Ole Olsen")):
        assert f'<a href="/mentor/forloeb/{course.pk}/">{name}</a>' in body
    for offset in range(3):  # Monday to Wednesday: in the header and in both rows' cells
        day = (monday + timedelta(days=offset)).isoformat()
        assert body.count(f'href="/mentor/dag/{day}/"') == 3
    assert f'href="/mentor/dag/{(WEDNESDAY + timedelta(days=1)).isoformat()}/"' not in body


def test_a_row_names_its_candidate_escaped_and_shows_what_is_recorded(mentor_client, site):
    """The rows are built in Python (mentors/rows.py): a name is escaped wherever it stands
    (link, hours label, offline label), the hours field is labelled with the candidate's
    name, the recorded status is pressed and the week shows the hours present."""
    with schema_context("alpha"):
        other = _second_course(site)
        other.candidate.name = 'Ole <b>"Olsen"</b> & Co'
        other.candidate.save(update_fields=["name"])
        Attendance.objects.create(
            course=other, date=WEDNESDAY, status="present", hours="3.5", recorded_by=None
        )
    body = mentor_client.get("/mentor/").content.decode()
    row = _rows(body)[f"att-{other.pk}-{WEDNESDAY:%Y%m%d}"]
    escaped = "Ole &lt;b&gt;&quot;Olsen&quot;&lt;/b&gt; &amp; Co"
    assert "<b>" not in row
    assert f">{escaped}</a>" in row
    assert f'aria-label="Timer for {escaped}"' in row
    assert f'data-offline-label="{escaped}"' in row
    assert 'class="att-row is-present"' in row
    assert "Mødt (3,5 t)" in row
    assert 'value="3,5"' in row
    assert 'value="present" class="att-btn att-btn-present" aria-pressed="true"' in row
    assert 'value="sick" class="att-btn" aria-pressed="false"' in row

    week = mentor_client.get("/mentor/uge/").content.decode()
    assert f'<td class="cell is-present"><a href="/mentor/dag/{WEDNESDAY.isoformat()}/"' in week
    assert 'title="Mødt">3,5</a>' in week
    assert "<b>" not in week
