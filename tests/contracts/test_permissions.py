"""Who sees and does what: jobkonsulent drafts, jobcenterchef signs, the rest get 403, and
another jobcentre never finds the contract."""

import hashlib

import pytest
from django.test import Client
from django_tenants.utils import schema_context

from contracts.models import ContractDocument
from contracts.rules import EMPLOYEE_STATEMENT_STEP
from contracts.services import contract_document_render
from tests.conftest import PASSWORD, make_user, tenant_client

from .conftest import DRAFT_TERMS, approve_all


@pytest.fixture
def user_of(login, tenant_a):
    def make(role):
        return login(tenant_a, role, email=f"{role}@a.test", client=tenant_client(tenant_a))

    return make


@pytest.mark.parametrize(
    ("role", "list_status", "create_status"),
    [
        ("jobkonsulent", 200, 200),
        ("jobcenterchef", 200, 403),
        ("sagsbehandler", 403, 403),
        ("mentor", 403, 403),
        ("admin", 403, 403),
    ],
)
def test_contract_pages_by_role(user_of, draft, role, list_status, create_status):
    client = user_of(role)
    assert client.get("/kontrakter/").status_code == list_status
    assert client.get(f"/kontrakter/{draft.pk}/").status_code == list_status
    assert client.get("/kontrakter/ny/").status_code == create_status
    assert client.get(f"/kontrakter/{draft.pk}/rediger/").status_code == create_status


def test_anonymous_is_sent_to_login(client_a, draft):
    response = client_a.get(f"/kontrakter/{draft.pk}/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/login/")


def test_only_the_jobcenterchef_signs(user_of, draft, konsulent):
    approve_all(draft, konsulent)
    url = f"/kontrakter/{draft.pk}/version/1/underskriv/"
    assert user_of("jobkonsulent").post(url, {"password": PASSWORD}).status_code == 403
    assert user_of("sagsbehandler").post(url, {"password": PASSWORD}).status_code == 403
    assert user_of("jobcenterchef").get(url).status_code == 200
    with schema_context("alpha"):
        draft.refresh_from_db()
    assert draft.chief_signed_at is None


def test_chief_cannot_record_approvals_or_send_links(user_of, draft):
    chief = user_of("jobcenterchef")
    response = chief.post(
        f"/kontrakter/{draft.pk}/godkendelse/",
        {
            "step": EMPLOYEE_STATEMENT_STEP,
            "approved_by": "x",
            "approved_on": "2025-01-01",
            "statement": "x",
        },
    )
    assert response.status_code == 403
    response = chief.post(
        f"/kontrakter/{draft.pk}/version/1/underskriftslink/",
        {"director_name": "x", "director_email": "x@x.example"},
    )
    assert response.status_code == 403


def test_contract_of_jobcentre_a_is_404_at_jobcentre_b(login, draft, tenant_b):
    chief_b = make_user(tenant_b, "jobcenterchef", "chef@beta.test")
    konsulent_b = make_user(tenant_b, "jobkonsulent", "konsulent@beta.test")
    for user in (chief_b, konsulent_b):
        client = login("beta", user=user, client=tenant_client("beta"))
        assert client.get(f"/kontrakter/{draft.pk}/").status_code == 404
        assert client.get(f"/kontrakter/{draft.pk}/rediger/").status_code in (403, 404)
        assert client.get("/kontrakter/").content.decode().count("Brugsen") == 0


@pytest.mark.usefixtures("konsulent")
def test_pdf_download_is_permission_checked_and_per_tenant(
    login, user_of, draft, tenant_b, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    with schema_context("alpha"):
        document = ContractDocument.objects.create(contract=draft, version=1, kind="preview")
        document = contract_document_render(document_id=document.pk)
    assert document.state == "done"
    # The PDF lives in the jobcentre's schema, not as a file beside the database.
    assert list(tmp_path.rglob("*")) == []
    url = f"/kontrakter/{draft.pk}/dokumenter/{document.pk}/hent/"
    response = user_of("jobcenterchef").get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF")
    assert hashlib.sha256(body).hexdigest() == response["X-Content-SHA256"] == document.sha256
    assert int(response["Content-Length"]) == len(body) == document.size_bytes
    assert response["Content-Disposition"] == (
        f'inline; filename="centerkontrakt-{draft.pk}-v1-preview.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert user_of("mentor").get(url).status_code == 403
    assert user_of("sagsbehandler").get(url).status_code == 403
    chief_b = make_user(tenant_b, "jobcenterchef", "chef@beta.test")
    client_b = login("beta", user=chief_b, client=tenant_client("beta"))
    assert client_b.get(url).status_code == 404
    # No public media URL serves it.
    assert (
        Client(HTTP_HOST="alpha.test.localhost")
        .get(f"/media/alpha/contracts/{draft.pk}/v1-preview-{document.pk}.pdf")
        .status_code
        == 404
    )


@pytest.mark.usefixtures("konsulent")
def test_detail_and_list_queries_do_not_grow_with_versions_and_documents(
    user_of, draft, django_assert_max_num_queries
):
    client = user_of("jobkonsulent")
    from datetime import date

    from contracts.models import Amendment

    with schema_context("alpha"):
        for version in (2, 3, 4):
            Amendment.objects.create(
                contract=draft,
                version=version,
                valid_from=date(2026, 6, 1),
                reason="x",
                places=4,
                payment_model="training_only",
                status="signed",
            )
            for _ in range(3):
                ContractDocument.objects.create(contract=draft, version=version, kind="preview")
    # 10 queries (each after a SET search_path): tenant, session, user, roles, contract,
    # amendments, newest link per version, newest documents per version, the approval
    # settings, the approvals.
    with django_assert_max_num_queries(20):
        assert client.get(f"/kontrakter/{draft.pk}/").status_code == 200
    from tests.factories import ContractFactory

    with schema_context("alpha"):
        ContractFactory.create_batch(5)
    # tenant, session, user, roles, count, page of contracts with centre and company.
    with django_assert_max_num_queries(12):
        assert client.get("/kontrakter/").status_code == 200


def test_start_pages_list_contracts_and_nav_offers_them(user_of, draft, konsulent):
    approve_all(draft, konsulent)
    chief = user_of("jobcenterchef")
    body = chief.get("/").content.decode()
    assert f'href="/kontrakter/{draft.pk}/version/1/underskriv/"' in body
    assert 'href="/kontrakter/"' in body
    konsulent_page = user_of("jobkonsulent").get("/").content.decode()
    assert f'href="/kontrakter/{draft.pk}/"' in konsulent_page
    assert 'href="/kontrakter/"' not in user_of("mentor").get("/").content.decode()


def test_the_list_rows_link_each_contract_and_escape_the_names(user_of, centre_a, konsulent):
    """The list's rows are built in Python (contracts/rows.py): each row links its contract
    and shows company with CVR, period, places and status badge; names are escaped."""
    from contracts.services import contract_create

    with schema_context("alpha"):
        centre_a.name = "<i>Kursiv</i> & Co"
        centre_a.save()
        draft = contract_create(centre=centre_a, acting_user=konsulent, **DRAFT_TERMS)
        cvr = centre_a.company.cvr
    body = user_of("jobkonsulent").get("/kontrakter/").content.decode()
    assert (
        f'<tr><td><a href="/kontrakter/{draft.pk}/">&lt;i&gt;Kursiv&lt;/i&gt; &amp; Co</a></td>'
        f"<td>Brugsen Nørre Aaby (CVR {cvr})</td><td>01.01.2026–31.12.2027</td><td>4</td>"
        '<td><span class="badge badge-info">Udkast</span></td></tr>'
    ) in body
