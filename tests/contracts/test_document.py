"""The Centerkontrakt a director signs (issue 21): every section filled or left out, the
approvals of the record, both signatures with name, title and time, the PDF shown on the
signing page, its SHA-256, and a tagged (PDF/UA) document."""

import re
from datetime import UTC, datetime
from io import BytesIO

import pytest
from django_tenants.utils import schema_context
from pypdf import PdfReader

from contracts.models import ContractDocument, ContractStatus
from contracts.pdf import SECTION_ORDER, contract_pdf_html
from contracts.services import contract_sign_chief, contract_update
from tests.conftest import PASSWORD, tenant_client

from .conftest import approve_all, director_form, pending_documents_render
from .test_signing_links import send_link

HEADING = re.compile(r"^(\d{1,2})\. (\S.*)$")


def pdf_lines(pdf: bytes) -> list[str]:
    text = "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)
    return [line.strip() for line in text.splitlines() if line.strip()]


def headings_followed_by_nothing(lines: list[str]) -> list[str]:
    """Numbered section headings whose next line is another heading, or the end."""
    empty = []
    for i, line in enumerate(lines):
        if HEADING.match(line) and (i + 1 == len(lines) or HEADING.match(lines[i + 1])):
            empty.append(line)
    return empty


@pytest.fixture
def chef_named(tenant_a):  # noqa: ARG001 - the tenant must exist
    from accounts.services import user_create

    with schema_context("alpha"):
        user = user_create(
            email="chef.named@alpha.test",
            password=PASSWORD,
            roles=["jobcenterchef"],
            first_name="Karen",
            last_name="Holm",
        )
        user.title = "Jobcenterchef"
        user.save(update_fields=["title"])
    return user


def signed_by_both(contract, konsulent, chef):
    """Approve, send the link, let the director read the PDF and sign it with name and
    title, then the chief signs; returns the signed contract's final document (rendered)."""
    contract = approve_all(contract, konsulent)
    path = send_link(contract, konsulent)
    director = tenant_client("alpha")
    data = director_form(director, path, name="Dorthe Hansen", title="Administrerende direktør")
    assert director.post(path, data).status_code == 200
    with schema_context("alpha"):
        contract.refresh_from_db()
        assert contract.director_signed_sha256 == data["document_sha256"]
        contract_sign_chief(
            contract=contract,
            version=1,
            password=PASSWORD,
            now=datetime.now(UTC),
            acting_user=chef,
            name="Karen Holm",
            title="Jobcenterchef",
        )
    pending_documents_render()
    with schema_context("alpha"):
        contract.refresh_from_db()
        assert contract.status == ContractStatus.SIGNED
        document = ContractDocument.objects.get(contract=contract, version=1, kind="signed")
        assert document.state == "done"
        return contract, document, data["document_sha256"]


