import time
from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from codes import clock
from dataimport.formats import FileFormatError, load_import_file
from dataimport.limits import number
from dataimport.services import ImportFailed, jobcenter_data_import
from tenants.models import Jobcenter


class Command(BaseCommand):
    # The system checks (URLs, templates, admin) cost 2 s and 35 MB of every run and check
    # nothing the import uses; a hostile file is refused before they would have finished.
    requires_system_checks: list[str] = []
    help = (
        "Importér et jobcenters data (virksomheder, centre, kontrakter, kandidater, forløb, "
        "fremmøde) fra JSON eller .xlsx i formatet virksomhedscenter/v1 (docs/import-format.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True, help="jobcentrets skema, fx skive")
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="dagens dato for kontrolregler (ÅÅÅÅ-MM-DD); standard: i dag",
        )

    def handle(self, *args, **options):
        schema = options["schema"]
        if not Jobcenter.objects.filter(schema_name=schema).exclude(schema_name="public").exists():
            raise CommandError(f"Der findes intet jobcenter med skemaet '{schema}'.")
        started = time.perf_counter()
        try:
            data = load_import_file(options["file"])
        except FileFormatError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Læst {options['file']} på {time.perf_counter() - started:.1f} s")

        def progress(section, done, total):
            self.stdout.write(f"  {section}: {done}/{total}")

        with schema_context(schema):
            try:
                result = jobcenter_data_import(
                    data=data,
                    today=options["today"] or clock.today(),
                    progress=progress,
                    notice=self.stdout.write,
                )
            except ImportFailed as exc:
                for line in exc.lines():
                    self.stderr.write(f"  {line}")
                raise CommandError(
                    f"Importen blev afvist med {number(exc.total)} fejl; intet er gemt."
                ) from exc
        for section, counts in result.counts.items():
            self.stdout.write(f"{section}: {counts}")
        self.stdout.write(
            self.style.SUCCESS(f"{result.summary} ({time.perf_counter() - started:.1f} s)")
        )
