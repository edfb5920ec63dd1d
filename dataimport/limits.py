"""The import's limits: one home, each with its Danish message.

A file past a limit is refused before it can cost more than a few seconds and about 300 MB
of memory, and nothing is written (issue 19: a 200,000-deep JSON, an .xlsx that was no zip
file, a 4.8 MB zip bomb of 1.25 GB and a 200 MB file of 2.87 million errors each ended in a
traceback, minutes of work or gigabytes of memory).

The defaults below are sized by that budget: parsed JSON takes about 8 times the file's
size in memory, so 20 MB of JSON (about 230,000 attendance rows) stays inside it. A larger
migration is imported in parts - the import is idempotent by ref and never deletes, so the
attendance can come year by year - or, on a machine with the memory for it, with the limits
raised for that run: the setting IMPORT_LIMITS (environment variable of the same name, JSON)
overrides any of the fields by name, e.g. IMPORT_LIMITS='{"max_file_bytes": 209715200}'.
docs/import-format.md ("Limits") lists them for the people who make the files.
"""

from dataclasses import dataclass, field, replace

MB = 1024 * 1024

# The sections' own sizes: a large jobcentre (Copenhagen) has 100+ centres and 1,000+
# places, so ten years are tens of thousands of courses (DOMAIN, "Scale to plan for").
MAX_ROWS = {
    "jobcenter_costs": 100,
    "companies": 20_000,
    "centres": 20_000,
    "contracts": 20_000,
    "candidates": 100_000,
    "courses": 100_000,
    "attendance": 250_000,
}


@dataclass(frozen=True)
class ImportLimits:
    # The file on disk, JSON or .xlsx: checked from its size before it is read.
    max_file_bytes: int = 20 * MB
    # JSON: nesting of lists and objects (the format needs 4: file, section, row, payment),
    # checked without recursion before the parser (which recurses) sees the file.
    max_depth: int = 10
    # JSON: values in all, counted as lists, objects and the commas between values. The
    # byte limit alone does not bound the memory: {} costs 72 bytes parsed from 3 in the
    # file, 257 costs 36 from 4; 250,000 attendance rows are 1.25 million.
    max_values: int = 1_500_000
    # Rows per section (an .xlsx sheet: rows read, empty ones included).
    max_rows: dict[str, int] = field(default_factory=lambda: dict(MAX_ROWS))
    # .xlsx: checked from the zip directory before the workbook is opened.
    xlsx_max_members: int = 200
    xlsx_max_uncompressed_bytes: int = 50 * MB
    xlsx_max_columns: int = 100
    # Errors printed: the first ones, then how many more there were.
    errors_shown: int = 200
    # A second import into the same jobcentre waits for the first this long, then gives up.
    lock_wait_seconds: int = 300


def import_limits() -> ImportLimits:
    """The limits in force: the defaults, with the setting IMPORT_LIMITS laid over them.

    Without Django settings (scripts/make_demo_data.py checks its files with the importer's
    validation and no settings) the defaults.
    """
    from django.conf import settings

    overrides = dict(getattr(settings, "IMPORT_LIMITS", {}) or {}) if settings.configured else {}
    limits = ImportLimits()
    if "max_rows" in overrides:
        overrides["max_rows"] = limits.max_rows | overrides["max_rows"]
    return replace(limits, **overrides)


def number(value: int) -> str:
    """A count the Danish way: 2.870.000."""
    return f"{value:,}".replace(",", ".")


def megabytes(value: int) -> str:
    return f"{value / MB:,.1f} MB".replace(",", "#").replace(".", ",").replace("#", ".")


def file_too_large(size: int, limits: ImportLimits) -> str:
    return (
        f"Filen fylder {megabytes(size)}; en importfil må højst fylde "
        f"{megabytes(limits.max_file_bytes)}. Del den op (fx fremmødet år for år - importen "
        "er idempotent og sletter intet); se docs/import-format.md (Limits)."
    )


def too_deep(limits: ImportLimits) -> str:
    return (
        f"Filen har lister og objekter inden i hinanden i mere end {limits.max_depth} "
        "niveauer; formatet bruger højst 4. Filen er ikke en importfil."
    )


def too_many_values(count: int, limits: ImportLimits) -> str:
    return (
        f"Filen har omkring {number(count)} værdier; højst {number(limits.max_values)} er "
        "tilladt. Del filen op (importen er idempotent og sletter intet)."
    )


def too_many_rows(section: str, count: int | None, limits: ImportLimits) -> str:
    """`count` None: more than the limit (an .xlsx sheet is not read further)."""
    limit = limits.max_rows[section]
    have = f"mere end {number(limit)}" if count is None else number(count)
    return (
        f"har {have} rækker; højst {number(limit)} pr. sektion er tilladt. "
        "Del filen op (importen er idempotent og sletter intet)."
    )


def errors_more(count: int) -> str:
    return f"... og {number(count)} fejl mere"
