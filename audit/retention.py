"""The nightly retention job: old access logs go, candidates past retention are anonymised.

Idempotent: a second run the same night (a redelivered task) finds nothing more to do.
What it did is written to the audit log itself (action "retention.run"), where the
jobcenterchef and the admin see it.

The audit log names people by id only ("Kandidat #12", audit.services.neutral_label), so
an anonymisation leaves it as it is; the one place a name can be typed into it is a
search's criteria, and the searches for an anonymised person's name are deleted with the
anonymisation (access events, which the trigger lets the retention delete).

Rows written before issue 17 may carry a name in `object_label` (the object's str() was the
label then). The trigger refuses to rewrite them, and deleting and re-inserting would
break the log's append-only promise: access events among them go with the access-log
retention (183 days); change events stay, and their labels keep the name they were written
with (the candidate's log page shows the current, anonymised name beside them).
"""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from .models import FormSubmission
from .people import people
from .services import audit_access_log_prune, audit_record, audit_searches_for_names_prune

BATCH = 500


@transaction.atomic
def retention_apply(*, today: date, now=None) -> dict[str, int]:
    now = now or timezone.now()
    deleted = audit_access_log_prune(now=now)
    # One-time form tokens answer a double submit; a day later they have done their work.
    FormSubmission.objects.filter(created_at__lt=now - timedelta(days=1)).delete()
    due = list(people().due_for_anonymisation(today=today).values_list("pk", flat=True))
    anonymised = 0
    for i in range(0, len(due), BATCH):
        batch = due[i : i + BATCH]
        names = list(people().model.objects.filter(pk__in=batch).values_list("name", flat=True))
        deleted += audit_searches_for_names_prune(names=names)
        anonymised += people().anonymise(candidate_ids=batch).count
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
