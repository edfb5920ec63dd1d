"""The jobcenterchef's dashboard, drill-downs, exports, the jobkonsulent's caseload and
the statistics settings. Pages read stored figures; computing happens in a Celery job."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.forms import modelformset_factory
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from candidates.models import Outcome
from candidates.selectors import due_items_count
from centers.models import Centre, Workplace
from codes import clock
from codes.memo import VersionMemo
from contracts.forms import ApprovalSettingsForm
from contracts.models import ApprovalSettings
from contracts.selectors import workplaces_headroom
from contracts.services import approval_settings_update
from documents.paging import PAGE_SIZE
from documents.pdf import html_to_pdf
from documents.tables import table_response
from mentors.forms import MentorSettingsForm, OvoYearForm
from mentors.models import MentorSettings, OvoYear
from mentors.services import OVO_FIELDS, mentor_settings_update, ovo_year_save

from . import permissions
from .charts import dashboard_charts, sparkline
from .forms import JobcenterCostForm, JobcenterSettingsForm, PeriodForm
from .models import JobcenterCost, JobcenterSettings
from .rules import goals_furthest_behind
from .selectors import (
    centre_courses_in_period,
    kpi_job_for_period,
    kpi_result_for_period,
    kpi_results_recent,
    ovo_share,
    places_today,
)
from .services import (
    COST_FIELDS,
    jobcenter_cost_save,
    jobcenter_settings_update,
    kpi_figures_compute,
    kpi_job_queue,
    kpi_standard_periods,
)
from .today import today_figures

# The dashboard's short tables (goals, workplaces): the rows that need the chief's eye; the
# drill-down pages list every row (issue 24: 300 goal rows and 150 workplaces on every view).
DASHBOARD_ROWS = 10


def _period(request) -> tuple[date, date, PeriodForm]:
    """The period in the query string, or the last 12 whole months. Bad input: 400 page."""
    default_from, default_to = kpi_standard_periods(today=clock.today())[-1]
    data = request.GET if "period_from" in request.GET else None
    form = PeriodForm(data, initial={"period_from": default_from, "period_to": default_to})
    if data is None:
        return default_from, default_to, form
    if not form.is_valid():
        return None, None, form
    return form.cleaned_data["period_from"], form.cleaned_data["period_to"], form


def _is_standard_period(period_from: date, period_to: date) -> bool:
    """One of the periods the page offers (a typed period is computed on request only)."""
    return (period_from, period_to) in kpi_standard_periods(today=clock.today())


def _period_query(period_from: date, period_to: date) -> str:
    return f"period_from={period_from.isoformat()}&period_to={period_to.isoformat()}"


def _bad_period(request, form):
    return render(request, "reports/bad_period.html", {"form": form}, status=400)


@login_required
def dashboard(request):
    permissions.require(permissions.can_view_dashboard(request.user))
    period_from, period_to, form = _period(request)
    if period_from is None:
        return _bad_period(request, form)
    # The page shows no centre's, company's or branche's figures (the drill-downs do).
    result = kpi_result_for_period(period_from=period_from, period_to=period_to, groups=False)
    figures = result.figures if result else None
    job = kpi_job_for_period(period_from=period_from, period_to=period_to)
    if result is None and job is None and _is_standard_period(period_from, period_to):
        # The first view of a standard period with nothing stored computes it (a fresh
        # jobcentre's dashboard was empty until someone pressed "Beregn", issue 23); the
        # page shows the job's progress and the nightly job keeps it fresh afterwards.
        job = kpi_job_queue(period_from=period_from, period_to=period_to, acting_user=request.user)
    context = {
        "form": form,
        "period_from": period_from,
        "period_to": period_to,
        "query": _period_query(period_from, period_to),
        "result": result,
        "figures": figures,
        "job": job,
        "can_compute": permissions.can_compute(request.user),
        "presets": kpi_standard_periods(today=clock.today()),
        "recent": kpi_results_recent(),
        # Places and the staff-ratio rule today (rimelighedskravet at every workplace with
        # a centre), kept for a minute and counted again after a write (reports/today.py):
        # the page counts the workplaces and lists those that need attention; the
        # workplaces page lists them all, counted on each view.
        "now": today_figures(today=clock.today(), limit=DASHBOARD_ROWS),
        "ovo": ovo_share(until=period_to, stored=result),
    }
    if figures:
        context["figures_html"] = _figures_html(result, query=context["query"])
    return render(request, "reports/dashboard.html", context)


# The dashboard's export links, charts and tables of one stored version of the figures, the
# same for every viewer in a language (links carry only the period): kept per process
# (codes.memo; issue 24).
_FIGURES_HTML = VersionMemo(keep=16)


def _figures_html(result, *, query: str) -> str:
    def make() -> str:
        figures = result.figures
        return render_to_string(
            "reports/_dashboard_figures.html",
            {
                "figures": figures,
                "charts": dashboard_charts(figures),
                "outcome_rows": _outcome_rows(figures["overall"]),
                "goal_rows": goals_furthest_behind(figures["goals"], limit=DASHBOARD_ROWS),
                "query": query,
            },
        )

    key = (connection.schema_name, result.pk, result.row_version, get_language(), query)
    return _FIGURES_HTML.get_or_make(key, make)


@login_required
def goals(request):
    """Every contract's goals beside its results in the period (the dashboard shows the
    ones furthest behind)."""
    permissions.require(permissions.can_view_dashboard(request.user))
    period_from, period_to, form = _period(request)
    if period_from is None:
        return _bad_period(request, form)
    result = kpi_result_for_period(period_from=period_from, period_to=period_to, groups=False)
    return render(
        request,
        "reports/goals.html",
        {
            "result": result,
            "goal_rows": result.figures["goals"] if result else [],
            "period_from": period_from,
            "period_to": period_to,
            "query": _period_query(period_from, period_to),
        },
    )


def _outcome_rows(overall: dict) -> list[dict]:
    return [
        {
            "label": label,
            "all": overall["outcomes"][code],
            "under_25": overall["outcomes_under_25"][code],
            "plus_25": overall["outcomes_25_plus"][code],
        }
        for code, label in Outcome.choices
    ]


@login_required
@require_POST
def compute(request):
    permissions.require(permissions.can_compute(request.user))
    form = PeriodForm(request.POST)
    if not form.is_valid():
        return _bad_period(request, form)
    period_from, period_to = form.cleaned_data["period_from"], form.cleaned_data["period_to"]
    kpi_job_queue(period_from=period_from, period_to=period_to, acting_user=request.user)
    messages.info(request, _("Beregningen er sat i kø. Siden viser, når den er færdig."))
    return redirect(f"{reverse('reports:dashboard')}?{_period_query(period_from, period_to)}")


@login_required
def job_state(request):
    """htmx partial: the state of the period's job; reloads the page when it is done."""
    permissions.require(permissions.can_view_dashboard(request.user))
    period_from, period_to, form = _period(request)
    if period_from is None:
        return _bad_period(request, form)
    job = kpi_job_for_period(period_from=period_from, period_to=period_to)
    response = render(
        request,
        "reports/_job_state.html",
        {"run": job, "query": _period_query(period_from, period_to)},
    )
    if job and job.state == job.State.DONE and request.GET.get("was") in ("queued", "running"):
        response["HX-Refresh"] = "true"
    return response


