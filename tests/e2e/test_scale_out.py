"""More than one machine (issue 29): two web processes behind a real haproxy, a real PgBouncer
in session mode in front of PostgreSQL, all on loopback, and the browser through them.

What is started (Debian's haproxy and pgbouncer, scripts/system-deps.sh):
- PgBouncer with the [pgbouncer] section of deploy/pgbouncer.ini (session mode, DISCARD ALL),
  its addresses and authentication replaced for loopback, and a pool of only 2 server
  connections: every request of both jobcentres goes over the same 2 PostgreSQL sessions;
- two gunicorn processes ("machines": each its own master, port and metrics directory),
  DB_POOL=0 and CONN_MAX_AGE=0, so every request is a new PgBouncer client that gets a
  server connection the other jobcentre used before;
- haproxy with deploy/haproxy.cfg as it ships (round robin, /readyz checks, X-Request-ID,
  X-Served-By naming the process that answered, /metrics refused).

Then a mentor of alpha logs in (the login form and its CSRF token), saves attendance by
htmx and downloads the centre's CSV, and each kind of request is answered by both
processes; a mentor of beta works at the same time; and 40 alternating requests of the two
jobcentres each see their own candidates only. The request id haproxy gave a save is in
the JSON log line of the process that answered, with the tenant; /metrics of a process
(with its token) counts the saves of all its workers. The app has no upload page (the
import reads a file on the server, README), so there is no upload to send through them.
Ports: free ones in SCALE_OUT_PORTS (8600-8699 unless set).
"""

import configparser
import json
import os
import random
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from tests.conftest import PASSWORD, ROOT, TENANTS, subprocess_env
from tests.e2e.conftest import audit_events_delete, log_in
from tests.foundation.test_load import load_test
from tests.live import LiveClient

pytestmark = pytest.mark.django_db
expect = pytest.importorskip("playwright.sync_api").expect

NAMES = {
    "alpha": ["Skalering Alfa Aksel", "Skalering Alfa Bodil"],
    "beta": ["Skalering Beta Cecilie", "Skalering Beta Dan"],
}
EMAIL = "e2e-skalering-{schema}@{schema}.test"
METRICS_TOKEN = "scale-out-metrics-token"
POOL_SIZE = 2


def free_port() -> int:
    """A free loopback port in SCALE_OUT_PORTS ("8600-8699"), tried in random order."""
    low, high = (int(p) for p in os.environ.get("SCALE_OUT_PORTS", "8600-8699").split("-"))
    ports = list(range(low, high + 1))
    random.shuffle(ports)
    for port in ports:
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"no free port in {low}-{high}")


def wait_port(proc: subprocess.Popen, port: int, what: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"{what} exited with {proc.returncode}: {log.read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{what} did not listen on {port} within 60 s")


def binary(name: str) -> str:
    found = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin")
    if not found:
        pytest.fail(f"{name} is missing: apt-get install {name} (scripts/system-deps.sh)")
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # noqa: ARG001 - a fixture asked for its effect
    """In alpha and beta: a centre, two placed candidates and their mentor; committed."""
    from accounts.services import user_create
    from mentors.models import Mentor
    from tests.factories import CandidateFactory, CentreFactory, ContractFactory, CourseFactory

    today = timezone.localdate()  # the servers' own clock: other processes
    made = {}
    with django_db_blocker.unblock():
        for schema, names in NAMES.items():
            with schema_context(schema):
                centre = CentreFactory(name=f"Skalering {schema}")
                contract = ContractFactory(
                    centre=centre, start=today - timedelta(days=60), end=today + timedelta(days=300)
                )
                courses = [
                    CourseFactory(
                        contract=contract,
                        place=contract.place_set.get(number=n + 1),
                        candidate=CandidateFactory(name=name),
                        start=today - timedelta(days=14),
                        hours_per_week=Decimal(20),
                    )
                    for n, name in enumerate(names)
                ]
                email = EMAIL.format(schema=schema)
                user = user_create(email=email, password=PASSWORD, roles=["mentor"])
                mentor = Mentor.objects.create(user=user, company=centre.company)
                mentor.centres.set([centre])
                made[schema] = {
                    "centre": centre,
                    "contract": contract,
                    "courses": courses,
                    "mentor": mentor,
                    "email": email,
                }
    try:
        yield {"today": today, **made}
    finally:
        with django_db_blocker.unblock():
            for schema, spec in made.items():
                with schema_context(schema):
                    audit_events_delete(actor_label=spec["email"])
                    for course in spec["courses"]:
                        candidate = course.candidate
                        course.delete()
                        candidate.delete()
                    spec["contract"].delete()
                    spec["centre"].delete()
                    user = spec["mentor"].user
                    spec["mentor"].delete()
                    user.delete()
                    spec["centre"].company.delete()


