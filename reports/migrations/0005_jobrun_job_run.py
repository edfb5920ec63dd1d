"""JobRun inherits jobs.JobRunBase, as the other background runs do.

- created_at gets the database default now() (statement time) instead of Django's
  auto_now_add; no row changes.
- finished_at's label is "færdig", as on the other runs (no database change).
- A check that state holds one of the four codes, as the other runs' tables have; every
  row written so far does.
"""

import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0004_kpiresult_figures_json"),
    ]

    operations = [
        migrations.AlterField(
            model_name="jobrun",
            name="created_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(), verbose_name="bestilt"
            ),
        ),
        migrations.AlterField(
            model_name="jobrun",
            name="finished_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="færdig"),
        ),
        migrations.AddConstraint(
            model_name="jobrun",
            constraint=models.CheckConstraint(
                condition=models.Q(("state__in", ["queued", "running", "done", "failed"])),
                name="job_run_state",
            ),
        ),
    ]
