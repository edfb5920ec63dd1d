"""The contract list's and the staff-ratio tables' rows as HTML (documents/rows.py: built in
Python, one `format_html` a row, with the labels and the URL pattern prepared once per page)."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from codes.numbers import number
from codes.templatetags.status import badge
from documents.rows import day_text, labels_of, url_of

from .models import ContractStatus

ROW = '<tr><td><a href="{}">{}</a></td><td>{} ({} {})</td><td>{}–{}</td><td>{}</td><td>{}</td></tr>'


def contract_rows(contracts) -> SafeString:
    """The table body: one `<tr>` per contract (a row of selectors.contracts_for_list):
    centre (linked to the contract), company and CVR, period, places and status badge; one
    string, so that the template does not loop over 50 rows ("" when there are none)."""
    url = url_of("contracts:detail")
    badges = {code: badge(code, label) for code, label in labels_of(ContractStatus).items()}
    cvr = _("CVR")
    return SafeString(
        "".join(
            format_html(
                ROW,
                url(c.pk),
                c.centre__name,
                c.centre__company__name,
                cvr,
                c.centre__company__cvr,
                day_text(c.start),
                day_text(c.end),
                c.places,
                badges.get(c.status) or badge(c.status, c.status),
            )
            for c in contracts
        )
    )


HEADROOM_ROW = (
    '<tr><th scope="row"><a href="{}">{}</a>{}</th><td>{}</td><td>{}</td><td>{}</td>'
    "<td>{}</td><td>{}</td><td>{}</td></tr>"
)


def headroom_rows(headrooms) -> SafeString:
    """The staff-ratio table's rows (contracts/_headroom_table.html), one per
    contracts.selectors.WorkplaceHeadroom: the workplace (linked) and its P-number, ordinary
    employees, the limit, placed by the jobcentre and by others, free places and the
    written statement, with a missing or failing fact marked bad."""
    url = url_of("contracts:workplace")
    p_label = _("P-nr.")
    not_stated = format_html('<span class="state-bad">{}</span>', _("ikke oplyst"))
    statement = {
        None: format_html('<span class="state-bad">{}</span>', _("mangler")),
        True: format_html('<span class="state-ok">{}</span>', _("rimeligt forhold")),
        False: format_html('<span class="state-bad">{}</span>', _("ikke rimeligt")),
    }
    return format_html_join(
        "\n",
        HEADROOM_ROW,
        (
            (
                url(h.workplace.pk),
                h.workplace.name,
                format_html('<br><small class="muted">{} {}</small>', p_label, h.workplace.p_number)
                if h.workplace.p_number
                else "",
                not_stated if h.employees is None else number(h.employees),
                h.limit,
                h.placed,
                h.others,
                format_html(
                    '<span class="{}">{}</span>', "state-ok" if h.free else "state-bad", h.free
                ),
                statement[h.statement_ok],
            )
            for h in headrooms
        ),
    )
