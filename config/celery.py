"""Celery for the project. Every task runs in the schema of the tenant that queued it.

tenant-schemas-celery puts the current schema into the task's headers when it is sent
and activates that schema in the worker before the task runs.
"""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

app = CeleryApp("virksomhedscenter")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
