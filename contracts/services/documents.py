"""The contract PDF documents: a preview or the signed version, rendered in the background."""

import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction

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
    and re-queues it when the earlier attempt failed. Every preview request renders a new
    preview (the draft may have changed since the last one). The jobs sweeper sends a
    signed PDF whose task was lost again by itself: it is always rendered in the end.
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
    if document is None:
        document, _created = job_queue(
            model=ContractDocument,
            task=contract_document_render_task,
            acting_user=acting_user,
            # Two requests for the signed PDF at once queue it once; previews are many.
            single=kind == ContractDocument.Kind.SIGNED,
            contract=contract,
            version=version,
            kind=kind,
        )
    audit_record(
        acting_user=acting_user,
        action=f"contract.pdf.{kind}",
        obj=contract,
        fields=[f"version:{version}"],
    )
    return document


def contract_document_path(document: ContractDocument) -> Path:
    return Path(settings.MEDIA_ROOT) / document.file_path


def contract_document_render(*, document_id: int) -> ContractDocument | None:
    """Render a queued document (the Celery task's body). Records done or failed with a reason.

    Runs in the tenant's schema; the file goes to MEDIA_ROOT/<schema>/contracts/<id>/.
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
        pdf, _fetcher = html_to_pdf(html)
        seconds = time.monotonic() - started
        sha256 = hashlib.sha256(pdf).hexdigest()
        relative = (
            f"{connection.schema_name}/contracts/{contract.pk}/"  # type: ignore[attr-defined]
            f"v{document.version}-{document.kind}-{document.pk}-{sha256[:12]}.pdf"
        )
        target = Path(settings.MEDIA_ROOT) / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf)
    except Exception as exc:  # the reason is shown on the page; the task must not crash
        job_fail(
            model=ContractDocument, run_id=document.pk, message=job_error_message(exc), exc=exc
        )
    else:
        job_finish(
            model=ContractDocument,
            run_id=document.pk,
            message=f"{seconds:.2f} s",
            file_path=relative,
            sha256=sha256,
            size_bytes=len(pdf),
        )
    document.refresh_from_db()
    return document
