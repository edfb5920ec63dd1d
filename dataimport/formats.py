"""Read an import file (JSON or an .xlsx workbook) into the v1 format's dictionary.

The workbook has one sheet per section with the JSON keys as column names. List fields are
written as text separated by "; ", and the `payment` object is flattened into the columns
payment_model, payment_amount, payment_hourly_rate and payment_hours_per_week.

Every file is checked against the import's limits (dataimport/limits.py) before it is read
whole: its size first, then for JSON its nesting depth and number of values (the
parser recurses, so 200,000 nested lists were a RecursionError), for an .xlsx the zip's
directory (a zip bomb's 1.25 GB are refused from its 4.8 MB) and, while reading, the rows of
each sheet. A refused file raises FileFormatError with a Danish message.
"""

import json
import struct
import zipfile
from datetime import date, datetime
from itertools import accumulate
from pathlib import Path

from . import limits as lim
from .limits import ImportLimits, import_limits

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


def load_import_file(path: Path, *, limits: ImportLimits | None = None) -> dict:
    """The file's content as the v1 dictionary; FileFormatError (Danish) when it cannot be
    read or passes one of the limits (the rows per section of JSON are the service's check,
    which every caller passes through)."""
    limits = limits or import_limits()
    if not path.exists():
        raise FileFormatError(f"Filen {path} findes ikke.")
    if not path.is_file():
        raise FileFormatError(f"{path} er ikke en fil.")
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise FileFormatError(lim.file_too_large(size, limits))
    if path.suffix.lower() == ".xlsx":
        return _load_xlsx(path, limits)
    return _load_json(path, limits)


def _load_json(path: Path, limits: ImportLimits) -> dict:
    with path.open("rb") as file:  # at most the limit, should the file grow meanwhile
        raw = file.read(limits.max_file_bytes + 1)
    if len(raw) > limits.max_file_bytes:
        raise FileFormatError(lim.file_too_large(path.stat().st_size, limits))
    depth, values = json_shape(raw)
    if depth > limits.max_depth:
        raise FileFormatError(lim.too_deep(limits))
    if values > limits.max_values:
        raise FileFormatError(lim.too_many_values(values, limits))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileFormatError("Filen er ikke UTF-8-kodet tekst.") from exc
    del raw  # the bytes go before the parsed rows come
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FileFormatError(
            f"Filen er ikke gyldig JSON (linje {exc.lineno}, kolonne {exc.colno}: {exc.msg})."
        ) from exc
    except ValueError as exc:  # an integer of more than 4,300 digits
        raise FileFormatError(f"Filen indeholder et tal, der ikke kan læses: {exc}") from exc
    if not isinstance(data, dict):
        raise FileFormatError("Filen skal indeholde ét JSON-objekt med sektionerne.")
    return data


_KEEP_QUOTES_BRACKETS_COMMAS = bytes(b for b in range(256) if b not in b'"[]{},')
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1, ord(","): 0}


def json_shape(raw: bytes) -> tuple[int, int]:
    """(deepest nesting, about the number of values) of a JSON text, without parsing it
    and without recursion, in a few passes of C over the bytes. Values are counted as the
    lists, objects and the commas between values.

    Escapes go first (a backslash pair, then an escaped quote), so that every string is then
    a plain "..."; of the quotes, brackets and commas left, those between strings count.
    """
    unescaped = raw.replace(b"\\\\", b"").replace(b'\\"', b"")
    skeleton = unescaped.translate(None, _KEEP_QUOTES_BRACKETS_COMMAS)
    del unescaped
    depth = deepest = values = 0
    inside = False  # a string may go on past a slice's end
    for at in range(0, len(skeleton), _SLICE):
        parts = skeleton[at : at + _SLICE].split(b'"')
        brackets = b"".join(parts[1 if inside else 0 :: 2])
        inside ^= len(parts) % 2 == 0  # an odd number of quotes
        values += brackets.count(b"[") + brackets.count(b"{") + brackets.count(b",")
        levels = list(accumulate(map(_STEP.__getitem__, brackets), initial=depth))
        deepest, depth = max(deepest, *levels), levels[-1]
    return deepest, values


# Slices keep join's per-piece buffers small (a whole file's would take ~80 bytes a string).
_SLICE = 64 * 1024


