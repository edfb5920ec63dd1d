"""The nightly retention job: old access logs go, candidates past retention are anonymised.

Idempotent: a second run the same night (a redelivered task) finds nothing more to do.
What it did is written to the audit log itself (action "retention.run"), where the
jobcenterchef and the admin see it.
"""

from datetime import date

from django.db import transaction
from django.utils import timezone

from .people import people
from .services import audit_access_log_prune, audit_record

BATCH = 500


@transaction.atomic
def retention_apply(*, today: date, now=None) -> dict[str, int]:
    deleted = audit_access_log_prune(now=now or timezone.now())
    due = list(people().due_for_anonymisation(today=today).values_list("pk", flat=True))
    anonymised = 0
    for i in range(0, len(due), BATCH):
        anonymised += people().anonymise(candidate_ids=due[i : i + BATCH]).count
    report = {"access_events_deleted": deleted, "candidates_anonymised": anonymised}
    audit_record(
        acting_user=None,
        action="retention.run",
        obj=None,
        label=(
            f"Opbevaring {today:%d.%m.%Y}: {deleted} adgangshændelser slettet, "
            f"{anonymised} kandidater anonymiseret"
        ),
    )
    return report
