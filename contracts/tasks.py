"""Celery entry points for contracts. Thin: they call services, in the queuing tenant's schema."""

from celery import shared_task

from codes import clock
from jobs.tasks import JobTask, TransactionAwareTask

from .services import contract_document_render, contract_status_transitions


# JobTask: acks_late, leased; the render is idempotent (a done document is left alone, a
# half-done one is rendered to the same path).
@shared_task(base=JobTask, run_model="contracts.ContractDocument")
def contract_document_render_task(document_id: int) -> str:
    """Render one queued contract PDF; returns the document's final state."""
    document = contract_document_render(document_id=document_id)
    return document.state if document is not None else "missing"


@shared_task(base=TransactionAwareTask)
def contract_status_transitions_daily() -> dict[str, int]:
    """Daily (beat, every tenant): signed -> active -> ended by the contracts' own dates."""
    return contract_status_transitions(today=clock.today())
