"""Pages of a long list by keyset: the one pager of every list page (issue 24).

A list is shown `size` rows at a time in an order that ends in the primary key (the view's
`order_by("name", "pk")`; the key is added when missing). The links to the next and the
previous page carry the id of the row the page ends or starts at (`?efter=<id>`,
`?foer=<id>`): PostgreSQL seeks to that row's place in the order's index instead of
counting and skipping the rows before it, so page 1,000 costs what page 1 does, and the URL
holds an id, never a name or a CPR number. A row written or removed while someone pages
does not shift the others.

The total is counted up to `COUNT_CAP` rows (COUNT over a LIMIT): a filtered list gets its
exact size, a long one "mere end 1.000" - never a COUNT(*) over a million rows. A list that
fits on its first page (a search's few hits) is its rows: no count, no second search.

The order's columns must be fields (a related one too: `candidate__name`) that are never
NULL, all ascending or all descending (the row comparison `(name, id) > (x, y)` that an index
on the columns serves).
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import F, QuerySet
from django.db.models.fields.tuple_lookups import Tuple, TupleGreaterThan, TupleLessThan

AFTER = "efter"  # the rows after this id in the list's order: the next page
BEFORE = "foer"  # the rows before it: the previous page
COUNT_CAP = 1000
# The rows a list page shows: the candidates, the courses, the due list, the waiting list,
# the contracts, a centre's courses in the key figures and the audit log alike. Fifty is
# two to three screens on a desktop; the filters narrow a list further, and the cost of a
# page grows with its rows (issue 24).
PAGE_SIZE = 50


@dataclass
class KeysetPage:
    """One page: its rows, the ids for the next/previous links (None: no such page) and the
    list's size (`total`, at most COUNT_CAP; `total_capped`: there are more)."""

    rows: list
    next_id: int | None = None
    previous_id: int | None = None
    total: int | None = None  # None: not counted
    total_capped: bool = False
    query: str = field(default="")  # the page's other parameters, for its links

    def __iter__(self):
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def has_other_pages(self) -> bool:
        return self.next_id is not None or self.previous_id is not None


def cursor_of(request, name: str) -> int | None:
    """A page's cursor from the query: a positive id, or None (a bad one is the first page)."""
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 19 else None


def query_without_cursor(request, *drop: str) -> str:
    """The page's other parameters (filters, sort), for its links; `drop` names more to leave
    out (a download's parameter)."""
    query = request.GET.copy()
    for name in (AFTER, BEFORE, *drop):
        query.pop(name, None)
    return query.urlencode()


def _order(queryset: QuerySet) -> tuple[list[str], bool]:
    """The queryset's order as field names ending in the key, and whether it descends."""
    names = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    if not names:
        names = ["pk"]
    descending = names[0].startswith("-")
    if any(n.startswith("-") != descending or not isinstance(n, str) for n in names):
        raise ValueError(f"A keyset order is fields in one direction: {names}")
    fields = [n.lstrip("-") for n in names]
    if not {"pk", "id"} & set(fields):
        fields.append("pk")
    return fields, descending


def keyset_page(
    queryset: QuerySet, *, request, size: int, count: bool = True, drop: tuple = ()
) -> KeysetPage:
    """The page of `queryset` (ordered) that the request's `?efter=`/`?foer=` asks for, or
    the first. Three short queries: the cursor row's sort key, the page (size + 1 rows, to
    know whether there is a further one) and the capped count (`count=False`: none; a
    first page that holds the whole list: its length)."""
    fields, descending = _order(queryset)
    after, before = cursor_of(request, AFTER), cursor_of(request, BEFORE)
    cursor = after if after is not None else before
    key = None
    if cursor is not None:
        key = queryset.model._base_manager.filter(pk=cursor).values_list(*fields).first()
    forward = before is None or key is None
    # Backwards: the rows before the cursor, nearest first (reversed again below).
    query_descends = descending if forward else not descending
    order = [f"-{f}" if query_descends else f for f in fields]
    rows_qs = queryset.order_by(*order)
    if key is not None:
        beyond = TupleLessThan if query_descends else TupleGreaterThan
        rows_qs = rows_qs.filter(beyond(Tuple(*(F(f) for f in fields)), key))
    rows = list(rows_qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if forward:
        page = KeysetPage(
            rows=rows,
            next_id=rows[-1].pk if rows and more else None,
            previous_id=rows[0].pk if rows and key is not None else None,
        )
    else:
        rows.reverse()
        page = KeysetPage(
            rows=rows,
            next_id=rows[-1].pk if rows else None,
            previous_id=rows[0].pk if rows and more else None,
        )
    if count and key is None and not more:
        page.total = len(rows)  # the whole list is on its first page: no count to run
    elif count:
        page.total = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        page.total_capped = page.total > COUNT_CAP
        page.total = min(page.total, COUNT_CAP)
    page.query = query_without_cursor(request, *drop)
    return page


def _first_row(*, after: int | None, before: int | None, total: int, size: int) -> int:
    """The index of a numbered page's first row: `?efter=50` is the rows after the 50th,
    `?foer=51` the rows before the 51st; a cursor beyond the end is the last page."""
    if before is not None:
        return max(0, min(before - 1, total) - size)
    return min(after or 0, max(0, total - 1))


def _numbered(rows: list, *, first: int, total: int, request) -> KeysetPage:
    last = first + len(rows)
    return KeysetPage(
        rows=rows,
        next_id=last if last < total else None,
        previous_id=first + 1 if first > 0 else None,
        total=total,
        query=query_without_cursor(request),
    )


def numbered_page(
    fetch: Callable[[int, int], tuple[list, int]], *, request, size: int
) -> KeysetPage:
    """A page of a work list put together from several tables in an order no index holds
    (the due list): the same links, by row number - `?efter=50` is the rows after the 50th,
    `?foer=51` the rows before the 51st - and the exact total. `fetch(first, size)` returns
    those rows and the total (one query: LIMIT/OFFSET and a count over the same rows, which
    PostgreSQL must put together whole to order anyway); a cursor beyond the end costs a
    second fetch."""
    after, before = cursor_of(request, AFTER), cursor_of(request, BEFORE)
    first = max(0, before - 1 - size) if before is not None else (after or 0)
    rows, total = fetch(first, size)
    wanted = _first_row(after=after, before=before, total=total, size=size)
    if wanted != first:
        first = wanted
        rows, total = fetch(first, size)
    return _numbered(rows, first=first, total=total, request=request)
