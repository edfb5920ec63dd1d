"""The contract PDFs live in the jobcentre's schema, so every backup of the database holds
them (issue 18, finding 3: with the files in MEDIA_ROOT a pg_dump silently lacked them)."""

import hashlib
import logging
import subprocess
from datetime import date

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django_tenants.utils import schema_context

from contracts.models import ContractDocument
from contracts.services import contract_document_render
from tests.factories import ContractFactory

BEFORE = [("contracts", "0004_course_weeks_at_most_13")]
# Forward again to every app's newest migration: later migrations (of contracts and of the
# apps that depend on it) are unapplied by the step back and must return for the live models.


def test_the_copy_of_a_jobcentre_holds_its_contract_pdfs(django_db_blocker, tmp_path, settings):
    """The operator's copy of one jobcentre (the pg_dump of its schema, tenants/admin.py), read
    back with pg_restore, holds the bytes of a rendered PDF. pg_dump reads committed rows on
    its own connection: no test transaction, the rows are removed at the end."""
    from tenants.models import Jobcenter
    from tenants.services import jobcenter_dump_command

    settings.MEDIA_ROOT = tmp_path
    with django_db_blocker.unblock(), schema_context("alpha"):
        contract = ContractFactory(start=date(2025, 1, 1))
        document = ContractDocument.objects.create(contract=contract, version=1, kind="preview")
        document = contract_document_render(document_id=document.pk)
        pdf = bytes(ContractDocument.objects.get(pk=document.pk).content)
    try:
        assert document.state == "done", document.message
        assert pdf.startswith(b"%PDF") and hashlib.sha256(pdf).hexdigest() == document.sha256
        assert list(tmp_path.rglob("*")) == []  # nothing beside the database
        with django_db_blocker.unblock():
            command, env = jobcenter_dump_command(
                jobcenter=Jobcenter.objects.get(schema_name="alpha")
            )
        dump = subprocess.run(command, env=env, capture_output=True, check=True).stdout
        assert dump.startswith(b"PGDMP")
        restored = subprocess.run(
            ["pg_restore", "--data-only", "--table=contracts_contractdocument", "--file=-"],
            input=dump,
            capture_output=True,
            check=True,
        ).stdout
        # COPY writes a bytea as \\x and its hex digits.
        assert pdf.hex().encode() in restored
        assert document.sha256.encode() in restored
    finally:
        with django_db_blocker.unblock(), schema_context("alpha"):
            centre, company = contract.centre, contract.centre.company
            contract.delete()
            centre.delete()
            company.delete()


@pytest.mark.usefixtures("tenant_a")
def test_the_upgrade_moves_existing_pdf_files_into_the_database(settings, tmp_path, caplog):
    """Migration 0005 on a jobcentre with PDFs on disk: each file goes into its row (checked
    against its SHA-256); a document whose file is missing is marked failed with the reason,
    so the page says so and asking again renders it anew; the upgrade itself goes through."""
    settings.MEDIA_ROOT = tmp_path
    pdf = b"%PDF-1.7\n" + bytes(range(256)) * 400 + b"\n%%EOF\n"  # about 100 KB, binary
    folder = tmp_path / "alpha" / "contracts" / "1"
    folder.mkdir(parents=True)
    (folder / "v1-signed.pdf").write_bytes(pdf)
    (folder / "v1-tampered.pdf").write_bytes(pdf + b"x")
    sha = hashlib.sha256(pdf).hexdigest()
    with schema_context("alpha"):
        contract = ContractFactory(start=date(2025, 1, 1))
        with connection.cursor() as cursor:
            # The factory's rows have deferred FK checks pending; ALTER TABLE refuses those.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        executor = MigrationExecutor(connection)
        executor.migrate(BEFORE)
        old = executor.loader.project_state(BEFORE).apps.get_model("contracts", "ContractDocument")
        common = {
            "contract_id": contract.pk,
            "state": "done",
            "sha256": sha,
            "size_bytes": len(pdf),
        }
        stored = old.objects.create(
            version=1, kind="signed", file_path="alpha/contracts/1/v1-signed.pdf", **common
        )
        missing = old.objects.create(
            version=2, kind="signed", file_path="alpha/contracts/1/v2-signed.pdf", **common
        )
        tampered = old.objects.create(
            version=1, kind="preview", file_path="alpha/contracts/1/v1-tampered.pdf", **common
        )
        queued = old.objects.create(contract_id=contract.pk, version=1, kind="preview")
        with caplog.at_level(logging.WARNING, logger="contracts.migrations"):
            forward = MigrationExecutor(connection)
            forward.migrate(forward.loader.graph.leaf_nodes())
        documents = {d.pk: d for d in ContractDocument.objects.filter(contract=contract)}
        assert bytes(documents[stored.pk].content) == pdf
        assert (documents[stored.pk].state, documents[stored.pk].sha256) == ("done", sha)
        for pk in (missing.pk, tampered.pk):
            assert documents[pk].state == "failed" and documents[pk].content is None
            assert "Bestil PDF'en igen" in documents[pk].message
        assert "fandtes ikke" in documents[missing.pk].message
        assert "svarede ikke til sin SHA-256" in documents[tampered.pk].message
        assert documents[queued.pk].state == "queued"
    logged = [r.getMessage() for r in caplog.records if r.name == "contracts.migrations"]
    assert any(
        f"kontraktdokument {missing.pk}:" in line and "v2-signed.pdf" in line for line in logged
    )
    assert any(f"kontraktdokument {tampered.pk}:" in line for line in logged)


@pytest.mark.usefixtures("tenant_a")
def test_the_database_refuses_a_finished_pdf_without_its_bytes_or_with_other_bytes():
    from django.db import IntegrityError, transaction

    with schema_context("alpha"):
        contract = ContractFactory(start=date(2025, 1, 1))
        document = ContractDocument.objects.create(contract=contract, version=1, kind="preview")
        rows = ContractDocument.objects.filter(pk=document.pk)
        for fields in (
            {"state": "done"},
            {"content": b"%PDF-1", "sha256": "0" * 64, "size_bytes": 6},
            {
                "content": b"%PDF-1",
                "sha256": hashlib.sha256(b"%PDF-1").hexdigest(),
                "size_bytes": 7,
            },
        ):
            with pytest.raises(IntegrityError), transaction.atomic():
                rows.update(**fields)
        rows.update(
            state="done",
            content=b"%PDF-1",
            sha256=hashlib.sha256(b"%PDF-1").hexdigest(),
            size_bytes=6,
        )
        assert bytes(rows.get().content) == b"%PDF-1"
