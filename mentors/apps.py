from django.apps import AppConfig


class MentorsConfig(AppConfig):
    name = "mentors"
    verbose_name = "Mentorer"

    def ready(self):
        # The candidate pages, the due list and GDPR read the attendance through
        # candidates/attendance.py: candidates stands below mentors and cannot import it.
        from candidates.attendance import attendance_readers_declare

        from . import gdpr, selectors

        attendance_readers_declare(
            summary=selectors.attendance_summary,
            open_flags=selectors.attendance_flags_first_open,
            personal_data=gdpr.attendance_personal_data,
            erase=gdpr.attendance_erase,
        )
