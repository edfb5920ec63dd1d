"""The start pages: the top floor, so it may call every app's start context."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from accounts.roles import (
    ROLE_ADMIN,
    ROLE_JOBCENTERCHEF,
    ROLE_JOBKONSULENT,
    ROLE_MENTOR,
    ROLE_SAGSBEHANDLER,
    ROLES,
    primary_role,
)
from accounts.selectors import users_with_roles
from audit.reads import logs_list_read, show, shown_by_view
from candidates.views import jobkonsulent_start_context, sagsbehandler_start_context
from contracts.views import contracts_start_context
from mentors.views import mentor_start_context
from reports.selectors import job_runs_latest
from reports.views import chief_start_context


def _candidates_shown(context: dict) -> list:
    """The candidates whose names a start page shows: the jobkonsulent's due list and
    waiting list, the sagsbehandler's referrals, the mentor's day (start_*.html)."""
    ids = [item.course.candidate_id for item in context.get("due_items", ())]
    ids += [referral.candidate_id for referral in context.get("waiting", ())]
    ids += [referral.candidate_id for referral in context.get("my_referrals", ())]
    ids += [row.candidate_id for row in context.get("rows", ())]
    return ids


@login_required
@logs_list_read(purpose="Startsiden: dagens arbejde", shown=shown_by_view)
def home(request):
    """Each role lands on its own start page; a user without a role is told so."""
    role = primary_role(request.user)
    context = {"role": role, "role_label": ROLES[role].label if role else ""}
    if role is None:
        return render(request, "home/start_no_role.html", context, status=403)
    if role == ROLE_ADMIN:
        context["users"] = users_with_roles()
        context["job_runs"] = job_runs_latest(limit=10)
    if role == ROLE_JOBKONSULENT:
        context.update(jobkonsulent_start_context(request.user))
    if role == ROLE_SAGSBEHANDLER:
        context.update(sagsbehandler_start_context(request.user))
    if role == ROLE_JOBCENTERCHEF:
        context.update(chief_start_context())
    if role == ROLE_MENTOR:
        # The mentor lands on today's attendance of the mentor's own centres.
        context.update(mentor_start_context(request.user))
    context.update(contracts_start_context(request.user, role=role))
    show(request, _candidates_shown(context))
    return render(request, f"home/start_{role}.html", context)


def accessibility(request):
    """The accessibility statement: open to everyone, signed in or not (the footer of the
    login page links to it). The platform (public schema) has no jobcentre's text."""
    statement = None
    tenant = getattr(request, "tenant", None)
    if tenant is not None and tenant.schema_name != "public":
        from .models import AccessibilityStatement

        statement = AccessibilityStatement.objects.first()
    return render(request, "home/accessibility.html", {"statement": statement})


@login_required
def blank(request):
    """The floor of the page benchmark (page_benchmark, docs/benchmarks.md): what any page
    costs before it shows anything - the whole middleware stack, the session and the base
    layout with the navigation for the user's roles, and an empty content block."""
    return render(request, "home/blank.html")
