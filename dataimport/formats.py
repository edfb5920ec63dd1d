"""Read an import file (JSON or an .xlsx workbook) into the v1 format's dictionary.

The workbook has one sheet per section with the JSON keys as column names. List fields are
written as text separated by "; ", and the `payment` object is flattened into the columns
payment_model, payment_amount, payment_hourly_rate and payment_hours_per_week.
"""

import json
from datetime import date, datetime
from pathlib import Path

FORMAT = "virksomhedscenter/v1"
SECTIONS = (
    "jobcenter_costs",
    "companies",
    "centres",
    "contracts",
    "candidates",
    "courses",
    "attendance",
)
LIST_FIELDS = {
    "network_companies",
    "work_tasks",
    "support_activities",
    "target_barriers",
    "barriers",
}
# Excel drops leading zeros of number cells; these fields get them back.
ZERO_PADDED = {"cpr": 10, "cvr": 8, "p_number": 10, "postal_code": 4}
PAYMENT_COLUMNS = {
    "payment_model": "model",
    "payment_amount": "amount",
    "payment_hourly_rate": "hourly_rate",
    "payment_hours_per_week": "hours_per_week",
}


class FileFormatError(Exception):
    """The file cannot be read at all; the message is Danish and says why."""


def load_import_file(path: Path) -> dict:
    if not path.exists():
        raise FileFormatError(f"Filen {path} findes ikke.")
    if path.suffix.lower() == ".xlsx":
        return _load_xlsx(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise FileFormatError("Filen er ikke UTF-8-kodet tekst.") from exc
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            f"Filen er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}: {exc.msg})."
        ) from exc
    if not isinstance(data, dict):
        raise FileFormatError("Filen skal indeholde ét JSON-objekt med sektionerne.")
    return data


def _cell(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        value = value.strip()
        return value if value != "" else None
    return value


def _load_xlsx(path: Path) -> dict:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, OSError, KeyError, ValueError) as exc:
        raise FileFormatError(f"Filen kan ikke læses som et Excel-regneark (.xlsx): {exc}") from exc
    data: dict = {"format": FORMAT}
    for sheet in workbook.worksheets:
        if sheet.title not in SECTIONS:
            continue
        rows = sheet.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        items = []
        for row in rows:
            values = [_cell(v) for v in row]
            if all(v is None for v in values):
                continue
            item = {}
            for key, value in zip(header, values, strict=False):
                if not key:
                    continue
                if key in ZERO_PADDED and isinstance(value, int | float) and value == int(value):
                    value = str(int(value)).zfill(ZERO_PADDED[key])
                if key in PAYMENT_COLUMNS:
                    if value is not None:
                        item.setdefault("payment", {})[PAYMENT_COLUMNS[key]] = value
                elif key in LIST_FIELDS:
                    item[key] = (
                        [p.strip() for p in str(value).split(";") if p.strip()] if value else []
                    )
                else:
                    item[key] = value
            items.append(item)
        data[sheet.title] = items
    workbook.close()
    return data
