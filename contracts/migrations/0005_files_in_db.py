# The contract PDFs move from MEDIA_ROOT into their rows (issue 18: a pg_dump, a base backup
# and the WAL archive reach only the database). Runs once per jobcentre schema.

import hashlib
import logging
from pathlib import Path

import django.db.models.functions.text
from django.conf import settings
from django.db import migrations, models

import contracts.models

logger = logging.getLogger("contracts.migrations")

MISSING = (
    "PDF-filen fandtes ikke, da kontraktens filer blev flyttet ind i databasen ({path}). "
    "Bestil PDF'en igen."
)
MISMATCH = (
    "PDF-filen svarede ikke til sin SHA-256, da kontraktens filer blev flyttet ind i databasen "
    "({path}); den er ikke flyttet. Bestil PDF'en igen."
)


def files_into_db(apps, schema_editor):
    """Copy each finished document's file into its row, checked against its SHA-256.

    A finished document whose file is missing (or holds other bytes than its hash names) is
    marked failed with the reason, so the page says so and asking again renders it anew; the
    file on disk is left where it is (the operator removes MEDIA_ROOT after the upgrade).
    """
    document_model = apps.get_model("contracts", "ContractDocument")
    schema = getattr(schema_editor.connection, "schema_name", "?")
    root = Path(settings.MEDIA_ROOT)
    moved = 0
    for document in document_model.objects.filter(state="done").only("pk", "file_path", "sha256"):
        path = root / document.file_path if document.file_path else None
        if path is None or not path.is_file():
            reason = MISSING.format(path=path or "ingen sti")
        else:
            data = path.read_bytes()
            if not document.sha256 or hashlib.sha256(data).hexdigest() == document.sha256:
                document_model.objects.filter(pk=document.pk).update(
                    content=data, sha256=hashlib.sha256(data).hexdigest(), size_bytes=len(data)
                )
                moved += 1
                continue
            reason = MISMATCH.format(path=path)
        logger.warning("[%s] kontraktdokument %s: %s", schema, document.pk, reason)
        document_model.objects.filter(pk=document.pk).update(state="failed", message=reason)
    if moved:
        logger.info("[%s] %s kontrakt-PDF'er flyttet ind i databasen", schema, moved)


def files_out_of_db(apps, schema_editor):
    """The way back: each stored PDF is written to MEDIA_ROOT again, where 0004 reads it."""
    document_model = apps.get_model("contracts", "ContractDocument")
    schema = getattr(schema_editor.connection, "schema_name", "public")
    root = Path(settings.MEDIA_ROOT)
    for document in document_model.objects.filter(content__isnull=False):
        relative = (
            f"{schema}/contracts/{document.contract_id}/"
            f"v{document.version}-{document.kind}-{document.pk}-{document.sha256[:12]}.pdf"
        )
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(bytes(document.content))
        document_model.objects.filter(pk=document.pk).update(file_path=relative)


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0004_course_weeks_at_most_13"),
    ]

    operations = [
        migrations.AddField(
            model_name="contractdocument",
            name="content",
            field=models.BinaryField(null=True, verbose_name="PDF"),
        ),
        migrations.RunPython(files_into_db, files_out_of_db),
        migrations.RemoveField(
            model_name="contractdocument",
            name="file_path",
        ),
        migrations.AddConstraint(
            model_name="contractdocument",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("state", "done"), _negated=True),
                    ("content__isnull", False),
                    _connector="OR",
                ),
                name="contract_document_done_has_content",
            ),
        ),
        migrations.AddConstraint(
            model_name="contractdocument",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("content__isnull", True),
                    models.Q(
                        ("sha256", contracts.models.Sha256Hex("content")),
                        ("size_bytes", django.db.models.functions.text.Length("content")),
                    ),
                    _connector="OR",
                ),
                name="contract_document_content_matches_hash",
            ),
        ),
    ]
