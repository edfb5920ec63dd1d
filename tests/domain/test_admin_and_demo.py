import pytest
from django.contrib import admin
from django.core.management import call_command
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_roles_set
from candidates.models import Course
from contracts.models import ApprovalSettings
from mentors.models import MentorGrant
from mentors.rules import grant_latest_end
from tests.conftest import make_user
from tests.factories import CourseFactory

TENANT_APPS = {
    "centers",
    "contracts",
    "candidates",
    "mentors",
    "reports",
    "billing",
    "audit",
    "accounts",
    "auth",
}
# Issue 17: the jobcentre's admin manages people and reference data, not cases.
CASE_APPS = {"candidates", "contracts", "mentors", "billing", "audit"}


def tenant_admin_models():
    return sorted(
        (m._meta.app_label, m._meta.model_name)
        for m in admin.site._registry
        if m._meta.app_label in TENANT_APPS
    )


def test_the_admin_offers_people_and_reference_data_not_cases():
    registered = set(tenant_admin_models())
    assert {("accounts", "user"), ("auth", "group")} <= registered
    # Companies and centres come by the import and have no page of their own.
    assert {("centers", "company"), ("centers", "centre")} <= registered
    assert [m for m in registered if m[0] in CASE_APPS] == []
    assert ("centers", "place") not in registered  # a contract's capacity: its services
    assert ("reports", "jobcentercost") not in registered  # reports:settings is its page


@pytest.mark.parametrize(("app", "model"), tenant_admin_models())
def test_admin_changelist_search_and_add_pages_answer_for_the_jobcentre_admin(
    login, client_a, tenant_a, app, model
):
    # The admin as jobcenter_create makes it: staff by its role, not a superuser.
    user = make_user(tenant_a, "admin", email="it@alpha.test")
    with schema_context("alpha"):
        user_roles_set(user=user, roles=["admin"])
    assert user.is_staff and not user.is_superuser
    with schema_context("alpha"):
        CourseFactory()
    login(tenant_a, user=user)
    changelist = client_a.get(f"/admin/{app}/{model}/?q=Kandidat")
    assert changelist.status_code == 200
    add = client_a.get(f"/admin/{app}/{model}/add/")
    assert add.status_code in (200, 403)  # 403: read-only models (roles, job runs, locks)


def test_jobkonsulent_has_no_admin(login, client_a, tenant_a):
    login(tenant_a, "jobkonsulent", email="k@alpha.test")
    assert client_a.get("/admin/candidates/candidate/").status_code == 302


@pytest.mark.usefixtures("db")
def test_demo_setup_creates_both_jobcentres_with_imported_data(settings, capsys):
    settings.DEBUG = True
    call_command("demo_setup")
    out = capsys.readouterr().out
    assert "jobkonsulent@middelfart.demo.dk" in out
    for schema in ("middelfart", "skive"):
        with schema_context(schema):
            assert Course.objects.count() > 150
            assert Course.objects.filter(end__isnull=True).exists()
            # Issue 20: mentor support as grants (a place and a person), no longer than
            # one 6-month agreement each.
            grants = list(MentorGrant.objects.all())
            assert {grant.course_id is None for grant in grants} == {True, False}
            assert all(grant.end <= grant_latest_end(grant.start) for grant in grants)
    with schema_context("middelfart"):
        assert ApprovalSettings.current().committees == ["Beskæftigelsesudvalget"]
        # Issue 23: the demo mentor has a centre with people placed today.
        from mentors.selectors import courses_for_mentor

        mentor = User.objects.get(email="mentor@middelfart.demo.dk")
        assert mentor.mentor.centres.count() == 1
        assert courses_for_mentor(mentor).filter(end__isnull=True).exists()
    assert "http://middelfart.localhost:8000/" in out  # without --port: runserver's default
    # Run again: nothing is duplicated; the addresses name the port make run serves on.
    call_command("demo_setup", port=8123)
    out = capsys.readouterr().out
    assert "http://middelfart.localhost:8123/" in out
    assert "http://localhost:8123/" in out
    assert ":8000" not in out
    with schema_context("skive"):
        assert Course.objects.filter(import_ref__isnull=False).count() == Course.objects.count()


@pytest.mark.usefixtures("db")
def test_demo_setup_refuses_without_debug(settings):
    from django.core.management import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("demo_setup")