@login_required
def centres(request):
    """Drill-down: every centre's figures for the period, with a sparkline."""
    permissions.require(permissions.can_view_dashboard(request.user))
    period_from, period_to, form = _period(request)
    if period_from is None:
        return _bad_period(request, form)
    result = kpi_result_for_period(period_from=period_from, period_to=period_to)
    rows = []
    if result:
        for row in result.figures["by_centre"]:
            rows.append(
                row
                | {
                    "spark": sparkline(
                        row.get("occupancy_by_month", []),
                        label=_("Belægning pr. måned for %(name)s") % {"name": row["name"]},
                    )
                }
            )
    return render(
        request,
        "reports/centres.html",
        {
            "result": result,
            "rows": rows,
            "period_from": period_from,
            "period_to": period_to,
            "query": _period_query(period_from, period_to),
        },
    )


@login_required
def centre_detail(request, pk: int):
    """Drill-down: one centre's figures and its courses in the period."""
    permissions.require(permissions.can_view_dashboard(request.user))
    centre = Centre.objects.filter(pk=pk).select_related("company").first()
    if centre is None:
        raise Http404
    period_from, period_to, form = _period(request)
    if period_from is None:
        return _bad_period(request, form)
    result = kpi_result_for_period(period_from=period_from, period_to=period_to)
    row = None
    if result:
        row = next((r for r in result.figures["by_centre"] if r["centre_id"] == pk), None)
    page = Paginator(
        centre_courses_in_period(centre_id=pk, period_from=period_from, period_to=period_to),
        PAGE_SIZE,
    ).get_page(request.GET.get("side"))
    return render(
        request,
        "reports/centre_detail.html",
        {
            "centre": centre,
            "headrooms": workplaces_headroom(
                workplaces=Workplace.objects.filter(centres=centre), day=clock.today()
            ),
            "headroom_day": clock.today(),
            "row": row,
            "page": page,
            "period_from": period_from,
            "period_to": period_to,
            "query": _period_query(period_from, period_to),
        },
    )


