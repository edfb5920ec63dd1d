"""A contract is signed only as it was shown (issue 19, finding 3): the signing forms carry
the version's fingerprint, and a contract changed in between is refused in Danish with
nothing signed."""

import re
from decimal import Decimal

from django_tenants.utils import schema_context

from contracts.models import Contract, SigningLink
from tests.conftest import PASSWORD

from .conftest import approve_all, director_form
from .test_signing_links import director_client, send_link

CHANGED = "Kontrakten er ændret - se den igen"


def _shown(page) -> dict:
    return {"shown": re.search(r'name="shown" value="([0-9a-f]+)"', page.content.decode())[1]}


def _change_terms_meanwhile(contract) -> None:
    """Someone changes what the contract agrees while the signer reads it."""
    with schema_context("alpha"):
        Contract.objects.filter(pk=contract.pk).update(payment_amount=Decimal(1200))


def test_the_chief_cannot_sign_a_contract_changed_after_the_page_showed_it(
    login, draft, konsulent, chef
):
    approve_all(draft, konsulent)
    client = login("alpha", user=chef)
    url = f"/kontrakter/{draft.pk}/version/1/underskriv/"
    shown = _shown(client.get(url))
    _change_terms_meanwhile(draft)
    response = client.post(url, {"password": PASSWORD, **shown})
    assert response.status_code == 400
    assert CHANGED in response.content.decode()
    with schema_context("alpha"):
        assert Contract.objects.get(pk=draft.pk).chief_signed_at is None
    # Seen again, it signs.
    again = client.post(url, {"password": PASSWORD, **_shown(client.get(url))})
    assert again.status_code == 302
    with schema_context("alpha"):
        assert Contract.objects.get(pk=draft.pk).chief_signed_at is not None


def test_the_director_cannot_sign_a_contract_changed_after_the_page_showed_it(draft, konsulent):
    approve_all(draft, konsulent)
    path = send_link(draft, konsulent)
    client = director_client()
    shown = {"shown": director_form(client, path)["shown"]}  # the page with its PDF
    _change_terms_meanwhile(draft)
    response = client.post(path, director_form(client, path) | shown)
    assert CHANGED in response.content.decode()
    with schema_context("alpha"):
        assert Contract.objects.get(pk=draft.pk).director_signed_at is None
        assert SigningLink.objects.get(contract=draft).used_at is None


def test_a_signature_arriving_meanwhile_is_no_change(login, draft, konsulent, chef):
    """The director signs while the chief reads: what is agreed is the same, the chief signs."""
    approve_all(draft, konsulent)
    client = login("alpha", user=chef)
    url = f"/kontrakter/{draft.pk}/version/1/underskriv/"
    shown = _shown(client.get(url))
    path = send_link(draft, konsulent)
    director = director_client()
    director.post(path, director_form(director, path))
    assert client.post(url, {"password": PASSWORD, **shown}).status_code == 302
