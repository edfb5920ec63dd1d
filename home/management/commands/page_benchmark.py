"""Benchmark the pages at Copenhagen scale against a floor page, served as production serves.

    python manage.py page_benchmark [--scale copenhagen|small] [--seconds 5] [--rounds 3]

Builds (or reuses) kpi_benchmark's jobcentre `kpibench_<scale>` (150 centres, 1,200 places,
60,000 courses, 3 M attendance rows) and adds what the daily pages show: a user of every role
(the jobkonsulent with 10 centres of their own, a mentor of 3 centres), this year's contracts
with a running course on every place and its attendance and follow-up notes, 600 waiting
referrals, mentor hours, 1 M audit events and four months of billing statements (the bulk
rows by INSERT ... SELECT generate_series). The key figures of the dashboard's default period
are stored.

Then it starts gunicorn with config/gunicorn.py and production settings on a free loopback
port (scripts/load_test.py) and loads each page with wrk at --connections (20), each page run
between two runs of the floor (`home:blank`, a login-required page of the same jobcentre:
the full middleware stack and the base layout with its navigation, an empty content block;
a round is floor, page, floor, page, ..., floor, and a page is compared with the mean of the
floor's runs on either side), for --rounds rounds. One JSON line per page: p50 and p95 in
ms, req/s, the floor's req/s and p95 in the same rounds (medians over the rounds),
`ratio` = floor req/s / page req/s and
`p95_ratio` = page p95 / floor p95 (medians of the rounds' ratios; each round's in
`round_ratios` and `round_p95_ratios`), and the page's query count (one request in this
process). The last line is
{"pages", "worst_page", "worst_throughput_ratio", "worst_p95_ratio"}. docs/benchmarks.md.
"""

import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.services import user_create
from billing.services import billing_month_build
from candidates.models import Course, Referral
from centers.models import Centre
from codes import clock
from codes.lab import rules_version_on
from contracts.models import Contract
from dataimport.services import jobcenter_data_import
from mentors.models import Mentor
from reports.kpi.figures import kpi_store
from reports.services import kpi_standard_periods

from . import kpi_benchmark

ROOT = Path(settings.BASE_DIR)
sys.path.insert(0, str(ROOT))
from scripts.load_test import _free_port, gunicorn_start, gunicorn_stop  # noqa: E402

