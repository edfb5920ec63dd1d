#!/usr/bin/env python
"""The fault suite (`make faults`): private PostgreSQL and Redis, then tests/faults.

Starts its own PostgreSQL and Redis (tests/faults/servers.py: temporary directories, free
ports; never the machine's shared servers), runs pytest on tests/faults with short lease
and sweep times, prints the counts every test wrote (lost jobs, jobs still running after
their lease, duplicated results, server errors from queueing) and stops the servers.
Extra arguments go to pytest. Exit status: pytest's, or 1 when a count is not 0.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.faults.servers import (  # noqa: E402
    PrivatePostgres,
    PrivateRedis,
    free_port,
    postgres_bin,
)

# Short times, so that a lease runs out and the sweeper comes round within seconds.
FAULT_TIMES = {
    "JOBS_LEASE_SECONDS": "4",
    "JOBS_RESEND_AFTER_SECONDS": "4",
    "JOBS_SWEEP_SECONDS": "2",
}
COUNTS = ("lost", "running_after_lease", "duplicated", "server_errors")


def main(argv: list[str]) -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="vc-faults-") as tmp:
        tmp_path = Path(tmp)
        os.chmod(tmp_path, 0o755)  # noqa: S103 - the postgres user must reach its data dir
        pg = PrivatePostgres(root=tmp_path / "pg", port=free_port(), bindir=postgres_bin())
        redis = PrivateRedis(root=tmp_path / "redis", port=free_port())
        report = tmp_path / "report.jsonl"
        pg.init()
        pg.start()
        pg.create_database()
        redis.start()
        print(f"[faults] private PostgreSQL :{pg.port}, Redis :{redis.port}", flush=True)
        try:
            env = dict(os.environ)
            env.update(
                DATABASE_URL=pg.url,
                REDIS_URL=redis.url,
                FAULTS_REPORT=str(report),
                **pg.env(),
                **redis.env(),
                **FAULT_TIMES,
            )
            status = subprocess.call(
                [sys.executable, "-m", "pytest", "tests/faults", "-p", "no:cacheprovider", *argv],
                cwd=ROOT,
                env=env,
            )
        finally:
            redis.stop()
            pg.stop()
        lines = report.read_text().splitlines() if report.exists() else []
        rows = [json.loads(line) for line in lines]
    totals = {name: sum(row.get(name, 0) for row in rows) for name in COUNTS}
    jobs = sum(row.get("jobs", 0) for row in rows)
    print(f"\n[faults] {len(rows)} scenarios, {jobs} jobs, {time.monotonic() - started:.0f} s")
    for row in rows:
        print("[faults]   " + ", ".join(f"{k}={v}" for k, v in row.items()))
    print("[faults] " + ", ".join(f"{name.replace('_', ' ')}: {totals[name]}" for name in COUNTS))
    if status == 0 and any(totals.values()):
        status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
