from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.services import jobcenter_create


class Command(BaseCommand):
    help = "Opret et jobcenter med eget skema, domæne og første administrator."

    def add_arguments(self, parser):
        parser.add_argument("--schema", required=True, help="skemanavn, fx skive")
        parser.add_argument("--name", required=True, help='fx "Jobcenter Skive"')
        parser.add_argument("--domain", required=True, help="fx skive.localhost")
        parser.add_argument("--municipality-code", required=True, help="fx 779")
        parser.add_argument("--admin-email", required=True)
        parser.add_argument(
            "--admin-password",
            help="udelades den, får administratoren en ubrugelig adgangskode og "
            "nulstiller den via 'Glemt adgangskode'",
        )

    def handle(self, *args, **options):
        self.stdout.write(f"Opretter skemaet {options['schema']} og migrerer det ...")
        try:
            jobcenter = jobcenter_create(
                schema_name=options["schema"],
                name=options["name"],
                domain=options["domain"],
                municipality_code=options["municipality_code"],
                admin_email=options["admin_email"],
                admin_password=options["admin_password"],
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"{jobcenter.name} oprettet: http://{options['domain']}/ "
                f"(administrator {options['admin_email']})"
            )
        )
