"""Today's date as production code reads it: one clock, in the jobcentres' time zone.

settings.TIME_ZONE is Europe/Copenhagen, so just after midnight in Denmark this is already
the new day while the server's UTC `date.today()` still says yesterday. Views, tasks and
commands call `today()` and hand the date on to services and selectors as `today=`, which
is also how tests freeze time: they replace this function (or Django's localdate, which it
reads) with an explicit date.
"""

from datetime import date

from django.utils import timezone


def today() -> date:
    """The current date in settings.TIME_ZONE (the jobcentres' time zone)."""
    return timezone.localdate()
