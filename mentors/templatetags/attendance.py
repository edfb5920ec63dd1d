"""{% attendance_rows rows %}: the day's attendance rows (mentors/rows.py), with the page's
CSRF token and return address - the day page, the mentor's start page and a saved row."""

from django import template

from mentors.rows import day_rows_html

register = template.Library()


@register.simple_tag(takes_context=True)
def attendance_rows(context, rows):
    return day_rows_html(
        rows, csrf_token=str(context.get("csrf_token", "")), next_url=context.get("next_url", "")
    )
