"""ContractDocument inherits jobs.JobRunBase: one set of states for every background run.

- The state "rendering" becomes "running", as for every other job: documents that are
  rendering now are updated (and back again on reversal); the state check is replaced.
- created_at gets the database default now() (statement time) instead of Django's
  auto_now_add; no row changes.
"""

import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("contracts", "0002_signing_and_documents"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="contractdocument",
            name="contract_document_state",
        ),
        migrations.RunSQL(
            "UPDATE contracts_contractdocument SET state = 'running' WHERE state = 'rendering'",
            reverse_sql=(
                "UPDATE contracts_contractdocument SET state = 'rendering' WHERE state = 'running'"
            ),
        ),
        migrations.AlterField(
            model_name="contractdocument",
            name="state",
            field=models.CharField(
                choices=[
                    ("queued", "I kø"),
                    ("running", "Kører"),
                    ("done", "Færdig"),
                    ("failed", "Fejlet"),
                ],
                default="queued",
                max_length=10,
                verbose_name="tilstand",
            ),
        ),
        migrations.AddConstraint(
            model_name="contractdocument",
            constraint=models.CheckConstraint(
                condition=models.Q(("state__in", ["queued", "running", "done", "failed"])),
                name="contract_document_state",
            ),
        ),
        migrations.AlterField(
            model_name="contractdocument",
            name="created_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(), verbose_name="bestilt"
            ),
        ),
    ]
