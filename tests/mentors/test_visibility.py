"""Issue 17, finding 9: a mentor invited today could open every course ever run at their
centre. A mentor sees running courses and those ended in the last N weeks (the jobcentre's
setting, 4 unless changed on /statistik/indstillinger/), nothing older."""

from datetime import date, timedelta

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from mentors import rules, selectors
from mentors.models import MentorSettings
from tests.conftest import tenant_client
from tests.factories import CourseFactory

from .conftest import WEDNESDAY


def ended_course(site, *, weeks_ago: int, days: int = 0):
    end = WEDNESDAY - timedelta(weeks=weeks_ago, days=days)
    with schema_context("alpha"):
        # each in a place of its own: the site's course holds the first
        places = site.course.contract.place_set.filter(courses__isnull=True)
        return CourseFactory(
            place=places.order_by("number").first(),
            contract=site.course.contract,
            start=end - timedelta(days=14),
            end=end,
            outcome="ordinaert_job",
        )


def test_the_rule_running_or_ended_within_n_weeks():
    today = date(2025, 3, 5)
    assert rules.ended_visible_since(today=today, weeks=4) == date(2025, 2, 5)
    assert rules.course_visible_to_mentor(end=None, today=today, weeks=0)
    assert rules.course_visible_to_mentor(end=date(2025, 2, 5), today=today, weeks=4)
    assert not rules.course_visible_to_mentor(end=date(2025, 2, 4), today=today, weeks=4)


def test_mentor_cannot_open_a_course_ended_n_plus_1_weeks_ago_but_one_ended_last_week(
    mentor_client, site
):
    old = ended_course(site, weeks_ago=rules.DEFAULT_ENDED_COURSE_WEEKS + 1)
    recent = ended_course(site, weeks_ago=1)
    assert mentor_client.get(f"/mentor/forloeb/{old.pk}/").status_code == 404
    assert mentor_client.get(f"/mentor/forloeb/{recent.pk}/").status_code == 200
    assert mentor_client.get(f"/mentor/forloeb/{site.course.pk}/").status_code == 200


def test_the_sql_agrees_with_the_rule_on_the_boundary(site):
    at_limit = ended_course(site, weeks_ago=4)
    past_limit = ended_course(site, weeks_ago=4, days=1)
    with schema_context("alpha"):
        seen = set(
            selectors.courses_for_mentor(site.mentor_user, today=WEDNESDAY).values_list(
                "pk", flat=True
            )
        )
    for course in (at_limit, past_limit):
        expected = rules.course_visible_to_mentor(end=course.end, today=WEDNESDAY, weeks=4)
        assert (course.pk in seen) is expected
    assert site.course.pk in seen


def test_the_jobcentre_changes_n_on_the_settings_page_with_the_audit_log(
    login, tenant_a, mentor_client, site
):
    old = ended_course(site, weeks_ago=6)
    assert mentor_client.get(f"/mentor/forloeb/{old.pk}/").status_code == 404
    chef = login(tenant_a, "jobcenterchef", client=tenant_client(tenant_a))
    page = chef.get("/statistik/indstillinger/").content.decode()
    assert 'name="mentor-ended_course_weeks"' in page and 'value="4"' in page
    form = {
        "target_group_size": "",
        "yearly_benefit_saving": "32500",
        "form-TOTAL_FORMS": "0",
        "form-INITIAL_FORMS": "0",
        "mentor-ended_course_weeks": "8",
    }
    assert chef.post("/statistik/indstillinger/", form).status_code == 302
    with schema_context("alpha"):
        assert MentorSettings.current().ended_course_weeks == 8
        event = AuditEvent.objects.get(action="mentor_settings.update")
        assert event.fields == ["ended_course_weeks"]
    assert mentor_client.get(f"/mentor/forloeb/{old.pk}/").status_code == 200
    bad = chef.post("/statistik/indstillinger/", form | {"mentor-ended_course_weeks": "NaN"})
    assert (
        bad.status_code == 200
        and "Skriv et helt antal uger mellem 0 og 52." in bad.content.decode()
    )
    with schema_context("alpha"):
        assert MentorSettings.current().ended_course_weeks == 8


@pytest.mark.parametrize("weeks", ["-1", "53"])
def test_weeks_outside_0_52_are_refused(login, tenant_a, weeks):
    chef = login(tenant_a, "jobcenterchef", client=tenant_client(tenant_a))
    form = {
        "yearly_benefit_saving": "32500",
        "form-TOTAL_FORMS": "0",
        "form-INITIAL_FORMS": "0",
        "mentor-ended_course_weeks": weeks,
    }
    assert chef.post("/statistik/indstillinger/", form).status_code == 200
    with schema_context("alpha"):
        assert MentorSettings.current().ended_course_weeks == 4
