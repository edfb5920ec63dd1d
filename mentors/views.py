"""The virksomhedsmentor's pages (attendance, hours, notes, flags) and the jobkonsulent's view
of them. Every object is looked up through a helper that scopes it by the user's role and
centres and answers 404 otherwise - the same 404 whether the object exists or not.
"""

from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import ROLE_JOBKONSULENT, ROLE_MENTOR
from audit.once import submitted_once
from audit.reads import logs_export, logs_list_read, logs_read, show, shown_by_view
from candidates.models import Course
from candidates.selectors import candidate_id_of_course
from centers.models import Centre
from codes import clock, parse
from codes.parse import BoundedDateField
from contracts.models import Contract
from documents.rows import url_of
from documents.tables import csv_response

from . import selectors, services
from .charts import hours_chart
from .forms import (
    AttendanceForm,
    FlagForm,
    MentorGrantExtendForm,
    MentorGrantForm,
    MentorHoursForm,
    MentorInviteForm,
    ProgressNoteForm,
)
from .models import AttendanceFlag, MentorGrant
from .rows import week_head_html, week_rows_html

# How far back the week view goes: the mentor fills or corrects the last days.
WEEKS_BACK = 8


def _today() -> date:
    return clock.today()


def _require_role(user, role: str) -> None:
    if not user.has_role(role):
        raise Http404


def _get_course_for_mentor(user, pk) -> Course:
    """A course placed in one of the mentor's centres, or 404 (also for every other role)."""
    _require_role(user, ROLE_MENTOR)
    courses = selectors._with_names_only(selectors.courses_for_mentor(user))
    return get_object_or_404(courses, pk=pk)


def _get_course_for_consultant(user, pk) -> Course:
    _require_role(user, ROLE_JOBKONSULENT)
    courses = selectors._with_names_only(Course.objects.all()).select_related(
        "contract__centre__consultant"
    )
    return get_object_or_404(courses, pk=pk)


def _get_centre_for_user(user, pk) -> Centre:
    """The mentor's own centre, any centre for a jobkonsulent, else 404."""
    if user.has_role(ROLE_MENTOR):
        return get_object_or_404(selectors.centres_for_mentor(user), pk=pk)
    if user.has_role(ROLE_JOBKONSULENT):
        return get_object_or_404(Centre, pk=pk)
    raise Http404


def _parse_day(value: str) -> date:
    """A day from the URL, within codes.parse's sane window; anything else is no page."""
    try:
        return parse.parse_day(value)
    except parse.ParseError:
        raise Http404 from None


def _safe_next(request, default: str) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return default


def row_links(rows):
    """Set each attendance row's links (its save, its course page); returns the rows."""
    save_url = url_of("mentors:attendance_save")
    course_url = url_of("mentors:course")
    for row in rows:
        row.save_url = save_url(row.course_id)
        row.course_url = course_url(row.course_id)
    return rows


def centre_links(centres):
    """Set each centre's "alle mødt" and statistics links and its button's text (naming the
    centre when the mentor has several) from one reverse() a page; returns the centres."""
    all_present, stats = url_of("mentors:all_present"), url_of("mentors:centre_stats")
    several = len(centres) > 1
    for centre in centres:
        centre.all_present_url = all_present(centre.pk)
        centre.stats_url = stats(centre.pk)
        centre.all_present_label = _("Alle mødt i %(centre)s") % {"centre": centre.name}
        centre.button_label = centre.all_present_label if several else _("Alle mødt")
    return centres


def _mentor_day_context(user, day: date, *, next_url: str) -> dict:
    """What the day page (and the mentor's start page) shows."""
    rows = row_links(selectors.attendance_rows(selectors.courses_for_mentor(user), days=[day])[day])
    today = _today()
    return {
        "day": day,
        "is_today": day == today,
        "rows": rows,
        # The buttons and links name the centre: its other columns are long texts.
        "centres": centre_links(list(selectors.centres_for_mentor(user).only("id", "name"))),
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1) if day < today else None,
        "monday": selectors.week_start(day),
        "next_url": next_url,
    }


def mentor_start_context(user) -> dict:
    """The mentor's start page ("I dag"): used by home.views.home."""
    return _mentor_day_context(user, _today(), next_url=reverse("home"))


def shown_candidates(context: dict):
    """The candidates of a day page's rows (also the start page's), for its audit read."""
    return (row.candidate_id for row in context.get("rows", ()))


