"""The mentors' attendance as the candidate pages, the due list and GDPR read it.

Attendance is the mentors app's concept, and that app stands above candidates (its rows
point at candidates' courses), so candidates does not import it: the mentors app declares
its readers here when it loads (mentors/apps.py). Until then, and without the mentors
app, the pages show no attendance and a person's data holds none.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet


@dataclass
class AttendanceReaders:
    # course ids -> {course id: [{"status": label, "days": n, "hours": h, ...}]}
    summary: Callable[..., dict]
    # () -> each course's first open attendance alert, a values queryset of (course_id,
    # date, reason) that the due list's SQL takes as a subquery; None without the mentors app
    open_flags: Callable[[], QuerySet | None]
    # a person's courses -> {section: rows} for the right of access (GDPR art. 15)
    personal_data: Callable[..., dict]
    # courses -> None: erase the free text kept about them (anonymisation)
    erase: Callable[..., None]


def _none_summary(*, course_ids) -> dict:  # noqa: ARG001
    return {}


def _no_flags() -> QuerySet | None:
    return None


def _no_data(*, courses: QuerySet) -> dict:  # noqa: ARG001
    return {}


def _nothing_to_erase(*, courses: QuerySet) -> None:  # noqa: ARG001
    return None


readers = AttendanceReaders(
    summary=_none_summary,
    open_flags=_no_flags,
    personal_data=_no_data,
    erase=_nothing_to_erase,
)


def attendance_readers_declare(*, summary, open_flags, personal_data, erase) -> None:
    """Called once by the mentors app's ready()."""
    readers.summary = summary
    readers.open_flags = open_flags
    readers.personal_data = personal_data
    readers.erase = erase
