"""Writes on jobcentres (tenants)."""

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from accounts.roles import ROLE_ADMIN
from accounts.services import user_create

from .models import Domain, Jobcenter, JobcenterClosure
from .provisioning import schema_clone, schema_dump_command

SCHEMA_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{1,62}$")
RESERVED_SCHEMAS = {"public", "information_schema", "pg_catalog", "pg_toast"}


def jobcenter_create_problems(
    *, schema_name: str, domain: str, municipality_code: str
) -> list[str]:
    """Why a jobcentre with these names cannot be created (Danish), or nothing."""
    problems = []
    if not SCHEMA_NAME_RE.match(schema_name or "") or schema_name in RESERVED_SCHEMAS:
        problems.append(
            "Skemanavnet skal starte med et lille bogstav og må kun indeholde a-z, 0-9 og _."
        )
    elif Jobcenter.objects.filter(schema_name=schema_name).exists():
        problems.append(f"Der findes allerede et jobcenter med skemaet '{schema_name}'.")
    if not re.fullmatch(r"\d{3}", municipality_code or ""):
        problems.append("Kommunekoden er tre cifre, fx 410.")
    elif Jobcenter.objects.filter(municipality_code=municipality_code).exists():
        problems.append(
            f"Et jobcenter med denne kommunekode eksisterer allerede ({municipality_code})."
        )
    if Domain.objects.filter(domain=domain).exists():
        problems.append(f"Domænet '{domain}' bruges allerede.")
    return problems


def jobcenter_create(
    *,
    schema_name: str,
    name: str,
    domain: str,
    municipality_code: str,
    admin_email: str,
    admin_password: str | None = None,
    clone: bool | None = None,
    progress: Callable[[str], None] | None = None,
) -> Jobcenter:
    """Create a jobcentre: its schema (migrated), its primary domain and its first admin.

    The schema is a checked copy of the migrated template schema (tenants/provisioning.py),
    instead of replaying every migration; `clone=False` (or the setting
    JOBCENTER_CREATE_BY_CLONE off) migrates it from scratch. `progress(text)` is told each
    step (Danish), for a background run's page.
    Raises ValidationError (Danish) when the schema name, domain or municipality code is
    invalid or taken, or the copy fails its checks; nothing is created then.
    """
    problems = jobcenter_create_problems(
        schema_name=schema_name, domain=domain, municipality_code=municipality_code
    )
    if problems:
        raise ValidationError(problems[0])
    step = progress or (lambda _text: None)

    jobcenter = Jobcenter(schema_name=schema_name, name=name, municipality_code=municipality_code)
    jobcenter.full_clean()
    if clone is None:
        clone = settings.JOBCENTER_CREATE_BY_CLONE
    # Schema creation runs its own DDL; if a later step fails the jobcentre row is removed
    # again together with its schema, so a half-made jobcentre never remains.
    if clone:
        jobcenter.auto_create_schema = False
    else:
        step("Opretter skemaet og kører alle migrationer")
    jobcenter.save(verbosity=0)
    try:
        if clone:
            step("Kopierer skabelonskemaet og kontrollerer kopien")
            schema_clone(target=schema_name)
        step("Opretter domæne og administrator")
        with transaction.atomic():
            Domain.objects.create(domain=domain, tenant=jobcenter, is_primary=True)
        with schema_context(schema_name):
            user_create(
                email=admin_email,
                password=admin_password,
                roles=[ROLE_ADMIN],
                # Staff, never a superuser: the admin's rights are its role's (issue 17).
                is_staff=True,
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


def jobcenter_close(
    *, jobcenter: Jobcenter, mode: str, confirmation: str, reason: str, acting_user
) -> JobcenterClosure:
    """Take a jobcentre off the platform: its domains stop answering at once, and its schema
    is either archived (renamed `arkiv_<schema>_<timestamp>`, every row kept, reachable by
    the operators only) or dropped. A JobcenterClosure record stays in the public schema.

    `confirmation` must repeat the schema name: a deliberate act, never one click. Raises
    ValidationError (Danish) for a wrong confirmation, an unknown mode, no reason, or the
    platform itself; nothing changes then.
    """
    if jobcenter.schema_name == get_public_schema_name():
        raise ValidationError("Platformen selv kan ikke lukkes.")
    if (confirmation or "").strip() != jobcenter.schema_name:
        raise ValidationError(
            f"Skriv jobcentrets skemanavn ({jobcenter.schema_name}) for at bekræfte lukningen."
        )
    if mode not in JobcenterClosure.Mode.values:
        raise ValidationError("Vælg om skemaet skal arkiveres eller slettes.")
    if not (reason or "").strip():
        raise ValidationError("Skriv hvorfor jobcentret lukkes.")
    archive_schema = ""
    with transaction.atomic():
        if mode == JobcenterClosure.Mode.ARCHIVED:
            archive_schema = f"arkiv_{jobcenter.schema_name}_{timezone.now():%Y%m%d%H%M%S}"[:63]
            with connection.cursor() as cursor:
                cursor.execute(
                    f'ALTER SCHEMA "{jobcenter.schema_name}" RENAME TO "{archive_schema}"'
                )
        closure = JobcenterClosure.objects.create(
            name=jobcenter.name,
            schema_name=jobcenter.schema_name,
            municipality_code=jobcenter.municipality_code or "",
            domains=", ".join(jobcenter.domains.values_list("domain", flat=True)),
            mode=mode,
            archive_schema=archive_schema,
            closed_by=getattr(acting_user, "email", "") or "system",
            reason=reason.strip(),
        )
        # The row and its domains go; the schema only when dropping (it was renamed before).
        # Deferred foreign-key checks still pending in this transaction would make
        # PostgreSQL refuse the DROP: check them now.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        jobcenter.delete(force_drop=mode == JobcenterClosure.Mode.DROPPED)
    return closure


def jobcenter_dump_command(*, jobcenter: Jobcenter) -> tuple[list[str], dict]:
    """The pg_dump command (and its environment) writing a jobcentre's whole schema in
    PostgreSQL's custom format: the copy the operator takes before closing it."""
    return schema_dump_command(schema=jobcenter.schema_name, options=["--format=custom"])
