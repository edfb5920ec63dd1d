"""The one CSV/XLSX writer: every download of rows (lists, exports, access logs) goes here.

CSV as Danish Excel opens it: UTF-8 with a BOM (without it Excel garbles æøå), ';' between
fields, CRLF line ends; an empty value (None) is an empty field. XLSX: one sheet of the same
rows, numbers as numbers.
"""

import csv
import io
from collections.abc import Iterable

from django.http import HttpResponse
from openpyxl import Workbook

EXPORT_FORMATS = ("csv", "xlsx")
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff"


def csv_text(*, headers: list, rows: Iterable[list]) -> str:
    """The CSV as text, starting with the BOM."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def csv_bytes(*, headers: list, rows: Iterable[list]) -> bytes:
    return csv_text(headers=headers, rows=rows).encode("utf-8")


def xlsx_bytes(*, sheet_title: str, headers: list, rows: Iterable[list]) -> bytes:
    """One sheet (title cut to Excel's 31 characters): the headers, then the rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
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
