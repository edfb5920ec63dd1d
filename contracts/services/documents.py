"""The contract PDF documents: a preview or the signed version, rendered in the background."""

import hashlib
import time

from django.core.exceptions import ValidationError
from django.db import transaction

from audit.services import audit_record
from jobs.services import (
    job_error_message,
    job_fail,
    job_finish,
    job_queue,
    job_requeue,
    job_revive,
    job_start,
)

from ..models import (
    Contract,
    ContractDocument,
)
from ..pdf import contract_pdf_html
from .drafts import contract_version_get


@transaction.atomic
def contract_document_request(
    *, contract: Contract, version: int, kind: str, acting_user
) -> ContractDocument:
    """Queue the rendering of a PDF; the request never waits for it.

    A signed version's PDF is rendered once: asking again returns the stored document, a
    pending one revived when it is stuck (sent again, or taken over when its worker died),
    and re-queues it when the earlier attempt failed. The jobs sweeper sends a signed PDF
    whose task was lost again by itself: it is always rendered in the end. A preview is
    rendered once per content: asking again while the draft, its parties and the day are
    unchanged returns the preview already made or on its way (a new one after a change).
    Raises ValidationError (Danish) for a final PDF of a version that is not signed.
    """
    from ..tasks import contract_document_render_task

    if kind not in ContractDocument.Kind.values:
        raise ValidationError("Ukendt dokumenttype.")
    signer = contract_version_get(contract=contract, version=version)
    document = None
    if kind == ContractDocument.Kind.SIGNED:
        if not signer.is_signed:
            raise ValidationError("Den underskrevne PDF dannes først, når begge har underskrevet.")
        document = (
            ContractDocument.objects.select_for_update()
            .filter(contract=contract, version=version, kind=kind)
            .first()
        )
        if document is not None and document.state == ContractDocument.State.DONE:
            return document
        if document is not None and document.is_pending:
            revived = job_revive(run=document, task=contract_document_render_task)
            if revived is not None:
                return revived
        if document is not None:  # failed (or gave up after its worker died too often)
            document = job_requeue(run=document, task=contract_document_render_task)
    content = {}
    if kind == ContractDocument.Kind.PREVIEW:
        html = contract_pdf_html(contract=contract, version=version, draft=True)
        content = {"content_sha256": hashlib.sha256(html.encode()).hexdigest()}
        document = (
            ContractDocument.objects.filter(
                contract=contract,
                version=version,
                kind=kind,
                state=ContractDocument.State.DONE,
                **content,
            )
            .order_by("-created_at")
            .first()
        )
    if document is None:
        # Two requests at once queue one run: for the signed PDF, and for a preview of
        # the same content (a pending one is returned).
        document, _created = job_queue(
            model=ContractDocument,
            task=contract_document_render_task,
            acting_user=acting_user,
            single=True,
            contract=contract,
            version=version,
            kind=kind,
            **content,
        )
    audit_record(
        acting_user=acting_user,
        action=f"contract.pdf.{kind}",
        obj=contract,
        fields=[f"version:{version}"],
    )
    return document


def contract_document_render(*, document_id: int) -> ContractDocument | None:
    """Render a queued document (the Celery task's body). Records done or failed with a reason.

    Runs in the tenant's schema; the PDF is stored in the document's row with its SHA-256 and
    size, in the one statement that marks it done (a finished PDF never lacks its bytes).
    A document already done or failed is left as it is (the signed PDF is made once; a
    failed one is rendered again only when someone asks again).
    Returns None when the document no longer exists (its contract was deleted).
    """
    from documents.pdf import html_to_pdf

    document = job_start(model=ContractDocument, run_id=document_id)
    if document is None:
        return ContractDocument.objects.filter(pk=document_id).first()
    try:
        contract = Contract.objects.select_related("centre__company", "chief_signed_by").get(
            pk=document.contract_id
        )
        started = time.monotonic()
        html = contract_pdf_html(
            contract=contract,
            version=document.version,
            draft=document.kind == ContractDocument.Kind.PREVIEW,
        )
        pdf, _fetcher = html_to_pdf(html, accessible=True)
        seconds = time.monotonic() - started
    except Exception as exc:  # the reason is shown on the page; the task must not crash
        job_fail(
            model=ContractDocument, run_id=document.pk, message=job_error_message(exc), exc=exc
        )
    else:
        job_finish(
            model=ContractDocument,
            run_id=document.pk,
            message=f"{seconds:.2f} s",
            content=pdf,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size_bytes=len(pdf),
        )
    document.refresh_from_db()
    return document
