"""BillingRun inherits jobs.JobRunBase: its queue time is taken from the database's clock.

created_at gets the database default now() (statement time) instead of Django's
auto_now_add; no row changes.
"""

import django.db.models.functions.datetime
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="billingrun",
            name="created_at",
            field=models.DateTimeField(
                db_default=django.db.models.functions.datetime.Now(), verbose_name="bestilt"
            ),
        ),
    ]