@pytest.fixture(scope="module")
def workdir():
    """Readable by the postgres user (PgBouncer drops root for it): not pytest's tmp dir."""
    path = Path(tempfile.mkdtemp(prefix="vc-scale-out-"))
    path.chmod(0o755)  # noqa: S103 - PgBouncer runs as postgres and must read its config
    yield path
    shutil.rmtree(path, ignore_errors=True)


def pgbouncer_config(*, port: int, workdir: Path) -> Path:
    """deploy/pgbouncer.ini's [pgbouncer] section, with loopback addresses, trust
    authentication (the test server trusts loopback) and a pool of POOL_SIZE."""
    shipped = configparser.ConfigParser()
    shipped.read(ROOT / "deploy" / "pgbouncer.ini")
    settings = dict(shipped["pgbouncer"])
    assert settings["pool_mode"] == "session"
    db = connection.settings_dict
    host = db.get("HOST") or db.get("OPTIONS", {}).get("host") or "127.0.0.1"
    target = f"host={host} port={db.get('PORT') or 5432} user={db['USER']}"
    if db.get("PASSWORD"):
        target += f" password={db['PASSWORD']}"
    auth_file = workdir / "userlist.txt"
    auth_file.write_text(f'"{db["USER"]}" ""\n')
    settings.update(
        listen_addr="127.0.0.1",
        listen_port=str(port),
        unix_socket_dir="",
        auth_type="trust",
        auth_file=str(auth_file),
        admin_users=db["USER"],
        stats_users=db["USER"],
        default_pool_size=str(POOL_SIZE),
        reserve_pool_size="0",
        max_client_conn="200",
    )
    if os.geteuid() == 0:
        settings["user"] = "postgres"  # PgBouncer refuses to run as root
    lines = ["[databases]", f"* = {target}", "", "[pgbouncer]"]
    lines += [f"{key} = {value}" for key, value in settings.items()]
    path = workdir / "pgbouncer.ini"
    path.write_text("\n".join(lines) + "\n")
    path.chmod(0o644)
    auth_file.chmod(0o644)
    return path


