"""Issue 17, finding 1: the jobcentre's Django admin is no back door.

The admin is staff, not a superuser; its admin offers people and reference data, never a
case (CPR, benefit, barriers), a contract or a secret (TOTP, recovery codes); two-factor
secrets are encrypted at rest; and every use of the admin is in the audit log.
"""

import re
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from tests.conftest import PASSWORD, TENANTS
from tests.factories import CandidateFactory, ContractFactory, CourseFactory

from .conftest import users_for

HOST_A = TENANTS["alpha"]["domain"]
HREF = re.compile(r'href="(/admin/[^"#?]*)')


def admin_client(tenant_a):
    """The admin jobcenter_create made for alpha, signed in (its e-mail: conftest)."""
    from accounts.models import User

    with schema_context(tenant_a.schema_name):
        user = User.objects.get(email="admin@alpha.test")
        client = Client(HTTP_HOST=HOST_A)
        client.force_login(user)
    return client, user


def crawl(client, start="/admin/", limit=150) -> dict[str, str]:
    """Every admin page reachable from the index by links (GET only), with its body."""
    seen: dict[str, str] = {}
    queue = [start]
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen or url.startswith(("/admin/logout/", "/admin/login/")):
            continue
        response = client.get(url)
        body = response.content.decode("utf-8", "replace") if response.status_code == 200 else ""
        seen[url] = body
        queue += [u for u in HREF.findall(body) if u not in seen]
    return seen


def test_a_new_jobcentres_admin_is_staff_but_not_a_superuser(tenant_a):
    _client, user = admin_client(tenant_a)
    assert user.is_staff and not user.is_superuser
    with schema_context("alpha"):
        assert user.has_role("admin")


def test_the_admin_sees_no_cpr_benefit_or_barriers_anywhere_in_the_admin(tenant_a):
    with schema_context("alpha"):
        person = CandidateFactory(
            name="Alma Hemmelig", cpr="0101901234", benefit="kontanthjaelp", barriers=["misbrug"]
        )
        course = CourseFactory(candidate=person)
    client, _user = admin_client(tenant_a)
    pages = crawl(client)
    # Also the addresses the old admin answered on, and a CPR search on the users.
    for url in (
        "/admin/candidates/candidate/",
        f"/admin/candidates/candidate/{person.pk}/change/",
        "/admin/candidates/course/",
        f"/admin/candidates/course/{course.pk}/change/",
        "/admin/mentors/attendance/",
    ):
        response = client.get(url)
        pages[url] = response.content.decode("utf-8", "replace")
        if "candidates" in url or "mentors" in url:
            assert response.status_code == 404, url
    assert len(pages) > 5
    secrets = ["0101901234", "010190-1234", "Alma Hemmelig", "Kontanthjælp", "Misbrug"]
    leaked = {url: [s for s in secrets if s in body] for url, body in pages.items()}
    assert {url: found for url, found in leaked.items() if found} == {}


def test_the_admin_sees_no_totp_secret_or_recovery_codes(tenant_a):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    chef = users_for(tenant_a)["jobcenterchef"]
    secret = generate_totp_secret()
    with schema_context("alpha"):
        TOTP.activate(chef, secret)
        codes = RecoveryCodes.activate(chef).generate_codes()
        stored = list(Authenticator.objects.filter(user=chef))
    client, _user = admin_client(tenant_a)
    for authenticator in stored:
        assert client.get("/admin/mfa/authenticator/").status_code == 404
        url = f"/admin/mfa/authenticator/{authenticator.pk}/change/"
        assert client.get(url).status_code == 404
    pages = crawl(client)
    pages["chef"] = client.get(f"/admin/accounts/user/{chef.pk}/change/").content.decode()
    for url, body in pages.items():
        assert secret not in body, url
        assert not [code for code in codes if code in body], url
        assert "authenticator" not in body.lower(), url


def test_the_admin_cannot_see_or_edit_a_signed_contract(tenant_a):
    from contracts.models import Contract

    with schema_context("alpha"):
        chef = users_for(tenant_a)["jobcenterchef"]
        contract = ContractFactory(
            payment_amount=Decimal(1500),
            chief_signed_by=chef,
            chief_signed_at=timezone.now(),
            director_signed_at=timezone.now(),
        )
    client, _user = admin_client(tenant_a)
    url = f"/admin/contracts/contract/{contract.pk}/change/"
    assert client.get(url).status_code == 404
    forged = {"payment_amount": "99999", "director_name": "Falsk", "centre": contract.centre_id}
    assert client.post(url, forged).status_code == 404
    assert client.get("/admin/contracts/contract/").status_code == 404
    with schema_context("alpha"):
        assert Contract.objects.get(pk=contract.pk).payment_amount == Decimal(1500)