def test_signed_contract_pdf_has_no_empty_section_true_approvals_names_titles_and_tags(
    draft, konsulent, chef_named
):
    with schema_context("alpha"):
        # Sections 6 (support activities) and 9 (absence) have no text in this contract.
        draft = contract_update(
            contract=draft,
            acting_user=konsulent,
            support_activities="",
            absence_handling="",
            reception="Mentor modtager kandidaten første dag.",
            udslusning="Samtale om næste skridt fire uger før slut.",
        )
    contract, document, shown_sha = signed_by_both(draft, konsulent, chef_named)
    with schema_context("alpha"):
        pdf = bytes(ContractDocument.objects.get(pk=document.pk).content)
        approvals = list(contract.current_approvals)
    lines = pdf_lines(pdf)
    text = " ".join(" ".join(lines).split())  # lines wrapped in the PDF read as one

    # No heading is followed by nothing, and the numbers run 1..n without a gap.
    assert headings_followed_by_nothing(lines) == []
    numbers = [int(HEADING.match(line)[1]) for line in lines if HEADING.match(line)]
    assert numbers == list(range(1, len(numbers) + 1))
    titles = [HEADING.match(line)[2] for line in lines if HEADING.match(line)]
    # Target group, support activities, absence and termination have nothing to say.
    assert titles == [
        "Parter",
        "Periode og pladser",
        "Mål",
        "Arbejdsopgaver",
        "Mentor",
        "Modtagelse og introduktion af nye kandidater",
        "Udslusning",
        "Betaling",
        "Godkendelse",
    ]
    assert len(titles) == len(SECTION_ORDER) - 4
    assert "Fælles understøttende aktiviteter" not in text
    assert "Fravær" not in text
    assert "Mentor modtager kandidaten første dag." in text

    # The approval section is the record: each approval's step, who and date; no "not yet".
    assert approvals
    for approval in approvals:
        assert approval.approved_by in text
        assert f"{approval.approved_on.day}. " in text
    assert "ikke godkendt endnu" not in text.lower()

    # Both signatories by name and title, with the time; no e-mail address as a name.
    assert "Karen Holm, Jobcenterchef" in text
    assert "Dorthe Hansen, Administrerende direktør" in text
    assert text.count("Underskrevet digitalt") == 2
    assert "@" not in text.split("Underskrifter", 1)[1]
    assert "UDKAST" not in text and "Til underskrift" not in text

    # Tagged PDF/UA: a structure tree, the document's language and title, fonts embedded.
    reader = PdfReader(BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/StructTreeRoot"].get_object().get("/K") is not None
    assert root["/Lang"] == "da"
    assert bool(root["/MarkInfo"]["/Marked"])
    assert reader.metadata.title.startswith("Centerkontrakt – Brugsen Virksomhedscenter")
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            assert "/FontFile2" in descendant["/FontDescriptor"]
    # The metadata names the SHA-256 of the PDF the director was shown and signed.
    assert reader.metadata["/signeddocumentsha256"] == shown_sha
    assert shown_sha in reader.metadata.subject


def test_the_director_is_shown_the_pdf_of_the_version_and_a_later_download_is_identical(
    draft, konsulent, chef_named, login
):
    contract, document, shown_sha = signed_by_both(draft, konsulent, chef_named)
    with schema_context("alpha"):
        shown = ContractDocument.objects.get(sha256=shown_sha)
        stored = bytes(ContractDocument.objects.get(pk=document.pk).content)
    # What the director saw: a finished PDF of version 1, "til underskrift", no watermark.
    assert (shown.contract_id, shown.version, shown.kind) == (contract.pk, 1, "preview")
    seen = "\n".join(pdf_lines(bytes(shown.content)))
    assert "Til underskrift" in seen and "UDKAST" not in seen
    client = login("alpha", user=konsulent)
    url = f"/kontrakter/{contract.pk}/dokumenter/{document.pk}/hent/"
    first, second = client.get(url), client.get(url)
    body = b"".join(first.streaming_content)
    assert body == b"".join(second.streaming_content) == stored
    assert first["X-Content-SHA256"] == document.sha256
    page = client.get(f"/kontrakter/{contract.pk}/").content.decode()
    assert document.sha256[:16] in page and shown_sha[:16] in page


def test_the_director_cannot_sign_a_pdf_that_is_not_of_this_version(draft, konsulent):
    approve_all(draft, konsulent)
    path = send_link(draft, konsulent)
    director = tenant_client("alpha")
    data = director_form(director, path) | {"document_sha256": "0" * 64}
    response = director.post(path, data)
    assert response.status_code == 400
    assert "ikke denne versions PDF" in response.content.decode()
    with schema_context("alpha"):
        draft.refresh_from_db()
        assert draft.director_signed_at is None
    # Without a title nothing is signed either.
    data = director_form(director, path) | {"title": ""}
    assert director.post(path, data).status_code == 400


def test_a_draft_without_texts_leaves_their_sections_out_and_says_approval_is_missing(
    draft, konsulent
):
    with schema_context("alpha"):
        draft = contract_update(
            contract=draft,
            acting_user=konsulent,
            goals_text="",
            goal_ordinary_job_pct=None,
            goal_education_pct=None,
            target_group="",
            target_age_min=None,
            target_age_max=None,
            work_tasks="",
            support_activities="",
            reception="",
            absence_handling="",
            udslusning="",
        )
        html = contract_pdf_html(contract=draft, version=1, draft=True)
    titles = re.findall(r"<h2>(\d+)\. ([^<]+)</h2>", html)
    assert [t for _n, t in titles] == [
        "Parter",
        "Periode og pladser",
        "Mentor",
        "Betaling",
        "Godkendelse",
    ]
    assert [int(n) for n, _t in titles] == [1, 2, 3, 4, 5]
    assert "ikke godkendt endnu" in html
