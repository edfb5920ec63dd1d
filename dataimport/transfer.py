"""One jobcentre's data out of this deployment and into another (issue 28): a municipality
that leaves takes its schema with it.

Out: `jobcenter_export` writes the schema with pg_dump (custom format) and a manifest beside
it (`<file>.json`): the jobcentre's name, municipality code and domains, the migrations its
schema has, and the number of rows in every table - what the import checks against.

In: `jobcenter_import` restores the schema into this deployment's database (under a new
name if asked), registers the jobcentre and its domain, and re-encrypts what was encrypted
with the other deployment's keys. CPR numbers are Fernet tokens under the source's
CPR_ENCRYPTION_KEY, and found by an HMAC under its CPR_HMAC_KEY (candidates/cpr_crypto.py);
two-factor secrets are tokens under its MFA_ENCRYPTION_KEY (accounts/mfa_crypto.py). The
other deployment never gets our keys, nor we theirs for longer than the import: the
operator hands the source's CPR and MFA keys to the import once (environment variables,
never arguments: docs/operations.md, "Many jobcentres"), each CPR number is decrypted with
them and encrypted with ours, its HMAC recomputed with ours, and the same for the two-factor
secrets. The source's HMAC key is not needed. Sessions are deleted (they were signed with
the other deployment's SECRET_KEY). Nothing is written when a check fails: no schema, no
jobcentre.
"""

import json
import subprocess
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context, schema_exists

from accounts.mfa_crypto import mfa_encrypt
from candidates.cpr_crypto import cpr_encrypt, cpr_hmac
from tenants.models import Domain, Jobcenter
from tenants.provisioning import (
    code_migrations,
    pg_client_command,
    schema_dump_command,
    schema_migrate_in_process,
    schema_migrations,
    schema_row_counts,
)
from tenants.services import RESERVED_SCHEMAS, SCHEMA_NAME_RE

MANIFEST_FORMAT = 1
# Emptied on import (signed with the other deployment's SECRET_KEY), so not compared.
NOT_COMPARED = {"django_session"}


def manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def jobcenter_export(*, jobcenter: Jobcenter, path: Path) -> dict[str, Any]:
    """Write the jobcentre's schema to `path` (pg_dump, custom format) and its manifest to
    `path`.json; return the manifest. Raises ValidationError (Danish) when pg_dump fails."""
    schema = jobcenter.schema_name
    command, env = schema_dump_command(schema=schema, options=["--format=custom", f"--file={path}"])
    # The counts and the dump of one snapshot: the counts are read in a repeatable-read
    # transaction whose snapshot pg_dump takes over.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = schema_row_counts(schema)
        migrations = sorted(schema_migrations(schema))
        result = subprocess.run(  # noqa: S603 - a fixed command, the schema name is validated
            [*command, f"--snapshot={snapshot}"], capture_output=True, env=env, check=False
        )
    if result.returncode != 0:
        raise ValidationError(
            "Kopien kunne ikke laves: " + result.stderr.decode("utf-8", "replace").strip()[:300]
        )
    manifest = {
        "format": MANIFEST_FORMAT,
        "schema": schema,
        "name": jobcenter.name,
        "municipality_code": jobcenter.municipality_code or "",
        "domains": list(jobcenter.domains.values_list("domain", flat=True)),
        "exported_at": timezone.now().isoformat(),
        "migrations": [list(m) for m in migrations],
        "counts": counts,
    }
    manifest_path(path).write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def _keyring(keys: str, fallback_setting: str) -> MultiFernet:
    """The source's keys (comma-separated), or ours when the source used the same."""
    keys = keys or getattr(settings, fallback_setting)
    try:
        return MultiFernet([Fernet(k.strip().encode()) for k in keys.split(",") if k.strip()])
    except (ValueError, TypeError) as exc:
        raise ValidationError(
            "Nøglen fra den anden installation er ikke en Fernet-nøgle "
            "(eller flere adskilt af komma)."
        ) from exc


