import pytest
from django.core import mail

from tests.conftest import PASSWORD, make_user

ROLE_HEADINGS = {
    "jobkonsulent": "Mine kandidater",
    "sagsbehandler": "Henvisninger",
    "mentor": "I dag",
    "jobcenterchef": "Nøgletal",
    "admin": "Administration",
}


def login(client, email, password=PASSWORD):
    return client.post("/konto/login/", {"login": email, "password": password})


def test_user_logs_in_at_own_jobcentre_and_lands_on_start_page(client_a, tenant_a):
    make_user(tenant_a, "jobkonsulent", email="kirsten@alpha.test")
    response = login(client_a, "kirsten@alpha.test")
    assert response.status_code == 302
    assert response["Location"] == "/"
    start = client_a.get("/")
    assert start.status_code == 200
    assert "Mine kandidater" in start.content.decode()
    assert "Jobcenter Alfa" in start.content.decode()


def test_login_page_is_danish(client_a):
    body = client_a.get("/konto/login/").content.decode()
    assert 'lang="da"' in body
    assert "Log ind" in body
    assert "Adgangskode" in body


@pytest.mark.usefixtures("tenant_b")
def test_user_of_jobcentre_a_cannot_log_in_at_jobcentre_b(client_b, tenant_a):
    make_user(tenant_a, "jobkonsulent", email="kirsten@alpha.test")
    response = login(client_b, "kirsten@alpha.test")
    assert response.status_code == 200  # the form again, with an error
    assert "_auth_user_id" not in client_b.session
    assert client_b.get("/").status_code == 302


def test_session_from_jobcentre_a_means_nothing_at_jobcentre_b(tenant_a, tenant_b):
    from django.test import Client

    make_user(tenant_a, "jobcenterchef", email="chef@alpha.test")
    # Same id in B: a session that carried only a user id would log in as this person.
    make_user(tenant_b, "jobcenterchef", email="chef@beta.test")
    client = Client(HTTP_HOST="alpha.test.localhost")
    assert login(client, "chef@alpha.test").status_code == 302
    assert client.get("/").status_code == 200
    # The test client sends the same cookie to every host: B must not know the session.
    response = client.get("/", HTTP_HOST="beta.test.localhost")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.parametrize(("role", "heading"), ROLE_HEADINGS.items())
def test_each_role_has_its_own_start_page(login, client_a, tenant_a, role, heading):
    login(tenant_a, role, email=f"{role}-x@alpha.test")
    response = client_a.get("/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"<h1>{heading}</h1>" in body
    # Only the admin role is offered the administration.
    assert ("/admin/" in body) == (role == "admin")


def test_user_without_role_is_told_so_and_sees_nothing(client_a, tenant_a):
    make_user(tenant_a, None, email="ingen@alpha.test")
    login(client_a, "ingen@alpha.test")
    response = client_a.get("/")
    assert response.status_code == 403
    assert "ingen rolle" in response.content.decode()


def test_admin_start_page_lists_users_and_background_jobs(client_a, tenant_a):
    make_user(tenant_a, "admin", email="it@alpha.test")
    make_user(tenant_a, "mentor", email="mentor@alpha.test")
    login(client_a, "it@alpha.test")
    body = client_a.get("/").content.decode()
    assert "mentor@alpha.test" in body
    assert "Ingen baggrundsjob har kørt" in body


def test_admin_start_page_shows_each_users_roles_in_one_query_whatever_their_number(
    client_a, tenant_a, django_assert_max_num_queries
):
    """accounts.selectors.users_with_roles: the roles' names, alphabetical, or "ingen"."""
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django_tenants.utils import schema_context

    make_user(tenant_a, "admin", email="it@alpha.test")
    two = make_user(tenant_a, "sagsbehandler", email="to@alpha.test")
    make_user(tenant_a, None, email="ingen@alpha.test")
    with schema_context("alpha"):
        two.groups.add(*Group.objects.filter(name="jobkonsulent"))
    login(client_a, "it@alpha.test")
    with CaptureQueriesContext(connection) as few:
        body = client_a.get("/").content.decode()
    assert "<td>to@alpha.test</td><td>jobkonsulent, sagsbehandler</td>" in body
    assert '<td>ingen@alpha.test</td><td><span class="muted">ingen</span></td>' in body
    for n in range(5):
        make_user(tenant_a, "mentor", email=f"mentor{n}@alpha.test")
    with django_assert_max_num_queries(len(few)):
        body = client_a.get("/").content.decode()
    assert body.count("<td>mentor</td>") == 5


def test_anonymous_is_sent_to_login(client_a):
    response = client_a.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.usefixtures("tenant_a")
def test_signup_is_closed(client_a):
    from django_tenants.utils import schema_context

    from accounts.models import User

    client_a.post(
        "/konto/signup/",
        {"email": "ny@alpha.test", "password1": PASSWORD, "password2": PASSWORD},
    )
    with schema_context("alpha"):
        assert not User.objects.filter(email="ny@alpha.test").exists()


def test_logout(client_a, tenant_a):
    make_user(tenant_a, "sagsbehandler", email="s@alpha.test")
    login(client_a, "s@alpha.test")
    client_a.post("/konto/logout/")
    assert client_a.get("/").status_code == 302


def test_password_change(client_a, tenant_a):
    make_user(tenant_a, "sagsbehandler", email="s@alpha.test")
    login(client_a, "s@alpha.test")
    response = client_a.post(
        "/konto/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "nyt-og-langt-kodeord-7",
            "password2": "nyt-og-langt-kodeord-7",
        },
    )
    assert response.status_code == 302
    client_a.post("/konto/logout/")
    assert login(client_a, "s@alpha.test", "nyt-og-langt-kodeord-7").status_code == 302


def test_password_reset_mails_a_link_to_the_users_own_jobcentre(client_a, tenant_a):
    make_user(tenant_a, "jobkonsulent", email="glemsom@alpha.test")
    response = client_a.post("/konto/password/reset/", {"email": "glemsom@alpha.test"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["glemsom@alpha.test"]
    assert "http://alpha.test.localhost/konto/password/reset/key/" in mail.outbox[0].body


def test_password_reset_for_user_of_other_jobcentre_sends_no_link(client_b, tenant_a):
    make_user(tenant_a, "jobkonsulent", email="glemsom@alpha.test")
    client_b.post("/konto/password/reset/", {"email": "glemsom@alpha.test"})
    assert all("/konto/password/reset/key/" not in m.body for m in mail.outbox)


def test_five_failed_logins_lock_the_account_for_a_while(client_a, tenant_a):
    make_user(tenant_a, "jobkonsulent", email="k@alpha.test")
    for _ in range(5):
        login(client_a, "k@alpha.test", "forkert")
    # Even the right password is refused while the limit holds.
    response = login(client_a, "k@alpha.test")
    assert response.status_code != 302
    assert "_auth_user_id" not in client_a.session
