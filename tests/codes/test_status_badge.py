"""`{% status %}` (codes/templatetags/status.py) and the list rows' helpers
(documents/rows.py): the same badge markup whether a template or a row builder asks."""

from datetime import UTC, date, datetime

from django.template import Context, Template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from codes.templatetags.status import badge
from documents.rows import day_text, format_html_fast, joined, moment_text, url_of


def test_a_status_is_a_badge_of_its_variant_with_the_label_escaped():
    class Row:
        status = "signed"

        def get_status_display(self):
            return "Underskrevet"

    html = Template('{% status row %} {% status "open" label %} {% status code %}').render(
        Context({"row": Row(), "label": "I <gang>", "code": "x<y"})
    )
    assert html == (
        '<span class="badge badge-success">Underskrevet</span> '
        '<span class="badge badge-info">I &lt;gang&gt;</span> '
        '<span class="badge">x&lt;y</span>'
    )
    assert badge("ended", "Afsluttet") == '<span class="badge">Afsluttet</span>'


def test_a_rows_url_date_and_moment_are_what_reverse_and_the_date_filter_give(settings):
    settings.TIME_ZONE = "Europe/Copenhagen"
    assert url_of("billing:statement")(12) == reverse("billing:statement", args=[12])
    assert url_of("audit:candidate")("7") == reverse("audit:candidate", args=[7])
    assert day_text(date(2026, 3, 4)) == "04.03.2026" and day_text(None) == ""
    # Stored in UTC, shown in Danish time (summer: UTC+2).
    assert moment_text(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == "02.07.2026 00:30"


def test_format_html_fast_escapes_as_format_html_does():
    values = ('<b>"Ane" & Bo\'s</b>', mark_safe("<i>safe</i>"), 12, None, gettext_lazy("Navn"))
    template = "<td>{}</td>" * len(values)
    assert format_html_fast(template, *values) == format_html(template, *values)
    assert str(joined(["<a>", mark_safe("<br>")], ", ")) == "&lt;a&gt;, <br>"
