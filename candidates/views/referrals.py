"""The waiting list and visitation: a referral finds its place."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from audit.once import submitted_once
from audit.reads import filter_criteria, logs_export, logs_list_read, logs_read, shown_by_view
from contracts.models import Contract
from documents.tables import EXPORT_FORMATS, table_response

from .. import list_reads, rows, selectors, services
from ..filters import ReferralFilter
from ..forms import (
    CourseStartForm,
)
from ..models import LegalFrame, Referral, TargetGroup
from ..permissions import can_manage, can_read, require
from ._common import (
    _add_service_error,
    _get_referral_for_user,
    _page,
    _today,
)


@login_required
@logs_export(purpose="Eksport af ventelisten", param="eksport", shown=list_reads.waiting_list)
@logs_list_read(purpose="Venteliste", shown=shown_by_view, unless="eksport")
def waiting_list(request):
    require(can_read(request.user))
    today = _today()
    filterset = ReferralFilter(request.GET or None, queryset=selectors.waiting_list(today=today))
    qs = filterset.qs
    fmt = request.GET.get("eksport")
    if fmt in EXPORT_FORMATS:
        return table_response(
            fmt=fmt,
            filename="venteliste",
            headers=["Navn", "CPR", "Henvist", "Dage på venteliste", "Begrundelse", "Ønsker"],
            rows=(
                [
                    r.candidate.name,
                    r.candidate.cpr_masked,
                    r.referred_on,
                    r.waited.days,
                    r.reason,
                    r.wishes,
                ]
                for r in qs
            ),
        )
    page = _page(request, selectors.waiting_list_shown(qs), criteria=filter_criteria(filterset))
    return render(
        request,
        "candidates/waiting_list.html",
        {
            "filter": filterset,
            "page": page,
            "rows": rows.waiting_rows(page.rows, can_manage=can_manage(request.user)),
        },
    )


@login_required
@logs_read(
    action="candidate.view",
    purpose="Visitation til et center",
    candidate_of=selectors.candidate_id_of_referral,
)
@submitted_once
def visitation(request, pk):
    """The centres ranked by fit for one waiting candidate; one click starts a course."""
    referral = _get_referral_for_user(request.user, pk)
    today = _today()
    form = None
    if request.method == "POST":
        form = CourseStartForm(request.POST)
        if form.is_valid():
            contract = (
                Contract.objects.select_related("centre")
                .filter(pk=form.cleaned_data["contract"])
                .first()
            )
            if contract is None:
                form.add_error(None, _("Kontrakten findes ikke."))
            else:
                try:
                    course = services.referral_place(
                        referral=referral,
                        contract=contract,
                        start=form.cleaned_data["start"],
                        hours_per_week=form.cleaned_data["hours_per_week"],
                        legal_frame=form.cleaned_data["legal_frame"],
                        target_group=form.cleaned_data["target_group"] or None,
                        acting_user=request.user,
                    )
                except ValidationError as exc:
                    _add_service_error(form, exc)
                else:
                    values = {
                        "centre": contract.centre,
                        "place": course.place,
                        "day": f"{course.start:%d.%m.%Y}",
                    }
                    if course.start > today:
                        text = _("Forløbet er booket i %(centre)s, %(place)s: det starter %(day)s.")
                    else:
                        text = _("Forløbet er startet i %(centre)s, %(place)s.")
                    messages.success(request, text % values)
                    return redirect("candidates:course", pk=course.pk)
    if referral.status != Referral.Status.VENTER:
        messages.info(request, _("Kandidaten står ikke på ventelisten."))
        return redirect("candidates:detail", pk=referral.candidate_id)
    fits = selectors.centres_ranked_for_referral(referral=referral, today=today)
    return render(
        request,
        "candidates/visitation.html",
        {
            "referral": referral,
            "candidate": referral.candidate,
            "age": referral.candidate.age_on(today),
            "fits": [f for f in fits if not f.excluded],
            "excluded": [f for f in fits if f.excluded],
            "form": form,
            "today": today,
            "legal_frames": LegalFrame.choices,
            "target_groups": TargetGroup.choices,
            "default_hours": 10,
        },
        status=200,
    )
