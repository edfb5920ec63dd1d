"""Many jobcentres (issue 28): a new one cloned from a migrated template schema, the clone
checked, and the migrations of every schema run in parallel without all-or-nothing.

Creating a jobcentre by running every migration costs about 4 s (the schema's whole history
replayed). PostgreSQL can copy a schema instead: django-tenants ships pg-clone-schema's
`clone_schema()` function (django_tenants/clone.py). Its known problems, each checked here
after every clone (`schema_clone_problems`) rather than trusted:
- identity sequences: a cloned sequence that restarts at 1 while the copied rows (the role
  groups, content types, permissions) hold ids 1..n gives "duplicate key" on the first
  insert (django-tenants #831, #1081; renamed tables' sequences #1236);
- triggers: our checks across tables (candidates 0003, audit 0002-0004) are triggers whose
  functions live in the schema itself; a trigger of the clone must call the clone's own
  function, never the template's (pg-clone-schema #147);
- constraints and indexes: every one of the template's, foreign keys pointing into the
  clone's own tables;
- the template must be fully migrated, or the clone would lack a migration that
  django-tenants' own path (TENANT_CREATION_FAKES_MIGRATIONS) then fakes as applied. So we
  do not use that path: `template_schema_ensure()` migrates the template first, and the
  clone's django_migrations must equal the code's migrations.

The template schema (settings.JOBCENTER_TEMPLATE_SCHEMA) has no Jobcenter row: no host
answers on it and no beat task runs in it. It holds no personal data, only what the
migrations write (groups, permissions, content types, code lists).
"""

import contextlib
import io
import logging
import multiprocessing
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django_tenants.utils import get_public_schema_name, schema_exists

logger = logging.getLogger(__name__)


def pg_client_command(program: str, options: list[str]) -> tuple[list[str], dict]:
    """A PostgreSQL client (pg_dump, pg_restore) for our database, and its environment."""
    db = settings.DATABASES["default"]
    command = [program, *options, f"--dbname={db['NAME']}"]
    host = db.get("OPTIONS", {}).get("host") or db.get("HOST")
    if host:
        command.append(f"--host={host}")
    if db.get("PORT"):
        command.append(f"--port={db['PORT']}")
    if db.get("USER"):
        command.append(f"--username={db['USER']}")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return command, env


def schema_dump_command(*, schema: str, options: list[str]) -> tuple[list[str], dict]:
    """The pg_dump command (and its environment) writing one schema of our database."""
    return pg_client_command("pg_dump", [*options, "--no-owner", f"--schema={schema}"])


def template_schema_name() -> str:
    return settings.JOBCENTER_TEMPLATE_SCHEMA


@lru_cache(maxsize=1)
def code_migrations() -> frozenset[tuple[str, str]]:
    """Every migration the code has (app label, name): what a current schema lists as applied.

    Django records every app's migrations in each schema's django_migrations, also those
    the tenant router skips, so a current schema lists exactly the graph's nodes.
    """
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(loader.graph.nodes)


def schema_migrations(schema: str) -> set[tuple[str, str]]:
    """The migrations recorded as applied in `schema` (empty when it has none)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.tables "
            "WHERE table_schema = %s AND table_name = 'django_migrations'",
            [schema],
        )
        if cursor.fetchone() is None:
            return set()
        cursor.execute(
            f'SELECT app, name FROM "{schema}".django_migrations'  # noqa: S608 - a checked schema name
        )
        return {(app, name) for app, name in cursor.fetchall()}


def schema_migrate_in_process(schema: str, *, verbosity: int = 0) -> None:
    """Apply the code's migrations to one schema, in this process (django-tenants' runner)."""
    from django_tenants.migration_executors.base import run_migrations

    run_migrations(
        args=(),
        options=_migrate_options(verbosity=verbosity),
        executor_codename="jobcentre",
        schema_name=schema,
    )


def _migrate_options(*, verbosity: int) -> dict:
    """The migrate command's options with their defaults, as `migrate_schemas` passes them."""
    from django.core.management.commands.migrate import Command as MigrateCommand

    parser = MigrateCommand().create_parser("manage.py", "migrate")
    options = vars(parser.parse_args([]))
    options.update(verbosity=verbosity, interactive=False, skip_checks=True)
    return options


