"""Danish formats with one change: a date *input* is rendered in ISO 8601 (ÅÅÅÅ-MM-DD).

Django's DateInput renders its value in the locale's first DATE_INPUT_FORMATS entry, which
for "da" is "%d.%m.%Y". An `<input type=date>` only takes ISO 8601 and discards anything
else, so a form drawn with "30.11.2026" came back empty and saving said "Dette felt er
påkrævet" (issue 23, the mentor's hours form). Putting ISO first fixes every date input
at once; the Danish forms are still accepted when typed into a text field or imported
(codes.parse.DATE_INPUT_FORMATS), and dates are still *shown* as 30.11.2026 (DATE_FORMAT).
"""

from django.conf.locale.da.formats import DATE_INPUT_FORMATS as DANISH_DATE_INPUT_FORMATS

DATE_INPUT_FORMATS = ["%Y-%m-%d", *DANISH_DATE_INPUT_FORMATS]
