"""The jobcenterchef's audit pages: the log per candidate and per user, a citizen's access
log (CSV, PDF) and everything held about a person (JSON, PDF). Read-only: the log has no
edit or delete anywhere in the application."""

import json

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.roles import ROLES
from codes import clock
from documents.paging import PAGE_SIZE, KeysetPage, keyset_page
from documents.pdf import html_to_pdf, jobcenter_name
from documents.tables import csv_response

from . import rows, selectors
from .forms import AuditFilterForm
from .models import AuditEvent
from .people import people
from .permissions import require_audit_reader
from .reads import candidate_itself, logs_list_read, logs_read, search_criteria, show, shown_by_view
from .selectors import CANDIDATE_TYPE
from .services import audit_access

# What a page of the log shows of an event (audit/rows.py), read as plain values: the actor
# by name (issue 22) through the join, of the user only the name.
SHOWN_FIELDS = (
    "pk",
    "at",
    "actor_id",
    "actor_label",
    "actor__first_name",
    "actor__last_name",
    "action",
    "object_type",
    "object_id",
    "object_label",
    "fields",
    "ip",
    "actor_role",
    "purpose",
    "subjects",
    "criteria",
)


def _page(request, queryset) -> KeysetPage:
    """A keyset page of the log, newest first (documents/paging.py: no COUNT(*) over the
    table, and a page stays put while new events are written above it), its candidates
    named, its records linked; the candidates it shows are handed to the page's list read
    (audit/reads.py). The rows are plain values (no model instances: a page is PAGE_SIZE rows)."""
    queryset = queryset.order_by("-id").values_list(*SHOWN_FIELDS, named=True)
    page = keyset_page(queryset, request=request, size=PAGE_SIZE, count=False)
    page.html_rows = rows.event_rows(
        page.rows, user=request.user, candidate_names=_candidate_names(page.rows)
    )
    show(
        request,
        sorted(
            {
                int(e.object_id)
                for e in page.rows
                if e.object_type == CANDIDATE_TYPE and e.object_id.isdigit()
            }
        ),
    )
    return page


def _candidate_names(events) -> dict[int, str]:
    """The log names a candidate by id ("Kandidat #12"); the page shows the current name
    while the person exists (an anonymised one: "Anonymiseret kandidat 12"). One query."""
    ids = {int(e.object_id) for e in events if e.object_type == CANDIDATE_TYPE and e.object_id}
    return dict(people().model.objects.filter(pk__in=ids).values_list("pk", "name"))


def _role_label(name: str) -> str:
    role = ROLES.get(name)
    return str(role.label) if role else (name or "system")


def _get_candidate_for_chef(user, pk):
    require_audit_reader(user)
    return get_object_or_404(people().model, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
@logs_list_read(purpose="Revision: revisionssporet", shown=shown_by_view, action="audit.list")
def event_list(request):
    """The whole log, newest first; a CPR number posted leads to that candidate's log (by
    POST: a CPR number is never in a URL). The search is logged, the number masked."""
    require_audit_reader(request.user)
    cpr = request.POST.get("cpr", "").strip()[:20] if request.method == "POST" else ""
    not_found = False
    if cpr:
        candidate = people().by_cpr(cpr=cpr)
        audit_access(
            request=request,
            action="audit.cpr_search",
            purpose="Revision: CPR-søgning",
            candidate_id=candidate.pk if candidate is not None else None,
            criteria=search_criteria(cpr),
        )
        if candidate is not None:
            return redirect("audit:candidate", pk=candidate.pk)
        not_found = True
    filters = AuditFilterForm(request.GET or None)
    if filters.is_bound and filters.is_valid():
        events = selectors.audit_events_filtered(**filters.selector_kwargs())
    elif filters.is_bound:
        events = AuditEvent.objects.none()  # a bad filter shows its message, not everything
    else:
        events = AuditEvent.objects.all()
    return render(
        request,
        "audit/event_list.html",
        {
            "page": _page(request, events),
            "not_found": not_found,
            "filters": filters,
        },
        status=400 if filters.errors else 200,
    )


@login_required
@logs_read(
    action="audit.candidate_log",
    purpose="Revision: kandidatens revisionsspor",
    candidate_of=candidate_itself,
)
def candidate_log(request, pk):
    candidate = _get_candidate_for_chef(request.user, pk)
    events = selectors.audit_events_for_candidate(candidate_id=candidate.pk)
    return render(
        request,
        "audit/candidate_log.html",
        {"candidate": candidate, "page": _page(request, events)},
    )


@login_required
@logs_list_read(purpose="Revision: en brugers spor", shown=shown_by_view, action="audit.user_log")
def user_log(request, pk):
    require_audit_reader(request.user)
    person = get_object_or_404(get_user_model(), pk=pk)
    events = selectors.audit_events_for_user(user_id=person.pk)
    return render(
        request, "audit/user_log.html", {"person": person, "page": _page(request, events)}
    )


def _access_rows(candidate):
    return [
        {
            "at": timezone.localtime(e.at),
            "role": _role_label(e.actor_role),
            "purpose": e.purpose or e.action,
        }
        for e in selectors.access_log_for_candidate(candidate_id=candidate.pk).order_by("at")
    ]


@login_required
def candidate_access_export(request, pk, fmt):
    """The citizen's right to know who looked at the record and why (dates, role, purpose)."""
    candidate = _get_candidate_for_chef(request.user, pk)
    if fmt not in ("csv", "pdf"):
        raise Http404
    rows = _access_rows(candidate)
    audit_access(
        request=request,
        action="candidate.access_log_export",
        purpose="Indsigt: udlevering af adgangslog til borgeren",
        candidate_id=candidate.pk,
    )
    filename = f"adgangslog-kandidat-{candidate.pk}"
    if fmt == "csv":
        return csv_response(
            filename=filename,
            headers=["Tidspunkt", "Rolle", "Formål"],
            rows=([f"{row['at']:%d.%m.%Y %H:%M}", row["role"], row["purpose"]] for row in rows),
        )
    return _pdf_response(
        "audit/pdf/access_log.html", {"candidate": candidate, "rows": rows}, filename
    )


@login_required
def candidate_data_export(request, pk, fmt):
    """Everything held about one person (GDPR art. 15), as JSON or PDF."""
    candidate = _get_candidate_for_chef(request.user, pk)
    if fmt not in ("json", "pdf"):
        raise Http404
    data = people().personal_data(candidate=candidate)
    audit_access(
        request=request,
        action="candidate.data_export",
        purpose="Indsigt: udlevering af alle oplysninger om borgeren",
        candidate_id=candidate.pk,
        fields=["all"],
    )
    filename = f"indsigt-kandidat-{candidate.pk}"
    if fmt == "json":
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2, default=str),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{filename}.json"'
        return response
    return _pdf_response("audit/pdf/personal_data.html", {"data": data}, filename)


def _pdf_response(template: str, context: dict, filename: str) -> HttpResponse:
    html = render_to_string(
        template, {**context, "jobcenter_name": jobcenter_name(), "today": clock.today()}
    )
    pdf, _fetcher = html_to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    response["Cache-Control"] = "no-store"
    return response
