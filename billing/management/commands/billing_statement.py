"""Print a jobcentre's statements of one month for scripts.

    python manage.py billing_statement --schema middelfart --month 2025-02 --format json
    python manage.py billing_statement --schema middelfart --month 2025-02 --build

`--build` builds the month first, the same way as the page's "Beregn måneden" and the
monthly job (billing.services.billing_month_build, logged as done by the system). Without
it, a month with no statements is an error (exit status 1, a Danish message on stderr),
not an empty list a script would take for "nothing to pay".

Amounts are strings with two decimals ("1234.50"): exact, never a float.
"""

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context

from billing.rules import parse_month
from billing.selectors import statement_lines, statements_for_month
from billing.services import billing_month_build
from tenants.models import Jobcenter


def _money(value) -> str:
    return f"{value:.2f}"


def statements_as_data(*, month) -> list[dict]:
    result = []
    for statement in statements_for_month(month=month):
        result.append(
            {
                "id": statement.pk,
                "kind": statement.kind,
                "status": statement.status,
                "corrects": statement.corrects_id,
                "centre": {
                    "id": statement.centre_id,
                    "name": statement.centre.name,
                    "company": statement.centre.company.name,
                    "cvr": statement.centre.company.cvr,
                },
                "contract": {
                    "id": statement.contract_id,
                    "payment_model": statement.contract.payment_model,
                    "start": statement.contract.start.isoformat(),
                    "end": statement.contract.end.isoformat(),
                },
                "lines": [
                    {
                        "position": line.position,
                        "rule": line.rule,
                        "description": line.description,
                        "course": line.course_id,
                        "week": line.week_no,
                        "place": line.place_number,
                        "from": line.period_start.isoformat(),
                        "to": line.period_end.isoformat(),
                        "quantity": str(line.quantity),
                        "rate": _money(line.rate),
                        "hours_agreed": None
                        if line.hours_agreed is None
                        else str(line.hours_agreed),
                        "hours_logged": None
                        if line.hours_logged is None
                        else str(line.hours_logged),
                        "shortfall": line.shortfall,
                        "amount": _money(line.amount),
                    }
                    for line in statement_lines(statement=statement)
                ],
                "trainings": statement.trainings,
                "total": _money(statement.total),
            }
        )
    return result


class Command(BaseCommand):
    help = "Udskriv en måneds afregningsopgørelser for et jobcenter (JSON)."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True, help="Jobcentrets skema, fx middelfart")
        parser.add_argument("--month", required=True, help="Måned som ÅÅÅÅ-MM")
        parser.add_argument("--format", default="json", choices=["json"])
        parser.add_argument(
            "--build",
            action="store_true",
            help="Beregn måneden først (som “Beregn måneden” på siden Afregning).",
        )

    def handle(self, *args, schema, month, build=False, **options):
        try:
            first = parse_month(month)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if (
            schema == get_public_schema_name()
            or not Jobcenter.objects.filter(schema_name=schema).exists()
        ):
            raise CommandError(f"Ukendt jobcenter-skema: “{schema}”.")
        with schema_context(schema):
            if build:
                try:
                    result = billing_month_build(month=first)
                except ValidationError as exc:
                    raise CommandError(" ".join(exc.messages)) from None
                self.stderr.write(result.summary())
            statements = statements_as_data(month=first)
            if not statements:
                raise CommandError(
                    f"Ingen afregningsopgørelser for {first:%Y-%m} i “{schema}”: måneden er "
                    "ikke beregnet, eller ingen kontrakt betaler for den. Beregn den med "
                    "--build (eller “Beregn måneden” på siden Afregning)."
                )
            data = {
                "schema": schema,
                "month": f"{first:%Y-%m}",
                "statements": statements,
            }
        # The month's total over all statements, corrections included.
        data["total"] = _money(sum(Decimal(s["total"]) for s in data["statements"]))
        self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
