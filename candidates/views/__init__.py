"""Pages of a candidate's way through a centre: henvisning, visitation, forløb, opfølgning,
forlængelse and udslusning (issue 5). Thin: forms parse, services write, selectors read.

Split by sub-area: people (list, henvisning, the candidate page), referrals (waiting list,
visitation), courses (forløb and their actions), start (the start pages' parts).
"""

from .courses import (
    course_agreement,
    course_detail,
    course_end,
    course_extend,
    course_follow_up,
    course_hours_add,
    course_list,
    due_list,
    goal_add,
    goal_progress,
    note_add,
)
from .people import (
    candidate_cpr_reveal,
    candidate_detail,
    candidate_edit,
    candidate_list,
    candidate_print,
    candidate_register,
    candidate_target_group,
    referral_create,
    referral_withdraw,
)
from .referrals import (
    visitation,
    waiting_list,
)
from .start import (
    jobkonsulent_start_context,
    sagsbehandler_start_context,
)

__all__ = [
    "candidate_cpr_reveal",
    "candidate_detail",
    "candidate_edit",
    "candidate_list",
    "candidate_print",
    "candidate_register",
    "candidate_target_group",
    "course_agreement",
    "course_detail",
    "course_end",
    "course_extend",
    "course_follow_up",
    "course_hours_add",
    "course_list",
    "due_list",
    "goal_add",
    "goal_progress",
    "jobkonsulent_start_context",
    "note_add",
    "referral_create",
    "referral_withdraw",
    "sagsbehandler_start_context",
    "visitation",
    "waiting_list",
]
