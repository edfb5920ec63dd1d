"""The candidate page (issue 24): its history lists the changes to the record, not the
page's own views (those stay in the audit log's access log), and it decrypts no CPR number:
it shows the number masked."""

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from tests.factories import CandidateFactory


def _history(page: str) -> str:
    return page[page.index('id="historik"') :]


def test_the_history_lists_the_changes_and_the_views_stay_in_the_access_log(as_role, centre_setup):
    candidate = centre_setup["candidate"]
    client = as_role("jobkonsulent")
    url = f"/kandidater/{candidate.pk}/"
    for _ in range(3):
        assert client.get(url).status_code == 200
    assert (
        client.post(
            url + "maalgruppe/", {"target_group": "sygedagpenge", "valid_from": "2025-05-01"}
        ).status_code
        == 302
    )
    history = _history(client.get(url).content.decode())
    assert "Målgruppe ændret" in history
    assert "Kandidat vist" not in history
    with schema_context("alpha"):
        views = AuditEvent.objects.filter(
            action="candidate.view", object_id=str(candidate.pk), is_access=True
        )
        assert views.count() == 4  # every view is still logged as a read


@pytest.mark.usefixtures("tenant_a")
def test_a_record_without_changes_says_so_however_often_it_was_viewed(as_role):
    with schema_context("alpha"):
        candidate = CandidateFactory(name="Bo Bech")  # made directly: no change logged
    client = as_role("sagsbehandler")
    for _ in range(2):
        page = client.get(f"/kandidater/{candidate.pk}/").content.decode()
    assert "Ingen ændringer registreret." in _history(page)


def test_the_page_and_its_print_show_the_number_masked_without_decrypting_it(as_role, centre_setup):
    candidate = centre_setup["candidate"]  # born 1 June 2004
    client = as_role("jobkonsulent")
    for url in (f"/kandidater/{candidate.pk}/", f"/kandidater/{candidate.pk}/udskrift/"):
        response = client.get(url)
        assert "010604-XXXX" in response.content.decode()
        assert "cpr" in response.context["candidate"].get_deferred_fields()
