"""Where an audit event's record is, declared by the app that owns the record.

The audit log names a record by type and id ("billing.statement", "12"); the log's page
links each entry to the record's page for a reader whose role may open it (issue 23: the
chef got 403 on the candidate it named). The audit app stands on the ground floor and
imports no domain app, so each app declares its records' pages in its ready().
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch

from documents.rows import url_of


@dataclass(frozen=True)
class RecordLink:
    url_name: str  # reversed with the event's object_id as its one argument
    may_open: Callable[[object], bool]  # user -> whether that page admits them


_links: dict[str, RecordLink] = {}


def record_link_declare(object_type: str, link: RecordLink) -> None:
    _links[object_type] = link


def record_link(*, object_type: str, user) -> Callable[[int | str], str] | None:
    """The record type's page as a function of the record's id, for `user` (the check and
    the reverse done once for a page of events), or None (no page, or not one this user
    may open)."""
    link = _links.get(object_type)
    if link is None or not link.may_open(user):
        return None
    try:
        return url_of(link.url_name)
    except NoReverseMatch:
        return None
