from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from reports.selectors import job_runs_latest

from .roles import (
    ROLE_ADMIN,
    ROLE_JOBCENTERCHEF,
    ROLE_JOBKONSULENT,
    ROLE_MENTOR,
    ROLE_SAGSBEHANDLER,
    ROLES,
    primary_role,
)
from .selectors import users_with_roles


@login_required
def home(request):
    """Each role lands on its own start page; a user without a role is told so."""
    role = primary_role(request.user)
    context = {"role": role, "role_label": ROLES[role].label if role else ""}
    if role is None:
        return render(request, "accounts/start_no_role.html", context, status=403)
    if role == ROLE_ADMIN:
        context["users"] = users_with_roles()
        context["job_runs"] = job_runs_latest(limit=10)
    if role == ROLE_JOBKONSULENT:
        from candidates.views import jobkonsulent_start_context

        context.update(jobkonsulent_start_context(request.user))
    if role == ROLE_SAGSBEHANDLER:
        from candidates.views import sagsbehandler_start_context

        context.update(sagsbehandler_start_context(request.user))
    if role == ROLE_JOBCENTERCHEF:
        from reports.views import chief_start_context

        context.update(chief_start_context())
    if role == ROLE_MENTOR:
        # The mentor lands on today's attendance of the mentor's own centres.
        from mentors.views import mentor_start_context

        context.update(mentor_start_context(request.user))
    from contracts.views import contracts_start_context

    context.update(contracts_start_context(request.user, role=role))
    return render(request, f"accounts/start_{role}.html", context)
