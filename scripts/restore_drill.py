#!/usr/bin/env python
"""The restore drill (`make restore-drill`): back up, write more, restore, check, measure.

    python scripts/restore_drill.py [--archive-timeout 15] [--keep]

Everything runs on PRIVATE servers under a temporary folder, never on the machine's shared
PostgreSQL or Redis: a PostgreSQL 15 cluster of its own (initdb, a free port, a socket in the
folder) with WAL archiving to a pgBackRest repository in the same folder, and a Redis on a
socket (nothing is queued to anyone's worker). The steps, as docs/operations.md describes
them for production:

1. the source cluster: archive_mode on, archive_command = pgBackRest archive-push,
   archive_timeout; stanza-create and check; the app's schemas migrated and the demo
   jobcentres created (`demo_setup`); a contract PDF rendered into each;
2. a full base backup (pgbackrest backup --type=full);
3. more rows after it: in each jobcentre a candidate (CPR encrypted) and a new contract PDF;
   the moment T is noted and the state at T recorded; then more rows after T;
4. a ticker commits a row every quarter second for two archive_timeouts, then the source is
   killed (immediate stop: its last, unarchived WAL is lost, as with a lost disk);
5. restore of the latest state to a NEW cluster: RTO = wall time from the start of the
   restore until the cluster accepts writes; RPO = last committed ticker row on the source
   minus the last one the restore holds;
6. point-in-time restore to T to another new cluster;
7. checks on both: every schema, exact row counts per table, the PDF bytes and their SHA-256,
   every CPR number decrypts with the same keys (and not with another key);
8. one jobcentre's schema restored on its own: its schema is dropped on the restored
   "production", then `pg_dump -n` from the point-in-time cluster and `pg_restore` bring it
   back (the other jobcentre untouched); and into a scratch database for a look first.

Exit status 0 only if every check held. `--keep` leaves the folder (and its logs).
"""

import argparse
import hashlib
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import suppress
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
STANZA = "virksomhedscenter"
DB = "virksomhedscenter"
PYTHON = sys.executable
# The settings of `make run` (DEBUG, the development keys): demo_setup needs DEBUG, and the
# restored database is read with the very same CPR_ENCRYPTION_KEY / CPR_HMAC_KEY.
APP_SETTINGS = "config.settings.local"
SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")


def say(msg: str) -> None:
    print(f"[restore-drill] {msg}", flush=True)


class DrillFailed(Exception):
    pass


def check(condition: bool, what: str) -> None:
    if not condition:
        raise DrillFailed(what)
    say(f"  ok: {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ensure_pgbackrest() -> None:
    """pgBackRest from Debian, installed the way scripts/system-deps.sh installs the others."""
    if shutil.which("pgbackrest"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        say("installerer pgbackrest (apt-get)")
        subprocess.run(["apt-get", "update", "-qq"], check=True)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "pgbackrest"],
            check=True,
            env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
            stdout=subprocess.DEVNULL,
        )
        return
    raise SystemExit("[restore-drill] mangler pgbackrest: sudo apt-get install pgbackrest")


