"""The small pieces of every form - inputs, selects and their options, textareas, labels and
error lists - in Det Fælles Designsystem's markup, built in Python (issue 24).

Django renders each piece through a template of its own, and a template costs 10-20 µs per
variable, tag or include it meets: a select with 8 options was 18 template renders (the
select, its attributes, each option and each option's attributes), a label two and an empty
error list two. The candidate list's five filters were a fifth of its request, the audit
log's user filter (an option per user) a seventh. Here each piece is one function that
escapes every value as the template did (documents/rows.py's `format_html_fast`: text
escaped, safe strings kept). `FormRenderer` (settings.FORM_RENDERER) calls it for the
template it stands for; the project's widget templates (templates/django/forms/widgets/)
call it through `{% load form_html %}` for what is rendered by a template (Django's radio
and checkbox groups include input.html per option), so the markup has this one home. The
form's layout (form groups, hints, error messages) is `form_layout_html`, with
templates/django/forms/div.html as its reference; any widget not in PIECES stays a template.

DKFDS's classes: `form-input` on text inputs and textareas, `form-select` on selects, none
on checkboxes, radio buttons and hidden inputs, the widget's own `class` after ours.
"""

from collections.abc import Callable, Mapping

from django import template
from django.forms.renderers import TemplatesSetting
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .rows import format_html_fast, joined

SELECT_OPTION = "django/forms/widgets/select_option.html"
_NO_CLASS = frozenset({"checkbox", "radio", "hidden"})


def attrs_html(attrs: Mapping, *, skip_class: bool = False) -> SafeString:
    """` name="value"` per attribute, escaped (True: the name alone; False: left out) - the
    templates' attrs.html; `skip_class`: without `class` (the caller writes it)."""
    return joined(
        format_html_fast(" {}", name)
        if value is True
        else format_html_fast(' {}="{}"', name, value)
        for name, value in attrs.items()
        if value is not False and not (skip_class and name == "class")
    )


def _class_attr(base: str, attrs: Mapping) -> SafeString:
    """` class="<ours> <the widget's own>"`, nothing when both are empty."""
    classes = f"{base} {attrs.get('class') or ''}".strip()
    return format_html_fast(' class="{}"', classes) if classes else format_html_fast("")


def input_html(widget: Mapping) -> SafeString:
    """`<input>` of any type: its value when it has one (an empty string is a value)."""
    kind = widget["type"]
    attrs = widget["attrs"]
    base = "" if kind in _NO_CLASS else "form-file-input" if kind == "file" else "form-input"
    value = "" if widget["value"] is None else format_html_fast(' value="{}"', widget["value"])
    return format_html_fast(
        '<input type="{}" name="{}"{}{}{}>',
        kind,
        widget["name"],
        value,
        _class_attr(base, attrs),
        attrs_html(attrs, skip_class=True),
    )


def option_html(option: Mapping) -> SafeString:
    """One `<option>` of a select (`selected` is among its attributes when chosen)."""
    return format_html_fast(
        '<option value="{}"{}>{}</option>',
        option["value"],
        attrs_html(option["attrs"]),
        option["label"],
    )


def _option_lines(optgroups):
    for group_name, options, _index in optgroups:
        if group_name:
            yield format_html_fast('<optgroup label="{}">', group_name)
        for option in options:
            if option["template_name"] == SELECT_OPTION:
                yield option_html(option)
            else:  # an option of another template renders through it
                yield render_to_string(option["template_name"], {"widget": option})
        if group_name:
            yield format_html_fast("</optgroup>")


def select_html(widget: Mapping) -> SafeString:
    """`<select>` with its options, one a line, an option group as `<optgroup>`."""
    attrs = widget["attrs"]
    return format_html_fast(
        '<select name="{}"{}{}>\n{}\n</select>',
        widget["name"],
        _class_attr("form-select", attrs),
        attrs_html(attrs, skip_class=True),
        joined(_option_lines(widget["optgroups"]), "\n"),
    )


def textarea_html(widget: Mapping) -> SafeString:
    """`<textarea>`; the newline after its opening tag keeps a value's own first newline
    (HTML drops the first one)."""
    attrs = widget["attrs"]
    return format_html_fast(
        '<textarea name="{}"{}{}>\n{}</textarea>',
        widget["name"],
        _class_attr("form-input", attrs),
        attrs_html(attrs, skip_class=True),
        widget["value"] or "",
    )


