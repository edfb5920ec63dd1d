"""CSV and XLSX downloads of a list page: the same rows the page filters, unpaginated."""

import csv
from collections.abc import Iterable

from django.http import HttpResponse

EXPORT_FORMATS = ("csv", "xlsx")


def table_response(*, fmt: str, filename: str, headers: list[str], rows: Iterable[list]):
    """A download of `rows` as CSV (semicolons and a BOM, as Danish Excel opens it) or XLSX."""
    if fmt == "xlsx":
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet(title=filename[:31])
        sheet.append(headers)
        for row in rows:
            sheet.append(["" if v is None else v for v in row])
        response = HttpResponse(
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        workbook.save(response)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
