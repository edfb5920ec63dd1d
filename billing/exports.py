"""Month exports for the municipality's finance system: one row per statement line.

CSV (documents.tables: UTF-8 with BOM, ';' between fields): amounts with a decimal point
and no thousands separator, dates in ISO form, so a finance system can read them unchanged.
XLSX: the same rows with numbers as numbers, and a second sheet with one row per statement.
"""

import io
from datetime import date

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from documents.tables import csv_bytes, xlsx_append

from .selectors import statement_lines_for_month, statements_for_month


def _headers() -> list[str]:
    return [
        _("Måned"),
        _("Opgørelse"),
        _("Type"),
        _("Status"),
        _("Virksomhedscenter"),
        _("Virksomhed"),
        _("CVR"),
        _("Kontrakt"),
        _("Linje"),
        _("Regel"),
        _("Tekst"),
        _("Fra"),
        _("Til"),
        _("Antal"),
        _("Sats"),
        _("Beløb"),
    ]


def _rows(month: date):
    for line in statement_lines_for_month(month=month):
        statement = line.statement
        yield [
            f"{month:%Y-%m}",
            statement.pk,
            statement.get_kind_display(),
            statement.get_status_display(),
            statement.centre.name,
            statement.centre.company.name,
            statement.centre.company.cvr,
            statement.contract_id,
            line.position,
            line.rule,
            line.description,
            line.period_start,
            line.period_end,
            line.quantity,
            line.rate,
            line.amount,
        ]


def month_csv(*, month: date) -> bytes:
    rows = ([v.isoformat() if isinstance(v, date) else v for v in row] for row in _rows(month))
    return csv_bytes(headers=_headers(), rows=rows)


def month_xlsx(*, month: date) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Linjer")
    xlsx_append(sheet, _headers())
    for row in _rows(month):
        xlsx_append(sheet, row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in ("L", "M"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    for cell in sheet["N"][1:]:
        cell.number_format = "0.0000"
    for column in ("O", "P"):
        for cell in sheet[column][1:]:
            cell.number_format = "#,##0.00"

    totals = book.create_sheet(_("Opgørelser"))
    xlsx_append(
        totals,
        [
            _("Måned"),
            _("Opgørelse"),
            _("Type"),
            _("Status"),
            _("Virksomhedscenter"),
            _("CVR"),
            _("Kontrakt"),
            _("Korrigerer"),
            _("I alt"),
        ],
    )
    for statement in statements_for_month(month=month):
        xlsx_append(
            totals,
            [
                f"{month:%Y-%m}",
                statement.pk,
                statement.get_kind_display(),
                statement.get_status_display(),
                statement.centre.name,
                statement.centre.company.cvr,
                statement.contract_id,
                statement.corrects_id,
                statement.total,
            ],
        )
    for cell in totals[1]:
        cell.font = Font(bold=True)
    for cell in totals["I"][1:]:
        cell.number_format = "#,##0.00"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
