"""The mentor's rules: pure functions, no database (docs/RULES.md lists them)."""

from datetime import date, timedelta

# A mentor sees running courses and those ended in the last N weeks; N is the jobcentre's
# setting (mentors.models.MentorSettings), 4 weeks unless the jobcentre changes it.
DEFAULT_ENDED_COURSE_WEEKS = 4
MAX_ENDED_COURSE_WEEKS = 52
DAYS_PER_WEEK = 7


def ended_visible_since(*, today: date, weeks: int) -> date:
    """The earliest end date of an ended course the mentor still sees: today - N weeks.

    Source: data minimisation (GDPR art. 5(1)(c), DOMAIN "People"): the mentor needs the
    courses they work with now and the last weeks' for corrections and the final note, not
    every course ever run at the centre. SQL twin: mentors.selectors.courses_for_mentor.
    """
    return today - timedelta(days=DAYS_PER_WEEK * weeks)


def course_visible_to_mentor(*, end: date | None, today: date, weeks: int) -> bool:
    """True if a course of the mentor's centre is running (no end yet) or ended within
    the last `weeks` weeks (on or after `ended_visible_since`)."""
    return end is None or end >= ended_visible_since(today=today, weeks=weeks)
