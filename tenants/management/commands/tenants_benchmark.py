"""Provisioning benchmark (issue 28): create N jobcentres, then migrate them with a real
migration, printing one JSON line per N.

Everything happens in a database of its own (`<database>_bench`, dropped at the start and at
the end) and in child processes of `manage.py`, as a deployment runs them: the settings of
the children install a tenant app without models (tenants/benchmark) whose migrations this
command writes into a temporary folder (setting TENANTS_BENCHMARK_MIGRATIONS). Its first
migration makes a table with 2,000 rows in every schema; each round writes one more
migration that adds a column, fills it from the rows and indexes it - DDL and data in every
schema, not "nothing to apply". The round's jobcentres are dropped again before the next.

Per N: create the N jobcentres in one process (jobcenter_create: a checked clone of the
template schema, its domain and first admin), then time `manage.py migrate_jobcentres`
(public, the template and the N schemas, start-up included) applying the round's migration.
With --fail-one the last schema is broken before the migration (its new column exists
already): the run reports it at the end and migrates the others; the benchmark repairs it
and times the re-run, which applies the one missing migration.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(settings.BASE_DIR)
PACKAGE = "vc_tenants_benchmark_migrations"
ROWS = 2000

INITIAL = f"""from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="Note",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("text", models.TextField()),
            ],
        ),
        migrations.RunSQL(
            "INSERT INTO tenants_benchmark_note (text) "
            "SELECT repeat(md5(i::text), 1 + i % 7) FROM generate_series(1, {ROWS}) AS i",
            migrations.RunSQL.noop,
        ),
    ]
"""  # noqa: S608 - a migration's source, no input in it

ROUND = """from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("tenants_benchmark", "{previous}")]
    operations = [
        migrations.AddField("note", "size_{k}", models.IntegerField(default=0)),
        migrations.RunSQL(
            "UPDATE tenants_benchmark_note SET size_{k} = length(text) + {k}",
            migrations.RunSQL.noop,
        ),
        migrations.AddIndex(
            "note", models.Index(fields=["size_{k}"], name="bench_note_size_{k}")
        ),
    ]
