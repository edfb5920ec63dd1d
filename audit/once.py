"""One-time form tokens: a double-clicked or resent form stores once (issue 19, finding 2).

Every form that creates a row carries `{% form_token %}` (audit/templatetags/once.py), a
random UUID made when the page was drawn, and its view is wrapped in `@submitted_once`.
The first POST with a token inserts the token's row and runs the view in the same
transaction; a second POST with the same token waits on PostgreSQL's unique index until
the first has committed, finds the row and answers with the first answer (the same
redirect, or the same small page) without running the view again. A refused form (4xx)
frees its token, so the corrected form can be sent. A POST without a token runs as before.
"""

import uuid
from functools import wraps

from django.contrib import messages
from django.db import connection, transaction
from django.http import HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _

from .models import FormSubmission

FIELD = "form_token"
# A replayed page is a partial or a short confirmation; a bigger answer is not stored.
MAX_STORED_BODY = 256 * 1024


def new_token() -> str:
    return str(uuid.uuid4())


def _token(request) -> uuid.UUID | None:
    if request.method != "POST":
        return None
    try:
        return uuid.UUID(request.POST.get(FIELD, ""))
    except ValueError:
        return None


def _claim(*, token: uuid.UUID, user_id, path: str) -> bool:
    """Insert the token's row; False when a submission with it exists (committed)."""
    table = FormSubmission._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (token, user_id, path, created_at, location, content_type, body)"  # noqa: S608 - the model's own table name
            " VALUES (%s, %s, %s, now(), '', '', '') ON CONFLICT (token) DO NOTHING RETURNING id",
            [token, user_id, path[:300]],
        )
        return cursor.fetchone() is not None


def _replay(request, first: FormSubmission):
    messages.info(request, _("Formularen var allerede sendt; den er kun gemt én gang."))
    if first.location:
        return HttpResponseRedirect(first.location)
    response = HttpResponse(
        bytes(first.body), status=first.status or 200, content_type=first.content_type or None
    )
    return response


def submitted_once(view):
    """Run the view once per form token; see the module's docstring."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        token = _token(request)
        if token is None:
            return view(request, *args, **kwargs)
        user_id = getattr(request.user, "pk", None)
        with transaction.atomic():
            if not _claim(token=token, user_id=user_id, path=request.path):
                first = FormSubmission.objects.filter(token=token).first()
                if first is not None and first.user_id == user_id and first.path == request.path:
                    return _replay(request, first)
                # Not this person's or this form's token: no answer of someone else's.
                return view(request, *args, **kwargs)
            response = view(request, *args, **kwargs)
            _remember(token=token, response=response)
        return response

    return wrapper


def _remember(*, token: uuid.UUID, response) -> None:
    rows = FormSubmission.objects.filter(token=token)
    if response.status_code >= 400 or getattr(response, "streaming", False):
        rows.delete()  # refused (nothing stored): the corrected form may use the token
        return
    if 300 <= response.status_code < 400:
        rows.update(status=response.status_code, location=response.get("Location", "")[:500])
        return
    body = response.content if len(response.content) <= MAX_STORED_BODY else b""
    rows.update(
        status=response.status_code,
        content_type=response.get("Content-Type", "")[:100],
        body=body,
    )