def test_the_user_admin_shows_no_password_hash_no_superuser_flag_and_sets_no_password(tenant_a):
    chef = users_for(tenant_a)["jobcenterchef"]
    client, _user = admin_client(tenant_a)
    page = client.get(f"/admin/accounts/user/{chef.pk}/change/").content.decode()
    assert "md5$" not in page and "pbkdf2" not in page
    assert 'name="is_superuser"' not in page and 'name="user_permissions"' not in page
    assert 'name="is_staff"' not in page
    # Setting a password the admin would know is refused; the reset link is sent instead.
    assert client.get(f"/admin/accounts/user/{chef.pk}/password/").status_code == 403
    response = client.post(
        "/admin/accounts/user/",
        {"action": "send_password_reset", "_selected_action": [chef.pk]},
    )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[chef.email]]


def test_a_user_added_in_the_admin_gets_the_link_not_a_password_and_staff_follows_the_role(
    tenant_a,
):
    from django.contrib.auth.models import Group

    from accounts.models import User

    with schema_context("alpha"):
        groups = {g.name: g.pk for g in Group.objects.all()}
    client, _user = admin_client(tenant_a)
    response = client.post(
        "/admin/accounts/user/add/",
        {"email": "ny@alpha.test", "first_name": "Ny", "groups": [groups["admin"]]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("alpha"):
        new = User.objects.get(email="ny@alpha.test")
        assert not new.has_usable_password()
        assert new.is_staff and not new.is_superuser
    assert [m.to for m in mail.outbox] == [["ny@alpha.test"]]
    response = client.post(
        f"/admin/accounts/user/{new.pk}/change/",
        {"email": new.email, "first_name": "Ny", "is_active": "on", "groups": [groups["mentor"]]},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    with schema_context("alpha"):
        new.refresh_from_db()
        assert not new.is_staff and new.role_names == {"mentor"}


def test_an_admin_page_view_and_an_admin_change_are_audited(tenant_a):
    chef = users_for(tenant_a)["jobcenterchef"]
    client, admin = admin_client(tenant_a)
    assert client.get("/admin/accounts/user/", REMOTE_ADDR="10.9.8.7").status_code == 200
    assert client.get(f"/admin/accounts/user/{chef.pk}/change/").status_code == 200
    response = client.post(
        f"/admin/accounts/user/{chef.pk}/change/",
        {"email": chef.email, "first_name": "Ændret", "is_active": "on", "groups": []},
    )
    assert response.status_code == 302
    with schema_context("alpha"):
        events = list(AuditEvent.objects.filter(actor=admin).order_by("pk"))
    views = [(e.action, e.object_type, e.object_id) for e in events if e.action == "admin.view"]
    assert ("admin.view", "accounts.user", "") in views
    assert ("admin.view", "accounts.user", str(chef.pk)) in views
    listing = next(e for e in events if e.action == "admin.view")
    assert listing.ip == "10.9.8.7" and listing.is_access and listing.actor_role == "admin"
    assert "/admin/accounts/user/" in listing.object_label
    change = next(e for e in events if e.action == "admin.change")
    assert (change.object_type, change.object_id) == ("accounts.user", str(chef.pk))
    assert change.fields == ["first_name", "groups"]
    assert "admin.submit" in [e.action for e in events]


def test_a_jobkonsulent_who_is_staff_by_mistake_still_sees_nothing_of_the_cases(tenant_a):
    """Staff without the admin role: not let in (the login page), and no case page there."""
    from accounts.models import User

    konsulent = users_for(tenant_a)["jobkonsulent"]
    with schema_context("alpha"):
        User.objects.filter(pk=konsulent.pk).update(is_staff=True)
        konsulent.refresh_from_db()
        client = Client(HTTP_HOST=HOST_A)
        client.force_login(konsulent)
    assert client.get("/admin/candidates/candidate/").status_code in (302, 404)


def test_a_staff_flag_without_the_admin_role_does_not_open_the_admin(tenant_a):
    """The door is the admin role (accounts.roles.can_open_admin), not `is_staff`: a
    jobkonsulent flagged staff by mistake gets the login page, never the admin's index, and
    the users' list stays shut; the jobcentre's admin gets in."""
    from accounts.models import User

    users = users_for(tenant_a)
    konsulent = users["jobkonsulent"]
    with schema_context("alpha"):
        User.objects.filter(pk=konsulent.pk).update(is_staff=True)
        konsulent.refresh_from_db()
        client = Client(HTTP_HOST=HOST_A)
        client.force_login(konsulent)
    index = client.get("/admin/")
    assert index.status_code == 302 and index["Location"].startswith("/admin/login/")
    listing = client.get("/admin/accounts/user/")
    assert listing.status_code == 302 and listing["Location"].startswith("/admin/login/")
    assert users["admin"].email not in client.get("/admin/", follow=True).content.decode()
    admin, _user = admin_client(tenant_a)
    assert admin.get("/admin/").status_code == 200
    assert admin.get("/admin/accounts/user/").status_code == 200


# --- two-factor secrets at rest -----------------------------------------------------------


def _raw_data(pk) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT data::text FROM mfa_authenticator WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_the_stored_totp_secret_and_recovery_seed_are_encrypted_and_totp_login_works(tenant_a):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    chef = users_for(tenant_a)["jobcenterchef"]
    secret = generate_totp_secret()
    with schema_context("alpha"):
        totp = TOTP.activate(chef, secret)
        recovery = RecoveryCodes.activate(chef)
        seed_row = _raw_data(recovery.instance.pk)
        secret_row = _raw_data(totp.instance.pk)
        codes = recovery.generate_codes()
    assert secret not in secret_row and secret.lower() not in secret_row.lower()
    assert '"gAAAAA' in secret_row  # a Fernet token
    assert '"gAAAAA' in seed_row and len(codes) == 10
    client = Client(HTTP_HOST=HOST_A)
    response = client.post("/konto/login/", {"login": chef.email, "password": PASSWORD})
    assert response["Location"] == "/konto/2fa/authenticate/"
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post("/konto/2fa/authenticate/", {"code": code})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_the_migration_encrypts_secrets_stored_in_plain_text_and_they_still_work(tenant_a):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import (
        TOTP,
        format_hotp_value,
        generate_totp_secret,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    migration = import_module("accounts.migrations.0003_admin_not_superuser_mfa_encrypted")
    chef = users_for(tenant_a)["jobcenterchef"]
    secret, seed = generate_totp_secret(), "ab" * 40
    with schema_context("alpha"):
        # As allauth wrote them before MFAAdapter: plain text.
        totp = Authenticator.objects.create(user=chef, type="totp", data={"secret": secret})
        plain = Authenticator.objects.create(
            user=chef, type="recovery_codes", data={"seed": seed, "used_mask": 0}
        )
        migration.mfa_secrets_encrypt(apps, None)
        migration.mfa_secrets_encrypt(apps, None)  # again: already encrypted, left alone
        assert secret not in _raw_data(totp.pk) and seed not in _raw_data(plain.pk)
        code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
        assert TOTP(Authenticator.objects.get(pk=totp.pk)).validate_code(code)
        codes = RecoveryCodes(Authenticator.objects.get(pk=plain.pk)).generate_codes()
        assert len(codes) == 10


@pytest.mark.usefixtures("tenant_a")
def test_the_migration_demotes_superusers_of_a_jobcentre_not_of_the_platform():
    from accounts.models import User

    migration = import_module("accounts.migrations.0003_admin_not_superuser_mfa_encrypted")

    class Editor:
        connection = connection

    with schema_context("alpha"):
        User.objects.filter(email="admin@alpha.test").update(is_superuser=True)
        old = User.objects.create_superuser(email="gammel@alpha.test")
        migration.admins_not_superusers(apps, Editor())
        assert not User.objects.filter(is_superuser=True).exists()
        assert User.objects.get(email="admin@alpha.test").is_staff
        old.refresh_from_db()
        assert not old.is_staff  # no admin role: no staff
    platform = User.objects.create_superuser(email="drift@platform.test")
    migration.admins_not_superusers(apps, Editor())
    platform.refresh_from_db()
    assert platform.is_superuser


@pytest.mark.usefixtures("db")
def test_production_settings_refuse_to_start_without_the_mfa_key():
    import os
    import secrets
    import subprocess
    import sys

    from tests.conftest import ROOT

    env = {k: v for k, v in os.environ.items() if k != "MFA_ENCRYPTION_KEY"}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="virksomhedscenter.example.dk",
        CPR_ENCRYPTION_KEY="dGVzdC1vbmx5LWNwci1rZXktMDEyMzQ1Njc4OWFiY2Q=",
        CPR_HMAC_KEY="x" * 32,
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "MFA_ENCRYPTION_KEY" in result.stderr


@pytest.mark.usefixtures("tenant_a")
def test_the_platform_keeps_djangos_user_admin():
    """The admin site is shared; the platform's operators (public schema) are untouched."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from accounts.models import User
    from tests.conftest import PUBLIC_HOST

    operator = User.objects.create_superuser(email="drift@platform.test", password=PASSWORD)
    TOTP.activate(operator, generate_totp_secret())
    client = Client(HTTP_HOST=PUBLIC_HOST)
    client.force_login(operator)
    page = client.get(f"/admin/accounts/user/{operator.pk}/change/").content.decode()
    assert 'name="is_superuser"' in page and 'name="is_staff"' in page
    assert client.get(f"/admin/accounts/user/{operator.pk}/password/").status_code == 200
    assert client.get("/admin/accounts/user/add/").status_code == 200
