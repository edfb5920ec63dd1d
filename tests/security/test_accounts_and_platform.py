"""Accounts (MFA, throttling), headers and CSP, Redis down, the PDF fetcher, and idempotent
background jobs. Isolation of cache, sessions, e-mails and Celery tasks per jobcentre is
proven in tests/foundation; the generated files (contract PDFs) here."""

import re
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD, ROOT, TENANTS, tenant_client
from tests.factories import CandidateFactory, ContractFactory

from .conftest import users_for

HOST_A = TENANTS["alpha"]["domain"]


def login(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post("/konto/login/", {"login": email, "password": password}, REMOTE_ADDR=ip)


# --- MFA ------------------------------------------------------------------------------------


def test_mfa_is_required_for_chef_and_admin_in_the_shared_settings():
    from config.settings import base

    assert set(base.MFA_REQUIRED_ROLES) == {"jobcenterchef", "admin"}
    assert "totp" in base.MFA_SUPPORTED_TYPES


@pytest.fixture
def mfa_required(settings):
    settings.MFA_REQUIRED_ROLES = ["jobcenterchef", "admin"]


@pytest.mark.usefixtures("mfa_required")
def test_chef_without_totp_is_sent_to_set_it_up_before_anything_else(tenant_a):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    chef = users_for(tenant_a)["jobcenterchef"]
    client = Client(HTTP_HOST=HOST_A)
    login(client, chef.email)
    for path in ("/", "/statistik/", "/revision/", "/kontrakter/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == "/konto/2fa/totp/activate/"
    # allauth asks for the password again before a new factor; both pages stay reachable.
    assert client.get("/konto/2fa/totp/activate/")["Location"].startswith("/konto/reauth")
    assert client.post("/konto/reauthenticate/", {"password": PASSWORD}).status_code == 302
    assert client.get("/konto/2fa/totp/activate/").status_code == 200
    with schema_context("alpha"):
        TOTP.activate(chef, generate_totp_secret())
    assert client.get("/").status_code == 200


@pytest.mark.usefixtures("mfa_required")
def test_other_roles_may_but_need_not_set_up_mfa(tenant_a):
    konsulent = users_for(tenant_a)["jobkonsulent"]
    client = Client(HTTP_HOST=HOST_A)
    login(client, konsulent.email)
    assert client.get("/").status_code == 200
    assert client.post("/konto/reauthenticate/", {"password": PASSWORD}).status_code == 302
    assert client.get("/konto/2fa/totp/activate/").status_code == 200


def test_login_with_totp_asks_for_the_code_before_the_session_is_made(tenant_a):
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
        TOTP.activate(chef, secret)
    client = Client(HTTP_HOST=HOST_A)
    response = login(client, chef.email)
    assert response["Location"] == "/konto/2fa/authenticate/"
    assert "_auth_user_id" not in client.session
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post("/konto/2fa/authenticate/", {"code": code})
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_the_pending_totp_secret_is_not_in_the_session_row_and_the_set_up_still_works(tenant_a):
    """While the authenticator app is set up, the new secret waits in the session: the row
    in the session table holds it encrypted only (the MFA key), and its first code still
    activates two-factor login."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    konsulent = users_for(tenant_a)["jobkonsulent"]
    client = Client(HTTP_HOST=HOST_A)
    login(client, konsulent.email)
    assert client.post("/konto/reauthenticate/", {"password": PASSWORD}).status_code == 302
    page = client.get("/konto/2fa/totp/activate/").content.decode()
    secret = re.search(r'id="authenticator_secret"[^>]*value="([A-Z2-7]{32})"', page)
    secret = secret or re.search(r'value="([A-Z2-7]{32})"[^>]*id="authenticator_secret"', page)
    assert secret, "the set-up page shows the secret"
    secret = secret.group(1)
    with schema_context("alpha"):
        row = Session.objects.get(session_key=client.session.session_key)
        stored = SessionStore().decode(row.session_data)
    assert secret not in row.session_data
    assert stored, "the session row decodes"
    assert not [key for key, value in stored.items() if secret in str(value)]
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post("/konto/2fa/totp/activate/", {"code": code})
    assert response.status_code == 302
    with schema_context("alpha"):
        assert Authenticator.objects.filter(user=konsulent, type="totp").exists()
        row = Session.objects.get(session_key=client.session.session_key)
        assert "mfa.totp.secret" not in SessionStore().decode(row.session_data)


@pytest.mark.usefixtures("tenant_a")
def test_tenant_admin_logs_in_through_allauth_not_the_admin_form():
    response = Client(HTTP_HOST=HOST_A).get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_jobcentre_admin_does_not_see_or_edit_other_jobcentres(login, tenant_a, tenant_b):
    client = login(tenant_a, user=users_for(tenant_a)["admin"], client=tenant_client(tenant_a))
    assert client.get("/admin/").status_code == 200
    assert "Jobcenter Beta" not in client.get("/admin/").content.decode()
    assert client.get("/admin/tenants/jobcenter/").status_code == 403
    assert client.get(f"/admin/tenants/jobcenter/{tenant_b.pk}/change/").status_code in (
        302,
        403,
    )


# --- Login throttling -----------------------------------------------------------------------


def test_five_failures_lock_the_account_from_any_ip_for_15_minutes(tenant_a):
    from datetime import timedelta

    from accounts.models import LoginLock

    user = users_for(tenant_a)["sagsbehandler"]
    other = users_for(tenant_a)["jobkonsulent"]
    client = Client(HTTP_HOST=HOST_A)
    for i in range(5):  # an attacker spreading over five addresses
        login(client, user.email, "forkert-kode", ip=f"10.9.0.{i}")
    refused = login(Client(HTTP_HOST=HOST_A), user.email, ip="10.9.1.1")
    assert refused.status_code != 302
    assert "forsøg" in refused.content.decode() or "attempts" in refused.content.decode()
    # The lock is the account's: a colleague logs in fine from yet another address.
    assert login(Client(HTTP_HOST=HOST_A), other.email, ip="10.9.2.1").status_code == 302
    # 15 minutes later (the lock's times moved back, as the clock would move on).
    with schema_context("alpha"):
        lock = LoginLock.objects.get(email=user.email)
        LoginLock.objects.filter(pk=lock.pk).update(
            window_start=lock.window_start - timedelta(minutes=15, seconds=1),
            locked_until=lock.locked_until - timedelta(minutes=15, seconds=1),
        )
    assert login(Client(HTTP_HOST=HOST_A), user.email, ip="10.9.1.1").status_code == 302
    with schema_context("alpha"):
        assert not LoginLock.objects.filter(email=user.email).exists()  # counted afresh


def test_the_account_lock_holds_while_redis_is_down(tenant_a, settings):
    user = users_for(tenant_a)["sagsbehandler"]
    settings.CACHES = {
        "default": {**settings.CACHES["default"], "LOCATION": "redis://127.0.0.1:1/0"}
    }
    for i in range(5):
        login(Client(HTTP_HOST=HOST_A), user.email, "forkert-kode", ip=f"10.8.0.{i}")
    # The right password now: still refused, the lock is in PostgreSQL.
    assert login(Client(HTTP_HOST=HOST_A), user.email, ip="10.8.1.1").status_code != 302


def test_an_attacker_behind_the_offices_address_does_not_lock_the_office_out(tenant_a):
    """Everybody's requests come through one proxy; the client is X-Forwarded-For's."""
    users = users_for(tenant_a)
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1):
        attacker = Client(HTTP_HOST=HOST_A, HTTP_X_FORWARDED_FOR="203.0.113.66")
        for n in range(12):  # many accounts, a few guesses each
            attacker.post(
                "/konto/login/",
                {"login": f"gaet{n}@alpha.test", "password": "forkert"},
                REMOTE_ADDR="10.0.0.254",
            )
        colleague = Client(HTTP_HOST=HOST_A, HTTP_X_FORWARDED_FOR="198.51.100.7")
        response = colleague.post(
            "/konto/login/",
            {"login": users["jobkonsulent"].email, "password": PASSWORD},
            REMOTE_ADDR="10.0.0.254",
        )
    assert response.status_code == 302


def test_one_address_trying_many_accounts_is_slowed(tenant_a):
    users = users_for(tenant_a)
    client = Client(HTTP_HOST=HOST_A)
    for n in range(100):
        login(client, f"gaet{n}@alpha.test", "forkert", ip="192.0.2.9")
    # The address is stopped, even with a right password; another address is not.
    assert login(Client(HTTP_HOST=HOST_A), users["mentor"].email, ip="192.0.2.9").status_code != 302
    assert (
        login(Client(HTTP_HOST=HOST_A), users["mentor"].email, ip="192.0.2.10").status_code == 302
    )


def test_login_works_with_redis_down(tenant_a, settings):
    user = users_for(tenant_a)["jobkonsulent"]
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    client = Client(HTTP_HOST=HOST_A)
    assert login(client, user.email).status_code == 302
    assert client.get("/").status_code == 200
    assert client.get("/kandidater/").status_code == 200


# --- Headers, cookies, CSP ------------------------------------------------------------------


INLINE = [
    re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    re.compile(r"<style[\s>]", re.I),
    re.compile(r"\sstyle=", re.I),
    re.compile(r"\son[a-z]+=", re.I),
    re.compile(r"javascript:", re.I),
]


@pytest.mark.usefixtures("tenant_a")
def test_pages_send_csp_without_unsafe_inline_and_deny_framing():
    response = Client(HTTP_HOST=HOST_A).get("/konto/login/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert '"includeIndicatorStyles": false' in response.content.decode()


def test_no_template_served_to_a_browser_has_inline_script_style_or_handler():
    offenders = []
    for path in ROOT.glob("*/templates/**/*.html"):
        if "/pdf/" in str(path) or ".venv" in str(path):  # WeasyPrint's input, not a browser's
            continue
        text = path.read_text()
        for pattern in INLINE:
            if pattern.search(text):
                offenders.append(f"{path.relative_to(ROOT)}: {pattern.pattern}")
    assert offenders == []


def test_rendered_pages_of_each_role_have_no_inline_script_style_or_handler(login, tenant_a):
    users = users_for(tenant_a)
    with schema_context("alpha"):
        candidate = CandidateFactory(name="Inline Ida")
    pages = {
        "jobkonsulent": ["/", "/kandidater/", f"/kandidater/{candidate.pk}/", "/centre/"],
        "mentor": ["/", "/mentor/uge/"],
        "jobcenterchef": ["/", "/revision/"],
        "admin": ["/"],
    }
    for role, paths in pages.items():
        client = login(tenant_a, user=users[role], client=tenant_client(tenant_a))
        for path in paths:
            body = client.get(path).content.decode()
            body = re.sub(
                r"<script[^>]*type=\"application/json\".*?</script>", "", body, flags=re.S
            )
            found = [p.pattern for p in INLINE if p.search(body)]
            assert found == [], f"{role} {path}: {found}"


def test_production_sets_secure_cookies_and_hsts():
    source = (ROOT / "config" / "settings" / "production.py").read_text()
    for setting in (
        "SESSION_COOKIE_SECURE = True",
        "CSRF_COOKIE_SECURE = True",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS = True",
        "SECURE_HSTS_SECONDS",
        "SECURE_SSL_REDIRECT",
    ):
        assert setting in source


# --- PDF rendering fetches nothing foreign --------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        self.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.end_headers()
        self.wfile.write(b"body { color: red }")

    def log_message(self, *args):
        pass


@pytest.fixture
def http_server():
    _Recorder.hits = []
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_pdf_with_data_url_and_outside_import_fetches_nothing_and_still_renders(http_server):
    from documents.pdf import html_to_pdf

    html = (
        f'<style>@import url("{http_server}/evil.css"); @import "file:///etc/passwd";</style>'
        f'<link rel="stylesheet" href="data:text/css,@import url(%22{http_server}/d.css%22);">'
        '<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9z'
        'dmciLz4=">'
        f'<img src="{http_server}/pixel.gif"><p>Kontraktens tekst</p>'
    )
    pdf, fetcher = html_to_pdf(html)
    assert pdf.startswith(b"%PDF")
    assert _Recorder.hits == []
    assert fetcher.fetched == []
    assert f"{http_server}/evil.css" in fetcher.refused


# --- Background jobs: redelivery gives one result -------------------------------------------


@pytest.mark.usefixtures("tenant_a")
def test_contract_pdf_task_redelivered_after_a_worker_died_renders_one_pdf(settings, tmp_path):
    from contracts.models import ContractDocument
    from contracts.tasks import contract_document_render_task

    assert contract_document_render_task.acks_late
    settings.MEDIA_ROOT = tmp_path
    with schema_context("alpha"):
        contract = ContractFactory(start=date(2025, 1, 1))
        document = ContractDocument.objects.create(contract=contract, version=1, kind="preview")
        # The first worker marked it running, then died (its lease ran out): the message is
        # delivered again.
        from django.utils import timezone

        ContractDocument.objects.filter(pk=document.pk).update(
            state="running", lease_until=timezone.now() - timedelta(seconds=1)
        )
        assert contract_document_render_task.run(document.pk) == "done"
        assert contract_document_render_task.run(document.pk) == "done"  # a duplicate
        document.refresh_from_db()
        assert ContractDocument.objects.filter(contract=contract).count() == 1
        assert bytes(document.content).startswith(b"%PDF")
    # The PDF is in the jobcentre's own schema, never a file beside it; B has no such document.
    assert list(Path(tmp_path).rglob("*")) == []
    b_chef = users_for_b_chef()
    response = b_chef.get(f"/kontrakter/{contract.pk}/dokumenter/{document.pk}/hent/")
    assert response.status_code == 404


def users_for_b_chef():
    from tenants.models import Jobcenter

    chef = users_for(Jobcenter.objects.get(schema_name="beta"))["jobcenterchef"]
    client = Client(HTTP_HOST=TENANTS["beta"]["domain"])
    with schema_context("beta"):
        client.force_login(chef)
    return client


def test_the_audit_log_records_the_client_behind_the_proxy_not_the_proxy(tenant_a):
    from audit.models import AuditEvent

    user = users_for(tenant_a)["jobkonsulent"]
    with override_settings(ALLAUTH_TRUSTED_PROXY_COUNT=1):
        client = Client(
            HTTP_HOST=HOST_A,
            # A client's own entry (left) is never trusted; the proxy appended the last one.
            HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.23",
        )
        with schema_context("alpha"):
            client.force_login(user)
            candidate = CandidateFactory(name="Ip Testesen")
        assert (
            client.get(f"/kandidater/{candidate.pk}/", REMOTE_ADDR="10.0.0.254").status_code == 200
        )
    with schema_context("alpha"):
        event = AuditEvent.objects.filter(actor=user, is_access=True).latest("pk")
    assert event.ip == "198.51.100.23"
