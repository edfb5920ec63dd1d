"""A small per-process memo for values derived from a stored row version (issue 24).

A value computed from one version of a stored row - the key figures expanded from a
KpiResult's counts, the HTML of their tables - is right for as long as that version exists:
PostgreSQL writes a changed row as a new version with its own xmin and ctid (within one
transaction too), so a key holding them names exactly one content. `ROW_VERSION` annotates
a queryset with that text. The memo keeps the most recently used `keep` values per process
(a gunicorn worker); the callers only read what they get.
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import Any

from django.db.models.expressions import RawSQL

ROW_VERSION = RawSQL("xmin::text || '/' || ctid::text", ())


class VersionMemo:
    def __init__(self, *, keep: int):
        self._keep = keep
        self._values: OrderedDict = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> Any | None:
        with self._lock:
            value = self._values.get(key)
            if value is not None:
                self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> Any:
        with self._lock:
            self._values[key] = value
            self._values.move_to_end(key)
            while len(self._values) > self._keep:
                self._values.popitem(last=False)
        return value

    def get_or_make(self, key: Hashable, make: Callable[[], Any]) -> Any:
        value = self.get(key)
        return self.put(key, make()) if value is None else value