def label_html(context: Mapping) -> SafeString:
    """A field's `<label for=...>` (or `<legend>`), or its bare text when it has no id."""
    if not context["use_tag"]:
        return format_html_fast("{}", context["label"])
    tag = context["tag"]
    return format_html_fast(
        "<{}{}>{}</{}>", tag, attrs_html(context["attrs"] or {}), context["label"], tag
    )


def errors_html(context: Mapping) -> SafeString:
    """A field's (or the form's) error list, `id="<field id>_error"` for the field's
    `aria-describedby`; nothing when there are none."""
    errors = context["errors"]
    if not errors:
        return format_html_fast("")
    field_id = getattr(errors, "field_id", None)
    return format_html_fast(
        '<ul class="{}"{}>{}</ul>',
        context["error_class"],
        format_html_fast(' id="{}_error"', field_id) if field_id else "",
        joined(format_html_fast("<li>{}</li>", error) for error in errors),
    )


def _field_errors_html(errors) -> SafeString | str:
    if not errors:
        return ""
    return format_html_fast(
        '<span class="form-error-message">{}</span>',
        joined(format_html_fast('<span class="sr-only">Fejl:</span> {}', e) for e in errors),
    )


def _field_group_html(field, errors) -> SafeString:
    """One field's form group: label (or a fieldset's legend), hint, errors and widget; a
    checkbox with its label after it."""
    group = "form-group form-error" if errors else "form-group"
    hint = (
        format_html_fast(
            '<span class="form-hint" id="{}_helptext">{}</span>',
            field.auto_id,
            SafeString(field.help_text),  # the template's |safe
        )
        if field.help_text
        else ""
    )
    if field.widget_type == "checkbox":
        return format_html_fast(
            '<div class="{}">{}<div class="form-group-checkbox">{}\n{}</div>{}</div>',
            group,
            _field_errors_html(errors),
            field,
            field.label_tag(),
            hint,
        )
    label = ""
    if field.label:
        label = field.legend_tag() if field.use_fieldset else field.label_tag()
    body = format_html_fast("{}{}{}\n{}", label, hint, _field_errors_html(errors), field)
    if field.use_fieldset:
        body = format_html_fast("<fieldset>{}</fieldset>", body)
    return format_html_fast('<div class="{}">{}</div>', group, body)


def form_layout_html(context: Mapping) -> SafeString:
    """A whole form (`{{ form }}`, as_p, as_div): the form's errors, a form group per
    visible field, the hidden fields after the last one - the markup of
    templates/django/forms/div.html (kept as the reference the tests compare with), without
    its 40 template nodes a field (the audit log's five filters: 2.4 ms a view)."""
    fields, hidden, errors = context["fields"], context["hidden_fields"], context["errors"]
    hidden_html = joined(hidden)
    parts = [errors]
    if errors and not fields:
        parts.append(format_html_fast("<div>{}</div>", hidden_html))
    parts.extend(_field_group_html(field, field_errors) for field, field_errors in fields)
    if fields or not errors:
        parts.append(hidden_html)
    return joined(parts, "\n")


def _widget(build: Callable) -> Callable:
    return lambda context: build(context["widget"])


INPUT_TYPES = (
    *("input", "checkbox", "color", "date", "datetime", "email", "file", "hidden"),
    *("number", "password", "search", "tel", "text", "time", "url"),
)

# Template name -> its piece. The input types are Django's templates that include input.html.
PIECES: dict[str, Callable] = {
    **{f"django/forms/widgets/{kind}.html": _widget(input_html) for kind in INPUT_TYPES},
    "django/forms/widgets/select.html": _widget(select_html),
    "django/forms/widgets/select_option.html": _widget(option_html),
    "django/forms/widgets/textarea.html": _widget(textarea_html),
    "django/forms/label.html": label_html,
    "django/forms/errors/list/default.html": errors_html,
    "django/forms/errors/list/ul.html": errors_html,
    "django/forms/div.html": form_layout_html,
    "django/forms/p.html": form_layout_html,
}


class FormRenderer(TemplatesSetting):
    """The project's form renderer: the pieces above in Python, every other template
    (the form layouts, Django's radio and checkbox groups) through settings.TEMPLATES."""

    def render(self, template_name, context, request=None):
        piece = PIECES.get(template_name)
        if piece is None:
            return super().render(template_name, context, request)
        return piece(context)


# {% load form_html %} (settings.TEMPLATES' libraries): the widget templates' one line each.
register = template.Library()
register.simple_tag(input_html, name="input_html")
register.simple_tag(select_html, name="select_html")
register.simple_tag(textarea_html, name="textarea_html")
