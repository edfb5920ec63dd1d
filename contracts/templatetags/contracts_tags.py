from django import template

register = template.Library()


@register.filter
def fields_named(form, names: str):
    """The bound fields of `form` named in the comma-separated `names`, in that order."""
    return [form[name] for name in names.split(",") if name in form.fields]


@register.filter
def breakable(text: str, every: int = 16):
    """`text` (a SHA-256) with a line-break opportunity (<wbr>) every `every` characters, so
    64 hex digits wrap inside a narrow column instead of running past it."""
    from django.utils.html import conditional_escape
    from django.utils.safestring import mark_safe

    text = conditional_escape(text or "")
    return mark_safe("<wbr>".join(text[i : i + every] for i in range(0, len(text), every)))  # noqa: S308 - escaped above


@register.simple_tag
def headroom_rows(headrooms):
    """{% headroom_rows headrooms %}: the staff-ratio table's rows (contracts.rows)."""
    from contracts.rows import headroom_rows as rows

    return rows(headrooms)