def _problems_before_restore(manifest: dict, schema_name: str, domain: str) -> list[str]:
    problems = []
    if manifest.get("format") != MANIFEST_FORMAT:
        problems.append("Filen er ikke en jobcenterkopi fra Virksomhedscenter (ukendt format).")
    if not SCHEMA_NAME_RE.match(schema_name) or schema_name in RESERVED_SCHEMAS:
        problems.append(
            "Skemanavnet skal starte med et lille bogstav og må kun indeholde a-z, 0-9 og _."
        )
    if Jobcenter.objects.filter(schema_name=schema_name).exists() or schema_exists(schema_name):
        problems.append(f"Skemaet '{schema_name}' findes allerede.")
    if schema_exists(manifest.get("schema", "")):
        problems.append(
            f"Kopien gendannes først under sit gamle navn '{manifest.get('schema')}', "
            "og det skema findes allerede her."
        )
    if Domain.objects.filter(domain=domain).exists():
        problems.append(f"Domænet '{domain}' bruges allerede.")
    newer = {tuple(m) for m in manifest.get("migrations", [])} - code_migrations()
    if newer:
        problems.append(
            "Kopien er fra en nyere version af programmet (ukendte migrationer: "
            + ", ".join(f"{app}.{name}" for app, name in sorted(newer)[:5])
            + "). Opdatér denne installation først."
        )
    return problems


def _rekey(schema: str, *, cpr_keys: MultiFernet, mfa_keys: MultiFernet) -> dict[str, int]:
    """Re-encrypt the schema's CPR numbers and two-factor secrets under our keys."""
    done = {"cpr": 0, "mfa": 0}
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT id, cpr FROM "{schema}".candidates_candidate WHERE cpr IS NOT NULL'  # noqa: S608 - a checked schema name
        )
        rows = cursor.fetchall()
        updates = []
        for pk, token in rows:
            try:
                plain = cpr_keys.decrypt(token.encode()).decode()
            except InvalidToken as exc:
                raise ValidationError(
                    "CPR-numrene kan ikke dekrypteres med den anden installations nøgle "
                    "(SOURCE_CPR_ENCRYPTION_KEY). Intet er importeret."
                ) from exc
            updates.append((cpr_encrypt(plain), cpr_hmac(plain), pk))
        cursor.executemany(
            f'UPDATE "{schema}".candidates_candidate SET cpr = %s, cpr_hmac = %s WHERE id = %s',  # noqa: S608
            updates,
        )
        done["cpr"] = len(updates)
        cursor.execute(
            f'SELECT id, data FROM "{schema}".mfa_authenticator'  # noqa: S608 - a checked schema name
        )
        updates = []
        for pk, data in cursor.fetchall():
            data = json.loads(data) if isinstance(data, str) else data

            def again(token: str) -> str:
                try:
                    return mfa_encrypt(mfa_keys.decrypt(token.encode()).decode())
                except InvalidToken as exc:
                    raise ValidationError(
                        "To-faktor-hemmelighederne kan ikke dekrypteres med den anden "
                        "installations nøgle (SOURCE_MFA_ENCRYPTION_KEY). Intet er importeret."
                    ) from exc

            for key in ("secret", "seed"):
                if key in data:
                    data[key] = again(data[key])
            if data.get("migrated_codes") is not None:
                data["migrated_codes"] = [again(code) for code in data["migrated_codes"]]
            updates.append((json.dumps(data), pk))
        cursor.executemany(
            f'UPDATE "{schema}".mfa_authenticator SET data = %s::jsonb WHERE id = %s',  # noqa: S608
            updates,
        )
        done["mfa"] = len(updates)
        cursor.execute(f'DELETE FROM "{schema}".django_session')  # noqa: S608
    return done


