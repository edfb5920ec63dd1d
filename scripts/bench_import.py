#!/usr/bin/env python
"""Benchmark the import: the example file and a file with N attendance rows.

    .venv/bin/python scripts/services.py exec -- \
        .venv/bin/python scripts/bench_import.py [--attendance-rows 100000]

Creates the jobcentre `bench` (schema `bench`) when missing, imports into it twice (first
import, then the idempotent re-import) and prints the times with the data sizes. The
jobcentre is dropped again unless --keep is given.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attendance-rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings

    from dataimport.limits import MAX_ROWS

    # The benchmark times the import itself, with files past the limits that keep hostile
    # files out (dataimport/limits.py): lifted for this run only.
    unlimited = 2**40
    settings.IMPORT_LIMITS = {
        "max_file_bytes": unlimited,
        "max_containers": unlimited,
        "max_rows": dict.fromkeys(MAX_ROWS, unlimited),
    }
    from django_tenants.utils import schema_context

    from dataimport.formats import load_import_file
    from dataimport.services import jobcenter_data_import
    from tenants.models import Jobcenter
    from tenants.services import jobcenter_create

    if not Jobcenter.objects.filter(schema_name="bench").exists():
        jobcenter_create(
            schema_name="bench",
            name="Benchmark",
            domain="bench.localhost",
            municipality_code="999",
            admin_email="admin@bench.test",
        )
    today = date(2026, 11, 25)
    with tempfile.TemporaryDirectory() as tmp:
        big = Path(tmp) / "big.json"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "make_demo_data.py"),
                "--jobcenter",
                "skive",
                "--attendance-rows",
                str(args.attendance_rows),
                "--out",
                str(big),
            ],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        files = [
            ("docs/examples/skive.json", ROOT / "docs" / "examples" / "skive.json"),
            (f"{args.attendance_rows} attendance rows", big),
        ]
        for label, path in files:
            data = load_import_file(path)
            for centre in data["centres"]:
                centre.pop("consultant_email", None)
            sizes = ", ".join(f"{k} {len(v)}" for k, v in data.items() if isinstance(v, list))
            print(f"{label}: {path.stat().st_size / 1e6:.1f} MB ({sizes})")
            with schema_context("bench"):
                from candidates.models import Candidate

                # Each file is imported into an empty jobcentre: its refs overlap the other's.
                for name in (
                    "mentors_attendance",
                    "candidates_extension",
                    "candidates_coursehours",
                    "candidates_course",
                    "candidates_candidate",
                    "centers_place",
                    "contracts_contract",
                    "centers_centre_network_companies",
                    "centers_centre",
                    "centers_company",
                    "reports_jobcentercost",
                ):
                    from django.db import connection

                    with connection.cursor() as cursor:
                        cursor.execute(f"DELETE FROM {name}")  # noqa: S608 - fixed table names
                assert not Candidate.objects.exists()
                for attempt in ("first import", "same file again"):
                    started = time.perf_counter()
                    result = jobcenter_data_import(data=data, today=today)
                    seconds = time.perf_counter() - started
                    print(
                        f"  {attempt}: {seconds:.2f} s  (attendance: {result.counts['attendance']})"
                    )
    if not args.keep:
        Jobcenter.objects.get(schema_name="bench").delete(force_drop=True)


if __name__ == "__main__":
    main()
