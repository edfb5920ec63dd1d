"""Reads of the statistics from a read replica, when one is configured (issue 29).

`DATABASE_REPLICA_URL` adds the alias "replica" (config/settings/base.py, "Read replica"),
with the engine config.replica_backend: the jobcentre's schema is set on that connection too.
This router sends the reads of the models in `REPLICA_MODELS` (the stored key figures: large
JSON rows read by the dashboard, its exports and PDF) there; everything else, and every
write, stays on `default`. A read inside a transaction of `default` stays there too: that
transaction may have written the rows it reads, which the replica has not seen.

A replica lags (usually well under a second): a key-figure run that just finished may show
"not computed" for that long; nothing else reads from it.
"""

from django.conf import settings
from django.db import connections

REPLICA = "replica"


class StatisticsReplicaRouter:
    def db_for_read(self, model, **hints):  # noqa: ARG002 - Django's router signature
        if REPLICA not in settings.DATABASES:
            return None
        if model._meta.label not in settings.REPLICA_MODELS:
            return None
        if connections["default"].in_atomic_block:
            return None
        return REPLICA

    def db_for_write(self, model, **hints):  # noqa: ARG002
        return None

    def allow_relation(self, obj1, obj2, **hints):  # noqa: ARG002
        # The replica holds the same rows as default: an object read there may relate to one
        # read on default.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):  # noqa: ARG002
        # Never migrate the replica: it follows the primary.
        return False if db == REPLICA else None
