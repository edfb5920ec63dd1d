"""Celery entry points for contracts. Thin: they call services, in the queuing tenant's schema."""

from celery import shared_task
from django.utils import timezone

from .services import contract_document_render, contract_status_transitions


@shared_task
def contract_document_render_task(document_id: int) -> str:
    """Render one queued contract PDF; returns the document's final state."""
    document = contract_document_render(document_id=document_id)
    return document.state if document is not None else "missing"


@shared_task
def contract_status_transitions_daily() -> dict[str, int]:
    """Daily (beat, every tenant): signed -> active -> ended by the contracts' own dates."""
    return contract_status_transitions(today=timezone.localdate())
