"""The mentor's day rows and week cells as HTML built in Python (documents/rows.py, issue 24).

A day at Copenhagen scale has 48 rows of buttons, and the week 48 rows of up to seven cells:
rendered by the template engine, each row's two dozen variables, tags and translations cost
more than the page's queries (the day page's row loop was half of the request). Here each
row is one `format_html` (every value escaped, as the template would) from texts and markup
prepared once per page: the translated labels, the hidden fields every row repeats, the
buttons for each of the five states a row can be in.
"""

from collections.abc import Iterable
from datetime import date

from django.utils import dateformat, timezone
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from documents.rows import format_html_fast, labels_of

from .models import AttendanceStatus
from .selectors import AttendanceRow

# The row as the page's script (static/js/attendance.js) and its styles know it: the row's
# id and state line, the form htmx posts and swaps, the offline queue's label.
DAY_ROW = (
    '<li class="att-row{classes}" id="{dom_id}">\n'
    '<form method="post" action="{save_url}" hx-post="{save_url}" hx-target="closest .att-row"'
    ' hx-swap="outerHTML" hx-sync="this:queue last" data-offline-queue'
    ' data-offline-label="{name}">\n{hidden}'
    '<input type="hidden" name="date" value="{day}">\n'
    '<div class="att-head">\n<a class="att-name" href="{course_url}">{name}</a>\n'
    '<span class="att-state {state_class}" role="status" aria-live="polite">{state}</span>'
    "{recorded}{replaced}\n</div>\n"
    '<div class="att-present">\n<label class="att-hours">{t_hours} <input name="hours"'
    ' value="{hours}" inputmode="decimal" size="4" maxlength="5" aria-label="{hours_label}">'
    "</label>\n{buttons}</div>\n</form>\n</li>\n"
)
BUTTON = (
    '<button type="submit" name="status" value="{}" class="att-btn{}" aria-pressed="{}">{}'
    "</button>\n"
)
ABSENT_STATES = (
    AttendanceStatus.SICK,
    AttendanceStatus.ABSENT,
    AttendanceStatus.AGREED_ABSENCE,
)


def decimal_text(value) -> str:
    """A Decimal as the templates localise it for Danish: "4,0" (no thousands: hours)."""
    return str(value).replace(".", ",")


def _buttons(pressed: str | None, labels: dict[str, str]) -> SafeString:
    """The row's four buttons, the one of its recorded status pressed."""

    def button(status, extra=""):
        return format_html(
            BUTTON, status, extra, "true" if status == pressed else "false", labels[status]
        )

    absent = mark_safe("".join(button(s) for s in ABSENT_STATES))  # noqa: S308 - format_html
    return format_html(
        '{}</div>\n<div class="att-absent">\n{}',
        button(AttendanceStatus.PRESENT, " att-btn-present"),
        absent,
    )


def day_rows_html(rows: Iterable[AttendanceRow], *, csrf_token: str, next_url: str) -> SafeString:
    """The day's `<li>` rows (one row after a save): the candidate's name linked to the
    course, the state line (saved, refused, recorded or not, who recorded it and what a
    save replaced), the hours field (labelled with the candidate's name) and the buttons."""
    labels = labels_of(AttendanceStatus)
    short = {
        AttendanceStatus.PRESENT: _("Mødt"),
        AttendanceStatus.SICK: _("Syg"),
        AttendanceStatus.ABSENT: _("Udeblevet"),
        AttendanceStatus.AGREED_ABSENCE: _("Aftalt fravær"),
    }
    buttons = {status: _buttons(status, short) for status in [None, *labels]}
    hidden = format_html(
        '<input type="hidden" name="csrfmiddlewaretoken" value="{}">\n'
        '<input type="hidden" name="next" value="{}">\n',
        csrf_token,
        next_url,
    )
    t_hours, t_unregistered = escape(_("Timer")), _("Ikke registreret")
    hours_for, saved_as = _("Timer for %(name)s"), _("Gemt: %(status)s")
    recorded_by = _("Registreret af %(name)s kl. %(time)s")
    replaced_from = _("Erstattede registreringen fra %(name)s (%(status)s, kl. %(time)s).")
    html = []
    for row in rows:
        status = row.status
        label = labels.get(status, status) if status else ""
        if row.error:
            state_class, state = "state-bad", row.error
        elif row.saved:
            state_class, state = "state-ok", saved_as % {"status": label}
        elif status:
            state_class = "state-ok"
            state = f"{label} ({decimal_text(row.hours)} t)" if status == "present" else label
        else:
            state_class, state = "muted", t_unregistered
        recorded = replaced = ""
        if row.recorded_by:
            recorded = format_html(
                '\n<small class="att-by muted">{}</small>',
                recorded_by % {"name": row.recorded_by, "time": _clock(row.recorded_at)},
            )
        if row.replaced:
            old = row.replaced
            replaced = format_html(
                '\n<small class="att-replaced state-bad">{}</small>',
                replaced_from
                % {
                    "name": old.recorded_by or _("en anden"),
                    "status": old.status_label,
                    "time": _clock(old.recorded_at),
                },
            )
        classes = f" is-{status}" if status else ""
        if row.saved:
            classes += " is-saved"
        if row.error:
            classes += " is-failed"
        name = escape(row.candidate_name)
        # str.format on escaped values: what format_html does, without its per-argument
        # lazy-string checks (15 arguments x 48 rows). Ids, dates, codes and the prepared
        # markup need no escaping; every text is escaped here.
        html.append(
            DAY_ROW.format(
                classes=escape(classes),
                dom_id=row.dom_id,
                save_url=escape(row.save_url),
                course_url=escape(row.course_url),
                name=name,
                hidden=hidden,
                day=row.day.isoformat(),
                state_class=state_class,
                state=escape(state),
                recorded=recorded,
                replaced=replaced,
                t_hours=t_hours,
                hours=decimal_text(row.hours_value),
                hours_label=escape(hours_for % {"name": row.candidate_name}),
                buttons=buttons.get(status, buttons[None]),
            )
        )
    return mark_safe("".join(html))  # noqa: S308 - every value above is escaped


