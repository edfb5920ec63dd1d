"""The KPI dashboard's figures of today, kept for a minute: places agreed and held today
and the staff-ratio rule (rimelighedskravet) at every workplace with a centre.

The dashboard shows them on every view; counting them is a statement over the day's
courses, contracts and workplaces (a quarter of the page at Copenhagen scale, issue 24),
whose answer changes only when one of those is written. So the answer is kept in the
cache (the jobcentre's schema prefixes every key) with the time it was counted, which the
page shows ("opgjort kl. 14:05"), and counted again when it is a minute old, when the day
changes, or at once after a write to what it counts:

- every save or delete of a course, contract, amendment, centre, company, workplace or
  workplace fact (ordinary employees, statement, others' placements) replaces the
  cache's generation token when its transaction commits (`forget`, reports/apps.py);
- a count is kept under the token read before it was counted. A count racing a write
  (begun before the write committed, stored after) is kept under the old token, which
  no reader asks for any more - it is never shown as the count after the write. This
  holds because the token is read before the count's statements take their snapshots
  (each statement its own, READ COMMITTED, outside a transaction: the dashboard's view
  runs in none) on the primary, and the new token is written after the commit. Should
  Redis lose the new token, the old count is shown until it is a minute old.

An import (bulk writes, no signals) calls `forget` itself; other writes that send no
signals (a queryset's `update`) are shown within the minute. The rule itself - whether a
placement may be made - is always checked against the database
(contracts.services.staff_ratio), never this copy.
"""

import hashlib
import uuid
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from centers.models import Workplace
from contracts.selectors import (
    WorkplaceHeadroom,
    WorkplaceRef,
    headrooms_needing_attention,
    workplaces_headroom,
)

from .selectors import places_today

# The cache's keys (per jobcentre: the cache's KEY_FUNCTION prefixes the schema).
TOKEN_KEY = "reports:today:token"
TOKEN_SECONDS = 24 * 60 * 60  # a token older than a day is as good as none
KEEP = timedelta(minutes=1)


def _now() -> datetime:
    """The time a count is made and compared at (a test moves it)."""
    return timezone.now()


@dataclass(frozen=True)
class TodayFigures:
    """Today's places and the staff-ratio rule at the workplaces, as counted at `counted_at`."""

    day: date
    counted_at: datetime
    token: str | None  # the generation it was counted under
    limit: int  # the most `headrooms` it lists
    places: dict  # places_today: places, occupied, empty
    headroom_total: int  # workplaces with a centre
    headroom_attention: int  # of them, those that need attention (needs_attention)
    headrooms: list[WorkplaceHeadroom]  # the first `limit` of those, fullest first


def _layout(*classes) -> str:
    """The kept objects' layout (their classes' fields): a deploy that changes one of them
    reads no object of the last version (it would lack the new fields)."""
    names = ",".join(f"{c.__qualname__}:{'.'.join(f.name for f in fields(c))}" for c in classes)
    return hashlib.sha256(names.encode()).hexdigest()[:12]


VALUE_KEY = f"reports:today:{_layout(TodayFigures, WorkplaceHeadroom, WorkplaceRef)}"


def today_figures(*, today: date, limit: int) -> TodayFigures:
    """Today's figures, from the cache when counted under the current token, on `today`,
    less than a minute ago, listing up to `limit` workplaces; else counted now and kept."""
    found = cache.get_many([TOKEN_KEY, VALUE_KEY])
    token, kept = found.get(TOKEN_KEY), found.get(VALUE_KEY)
    now = _now()
    if (
        isinstance(kept, TodayFigures)
        and kept.token == token
        and kept.day == today
        and kept.counted_at <= now < kept.counted_at + KEEP
        and kept.limit == limit
    ):
        return kept
    figures = _count(today=today, limit=limit, token=token, now=now)
    cache.set(VALUE_KEY, figures, timeout=int(KEEP.total_seconds()))
    return figures


def _count(*, today: date, limit: int, token: str | None, now: datetime) -> TodayFigures:
    headrooms = workplaces_headroom(
        workplaces=Workplace.objects.filter(centres__isnull=False)
        .distinct()
        .order_by("company__name", "name"),
        day=today,
    )
    return TodayFigures(
        day=today,
        counted_at=now,
        token=token,
        limit=limit,
        places=places_today(today=today),
        headroom_total=len(headrooms),
        headroom_attention=sum(1 for h in headrooms if h.needs_attention),
        headrooms=headrooms_needing_attention(headrooms, limit=limit),
    )


def forget() -> None:
    """What changed is counted on the next view: a new token for the jobcentre whose data
    was written (its schema now, whatever the connection points at when the transaction
    commits) once the write commits - at once outside a transaction. One new token per
    commit and jobcentre, however many rows it saves. The cache being down is the cache's
    concern (it logs)."""
    schema = connection.schema_name
    # Every write registers its callback (so none is lost with a rolled-back savepoint),
    # but the writes since the last token share one batch: its first callback to run
    # sets the token, the rest of the commit's find it done (no Redis call each).
    batches = connection.__dict__.setdefault("_today_batches", {})
    batch = batches.get(schema)
    if batch is None or batch["done"]:
        batch = batches[schema] = {"done": False}

    def new_token() -> None:
        if batch["done"]:
            return
        batch["done"] = True
        with schema_context(schema):
            cache.set(TOKEN_KEY, uuid.uuid4().hex, timeout=TOKEN_SECONDS)

    transaction.on_commit(new_token)
