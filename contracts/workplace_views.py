"""Workplace pages: the staff-ratio headroom per workplace (P-number) and the facts it is
counted from (ordinary employees, others' placements, the written statement).

They live with contracts because contracts own capacity and the headroom selector; the
writes are centers' services. Thin: a form parses, a service decides, a page shows."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from centers import services as centre_services
from centers.models import Workplace
from codes import clock

from .forms import (
    CentreWorkplaceForm,
    WorkplaceEmployeesForm,
    WorkplaceForm,
    WorkplaceOtherPlacementForm,
    WorkplaceStatementForm,
)
from .permissions import MANAGE_ROLES, READ_ROLES, can_manage
from .permissions import contract_roles_required as roles_required
from .selectors import workplaces_headroom

# The facts a jobkonsulent records on the workplace page: form and service per kind.
FACTS = {
    "employees": (
        WorkplaceEmployeesForm,
        centre_services.workplace_employees_state,
        gettext_lazy("Antallet af ordinært ansatte er registreret."),
        True,
    ),
    "others": (
        WorkplaceOtherPlacementForm,
        centre_services.workplace_other_placement_record,
        gettext_lazy("Placeringen ved andre er registreret."),
        False,
    ),
    "statement": (
        WorkplaceStatementForm,
        centre_services.workplace_statement_record,
        gettext_lazy("Den skriftlige tilkendegivelse er registreret."),
        True,
    ),
}


def _get_workplace_or_404(pk: int) -> Workplace:
    """The workplace in this jobcentre's schema (another jobcentre's id is simply not there)."""
    return get_object_or_404(Workplace.objects.select_related("company"), pk=pk)


def _errors(request, exc: ValidationError) -> None:
    for error in exc.messages:
        messages.error(request, error)


@roles_required(*READ_ROLES)
def workplace_list(request):
    """Every workplace with its staff-ratio limit, placed persons and free room today."""
    today = clock.today()
    rows = workplaces_headroom(
        workplaces=Workplace.objects.order_by("company__name", "name"), day=today
    )
    return render(
        request,
        "contracts/workplace_list.html",
        {
            "rows": rows,
            "today": today,
            "can_manage": can_manage(request.user),
            "form": WorkplaceForm(),
        },
    )


@require_POST
@roles_required(*MANAGE_ROLES)
def workplace_create(request):
    form = WorkplaceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("contracts:workplaces")
    try:
        workplace = centre_services.workplace_create(acting_user=request.user, **form.cleaned_data)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect("contracts:workplaces")
    messages.success(request, _("Arbejdsstedet er oprettet."))
    return redirect("contracts:workplace", pk=workplace.pk)


@roles_required(*READ_ROLES)
def workplace_detail(request, pk: int):
    """One workplace: its headroom today, the facts behind it with their history, and the
    forms to record new ones."""
    workplace = _get_workplace_or_404(pk)
    today = clock.today()
    headrooms = workplaces_headroom(workplaces=Workplace.objects.filter(pk=pk), day=today)
    return render(
        request,
        "contracts/workplace_detail.html",
        {
            "workplace": workplace,
            "headroom_list": headrooms,
            "today": today,
            "centres": workplace.centres.order_by("name"),
            "employee_counts": workplace.employee_counts.select_related("recorded_by"),
            "other_placements": workplace.other_placements.select_related("recorded_by"),
            "statements": workplace.statements.select_related("recorded_by"),
            "can_manage": can_manage(request.user),
            "forms": {kind: spec[0](prefix=kind) for kind, spec in FACTS.items()},
            "centre_form": CentreWorkplaceForm(workplace=workplace),
        },
    )


@require_POST
@roles_required(*MANAGE_ROLES)
def workplace_fact_record(request, pk: int, kind: str):
    """Record one fact (employees, others' placements, the statement) through its service."""
    workplace = _get_workplace_or_404(pk)
    if kind not in FACTS:
        return redirect("contracts:workplace", pk=pk)
    form_class, service, done, takes_today = FACTS[kind]
    form = form_class(request.POST, prefix=kind)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect("contracts:workplace", pk=pk)
    extra = {"today": clock.today()} if takes_today else {}
    try:
        service(workplace=workplace, acting_user=request.user, **form.cleaned_data, **extra)
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, done)
    return redirect("contracts:workplace", pk=pk)


@require_POST
@roles_required(*MANAGE_ROLES)
def workplace_centre_set(request, pk: int):
    """Place a centre of the workplace's company (or its network) at this workplace."""
    workplace = _get_workplace_or_404(pk)
    form = CentreWorkplaceForm(request.POST, workplace=workplace)
    if not form.is_valid():
        messages.error(request, _("Vælg et af virksomhedens centre."))
        return redirect("contracts:workplace", pk=pk)
    try:
        centre_services.centre_workplace_set(
            centre=form.cleaned_data["centre"], workplace=workplace, acting_user=request.user
        )
    except ValidationError as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Centret er knyttet til arbejdsstedet."))
    return redirect("contracts:workplace", pk=pk)