def _check_cpr_numbers(schema: str) -> int:
    """Every CPR number decrypts with our key and its HMAC is ours: the count checked."""
    from candidates.models import Candidate

    checked = 0
    with schema_context(schema):
        for candidate in Candidate.objects.exclude(cpr__isnull=True).only("cpr", "cpr_hmac"):
            if candidate.cpr_hmac != cpr_hmac(candidate.cpr):
                raise ValidationError("Et CPR-nummers søgeindeks passer ikke efter importen.")
            checked += 1
    return checked


def jobcenter_import(
    *,
    path: Path,
    schema_name: str,
    domain: str,
    name: str = "",
    municipality_code: str = "",
    source_cpr_keys: str = "",
    source_mfa_keys: str = "",
) -> dict[str, Any]:
    """Restore a jobcentre exported from another deployment (`path` and `path`.json) as
    schema `schema_name` answering on `domain`; return what was checked.

    The name and municipality code default to the manifest's. `source_cpr_keys` and
    `source_mfa_keys` are the other deployment's CPR_ENCRYPTION_KEY and MFA_ENCRYPTION_KEY
    (empty: it used ours). Checks, before anything is kept: every table's row count equals
    the manifest's, every CPR number decrypts with our key and its HMAC is ours. Then the
    schema gets the migrations this code has and it lacked. Raises ValidationError (Danish)
    for a bad file, a taken name or domain, a newer version, wrong keys or a failed check;
    nothing remains then.
    """
    try:
        manifest = json.loads(manifest_path(path).read_text())
    except (OSError, ValueError) as exc:
        raise ValidationError(
            f"Manifestet {manifest_path(path).name} mangler eller kan ikke læses."
        ) from exc
    problems = _problems_before_restore(manifest, schema_name, domain)
    if problems:
        raise ValidationError(problems)
    cpr_keys = _keyring(source_cpr_keys, "CPR_ENCRYPTION_KEY")
    mfa_keys = _keyring(source_mfa_keys, "MFA_ENCRYPTION_KEY")
    source = manifest["schema"]
    command, env = pg_client_command(
        "pg_restore", ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    )
    result = subprocess.run(  # noqa: S603 - a fixed command, the file is the operator's
        [*command, str(path)], capture_output=True, env=env, check=False
    )
    if result.returncode != 0:
        raise ValidationError(
            "Kopien kunne ikke gendannes: " + result.stderr.decode("utf-8", "replace").strip()[:300]
        )
    report: dict[str, Any] = {"schema": schema_name, "from_schema": source}
    try:
        with transaction.atomic():
            if source != schema_name:
                with connection.cursor() as cursor:
                    cursor.execute(f'ALTER SCHEMA "{source}" RENAME TO "{schema_name}"')
            counts = schema_row_counts(schema_name)
            expected = manifest["counts"]
            differ = sorted(
                table
                for table in set(counts) | set(expected)
                if table not in NOT_COMPARED and counts.get(table) != expected.get(table)
            )
            if differ:
                raise ValidationError(
                    "Antallet af rækker passer ikke med manifestet i: " + ", ".join(differ[:10])
                )
            report["tables"] = len(counts)
            report["rows"] = sum(v for t, v in counts.items() if t not in NOT_COMPARED)
            report["rekeyed"] = _rekey(schema_name, cpr_keys=cpr_keys, mfa_keys=mfa_keys)
            jobcenter = Jobcenter(
                schema_name=schema_name,
                name=name or manifest["name"],
                municipality_code=municipality_code or manifest["municipality_code"] or None,
            )
            jobcenter.auto_create_schema = False
            jobcenter.full_clean()
            jobcenter.save()
            Domain.objects.create(domain=domain, tenant=jobcenter, is_primary=True)
            report["cpr_checked"] = _check_cpr_numbers(schema_name)
        connection.set_schema_to_public()
    except Exception:
        connection.set_schema_to_public()
        with connection.cursor() as cursor:
            for schema in {source, schema_name}:
                cursor.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        raise
    missing = code_migrations() - schema_migrations(schema_name)
    if missing:
        schema_migrate_in_process(schema_name)
        connection.set_schema_to_public()
    report["migrated"] = len(missing)
    return report
