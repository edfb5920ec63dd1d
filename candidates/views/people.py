"""Candidates: the list, henvisning (register and refer), the candidate page, CPR and print."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.once import submitted_once
from audit.reads import (
    candidate_itself,
    filter_criteria,
    logs_export,
    logs_list_read,
    logs_read,
    shown_by_view,
)
from audit.services import audit_access
from documents.tables import EXPORT_FORMATS, table_response

from .. import list_reads, rows, selectors, services
from ..filters import CandidateFilter
from ..forms import (
    CandidateForm,
    CprLookupForm,
    ReferralForm,
    TargetGroupForm,
    target_group_form_html,
)
from ..models import Candidate, Referral
from ..permissions import can_manage, can_read, can_refer, can_see_full_cpr, require
from ._common import (
    _add_service_error,
    _form_error_texts,
    _get_candidate_for_user,
    _get_referral_for_user,
    _page,
    _today,
)

# What a row of the candidate list shows (rows.candidate_rows), read as plain values.
LIST_VALUES = ("pk", *Candidate.LIST_COLUMNS, "waiting", "centre_name")


@login_required
@logs_export(purpose="Eksport af kandidatlisten", param="eksport", shown=list_reads.candidate_list)
@logs_list_read(purpose="Sagsbehandling: kandidatlisten", shown=shown_by_view, unless="eksport")
def candidate_list(request):
    require(can_read(request.user))
    fmt = request.GET.get("eksport")
    export = fmt in EXPORT_FORMATS
    filterset = CandidateFilter(
        request.GET or None,
        queryset=selectors.candidates_for_list(course_count=export).order_by("name", "pk"),
    )
    qs = filterset.qs
    if export:
        in_course, waiting = _("I forløb"), _("På venteliste")
        return table_response(
            fmt=fmt,
            filename="kandidater",
            headers=["Navn", "CPR", "Fødselsdato", "Ydelse", "Status", "Center", "Forløb"],
            rows=(
                [
                    c.name,
                    c.cpr_masked,
                    c.birth_date,
                    c.get_benefit_display(),
                    rows.candidate_state(c, in_course=in_course, waiting=waiting),
                    c.centre_name,
                    c.course_count or 0,
                ]
                for c in qs
            ),
        )
    # The page's rows as plain values (no model instances), built in Python (rows.py).
    page = _page(
        request,
        qs.values_list(*LIST_VALUES, named=True),
        criteria=filter_criteria(filterset),
        candidate_of=lambda c: c.pk,
    )
    page.html_rows = rows.candidate_rows(page.rows)
    return render(request, "candidates/candidate_list.html", {"filter": filterset, "page": page})


@login_required
@submitted_once
def candidate_register(request):
    """Henvisning, step 1: find the candidate by CPR (never a duplicate), else register.

    The lookup is a POST: a CPR number in a URL would land in the browser's history, the
    server's logs and Referer headers. A `?cpr=` in the URL is ignored.
    """
    require(can_refer(request.user))
    lookup = CprLookupForm(request.POST or None)
    if request.method == "POST" and request.POST.get("step") == "create":
        candidate_form = CandidateForm(request.POST)
        referral_form = ReferralForm(request.POST)
        if lookup.is_valid() and candidate_form.is_valid() and referral_form.is_valid():
            try:
                referral, _created = services.candidate_refer_by_cpr(
                    cpr=lookup.cleaned_data["cpr"],
                    referred_on=_today(),
                    acting_user=request.user,
                    new_only=True,
                    **referral_form.cleaned_data,
                    **{k: v for k, v in candidate_form.cleaned_data.items() if k != "wishes"},
                )
            except ValidationError as exc:
                _add_service_error(candidate_form, exc)
            else:
                candidate = referral.candidate
                messages.success(
                    request,
                    _("%(name)s er oprettet og henvist til ventelisten.") % {"name": candidate},
                )
                return redirect("candidates:detail", pk=candidate.pk)
        return render(
            request,
            "candidates/candidate_register.html",
            {"lookup": lookup, "candidate_form": candidate_form, "referral_form": referral_form},
        )
    if lookup.is_bound and lookup.is_valid():
        existing = selectors.candidate_by_cpr(cpr=lookup.cleaned_data["cpr"])
        if existing is not None:
            messages.info(
                request, _("%(name)s er allerede registreret: henvis her.") % {"name": existing}
            )
            return redirect("candidates:refer", pk=existing.pk)
        return render(
            request,
            "candidates/candidate_register.html",
            {
                "lookup": lookup,
                "candidate_form": CandidateForm(),
                "referral_form": ReferralForm(),
            },
        )
    return render(request, "candidates/candidate_register.html", {"lookup": lookup})


@login_required
@logs_read(
    action="candidate.view", purpose="Henvisning af kandidaten", candidate_of=candidate_itself
)
@submitted_once
def referral_create(request, pk):
    require(can_refer(request.user))
    candidate = _get_candidate_for_user(request.user, pk)
    form = ReferralForm(request.POST or None, initial={"wishes": candidate.wishes})
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_create(
                candidate=candidate,
                referred_on=_today(),
                acting_user=request.user,
                **form.cleaned_data,
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(
                request, _("%(name)s er henvist til ventelisten.") % {"name": candidate}
            )
            return redirect("candidates:detail", pk=candidate.pk)
    return render(request, "candidates/referral_form.html", {"candidate": candidate, "form": form})


@login_required
@logs_read(
    action="candidate.view", purpose="Ret kandidatens oplysninger", candidate_of=candidate_itself
)
def candidate_edit(request, pk):
    """Correct a candidate's contact and profile (phone, barriers, wishes ...) after
    registration: the roles that register may (issue 23); the log names the fields."""
    require(can_refer(request.user))
    candidate = _get_candidate_for_user(request.user, pk)
    form = CandidateForm(request.POST or None, instance=candidate)
    if request.method == "POST" and form.is_valid():
        # The form wrote its values onto `candidate`; the service compares with the stored row.
        stored = _get_candidate_for_user(request.user, pk)
        try:
            services.candidate_update(
                candidate=stored, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("Oplysningerne om %(name)s er gemt.") % {"name": stored})
            return redirect("candidates:detail", pk=stored.pk)
    return render(
        request,
        "candidates/candidate_edit.html",
        {"candidate": candidate, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def candidate_target_group(request, pk):
    """Record the candidate's target group from a date (the history keeps the old ones)."""
    require(can_manage(request.user))
    candidate = _get_candidate_for_user(request.user, pk)
    form = TargetGroupForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_set_target_group(
                candidate=candidate, acting_user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Målgruppen er registreret."))
    else:
        messages.error(request, " ".join(_form_error_texts(form)))
    return redirect("candidates:detail", pk=candidate.pk)


@login_required
@require_POST
def referral_withdraw(request, pk):
    referral = _get_referral_for_user(request.user, pk)
    try:
        services.referral_withdraw(referral=referral, today=_today(), acting_user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Henvisningen er tilbagekaldt."))
    return redirect("candidates:detail", pk=referral.candidate_id)


def _candidate_context(request, pk):
    # The page and its print show the number masked; the full one is the reveal's (logged).
    require(can_read(request.user))
    overview = selectors.candidate_overview(pk=pk)
    if overview is None:
        raise Http404
    candidate = overview.candidate
    manage = can_manage(request.user)
    return {
        "candidate": candidate,
        "overview": overview,
        "today": _today(),
        "age": candidate.age_on(_today()),
        "show_full_cpr": can_see_full_cpr(request.user),
        "can_manage": manage,
        "can_refer": can_refer(request.user),
        "target_group_form": (
            target_group_form_html(target_group=candidate.target_group, today=_today())
            if manage
            else ""
        ),
        "waiting": next(
            (r for r in overview.referrals if r.status == Referral.Status.VENTER), None
        ),
    }


@login_required
@logs_read(
    action="candidate.view",
    purpose="Sagsbehandling: kandidatens side",
    candidate_of=candidate_itself,
)
def candidate_detail(request, pk):
    return render(request, "candidates/candidate_detail.html", _candidate_context(request, pk))


@login_required
def candidate_cpr_reveal(request, pk):
    """The full CPR number, on request only, to the roles that need it; every reveal logged."""
    require(can_see_full_cpr(request.user))
    candidate = _get_candidate_for_user(request.user, pk)
    audit_access(
        request=request,
        action="candidate.cpr_reveal",
        purpose="Fuldt CPR-nummer vist (identitetskontrol)",
        candidate_id=candidate.pk,
        fields=["cpr"],
    )
    template = "candidates/_cpr_full.html" if request.htmx else "candidates/cpr_reveal.html"
    response = render(request, template, {"candidate": candidate})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@logs_read(
    action="candidate.print", purpose="Udskrift af kandidatens side", candidate_of=candidate_itself
)
def candidate_print(request, pk):
    context = _candidate_context(request, pk)
    context["show_full_cpr"] = False  # paper leaves the office: masked
    return render(request, "candidates/candidate_print.html", context)
