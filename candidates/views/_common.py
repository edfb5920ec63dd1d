"""What the candidate pages share: the clock, paging, form errors and the lookups that
scope by the user's rights (404 otherwise)."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404

from audit.reads import show
from codes import clock
from documents.paging import PAGE_SIZE, keyset_page

from .. import selectors
from ..models import Candidate, Course, Referral
from ..permissions import can_manage, can_read, can_refer, require


def _today():
    return clock.today()


def _add_service_error(form, exc: ValidationError) -> None:
    """Show a service's Danish refusal on the form, on the field it names when there is one."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _form_error_texts(form) -> list[str]:
    texts = list(form.non_field_errors())
    for field in form:
        texts += [f"{field.label}: {e}" for e in field.errors]
    return texts


def _page(request, queryset, *, criteria: str = "", candidate_of=lambda row: row.candidate_id):
    """A keyset page of a list of people (documents/paging.py), its candidates handed to the
    page's list read with the search `criteria` (audit/reads.py: the rows in hand, not the
    page's query a second time)."""
    page = keyset_page(queryset, request=request, size=PAGE_SIZE, drop=("eksport",))
    show(request, (candidate_of(row) for row in page), criteria)
    return page


def _get_candidate_for_user(user, pk, *, masked: bool = False) -> Candidate:
    """The candidate, to a user who may read candidates; `masked`: without the encrypted
    CPR number (a page that shows it masked only: Candidate.cpr_masked, none decrypted)."""
    require(can_read(user))
    candidates = Candidate.objects.defer(*Candidate.LIST_DEFERRED) if masked else Candidate
    return get_object_or_404(candidates, pk=pk)


def _get_course_for_user(user, pk, *, manage: bool = True) -> Course:
    require(can_manage(user) if manage else can_read(user))
    course = selectors.course_detail(pk=pk)
    if course is None:
        raise Http404
    return course


def _get_referral_for_user(user, pk, *, manage: bool = True) -> Referral:
    require(can_manage(user) if manage else can_refer(user))
    return get_object_or_404(Referral.objects.select_related("candidate"), pk=pk)
