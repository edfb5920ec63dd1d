"""Where an audit event's record is, declared by the app that owns the record.

The audit log names a record by type and id ("billing.statement", "12"); the log's page
links each entry to the record's page for a reader whose role may open it (issue 23: the
chef got 403 on the candidate it named). The audit app stands on the ground floor and
imports no domain app, so each app declares its records' pages in its ready().
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class RecordLink:
    url_name: str  # reversed with the event's object_id as its one argument
    may_open: Callable[[object], bool]  # user -> whether that page admits them


_links: dict[str, RecordLink] = {}


def record_link_declare(object_type: str, link: RecordLink) -> None:
    _links[object_type] = link


def record_url(*, object_type: str, object_id: str, user) -> str | None:
    """The record's page for `user`, or None (no page, or not one this user may open)."""
    link = _links.get(object_type)
    if link is None or not object_id.isdigit() or not link.may_open(user):
        return None
    try:
        return reverse(link.url_name, args=[int(object_id)])
    except NoReverseMatch:
        return None
