import json
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from reports.forms import PeriodForm
from reports.services import kpi_figures_compute
from tenants.models import Jobcenter


class Command(BaseCommand):
    help = "Udskriv et jobcenters nøgletal for en periode (JSON til scripts)."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True)
        parser.add_argument("--from", dest="period_from", required=True, help="ÅÅÅÅ-MM-DD")
        parser.add_argument("--to", dest="period_to", required=True, help="ÅÅÅÅ-MM-DD")
        parser.add_argument("--format", choices=["json"], default="json")

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
        with schema_context(schema):
            figures = kpi_figures_compute(period_from=period_from, period_to=period_to)
        output = {"period": figures["period"], **figures["overall"]}
        output["by_centre"] = figures["by_centre"]
        output["by_company"] = figures["by_company"]
        output["by_branche"] = figures["by_branche"]
        output["by_month"] = figures["by_month"]
        output["goals"] = figures["goals"]
        output["campaign"] = figures["campaign"]
        output["waiting_list"] = figures["waiting_list"]
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
