"""What a mentor must never see: other centres' candidates, CPR, benefit, matchgruppe,
barriers, health or case notes, other tenants - in pages, exports, guessed URLs, 404s."""

import pytest
from django_tenants.utils import schema_context

from mentors.models import Attendance, AttendanceFlag, MentorHours, ProgressNote

from .conftest import CPR, HTMX, WEDNESDAY

SENSITIVE = [
    CPR,
    CPR[:6] + "-",  # also the masked form DDMMYY-XXXX
    "Sygedagpenge",
    "sygedagpenge",
    "atchgruppe",
    "Misbrug",
    "misbrug",
    "Psykiske",
    "Hemmeligt ønske",
]


def mentor_pages(site):
    c = site.course.pk
    return [
        "/",
        "/mentor/",
        f"/mentor/dag/{WEDNESDAY.isoformat()}/",
        "/mentor/uge/",
        "/mentor/timer/",
        f"/mentor/forloeb/{c}/",
        f"/mentor/center/{site.centre.pk}/statistik/",
        f"/mentor/center/{site.centre.pk}/fremmoede.csv",
    ]


@pytest.mark.usefixtures("other_site", "beta_site")
def test_mentor_pages_and_export_show_no_sensitive_data_and_no_other_centre(mentor_client, site):
    mentor_client.post(
        f"/mentor/forloeb/{site.course.pk}/fremmoede/",
        {"date": WEDNESDAY.isoformat(), "status": "present", "hours": "4"},
    )
    for url in mentor_pages(site):
        response = mentor_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if "timer" not in url:
            assert "Karin Kandidat" in body, url
        for text in SENSITIVE + ["Bent Anden", "Bilka Kasse", "Birte Beta", "Beta Bageri"]:
            assert text not in body, (url, text)


def courses_urls(course_pk, centre_pk):
    return [
        ("get", f"/mentor/forloeb/{course_pk}/"),
        ("get", f"/mentor/center/{centre_pk}/statistik/"),
        ("get", f"/mentor/center/{centre_pk}/fremmoede.csv"),
        ("post", f"/mentor/forloeb/{course_pk}/fremmoede/"),
        ("post", f"/mentor/forloeb/{course_pk}/note/"),
        ("post", f"/mentor/forloeb/{course_pk}/problem/"),
    ]


POST_DATA = {
    "date": WEDNESDAY.isoformat(),
    "status": "absent",
    "hours": "4",
    "reason": "Kom ikke",
    "work_tasks": "Kasse",
}


def assert_nothing_of(site, client, urls, *, name):
    for method, url in urls:
        response = (
            getattr(client, method)(url, POST_DATA, **HTMX)
            if method == "post"
            else (client.get(url))
        )
        assert response.status_code == 404, (method, url)
        assert name not in response.content.decode(), url
    with schema_context(site.schema):
        assert not Attendance.objects.exists()
        assert not ProgressNote.objects.exists()
        assert not AttendanceFlag.objects.exists()


def test_mentor_of_other_centre_gets_404_for_every_url_of_the_centre(login, site, other_site):
    client = login("alpha", user=other_site.mentor_user)
    assert_nothing_of(
        site, client, courses_urls(site.course.pk, site.centre.pk), name="Karin Kandidat"
    )
    # Their own candidate is there, the other one is not.
    body = client.get("/").content.decode()
    assert "Bent Anden" in body and "Karin Kandidat" not in body


def test_mentor_of_other_tenant_gets_404_for_the_same_ids(login, site, beta_site):
    client = login("beta", user=beta_site.mentor_user)
    assert_nothing_of(
        site, client, courses_urls(site.course.pk, site.centre.pk), name="Karin Kandidat"
    )
    with schema_context("beta"):
        assert not Attendance.objects.exists()


def test_session_of_other_tenant_is_not_a_login_here(login, site, beta_site):
    client = login("beta", user=beta_site.mentor_user)
    response = client.get(f"/mentor/forloeb/{site.course.pk}/", HTTP_HOST="alpha.test.localhost")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.parametrize("role", ["jobkonsulent", "sagsbehandler", "jobcenterchef", None])
def test_other_roles_get_404_on_the_mentors_pages(login, tenant_a, site, role):
    client = login(tenant_a, role, email=f"{role}-other@alpha.test")
    urls = [("get", "/mentor/"), ("get", "/mentor/uge/"), ("get", "/mentor/timer/")]
    urls += [u for u in courses_urls(site.course.pk, site.centre.pk) if "statistik" not in u[1]]
    if role == "jobkonsulent":  # the jobkonsulent may read the centre's statistics
        urls = [u for u in urls if "fremmoede.csv" not in u[1]]
    assert_nothing_of(site, client, urls, name="Karin Kandidat")


@pytest.mark.parametrize("role", ["mentor", "sagsbehandler", None])
def test_only_the_jobkonsulent_opens_the_jobkonsulent_pages(login, tenant_a, site, role):
    client = (
        login(tenant_a, user=site.mentor_user)
        if role == "mentor"
        else login(tenant_a, role, email=f"{role}-x@alpha.test")
    )
    for url in (
        "/mentor/konsulent/",
        "/mentor/konsulent/inviter/",
        f"/mentor/konsulent/forloeb/{site.course.pk}/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Karin Kandidat" not in response.content.decode()
    if role != "mentor":
        assert client.get(f"/mentor/center/{site.centre.pk}/statistik/").status_code == 404


@pytest.mark.usefixtures("site")
def test_unknown_ids_and_impossible_dates_are_plain_404s(mentor_client):
    for url in ("/mentor/forloeb/999999/", "/mentor/dag/2025-02-30/", "/mentor/dag/2026-01-01/"):
        response = mentor_client.get(url)
        assert response.status_code == 404, url
        assert "Traceback" not in response.content.decode()


@pytest.mark.usefixtures("site")
def test_mentor_hours_only_for_own_centre(mentor_client, other_site):
    response = mentor_client.post(
        "/mentor/timer/", {"centre": other_site.centre.pk, "week": "2025-03-03", "hours": "5"}
    )
    assert response.status_code == 400
    assert "Vælg et af dine virksomhedscentre" in response.content.decode()
    with schema_context("alpha"):
        assert not MentorHours.objects.exists()


def test_anonymous_is_sent_to_login(client_a, site):
    response = client_a.get(f"/mentor/forloeb/{site.course.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")
