"""The candidate list's and the waiting list's table rows as HTML (documents/rows.py: built
in Python, one `format_html` a row, with the labels and the URL patterns prepared once per
page)."""

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from documents.rows import day_text, format_html_fast, labels_of, url_of

from .models import Benefit, Candidate, Referral

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


CANDIDATE_ROW = '<tr><td><a href="{}">{}</a></td>' + "<td>{}</td>" * 4 + "</tr>"


def candidate_state(candidate, *, in_course: str, waiting: str) -> str:
    """The candidate list's status: `in_course` when a course runs (its centre is known,
    candidates_for_list's `centre_name`), else `waiting` on the waiting list, else none."""
    if candidate.centre_name is not None:
        return in_course
    return waiting if candidate.waiting else ""


def candidate_rows(candidates) -> list[SafeString]:
    """One `<tr>` per candidate of the list (rows of plain values: pk, name, birth_date,
    cpr_hmac, benefit, waiting, centre_name): name linked to the candidate, CPR masked
    (Candidate.cpr_masked_of: no number read), benefit, status and the course's centre."""
    candidate_url = url_of("candidates:detail")
    benefits = labels_of(Benefit)
    in_course, waiting = _("I forløb"), _("På venteliste")
    return [
        format_html_fast(
            CANDIDATE_ROW,
            candidate_url(c.pk),
            c.name,
            Candidate.cpr_masked_of(c.birth_date, c.cpr_hmac),
            benefits.get(c.benefit, c.benefit),
            candidate_state(c, in_course=in_course, waiting=waiting),
            c.centre_name or "",
        )
        for c in candidates
    ]
