"""Reads on the audit log for the jobcenterchef: per candidate, per user, a citizen's log."""

from django.db.models import Q, QuerySet

from .models import AuditEvent

CANDIDATE_TYPE = "candidates.candidate"


def audit_events_for_candidate(*, candidate_id: int) -> QuerySet[AuditEvent]:
    """Every event about one candidate (reads and changes), newest first, and the list
    reads and exports that showed them (both indexed)."""
    return AuditEvent.objects.filter(
        Q(object_type=CANDIDATE_TYPE, object_id=str(candidate_id))
        | Q(subjects__contains=[int(candidate_id)])
    )


def audit_events_for_user(*, user_id: int) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(actor_id=user_id)


def access_log_for_candidate(*, candidate_id: int) -> QuerySet[AuditEvent]:
    """What the citizen is told: who (role) looked at the record, when, and why."""
    return audit_events_for_candidate(candidate_id=candidate_id).filter(is_access=True)


def audit_events_filtered(
    *,
    actor_id: int | None = None,
    action: str = "",
    candidate_id: int | None = None,
    since=None,
    until=None,
) -> QuerySet[AuditEvent]:
    """The log narrowed by user, action (a prefix: "billing." is every billing event),
    candidate (events about them and list reads that showed them) and time (`since` <= at
    < `until`, aware datetimes). Every filter uses an index."""
    events = (
        audit_events_for_candidate(candidate_id=candidate_id)
        if candidate_id is not None
        else AuditEvent.objects.all()
    )
    if actor_id is not None:
        events = events.filter(actor_id=actor_id)
    if action:
        events = events.filter(action__startswith=action)
    if since is not None:
        events = events.filter(at__gte=since)
    if until is not None:
        events = events.filter(at__lt=until)
    return events
