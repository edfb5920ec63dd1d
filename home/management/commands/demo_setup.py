"""Demo jobcentres for `make run`: Middelfart and Skive, one login per role.

Idempotent: what exists already is kept, so `make run` can be repeated.
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.roles import ROLE_ADMIN, ROLES
from accounts.services import user_create
from centers.models import Company
from codes import clock
from dataimport.formats import load_import_file
from dataimport.services import jobcenter_data_import
from tenants.models import Jobcenter
from tenants.services import jobcenter_create, public_tenant_ensure

DEMO_PASSWORD = "demo-adgang-2026"
EXAMPLES = Path(settings.BASE_DIR) / "docs" / "examples"
DEMO_JOBCENTERS = [
    # schema, name, municipality code (Danmarks Statistik)
    ("middelfart", "Jobcenter Middelfart", "410"),
    ("skive", "Jobcenter Skive", "779"),
]


def demo_email(role: str, schema: str) -> str:
    return f"{role}@{schema}.demo.dk"


class Command(BaseCommand):
    help = "Opret demo-jobcentrene middelfart og skive med en bruger pr. rolle (kun DEBUG)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--port",
            type=int,
            default=8000,
            help="Porten webserveren svarer på (make run giver WEB_PORT); står i demo-adresserne.",
        )

    def handle(self, *args, port: int, **options):
        if not settings.DEBUG:
            raise CommandError("Demodata oprettes kun med DEBUG=1 (udviklingsmiljø).")
        public_tenant_ensure(domain="localhost")
        logins = []
        for schema, name, code in DEMO_JOBCENTERS:
            domain = f"{schema}.localhost"
            if not Jobcenter.objects.filter(schema_name=schema).exists():
                self.stdout.write(f"Opretter {name} ({schema}) ...")
                jobcenter_create(
                    schema_name=schema,
                    name=name,
                    domain=domain,
                    municipality_code=code,
                    admin_email=demo_email(ROLE_ADMIN, schema),
                    admin_password=DEMO_PASSWORD,
                )
            with schema_context(schema):
                for role in ROLES:
                    email = demo_email(role, schema)
                    if not User.objects.filter(email=email).exists():
                        user_create(email=email, password=DEMO_PASSWORD, roles=[role])
                    logins.append((f"http://{domain}:{port}/", role, email))
                if not Company.objects.exists():
                    # The demo data goes through the same import a jobcentre moving in uses.
                    self.stdout.write(f"Importerer {EXAMPLES / (schema + '.json')} ...")
                    result = jobcenter_data_import(
                        data=load_import_file(EXAMPLES / f"{schema}.json"), today=clock.today()
                    )
                    for section, counts in result.counts.items():
                        self.stdout.write(f"  {section}: {counts}")
        self.stdout.write(self.style.SUCCESS(f"\nDemo-logins (adgangskode: {DEMO_PASSWORD}):"))
        for url, role, email in logins:
            self.stdout.write(f"  {url:<32} {role:<14} {email}")
        self.stdout.write(f"  Platformen: http://localhost:{port}/")
