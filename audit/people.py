"""The people the audit log is about, declared by the app that holds them.

The jobcenterchef's audit pages look a person up (by id, or by CPR number), hand out
everything held about them (GDPR art. 15), and the nightly retention anonymises those past
their retention. The audit app is on the ground floor and imports no domain app, so the
candidates app declares these when it loads (candidates/apps.py).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class People:
    model: type  # the person's model; its pk is the log's candidate_id
    by_cpr: Callable[..., object]  # cpr= -> the person, or None
    personal_data: Callable[..., dict]  # candidate= -> everything held, JSON-ready
    due_for_anonymisation: Callable[..., object]  # today= -> queryset of persons
    anonymise: Callable[..., object]  # candidate_ids= -> result with .count


_declared: list[People] = []


def people_declare(people: People) -> None:
    """Called once, by the candidates app's ready()."""
    _declared[:] = [people]


def people() -> People:
    if not _declared:
        raise ImproperlyConfigured("No app has declared the people of the audit log.")
    return _declared[0]
