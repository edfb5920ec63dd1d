"""Celery entry points of the integration API. Thin: they call the services."""

from celery import shared_task

from jobs.tasks import TransactionAwareTask

from .services import idempotent_prune


@shared_task(base=TransactionAwareTask)
def idempotency_prune_nightly() -> int:
    """Nightly (beat, every tenant): forget stored answers of idempotent writes over a day."""
    return idempotent_prune()
