"""The candidate list's, the waiting list's and the due list's table rows and the start
page's lists as HTML (documents/rows.py: built in Python, one `format_html` a row, with the
labels and the URL patterns prepared once per page)."""

import unicodedata

from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from contracts.selectors import FreePlaces
from documents.rows import day_text, format_html_fast, joined, labels_of, url_of

from .due import DueItem
from .models import Benefit, Candidate
from .selectors import Waiting

# The last cell holds the visitation's link for a user who may start a course.
ROW = '<tr><td><a href="{}">{}</a></td>' + "<td>{}</td>" * 4 + "<td>"
DUE_ROW = '<tr class="due-{}"><td>{}</td><td><a href="{}">{}</a></td><td>{}</td><td>{}</td></tr>'
WAITING_ITEM = '<li><a href="{}">{}</a> <span class="muted">{}</span></li>'
FREE_PLACES_ITEM = '<li><a href="{}">{}</a>: {} {} {}</li>'
VISITATION = '<a href="{}">{}<span class="visually-hidden"> {}</span></a>'


def waiting_rows(referrals, *, can_manage: bool) -> SafeString:
    """One `<tr>` per waiting referral (rows of selectors.WAITING_VALUES): name (linked to
    the candidate), CPR masked (Candidate.cpr_masked_of: no number read), referred on, days
    waited, wishes (the referral's, else the candidate's, cut at 80 characters) and, for a
    user who may start a course, the link to the visitation."""
    candidate_url = url_of("candidates:detail")
    visitation_url = url_of("candidates:visitation")
    visitation = _("Visitation")
    row = ROW + VISITATION + "</td></tr>" if can_manage else ROW + "</td></tr>"
    rows = []
    for r in referrals:
        name = r.candidate__name
        values = [
            candidate_url(r.candidate_id),
            name,
            Candidate.cpr_masked_of(r.candidate__birth_date, r.candidate__cpr_hmac),
            day_text(r.referred_on),
            r.waited.days,
            _cut(r.wishes or r.candidate__wishes, 80),
        ]
        if can_manage:
            values += [visitation_url(r.pk), visitation, name]
        rows.append(format_html_fast(row, *values))
    return joined(rows, "\n")  # one string: no template loop over the page's rows


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


def _cut(text: str, length: int) -> str:
    """`Truncator(text).chars(length)`, without its cost for a text that fits, as most do:
    Truncator counts the NFC text's characters (combining ones not), so one of at most
    `length` characters comes back whole."""
    text = unicodedata.normalize("NFC", text)
    return text if len(text) <= length else Truncator(text).chars(length)


def due_rows(items: list[DueItem]) -> SafeString:
    """One `<tr>` per due item (candidates/_due_items.html): the day it is due, the
    candidate (linked to the course), the centre and what is due; one string."""
    return joined(
        (
            format_html_fast(
                DUE_ROW, i.kind, i.due_shown, i.url, i.candidate_name, i.centre_name, i.text
            )
            for i in items
        ),
        "\n",
    )


def waiting_items(waiting: list[Waiting]) -> list[SafeString]:
    """The start page's venteliste: one `<li>` per referral, the name linked to its
    visitation, with the days waited."""
    visitation_url = url_of("candidates:visitation")
    return [
        format_html_fast(
            WAITING_ITEM,
            visitation_url(r.pk),
            r.name,
            ngettext("%(n)s dag", "%(n)s dage", r.waited_days) % {"n": r.waited_days},
        )
        for r in waiting
    ]


def free_places_items(contracts: list[FreePlaces]) -> list[SafeString]:
    """The start page's own centres: one `<li>` per contract, the centre linked to the
    refill of its places, with its free places of its places."""
    refill_url = url_of("centers:refill")
    of = _("af")
    return [
        format_html_fast(
            FREE_PLACES_ITEM,
            refill_url(c.pk),
            c.centre_name,
            ngettext("%(n)s ledig plads", "%(n)s ledige pladser", c.free) % {"n": c.free},
            of,
            c.places,
        )
        for c in contracts
    ]
