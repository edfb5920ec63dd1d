#!/usr/bin/env python
"""Benchmark the contract PDF: the median time to render one Centerkontrakt with WeasyPrint.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python scripts/bench_contract_pdf.py \
        [--runs 10] [--png docs/contract-page1.png]

Renders the same template and restricted url_fetcher the Celery task uses (contracts.pdf,
documents.pdf) from an in-memory contract (no database rows are read or written), `--runs`
times, and prints the median, min and max with the PDF's size and page count. With --png it
writes page 1 as a PNG through `pdftoppm -png -r 60 -f 1 -l 1`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def sample_context() -> dict:
    from accounts.models import User
    from centers.models import Centre, Company
    from contracts.forms import DEFAULT_TEXTS
    from contracts.models import Contract, ContractApproval
    from contracts.pdf import VersionTerms
    from contracts.rules import EMPLOYEE_STATEMENT_STEP

    company = Company(
        name="Brugsen Nørre Aaby",
        cvr="10000009",
        address="Torvet 1",
        postal_code="5580",
        city="Nørre Aaby",
        contact_name="Karen Kontakt",
        union_rep="Hanne Tillid",
        branche="detail",
        sector="private",
    )
    centre = Centre(
        company=company, name="Brugsen Virksomhedscenter", organisation_model="virtuelt"
    )
    signed = datetime(2025, 12, 10, 13, 30, tzinfo=UTC)
    contract = Contract(
        centre=centre,
        status="signed",
        start=date(2026, 1, 1),
        end=date(2027, 12, 31),
        places=4,
        mentor_hours_per_week=Decimal(10),
        payment_model="per_place_month",
        payment_amount=Decimal(1500),
        establishment_amount=Decimal(5000),
        goal_ordinary_job_pct=20,
        goal_education_pct=10,
        target_age_min=18,
        target_age_max=30,
        target_barriers=["sprog", "psykisk"],
        work_tasks="Bageri, frugt og grønt, kasse, lager",
        support_activities="Danskundervisning, motion, samtaler med psykolog",
        chief_signed_by=User(email="chef@middelfart.dk", first_name="Carl", last_name="Chef"),
        chief_signed_at=signed,
        director_name="Dorthe Direktør",
        director_signed_at=signed,
        **{k: v for k, v in DEFAULT_TEXTS.items() if k != "work_tasks"},
    )
    return {
        "contract": contract,
        "centre": centre,
        "company": company,
        "jobcenter_name": "Jobcenter Middelfart",
        "v": VersionTerms(version=1, amendment=None, terms=contract, signer=contract),
        "amendments": [],
        "contract_approvals": [
            ContractApproval(
                contract=contract,
                step=EMPLOYEE_STATEMENT_STEP,
                approved_by="Hanne Tillid, tillidsrepræsentant",
                approved_on=date(2025, 12, 1),
                statement="2 af 12 ordinært ansatte; opgaverne fortrænger ikke ordinært ansatte.",
            ),
            ContractApproval(
                contract=contract,
                step="Beskæftigelsesudvalget",
                approved_by="Beskæftigelsesudvalgets møde",
                approved_on=date(2025, 12, 3),
                statement="Godkendt.",
            ),
        ],
        "printed_on": date(2025, 12, 10),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--draft", action="store_true", help="render with the UDKAST watermark")
    parser.add_argument("--png", type=Path, help="write page 1 as PNG (pdftoppm -r 60)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.template.loader import render_to_string
    from django.utils import translation
    from pypdf import PdfReader

    from documents.pdf import html_to_pdf

    translation.activate("da")
    context = sample_context() | {"draft": args.draft}
    times, pdf = [], b""
    for _ in range(args.runs):
        started = time.perf_counter()
        html = render_to_string("contracts/pdf/contract.html", context)
        pdf, fetcher = html_to_pdf(html)
        times.append(time.perf_counter() - started)
    pages = len(PdfReader(BytesIO(pdf)).pages)
    print(f"runs: {args.runs} (first run includes font and template loading)")
    print(f"median: {statistics.median(times) * 1000:.0f} ms")
    print(f"min/max: {min(times) * 1000:.0f} / {max(times) * 1000:.0f} ms")
    print(f"html: {len(html.encode())} bytes; pdf: {len(pdf)} bytes, {pages} pages")
    print(f"fetched: {len(fetcher.fetched)} static files; refused: {len(fetcher.refused)}")
    if args.png:
        with tempfile.TemporaryDirectory() as tmp:
            source = Path(tmp) / "contract.pdf"
            source.write_bytes(pdf)
            subprocess.run(
                [
                    "pdftoppm",
                    "-png",
                    "-r",
                    "60",
                    "-f",
                    "1",
                    "-l",
                    "1",
                    "-singlefile",
                    str(source),
                    str(Path(tmp) / "page"),
                ],
                check=True,
            )
            args.png.write_bytes((Path(tmp) / "page.png").read_bytes())
        print(f"png: {args.png} ({args.png.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
