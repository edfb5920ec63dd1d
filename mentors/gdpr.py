"""The mentors' share of a candidate's personal data: the right of access and anonymisation
(candidates/gdpr.py calls these through candidates/attendance.py)."""

from django.db.models import QuerySet

from candidates.gdpr import ERASED, rows_plain

from .models import Attendance, AttendanceFlag, ProgressNote


def attendance_personal_data(*, courses: QuerySet) -> dict:
    """Attendance, progress notes and attendance alerts of `courses`, one query each."""
    return {
        "fremmoede": rows_plain(
            Attendance.objects.filter(course__in=courses).order_by("course", "date"),
            ["course_id", "date", "status", "hours"],
        ),
        "udviklingsnoter": rows_plain(
            ProgressNote.objects.filter(course__in=courses).order_by("course", "date"),
            ["course_id", "date", "work_tasks", "attendance", "cooperation", "next_step"],
        ),
        "fravaersadvarsler": rows_plain(
            AttendanceFlag.objects.filter(course__in=courses).order_by("course", "date"),
            ["course_id", "date", "source", "reason"],
        ),
    }


def attendance_erase(*, courses: QuerySet) -> None:
    """The words the mentors wrote about the person go; the attendance facts stay."""
    ProgressNote.objects.filter(course__in=courses).update(
        work_tasks=ERASED, attendance="", cooperation="", next_step=""
    )
    AttendanceFlag.objects.filter(course__in=courses).update(reason=ERASED)
