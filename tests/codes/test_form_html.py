"""The forms' pieces built in Python (documents/form_html.py): DKFDS's classes, every value
escaped, the label's `for`, the error list's id that `aria-describedby` names, and the same
markup whether the renderer or a template (a radio button's input) asks for it."""

import re

import pytest
from django import forms
from django.template.loader import render_to_string

from documents.form_html import FormRenderer, form_layout_html, input_html, select_html


class _Form(forms.Form):
    name = forms.CharField(label="Navn", help_text="Fulde navn")
    benefit = forms.ChoiceField(
        label="Ydelse", choices=[("", "---"), ("a", "A & B"), ("b", 'Ikke "b"')], required=False
    )
    group = forms.ChoiceField(
        label="Gruppe", choices=[("Første", [("1", "En")]), ("2", "To")], required=False
    )
    note = forms.CharField(label="Notat", widget=forms.Textarea(attrs={"rows": 2}))
    agree = forms.BooleanField(label="Enig", required=False)
    kind = forms.ChoiceField(
        label="Slags", choices=[("x", "X"), ("y", "Y")], widget=forms.RadioSelect
    )


def test_the_settings_use_the_project_renderer(settings):
    assert settings.FORM_RENDERER == "documents.form_html.FormRenderer"


def test_inputs_selects_and_textareas_carry_dkfds_classes_and_escape_their_values():
    form = _Form({"name": 'Ann <"&>', "benefit": "a", "note": "\nlinje", "agree": "on"})
    assert str(form["name"]) == (
        '<input type="text" name="name" value="Ann &lt;&quot;&amp;&gt;" class="form-input" '
        'required aria-describedby="id_name_helptext" id="id_name">'
    )
    assert str(form["benefit"]) == (
        '<select name="benefit" class="form-select" id="id_benefit">\n'
        '<option value="">---</option>\n'
        '<option value="a" selected>A &amp; B</option>\n'
        '<option value="b">Ikke &quot;b&quot;</option>\n'
        "</select>"
    )
    assert '<optgroup label="Første">\n<option value="1">En</option>\n</optgroup>' in str(
        form["group"]
    )
    # The newline after the opening tag keeps the value's own first newline.
    assert str(form["note"]) == (
        '<textarea name="note" class="form-input" cols="40" rows="2" required id="id_note">\n'
        "\nlinje</textarea>"
    )
    assert str(form["agree"]) == '<input type="checkbox" name="agree" id="id_agree" checked>'


def test_a_label_names_its_field_and_an_error_list_is_what_aria_describedby_names():
    form = _Form({"name": "", "note": "x", "kind": "z"})
    assert form["name"].label_tag() == '<label for="id_name">Navn:</label>'
    assert form["kind"].legend_tag() == "<legend>Slags:</legend>"
    field = str(form["name"])
    assert 'aria-invalid="true"' in field and 'id_name_error"' in field
    assert str(form["name"].errors) == (
        '<ul class="errorlist" id="id_name_error"><li>Dette felt er påkrævet.</li></ul>'
    )
    assert str(form["note"].errors) == ""
    assert str(form.non_field_errors()) == ""


def test_a_template_that_includes_a_widget_template_gets_the_same_markup():
    """Django's radio buttons include templates/django/forms/widgets/input.html per option:
    it asks documents/form_html.py, as the renderer does for a text input."""
    form = _Form({"kind": "y"})
    radios = str(form["kind"])
    assert '<input type="radio" name="kind" value="y" required id="id_kind_1" checked>' in radios
    widget = form["name"].field.widget.get_context("name", "Ann", {"id": "id_name"})["widget"]
    via_template = render_to_string("django/forms/widgets/input.html", {"widget": widget})
    assert (
        via_template.strip()
        == input_html(widget)
        == FormRenderer().render("django/forms/widgets/text.html", {"widget": widget})
    )
    select = form["benefit"].field.widget.get_context("benefit", "b", {})["widget"]
    assert render_to_string("django/forms/widgets/select.html", {"widget": select}).strip() == (
        select_html(select)
    )


def _normalised(markup: str) -> str:
    """Whitespace between tags and before a closing tag left out, any other run as one
    space: what the template's indentation adds."""
    markup = re.sub(r"\s+", " ", markup)
    return re.sub(r"\s+</", "</", re.sub(r">\s+<", "><", markup)).strip()


class _Hidden(forms.Form):
    name = forms.CharField(label="Navn")
    token = forms.CharField(widget=forms.HiddenInput)

    def clean(self):
        raise forms.ValidationError("Formularen er udløbet & skal sendes igen.")


class _OnlyHidden(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)


@pytest.mark.parametrize(
    ("form_class", "data"),
    [
        (_Form, None),  # unbound: labels, hints, a checkbox, a radio group's fieldset
        (_Form, {"name": "", "kind": "z", "note": "x"}),  # field errors
        (_Form, {"name": 'Ann <"&>', "kind": "x", "note": "x", "agree": "on"}),
        (_Hidden, {"name": "Ann", "token": "t"}),  # the form's own error, a hidden field
        (_OnlyHidden, {}),  # a hidden field's error and no visible field
        (_OnlyHidden, None),
    ],
)
def test_the_form_layout_built_in_python_is_the_templates_markup(form_class, data):
    form = form_class(data)
    if data is not None:
        form.is_valid()
    context = form.get_context()
    # The reference: templates/django/forms/div.html through the template engine.
    reference = render_to_string("django/forms/div.html", context)
    assert _normalised(str(form)) == _normalised(reference)
    assert _normalised(form.as_p()) == _normalised(reference)
    assert str(form) == form_layout_html(context)
    if data is not None and not form.is_valid():
        assert "form-error-message" in str(form) or "errorlist" in str(form)
