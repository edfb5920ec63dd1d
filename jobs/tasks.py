"""The one Celery task base: sent when the transaction commits, run in the queuing tenant.

Every task of the project is declared with `@shared_task(base=TransactionAwareTask)`.
pretix's TransactionAwareTask is the model: a task queued inside a transaction is sent to
the broker only once the transaction commits, so a worker never looks for a row that is not
there yet, and a rolled-back request sends nothing. Outside a transaction it is sent at once.

tenant-schemas-celery puts the current schema into a task's headers when the message is
sent. A task sent on commit would take the schema current at commit time, which need not
be the one that queued it (a schema_context left before its transaction ends); so the
schema is written into the headers when the task is queued, and the worker runs it there.
"""

from functools import partial

from celery.utils import uuid
from django.db import transaction
from tenant_schemas_celery.task import TenantTask, headers_with_schema


class TransactionAwareTask(TenantTask):
    abstract = True

    def apply_async(self, args=None, kwargs=None, task_id=None, **options):
        """Send now outside a transaction, else when it commits (nothing if it rolls back).

        Returns the task's AsyncResult either way: its id is fixed before it is sent.
        """
        options["headers"] = headers_with_schema(options.get("headers"))
        if not transaction.get_connection().in_atomic_block:
            return super().apply_async(args, kwargs, task_id=task_id, **options)
        task_id = task_id or uuid()
        transaction.on_commit(
            partial(super().apply_async, args, kwargs, task_id=task_id, **options)
        )
        return self.AsyncResult(task_id)
