"""The log pages' table rows as HTML (documents/rows.py: built in Python, one
`format_html_fast` a row - a page is documents.paging.PAGE_SIZE events - with the labels,
the URL patterns and each record type's link prepared once per page)."""

from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from documents.rows import format_html_fast, joined, moment_text, url_of

from .labels import action_label
from .links import record_link
from .models import AuditEvent

ROW = (
    '<tr><td>{}{}</td><td>{}{}</td><td title="{}">{}</td><td>{}</td><td>{}{}{}</td>'
    "<td>{}{}</td></tr>"
)
SMALL = "<br><small>{}</small>"
LINK = '<a href="{}">{}</a>'
CANDIDATE_TYPE = "candidates.candidate"


def event_rows(events, *, user, candidate_names: dict[int, str]) -> list[SafeString]:
    """One `<tr>` per event (rows of plain values, audit.views.SHOWN_FIELDS): when (and
    from where), who (linked to the user's log, by name: AuditEvent.actor_display_of) and
    in what role, the action in Danish (the code as its title), the object (a candidate
    linked to its log under the current name in `candidate_names`, a record to its page
    where `user` may open it), fields and purpose, and the search with the number of
    candidates shown."""
    user_url, candidate_url = url_of("audit:user"), url_of("audit:candidate")
    actions: dict[str, str] = {}
    links: dict[str, object] = {}
    rows = []
    for e in events:
        if e.action not in actions:
            actions[e.action] = action_label(e.action)
        if e.object_type == CANDIDATE_TYPE:
            label = (
                candidate_names.get(int(e.object_id)) if e.object_id.isdigit() else None
            ) or e.object_label
            target = format_html_fast(LINK, candidate_url(e.object_id), label)
        else:
            if e.object_type not in links:
                links[e.object_type] = record_link(object_type=e.object_type, user=user)
            url = links[e.object_type]
            record = url(e.object_id) if url is not None and e.object_id.isdigit() else None
            target = (
                format_html_fast(LINK, record, e.object_label or e.object_id)
                if record
                else e.object_label
            )
        if e.actor_id:
            name = AuditEvent.actor_display_of(
                e.actor__first_name, e.actor__last_name, e.actor_label
            )
            actor = format_html_fast(LINK, user_url(e.actor_id), name)
        else:
            actor = e.actor_label
        shown = len(e.subjects)
        rows.append(
            format_html_fast(
                ROW,
                moment_text(e.at),
                format_html_fast(SMALL, e.ip) if e.ip else "",
                actor,
                format_html_fast(SMALL, e.actor_role) if e.actor_role else "",
                e.action,
                actions[e.action],
                target,
                joined(e.fields, ", ") if e.fields else "",
                SafeString("<br>") if e.fields and e.purpose else "",
                e.purpose,
                e.criteria,
                format_html_fast(
                    "{}{}",
                    " · " if e.criteria else "",
                    ngettext("%(n)s kandidat", "%(n)s kandidater", shown) % {"n": shown},
                )
                if shown
                else "",
            )
        )
    return rows
