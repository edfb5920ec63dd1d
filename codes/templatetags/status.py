"""{% status obj %}: a status shown as Det Fælles Designsystem's badge (`badge
badge-success` ...), the same way on every page (issue 22). A template builtin, like
codes.templatetags.numbers (config/settings/base.py).

`obj` is a row with a `status` field and its choices (contract, referral, statement,
amendment), or a stable status code with its label: {% status "open" _("I gang") %}.
The badge's colour says how far the thing is; the text says what it is (colour is never
the only carrier of the meaning, WCAG 1.4.1).
"""

from django import template
from django.utils.html import format_html

register = template.Library()

# Status code -> DKFDS badge variant ("" is DKFDS's neutral grey badge). The codes are the
# stable ones of the models' choices (codes.lists.ContractStatus, ReferralStatus,
# StatementStatus, AmendmentStatus) and of a course (open/ended).
VARIANTS = {
    "draft": "info",
    "approved": "success",
    "signed": "success",
    "active": "success",
    "ended": "",
    "terminated": "error",
    "venter": "warning",
    "visiteret": "success",
    "tilbagekaldt": "",
    "open": "info",
}


def badge(code: str, label) -> str:
    """The badge's HTML for a status code and its label (escaped). Built here rather than
    by an included template: a list page shows one per row, and rendering a template per
    row cost more than the row's other cells (issue 24)."""
    variant = VARIANTS.get(code, "")
    if variant:
        return format_html('<span class="badge badge-{}">{}</span>', variant, label)
    return format_html('<span class="badge">{}</span>', label)


@register.simple_tag
def status(obj, label=None) -> str:
    if hasattr(obj, "get_status_display"):
        code, label = obj.status, label or obj.get_status_display()
    else:
        code = str(obj)
    return badge(code, label if label is not None else code)
