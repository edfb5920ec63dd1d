"""Celery beat's scheduler: tenant-aware, and alive after a database restart.

tenant-schemas-celery reads the jobcentres from PostgreSQL each time an entry is due. After a
PostgreSQL restart beat's connection is dead; the first read raised OperationalError out of
the tick and beat exited - and with it the nightly key figures, retention, contract
transitions and monthly billing, silently. Here a dead connection is replaced before the
tenant list is read, a failing entry is logged and tried again at the next tick instead of
ending beat, and every tick writes beat's heartbeat, which /healthz reads.
"""

import logging
import socket
import time

from django.db import DatabaseError, connection
from tenant_schemas_celery.scheduler import TenantAwarePersistentScheduler

from config.heartbeat import BEAT_COMPONENT, INTERVAL_SECONDS, heartbeat_remove, heartbeat_write

logger = logging.getLogger(__name__)


def connection_ensure_usable() -> None:
    """Close the connection when it no longer answers: Django opens a new one on next use."""
    if connection.connection is not None and not connection.is_usable():
        logger.warning("beat: the database connection was lost; reconnecting")
        connection.close()


class Scheduler(TenantAwarePersistentScheduler):
    _last_beat = 0.0

    def tick(self, *args, **kwargs):
        now = time.monotonic()
        if now - self._last_beat >= INTERVAL_SECONDS / 2:
            try:
                heartbeat_write(component=BEAT_COMPONENT, member=socket.gethostname())
                self._last_beat = now
            except Exception:  # Redis away: the next tick tries again; never stop beat
                logger.warning("beat: heartbeat not written", exc_info=True)
        return super().tick(*args, **kwargs)

    def close(self):
        """Beat stopping in order says so at once (/healthz names it down)."""
        try:
            heartbeat_remove(component=BEAT_COMPONENT, member=socket.gethostname())
        except Exception:
            logger.warning("beat: heartbeat not removed", exc_info=True)
        super().close()

    def apply_entry(self, entry, producer=None):
        try:
            connection_ensure_usable()
            return super().apply_entry(entry, producer=producer)
        except DatabaseError:
            # Beat lives on, and the entry stays due: `tick` had already stored its next run
            # (reserve), so the due entry goes back and the next tick sends it again.
            logger.exception("beat: %s not sent (database); trying again", entry.name)
            connection.close()
            self.schedule[entry.name] = entry
            return None
