"""Who may use the attendance pages.

mentor: keeps the attendance, notes and hours of the courses in the mentor's own centres.
jobkonsulent: follows the attendance of every centre.
The views also scope each object by these roles and answer 404 otherwise.
"""

from accounts.roles import ROLE_JOBKONSULENT, ROLE_MENTOR, has_any_role


def can_keep_attendance(user) -> bool:
    return has_any_role(user, (ROLE_MENTOR,))


def can_follow_attendance(user) -> bool:
    return has_any_role(user, (ROLE_JOBKONSULENT,))
