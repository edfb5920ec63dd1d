"""What each list page of candidates shows, for its read in the audit log (audit/reads.py).

Each function rebuilds the page's query from the request as the view does (the same
filter, the same order) and hands the candidate ids and the search criteria to
`@logs_list_read`/`@logs_export`, which page them as the view does. Only ids are read
(one extra query of ids per page). tests/security/test_list_reads.py checks that the ids
logged are the candidates whose names the page shows.
"""

from audit.reads import Shown, filter_criteria
from codes import clock

from . import selectors
from .filters import CandidateFilter, CourseFilter, ReferralFilter


def candidate_list(request) -> Shown:
    filterset = CandidateFilter(
        request.GET or None, queryset=selectors.candidates_for_list().order_by("name", "pk")
    )
    return Shown(filterset.qs.values_list("pk", flat=True), filter_criteria(filterset))


def waiting_list(request) -> Shown:
    filterset = ReferralFilter(
        request.GET or None, queryset=selectors.waiting_list(today=clock.today())
    )
    return Shown(filterset.qs.values_list("candidate_id", flat=True), filter_criteria(filterset))


def course_list(request) -> Shown:
    filterset = CourseFilter(
        request.GET or None,
        queryset=selectors.courses_for_list(today=clock.today()).order_by("-start", "-pk"),
        request=request,
    )
    return Shown(filterset.qs.values_list("candidate_id", flat=True), filter_criteria(filterset))


def refill(request) -> Shown:  # noqa: ARG001 - the whole list, whatever the query
    """The refill page shows the whole venteliste (unpaged), fitting ones first."""
    ids = selectors.waiting_list(today=clock.today()).values_list("candidate_id", flat=True)
    return Shown(ids, "")