EXPORT_TABLES = {
    "centre": ("by_centre", _("Centre")),
    "virksomheder": ("by_company", _("Virksomheder")),
    "brancher": ("by_branche", _("Brancher")),
    "maaneder": ("by_month", _("Måneder")),
    "udslusning": ("outcomes", _("Udslusning")),
    "maal": ("goals", _("Mål")),
}
MONTH_COLUMNS = (
    "month",
    "from",
    "to",
    "place_days_available",
    "place_days_occupied",
    "occupancy_pct",
    "courses_started",
    "courses_ended",
    "candidates_active_at_end",
)
GOAL_COLUMNS = (
    "centre",
    "contract_period",
    "courses_ended",
    "ordinary_job_goal_pct",
    "ordinary_job_pct",
    "education_goal_pct",
    "education_pct",
)
SCALAR_COLUMNS = (
    "place_days_available",
    "place_days_occupied",
    "occupancy_pct",
    "courses_started",
    "courses_ended",
    "candidates",
    "candidates_active_at_end",
    "flow_per_place_year",
    "avg_duration_weeks",
    "extended_pct",
    "direct_success_pct",
    "self_supporting_4w_pct",
    "cost_total",
    "cost_per_place_week",
    "savings_estimate",
)


# The exports' column names in Danish (issue 22): the stored figures keep their keys.
COLUMN_NAMES = {
    "month": gettext_lazy("Måned"),
    "from": gettext_lazy("Fra"),
    "to": gettext_lazy("Til"),
    "name": gettext_lazy("Navn"),
    "centre": gettext_lazy("Center"),
    "contract_period": gettext_lazy("Kontraktperiode"),
    "place_days_available": gettext_lazy("Pladsdage til rådighed"),
    "place_days_occupied": gettext_lazy("Pladsdage besat"),
    "occupancy_pct": gettext_lazy("Belægning (%)"),
    "courses_started": gettext_lazy("Forløb startet"),
    "courses_ended": gettext_lazy("Forløb afsluttet"),
    "candidates": gettext_lazy("Kandidater"),
    "candidates_active_at_end": gettext_lazy("Kandidater i forløb ved periodens slutning"),
    "flow_per_place_year": gettext_lazy("Gennemstrømning pr. plads pr. år"),
    "avg_duration_weeks": gettext_lazy("Gennemsnitlig varighed (uger)"),
    "extended_pct": gettext_lazy("Forlænget ud over 13 uger (%)"),
    "direct_success_pct": gettext_lazy("Direkte succes (%)"),
    "self_supporting_4w_pct": gettext_lazy("Selvforsørgende efter 4 uger (%)"),
    "cost_total": gettext_lazy("Udgifter i alt (kr.)"),
    "cost_per_place_week": gettext_lazy("Pris pr. plads pr. uge (kr.)"),
    "savings_estimate": gettext_lazy("Anslået besparelse (kr.)"),
    "ordinary_job_goal_pct": gettext_lazy("Mål: ordinært job (%)"),
    "ordinary_job_pct": gettext_lazy("Ordinært job (%)"),
    "education_goal_pct": gettext_lazy("Mål: uddannelse (%)"),
    "education_pct": gettext_lazy("Uddannelse (%)"),
}
OUTCOME_COLUMNS = [
    gettext_lazy("Udslusning"),
    gettext_lazy("Antal"),
    gettext_lazy("Andel (%)"),
    gettext_lazy("Antal under 25 år"),
    gettext_lazy("Andel under 25 år (%)"),
]


