"""Writes on jobcentres (tenants)."""

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.roles import ROLE_ADMIN
from accounts.services import user_create

from .models import Domain, Jobcenter

SCHEMA_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
RESERVED_SCHEMAS = {"public", "information_schema", "pg_catalog", "pg_toast"}


def jobcenter_create(
    *,
    schema_name: str,
    name: str,
    domain: str,
    municipality_code: str,
    admin_email: str,
    admin_password: str | None = None,
) -> Jobcenter:
    """Create a jobcentre: its schema (migrated), its primary domain and its first admin.

    Raises ValidationError (Danish) when the schema name, domain or municipality code is
    invalid or taken; nothing is created then.
    """
    if not SCHEMA_NAME_RE.match(schema_name) or schema_name in RESERVED_SCHEMAS:
        raise ValidationError(
            "Skemanavnet skal starte med et lille bogstav og må kun indeholde a-z, 0-9 og _."
        )
    if not re.fullmatch(r"\d{3}", municipality_code or ""):
        raise ValidationError("Kommunekoden er tre cifre, fx 410.")
    if Jobcenter.objects.filter(schema_name=schema_name).exists():
        raise ValidationError(f"Der findes allerede et jobcenter med skemaet '{schema_name}'.")
    if Domain.objects.filter(domain=domain).exists():
        raise ValidationError(f"Domænet '{domain}' bruges allerede.")

    jobcenter = Jobcenter(schema_name=schema_name, name=name, municipality_code=municipality_code)
    jobcenter.full_clean()
    # Schema creation runs its own DDL; if a later step fails the jobcentre row is removed
    # again together with its schema, so a half-made jobcentre never remains.
    jobcenter.save(verbosity=0)
    try:
        with transaction.atomic():
            Domain.objects.create(domain=domain, tenant=jobcenter, is_primary=True)
        with schema_context(schema_name):
            user_create(
                email=admin_email,
                password=admin_password,
                roles=[ROLE_ADMIN],
                is_staff=True,
                is_superuser=True,
            )
    except Exception:
        jobcenter.delete(force_drop=True)
        raise
    return jobcenter


def public_tenant_ensure(*, domain: str) -> Jobcenter:
    """The platform itself is the tenant of the public schema; it answers on `domain`."""
    public, _created = Jobcenter.objects.get_or_create(
        schema_name=get_public_schema_name(), defaults={"name": "Virksomhedscenter (platform)"}
    )
    Domain.objects.get_or_create(domain=domain, defaults={"tenant": public, "is_primary": True})
    return public
