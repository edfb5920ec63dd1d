"""The platform admin (public host) signs in like everybody else: through allauth, with the
account lock and two-factor login; closing a jobcentre is a deliberate procedure."""

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD, PUBLIC_HOST

PLATFORM_EMAIL = "drift@platform.test"


@pytest.fixture
def platform_admin(db):  # noqa: ARG001 - a fixture asked for its effect
    from accounts.services import user_create

    with schema_context("public"):
        return user_create(
            email=PLATFORM_EMAIL, password=PASSWORD, roles=[], is_staff=True, is_superuser=True
        )


def login(client, email=PLATFORM_EMAIL, password=PASSWORD, ip="10.0.0.1"):
    return client.post("/konto/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.usefixtures("platform_admin")
def test_platform_admin_form_is_not_used_the_login_is_allauths():
    response = Client(HTTP_HOST=PUBLIC_HOST).get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


@pytest.mark.usefixtures("platform_admin")
def test_platform_staff_must_set_up_two_factor_login_before_the_admin():
    client = Client(HTTP_HOST=PUBLIC_HOST)
    assert login(client).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/konto/2fa/totp/activate/"
    assert client.get("/admin/tenants/jobcenter/").status_code == 302


@pytest.mark.usefixtures("platform_admin")
def test_platform_admin_is_locked_after_five_wrong_passwords():
    client = Client(HTTP_HOST=PUBLIC_HOST)
    for i in range(5):
        assert login(client, password="forkert", ip=f"10.7.0.{i}").status_code != 302
    assert login(Client(HTTP_HOST=PUBLIC_HOST), ip="10.7.1.1").status_code != 302
