import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from reports.forms import PeriodForm
from reports.kpi.figures import campaign_with_baseline
from reports.rules import month_last_day, month_parse
from reports.services import kpi_figures_compute
from tenants.models import Jobcenter


class Command(BaseCommand):
    help = "Udskriv et jobcenters nøgletal for en periode (JSON til scripts)."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True)
        parser.add_argument("--from", dest="period_from", required=True, help="ÅÅÅÅ-MM-DD")
        parser.add_argument("--to", dest="period_to", required=True, help="ÅÅÅÅ-MM-DD")
        parser.add_argument("--format", choices=["json"], default="json")
        parser.add_argument(
            "--baseline",
            help="ÅÅÅÅ-MM: kampagnens udgangsmåned (ændring og mål 1 i 'campaign')",
        )

    def handle(self, *args, **options):
        schema = options["schema"]
        if not Jobcenter.objects.filter(schema_name=schema).exclude(schema_name="public").exists():
            raise CommandError(f"Der findes intet jobcenter med skemaet '{schema}'.")
        form = PeriodForm(
            {"period_from": options["period_from"], "period_to": options["period_to"]}
        )
        if not form.is_valid():
            errors = [str(e) for errs in form.errors.values() for e in errs]
            raise CommandError("Ugyldig periode: " + " ".join(errors))
        period_from: date = form.cleaned_data["period_from"]
        period_to: date = form.cleaned_data["period_to"]
        baseline = None
        if options.get("baseline"):
            try:
                baseline = month_parse(options["baseline"])
            except ValueError as exc:
                raise CommandError(f"Ugyldig udgangsmåned: {exc}") from None
        with schema_context(schema):
            figures = kpi_figures_compute(period_from=period_from, period_to=period_to)
            if baseline is not None:
                month = kpi_figures_compute(
                    period_from=baseline, period_to=month_last_day(baseline)
                )
                figures["campaign"] = campaign_with_baseline(
                    figures,
                    baseline_month=f"{baseline:%Y-%m}",
                    baseline_persons=month["campaign"]["months"][0]["persons_in_activation"],
                )
        output = {"period": figures["period"], **figures["overall"]}
        output["by_centre"] = figures["by_centre"]
        output["by_company"] = figures["by_company"]
        output["by_branche"] = figures["by_branche"]
        output["by_month"] = figures["by_month"]
        output["goals"] = figures["goals"]
        output["campaign"] = figures["campaign"]
        output["waiting_list"] = figures["waiting_list"]
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