def template_schema_ensure() -> str:
    """The template schema, created when missing and migrated to the code's migrations.

    Serialised by an advisory lock held until the transaction ends (two creations at once
    migrate it once). Returns its name.
    """
    template = template_schema_name()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"template:{template}"])
        connection.set_schema_to_public()
        if not schema_exists(template):
            with connection.cursor() as cursor:
                cursor.execute(f'CREATE SCHEMA "{template}"')
        if not code_migrations() <= schema_migrations(template):
            schema_migrate_in_process(template)
        connection.set_schema_to_public()
    return template


# The catalogue of a schema, compared between template and clone with the schema's name
# written as <schema>. Every query takes the schema name once, as %(s)s.
_CATALOGUE = {
    "tables": """
        SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %(s)s AND c.relkind IN ('r', 'p', 'v', 'm', 'S')""",
    "columns": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               a.attidentity, coalesce(pg_get_expr(d.adbin, d.adrelid), '')
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = %(s)s AND c.relkind IN ('r', 'p') AND a.attnum > 0
          AND NOT a.attisdropped""",
    "constraints": """
        SELECT c.relname, con.conname, pg_get_constraintdef(con.oid), con.condeferrable,
               con.condeferred, coalesce(fn.nspname, '')
        FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_class fc ON fc.oid = con.confrelid
        LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
        WHERE n.nspname = %(s)s""",
    "indexes": """
        SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %(s)s""",
    "triggers": """
        SELECT c.relname, t.tgname, pg_get_triggerdef(t.oid), t.tgenabled, pn.nspname
        FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
        WHERE n.nspname = %(s)s AND NOT t.tgisinternal""",
    "functions": """
        SELECT p.proname, pg_get_function_identity_arguments(p.oid), md5(p.prosrc)
        FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(s)s""",
}


_CASTS = re.compile(r"::[a-z ]+(\[\])?|[()\s]")


def _without_casts(definition: str) -> str:
    return _CASTS.sub("", definition)


def _catalogue(schema: str) -> dict[str, set[tuple]]:
    def neutral(value):
        if isinstance(value, str):
            return value.replace(f'"{schema}".', "<schema>.").replace(f"{schema}.", "<schema>.")
        return value

    result = {}
    with connection.cursor() as cursor:
        for kind, sql in _CATALOGUE.items():
            cursor.execute(sql, {"s": schema})
            rows = cursor.fetchall()
            if kind == "constraints":
                # A CHECK re-read from SQL is deparsed with its casts placed differently
                # (`ANY ((ARRAY['a'::varchar])::text[])` comes back as
                # `ANY (ARRAY[('a'::varchar)::text])`): compared without casts and
                # parentheses, its values and operators kept.
                rows = [(row[0], row[1], _without_casts(row[2]), *row[3:]) for row in rows]
            if kind == "indexes":  # a partial index's WHERE likewise
                rows = [(row[0], row[1], _without_casts(row[2])) for row in rows]
            if kind in ("constraints", "triggers"):
                # Last: the schema of the foreign key's table / of the trigger's function.
                rows = [(*row[:-1], "<schema>" if row[-1] == schema else row[-1]) for row in rows]
            result[kind] = {tuple(neutral(v) for v in row) for row in rows}
    result["rows"] = set(schema_row_counts(schema).items())
    return result


@lru_cache(maxsize=2)
def _catalogue_cached(schema: str, migrations: frozenset) -> dict[str, set[tuple]]:  # noqa: ARG001 - the cache key
    """The template's catalogue, read once per process and template version."""
    return _catalogue(schema)


def _identity_problems(schema: str) -> list[str]:
    """Every identity or serial column's sequence is the schema's own and lies past the
    column's largest value (the next insert cannot collide with a copied row)."""
    problems = []
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.relname, a.attname, pg_get_serial_sequence(
                       format('%%I.%%I', n.nspname, c.relname), a.attname)
            FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE n.nspname = %s AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
              AND (a.attidentity <> '' OR pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval(%%')
            """,
            [schema],
        )
        columns = cursor.fetchall()
        for table, column, sequence in columns:
            if sequence is None or not sequence.startswith(f"{schema}."):
                problems.append(f"{table}.{column}: sekvensen {sequence} er ikke skemaets egen")
                continue
            cursor.execute(
                f'SELECT max("{column}") FROM "{schema}"."{table}"'  # noqa: S608 - catalogue names
            )
            largest = cursor.fetchone()[0]
            if largest is None:
                continue
            cursor.execute(
                f"SELECT last_value, is_called FROM {sequence}"  # noqa: S608 - from the catalogue
            )
            last_value, is_called = cursor.fetchone()
            next_value = last_value + 1 if is_called else last_value
            if next_value <= largest:
                problems.append(
                    f"{table}.{column}: næste værdi {next_value} er ikke større end {largest}"
                )
    return problems


def schema_row_counts(schema: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relkind IN ('r', 'p') ORDER BY c.relname",
            [schema],
        )
        tables = [row[0] for row in cursor.fetchall()]
        if not tables:
            return {}
        cursor.execute(
            " UNION ALL ".join(
                f'SELECT \'{table}\', count(*) FROM "{schema}"."{table}"'  # noqa: S608 - catalogue names
                for table in tables
            )
        )
        return dict(cursor.fetchall())


def schema_clone_problems(*, source: str, target: str) -> list[str]:
    """What differs between a template and its clone (empty when the clone is good): tables,
    columns, constraints, indexes, triggers (calling the clone's own functions), functions,
    row counts, the migrations recorded, and identity sequences past the copied rows."""
    problems = []
    want, have = _catalogue_cached(source, frozenset(schema_migrations(source))), _catalogue(target)
    for kind in _CATALOGUE:
        missing, extra = want[kind] - have[kind], have[kind] - want[kind]
        for row in sorted(missing, key=repr)[:20]:
            problems.append(f"{kind}: mangler i kopien: {row}")
        for row in sorted(extra, key=repr)[:20]:
            problems.append(f"{kind}: findes kun i kopien: {row}")
    if want["rows"] != have["rows"]:
        tables = sorted({table for table, _count in want["rows"] ^ have["rows"]})
        problems.append("andet antal rækker end skabelonen i: " + ", ".join(tables[:10]))
    if schema_migrations(target) != schema_migrations(source):
        problems.append("kopiens migrationer er ikke skabelonens")
    problems.extend(_identity_problems(target))
    return problems


@lru_cache(maxsize=2)
def _template_sql(template: str, migrations: frozenset) -> str:  # noqa: ARG001 - the cache key
    """The template schema as SQL (pg_dump, plain, rows as INSERTs), kept while its
    migrations stay the same: one pg_dump per process and template version."""
    command, env = schema_dump_command(
        schema=template, options=["--format=plain", "--no-privileges", "--inserts"]
    )
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)  # noqa: S603 - fixed command
    if result.returncode != 0:
        raise ValidationError(f"Skabelonskemaet kunne ikke læses: {result.stderr.strip()[:300]}")
    return result.stdout


def _sql_for_schema(sql: str, *, source: str, target: str) -> str:
    """The template's SQL rewritten for schema `target`.

    Comments, psql's meta-commands and the session settings (search_path among them) are
    left out; every `source.` in the definitions becomes `"target".`. A row (INSERT) has
    only its table name rewritten, never its values.
    """
    qualified = re.compile(rf'(?<![\w"]){re.escape(source)}\.(?=[\w"])')
    lines = []
    for line in sql.splitlines():
        if line.startswith(("--", "\\", "SET ", "SELECT pg_catalog.set_config(")):
            continue
        if line.startswith(f"INSERT INTO {source}."):
            line = f'INSERT INTO "{target}".' + line[len(f"INSERT INTO {source}.") :]
        elif line == f"CREATE SCHEMA {source};":
            line = f'CREATE SCHEMA "{target}";'
        else:
            line = qualified.sub(f'"{target}".', line)
        lines.append(line)
    return "\n".join(lines)


def schema_clone(*, target: str) -> None:
    """Create schema `target` as a checked copy of the migrated template.

    Raises ValidationError (Danish) when the clone differs from the template; the broken
    copy is dropped again then. The caller's transaction (if any) holds the whole of it.
    """
    template = template_schema_ensure()
    sql = _template_sql(template, frozenset(schema_migrations(template)))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL check_function_bodies = false")
        cursor.execute(_sql_for_schema(sql, source=template, target=target))
    connection.set_schema_to_public()
    problems = schema_clone_problems(source=template, target=target)
    if not code_migrations() <= schema_migrations(target):
        problems.append("kopien mangler migrationer")
    if problems:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP SCHEMA "{target}" CASCADE')
        logger.error("clone of %s into %s failed its checks: %s", template, target, problems)
        raise ValidationError(
            "Kopien af skabelonskemaet fejlede kontrollen: " + "; ".join(problems[:40])
        )


# Migrating every schema -------------------------------------------------------------------


@dataclass
class SchemaMigrated:
    """One schema's outcome: applied migrations, seconds, and the error when it failed."""

    schema: str
    ok: bool
    seconds: float
    applied: int = 0
    error: str = ""
    output: str = field(default="", repr=False)


def _count_applied(schema: str) -> int:
    return len(schema_migrations(schema))


def _migrate_one(schema: str) -> SchemaMigrated:
    """In a worker process: migrate one schema, never raising (the outcome says it)."""
    started = time.monotonic()
    captured = io.StringIO()
    before = 0
    real_stdout, real_stderr = sys.stdout, sys.stderr
    try:
        before = _count_applied(schema)
        if code_migrations() <= schema_migrations(schema):
            # Nothing to apply: Django's migrate would still load the graph, render every
            # model's state twice and run post_migrate (seconds per schema on a busy machine).
            connection.set_schema_to_public()
            return SchemaMigrated(schema, True, time.monotonic() - started, 0)
        sys.stdout = sys.stderr = captured
        try:
            schema_migrate_in_process(schema, verbosity=1)
        finally:
            sys.stdout, sys.stderr = real_stdout, real_stderr
        connection.set_schema_to_public()
        applied = _count_applied(schema) - before
        return SchemaMigrated(schema, True, time.monotonic() - started, applied)
    except Exception as exc:  # noqa: BLE001 - one schema's failure is reported, never fatal
        with contextlib.suppress(Exception):  # the connection may be gone already
            connection.close()
        return SchemaMigrated(
            schema,
            False,
            time.monotonic() - started,
            error=f"{type(exc).__name__}: {exc}".strip()[:2000],
            output=captured.getvalue()[-2000:],
        )


def _worker_init() -> None:
    """A forked worker opens its own connections (a pool inherited holds the parent's)."""
    from django.db.backends.postgresql.base import DatabaseWrapper

    DatabaseWrapper._connection_pools.clear()
    connection.connection = None


def migration_processes() -> int:
    """Worker processes for migrating: TENANT_MULTIPROCESSING_MAX_PROCESSES, at most the
    machine's cores (each holds one database connection while it migrates)."""
    wanted = getattr(settings, "TENANT_MULTIPROCESSING_MAX_PROCESSES", 0) or os.cpu_count() or 1
    return max(1, min(int(wanted), os.cpu_count() or 1))


def jobcentre_schemas() -> list[str]:
    """The schemas to migrate after the public one: the template first, then every
    jobcentre's, by name."""
    from .models import Jobcenter

    schemas = list(
        Jobcenter.objects.exclude(schema_name=get_public_schema_name())
        .order_by("schema_name")
        .values_list("schema_name", flat=True)
    )
    template = template_schema_name()
    return ([template] if schema_exists(template) else []) + [s for s in schemas if s != template]


def schemas_migrate(
    *,
    schemas: Iterable[str],
    processes: int,
    progress: Callable[[int, int, SchemaMigrated], None] | None = None,
) -> list[SchemaMigrated]:
    """Migrate each schema in its own transaction-per-migration run, `processes` at a time
    (forked workers, one connection each). A failing schema is reported in its outcome and
    the others go on; a schema that failed on a deadlock (parallel DDL, django-tenants'
    reported problem) is tried once more on its own at the end. Re-running migrates only
    what is still missing. `progress(done, total, outcome)` is called as each one ends.
    """
    schemas = list(schemas)
    total = len(schemas)
    results: list[SchemaMigrated] = []

    def report(outcome: SchemaMigrated) -> None:
        results.append(outcome)
        if progress is not None:
            progress(len(results), total, outcome)

    if processes <= 1 or total <= 1:
        for schema in schemas:
            report(_migrate_one(schema))
    else:
        # The parent's connection (and pool) must not be shared with the forked workers.
        connection.close()
        context = multiprocessing.get_context("fork")
        with context.Pool(processes=processes, initializer=_worker_init) as pool:
            for outcome in pool.imap_unordered(_migrate_one, schemas, chunksize=1):
                report(outcome)
    for index, outcome in enumerate(results):
        if not outcome.ok and "deadlock" in outcome.error.lower():
            again = _migrate_one(outcome.schema)
            results[index] = again
            if progress is not None:
                progress(total, total, again)
    return sorted(results, key=lambda r: schemas.index(r.schema))