EXTRA = {
    # waiting referrals, audit events, own centres of the jobkonsulent, mentor's centres
    "copenhagen": {"referrals": 600, "audit_events": 1_000_000, "own_centres": 10},
    "small": {"referrals": 60, "audit_events": 20_000, "own_centres": 3},
}
MENTOR_CENTRES = 3
BILLING_MONTHS = 4
ROLES = ["jobkonsulent", "sagsbehandler", "mentor", "jobcenterchef", "admin"]
APP_NAME = "vc-pagebench"
WRK_SCRIPT = """
local paths = {%(paths)s}
local body = %(body)s
local n = 0
request = function()
  n = n + 1
  local path = paths[(n %% #paths) + 1]
  if body ~= "" then
    -- wrk.format() takes either these headers or wrk's own (-H: Host, Cookie): merge
    local headers = {["Content-Type"] = "application/x-www-form-urlencoded",
                     ["HX-Request"] = "true"}
    for name, value in pairs(wrk.headers) do headers[name] = value end
    return wrk.format("POST", path, headers, body)
  end
  return wrk.format("GET", path)
end
local shown = false
response = function(status, headers, body)
  if status >= 400 and not shown then
    shown = true
    io.write("STATUS " .. status .. " " .. string.sub(body, 1, 400) .. "\\n")
  end
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p95_us": %%d, '
    .. '"errors": %%d, "non_2xx_3xx": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class Page:
    name: str
    role: str
    paths: list[str]
    body: str = ""  # a POST's form body (the CSRF token is added)


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError
    return number


class Command(BaseCommand):
    help = "Mål siderne på et jobcenter i Københavns størrelse mod en tom side (gulvet)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(kpi_benchmark.SCALES), default="copenhagen")
        parser.add_argument("--seconds", type=_positive, default=5, help="pr. side pr. runde")
        parser.add_argument("--rounds", type=_positive, default=3)
        parser.add_argument("--connections", type=int, default=20)
        parser.add_argument("--only", default="", help="kun sider hvis navn indeholder dette")

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        if not shutil.which("wrk"):
            raise CommandError("wrk mangler: apt-get install wrk (scripts/system-deps.sh)")
        scale = options["scale"]
        schema = kpi_benchmark.tenant_ensure(scale, self.stdout)
        with schema_context(schema):
            kpi_benchmark.Command(stdout=self.stdout)._ensure_data(kpi_benchmark.SCALES[scale])
            world = self._ensure_pages_data(scale)
            # Every run from the same settled state: new data vacuumed and analysed, and what
            # the last run wrote (its read log, its attendance) too (a few seconds).
            kpi_benchmark.settle()
            pages = self._pages(world)
            if options["only"]:
                pages = [p for p in pages if options["only"] in p.name or p.name == "floor"]
                if len(pages) == 1:
                    raise CommandError(f"--only {options['only']!r}: ingen side ud over gulvet")
            queries = {page.name: self._queries(world, page) for page in pages}
            self._print_size()
        self._collectstatic()
        results = self._load(world, pages, queries, options)
        worst = max(results, key=lambda r: r["ratio"])
        worst_p95 = max(results, key=lambda r: r["p95_ratio"])
        self.stdout.write(
            json.dumps(
                {
                    "pages": len(results),
                    "worst_page": worst["page"],
                    "worst_throughput_ratio": worst["ratio"],
                    "worst_p95_page": worst_p95["page"],
                    "worst_p95_ratio": worst_p95["p95_ratio"],
                }
            )
        )

    # Data

    def _ensure_pages_data(self, scale: str) -> dict:
        extra = EXTRA[scale]
        today = clock.today()
        emails = {role: f"bench-{role}@pagebench.test" for role in ROLES}
        if (
            User.objects.filter(email=emails["jobcenterchef"]).exists()
            and Referral.objects.count() == extra["referrals"]
            and Course.objects.filter(contract__import_ref__endswith="-nu").exists()
        ):
            self.stdout.write("Genbruger sidedata.")
        else:
            started = time.perf_counter()
            with transaction.atomic():
                self._pages_data_create(extra, emails, today)
            self.stdout.write(f"  sidedata oprettet ({time.perf_counter() - started:.0f} s)")
        users = {role: User.objects.get(email=email) for role, email in emails.items()}
        mentor = users["mentor"].mentor
        running = Course.objects.filter(
            end__isnull=True, contract__centre__in=mentor.centres.all()
        ).order_by("pk")
        period_from, period_to = kpi_standard_periods(today=today)[-1]
        with connection.cursor() as cursor:
            # (computed again when stored by a version without the ØVO box's figure)
            cursor.execute(
                "SELECT 1 FROM reports_kpiresult"
                " WHERE period_from = %s AND mentor_support_ytd IS NOT NULL",
                [period_from],
            )
            if cursor.fetchone() is None:
                kpi_store(period_from=period_from, period_to=period_to, job_run_id=None)
        return {
            "schema": connection.schema_name,
            "host": f"{connection.schema_name.replace('_', '-')}.localhost",
            "users": users,
            "today": today,
            "mentor_courses": list(running.values_list("pk", flat=True)),
            "candidate": running.first().candidate_id,
            "candidate_born": running.first().candidate.birth_date,
            "billing_month": _month_back(today, 1),
        }

    def _pages_data_create(self, extra: dict, emails: dict, today: date) -> None:
        """A user of each role, this year's contracts with a running course on each place,
        their attendance and notes, referrals, mentor hours, audit events, statements."""
        for role, email in emails.items():
            if not User.objects.filter(email=email).exists():
                user_create(
                    email=email,
                    password=None,
                    roles=[role],
                    first_name="Bench",
                    last_name=role.capitalize(),
                    is_staff=role == "admin",
                )
        # Production asks these roles for the authenticator app (MFA_REQUIRED_ROLES; the
        # test settings do not, but the served production settings do): they have one.
        for role in ("jobcenterchef", "admin"):
            user = User.objects.get(email=emails[role])
            if not Authenticator.objects.filter(user=user).exists():
                TOTP.activate(user, generate_totp_secret())
        konsulent = User.objects.get(email=emails["jobkonsulent"])
        centres = list(Centre.objects.order_by("pk"))
        # The other centres are shared between other jobkonsulenter, 10 each.
        others = [
            User.objects.filter(email=f"bench-konsulent{n}@pagebench.test").first()
            or user_create(
                email=f"bench-konsulent{n}@pagebench.test", password=None, roles=["jobkonsulent"]
            )
            for n in range(len(centres) // extra["own_centres"])
        ]
        for i, centre in enumerate(centres):
            own = i < extra["own_centres"]
            centre.consultant = konsulent if own else others[i // extra["own_centres"] - 1]
        Centre.objects.bulk_update(centres, ["consultant"])
        mentor, _created = Mentor.objects.update_or_create(
            user=User.objects.get(email=emails["mentor"]),
            defaults={"company": centres[0].company},
        )
        mentor.centres.set(centres[:MENTOR_CENTRES])
        spec = next(s for s in kpi_benchmark.SCALES.values() if s["centres"] == len(centres))
        jobcenter_data_import(
            data={
                "format": "virksomhedscenter/v1",
                "contracts": [
                    {
                        "ref": f"k{i}-nu",
                        "centre": f"vc{i}",
                        "start": (today - timedelta(days=200)).isoformat(),
                        "end": (today + timedelta(days=165)).isoformat(),
                        "places": spec["places"],
                        "mentor_hours_per_week": 15,
                        "goal_ordinary_job_pct": 20,
                        "goal_education_pct": 10,
                        "payment": kpi_benchmark.PAYMENTS[i % len(kpi_benchmark.PAYMENTS)],
                    }
                    for i in range(len(centres))
                ],
            },
            today=today,
        )
        first_year = kpi_benchmark.LAST_YEAR - spec["years"] + 1
        params = {
            "today": today,
            "first_year": first_year,
            "konsulent": konsulent.pk,
            "referrals": extra["referrals"],
            "events": extra["audit_events"],
            "mentor": mentor.pk,
            "contracts": list(
                Contract.objects.filter(import_ref__endswith="-nu").values_list("pk", flat=True)
            ),
            "rules_version": getattr(rules_version_on(today), "id", ""),
        }
        with connection.cursor() as cursor:
            # A rebuild (kpi_benchmark's data went) starts the log again: append-only but
            # for retention (audit/migrations).
            cursor.execute("SELECT set_config('audit.retention', 'on', true)")
            cursor.execute("DELETE FROM audit_auditevent WHERE purpose = 'Sagsbehandling'")
            # A running course on each of this year's places, started 10-65 days ago, for a
            # person whose only course ended in the first year.
            cursor.execute(
                """
                INSERT INTO candidates_course (candidate_id, contract_id, place_id, start,
                    planned_end, "end", legal_frame, goals, created_at, rules_version,
                    target_group, updated_at)
                SELECT c.candidate_id, pl.contract_id, pl.id, %(today)s - (10 + x.rn %% 56)::int,
                       %(today)s - (10 + x.rn %% 56)::int + 90, NULL, 'virksomhedspraktik',
                       '', now(), %(rules_version)s, '', now()
                FROM (SELECT pl.id, row_number() OVER (ORDER BY pl.id) AS rn
                      FROM centers_place pl JOIN contracts_contract k ON k.id = pl.contract_id
                      WHERE k.id = ANY(%(contracts)s)) x
                JOIN centers_place pl ON pl.id = x.id
                JOIN (SELECT candidate_id, row_number() OVER (ORDER BY candidate_id) AS rn
                      FROM candidates_course WHERE EXTRACT(YEAR FROM start) = %(first_year)s
                      ) c ON c.rn = x.rn
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO candidates_coursehours (course_id, valid_from, hours_per_week)
                SELECT id, start, 20 FROM candidates_course
                WHERE contract_id = ANY(%(contracts)s)
                """,
                params,
            )
            # Attendance on the weekdays before today; a follow-up note every week.
            cursor.execute(
                """
                INSERT INTO mentors_attendance (course_id, date, status, hours, recorded_at)
                SELECT c.id, d::date, CASE WHEN (c.id + (d::date - c.start)) %% 20 = 0 THEN 'sick'
                                           ELSE 'present' END,
                       CASE WHEN (c.id + (d::date - c.start)) %% 20 = 0 THEN 0 ELSE 4 END, now()
                FROM candidates_course c
                CROSS JOIN generate_series(c.start, %(today)s - 1, interval '1 day') d
                WHERE c.contract_id = ANY(%(contracts)s)
                  AND EXTRACT(ISODOW FROM d) < 6
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO candidates_followupnote (course_id, date, text, created_by_id,
                    created_at)
                SELECT c.id, d::date, 'Opfølgning: samtale med kandidat og mentor.',
                       %(konsulent)s, now()
                FROM candidates_course c
                CROSS JOIN generate_series(c.start + 3, %(today)s - 1, interval '7 days') d
                WHERE c.contract_id = ANY(%(contracts)s)
                """,
                params,
            )
            # Waiting referrals: people of the second year, none with a course now.
            cursor.execute(
                """
                INSERT INTO candidates_referral (candidate_id, referred_on, reason, wishes,
                    status, created_by_id, created_at, updated_at)
                SELECT candidate_id, %(today)s - (rn %% 120)::int, 'Ledig, klar til praktik.',
                       'lager, butik', 'venter', %(konsulent)s, now(), now()
                FROM (SELECT candidate_id, row_number() OVER (ORDER BY candidate_id) AS rn
                      FROM candidates_course WHERE EXTRACT(YEAR FROM start) = %(first_year)s + 1
                      ) c
                WHERE rn <= %(referrals)s
                """,
                params,
            )
            cursor.execute(
                """
                INSERT INTO mentors_mentorhours (mentor_id, centre_id, week_start, hours,
                    updated_at)
                SELECT %(mentor)s, mc.centre_id, w::date, 15, now()
                FROM mentors_mentor_centres mc
                CROSS JOIN generate_series(date_trunc('week', %(today)s - 150),
                                           %(today)s - 7, interval '7 days') w
                WHERE mc.mentor_id = %(mentor)s
                """,
                params,
            )
            # The audit log: reads of candidates (with the shown ids), list reads and changes
            # over the last 3 years, by the jobcentre's users.
            cursor.execute(
                """
                INSERT INTO audit_auditevent (at, actor_id, actor_label, action, object_type,
                    object_id, object_label, fields, ip, actor_role, purpose, is_access,
                    subjects, criteria)
                SELECT now() - make_interval(secs => n * 90), u.id, u.email,
                       (ARRAY['candidate.view', 'course.update', 'attendance.record',
                              'candidate.update'])[1 + n %% 4],
                       'candidate', (1 + n %% 60000)::text, 'Kandidat ' || (1 + n %% 60000),
                       '[]'::jsonb, '10.0.0.1', 'jobkonsulent', 'Sagsbehandling',
                       n %% 4 = 0, ARRAY[(1 + n %% 60000)::int], ''
                FROM generate_series(1, %(events)s) n
                JOIN (SELECT id, email, row_number() OVER (ORDER BY id) - 1 AS i
                      FROM accounts_user) u
                  ON u.i = n %% (SELECT count(*) FROM accounts_user)
                """,
                params,
            )
        for back in range(BILLING_MONTHS, 0, -1):
            billing_month_build(month=_month_back(today, back), acting_user=None, today=today)

    def _print_size(self) -> None:
        with connection.cursor() as cursor:
            counts = {}
            for label, table in [
                ("centres", "centers_centre"),
                ("places", "centers_place"),
                ("courses", "candidates_course"),
                ("attendance_rows", "mentors_attendance"),
                ("waiting_referrals", "candidates_referral"),
                ("follow_up_notes", "candidates_followupnote"),
                ("audit_events", "audit_auditevent"),
                ("billing_statements", "billing_statement"),
                ("mentor_hours", "mentors_mentorhours"),
                ("users", "accounts_user"),
            ]:
                cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - fixed names
                counts[label] = cursor.fetchone()[0]
        self.stdout.write("Data: " + json.dumps(counts))

    # Pages

    def _pages(self, world: dict) -> list[Page]:
        month = f"{world['billing_month']:%Y-%m}"
        today = world["today"]
        saves = [
            f"/mentor/forloeb/{pk}/fremmoede/"
            for pk in world["mentor_courses"]  # the mentor's running courses, round robin
        ]
        body = f"date={today - timedelta(days=1):%Y-%m-%d}&status=present&hours=4"
        return [
            Page("floor", "jobkonsulent", ["/tom/"]),
            Page("start jobkonsulent", "jobkonsulent", ["/"]),
            Page("start sagsbehandler", "sagsbehandler", ["/"]),
            Page("start jobcenterchef", "jobcenterchef", ["/"]),
            Page("start admin", "admin", ["/"]),
            Page("KPI dashboard", "jobcenterchef", ["/statistik/"]),
            Page("candidate list", "jobkonsulent", ["/kandidater/"]),
            Page("candidate page", "jobkonsulent", [f"/kandidater/{world['candidate']}/"]),
            # The list's search: a person's name as a jobkonsulent types it (first name and
            # surname, kpi_benchmark.person_names: 60-70 people of that name at Copenhagen's
            # scale) and the first six digits of a CPR number (the birth date they encode).
            Page("candidate search (name)", "jobkonsulent", ["/kandidater/?q=Mette+Jensen"]),
            Page(
                "candidate search (CPR)",
                "jobkonsulent",
                [f"/kandidater/?q={world['candidate_born']:%d%m%y}"],
            ),
            Page("due list (own centres)", "jobkonsulent", ["/kandidater/opfoelgning/"]),
            Page("due list ?alle=1", "jobkonsulent", ["/kandidater/opfoelgning/?alle=1"]),
            Page("waiting list", "jobkonsulent", ["/kandidater/venteliste/"]),
            Page("contracts list", "jobkonsulent", ["/kontrakter/"]),
            Page("billing index", "jobcenterchef", ["/afregning/"]),
            Page("billing month", "jobcenterchef", [f"/afregning/maaned/{month}/"]),
            Page("audit log", "jobcenterchef", ["/revision/"]),
            Page("mentor I dag", "mentor", ["/mentor/"]),
            Page("mentor week", "mentor", ["/mentor/uge/"]),
            Page("attendance save POST", "mentor", saves, body),
        ]

    def _client(self, world: dict, role: str) -> Client:
        client = Client(HTTP_HOST=world["host"], enforce_csrf_checks=False)
        client.force_login(world["users"][role])
        return client

    def _queries(self, world: dict, page: Page) -> int:
        """One request in this process (after one that warms the caches): its query count;
        the page must answer 200."""
        client = self._client(world, page.role)
        for warm in (True, False):
            with CaptureQueriesContext(connection) as captured:
                if page.body:
                    response = client.post(
                        page.paths[0],
                        dict(x.split("=") for x in page.body.split("&")),
                        HTTP_HX_REQUEST="true",
                    )
                else:
                    response = client.get(page.paths[0])
            if response.status_code != 200:
                raise CommandError(f"{page.name}: {page.paths[0]} svarede {response.status_code}")
            if not warm:
                return len(captured)
        raise AssertionError

    # Serving and loading

    def _collectstatic(self) -> None:
        """Production serves the collected, hashed files (whitenoise's manifest)."""
        env = self._server_env()
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )

    def _server_env(self) -> dict:
        env = dict(os.environ)
        # The database this command uses (under pytest: the test database).
        url = urlsplit(os.environ["DATABASE_URL"])
        env.update(
            DATABASE_URL=urlunsplit(url._replace(path="/" + connection.settings_dict["NAME"])),
            REDIS_URL=settings.REDIS_URL,
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DEBUG="0",
            SECURE_SSL_REDIRECT="0",
            # A worker replaced in the middle of a run spends seconds importing the app again
            # (production: after 2,000 requests), which would fall on whichever page is loaded.
            GUNICORN_MAX_REQUESTS="0",
            LOG_LEVEL=env.get("LOG_LEVEL", "WARNING"),
        )
        return env

    def _load(self, world: dict, pages: list[Page], queries: dict, options) -> list[dict]:
        env = self._server_env()
        port = _free_port()
        cookies = {}
        with schema_context(world["schema"]):
            for role in {p.role for p in pages}:
                cookies[role] = self._client(world, role).cookies["sessionid"].value
        csrf = "pagebnch" * 4  # Django takes an unmasked 32-character secret as the token
        workdir = Path(tempfile.mkdtemp(prefix="pagebench-"))
        log = open(workdir / "gunicorn.log", "w")  # noqa: SIM115 - closed below
        proc = gunicorn_start(port=port, env=env, log=log, app_name=APP_NAME)
        results = []
        try:
            floor = next(p for p in pages if p.name == "floor")
            # Warm-up: each worker imports the URL conf on its first request (seconds on a
            # loaded machine), then compiles each page's templates.
            for _attempt in range(12):
                warm = self._wrk(
                    port, world, floor, cookies, csrf, workdir, seconds=5, connections=6
                )
                if warm["requests"] > 30 and warm["p95_us"] < 1_000_000:
                    break
            for page in pages:
                seconds = min(2, options["seconds"])
                self._wrk(port, world, page, cookies, csrf, workdir, seconds=seconds, connections=6)
            measured = {p.name: [] for p in pages}

            def load(p):
                return self._wrk(
                    port,
                    world,
                    p,
                    cookies,
                    csrf,
                    workdir,
                    seconds=options["seconds"],
                    connections=options["connections"],
                )

            # Each page's run lies between two runs of the floor, and is compared with their
            # mean: the floor, page, floor, page, ... of a round share the floor between
            # neighbours, so a drift of the machine's speed during a pair (another process,
            # autovacuum of the audit table) weighs on both sides alike.
            for _round in range(options["rounds"]):
                before = load(floor)
                for page in pages:
                    if page is floor:
                        continue
                    run = load(page)
                    after = load(floor)
                    measured[page.name].append((_floor_mean(before, after), run))
                    before = after
            for page in pages:
                if page is floor:
                    continue
                results.append(self._summary(page, measured[page.name], queries))
                self.stdout.write(json.dumps(results[-1]))
        finally:
            gunicorn_stop(proc)
            log.close()
        errors = (workdir / "gunicorn.log").read_text()
        if "Traceback" in errors:
            self.stderr.write(errors[-3000:])
        shutil.rmtree(workdir, ignore_errors=True)
        return results

    def _wrk(self, port, world, page: Page, cookies, csrf, workdir: Path, *, seconds, connections):
        body = f"{page.body}&csrfmiddlewaretoken={csrf}" if page.body else ""
        script = workdir / "page.lua"
        script.write_text(
            WRK_SCRIPT
            % {
                "paths": ", ".join(json.dumps(p) for p in page.paths),
                "body": json.dumps(body),
            }
        )
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{connections}",
                f"-d{seconds}s",
                "--timeout",
                "30s",
                "-s",
                str(script),
                "-H",
                f"Host: {world['host']}",
                "-H",
                f"Cookie: sessionid={cookies[page.role]}; csrftoken={csrf}",
                f"http://127.0.0.1:{port}",
            ],
            capture_output=True,
            text=True,
            check=False,
        )
        if out.returncode:
            raise CommandError(f"wrk: {out.stderr or out.stdout}")
        out = out.stdout
        match = re.search(r"^RESULT (.*)$", out, re.MULTILINE)
        if not match:
            raise CommandError(f"wrk gav intet resultat for {page.name}: {out}")
        result = json.loads(match.group(1))
        if self.verbosity > 1:
            self.stderr.write(f"{page.name}: {out}")
        # A 3xx would be a page that was not shown (the login, the authenticator's set-up):
        # the check in _queries() answered 200 for each page first.
        if result["non_2xx_3xx"] or result["errors"] > max(2, result["requests"] // 100):
            raise CommandError(f"{page.name}: fejl under belastningen: {result}\n{out}")
        # No answer within the run: counted as half a request, its p95 the whole run.
        result["rps"] = max(result["requests"], 0.5) / (result["duration_us"] / 1e6)
        if not result["requests"]:
            result["p95_us"] = result["p50_us"] = result["duration_us"]
        return result

    def _summary(self, page: Page, pairs: list, queries: dict) -> dict:
        floors = [f for f, _p in pairs]
        runs = [p for _f, p in pairs]
        ratios = [f["rps"] / r["rps"] for f, r in pairs]
        p95_ratios = [r["p95_us"] / f["p95_us"] for f, r in pairs]

        def med(values):
            return round(statistics.median(values), 1)

        return {
            "page": page.name,
            "path": page.paths[0],
            "p50_ms": med(r["p50_us"] / 1000 for r in runs),
            "p95_ms": med(r["p95_us"] / 1000 for r in runs),
            "rps": med(r["rps"] for r in runs),
            "floor_rps": med(f["rps"] for f in floors),
            "floor_p95_ms": med(f["p95_us"] / 1000 for f in floors),
            "ratio": round(statistics.median(ratios), 2),
            "p95_ratio": round(statistics.median(p95_ratios), 2),
            # Each round's ratios, in order: how far the rounds of one run lie apart.
            "round_ratios": [round(x, 2) for x in ratios],
            "round_p95_ratios": [round(x, 2) for x in p95_ratios],
            "queries": queries[page.name],
            "floor_queries": queries["floor"],
            "requests": sum(r["requests"] for r in runs),
            "socket_errors": sum(r["errors"] for r in runs),
        }


def _floor_mean(before: dict, after: dict) -> dict:
    """The floor's runs before and after a page's run, as one: their mean req/s and p95."""
    return {key: (before[key] + after[key]) / 2 for key in ("rps", "p95_us")}


def _month_back(today: date, months: int) -> date:
    n = today.year * 12 + today.month - 1 - months
    return date(n // 12, n % 12 + 1, 1)