class Drill:
    def __init__(self, work: Path, archive_timeout: int):
        self.work = work
        self.archive_timeout = archive_timeout
        self.as_postgres = os.geteuid() == 0  # initdb and the server refuse to run as root
        self.sock = work / "sock"
        self.conf = work / "pgbackrest.conf"
        self.clusters: list[Path] = []
        self.redis: subprocess.Popen | None = None
        self.timings: dict[str, float] = {}

    # --- running things ---------------------------------------------------------------

    def pg(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """A PostgreSQL or pgBackRest command, as the postgres user when we are root."""
        command = list(args)
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=True, env=self.clean_env(), **kwargs)

    def backrest(self, *args: str) -> subprocess.CompletedProcess:
        return self.pg("pgbackrest", *self.backrest_options(), *args, capture_output=True)

    def backrest_options(self) -> list[str]:
        # --config-include-path: only this file, never /etc/pgbackrest/conf.d of the machine.
        return [
            f"--config={self.conf}",
            f"--config-include-path={self.work / 'conf.d'}",
            f"--stanza={STANZA}",
        ]

    @staticmethod
    def clean_env() -> dict[str, str]:
        # No PGHOST/PGPORT/DATABASE_URL of the caller can point a command at a shared server.
        return {
            k: v for k, v in os.environ.items() if not k.startswith("PG") and k != "DATABASE_URL"
        }

    def app(self, port: int, *args: str, extra_env: dict | None = None) -> str:
        """A manage.py command, or this script's own app step, against the cluster on `port`."""
        env = {
            **self.clean_env(),
            "DJANGO_SETTINGS_MODULE": APP_SETTINGS,
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/{DB}",
            "REDIS_URL": f"unix://{self.work / 'redis.sock'}?db=0",
            "CELERY_QUEUE": "restore-drill",
            # Nothing may be written beside the database: checked at the end.
            "MEDIA_ROOT": str(self.work / "media"),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(self.work / "celerybeat-schedule"),
            "LOG_LEVEL": "WARNING",
            **(extra_env or {}),
        }
        command = [PYTHON, *args] if args[0].endswith(".py") else [PYTHON, "manage.py", *args]
        result = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            print(result.stdout, result.stderr, sep="\n", file=sys.stderr)
            raise DrillFailed(f"{' '.join(args)} fejlede (exit {result.returncode})")
        return result.stdout

    def app_step(self, port: int, step: str, extra_env: dict | None = None) -> dict:
        out = self.app(port, __file__, "app", step, extra_env=extra_env)
        return json.loads(out.strip().splitlines()[-1])

    def sql(self, port: int, query: str, params=(), db: str = DB):
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname=db, autocommit=True
        ) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else None

    # --- clusters ---------------------------------------------------------------------

    def mkdir(self, path: Path) -> Path:
        path.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(path, "postgres", "postgres")
        return path

    def write(self, path: Path, text: str) -> None:
        path.write_text(text)
        if self.as_postgres:
            shutil.chown(path, "postgres", "postgres")

    def start(self, data: Path, port: int) -> None:
        self.pg(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(self.work / f"{data.name}.log"),
            "-o",
            f"-p {port}",
            "-w",
            "-t",
            "600",
            "start",
            stdout=subprocess.DEVNULL,
        )
        self.clusters.append(data)

    def stop(self, data: Path, mode: str = "fast") -> None:
        self.pg(
            str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop",
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.clusters.remove(data)

    def stop_all(self) -> None:
        for data in list(self.clusters):
            with suppress(Exception):
                self.stop(data, "immediate")
        if self.redis is not None:
            self.redis.send_signal(signal.SIGTERM)
            with suppress(Exception):
                self.redis.wait(10)

    def wait_until_writable(self, port: int, timeout: float = 600) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with suppress(Exception):
                if self.sql(port, "SELECT pg_is_in_recovery()", db="postgres")[0][0] is False:
                    return
            time.sleep(0.1)
        raise DrillFailed(f"klyngen på port {port} blev ikke skrivbar")

    def setup_source(self) -> int:
        for sub in ("repo", "log", "lock", "spool", "conf.d", "sock", "media"):
            self.mkdir(self.work / sub)
        source = self.work / "source"
        port = free_port()
        self.write(
            self.conf,
            f"""[global]
repo1-path={self.work / "repo"}
repo1-retention-full=2
compress-type=zst
start-fast=y
log-path={self.work / "log"}
lock-path={self.work / "lock"}
spool-path={self.work / "spool"}
log-level-console=warn
log-level-file=info

[{STANZA}]
pg1-path={source}
pg1-port={port}
pg1-socket-path={self.sock}
""",
        )
        self.pg(
            str(PG_BIN / "initdb"), "-D", str(source), "-U", "postgres", "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", stdout=subprocess.DEVNULL,
        )  # fmt: skip
        archive_command = " ".join(["pgbackrest", *self.backrest_options(), "archive-push", "%p"])
        with (source / "postgresql.conf").open("a") as conf:
            conf.write(
                f"""
# restore drill (docs/operations.md, "pgBackRest")
listen_addresses = '127.0.0.1'
unix_socket_directories = '{self.sock}'
shared_buffers = 64MB
wal_level = replica
archive_mode = on
archive_command = '{archive_command}'
archive_timeout = {self.archive_timeout}
max_wal_senders = 3
"""
            )
        self.start(source, port)
        self.backrest("stanza-create")
        self.backrest("check")  # archive_command works: a WAL segment reached the repository
        say(f"kildeklynge på port {port}, pgBackRest-stanza '{STANZA}' oprettet og tjekket")
        self.sql(port, f'CREATE DATABASE "{DB}"', db="postgres")
        self.redis = subprocess.Popen(
            ["redis-server", "--port", "0", "--unixsocket", str(self.work / "redis.sock"),
             "--save", "", "--appendonly", "no", "--dir", str(self.work)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        return port

    # --- what a cluster holds ---------------------------------------------------------

    def row_counts(self, port: int) -> dict[str, int]:
        tables = self.sql(
            port,
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = "
            "c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname <> ALL(%s) "
            "AND n.nspname NOT LIKE 'pg_temp%%' ORDER BY 1, 2",
            [list(SYSTEM_SCHEMAS)],
        )
        counts = {}
        for schema, table in tables:
            query = f'SELECT count(*) FROM "{schema}"."{table}"'  # noqa: S608 - from the catalogue
            (count,) = self.sql(port, query)[0]
            counts[f"{schema}.{table}"] = count
        return counts

    def schemas(self, port: int) -> list[str]:
        rows = self.sql(
            port,
            "SELECT nspname FROM pg_namespace WHERE nspname <> ALL(%s) "
            "AND nspname NOT LIKE 'pg_t%%' ORDER BY 1",
            [list(SYSTEM_SCHEMAS)],
        )
        return [r[0] for r in rows]

    def state(self, port: int) -> dict:
        return {
            "schemas": self.schemas(port),
            "counts": self.row_counts(port),
            "app": self.app_step(port, "fingerprint"),
        }

    def compare(self, label: str, restored: dict, expected: dict, skip=()) -> None:
        say(f"tjek af {label}:")
        check(restored["schemas"] == expected["schemas"], f"alle skemaer: {expected['schemas']}")
        got = {k: v for k, v in restored["counts"].items() if k not in skip}
        want = {k: v for k, v in expected["counts"].items() if k not in skip}
        diff = {
            k: (want.get(k), got.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)
        }
        check(
            not diff,
            f"rækketal ens i alle {len(want)} tabeller ({sum(want.values())} rækker)"
            + (f"; forskelle (ventet, fundet): {diff}" if diff else ""),
        )
        for schema, fp in expected["app"].items():
            mine = restored["app"].get(schema)
            check(
                mine is not None and mine["documents"] == fp["documents"],
                f"{schema}: {len(fp['documents'])} kontrakt-PDF'er med samme bytes og SHA-256",
            )
            check(
                mine["cpr_digest"] == fp["cpr_digest"] and mine["cpr_ok"] == fp["cpr_count"],
                f"{schema}: alle {fp['cpr_count']} CPR-numre dekrypteres med de samme nøgler",
            )

    # --- the drill --------------------------------------------------------------------

    def restore(self, name: str, *options: str) -> tuple[int, Path, float]:
        target = self.mkdir(self.work / name)
        port = free_port()
        started = time.monotonic()
        # --archive-mode=off: a restored copy must never archive into the source's repository.
        self.backrest("restore", f"--pg1-path={target}", "--archive-mode=off", *options)
        copied = time.monotonic() - started
        self.start(target, port)
        self.wait_until_writable(port)
        total = time.monotonic() - started
        say(
            f"{name}: pgbackrest restore {copied:.1f} s, "
            f"start + WAL-afspilning {total - copied:.1f} s"
        )
        return port, target, total

    def run(self) -> dict:
        t = time.monotonic()
        port = self.setup_source()
        self.app(port, "migrate_schemas", "--noinput", "-v", "0")
        self.app(port, "demo_setup")
        first = self.app_step(port, "write")
        say(f"app-skemaer migreret, demo-jobcentre oprettet: {sorted(first)}")
        self.timings["opsætning"] = time.monotonic() - t

        t = time.monotonic()
        self.backrest("backup", "--type=full")
        self.timings["fuld backup"] = time.monotonic() - t
        info = json.loads(self.backrest("info", "--output=json").stdout)
        backup = info[0]["backup"][-1]
        say(
            f"fuld backup {backup['label']}: {backup['info']['size'] / 1e6:.1f} MB database, "
            f"{backup['info']['repository']['delta'] / 1e6:.1f} MB i repository "
            f"({self.timings['fuld backup']:.1f} s)"
        )

        self.app_step(port, "write")  # after the backup: only the WAL archive has these
        at_t = self.state(port)
        (point,) = self.sql(port, "SELECT clock_timestamp()")[0]
        time.sleep(1.5)
        self.app_step(port, "write")  # after T: the point-in-time restore must not have them
        latest = self.state(port)
        say(f"tidspunkt T = {point.isoformat()}; der er skrevet mere både før og efter T")

        last_tick = self.ticker(port, seconds=2 * self.archive_timeout + 3)
        self.stop(self.work / "source", "immediate")
        say(f"kilden dræbt (immediate); sidste committede række {last_tick.isoformat()}")

        lport, _ldata, rto = self.restore("restored-latest", "--type=default")
        self.timings["RTO (seneste)"] = rto
        say(f"gendannet til seneste i en ny klynge på {rto:.1f} s (RTO)")
        restored_latest = self.state(lport)
        self.compare(
            "gendannelse til seneste", restored_latest, latest, skip=("public.drill_tick",)
        )
        (restored_tick,) = self.sql(lport, "SELECT max(at) FROM public.drill_tick")[0]
        check(restored_tick is not None, "gendannelsen har rækker skrevet efter backuppen")
        rpo = (last_tick - restored_tick).total_seconds()
        say(f"sidste række i gendannelsen {restored_tick.isoformat()}: RPO {rpo:.1f} s")

        pport, _pdata, prto = self.restore(
            "restored-pitr", "--type=time",
            # pgBackRest reads milliseconds at most: T rounded down (T's rows are older).
            f"--target={point.isoformat(sep=' ', timespec='milliseconds')}",
            "--target-action=promote",
        )  # fmt: skip
        self.timings["RTO (tidspunkt T)"] = prto
        say(f"gendannet til T i en ny klynge på {prto:.1f} s (RTO)")
        self.compare(f"gendannelse til T ({point.isoformat()})", self.state(pport), at_t)

        self.wrong_key(lport)
        self.one_schema(source_port=pport, production_port=lport, at_t=at_t, latest=latest)
        check(not any((self.work / "media").iterdir()), "ingen filer skrevet uden for databasen")
        return {"rto": rto, "rto_pitr": prto, "rpo": rpo}

    def ticker(self, port: int, seconds: float) -> datetime:
        """Commit a row every 0.25 s; returns the time of the last one the source confirmed."""
        import psycopg

        last = None
        stop = time.monotonic() + seconds
        say(
            f"skriver en række hvert 0,25 s i {seconds:.0f} s "
            f"(archive_timeout {self.archive_timeout} s)"
        )
        with psycopg.connect(
            host="127.0.0.1", port=port, user="postgres", dbname=DB, autocommit=True
        ) as conn:
            conn.execute(
                "CREATE TABLE public.drill_tick (id bigserial PRIMARY KEY, "
                "at timestamptz NOT NULL DEFAULT clock_timestamp())"
            )
            while time.monotonic() < stop:
                last = conn.execute(
                    "INSERT INTO public.drill_tick DEFAULT VALUES RETURNING at"
                ).fetchone()[0]
                time.sleep(0.25)
        return last

    def wrong_key(self, port: int) -> None:
        from cryptography.fernet import Fernet

        result = self.app_step(
            port, "fingerprint", extra_env={"CPR_ENCRYPTION_KEY": Fernet.generate_key().decode()}
        )
        check(
            all(fp["cpr_ok"] == 0 for fp in result.values()),
            "med en anden CPR_ENCRYPTION_KEY dekrypteres intet: nøglerne skal sikres for sig",
        )

    def one_schema(
        self, *, source_port: int, production_port: int, at_t: dict, latest: dict
    ) -> None:
        """One jobcentre's schema from the point-in-time copy back into "production"."""
        schema, other = "skive", "middelfart"
        dump = self.work / f"{schema}.dump"
        conn = ["--host=127.0.0.1", "--username=postgres"]
        t = time.monotonic()
        subprocess.run(
            [str(PG_BIN / "pg_dump"), *conn, f"--port={source_port}", "--format=custom",
             f"--schema={schema}", f"--file={dump}", DB],
            check=True, env=self.clean_env(),
        )  # fmt: skip
        # A look first, in a scratch database beside production. A schema's dump does not
        # carry the extensions its tables use (btree_gist for the no-overlap constraints):
        # the scratch database gets those of the source first.
        self.sql(production_port, 'CREATE DATABASE "restore_scratch"', db="postgres")
        for (extension,) in self.sql(
            source_port, "SELECT extname FROM pg_extension WHERE extname <> 'plpgsql'"
        ):
            self.sql(production_port, f'CREATE EXTENSION "{extension}"', db="restore_scratch")
        subprocess.run(
            [str(PG_BIN / "pg_restore"), *conn, f"--port={production_port}",
             "--dbname=restore_scratch", "--exit-on-error", "--no-owner", str(dump)],
            check=True, env=self.clean_env(),
        )  # fmt: skip
        (scratch,) = self.sql(
            production_port,
            f'SELECT count(*) FROM "{schema}".contracts_contractdocument',  # noqa: S608 - fixed
            db="restore_scratch",
        )[0]
        # The accident: the jobcentre's schema is gone from production.
        self.sql(production_port, f'DROP SCHEMA "{schema}" CASCADE')
        subprocess.run(
            [str(PG_BIN / "pg_restore"), *conn, f"--port={production_port}", f"--dbname={DB}",
             "--exit-on-error", "--single-transaction", "--no-owner", str(dump)],
            check=True, env=self.clean_env(),
        )  # fmt: skip
        self.timings[f"ét skema ({schema})"] = time.monotonic() - t
        now = self.state(production_port)
        say(f"tjek af skemaet {schema} gendannet alene (fra T) i produktion:")

        def part(state: dict, name: str) -> dict:
            return {k: v for k, v in state["counts"].items() if k.startswith(f"{name}.")}

        check(
            scratch == len(at_t["app"][schema]["documents"]),
            f"{schema} i en kladdedatabase: {scratch} kontraktdokumenter",
        )
        check(part(now, schema) == part(at_t, schema), f"{schema}: rækketal som ved T")
        check(now["app"][schema] == at_t["app"][schema], f"{schema}: PDF'er og CPR-numre som ved T")
        check(
            part(now, other) == part(latest, other) and now["app"][other] == latest["app"][other],
            f"{other}: urørt (som seneste)",
        )


# --- app steps, run inside Django against the cluster DATABASE_URL names ------------------


def app_main(step: str) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django_tenants.utils import schema_context

    from tenants.models import Jobcenter

    result = {}
    for jobcenter in Jobcenter.objects.exclude(schema_name="public").order_by("schema_name"):
        with schema_context(jobcenter.schema_name):
            result[jobcenter.schema_name] = (app_write if step == "write" else app_fingerprint)()
    print(json.dumps(result))


def app_write() -> dict:
    """A candidate (its CPR encrypted) and a contract PDF rendered into the database."""
    import random

    from django.core.exceptions import ValidationError

    from accounts.models import User
    from candidates.services import candidate_create
    from contracts.models import Contract, ContractDocument
    from contracts.services import contract_document_render

    user = User.objects.filter(is_active=True).order_by("pk").first()
    for _attempt in range(20):
        cpr = f"{random.randint(1, 28):02d}{random.randint(1, 12):02d}{random.randint(60, 99)}"
        cpr += f"{random.randint(0, 3)}{random.randint(0, 999):03d}"
        try:
            candidate = candidate_create(
                cpr=cpr, name="Øvelse Gendannelse", benefit="kontanthjaelp", acting_user=user
            )
            break
        except ValidationError:
            continue
    contract = Contract.objects.order_by("?").first()
    document = ContractDocument.objects.create(contract=contract, version=1, kind="preview")
    document = contract_document_render(document_id=document.pk)
    if document.state != "done":
        raise SystemExit(f"PDF'en blev ikke dannet: {document.message}")
    return {"candidate": candidate.pk, "document": document.pk, "bytes": document.size_bytes}


def app_fingerprint() -> dict:
    """What must survive: each PDF's bytes (hashed here, not trusting the stored hash) and
    every CPR number, decrypted and checked against its blind index (never printed)."""
    from django.core.exceptions import ImproperlyConfigured
    from django.db import connection

    from candidates.cpr_crypto import cpr_decrypt, cpr_hmac
    from candidates.models import Candidate
    from contracts.models import ContractDocument

    documents = []
    for pk, content, sha256 in (
        ContractDocument.objects.filter(state="done")
        .order_by("pk")
        .values_list("pk", "content", "sha256")
    ):
        actual = hashlib.sha256(bytes(content)).hexdigest()
        documents.append([pk, actual, actual == sha256, len(content)])
    digest, ok, count = hashlib.sha256(), 0, 0
    with connection.cursor() as cursor:  # the stored tokens, not the field's decrypted value
        cursor.execute(
            f"SELECT id, cpr, cpr_hmac FROM {Candidate._meta.db_table} "  # noqa: S608 - the model
            "WHERE cpr IS NOT NULL ORDER BY id"
        )
        rows = cursor.fetchall()
    for pk, token, index in rows:
        count += 1
        with suppress(ImproperlyConfigured):
            cpr = cpr_decrypt(token)
            if cpr_hmac(cpr) == index:
                ok += 1
                digest.update(f"{pk}:{cpr};".encode())
    return {
        "documents": documents,
        "cpr_count": count,
        "cpr_ok": ok,
        "cpr_digest": digest.hexdigest(),
    }


def main() -> int:
    if sys.argv[1:2] == ["app"]:
        app_main(sys.argv[2])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--archive-timeout", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="leave the folder and its logs")
    args = parser.parse_args()
    if not (PG_BIN / "initdb").exists():
        raise SystemExit(f"[restore-drill] PostgreSQL 15's programs are missing in {PG_BIN}")
    ensure_pgbackrest()
    work = Path(tempfile.mkdtemp(prefix="vc-restore-drill-"))
    if os.geteuid() == 0:
        pwd.getpwnam("postgres")
        shutil.chown(work, "postgres", "postgres")
    drill = Drill(work, args.archive_timeout)
    say(f"arbejdsmappe {work} (private klynger; maskinens PostgreSQL og Redis røres ikke)")
    started = time.monotonic()
    try:
        result = drill.run()
    except (DrillFailed, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", None)
        say(f"FEJLET: {exc}" + (f"\n{detail.decode(errors='replace')}" if detail else ""))
        say(f"logfiler i {work}")
        drill.stop_all()
        return 1
    finally:
        drill.stop_all()
    for name, seconds in drill.timings.items():
        say(f"{name:<22} {seconds:6.1f} s")
    say(f"hele øvelsen             {time.monotonic() - started:6.1f} s")
    print(
        f"RTO {result['rto']:.1f} s (seneste), {result['rto_pitr']:.1f} s (tidspunkt); "
        f"RPO {result['rpo']:.1f} s (archive_timeout {args.archive_timeout} s)",
        flush=True,
    )
    if args.keep:
        say(f"mappen bevares: {work}")
    else:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