def export_rows(figures: dict, table: str) -> tuple[list[str], list[list]]:
    """Header (Danish column names) and rows of one dashboard table, for CSV and XLSX."""
    key, _label = EXPORT_TABLES[table]
    if key == "outcomes":
        header = [str(name) for name in OUTCOME_COLUMNS]
        rows = [
            [
                r["label"],
                r["all"]["count"],
                r["all"]["pct"],
                r["under_25"]["count"],
                r["under_25"]["pct"],
            ]
            for r in _outcome_rows(figures["overall"])
        ]
        return header, rows
    # Stored as JSONB, which does not keep key order: the columns are named here.
    header = {
        "by_month": MONTH_COLUMNS,
        "goals": GOAL_COLUMNS,
        "by_centre": ("name", *SCALAR_COLUMNS),
        "by_company": ("name", *SCALAR_COLUMNS),
        "by_branche": ("name", *SCALAR_COLUMNS),
    }[key]
    names = [str(COLUMN_NAMES[col]) for col in header]
    return names, [[item.get(col) for col in header] for item in figures[key]]


@login_required
def export(request, table: str, fmt: str):
    permissions.require(permissions.can_view_dashboard(request.user))
    if table not in EXPORT_TABLES or fmt not in ("csv", "xlsx"):
        raise Http404
    period_from, period_to, form = _period(request)
    if period_from is None:
        return _bad_period(request, form)
    result = kpi_result_for_period(period_from=period_from, period_to=period_to)
    if result is None:
        raise Http404(_("Perioden er ikke beregnet."))
    header, rows = export_rows(result.figures, table)
    return table_response(
        fmt=fmt,
        filename=f"noegletal-{table}-{period_from}-{period_to}",
        headers=header,
        rows=rows,
        sheet_title=table,
    )


@login_required
def dashboard_pdf(request):
    """The dashboard as a PDF for the political level (WeasyPrint, static-only URL fetcher)."""
    permissions.require(permissions.can_view_dashboard(request.user))
    period_from, period_to, form = _period(request)
    if period_from is None:
        return _bad_period(request, form)
    result = kpi_result_for_period(period_from=period_from, period_to=period_to)
    if result is None:
        raise Http404(_("Perioden er ikke beregnet."))
    html = render_to_string(
        "reports/dashboard_pdf.html",
        {
            "figures": result.figures,
            "result": result,
            "charts": dashboard_charts(result.figures),
            "outcome_rows": _outcome_rows(result.figures["overall"]),
            "period_from": period_from,
            "period_to": period_to,
            "jobcenter": request.tenant,
        },
        request=request,
    )
    pdf, _fetcher = html_to_pdf(html)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="noegletal-{period_from}-{period_to}.pdf"'
    )
    return response


@login_required
def caseload(request):
    """The jobkonsulent's own figures: their centres, computed live for this quarter."""
    permissions.require(permissions.can_view_caseload(request.user))
    today = clock.today()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    centre_ids = list(Centre.objects.filter(consultant=request.user).values_list("pk", flat=True))
    figures = (
        kpi_figures_compute(period_from=quarter_start, period_to=today, centre_ids=centre_ids)
        if centre_ids
        else None
    )
    # The tiles show two numbers of the due list: counted in SQL, no row built.
    due = due_items_count(today=today, consultant=request.user)
    return render(
        request,
        "reports/caseload.html",
        {
            "figures": figures,
            "outcome_rows": _outcome_rows(figures["overall"]) if figures else [],
            "quarter_start": quarter_start,
            "today": today,
            "places": places_today(today=today, centre_ids=centre_ids),
            "due": due,
            "has_centres": bool(centre_ids),
        },
    )


