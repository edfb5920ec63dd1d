"""Afregning pages. Thin: parse the month, call a service or selectors, render."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.roles import roles_required
from audit.once import submitted_once
from codes import clock

from . import einvoice, exports, pdf, rows, rules, selectors, services
from .models import BillingRun, Statement
from .permissions import APPROVE_ROLES, READ_ROLES, REBUILD_ROLES, can_approve, can_rebuild


def _bad_month(request, exc: ValidationError) -> HttpResponse:
    """A month the URL cannot mean (2025-13) answers 400 with the Danish reason."""
    return render(request, "billing/bad_request.html", {"errors": exc.messages}, status=400)


def _get_statement_or_404(pk: int) -> Statement:
    """The statement in this jobcentre's schema (another jobcentre's id is simply not there)."""
    return get_object_or_404(
        Statement.objects.select_related(
            "centre__company", "contract", "approved_by", "built_by", "corrects"
        ),
        pk=pk,
    )


@roles_required(*READ_ROLES)
def month_index(request):
    if "maaned" in request.GET:
        try:
            month = rules.parse_month(request.GET["maaned"])
        except ValidationError as exc:
            return _bad_month(request, exc)
        return redirect("billing:month", month=f"{month:%Y-%m}")
    default = rules.previous_month(clock.today())
    return render(
        request,
        "billing/month_index.html",
        {"months": selectors.months_overview(), "default_month": f"{default:%Y-%m}"},
    )


@roles_required(*READ_ROLES)
def month_detail(request, month: str):
    try:
        first = rules.parse_month(month)
    except ValidationError as exc:
        return _bad_month(request, exc)
    statements = list(selectors.statements_for_month_page(month=first))
    return render(
        request,
        "billing/month_detail.html",
        {
            "month": first,
            "month_code": f"{first:%Y-%m}",
            "statements": statements,
            "rows": rows.month_rows(statements),
            "total": sum((s.total for s in statements), 0),
            "run": selectors.latest_run(month=first),
            "can_rebuild": can_rebuild(request.user),
            "can_approve": can_approve(request.user),
        },
    )


@require_POST
@roles_required(*REBUILD_ROLES)
@submitted_once
def month_rebuild(request, month: str):
    try:
        first = rules.parse_month(month)
    except ValidationError as exc:
        return _bad_month(request, exc)
    try:
        services.billing_rebuild_request(month=first, acting_user=request.user)
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Genberegningen er sat i gang."))
    return redirect("billing:month", month=f"{first:%Y-%m}")


@roles_required(*READ_ROLES)
def run_status(request, pk: int):
    run = get_object_or_404(BillingRun.objects.select_related("requested_by"), pk=pk)
    return render(request, "billing/_run_status.html", {"run": run})


@roles_required(*READ_ROLES)
def statement_detail(request, pk: int):
    statement = _get_statement_or_404(pk)
    return render(
        request,
        "billing/statement_detail.html",
        {
            "statement": statement,
            "lines": list(selectors.statement_lines(statement=statement)),
            "corrections": list(statement.corrections.order_by("pk")),
            "can_approve": can_approve(request.user) and not statement.is_locked,
            "version": selectors.statement_version(statement=statement),
        },
    )


@require_POST
@roles_required(*APPROVE_ROLES)
def statement_approve(request, pk: int):
    statement = _get_statement_or_404(pk)
    try:
        services.billing_statement_approve(
            statement=statement,
            acting_user=request.user,
            # What the page showed (absent only from a page older than the field).
            version=request.POST.get("version"),
            confirmed=request.POST.get("confirm") == "1",
        )
    except ValidationError as exc:
        for error in exc.messages:
            messages.error(request, error)
    else:
        messages.success(request, _("Opgørelsen er godkendt og låst."))
    return redirect("billing:statement", pk=statement.pk)


@roles_required(*READ_ROLES)
def statement_pdf(request, pk: int):  # noqa: ARG001 - Django passes every view the request
    statement = _get_statement_or_404(pk)
    content = pdf.statement_pdf(statement=statement)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="afregning-{statement.month:%Y-%m}-{statement.pk}.pdf"'
    )
    return response


def _export(request, month: str, build, content_type: str, extension: str):
    try:
        first = rules.parse_month(month)
    except ValidationError as exc:
        return _bad_month(request, exc)
    response = HttpResponse(build(month=first), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="afregning-{first:%Y-%m}.{extension}"'
    return response


@roles_required(*READ_ROLES)
def month_export_csv(request, month: str):
    return _export(request, month, exports.month_csv, "text/csv; charset=utf-8", "csv")


@roles_required(*READ_ROLES)
def month_export_xlsx(request, month: str):
    return _export(
        request,
        month,
        exports.month_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "xlsx",
    )


@roles_required(*READ_ROLES)
def statement_invoice(request, pk: int):
    """The statement as a Peppol BIS 3.0 invoice (UBL XML) for the company to send."""
    statement = _get_statement_or_404(pk)
    try:
        xml = einvoice.statement_invoice_xml(
            statement=statement, lines=list(selectors.statement_lines(statement=statement))
        )
    except einvoice.InvoiceNotReady as exc:
        return render(request, "billing/bad_request.html", {"errors": [str(exc)]}, status=409)
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="faktura-{statement.pk}.xml"'
    return response
