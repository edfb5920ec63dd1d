"""Editing a candidate after registration (issue 23): phone, barriers, wishes and the rest,
by the roles that register, audited with the changed fields; never in another jobcentre."""

import pytest
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from candidates.models import Candidate


def form_data(candidate, **changes):
    data = {
        "name": candidate.name,
        "phone": candidate.phone,
        "email": candidate.email,
        "benefit": candidate.benefit,
        "education": candidate.education,
        "labour_market_years": candidate.labour_market_years or "",
        "matchgruppe": candidate.matchgruppe or "",
        "barriers": candidate.barriers,
        "wishes": candidate.wishes,
    }
    if candidate.on_benefit_over_1_year:
        data["on_benefit_over_1_year"] = "on"
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ["sagsbehandler", "jobkonsulent"])
def test_the_registering_roles_correct_phone_barriers_and_wishes_and_the_log_names_them(
    as_role, role, centre_setup
):
    candidate = centre_setup["candidate"]
    client = as_role(role)
    url = f"/kandidater/{candidate.pk}/rediger/"
    page = client.get(url)
    assert page.status_code == 200
    assert candidate.name in page.content.decode()
    assert "Ret oplysninger" in client.get(f"/kandidater/{candidate.pk}/").content.decode()

    data = form_data(candidate, phone="20 30 40 50", barriers=["sprog"], wishes="lager, kasse")
    response = client.post(url, data)
    assert response.status_code == 302
    with schema_context("alpha"):
        stored = Candidate.objects.get(pk=candidate.pk)
        assert (stored.phone, stored.barriers, stored.wishes) == (
            "20 30 40 50",
            ["sprog"],
            "lager, kasse",
        )
        event = AuditEvent.objects.get(action="candidate.update", object_id=str(candidate.pk))
        assert sorted(event.fields) == ["barriers", "phone", "wishes"]
        assert event.actor_label.startswith(role)

    # Saved again unchanged: nothing written, nothing logged.
    assert client.post(url, data).status_code == 302
    with schema_context("alpha"):
        assert AuditEvent.objects.filter(action="candidate.update").count() == 1


def test_an_empty_name_is_refused_in_danish_and_changes_nothing(as_role, centre_setup):
    candidate = centre_setup["candidate"]
    client = as_role("sagsbehandler")
    response = client.post(
        f"/kandidater/{candidate.pk}/rediger/", form_data(candidate, name="  ", phone="11")
    )
    assert response.status_code == 400
    assert "Dette felt er påkrævet" in response.content.decode() or "Navnet" in (
        response.content.decode()
    )
    with schema_context("alpha"):
        assert Candidate.objects.get(pk=candidate.pk).phone == candidate.phone
        assert not AuditEvent.objects.filter(action="candidate.update").exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("mentor", 403), ("jobcenterchef", 403), ("outsider", 403), ("other_tenant", 404)],
)
def test_other_roles_and_jobcentres_cannot_edit_a_candidate(as_role, role, status, centre_setup):
    candidate = centre_setup["candidate"]
    client = as_role(role)
    url = f"/kandidater/{candidate.pk}/rediger/"
    assert client.get(url).status_code == status
    assert client.post(url, form_data(candidate, phone="99")).status_code == status
    with schema_context("alpha"):
        assert Candidate.objects.get(pk=candidate.pk).phone == candidate.phone
