"""Celery entry point of the national comparison; beat sends it to the public schema only
(`tenant_schemas: ["public"]` in CELERY_BEAT_SCHEDULE)."""

from celery import shared_task

from codes import clock
from jobs.tasks import TransactionAwareTask

from .services import national_compute


@shared_task(base=TransactionAwareTask)
def national_nightly() -> int:
    return national_compute(today=clock.today()).pk