def pgbouncer_servers(port: int, db: dict) -> list[dict]:
    """PgBouncer's admin console: its server connections to the test database `db`."""
    import psycopg

    with psycopg.connect(
        host="127.0.0.1", port=port, dbname="pgbouncer", user=db["USER"], autocommit=True
    ) as admin:
        cursor = admin.execute("SHOW SERVERS")
        columns = [c.name for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return [row for row in rows if row["database"] == db["NAME"]]


@pytest.fixture(scope="module")
def stack(world, workdir, django_db_blocker):  # noqa: ARG001 - world first: removed last
    """PgBouncer, two gunicorn processes and haproxy; yields their ports and log files."""
    pgb_port, web_ports, lb_port = free_port(), [free_port(), free_port()], free_port()
    while len({pgb_port, lb_port, *web_ports}) < 4:
        web_ports = [free_port(), free_port()]
    procs: list[subprocess.Popen] = []
    logs = {name: workdir / f"{name}.log" for name in ("pgbouncer", "web1", "web2", "haproxy")}
    try:
        with open(logs["pgbouncer"], "w") as log:
            config = pgbouncer_config(port=pgb_port, workdir=workdir)
            procs.append(
                subprocess.Popen([binary("pgbouncer"), str(config)], stdout=log, stderr=log)
            )
        wait_port(procs[-1], pgb_port, "pgbouncer", logs["pgbouncer"])

        with django_db_blocker.unblock():
            base_env = subprocess_env()
        # The test database through PgBouncer (a socket directory in the query dropped).
        url = urlsplit(base_env["DATABASE_URL"])
        user = connection.settings_dict["USER"]
        through_pgbouncer = urlunsplit(
            url._replace(netloc=f"{user}@127.0.0.1:{pgb_port}", query="")
        )
        for n, port in enumerate(web_ports, start=1):
            env = {
                **base_env,
                "DATABASE_URL": through_pgbouncer,
                "DB_POOL": "0",
                "CONN_MAX_AGE": "0",
                "GUNICORN_WORKERS": "1",
                "GUNICORN_THREADS": "4",
                "METRICS_TOKEN": METRICS_TOKEN,
                "LOG_FORMAT": "json",
                "LOG_LEVEL": "INFO",
            }
            env.pop("PROMETHEUS_MULTIPROC_DIR", None)  # each process its own (gunicorn.py)
            with open(logs[f"web{n}"], "w") as log:
                procs.append(
                    load_test.gunicorn_start(port=port, env=env, log=log, app_name=f"vc-web{n}")
                )

        haproxy_env = {
            **os.environ,
            "HAPROXY_BIND": f"127.0.0.1:{lb_port}",
            "WEB1": f"127.0.0.1:{web_ports[0]}",
            "WEB2": f"127.0.0.1:{web_ports[1]}",
        }
        with open(logs["haproxy"], "w") as log:
            procs.append(
                subprocess.Popen(
                    [binary("haproxy"), "-db", "-f", str(ROOT / "deploy" / "haproxy.cfg")],
                    env=haproxy_env,
                    stdout=log,
                    stderr=log,
                )
            )
        # Each process's first request imports the URLs and compiles the templates: on a
        # shared machine it may take a minute; made once directly, before haproxy's turn.
        for port in web_ports:
            warm_deadline = time.monotonic() + 300
            while served_by(port, "/konto/login/", timeout=300) != "status 200":
                if time.monotonic() > warm_deadline:
                    pytest.fail(f"gunicorn on {port} did not answer the login page")
                time.sleep(1)
        wait_port(procs[-1], lb_port, "haproxy", logs["haproxy"])
        # Both processes in service (their /readyz through PgBouncer answered haproxy).
        seen: set[str] = set()
        deadline = time.monotonic() + 180
        while seen != {"web1", "web2"}:
            if time.monotonic() > deadline:
                tails = {name: log.read_text()[-1500:] for name, log in logs.items()}
                pytest.fail(f"haproxy did not use both processes: {seen}; logs: {tails}")
            try:
                answer = served_by(lb_port, "/konto/login/")
            except OSError:
                time.sleep(0.5)
                continue
            # Until haproxy's first health checks pass it answers 503 itself: not a process,
            # wait on (a 503 kept in `seen` made the set never equal the two processes).
            if answer in {"web1", "web2"}:
                seen.add(answer)
            else:
                time.sleep(0.5)
        yield {
            "lb": lb_port,
            "web": web_ports,
            "pgbouncer": pgb_port,
            "logs": logs,
        }
    finally:
        for proc in reversed(procs):
            load_test.gunicorn_stop(proc)  # terminate, then kill after 30 s: any process
        # Shown with a failure: which request took how long where (haproxy's timers).
        print("\n".join(logs["haproxy"].read_text().splitlines()[-40:]))


def served_by(port: int, path: str, host: str = TENANTS["alpha"]["domain"], timeout=60) -> str:
    """The process haproxy names for the answer, or "status N" without one (a direct call)."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Host": f"{host}:{port}"})
        response = conn.getresponse()
        response.read()
        return response.getheader("X-Served-By") or f"status {response.status}"
    finally:
        conn.close()


def request_lines(log: Path) -> list[dict]:
    lines = []
    for raw in log.read_text().splitlines():
        try:
            entry = json.loads(raw)
        except ValueError:
            continue
        if entry.get("logger") == "virksomhedscenter.request":
            lines.append(entry)
    return lines


def status_of(schema, course, day):
    from mentors.models import Attendance

    with schema_context(schema):
        row = Attendance.objects.filter(course_id=course.pk, date=day).first()
    return row.status if row else None


def test_two_web_processes_behind_haproxy_and_pgbouncer_in_a_browser(
    stack, world, browser, django_db_blocker
):
    lb = stack["lb"]
    base = {schema: f"http://{TENANTS[schema]['domain']}:{lb}" for schema in NAMES}
    answered: dict[str, set[str]] = {}
    request_ids: dict[str, str] = {}

    def watch(kind_of):
        def on_response(response):
            kind = kind_of(response)
            if kind:
                server = response.headers.get("x-served-by")
                answered.setdefault(kind, set()).add(server)
                if kind == "htmx save":
                    request_ids[response.headers["x-request-id"]] = server

        return on_response

    def kind_of(response):
        request = response.request
        if request.url.endswith("/konto/login/") and request.method == "POST":
            return "login"
        if request.method == "POST" and request.headers.get("hx-request") == "true":
            return "htmx save"
        if request.resource_type == "document":
            return "page"
        return None

    contexts = {}
    pages = {}
    for schema in NAMES:
        contexts[schema] = browser.new_context(locale="da-DK")
        pages[schema] = contexts[schema].new_page()
        pages[schema].set_default_timeout(60_000)
        pages[schema].on("response", watch(kind_of))
        # The login form: its CSRF token from one process, the POST to whichever answers.
        log_in(pages[schema], base[schema], world[schema]["email"], PASSWORD)

    alpha, beta = pages["alpha"], pages["beta"]
    today = world["today"]
    # htmx saves until both processes answered each jobcentre's (round robin: one request
    # each, so consecutive saves alternate); each save is in the database at once.
    statuses = [("Syg", "sick"), ("Mødt", "present")]
    saved_by: dict[str, set] = {schema: set() for schema in NAMES}
    # One jobcentre's saves in a row, then the other's: two clients in lockstep would each
    # keep meeting the same process.
    for schema, page in (("alpha", alpha), ("beta", beta)):
        for n in range(8):
            if saved_by[schema] == {"web1", "web2"}:
                break
            label, code = statuses[n % 2]
            with page.expect_response(lambda r: r.request.method == "POST") as saved:
                page.locator("li.att-row").first.get_by_role("button", name=label).click()
            page.locator("li.att-row").first.get_by_text(f"Gemt: {label}").wait_for()
            saved_by[schema].add(saved.value.headers.get("x-served-by"))
            with django_db_blocker.unblock():
                assert status_of(schema, world[schema]["courses"][0], today) == code
    assert saved_by == {"alpha": {"web1", "web2"}, "beta": {"web1", "web2"}}
    # Each jobcentre's page, loaded again (from either process): its own candidates only.
    for _ in range(2):
        for schema, page in (("alpha", alpha), ("beta", beta)):
            page.reload()
            for own in NAMES[schema]:
                expect(page.locator("main")).to_contain_text(own)
            for other in NAMES["beta" if schema == "alpha" else "alpha"]:
                expect(page.locator("main")).not_to_contain_text(other)

    # Downloads: the centre's attendance CSV, fetched by the page (its session cookie, its
    # host), until both processes have sent it.
    csv_url = f"{base['alpha']}/mentor/center/{world['alpha']['centre'].pk}/fremmoede.csv"
    downloads = set()
    for _ in range(8):
        status, server, content_type, disposition, body = alpha.evaluate(
            """async url => { const r = await fetch(url);
                return [r.status, r.headers.get('x-served-by'), r.headers.get('content-type'),
                        r.headers.get('content-disposition'), await r.text()]; }""",
            csv_url,
        )
        assert status == 200, status
        assert content_type.startswith("text/csv") and disposition.startswith("attachment")
        assert NAMES["alpha"][0] in body
        assert not any(name in body for name in NAMES["beta"])
        downloads.add(server)
        if downloads == {"web1", "web2"}:
            break
    answered["download"] = downloads
    for context in contexts.values():
        context.close()

    for kind in ("page", "htmx save", "download"):
        assert answered.get(kind) == {"web1", "web2"}, (kind, answered)
    assert answered["login"] <= {"web1", "web2"} and len(answered["login"]) >= 1

    # The JSON log line of a save, in the process that answered it: the id haproxy gave,
    # the jobcentre and the user's id; neither a name nor an e-mail address in any line.
    logs = {name: request_lines(stack["logs"][name]) for name in ("web1", "web2")}
    request_id, server = next(iter(request_ids.items()))
    (line,) = [entry for entry in logs[server] if entry["request_id"] == request_id]
    assert line["tenant"] in NAMES
    assert line["view"] == "mentors:attendance_save"
    assert line["user_id"] == world[line["tenant"]]["mentor"].user.pk
    everything = stack["logs"]["web1"].read_text() + stack["logs"]["web2"].read_text()
    for name in NAMES["alpha"] + NAMES["beta"]:
        assert name not in everything
    assert "e2e-skalering" not in everything


def test_one_jobcentre_never_sees_anothers_data_through_the_pooler(stack, world, django_db_blocker):
    """40 requests of alpha and beta in turn, from 4 threads, over 2 PgBouncer server
    connections: each answer has its own jobcentre's candidates and none of the other's."""
    lb = stack["lb"]
    with django_db_blocker.unblock():
        clients = {
            schema: LiveClient(lb, schema).login(world[schema]["mentor"].user) for schema in NAMES
        }
    problems: list[str] = []
    servers_seen: set[int] = set()
    done = threading.Event()
    db = dict(connection.settings_dict)

    def sample():
        while not done.is_set():
            servers = pgbouncer_servers(stack["pgbouncer"], db)
            servers_seen.update(row["remote_pid"] for row in servers)
            time.sleep(0.1)

    def work(i: int):
        for n in range(10):
            schema = ("alpha", "beta")[(i + n) % 2]
            response = clients[schema].get("/mentor/")
            other = "beta" if schema == "alpha" else "alpha"
            if response.status != 200:
                problems.append(f"{schema}: {response.status}")
            elif not all(name in response.body for name in NAMES[schema]):
                problems.append(f"{schema}: own candidates missing")
            elif any(name in response.body for name in NAMES[other]):
                problems.append(f"{schema} saw {other}'s candidates")

    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    done.set()
    sampler.join()
    assert problems == []
    # Every one of those requests was a new PgBouncer client, and at most POOL_SIZE
    # PostgreSQL sessions served them all: each served both jobcentres in turn.
    assert 0 < len(servers_seen - {None, 0}) <= POOL_SIZE


def test_metrics_per_process_with_the_token_and_never_through_the_entrance(stack):
    import http.client

    def get(port, path, token=None):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Host": f"10.0.0.1:{port}"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        try:
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            return response.status, response.read().decode()
        finally:
            conn.close()

    assert get(stack["lb"], "/metrics", METRICS_TOKEN)[0] == 404  # the entrance refuses it
    assert get(stack["web"][0], "/metrics")[0] == 401
    status, text = get(stack["web"][0], "/metrics", METRICS_TOKEN)
    assert status == 200
    assert "vc_http_request_duration_seconds_bucket" in text
    assert 'vc_job_runs{kind="contracts.contractdocument",state="failed"}' in text
    assert get(stack["web"][1], "/livez")[0] == 200
    assert get(stack["web"][1], "/readyz")[0] == 200
