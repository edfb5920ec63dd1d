"""The director's one-time signing link: works once, expires, is replaced, and means nothing
at another jobcentre."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from contracts.models import SigningLink
from contracts.services import contract_signing_link_send

from .conftest import approve_all, director_form


def send_link(contract, user, now=None, schema="alpha") -> str:
    """Send a link and return its path (the token is only in the e-mail, so capture it).

    The signing page checks expiry against the clock, so a fresh link is sent "now".
    """
    now = now or datetime.now(UTC)
    tokens = []
    with schema_context(schema):
        contract_signing_link_send(
            contract=contract,
            version=1,
            director_name="Dorthe Direktør",
            director_email="dorthe@brugsen.example",
            url_for_token=lambda token: tokens.append(token) or f"http://x/{token}",
            now=now,
            acting_user=user,
        )
    return f"/kontrakter/underskriv/{tokens[0]}/"


@pytest.fixture
def approved(draft, konsulent):
    return approve_all(draft, konsulent)


def director_client(host="alpha.test.localhost"):
    return Client(HTTP_HOST=host, REMOTE_ADDR="203.0.113.9")


def sign(client, path):
    """Sign as the director does: read the PDF the page shows, then sign it."""
    return client.post(path, director_form(client, path))


def test_link_works_once_and_a_reuse_changes_nothing(approved, konsulent):
    path = send_link(approved, konsulent)
    client = director_client()
    assert sign(client, path).status_code == 200
    with schema_context("alpha"):
        approved.refresh_from_db()
        first_signed_at = approved.director_signed_at
        assert first_signed_at is not None
    again = sign(director_client(), path)
    assert again.status_code == 410
    assert "allerede brugt" in again.content.decode()
    assert director_client().get(path).status_code == 410
    with schema_context("alpha"):
        approved.refresh_from_db()
        assert approved.director_signed_at == first_signed_at
        link = SigningLink.objects.get()
        assert (link.used_name, link.used_ip) == ("Dorthe Direktør", "203.0.113.9")


def test_expired_link_is_refused_and_signs_nothing(approved, konsulent):
    # Sent 15 days ago: links live 14 days.
    path = send_link(approved, konsulent, now=datetime.now(UTC) - timedelta(days=15))
    response = sign(director_client(), path)
    assert response.status_code == 410
    assert "udløbet" in response.content.decode()
    with schema_context("alpha"):
        approved.refresh_from_db()
    assert approved.director_signed_at is None


@pytest.mark.usefixtures("tenant_b")
def test_link_of_jobcentre_a_is_unknown_at_jobcentre_b(approved, konsulent):
    path = send_link(approved, konsulent)
    at_b = director_client("beta.test.localhost")
    assert at_b.get(path).status_code == 404
    assert sign(at_b, path).status_code == 404
    with schema_context("alpha"):
        approved.refresh_from_db()
        assert approved.director_signed_at is None
        assert SigningLink.objects.get().used_at is None
    # The link still works where it belongs.
    assert sign(director_client(), path).status_code == 200


def test_a_new_link_replaces_the_old_one(approved, konsulent):
    old = send_link(approved, konsulent)
    new = send_link(approved, konsulent)
    response = sign(director_client(), old)
    assert response.status_code == 410
    assert "nyere link" in response.content.decode()
    assert sign(director_client(), new).status_code == 200


def test_unknown_or_tampered_token_is_404(approved, konsulent):
    path = send_link(approved, konsulent)
    assert director_client().get(path[:-3] + "xx/").status_code == 404
    assert director_client().get("/kontrakter/underskriv/abc/").status_code == 404


def test_missing_name_or_acceptance_signs_nothing(approved, konsulent):
    path = send_link(approved, konsulent)
    response = director_client().post(path, {"name": "", "accept": ""})
    assert response.status_code == 400
    with schema_context("alpha"):
        approved.refresh_from_db()
        assert approved.director_signed_at is None
        assert SigningLink.objects.get().used_at is None


def test_no_link_before_every_approval_step(draft, konsulent):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="mangler godkendelser"):
        send_link(draft, konsulent)
    with schema_context("alpha"):
        assert not SigningLink.objects.exists()


def test_editing_after_the_link_was_sent_revokes_it(approved, konsulent):
    from contracts.services import contract_update

    path = send_link(approved, konsulent)
    with schema_context("alpha"):
        contract_update(contract=approved, places=5, acting_user=konsulent)
    assert sign(director_client(), path).status_code == 410
