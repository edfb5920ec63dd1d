"""A statement as a PDF, rendered by the PDF engine (documents.pdf, static files only)."""

from django.template.loader import render_to_string

from codes import clock
from documents.pdf import html_to_pdf, jobcenter_name

from .models import Statement
from .selectors import statement_lines


def statement_pdf_html(*, statement: Statement) -> str:
    return render_to_string(
        "billing/pdf/statement.html",
        {
            "statement": statement,
            "lines": list(statement_lines(statement=statement)),
            "jobcenter_name": jobcenter_name(),
            "printed_on": clock.today(),
        },
    )


def statement_pdf(*, statement: Statement) -> bytes:
    """The PDF bytes; only our static files may be fetched while rendering."""
    content, _fetcher = html_to_pdf(statement_pdf_html(statement=statement))
    return content