"""


class Command(BaseCommand):
    help = "Mål oprettelse og migrering af N jobcentre (en JSON-linje pr. N), i en egen database."

    def add_arguments(self, parser):
        parser.add_argument("--tenants", default="1,10,100", help="fx 1,10,100")
        parser.add_argument("--processes", type=int, default=None)
        parser.add_argument(
            "--fail-one",
            action="store_true",
            help="ødelæg det sidste skema før migreringen, ret det og kør igen",
        )
        parser.add_argument(
            "--compare",
            type=int,
            default=0,
            help="opret også så mange pr. runde ved at køre alle migrationer (til sammenligning)",
        )
        # The children's steps (in the benchmark's database only).
        parser.add_argument("--step", choices=["create", "drop"], help="intern")
        parser.add_argument("--round", type=int, default=1, help="intern")
        parser.add_argument("--count", type=int, default=0, help="intern")

    def handle(self, *args, **options):
        if options["step"]:
            if not settings.TENANTS_BENCHMARK_MIGRATIONS:
                raise CommandError("--step kører kun i benchmarkens egen database.")
            return self._step(options)
        try:
            counts = [int(n) for n in options["tenants"].split(",") if n.strip()]
        except ValueError as exc:
            raise CommandError("--tenants er tal adskilt af komma, fx 1,10,100.") from exc
        if not counts or min(counts) < 1 or max(counts) > 899:
            raise CommandError("--tenants skal være mellem 1 og 899.")
        self._run(counts, options)
        return None

    # The parent: its own database, child processes, one JSON line per N.

    def _run(self, counts: list[int], options: dict) -> None:
        db = settings.DATABASES["default"]
        bench_db = f"{db['NAME']}_bench"[:63]
        workdir = Path(tempfile.mkdtemp(prefix="vc-bench-"))
        package = workdir / PACKAGE
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "0001_initial.py").write_text(INITIAL)
        env = {
            **os.environ,
            "DATABASE_URL": _database_url(bench_db),
            "TENANTS_BENCHMARK_MIGRATIONS": str(package),
        }
        if options["processes"]:
            env["TENANT_MULTIPROCESSING_MAX_PROCESSES"] = str(options["processes"])
        self._database(bench_db, create=True)
        try:
            started = time.monotonic()
            self._manage(env, "migrate_schemas", "--shared", "--verbosity=0")
            setup_seconds = time.monotonic() - started
            previous = "0001_initial"
            for k, count in enumerate(counts, start=1):
                line = self._round(env, bench_db, package, k, count, previous, options)
                line["setup_seconds"] = round(setup_seconds, 2)
                self.stdout.write(json.dumps(line))
                self.stdout.flush()
                previous = f"{k + 1:04d}_round_{k}"
        finally:
            self._database(bench_db, create=False)
            shutil.rmtree(workdir, ignore_errors=True)

    def _round(self, env, bench_db, package, k, count, previous, options) -> dict:
        created = json.loads(
            self._manage(
                env, "tenants_benchmark", "--step=create", f"--round={k}", f"--count={count}"
            ).splitlines()[-1]
        )
        database_bytes = self._sql(bench_db, "SELECT pg_database_size(current_database())")
        (package / f"{k + 1:04d}_round_{k}.py").write_text(ROUND.format(k=k, previous=previous))
        last = f"bench{k}_{count:03d}"
        if options["fail_one"]:
            self._sql(
                bench_db, f'ALTER TABLE "{last}".tenants_benchmark_note ADD COLUMN size_{k} integer'
            )
        started = time.monotonic()
        first = self._manage(env, "migrate_jobcentres", "--json", check=not options["fail_one"])
        migrate_seconds = time.monotonic() - started
        summary = json.loads(first.splitlines()[-1])
        line = {
            "tenants": count,
            "create_seconds": created["create_seconds"],
            "create_per_tenant_seconds": round(created["create_seconds"] / count, 3),
            "template_seconds": created["template_seconds"],
            "create_by_migrations_per_tenant_seconds": created["by_migrations_per_tenant"],
            "migrate_seconds": round(migrate_seconds, 2),
            "migrate_per_schema_seconds": round(migrate_seconds / summary["schemas"], 3),
            "migrated_schemas": summary["schemas"],
            "processes": summary["processes"],
            "failed": summary["failed"],
            "database_mb_after_create": round(database_bytes / 2**20),
            # The machine's load while measuring (1-minute average): the times scale with it.
            "load_average": round(os.getloadavg()[0], 1),
        }
        if options["fail_one"]:
            self._sql(bench_db, f'ALTER TABLE "{last}".tenants_benchmark_note DROP COLUMN size_{k}')
            started = time.monotonic()
            again = json.loads(self._manage(env, "migrate_jobcentres", "--json").splitlines()[-1])
            line["rerun_seconds"] = round(time.monotonic() - started, 2)
            line["rerun_applied"] = again["applied"]
            line["rerun_failed"] = again["failed"]
        column = f"size_{k}"
        line["schemas_with_migration"] = self._sql(
            bench_db,
            "SELECT count(*) FROM information_schema.columns "
            "WHERE table_name = 'tenants_benchmark_note' AND column_name = %s",
            [column],
        )
        self._manage(env, "tenants_benchmark", "--step=drop", f"--round={k}")
        return line

    def _manage(self, env: dict, *args: str, check: bool = True) -> str:
        result = subprocess.run(  # noqa: S603 - our own manage.py with fixed arguments
            [sys.executable, str(ROOT / "manage.py"), *args],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if check and result.returncode != 0:
            raise CommandError(
                f"{' '.join(args)} fejlede:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
            )
        return result.stdout

    def _admin_connection(self, dbname: str):
        db = settings.DATABASES["default"]
        return psycopg.connect(
            dbname=dbname,
            host=db.get("HOST") or db.get("OPTIONS", {}).get("host") or None,
            port=db.get("PORT") or None,
            user=db.get("USER") or None,
            password=db.get("PASSWORD") or None,
            autocommit=True,
        )

    def _database(self, name: str, *, create: bool) -> None:
        with self._admin_connection("postgres") as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            if create:
                conn.execute(f'CREATE DATABASE "{name}"')

    def _sql(self, dbname: str, sql: str, params: list | None = None):
        with self._admin_connection(dbname) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchone()[0] if cursor.description else None

    # The children's steps.

    def _step(self, options: dict) -> None:
        from tenants.models import Jobcenter
        from tenants.provisioning import template_schema_ensure
        from tenants.services import jobcenter_create

        k = options["round"]
        if options["step"] == "drop":
            for jobcenter in Jobcenter.objects.filter(schema_name__startswith=f"bench{k}_"):
                jobcenter.delete(force_drop=True)
            return
        started = time.monotonic()
        template_schema_ensure()
        template_seconds = time.monotonic() - started
        started = time.monotonic()
        for i in range(1, options["count"] + 1):
            schema = f"bench{k}_{i:03d}"
            jobcenter_create(
                schema_name=schema,
                name=f"Jobcenter {schema}",
                domain=f"{schema}.bench.localhost",
                municipality_code=f"{99 + i:03d}",
                admin_email=f"admin@{schema}.bench",
            )
        create_seconds = time.monotonic() - started
        by_migrations = None
        if options["compare"]:
            started = time.monotonic()
            for i in range(1, options["compare"] + 1):
                schema = f"bench{k}_m{i:03d}"
                jobcenter_create(
                    schema_name=schema,
                    name=f"Jobcenter {schema}",
                    domain=f"{schema}.bench.localhost",
                    municipality_code=f"{999 - i:03d}",
                    admin_email=f"admin@{schema}.bench",
                    clone=False,
                )
            by_migrations = round((time.monotonic() - started) / options["compare"], 3)
        self.stdout.write(
            json.dumps(
                {
                    "create_seconds": round(create_seconds, 2),
                    "template_seconds": round(template_seconds, 2),
                    "by_migrations_per_tenant": by_migrations,
                }
            )
        )


def _database_url(name: str) -> str:
    """DATABASE_URL with another database's name."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))
