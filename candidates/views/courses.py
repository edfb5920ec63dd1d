"""Courses (forløb): the list, the course page and its actions, extension, udslusning and
the due list."""

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit.once import submitted_once
from audit.reads import filter_criteria, logs_export, logs_list_read, logs_read, show, shown_by_view
from documents.paging import numbered_page
from documents.tables import EXPORT_FORMATS, table_response

from .. import list_reads, selectors, services
from .. import rules as course_rules
from ..attendance import readers as attendance_readers
from ..filters import CourseFilter
from ..forms import (
    EndForm,
    ExtensionForm,
    FollowUpForm,
    GoalForm,
    GoalProgressForm,
    HoursForm,
    NoteForm,
)
from ..models import UNGE_AGE_LIMIT, Goal
from ..permissions import can_manage, can_read, require
from ..rows import due_rows
from ._common import (
    PAGE_SIZE,
    _add_service_error,
    _form_error_texts,
    _get_course_for_user,
    _page,
    _today,
)


@login_required
@logs_export(purpose="Eksport af forløbslisten", param="eksport", shown=list_reads.course_list)
@logs_list_read(purpose="Opfølgning: forløbslisten", shown=shown_by_view, unless="eksport")
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
            "page": _page(request, qs, criteria=filter_criteria(filterset)),
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
@submitted_once
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
@submitted_once
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
@submitted_once
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
@submitted_once
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
@submitted_once
def course_extend(request, pk):
    """Forlængelse: beyond 13/26 weeks refused without reason and consultation date."""
    course = _get_course_for_user(request.user, pk)
    # Suggest the next step; a group without extension (LAB § 61, stk. 1, nr. 1) at most up
    # to the end of its first period.
    limits = course.limits
    suggested = course.planned_end + timedelta(weeks=course_rules.EXTENSION_STEP_WEEKS)
    if not limits.extendable:
        suggested = course_rules.weeks_end(start=course.start, weeks=limits.initial_weeks)
    form = ExtensionForm(request.POST or None, initial={"new_planned_end": suggested})
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
@submitted_once
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
@logs_list_read(purpose="Opfølgning: ugens forløb", shown=shown_by_view)
def due_list(request):
    """What is due this week: the jobkonsulent's own centres, or all with ?alle=1."""
    require(can_manage(request.user))
    show_all = request.GET.get("alle") == "1"
    today = _today()
    # One page of the list (all centres: some thousand rows at Copenhagen's scale), ordered
    # and cut in PostgreSQL with its exact total; the rows shown are what the read logs.
    page = numbered_page(
        lambda first, size: selectors.due_items_page(
            today=today, consultant=None if show_all else request.user, first=first, size=size
        ),
        request=request,
        size=PAGE_SIZE,
    )
    show(request, (item.course.candidate_id for item in page), "Alle centre" if show_all else "")
    return render(
        request,
        "candidates/due_list.html",
        {
            "items": page.rows,
            "rows": due_rows(page.rows),
            "page": page,
            "show_all": show_all,
            "today": today,
        },
    )
