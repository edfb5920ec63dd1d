#!/usr/bin/env python
"""A bounded load against a real gunicorn process (issue 19, finding 4).

    DATABASE_URL=... REDIS_URL=... DJANGO_SETTINGS_MODULE=config.settings.local \\
        .venv/bin/python scripts/load_test.py --schema skive [--clients 20] [--seconds 30]

Commits a small world in the jobcentre's schema (a centre, 10 placed candidates, a
jobkonsulent and a mentor, named "Lasttest ..."), starts gunicorn with config/gunicorn.py on a
free loopback port, and lets `clients` threads alternate between the candidate list (as the
jobkonsulent) and an attendance save (as the mentor, a random candidate and day) for
`seconds`. Meanwhile it counts the gunicorn's connections in pg_stat_activity (they carry
application_name "vc-loadtest"). Prints requests, errors (5xx or no answer), p50/p95 per
page and the most connections seen; removes the world and stops gunicorn again.
tests/foundation/test_load.py runs a shorter one.
"""

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
APP_NAME = "vc-loadtest"
PREFIX = "Lasttest"


@dataclass
class Result:
    clients: int
    seconds: float
    requests: dict = field(default_factory=dict)  # page -> [latency seconds]
    errors: list = field(default_factory=list)  # (page, status or exception text)
    max_connections: int = 0
    bound: int = 0

    @property
    def total(self) -> int:
        return sum(len(v) for v in self.requests.values())

    def report(self) -> str:
        lines = [
            f"{self.clients} clients, {self.seconds:.0f} s: {self.total} requests, "
            f"{len(self.errors)} errors; most PostgreSQL connections of gunicorn seen: "
            f"{self.max_connections} (bound: workers x pool = {self.bound})"
        ]
        for page, times in sorted(self.requests.items()):
            ms = sorted(t * 1000 for t in times)
            p95 = ms[max(0, int(len(ms) * 0.95) - 1)] if ms else 0
            lines.append(
                f"  {page}: {len(ms)} requests, p50 {statistics.median(ms) if ms else 0:.0f} ms,"
                f" p95 {p95:.0f} ms"
            )
        for page, what in self.errors[:10]:
            lines.append(f"  error: {page}: {what}")
        return "\n".join(lines)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def world_create(schema: str) -> dict:
    """The world of the load, committed in `schema` (factory_boy: a development tool)."""
    from django_tenants.utils import schema_context

    from accounts.services import user_create
    from codes import clock
    from mentors.models import Mentor
    from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

    today = clock.today()
    tag = f"{os.getpid()}-{int(time.time())}"
    with schema_context(schema):
        centre = CentreFactory(name=f"{PREFIX} {tag}")
        contract = ContractFactory(
            centre=centre,
            start=today - timedelta(days=120),
            end=today + timedelta(days=300),
            places=10,
        )
        courses = [
            CourseFactory(
                contract=contract,
                place=contract.place_set.get(number=n + 1),
                candidate=CandidateFactory(name=f"{PREFIX} Kandidat {n + 1}"),
                start=today - timedelta(days=60),
                hours_per_week=Decimal(20),
            )
            for n in range(10)
        ]
        konsulent = user_create(
            email=f"lasttest-konsulent-{tag}@example.invalid", password=None, roles=["jobkonsulent"]
        )
        mentor_user = user_create(
            email=f"lasttest-mentor-{tag}@example.invalid", password=None, roles=["mentor"]
        )
        mentor = Mentor.objects.create(user=mentor_user, company=centre.company)
        mentor.centres.set([centre])
    from tenants.models import Jobcenter

    tenant = Jobcenter.objects.get(schema_name=schema)
    host = tenant.get_primary_domain().domain
    return {
        "schema": schema,
        "host": host,
        "today": today,
        "centre": centre,
        "contract": contract,
        "courses": courses,
        "konsulent": konsulent,
        "mentor": mentor,
    }