@login_required
def settings_page(request):
    """The jobcentre's own figures for the statistics: target group, saving, yearly costs."""
    permissions.require(permissions.can_edit_settings(request.user))
    settings = JobcenterSettings.current()
    CostFormSet = modelformset_factory(
        JobcenterCost, form=JobcenterCostForm, extra=1, can_delete=False
    )
    OvoFormSet = modelformset_factory(OvoYear, form=OvoYearForm, extra=1, can_delete=False)
    if request.method == "POST":
        form = JobcenterSettingsForm(request.POST, instance=settings)
        formset = CostFormSet(request.POST, queryset=JobcenterCost.objects.order_by("-year"))
        mentor_form = MentorSettingsForm(request.POST, prefix="mentor")
        approval_form = ApprovalSettingsForm(request.POST, prefix="approval")
        # Absent from a post (older clients, tests): no ØVO years are changed.
        ovo_formset = OvoFormSet(
            request.POST if "ovo-TOTAL_FORMS" in request.POST else None,
            queryset=OvoYear.objects.order_by("-year"),
            prefix="ovo",
        )
        if (
            form.is_valid()
            and formset.is_valid()
            and mentor_form.is_valid()
            and approval_form.is_valid()
            and (not ovo_formset.is_bound or ovo_formset.is_valid())
        ):
            # One save of the page is one transaction: the settings and every changed year.
            with transaction.atomic():
                jobcenter_settings_update(acting_user=request.user, **form.cleaned_data)
                weeks = mentor_form.cleaned_data["ended_course_weeks"]
                if weeks is not None:
                    mentor_settings_update(ended_course_weeks=weeks, acting_user=request.user)
                if approval_form.cleaned_data["employee_statement"] is not None:
                    approval_settings_update(acting_user=request.user, **approval_form.cleaned_data)
                for ovo_form in ovo_formset.forms if ovo_formset.is_bound else []:
                    if ovo_form.has_changed():
                        data = dict(ovo_form.cleaned_data)
                        ovo_year_save(
                            year=data.pop("year"),
                            acting_user=request.user,
                            **{name: data[name] for name in OVO_FIELDS},
                        )
                for cost_form in formset.forms:
                    if cost_form.has_changed():
                        jobcenter_cost_save(
                            cost_id=cost_form.instance.pk,
                            acting_user=request.user,
                            **{name: cost_form.cleaned_data[name] for name in COST_FIELDS},
                        )
            messages.success(request, _("Indstillingerne er gemt."))
            return redirect("reports:settings")
    else:
        form = JobcenterSettingsForm(instance=settings)
        formset = CostFormSet(queryset=JobcenterCost.objects.order_by("-year"))
        mentor_form = MentorSettingsForm(
            prefix="mentor",
            initial={"ended_course_weeks": MentorSettings.current().ended_course_weeks},
        )
        ovo_formset = OvoFormSet(queryset=OvoYear.objects.order_by("-year"), prefix="ovo")
        approvals = ApprovalSettings.current()
        approval_form = ApprovalSettingsForm(
            prefix="approval",
            initial={
                "employee_statement": "yes" if approvals.employee_statement else "no",
                "committees": "\n".join(approvals.committees),
            },
        )
    return render(
        request,
        "reports/settings.html",
        {
            "form": form,
            "formset": formset,
            "mentor_form": mentor_form,
            "approval_form": approval_form,
            "ovo_formset": ovo_formset,
        },
    )


def chief_start_context() -> dict:
    """The jobcenterchef's start page: the last 12 months' stored figures and today."""
    period_from, period_to = kpi_standard_periods(today=clock.today())[-1]
    result = kpi_result_for_period(
        period_from=period_from, period_to=period_to, groups=False, goals=False
    )
    return {
        "kpi_figures": result.figures if result else None,
        "kpi_result": result,
        "kpi_query": _period_query(period_from, period_to),
        # The dashboard's count of today (reports/today.py), so the two pages agree.
        "kpi_today": today_figures(today=clock.today(), limit=DASHBOARD_ROWS).places,
    }
