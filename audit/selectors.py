"""Reads on the audit log for the jobcenterchef: per candidate, per user, a citizen's log."""

from dataclasses import dataclass

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


@dataclass
class EventsPage:
    """One page of the log by keyset (the event id), newest first: no COUNT(*) over the
    table, and a page's place stays put while new events are written above it."""

    events: list
    older: int | None = None  # `foer=` of the next (older) page
    newer: int | None = None  # `efter=` of the previous (newer) page


def audit_events_page(
    events: QuerySet[AuditEvent], *, before: int | None = None, after: int | None = None, size: int
) -> EventsPage:
    """`size` events older than id `before`, or newer than id `after`, or the newest."""
    if after is not None:
        rows = list(events.filter(id__gt=after).order_by("id")[: size + 1])
        more_newer = len(rows) > size
        rows = list(reversed(rows[:size]))
        return EventsPage(
            events=rows,
            older=rows[-1].id if rows else None,
            newer=rows[0].id if rows and more_newer else None,
        )
    page = events.filter(id__lt=before) if before is not None else events
    rows = list(page.order_by("-id")[: size + 1])
    more_older = len(rows) > size
    rows = rows[:size]
    return EventsPage(
        events=rows,
        older=rows[-1].id if rows and more_older else None,
        newer=rows[0].id if rows and before is not None else None,
    )