def _cell(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        value = value.strip()
        return value if value != "" else None
    return value


def _zip_directory(path: Path) -> tuple[int, int] | None:
    """(members, directory bytes) from a zip's end record, read from the file's last 64 KB
    - before zipfile reads the directory into memory -, or None when there is none."""
    with path.open("rb") as file:
        size = file.seek(0, 2)
        file.seek(max(0, size - (22 + 0xFFFF)))
        tail = file.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        return None
    members, directory_bytes = struct.unpack_from("<HI", tail, at + 10)
    return members, directory_bytes


def _check_zip(path: Path, limits: ImportLimits) -> None:
    """Refuse what is no zip, has too many members or expands past the limit, from the zip's
    directory alone: nothing is decompressed (a member is never read past its declared size,
    and a false size fails its CRC check)."""
    directory = _zip_directory(path)
    if directory is None:
        raise FileFormatError(
            "Filen er ikke et Excel-regneark (.xlsx): et regneark er en zip-fil, og det er "
            "denne ikke. Gem filen som Excel-projektmappe (.xlsx) eller brug JSON."
        )
    members, directory_bytes = directory
    # 0xFFFF members is the zip64 marker: more than any workbook of this format has.
    if members > limits.xlsx_max_members or directory_bytes > limits.xlsx_max_members * 1024:
        raise FileFormatError(
            f"Regnearket består af flere end {lim.number(limits.xlsx_max_members)} dele; "
            "det er ikke et regneark i importformatet."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error) as exc:
        raise FileFormatError(
            f"Filen er ikke et Excel-regneark (.xlsx): zip-filen er beskadiget ({exc})."
        ) from exc
    if len(infos) > limits.xlsx_max_members:
        raise FileFormatError(
            f"Regnearket består af flere end {lim.number(limits.xlsx_max_members)} dele; "
            "det er ikke et regneark i importformatet."
        )
    unpacked = sum(info.file_size for info in infos)
    if unpacked > limits.xlsx_max_uncompressed_bytes:
        raise FileFormatError(
            f"Regnearket fylder {lim.megabytes(unpacked)} udpakket; højst "
            f"{lim.megabytes(limits.xlsx_max_uncompressed_bytes)} er tilladt. Del det op, "
            "eller brug JSON."
        )


def _load_xlsx(path: Path, limits: ImportLimits) -> dict:
    from openpyxl import load_workbook

    _check_zip(path, limits)
    data: dict = {"format": FORMAT}
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                if sheet.title in SECTIONS:
                    data[sheet.title] = _sheet_items(sheet, limits)
        finally:
            workbook.close()
    except FileFormatError:
        raise
    except Exception as exc:  # noqa: BLE001 - any failure of the reader on a broken file
        # openpyxl raises what its XML and zip layers raise (KeyError, ParseError, BadZipFile
        # for a failed CRC, ValueError, ...): all mean the workbook is broken.
        raise FileFormatError(
            "Filen kan ikke læses som et Excel-regneark (.xlsx); den er beskadiget eller ikke "
            f"gemt som Excel-projektmappe ({type(exc).__name__}: {exc})."
        ) from exc
    return data


# Excel's own last row: a sheet claiming more is not an Excel sheet.
EXCEL_MAX_ROWS = 1_048_576


def _sheet_items(sheet, limits: ImportLimits) -> list[dict]:
    title = sheet.title
    # The sheet's declared size may claim 16,384 columns x 1,048,576 rows, and the reader
    # would fill every row to it: read the header's own width instead.
    sheet.reset_dimensions()
    first = next(
        sheet.iter_rows(max_row=1, max_col=limits.xlsx_max_columns + 1, values_only=True), ()
    )
    header = [str(h).strip() if h is not None else "" for h in first]
    while header and not header[-1]:
        header.pop()
    if len(header) > limits.xlsx_max_columns:
        raise FileFormatError(
            f"Arket {title} har mere end {limits.xlsx_max_columns} kolonner; formatets "
            "sektioner har højst 20."
        )
    items: list[dict] = []
    most = limits.max_rows[title]
    width = len(header) or limits.xlsx_max_columns
    for read, row in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), 2):
        if read > EXCEL_MAX_ROWS:
            raise FileFormatError(f"Arket {title} har flere rækker, end Excel kan have.")
        if row.count(None) == len(row):  # quick: gaps in the sheet come as empty rows
            continue
        values = [_cell(v) for v in row]
        if all(v is None for v in values):
            continue
        if not header:
            raise FileFormatError(f"Arket {title} har ingen kolonnenavne i række 1.")
        if len(items) == most:
            raise FileFormatError(f"Arket {title} {lim.too_many_rows(title, None, limits)}")
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
                item[key] = [p.strip() for p in str(value).split(";") if p.strip()] if value else []
            else:
                item[key] = value
        items.append(item)
    return items
