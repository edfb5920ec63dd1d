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
test can walk the URLs and find a page about people that declares nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from .services import audit_access


@dataclass(frozen=True)
class ReadDeclaration:
    action: str
    purpose: str
    # The URL's pk -> the candidate's id (a page about one person), or None for an export.
    candidate_of: Callable[[object], object] | None = None
    # An export: the query parameter that makes the list page a download (None: always).
    export_param: str | None = None


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
        return wrapped

    return decorator


def logs_read(*, action: str, purpose: str, candidate_of: Callable[[object], object]):
    """The view shows one candidate: log `action` with `purpose` for that candidate."""
    declaration = ReadDeclaration(action=action, purpose=purpose, candidate_of=candidate_of)

    def log(request, kwargs):
        candidate_id = candidate_of(kwargs.get("pk"))
        if candidate_id is not None:
            audit_access(request=request, action=action, purpose=purpose, candidate_id=candidate_id)

    return _declare(declaration, log)


def logs_export(*, purpose: str, param: str | None = None):
    """The view downloads a list of people (when `param` is in the query, or always): log
    an "export" with the URL asked for."""
    declaration = ReadDeclaration(action="export", purpose=purpose, export_param=param)

    def log(request, kwargs):  # noqa: ARG001 - an export names no one person
        if param is None or request.GET.get(param):
            audit_access(
                request=request,
                action="export",
                purpose=purpose,
                label=request.get_full_path()[:200],
            )

    return _declare(declaration, log)
