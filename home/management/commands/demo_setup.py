"""Demo jobcentres for `make run`: Middelfart and Skive, one login per role.

Idempotent: what exists already is kept, so `make run` can be repeated.
"""

from datetime import date
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.roles import ROLE_ADMIN, ROLE_ANALYST, ROLE_MENTOR, ROLES, platform_roles_ensure
from accounts.services import user_create
from centers.models import Centre, Company
from codes import clock
from codes.lists import PaymentModel
from contracts.models import Contract
from contracts.services import approval_settings_update
from dataimport.formats import load_import_file
from dataimport.services import jobcenter_data_import
from mentors.models import Mentor
from mentors.rules import grant_latest_end
from mentors.services import mentor_grant_create, ovo_year_save
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


# Demo figures for the ØVO cap (LAB § 203 a): 10,602 kr. is the consultation draft's
# figure for 2026, not a verified final one (docs/RULES.md); persons and spending invented.
DEMO_OVO = {"cap_per_person": Decimal(10602), "full_time_persons": Decimal(1200)}
DEMO_OTHER_OVO = Decimal(9_000_000)


def demo_rules_of_today(*, schema: str, today: date) -> None:
    """Show issue 20 in the demo: Middelfart's contracts are also approved by its
    employment committee; the running mentor-hours contract has a grant for a place and
    one for a person (each at most 6 months); this year's ØVO figures are entered."""
    if schema == "middelfart":
        approval_settings_update(
            employee_statement=True, committees=["Beskæftigelsesudvalget"], acting_user=None
        )
    running = (
        Contract.objects.filter(payment_model=PaymentModel.MENTOR_HOURS, end__gte=today)
        .order_by("start")
        .first()
    )
    if running is not None:
        start = max(running.start, date(today.year, 1, 1))
        mentor_grant_create(
            place=running.place_set.get(number=1),
            start=start,
            end=min(grant_latest_end(start), running.end),
            hours_per_week=Decimal(4),
            hourly_rate=Decimal(210),
            purpose="Frikøb af mentor til pladsen, som deles af skiftende kandidater.",
            acting_user=None,
        )
        course = running.courses.exclude(place__number=1).order_by("-start", "pk").first()
        if course is not None:
            start = max(course.start, running.start)
            mentor_grant_create(
                place=course.place,
                course=course,
                start=start,
                end=min(grant_latest_end(start), running.end),
                hours_per_week=Decimal(2),
                hourly_rate=Decimal(210),
                purpose="Ekstra støtte i de første måneder.",
                acting_user=None,
            )
    if today.year >= 2026:
        ovo_year_save(
            year=today.year,
            other_spending=DEMO_OTHER_OVO if schema == "middelfart" else DEMO_OTHER_OVO * 2,
            acting_user=None,
            **DEMO_OVO,
        )


def demo_mentor_ensure(*, schema: str, today: date) -> None:
    """The demo mentor login is the mentor of the centre with most candidates placed today
    (its company's mentor), so "I dag" has people and "Mentortimer" a centre (issue 23).
    Idempotent: a mentor profile that exists is kept as it is."""
    user = User.objects.filter(email=demo_email(ROLE_MENTOR, schema)).first()
    if user is None or Mentor.objects.filter(user=user).exists():
        return
    centre = (
        Centre.objects.annotate(
            placed=Count(
                "contracts__courses",
                filter=Q(contracts__courses__start__lte=today)
                & (Q(contracts__courses__end__isnull=True) | Q(contracts__courses__end__gte=today)),
            )
        )
        .order_by("-placed", "name")
        .first()
    )
    if centre is None:
        return
    mentor = Mentor.objects.create(user=user, company=centre.company)
    mentor.centres.set([centre])


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
                    demo_rules_of_today(schema=schema, today=clock.today())
                demo_mentor_ensure(schema=schema, today=clock.today())
        # The platform's analyst (issue 30): the national overview at the platform's address.
        analyst = "analytiker@platform.demo.dk"
        platform_roles_ensure()
        if not User.objects.filter(email=analyst).exists():
            user_create(email=analyst, password=DEMO_PASSWORD, roles=[ROLE_ANALYST])
        self.stdout.write(self.style.SUCCESS(f"\nDemo-logins (adgangskode: {DEMO_PASSWORD}):"))
        for url, role, email in logins:
            self.stdout.write(f"  {url:<32} {role:<14} {email}")
        self.stdout.write(f"  Platformen: http://localhost:{port}/")
        self.stdout.write(
            f"  {f'http://localhost:{port}/landsoversigt/':<32} {ROLE_ANALYST:<14} {analyst}"
        )
