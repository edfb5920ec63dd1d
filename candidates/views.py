"""Pages of a candidate's way through a centre: henvisning, visitation, forløb, opfølgning,
forlængelse and udslusning (issue 5). Thin: forms parse, services write, selectors read."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.reads import candidate_itself, logs_export, logs_list_read, logs_read
from audit.services import audit_access
from codes import clock
from contracts.models import Contract
from contracts.selectors import contracts_with_capacity
from documents.tables import EXPORT_FORMATS, table_response

from . import list_reads, selectors, services
from . import rules as course_rules
from .attendance import readers as attendance_readers
from .filters import CandidateFilter, CourseFilter, ReferralFilter
from .forms import (
    CandidateForm,
    CourseStartForm,
    CprLookupForm,
    EndForm,
    ExtensionForm,
    FollowUpForm,
    GoalForm,
    GoalProgressForm,
    HoursForm,
    NoteForm,
    ReferralForm,
)
from .models import UNGE_AGE_LIMIT, Candidate, Course, Goal, LegalFrame, Referral
from .permissions import can_manage, can_read, can_refer, can_see_full_cpr, require
from .rules import free_places

PAGE_SIZE = 50


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


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("side"))


def _query_without_page(request) -> str:
    params = request.GET.copy()
    params.pop("side", None)
    params.pop("eksport", None)
    return params.urlencode()


def _get_candidate_for_user(user, pk) -> Candidate:
    require(can_read(user))
    return get_object_or_404(Candidate, pk=pk)


def _get_course_for_user(user, pk, *, manage: bool = True) -> Course:
    require(can_manage(user) if manage else can_read(user))
    course = selectors.course_detail(pk=pk)
    if course is None:
        raise Http404
    return course


def _get_referral_for_user(user, pk, *, manage: bool = True) -> Referral:
    require(can_manage(user) if manage else can_refer(user))
    return get_object_or_404(Referral.objects.select_related("candidate"), pk=pk)


# --- Candidates ---------------------------------------------------------------------------


@login_required
@logs_export(purpose="Eksport af kandidatlisten", param="eksport", shown=list_reads.candidate_list)
@logs_list_read(
    purpose="Sagsbehandling: kandidatlisten",
    shown=list_reads.candidate_list,
    page_size=PAGE_SIZE,
    unless="eksport",
)
def candidate_list(request):
    require(can_read(request.user))
    filterset = CandidateFilter(
        request.GET or None, queryset=selectors.candidates_for_list().order_by("name", "pk")
    )
    qs = filterset.qs
    fmt = request.GET.get("eksport")
    if fmt in EXPORT_FORMATS:
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
                    _state_label(c),
                    c.centre_name,
                    c.course_count or 0,
                ]
                for c in qs
            ),
        )
    return render(
        request,
        "candidates/candidate_list.html",
        {"filter": filterset, "page": _page(request, qs), "query": _query_without_page(request)},
    )


def _state_label(candidate) -> str:
    if candidate.in_course:
        return _("I forløb")
    if candidate.waiting:
        return _("På venteliste")
    return ""


@login_required
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
                with transaction.atomic():
                    candidate = services.candidate_create(
                        cpr=lookup.cleaned_data["cpr"],
                        acting_user=request.user,
                        **candidate_form.cleaned_data,
                    )
                    services.referral_create(
                        candidate=candidate,
                        referred_on=_today(),
                        acting_user=request.user,
                        **referral_form.cleaned_data,
                    )
            except ValidationError as exc:
                _add_service_error(candidate_form, exc)
            else:
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
    candidate = _get_candidate_for_user(request.user, pk)
    overview = selectors.candidate_overview(candidate=candidate)
    return {
        "candidate": candidate,
        "overview": overview,
        "today": _today(),
        "age": candidate.age_on(_today()),
        "show_full_cpr": can_see_full_cpr(request.user),
        "can_manage": can_manage(request.user),
        "can_refer": can_refer(request.user),
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


# --- Venteliste and visitation ------------------------------------------------------------


@login_required
@logs_export(purpose="Eksport af ventelisten", param="eksport", shown=list_reads.waiting_list)
@logs_list_read(
    purpose="Venteliste", shown=list_reads.waiting_list, page_size=PAGE_SIZE, unless="eksport"
)
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
    return render(
        request,
        "candidates/waiting_list.html",
        {
            "filter": filterset,
            "page": _page(request, qs),
            "query": _query_without_page(request),
            "can_manage": can_manage(request.user),
        },
    )


@login_required
@logs_read(
    action="candidate.view",
    purpose="Visitation til et center",
    candidate_of=selectors.candidate_id_of_referral,
)
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
                        acting_user=request.user,
                    )
                except ValidationError as exc:
                    _add_service_error(form, exc)
                else:
                    messages.success(
                        request,
                        _("Forløbet er startet i %(centre)s, %(place)s.")
                        % {"centre": contract.centre, "place": course.place},
                    )
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
            "fits": fits,
            "form": form,
            "today": today,
            "legal_frames": LegalFrame.choices,
            "default_hours": 10,
        },
        status=200,
    )


# --- Courses ------------------------------------------------------------------------------


@login_required
@logs_export(purpose="Eksport af forløbslisten", param="eksport", shown=list_reads.course_list)
@logs_list_read(
    purpose="Opfølgning: forløbslisten",
    shown=list_reads.course_list,
    page_size=PAGE_SIZE,
    unless="eksport",
)
def course_list(request):
    require(can_read(request.user))
    today = _today()
    filterset = CourseFilter(
        request.GET or None,
        queryset=selectors.courses_for_list(today=today).order_by("-start", "-pk"),
        request=request,
    )
    qs = filterset.qs
    fmt = request.GET.get("eksport")
    if fmt in EXPORT_FORMATS:
        return table_response(
            fmt=fmt,
            filename="forloeb",
            headers=[
                "Navn",
                "CPR",
                "Center",
                "Plads",
                "Start",
                "Planlagt slut",
                "Slut",
                "Timer pr. uge",
                "Lovgrundlag",
                "Udslusning",
            ],
            rows=(
                [
                    c.candidate.name,
                    c.candidate.cpr_masked,
                    c.contract.centre.name,
                    c.place.number,
                    c.start,
                    c.planned_end,
                    c.end,
                    c.hours_now,
                    c.get_legal_frame_display(),
                    c.get_outcome_display() if c.outcome else "",
                ]
                for c in qs
            ),
        )
    return render(
        request,
        "candidates/course_list.html",
        {
            "filter": filterset,
            "page": _page(request, qs),
            "query": _query_without_page(request),
            "today": today,
        },
    )


def _course_page(request, course, status=200, **forms):
    today = _today()
    hours = list(course.hours.all())
    defaults = {
        "hours_form": HoursForm(initial={"valid_from": today}, auto_id="hours_%s"),
        "goal_form": GoalForm(auto_id="goal_%s"),
        "note_form": NoteForm(initial={"date": today}, auto_id="note_%s"),
        "follow_up_form": FollowUpForm(auto_id="follow_up_%s"),
    }
    defaults.update(forms)
    # A refused form's errors are repeated at the top, where a screen reader announces them.
    errors = [e for form in forms.values() for e in _form_error_texts(form)]
    return render(
        request,
        "candidates/course_detail.html",
        {
            "course": course,
            "candidate": course.candidate,
            "hours": hours,
            "hours_now": next((h for h in reversed(hours) if h.valid_from <= today), None),
            "today": today,
            "week": course.weeks_on(min(today, course.end or today)),
            "is_young": course.candidate.age_on(course.start) < UNGE_AGE_LIMIT,
            "can_manage": can_manage(request.user),
            "progress_choices": Goal.Progress.choices,
            "attendance": attendance_readers.summary(course_ids=[course.pk]).get(course.pk, []),
            "errors": errors,
            **defaults,
        },
        status=status,
    )


@login_required
@logs_read(
    action="course.view",
    purpose="Opfølgning på forløbet",
    candidate_of=selectors.candidate_id_of_course,
)
def course_detail(request, pk):
    course = _get_course_for_user(request.user, pk, manage=False)
    return _course_page(request, course)


def _course_action(request, pk, form_class, form_name, call, success):
    """POST handler shared by the small forms on the course page: parse, call, redirect."""
    course = _get_course_for_user(request.user, pk)
    form = form_class(request.POST, auto_id=form_name.removesuffix("_form") + "_%s")
    if form.is_valid():
        try:
            call(course, form.cleaned_data)
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, success)
            return redirect("candidates:course", pk=course.pk)
    return _course_page(request, course, **{form_name: form})


@login_required
@require_POST
def course_hours_add(request, pk):
    return _course_action(
        request,
        pk,
        HoursForm,
        "hours_form",
        lambda course, data: services.course_change_hours(
            course=course, acting_user=request.user, **data
        ),
        _("De ugentlige timer er ændret."),
    )


@login_required
@require_POST
def goal_add(request, pk):
    def call(course, data):
        parent = None
        if data.get("parent"):
            parent = course.goal_set.filter(pk=data["parent"]).first()
            if parent is None:
                raise ValidationError(_("Hovedmålet findes ikke i dette forløb."))
        services.goal_create(
            course=course, text=data["text"], parent=parent, acting_user=request.user
        )

    return _course_action(request, pk, GoalForm, "goal_form", call, _("Målet er tilføjet."))


@login_required
@require_POST
def goal_progress(request, pk):
    require(can_manage(request.user))
    goal = get_object_or_404(Goal.objects.select_related("course"), pk=pk)
    form = GoalProgressForm(request.POST)
    if form.is_valid():
        services.goal_set_progress(
            goal=goal, progress=form.cleaned_data["progress"], acting_user=request.user
        )
        if request.htmx:
            return render(
                request,
                "candidates/_goal_progress.html",
                {"goal": goal, "progress_choices": Goal.Progress.choices, "saved": True},
            )
        messages.success(request, _("Progressionen er gemt."))
    else:
        messages.error(request, _("Vælg en progression fra listen."))
    return redirect(reverse("candidates:course", args=[goal.course_id]) + "#maal")


@login_required
@require_POST
def note_add(request, pk):
    return _course_action(
        request,
        pk,
        NoteForm,
        "note_form",
        lambda course, data: services.follow_up_note_create(
            course=course,
            noted_on=data["date"],
            text=data["text"],
            today=_today(),
            acting_user=request.user,
        ),
        _("Opfølgningsnotatet er gemt."),
    )


@login_required
@require_POST
def course_follow_up(request, pk):
    return _course_action(
        request,
        pk,
        FollowUpForm,
        "follow_up_form",
        lambda course, data: services.course_record_follow_up(
            course=course, today=_today(), acting_user=request.user, **data
        ),
        _("Opfølgningen er registreret."),
    )


@login_required
@logs_read(
    action="course.view",
    purpose="Forlængelse af forløbet",
    candidate_of=selectors.candidate_id_of_course,
)
def course_extend(request, pk):
    """Forlængelse: beyond 13/26 weeks refused without reason and consultation date."""
    course = _get_course_for_user(request.user, pk)
    form = ExtensionForm(
        request.POST or None,
        initial={
            "new_planned_end": course.planned_end
            + timedelta(weeks=course_rules.EXTENSION_STEP_WEEKS)
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.course_extend(course=course, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("Forløbet er forlænget."))
            return redirect("candidates:course", pk=course.pk)
    return render(
        request,
        "candidates/course_extend.html",
        {"course": course, "form": form, "weeks": course_rules.WEEKS_FOR_PAGES},
    )


@login_required
@logs_read(
    action="course.view", purpose="Udslusning", candidate_of=selectors.candidate_id_of_course
)
def course_end(request, pk):
    """Udslusning: end with an outcome; the place is free at once, so show who can refill it."""
    course = _get_course_for_user(request.user, pk)
    form = EndForm(request.POST or None, initial={"end": _today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.course_end(course=course, acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            free_from = course.end + timedelta(days=1)
            messages.success(
                request,
                _(
                    "Forløbet er afsluttet, og pladsen er ledig fra %(day)s. "
                    "Vælg en kandidat fra ventelisten."
                )
                % {"day": free_from.strftime("%d.%m.%Y")},
            )
            refill_url = reverse("centers:refill", args=[course.contract_id])
            return redirect(f"{refill_url}?fra={free_from.isoformat()}")
    return render(request, "candidates/course_end.html", {"course": course, "form": form})


@login_required
@logs_read(
    action="course.view", purpose="Trepartsaftale", candidate_of=selectors.candidate_id_of_course
)
def course_agreement(request, pk):
    """The three-party agreement (candidate, mentor, jobkonsulent) for candidates under 25."""
    course = _get_course_for_user(request.user, pk, manage=False)
    if course.candidate.age_on(course.start) >= UNGE_AGE_LIMIT:
        raise Http404("Trepartsaftalen gælder kandidater under 25 år.")
    return render(
        request,
        "candidates/course_agreement.html",
        {
            "course": course,
            "candidate": course.candidate,
            "mentors": list(course.contract.centre.mentors.select_related("user")),
            "hours_now": selectors.courses_for_list(today=_today())
            .filter(pk=course.pk)
            .values_list("hours_now", flat=True)
            .first(),
        },
    )


# --- Opfølgning ---------------------------------------------------------------------------


@login_required
def due_list(request):
    """What is due this week: the jobkonsulent's own centres, or all with ?alle=1."""
    require(can_manage(request.user))
    show_all = request.GET.get("alle") == "1"
    items = selectors.courses_due_for_follow_up(
        today=_today(), consultant=None if show_all else request.user
    )
    return render(
        request,
        "candidates/due_list.html",
        {"items": items, "show_all": show_all, "today": _today()},
    )


# --- Start pages (called from home.views.home) ------------------------------------------


def jobkonsulent_start_context(user) -> dict:
    """The jobkonsulent's start page: due this week, the venteliste's oldest, own centres."""
    today = _today()
    contracts = list(contracts_with_capacity(today=today).filter(centre__consultant=user))
    for contract in contracts:
        contract.free_now = free_places(places=contract.places, busy=contract.busy)
    return {
        "due_items": selectors.courses_due_for_follow_up(today=today, consultant=user),
        "waiting": list(selectors.waiting_list(today=today)[:10]),
        "my_contracts": contracts,
    }


def sagsbehandler_start_context(user) -> dict:
    return {"my_referrals": list(selectors.referrals_by_user(user=user)[:20]), "today": _today()}
