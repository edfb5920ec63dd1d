"""The contract list's table rows as HTML (documents/rows.py: built in Python, one
`format_html` a row, with the labels and the URL pattern prepared once per page)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

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