def _clock(moment) -> str:
    """A moment's time of day in the jobcentre's zone ("14:05"), "" if unknown."""
    return f"{timezone.localtime(moment):%H:%M}" if moment else ""


LETTER = {
    AttendanceStatus.SICK: "S",
    AttendanceStatus.ABSENT: "U",
    AttendanceStatus.AGREED_ABSENCE: "F",
}


def week_head_html(day_urls: dict[date, str], *, today: date) -> SafeString:
    """The week's day headers: "ma" over "1", linked to the day when it has come (the
    template's `|date:"D"|slice:":2"` and `|date:"j"`, one format a day)."""
    cells = []
    for day, url in day_urls.items():
        short, number = dateformat.format(day, "D")[:2], day.day
        if day <= today:
            cells.append(
                format_html(
                    '<th scope="col"><a href="{}" title="{}">{}<br>{}</a></th>',
                    url,
                    dateformat.format(day, "l j. F"),
                    short,
                    number,
                )
            )
        else:
            cells.append(format_html('<th scope="col">{}<br>{}</th>', short, number))
    return mark_safe("".join(cells))  # noqa: S308 - each cell is format_html's


def week_rows_html(rows, *, day_urls: dict[date, str], today: date) -> SafeString:
    """The week's `<tr>` rows: the candidate linked to the course, then a cell a day - "·"
    not placed, the hours present, S/U/F absent, "?" not registered (linked to the day),
    empty for a day still to come. `rows` are (course URL, name, [AttendanceRow | None])."""
    labels = labels_of(AttendanceStatus)
    not_placed = format_html(
        '<td class="cell"><span class="muted" title="{}">·</span></td>', _("Ikke i forløb")
    )
    missing = {
        day: format_html(
            '<td class="cell"><a href="{}" class="missing" title="{}">?</a></td>',
            url,
            _("Ikke registreret"),
        )
        for day, url in day_urls.items()
    }
    future = SafeString('<td class="cell"></td>')
    # A recorded cell is the same markup wherever its day, state and text recur (most of a
    # week's 336 cells are "4" hours present on one of five days): made once each.
    recorded: dict[tuple, str] = {}

    def status_td(cell, text: str) -> str:
        key = (cell.day, cell.status, text)
        if key not in recorded:
            recorded[key] = _status_td(cell, text, labels, day_urls)
        return recorded[key]

    html = []
    for course_url, name, cells in rows:
        tds = []
        for cell in cells:
            if cell is None:
                tds.append(not_placed)
            elif cell.day > today:
                tds.append(future if not cell.status else status_td(cell, ""))
            elif cell.status:
                text = (
                    decimal_text(cell.hours)
                    if cell.status == AttendanceStatus.PRESENT
                    else LETTER.get(cell.status, "F")
                )
                tds.append(status_td(cell, text))
            else:
                tds.append(missing[cell.day])
        html.append(
            format_html_fast(
                '<tr><th scope="row"><a href="{}">{}</a></th>\n{}\n</tr>\n',
                course_url,
                name,
                mark_safe("".join(tds)),  # noqa: S308 - each cell is format_html's
            )
        )
    return mark_safe("".join(html))  # noqa: S308 - each row is format_html's


def _status_td(cell, text, labels, day_urls) -> SafeString:
    """A recorded day's cell: linked to the day (none for a future day, as before)."""
    if not text:
        return format_html('<td class="cell is-{}"></td>', cell.status)
    return format_html(
        '<td class="cell is-{}"><a href="{}" title="{}">{}</a></td>',
        cell.status,
        day_urls[cell.day],
        labels.get(cell.status, cell.status),
        text,
    )
