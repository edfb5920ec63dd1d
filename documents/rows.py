"""A long table's rows as HTML built in Python, for the list pages (issue 24).

The Django template engine costs 10-20 µs per variable, tag or filter it meets; a row of a
150-row table with a `{% url %}`, a `{% status %}` badge, a date and an amount filter cost
more than the page's queries (billing month: the row loop was 75 % of the request). A list
page whose rows are many builds each row with one `format_html` (every value escaped, as
the template would) from values prepared once per page: a translated label, a URL pattern,
a choice's labels. The page's template loops over the finished rows and keeps the rest of
the markup (headings, forms, the pager).
"""

import html
from collections.abc import Callable
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

_SENTINEL = 987654321


def escaped(value) -> str:
    """`conditional_escape(value)`: a safe string (one with `__html__`) as it is, anything
    else as text with & < > " ' escaped - without conditional_escape's and escape()'s
    checks for lazy arguments, a third of format_html's time (a lazy translation is text
    here through str())."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def format_html_fast(template: str, *values) -> SafeString:
    """`format_html(template, *values)` for the pieces a page makes by the hundred (a
    list's rows, a select's options): the same escaping (`escaped`), at a third of the
    time (5 against 17 µs for a six-cell row)."""
    return mark_safe(template.format(*map(escaped, values)))  # noqa: S308 - values escaped


def joined(pieces, separator: str = "") -> SafeString:
    """Pieces put together, each escaped unless it is safe (format_html_join's "{}")."""
    return mark_safe(separator.join(map(escaped, pieces)))  # noqa: S308 - pieces escaped


def url_of(name: str) -> Callable[[object], str]:
    """`reverse(name, args=[pk])` for many rows at the cost of one reverse: the URL pattern's
    one argument (an id) is put in by text. `url_of("billing:statement")(12)` ->
    "/afregning/opgoerelse/12/"."""
    url = reverse(name, args=[_SENTINEL])
    head, found, tail = url.rpartition(str(_SENTINEL))
    if not found:
        raise ValueError(f"{name}: its argument is not in its URL")
    return lambda pk: f"{head}{pk}{tail}"


def labels_of(choices) -> dict[str, str]:
    """A choices class's (or list's) code -> label, translated once for the page."""
    return {code: str(label) for code, label in getattr(choices, "choices", choices)}


def day_text(day: date | None) -> str:
    """A day as the pages show it: "01.12.2026" (the `|date:"d.m.Y"` of the templates)."""
    return "" if day is None else f"{day:%d.%m.%Y}"


def moment_text(moment: datetime | None) -> str:
    """A moment in the jobcentre's time zone: "01.12.2026 14:05" (`|date:"d.m.Y H:i"`)."""
    return "" if moment is None else f"{timezone.localtime(moment):%d.%m.%Y %H:%M}"
