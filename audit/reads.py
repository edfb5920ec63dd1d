"""Reads of personal data into the audit log, declared by the view that reads.

A view that shows a candidate (a page about the person, a course, a referral) or lets a
list of people be downloaded says so with a decorator; the audit app needs no table of
other apps' URLs and imports none of them. The read is logged when an authenticated user
gets a 200 answer to a GET; changes (POST) are logged by the services that make them.

    @login_required
    @logs_read(action="course.view", purpose="Opfølgning på forløbet", candidate_of=_of_course)
    def course_detail(request, pk): ...

`candidate_of` turns the URL's `pk` into the id of the candidate read (None: nothing is
logged, e.g. the object is gone). The declaration stays on the view as `audit_read`, so a
test can walk the URLs and find a page about people that declares nothing; a view with
two (a list page that also downloads) has them all in `audit_reads`.

A list page of people (a list, a search) declares `@logs_list_read`: one event per page
shown, with the ids of the candidates on it (`subjects`, so each finds the read in their
access log) and the search criteria, a CPR number never in clear. `shown(request)` gives
the rows the page shows - a `Shown` of candidate ids in the page's order and the criteria -
or all of them (an unpaged list, an export: still one event).

    @logs_list_read(purpose="Genbesættelse", shown=list_reads.refill)

A page whose view has its rows in hand already (a paged list - documents/paging.py -, a
work list, a start page, a day of attendance) hands their candidate ids over with
`show(request, ids, criteria)` and declares
`shown=shown_by_view`: logged without running the page's queries a second time.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps

from .rules import search_criteria
from .services import audit_access

__all__ = [
    "Shown",
    "filter_criteria",
    "show",
    "shown_by_view",
    "logs_export",
    "logs_list_read",
    "logs_read",
    "search_criteria",
]


@dataclass(frozen=True)
class Shown:
    """What a list page shows: candidate ids (a queryset of ids or a list), its criteria."""

    candidate_ids: Iterable
    criteria: str = ""


@dataclass(frozen=True)
class ReadDeclaration:
    action: str
    purpose: str
    # The URL's pk -> the candidate's id (a page about one person), or None for an export.
    candidate_of: Callable[[object], object] | None = None
    # An export: the query parameter that makes the list page a download (None: always).
    export_param: str | None = None
    # A list read: the rows the page shows.
    shown: Callable[[object], Shown] | None = None


def show(request, candidate_ids: Iterable, criteria: str = "") -> None:
    """The view's own rows, for its `@logs_list_read(shown=shown_by_view)`: the candidates
    the page shows (repeats and None dropped, in the page's order)."""
    seen = dict.fromkeys(i for i in candidate_ids if i is not None)
    request.audit_shown = Shown(list(seen), criteria)


def shown_by_view(request) -> Shown:
    """`shown` of a page that hands its rows over with `show()` (nobody shown: none)."""
    return getattr(request, "audit_shown", None) or Shown(())


def filter_criteria(filterset) -> str:
    """The criteria of a django-filter search, as "label: value; ...", the search text
    through `search_criteria`. Empty when nothing is filtered."""
    form = filterset.form
    if not form.is_bound or not form.is_valid():
        return ""
    parts = []
    for name, value in form.cleaned_data.items():
        if value in (None, "", [], ()):
            continue
        field = form.fields[name]
        if name == "q":
            shown = search_criteria(value)
        elif isinstance(value, list | tuple):
            shown = ", ".join(str(v) for v in value)
        else:
            choices = dict(getattr(field, "choices", None) or [])
            shown = str(choices.get(value, value))
        parts.append(f"{field.label}: {shown}")
    return "; ".join(parts)


def candidate_itself(pk):
    """For a page whose pk is the candidate's own."""
    return pk


def _is_read(request, response) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method == "GET"
        and response.status_code == 200
        and user is not None
        and user.is_authenticated
    )


def _declare(declaration: ReadDeclaration, log: Callable) -> Callable:
    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if _is_read(request, response):
                log(request, kwargs)
            return response

        wrapped.audit_read = declaration
        wrapped.audit_reads = (*getattr(view, "audit_reads", ()), declaration)
        return wrapped

    return decorator


def _shown_ids(shown: Shown) -> list[int]:
    return [int(i) for i in shown.candidate_ids if i is not None]


def logs_read(*, action: str, purpose: str, candidate_of: Callable[[object], object]):
    """The view shows one candidate: log `action` with `purpose` for that candidate."""
    declaration = ReadDeclaration(action=action, purpose=purpose, candidate_of=candidate_of)

    def log(request, kwargs):
        candidate_id = candidate_of(kwargs.get("pk"))
        if candidate_id is not None:
            audit_access(request=request, action=action, purpose=purpose, candidate_id=candidate_id)

    return _declare(declaration, log)


def logs_list_read(
    *,
    purpose: str,
    shown: Callable[[object], Shown],
    unless: str | None = None,
    action: str = "list.view",
):
    """The view shows a list of people (a page, or all): log one
    `action` with `purpose`, the ids of the candidates shown and the search criteria. Not
    when the query has `unless` (the same view's download, which `@logs_export` logs)."""
    declaration = ReadDeclaration(action=action, purpose=purpose, shown=shown)

    def log(request, kwargs):  # noqa: ARG001 - a list names no one person in its URL
        if unless is not None and request.GET.get(unless):
            return
        rows = shown(request)
        if shown is shown_by_view and not rows.candidate_ids and not rows.criteria:
            return  # a work list with nobody on it today: no one's data was read
        audit_access(
            request=request,
            action=action,
            purpose=purpose,
            label=request.path[:200],
            subjects=_shown_ids(rows),
            criteria=rows.criteria,
        )

    return _declare(declaration, log)


def logs_export(*, purpose: str, param: str | None = None, shown=None):
    """The view downloads a list of people (when `param` is in the query, or always): log
    an "export" with the URL asked for and, given `shown`, every candidate in the download
    and the search criteria (one event, however long the list)."""
    declaration = ReadDeclaration(action="export", purpose=purpose, export_param=param, shown=shown)

    def log(request, kwargs):  # noqa: ARG001 - an export names no one person
        if param is None or request.GET.get(param):
            rows = shown(request) if shown is not None else None
            audit_access(
                request=request,
                action="export",
                purpose=purpose,
                label=request.path[:200],
                subjects=_shown_ids(rows) if rows is not None else None,
                criteria=rows.criteria if rows is not None else "",
            )

    return _declare(declaration, log)
