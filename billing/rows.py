"""The month page's table rows as HTML (documents/rows.py: built in Python, one
`format_html` a row, since a month has a row per contract - 150 in Copenhagen)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from codes.lists import PaymentModel
from codes.numbers import money
from codes.templatetags.status import badge
from documents.rows import labels_of, url_of

from .models import StatementKind, StatementStatus
from .selectors import MonthStatement

ROW = (
    '<tr{}><td><a href="{}">{}</a></td><td>{} ({} {})</td><td>{}</td><td>{}{}</td>'
    '<td>{}{}</td><td>{}</td><td class="num">{}</td></tr>'
)


def month_rows(statements: list[MonthStatement]) -> list[SafeString]:
    """One `<tr>` per statement: centre (linked to the statement), company and CVR, payment
    model, kind (a correction names the statement it corrects), status badge with the
    shortfall mark, line count and total."""
    url = url_of("billing:statement")
    models, kinds = labels_of(PaymentModel), labels_of(StatementKind)
    badges = {code: badge(code, label) for code, label in labels_of(StatementStatus).items()}
    cvr, of = _("CVR"), _("af")
    shortfall = format_html(' <span class="state-bad">{}</span>', _("for få mentortimer"))
    correction = SafeString(' class="billing-correction"')
    rows = []
    for s in statements:
        rows.append(
            format_html(
                ROW,
                correction if s.is_correction else "",
                url(s.pk),
                s.centre_name,
                s.company_name,
                cvr,
                s.company_cvr,
                models.get(s.payment_model, s.payment_model),
                kinds.get(s.kind, s.kind),
                f" {of} #{s.corrects_id}" if s.is_correction else "",
                badges.get(s.status) or badge(s.status, s.status),
                shortfall if s.hours_shortfall else "",
                s.line_count,
                money(s.total),
            )
        )
    return rows
