import json
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name

from tenants.provisioning import jobcentre_schemas, migration_processes, schemas_migrate


class Command(BaseCommand):
    help = (
        "Migrér platformen (public) og derefter skabelonen og alle jobcentre, flere ad gangen, "
        "med en linje pr. jobcenter. Et jobcenter der fejler stopper ikke de andre; de fejlede "
        "nævnes til sidst og kommandoen kan køres igen."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="processer ad gangen (TENANT_MULTIPROCESSING_MAX_PROCESSES, højst kernerne)",
        )
        parser.add_argument(
            "--schema", action="append", default=None, help="kun dette skema (kan gentages)"
        )
        parser.add_argument(
            "--skip-public", action="store_true", help="public er allerede migreret"
        )
        parser.add_argument(
            "--json", action="store_true", help="en JSON-linje med resultatet til sidst"
        )

    def handle(self, *args, **options):
        if not options["skip_public"]:
            # The shared apps first, in this process: the tenants' migrations may depend on them,
            # so a failure here stops everything (nothing of a jobcentre has been touched yet).
            self.stdout.write("public: migrerer de fælles tabeller ...")
            call_command(
                "migrate_schemas", shared=True, interactive=False, verbosity=0, skip_checks=True
            )
        schemas = options["schema"] or jobcentre_schemas()
        if get_public_schema_name() in schemas:
            raise CommandError("public migreres uden --schema (det sker først af sig selv).")
        processes = options["processes"] or migration_processes()
        self.stdout.write(f"{len(schemas)} skemaer, {processes} ad gangen")

        def progress(done, total, outcome):
            if outcome.ok:
                line = (
                    f"[{done}/{total}] {outcome.schema}: ok, "
                    f"{outcome.applied} migrationer på {outcome.seconds:.1f} s"
                )
                self.stdout.write(line)
            else:
                self.stdout.write(f"[{done}/{total}] {outcome.schema}: FEJL {outcome.error}")
            self.stdout.flush()

        results = schemas_migrate(schemas=schemas, processes=processes, progress=progress)
        failed = [r for r in results if not r.ok]
        if failed:
            self.stderr.write(f"{len(failed)} af {len(results)} skemaer fejlede:")
            for outcome in failed:
                self.stderr.write(f"  {outcome.schema}: {outcome.error}")
                if outcome.output:
                    self.stderr.write("    " + outcome.output.strip().replace("\n", "\n    "))
            self.stderr.write("Ret fejlen og kør kommandoen igen: de andre er færdige.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Alle {len(results)} skemaer er migreret."))
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "schemas": len(results),
                        "processes": processes,
                        "applied": sum(r.applied for r in results),
                        "failed": [r.schema for r in failed],
                        "slowest_seconds": round(max((r.seconds for r in results), default=0), 2),
                    }
                )
            )
        if failed:
            sys.exit(1)
