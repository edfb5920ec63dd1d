"""{% status obj %}: a status shown as Det Fælles Designsystem's badge (`badge
badge-success` ...), the same way on every page (issue 22). A template builtin, like
codes.templatetags.numbers (config/settings/base.py).

`obj` is a row with a `status` field and its choices (contract, referral, statement,
amendment), or a stable status code with its label: {% status "open" _("I gang") %}.
The badge's colour says how far the thing is; the text says what it is (colour is never
the only carrier of the meaning, WCAG 1.4.1).
"""

from django import template

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


@register.inclusion_tag("_status.html")
def status(obj, label=None) -> dict:
    if hasattr(obj, "get_status_display"):
        code, label = obj.status, label or obj.get_status_display()
    else:
        code = str(obj)
    return {"variant": VARIANTS.get(code, ""), "label": label if label is not None else code}