def world_delete(world: dict) -> None:
    from django.db import connection, transaction
    from django_tenants.utils import schema_context

    from audit.models import AuditEvent

    with schema_context(world["schema"]):
        emails = [world["konsulent"].email, world["mentor"].user.email]
        with transaction.atomic():
            with connection.cursor() as cursor:  # the log is append-only but for retention
                cursor.execute("SELECT set_config('audit.retention', 'on', true)")
            AuditEvent.objects.filter(actor_label__in=emails).delete()
        for course in world["courses"]:
            candidate = course.candidate
            course.delete()
            candidate.delete()
        world["contract"].delete()
        world["centre"].delete()
        user = world["mentor"].user
        world["mentor"].delete()
        user.delete()
        world["konsulent"].delete()
        world["centre"].company.delete()


def gunicorn_start(*, port: int, env: dict, log=None, app_name: str = APP_NAME) -> subprocess.Popen:
    """gunicorn with config/gunicorn.py on 127.0.0.1:`port`, once it accepts connections;
    its output to `log` (an open file) when given."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-c",
            "config/gunicorn.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--access-logfile",
            "/dev/null",
            "config.wsgi:application",
        ],
        cwd=ROOT,
        env={**env, "PGAPPNAME": app_name},
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("gunicorn did not answer within 60 s")


def gunicorn_stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def connections_of_gunicorn() -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE application_name = %s AND datname = current_database()",
            [APP_NAME],
        )
        return cursor.fetchone()[0]


def connection_bound(env: dict) -> int:
    """The most connections gunicorn started with `env` may open: workers x pool size."""
    from django.conf import settings

    pool = settings.DATABASES["default"]["OPTIONS"].get("pool") or {}
    workers = int(env.get("GUNICORN_WORKERS", "3"))
    threads = int(env.get("GUNICORN_THREADS", "4"))
    return workers * min(threads, int(env.get("DB_POOL_MAX_SIZE", pool.get("max_size", threads))))


def load_run(*, world: dict, port: int, clients: int, seconds: float, bound: int) -> Result:
    """`clients` threads for `seconds` against gunicorn at `port`; the pg_stat_activity count."""
    from django.db import connections

    from tests.live import LiveClient

    result = Result(clients=clients, seconds=seconds, bound=bound)
    host, schema = world["host"], world["schema"]
    konsulent = LiveClient(port, schema, host).login(world["konsulent"])
    mentor = LiveClient(port, schema, host).login(world["mentor"].user)
    # Warm-up, not counted: each gunicorn worker imports the URL conf and compiles the
    # templates on its first requests.
    for _ in range(4):
        konsulent.get("/kandidater/")
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    done = threading.Event()

    def sample():
        try:
            while not done.is_set():
                result.max_connections = max(result.max_connections, connections_of_gunicorn())
                time.sleep(0.1)
        finally:
            connections.close_all()

    def client(i: int):
        rng = random.Random(i)
        n = i  # half the clients begin with each page
        while time.monotonic() < stop:
            n += 1
            if n % 2:
                page, call = "candidate list", lambda: konsulent.get("/kandidater/")
            else:
                course = rng.choice(world["courses"])
                day = world["today"] - timedelta(days=rng.randint(1, 40))
                status = rng.choice(["present", "sick", "absent", "agreed_absence"])
                data = {"date": day.isoformat(), "status": status, "hours": "5"}
                url = f"/mentor/forloeb/{course.pk}/fremmoede/"
                page, call = (
                    "attendance save",
                    lambda url=url, data=data: mentor.post(url, data, {"HX-Request": "true"}),
                )
            started = time.monotonic()
            try:
                status_code = call().status
            except Exception as exc:  # no answer at all counts as an error
                status_code = f"{type(exc).__name__}: {exc}"
            took = time.monotonic() - started
            with lock:
                result.requests.setdefault(page, []).append(took)
                if not isinstance(status_code, int) or status_code >= 500:
                    result.errors.append((page, status_code))

    sampler = threading.Thread(target=sample)
    sampler.start()
    threads_ = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads_:
        thread.start()
    for thread in threads_:
        thread.join()
    done.set()
    sampler.join()
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", required=True, help="the jobcentre's schema")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=30)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    import django

    django.setup()
    world = world_create(args.schema)
    port = _free_port()
    env = dict(os.environ)
    proc = gunicorn_start(port=port, env=env)
    try:
        result = load_run(
            world=world,
            port=port,
            clients=args.clients,
            seconds=args.seconds,
            bound=connection_bound(env),
        )
    finally:
        gunicorn_stop(proc)
        world_delete(world)
    print(result.report())
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
