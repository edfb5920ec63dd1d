"""Writes of the national comparison: a jobcentre's consent, and the nightly computation
in the public schema that reads each consenting jobcentre's stored key figures only."""

from datetime import date

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from audit.services import audit_record
from reports.kpi.figures import figures_current, figures_expand
from reports.models import KpiResult
from reports.rules import month_last_day
from reports.services import kpi_standard_periods
from tenants.models import Jobcenter

from .models import NationalConsent, NationalDistribution, NationalFigure, NationalRun
from .rules import FIGURES, national_values, quartiles


def national_consent_set(*, jobcenter: Jobcenter, consented: bool, acting_user) -> NationalConsent:
    """The chef opts the jobcentre in to the national comparison or out of it. Out: its
    figures are no longer shown anywhere at once, and leave the distribution at the next
    computation. Written in the jobcentre's audit log."""
    if connection.schema_name != jobcenter.schema_name:  # type: ignore[attr-defined]
        raise ValueError("Samtykket gives i jobcentrets eget skema.")
    with transaction.atomic():
        consent, _created = NationalConsent.objects.select_for_update().get_or_create(
            jobcenter=jobcenter,
            defaults={"changed_at": timezone.now(), "changed_by": acting_user.email},
        )
        consent.consented = consented
        consent.changed_at = timezone.now()
        consent.changed_by = acting_user.email
        consent.save()
        audit_record(
            acting_user=acting_user,
            action="national.consent" if consented else "national.withdraw",
            obj=None,
            object_type="NationalConsent",
            object_id=str(consent.pk),
            label="Landsoversigt: " + ("deltager" if consented else "deltager ikke"),
        )
    return consent


def _stored_figures(period_from: date, period_to: date) -> dict | None:
    """The current schema's stored figures of a period, expanded; reads reports_kpiresult
    only."""
    row = (
        KpiResult.objects.filter(period_from=period_from, period_to=period_to)
        .values_list("figures", flat=True)
        .first()
    )
    if row is None or not figures_current(row):
        return None
    return figures_expand(row)


def national_compute(*, today: date) -> NationalRun:
    """The nightly comparison, run in the public schema: for every consenting jobcentre its
    stored key figures of the standard periods (and of its campaign baseline month), never
    a person-level table; then the distribution per figure and period. Replaces what an
    earlier run stored for these periods."""
    if connection.schema_name != get_public_schema_name():  # type: ignore[attr-defined]
        raise ValueError("Landsoversigten beregnes i det offentlige skema.")
    periods = kpi_standard_periods(today=today)
    run = NationalRun.objects.create(started_at=timezone.now())
    consenting = list(
        Jobcenter.objects.filter(national_consent__consented=True).order_by("schema_name")
    )
    rows: list[NationalFigure] = []
    missing: dict[str, list[str]] = {}
    for jobcenter in consenting:
        with schema_context(jobcenter.schema_name):
            for period_from, period_to in periods:
                figures = _stored_figures(period_from, period_to)
                if figures is None:
                    missing.setdefault(jobcenter.schema_name, []).append(
                        f"{period_from}..{period_to}"
                    )
                    continue
                baseline = None
                if figures["baseline_month"]:
                    first = date.fromisoformat(figures["baseline_month"])
                    baseline = _stored_figures(first, month_last_day(first))
                for key, v in national_values(figures, baseline=baseline).items():
                    rows.append(
                        NationalFigure(
                            jobcenter=jobcenter,
                            period_from=period_from,
                            period_to=period_to,
                            figure=key,
                            value=v.value,
                            persons=v.persons,
                            suppressed=v.suppressed,
                            run=run,
                        )
                    )
    distributions = []
    for period_from, period_to in periods:
        for figure in FIGURES:
            shown = [
                r.value
                for r in rows
                if r.figure == figure.key
                and (r.period_from, r.period_to) == (period_from, period_to)
                and r.value is not None
            ]
            q = quartiles(shown)
            distributions.append(
                NationalDistribution(
                    period_from=period_from,
                    period_to=period_to,
                    figure=figure.key,
                    jobcentres=len(shown),
                    q1=q[0] if q else None,
                    median=q[1] if q else None,
                    q3=q[2] if q else None,
                    run=run,
                )
            )
    with transaction.atomic():
        # this run's periods are replaced whole: a jobcentre that withdrew is gone
        for period_from, period_to in periods:
            NationalFigure.objects.filter(period_from=period_from, period_to=period_to).delete()
            NationalDistribution.objects.filter(
                period_from=period_from, period_to=period_to
            ).delete()
        NationalFigure.objects.bulk_create(rows)
        NationalDistribution.objects.bulk_create(distributions)
        run.jobcentres = len(consenting)
        run.missing = missing
        run.finished_at = timezone.now()
        run.save(update_fields=["jobcentres", "missing", "finished_at"])
    return run
