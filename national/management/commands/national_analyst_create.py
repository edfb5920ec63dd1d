from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.roles import ROLE_ANALYST, platform_roles_ensure
from accounts.services import user_create


class Command(BaseCommand):
    help = (
        "Opret en analytiker (region/ministerium) på platformen. Analytikeren logger ind på "
        "platformens adresse, skal sætte to-faktor-login op og ser landsoversigten."
    )

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument(
            "--password", help="uden: analytikeren vælger en adgangskode via 'Glemt adgangskode'"
        )

    def handle(self, *args, **options):
        with schema_context(get_public_schema_name()):
            platform_roles_ensure()
            try:
                user = user_create(
                    email=options["email"], password=options.get("password"), roles=[ROLE_ANALYST]
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
        self.stdout.write(f"Analytiker oprettet: {user.email}")
