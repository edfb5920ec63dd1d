"""The waiting list's table rows as HTML (documents/rows.py: built in Python, one
`format_html` a row, with the labels and the URL patterns prepared once per page)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from documents.rows import day_text, url_of

from .models import Referral

ROW = '<tr><td><a href="{}">{}</a></td>' + "<td>{}</td>" * 5 + "</tr>"
VISITATION = '<a href="{}">{}<span class="visually-hidden"> {}</span></a>'


def waiting_rows(referrals: list[Referral], *, can_manage: bool) -> list[SafeString]:
    """One `<tr>` per waiting referral: name (linked to the candidate), CPR masked, referred
    on, days waited, wishes (the referral's, else the candidate's, cut at 80 characters)
    and, for a user who may start a course, the link to the visitation."""
    candidate_url = url_of("candidates:detail")
    visitation_url = url_of("candidates:visitation")
    visitation = _("Visitation")
    rows = []
    for r in referrals:
        candidate = r.candidate
        link = (
            format_html(VISITATION, visitation_url(r.pk), visitation, candidate.name)
            if can_manage
            else ""
        )
        rows.append(
            format_html(
                ROW,
                candidate_url(r.candidate_id),
                candidate.name,
                candidate.cpr_masked,
                day_text(r.referred_on),
                r.waited.days,
                Truncator(r.wishes or candidate.wishes).chars(80),
                link,
            )
        )
    return rows
