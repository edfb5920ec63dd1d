import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from dataimport.transfer import jobcenter_export, manifest_path
from tenants.models import Jobcenter


class Command(BaseCommand):
    help = (
        "Skriv ét jobcenters skema til en fil (pg_dump) med et manifest ved siden af "
        "(<fil>.json: rækker pr. tabel, migrationer), til import i en anden installation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True, help="jobcentrets skema, fx skive")
        parser.add_argument("--out", required=True, type=Path, help="fx skive.dump")

    def handle(self, *args, **options):
        jobcenter = Jobcenter.objects.filter(schema_name=options["schema"]).first()
        if jobcenter is None:
            raise CommandError(f"Der er intet jobcenter med skemaet '{options['schema']}'.")
        try:
            manifest = jobcenter_export(jobcenter=jobcenter, path=options["out"])
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            json.dumps(
                {
                    "file": str(options["out"]),
                    "manifest": str(manifest_path(options["out"])),
                    "tables": len(manifest["counts"]),
                    "rows": sum(manifest["counts"].values()),
                }
            )
        )