ATTENDANCE_PURPOSE = "Mentorens registrering af fremmøde"


@login_required
@logs_list_read(purpose=ATTENDANCE_PURPOSE, shown=shown_by_view)
def day(request, day: str | None = None):
    _require_role(request.user, ROLE_MENTOR)
    today = _today()
    the_day = _parse_day(day) if day else today
    if the_day > today:
        raise Http404
    context = _mentor_day_context(request.user, the_day, next_url=request.get_full_path())
    show(request, shown_candidates(context))
    return render(request, "mentors/day.html", context)


@login_required
@require_POST
def attendance_save(request, pk):
    """Save one tap. htmx gets the row back; without JavaScript it is a normal POST."""
    course = _get_course_for_mentor(request.user, pk)
    form = AttendanceForm(request.POST)
    error = ""
    the_day = None
    saved = None
    if form.is_valid():
        the_day = form.cleaned_data["date"]
        try:
            saved = services.attendance_record(
                course=course,
                date=the_day,
                status=form.cleaned_data["status"],
                hours=form.cleaned_data["hours"],
                acting_user=request.user,
                today=_today(),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _form_errors(form)

    if request.htmx:
        if the_day is None or not services.course_covers(course, the_day):
            # Nothing to redraw: say so in the row's status line (422: htmx keeps the row).
            return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
        # What PostgreSQL holds now, and who saved it: when another mentor saved the same day
        # at the same moment, the page shows the entry that stands (issue 19).
        stored = selectors.attendance_stored(course, day=the_day)
        row = selectors.attendance_row(course, day=the_day, attendance=stored)
        row.saved = not error
        row.error = error
        row.replaced = saved.replaced_entry if saved is not None else None
        return render(
            request,
            "mentors/_attendance_rows.html",
            {"rows": row_links([row]), "next_url": _safe_next(request, reverse("home"))},
        )
    if error:
        messages.error(request, error)
    else:
        if saved is not None and saved.replaced_entry is not None:
            messages.warning(request, _replaced_message(saved.replaced_entry))
        messages.success(
            request,
            _("Gemt: %(name)s %(day)s.")
            % {"name": course.candidate.name, "day": f"{the_day:%d.%m.%Y}"},
        )
    return redirect(_safe_next(request, reverse("home")))


class AllPresentForm(forms.Form):
    date = BoundedDateField(label=_("Dato"))


@login_required
@require_POST
@logs_list_read(purpose=ATTENDANCE_PURPOSE, shown=shown_by_view)
def all_present(request, pk):
    """ "Alle mødt": one tap marks the centre's unregistered candidates present with their
    planned hours; the mentor then corrects single rows. htmx gets the day's list back."""
    _require_role(request.user, ROLE_MENTOR)
    centre = get_object_or_404(selectors.centres_for_mentor(request.user), pk=pk)
    form = AllPresentForm(request.POST)
    error = ""
    done = None
    the_day = _today()
    if form.is_valid():
        the_day = form.cleaned_data["date"]
        try:
            done = services.attendance_all_present(
                courses=selectors.courses_for_mentor(request.user),
                centre=centre,
                date=the_day,
                acting_user=request.user,
                today=_today(),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:
        error = _form_errors(form)
    summary = error or _all_present_message(centre, done)
    if request.htmx:
        if error:
            return HttpResponse(error, status=422, content_type="text/plain; charset=utf-8")
        context = _mentor_day_context(
            request.user, the_day, next_url=_safe_next(request, reverse("home"))
        )
        context["all_present_done"] = summary
        show(request, shown_candidates(context))
        return render(request, "mentors/_day_section.html", context)
    (messages.error if error else messages.success)(request, summary)
    return redirect(_safe_next(request, reverse("home")))


def _all_present_message(centre, done) -> str:
    text = _("%(centre)s: %(count)s markeret mødt med de planlagte timer.") % {
        "centre": centre.name,
        "count": len(done.marked),
    }
    if done.already:
        text += " " + _("%(count)s var allerede registreret og er uændrede.") % {
            "count": done.already
        }
    if done.without_hours:
        text += " " + _("Uden planlagte timer i dag (udfyld selv): %(names)s.") % {
            "names": ", ".join(done.without_hours)
        }
    return text


def _form_errors(form) -> str:
    """A refused form's messages as one line (a row's or the day's status line)."""
    return " ".join(e for errors in form.errors.values() for e in errors)


def _replaced_message(entry) -> str:
    return _("Erstattede registreringen fra %(name)s (%(status)s, kl. %(time)s).") % {
        "name": entry.recorded_by or _("en anden"),
        "status": entry.status_label,
        "time": f"{timezone.localtime(entry.recorded_at):%H:%M}",
    }


@login_required
@logs_list_read(purpose=ATTENDANCE_PURPOSE, shown=shown_by_view)
def week(request, monday: str | None = None):
    _require_role(request.user, ROLE_MENTOR)
    today = _today()
    first = selectors.week_start(_parse_day(monday) if monday else today)
    this_monday = selectors.week_start(today)
    if first > this_monday or first < this_monday - timedelta(weeks=WEEKS_BACK):
        raise Http404
    grid = selectors.week_grid(selectors.courses_for_mentor(request.user), monday=first)
    # One reverse() per day and per candidate, not per cell (issue 24).
    day_urls = {d: reverse("mentors:day", args=[d]) for d in grid.days}
    course_url = url_of("mentors:course")
    rows = [(course_url(course_id), name, cells) for course_id, name, cells in grid.rows]
    show(request, (cell.candidate_id for _id, _name, cells in grid.rows for cell in cells if cell))
    return render(
        request,
        "mentors/week.html",
        {
            "grid": grid,
            "rows_html": week_rows_html(rows, day_urls=day_urls, today=today),
            "head_html": week_head_html(day_urls, today=today),
            "monday": first,
            "sunday": first + timedelta(days=6),
            "today": today,
            "previous_week": first - timedelta(weeks=1)
            if first > this_monday - timedelta(weeks=WEEKS_BACK)
            else None,
            "next_week": first + timedelta(weeks=1) if first < this_monday else None,
        },
    )


@login_required
@logs_read(
    action="course.view",
    purpose="Mentorens daglige arbejde med forløbet",
    candidate_of=candidate_id_of_course,
)
def course_detail(request, pk):
    """One candidate for the mentor: hours, work tasks, goals, statistics, notes, flag."""
    course = _get_course_for_mentor(request.user, pk)
    stats = selectors.course_stats(course, today=_today())
    return render(
        request,
        "mentors/course.html",
        {
            "course": course,
            "stats": stats,
            "chart": hours_chart(stats.weeks),
            "goals": course.goal_set.filter(parent__isnull=True).prefetch_related("sub_goals"),
            "work_tasks": course.contract.centre.work_tasks,
            "notes": selectors.progress_notes(course)[:10],
            "note_form": ProgressNoteForm(),
            "flag_form": FlagForm(),
        },
    )


@login_required
@require_POST
@submitted_once
def note_create(request, pk):
    course = _get_course_for_mentor(request.user, pk)
    form = ProgressNoteForm(request.POST)
    if form.is_valid():
        try:
            services.progress_note_create(
                course=course, date=_today(), acting_user=request.user, **form.cleaned_data
            )
            messages.success(request, _("Noten er gemt."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, _("Noten er for lang."))
    return redirect("mentors:course", pk=course.pk)


@login_required
@require_POST
@submitted_once
def flag_raise(request, pk):
    course = _get_course_for_mentor(request.user, pk)
    form = FlagForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_flag_raise(
                course=course,
                date=_today(),
                reason=form.cleaned_data["reason"],
                acting_user=request.user,
            )
            messages.success(request, _("Jobkonsulenten har fået besked."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, " ".join(form.errors["reason"]))
    return redirect("mentors:course", pk=course.pk)


@login_required
def hours(request):
    """The mentor's hours per week on each centre (for `mentor_hours` billing)."""
    _require_role(request.user, ROLE_MENTOR)
    mentor = selectors.mentor_for_user(request.user)
    if mentor is None:
        raise Http404
    centres = selectors.centres_for_mentor(request.user)
    if request.method == "POST":
        form = MentorHoursForm(request.POST, centres=centres)
        if form.is_valid():
            try:
                services.mentor_hours_record(
                    mentor=mentor,
                    centre=form.cleaned_data["centre"],
                    week=form.cleaned_data["week"],
                    hours=form.cleaned_data["hours"],
                    acting_user=request.user,
                )
                messages.success(request, _("Mentortimerne er gemt."))
                return redirect("mentors:hours")
            except ValidationError as exc:
                form.add_error(None, exc)
    else:
        form = MentorHoursForm(
            centres=centres,
            initial={"week": selectors.week_start(_today()), "centre": centres.first()},
        )
    return render(
        request,
        "mentors/hours.html",
        {"form": form, "logged": selectors.mentor_hours_recent(mentor)},
        status=400 if form.errors else 200,
    )


@login_required
@logs_list_read(purpose="Fremmødestatistik for centret", shown=shown_by_view)
def centre_stats(request, pk):
    centre = _get_centre_for_user(request.user, pk)
    stats = selectors.centre_stats(centre, today=_today())
    show(request, (line.candidate_id for line in stats.candidates))
    is_consultant = not request.user.has_role(ROLE_MENTOR)
    return render(
        request,
        "mentors/centre_stats.html",
        {
            "centre": centre,
            "stats": stats,
            "chart": hours_chart(stats.weeks),
            "course_url": "mentors:consultant_course" if is_consultant else "mentors:course",
        },
    )


@login_required
@logs_export(purpose="Eksport af centrets fremmøde")
def centre_export(request, pk):
    """The centre's attendance of the last 8 weeks as CSV: date, candidate, status, hours."""
    centre = _get_centre_for_user(request.user, pk)
    today = _today()
    first = selectors.week_start(today) - timedelta(weeks=WEEKS_BACK)
    days = [first + timedelta(days=i) for i in range((today - first).days + 1)]
    rows = selectors.attendance_rows(Course.objects.filter(contract__centre=centre), days=days)
    return csv_response(
        filename=f"fremmoede-{centre.pk}",
        headers=[_("Dato"), _("Kandidat"), _("Status"), _("Timer")],
        rows=(
            [the_day.isoformat(), row.candidate_name, row.status_label, row.hours]
            for the_day in days
            for row in rows[the_day]
            if row.status
        ),
    )


# --- the jobkonsulent ---------------------------------------------------------------------


@login_required
@logs_list_read(purpose="Opfølgning på fremmødeproblemer", shown=shown_by_view)
def consultant_overview(request):
    """Open attendance flags (own centres first) and every centre's statistics."""
    _require_role(request.user, ROLE_JOBKONSULENT)
    flags = list(selectors.open_flags())
    show(request, (flag.course.candidate_id for flag in flags))
    own = [f for f in flags if f.course.contract.centre.consultant_id == request.user.pk]
    others = [f for f in flags if f.course.contract.centre.consultant_id != request.user.pk]
    return render(
        request,
        "mentors/consultant_overview.html",
        {
            "own_flags": own,
            "other_flags": others,
            "centres": Centre.objects.select_related("consultant").order_by("name"),
        },
    )


@login_required
@logs_read(
    action="course.view",
    purpose="Opfølgning på fremmøde",
    candidate_of=candidate_id_of_course,
)
def consultant_course(request, pk):
    """A course's attendance for the jobkonsulent: statistics, every change, notes, flags."""
    course = _get_course_for_consultant(request.user, pk)
    stats = selectors.course_stats(course, today=_today())
    return render(
        request,
        "mentors/consultant_course.html",
        {
            "course": course,
            "stats": stats,
            "chart": hours_chart(stats.weeks),
            "changes": selectors.attendance_changes(course),
            "notes": selectors.progress_notes(course),
            "flags": course.attendance_flags.select_related("raised_by", "resolved_by"),
        },
    )


@login_required
@require_POST
def flag_resolve(request, pk):
    _require_role(request.user, ROLE_JOBKONSULENT)
    flag = get_object_or_404(AttendanceFlag, pk=pk)
    services.attendance_flag_resolve(flag=flag, acting_user=request.user)
    messages.success(request, _("Fremmødeproblemet er afsluttet."))
    default = reverse("mentors:consultant_course", args=[flag.course_id])
    return redirect(_safe_next(request, default))


@login_required
@submitted_once
def mentor_invite(request):
    """The jobkonsulent creates a mentor's account; the mentor gets a password-set link."""
    _require_role(request.user, ROLE_JOBKONSULENT)
    form = MentorInviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            mentor = services.mentor_invite(
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
                company=data["company"],
                centres=list(data["centres"]),
                acting_user=request.user,
                base_url=request.build_absolute_uri("/"),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("%(email)s er oprettet som mentor og har fået en invitation med et link.")
                % {"email": mentor.user.email},
            )
            return redirect("mentors:consultant_overview")
    return render(
        request,
        "mentors/invite.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _places_and_courses(contract) -> tuple[list, list]:
    """The contract's places and its courses by number and start: no person's name or
    data, so the page reads no one (tests/security/test_read_declarations.py)."""
    courses = (
        contract.courses.select_related("place")
        .only("id", "start", "place__id", "place__number")
        .order_by("-start")
    )
    return list(contract.place_set.order_by("number")), list(courses)


def _grant_page(request, contract, *, form=None, status=200):
    places, courses = _places_and_courses(contract)
    grants = MentorGrant.objects.filter(place__contract=contract).select_related(
        "place", "extended_by"
    )
    return render(
        request,
        "mentors/grants.html",
        {
            "contract": contract,
            "grants": grants.order_by("place__number", "course_id", "start"),
            "form": form or MentorGrantForm(places=places, courses=courses),
        },
        status=status,
    )


def _get_contract_for_consultant(user, pk):
    _require_role(user, ROLE_JOBKONSULENT)
    return get_object_or_404(Contract.objects.select_related("centre"), pk=pk)


@login_required
def grants(request, pk):
    """Mentor support of a contract's places and persons: the agreements and a new one."""
    contract = _get_contract_for_consultant(request.user, pk)
    if request.method != "POST":
        return _grant_page(request, contract)
    places, courses = _places_and_courses(contract)
    form = MentorGrantForm(request.POST, places=places, courses=courses)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.mentor_grant_create(
                place=next(p for p in places if p.pk == data["place"]),
                course=next((c for c in courses if c.pk == data["course"]), None),
                start=data["start"],
                end=data["end"],
                hours_per_week=data["hours_per_week"],
                hourly_rate=data["hourly_rate"],
                purpose=data["purpose"],
                acting_user=request.user,
            )
        except ValidationError as exc:
            for error in exc.messages:
                form.add_error(None, error)
        else:
            messages.success(request, _("Mentorstøtten er bevilget."))
            return redirect("mentors:grants", pk=contract.pk)
    return _grant_page(request, contract, form=form, status=400)


@login_required
@require_POST
def grant_extend(request, pk):
    _require_role(request.user, ROLE_JOBKONSULENT)
    grant = get_object_or_404(MentorGrant.objects.select_related("place", "course"), pk=pk)
    form = MentorGrantExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Skriv en gyldig slutdato for den nye aftale."))
    else:
        try:
            services.mentor_grant_extend(
                grant=grant, end=form.cleaned_data["end"], acting_user=request.user
            )
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        else:
            messages.success(request, _("Mentorstøtten er forlænget med en ny aftale."))
    return redirect("mentors:grants", pk=grant.place.contract_id)


def _invited_mentor_user(key: str):
    """The mentor whose invitation key this is (allauth's one-time reset key), or None."""
    from allauth.account import app_settings as allauth_settings
    from allauth.account.utils import url_str_to_user_pk

    from accounts.models import User

    uidb36, _sep, token = services.invitation_key_from_url(key).partition("-")
    try:
        user = User.objects.filter(pk=url_str_to_user_pk(uidb36)).first()
    except (ValueError, OverflowError):
        return None
    if user is None or selectors.mentor_for_user(user) is None:
        return None
    if not allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().check_token(user, token):
        return None
    return user


def mitid_invitation(request, key: str):
    """The invitation's first sign-in with MitID Erhverv: the invited mentor is kept on the
    session for the login that follows (mentors.mitid links the identity to them)."""
    from sso import rules as sso_rules
    from sso.selectors import identity_providers

    from .mitid import INVITATION_SESSION_KEY

    user = _invited_mentor_user(key)
    providers = [
        {
            "name": app.name,
            "url": reverse(
                "saml_login" if app.provider == "saml" else "openid_connect_login",
                args=[app.provider_id],
            ),
        }
        for app in identity_providers(sso_rules.AUDIENCE_MENTOR)
    ]
    if user is not None and providers:
        request.session[INVITATION_SESSION_KEY] = user.pk
    return render(
        request,
        "mentors/mitid_invitation.html",
        {"invited": user, "providers": providers},
        status=200 if user is not None else 404,
    )
