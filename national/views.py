"""Pages of the national comparison: the chef's (in a jobcentre) and the analyst's (public)."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from documents.pdf import html_to_pdf
from documents.tables import table_response
from reports.charts import Series, hbar_chart

from . import permissions
from .charts import position_chart
from .forms import ConsentForm
from .rules import FIGURES
from .selectors import (
    comparison_for_jobcenter,
    consent_of,
    national_periods,
    national_run_latest,
    national_table,
)
from .services import national_consent_set

# What a consenting jobcentre shares, listed on the consent page.
SHARED = [f.label for f in FIGURES if ":" not in f.key] + [
    "Udslusning fordelt på udslusningskoder, alle og under 25"
]


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("Du har ikke adgang til denne side."))


def _chosen_period(request) -> tuple[tuple[date, date] | None, list[tuple[date, date]]]:
    """The period asked for (?periode=FRA_TIL, one the computation stored), else the newest;
    an unknown one is named in a message and the newest shown."""
    periods = national_periods()
    asked = request.GET.get("periode")
    if asked:
        for p in periods:
            if asked == f"{p[0]}_{p[1]}":
                return p, periods
        messages.warning(request, _("Perioden findes ikke i landsoversigten; den nyeste vises."))
    return (periods[0] if periods else None), periods


def _comparison_rows(request, period):
    rows = comparison_for_jobcenter(
        jobcenter=request.tenant, period_from=period[0], period_to=period[1]
    )
    return [
        {
            "row": r,
            "chart": position_chart(
                title=str(r.figure.label),
                value=r.value,
                q1=r.q1,
                median=r.median,
                q3=r.q3,
                unit=r.figure.unit if r.figure.unit == "%" else "",
            ),
        }
        for r in rows
    ]


@login_required
def comparison(request):
    """The chef: the consent, and (when consenting) the jobcentre beside the country."""
    _require(permissions.can_compare(request.user))
    consent = consent_of(jobcenter=request.tenant)
    if request.method == "POST":
        form = ConsentForm(request.POST)
        if form.is_valid():
            national_consent_set(
                jobcenter=request.tenant,
                consented=form.cleaned_data["consented"],
                acting_user=request.user,
            )
            messages.success(request, _("Valget er gemt."))
            return redirect("national:comparison")
    else:
        form = ConsentForm(initial={"consented": "1" if consent and consent.consented else "0"})
    period, periods = _chosen_period(request)
    rows = _comparison_rows(request, period) if period else []
    return render(
        request,
        "national/comparison.html",
        {
            "form": form,
            "consent": consent,
            "shared": SHARED,
            "period": period,
            "periods": periods,
            "rows": rows,
            "run": national_run_latest(),
        },
    )


def _pdf_response(html: str, *, name: str) -> HttpResponse:
    pdf, _fetcher = html_to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


def _comparison_table(rows) -> tuple[list[str], list[list]]:
    header = [
        _("Nøgletal"),
        _("Jeres værdi"),
        _("Personer"),
        _("Nedre kvartil"),
        _("Median"),
        _("Øvre kvartil"),
        _("Jobcentre"),
        _("Placering"),
    ]
    body = [
        [
            str(r.figure.label),
            _("under 5 personer") if r.suppressed else r.value,
            r.persons,
            r.q1,
            r.median,
            r.q3,
            r.jobcentres,
            r.rank,
        ]
        for r in (item["row"] for item in rows)
    ]
    return header, body


@login_required
def comparison_export(request, fmt: str):
    _require(permissions.can_compare(request.user))
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    period, _periods = _chosen_period(request)
    rows = _comparison_rows(request, period) if period else []
    if not rows:
        raise Http404(_("Der er ingen landsoversigt at hente."))
    name = f"landsoversigt-{request.tenant.schema_name}-{period[0]}-{period[1]}"
    if fmt == "xlsx":
        header, body = _comparison_table(rows)
        return table_response(
            fmt="xlsx", filename=name, headers=header, rows=body, sheet_title="landsoversigt"
        )
    html = render_to_string(
        "national/comparison_pdf.html",
        {"rows": rows, "period": period, "jobcenter": request.tenant},
        request=request,
    )
    return _pdf_response(html, name=name)


# --- the platform (public schema) -------------------------------------------------------


@login_required
def start(request):
    """Where a platform user lands after signing in: the analyst's overview, the staff's
    admin."""
    if permissions.can_view_national(request.user):
        return redirect("national:overview")
    if request.user.is_staff:
        return redirect("admin:index")
    raise PermissionDenied(_("Du har ikke adgang til platformen."))


def _national_rows(period) -> dict:
    return national_table(period_from=period[0], period_to=period[1])


@login_required
def overview(request):
    """The analyst: every consenting jobcentre by name, per figure, with the distribution."""
    _require(permissions.can_view_national(request.user))
    period, periods = _chosen_period(request)
    table = _national_rows(period) if period else None
    return render(
        request,
        "national/overview.html",
        {
            "period": period,
            "periods": periods,
            "table": table,
            "charts": _overview_charts(table) if table else [],
            "run": national_run_latest(),
        },
    )


def _overview_charts(table) -> list[str]:
    """One bar chart per main figure over the jobcentres whose figure is shown (a
    suppressed one is left out, never drawn as 0)."""
    charts = []
    for item in table["figures"]:
        figure = item["figure"]
        if ":" in figure.key:
            continue
        shown = [
            (j.name, c.value)
            for j, c in zip(table["jobcentres"], item["cells"], strict=True)
            if c is not None and c.value is not None
        ]
        if shown:
            charts.append(
                hbar_chart(
                    title=str(figure.label),
                    labels=[name for name, _v in shown],
                    series=[Series(str(figure.label), [v for _n, v in shown])],
                    unit=" %" if figure.unit == "%" else "",
                )
            )
    return charts


def _overview_table(table) -> tuple[list[str], list[list]]:
    header = [
        _("Nøgletal"),
        _("Nedre kvartil"),
        _("Median"),
        _("Øvre kvartil"),
        *[j.name for j in table["jobcentres"]],
    ]
    body = []
    for item in table["figures"]:
        d = item["distribution"]
        body.append(
            [
                str(item["figure"].label),
                d.q1 if d else None,
                d.median if d else None,
                d.q3 if d else None,
                *[
                    (_("under 5 personer") if c.suppressed else c.value) if c else None
                    for c in item["cells"]
                ],
            ]
        )
    return header, body


@login_required
def overview_export(request, fmt: str):
    _require(permissions.can_view_national(request.user))
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    period, _periods = _chosen_period(request)
    if period is None:
        raise Http404(_("Der er ingen landsoversigt at hente."))
    table = _national_rows(period)
    name = f"landsoversigt-{period[0]}-{period[1]}"
    if fmt == "xlsx":
        header, body = _overview_table(table)
        return table_response(
            fmt="xlsx", filename=name, headers=header, rows=body, sheet_title="landsoversigt"
        )
    html = render_to_string(
        "national/overview_pdf.html", {"table": table, "period": period}, request=request
    )
    return _pdf_response(html, name=name)
