"""The import's limits (dataimport/limits.py): hostile files are refused in Danish, in a
real `manage.py import_jobcenter_data` process within 10 s and 300 MB, writing nothing; three
imports of one file at once import it once (issue 19, finding 5).

Each refusal prints its measured time and memory (`pytest -s` shows them):
    hostile file <name>: <bytes> on disk, refused in <s> s (<s> s CPU), <MB> MB max RSS
"""

import copy
import json
import struct
import subprocess
import sys
import threading
import time
import zlib
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django_tenants.utils import schema_context

from audit.models import AuditEvent
from candidates.models import Candidate, Course
from centers.models import Centre, Company, Place
from contracts.models import Contract
from dataimport.limits import MAX_ROWS, ImportLimits
from dataimport.services import ImportFailed, jobcenter_data_import
from mentors.models import Attendance
from reports.models import JobcenterCost
from tests.conftest import ROOT, subprocess_env
from tests.domain.test_import import GOOD, IMPORTED_ON, MODELS

LIMITS = ImportLimits()
SECONDS, MEGABYTES = 10, 300
FORMAT = '{"format": "virksomhedscenter/v1", '


def row_counts() -> dict[str, int]:
    with schema_context("alpha"):
        return {m.__name__: m.objects.count() for m in (*MODELS, AuditEvent)}


@dataclass
class Run:
    returncode: int
    out: str
    err: str
    seconds: float  # wall time
    cpu_seconds: float  # user + system: what the process itself spent, whatever the load
    megabytes: float


# A small parent of its own: a child's max RSS counts the pages of the process it was forked
# from, and pytest's are large. This one reports the import's rusage alone.
MEASURE = """
import json, resource, subprocess, sys
try:
    code = subprocess.call(sys.argv[3:], timeout=float(sys.argv[2]))
except subprocess.TimeoutExpired:
    code = -9
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(sys.argv[1], "w") as out:
    json.dump([code, usage.ru_utime + usage.ru_stime, usage.ru_maxrss], out)
"""


def import_process(path: Path, timeout: float = 60, **env) -> Run:
    """`manage.py import_jobcenter_data` into alpha in a process of its own; its wall time,
    CPU time and peak memory (max RSS) are measured, Django's start-up included."""
    out, err, usage = (path.with_suffix(suffix) for suffix in (".out", ".err", ".usage"))
    with out.open("wb") as stdout, err.open("wb") as stderr:
        started = time.monotonic()
        subprocess.run(
            [sys.executable, "-c", MEASURE, str(usage), str(timeout), sys.executable]
            + ["manage.py", "import_jobcenter_data", "--schema", "alpha", str(path)]
            + ["--today", IMPORTED_ON.isoformat()],
            cwd=ROOT,
            env=subprocess_env(**env),
            stdout=stdout,
            stderr=stderr,
            check=False,
        )
        seconds = time.monotonic() - started
    code, cpu_seconds, max_rss_kb = json.loads(usage.read_text())
    return Run(
        code,
        out.read_text(encoding="utf-8", errors="replace"),
        err.read_text(encoding="utf-8", errors="replace"),
        seconds,
        cpu_seconds,
        max_rss_kb / 1024,  # kB on Linux
    )


def refused(name: str, path: Path, message: str, **env) -> Run:
    """Import the hostile file in a process: refused with `message`, nothing written, within
    the time and memory budget, no traceback."""
    before = row_counts()
    run = import_process(path, **env)
    print(
        f"\nhostile file {name}: {path.stat().st_size:,} bytes on disk, refused in "
        f"{run.seconds:.1f} s ({run.cpu_seconds:.1f} s CPU), {run.megabytes:.0f} MB max RSS"
    )
    assert run.returncode == 1, (run.returncode, run.out[-2000:], run.err[-2000:])
    assert message in run.err, run.err[-3000:]
    assert "Traceback" not in run.err
    assert row_counts() == before
    # CPU time: the machine is shared, and its load is no part of the import's cost.
    assert run.cpu_seconds < SECONDS, run
    assert run.megabytes < MEGABYTES, run
    return run


# --- Building hostile .xlsx files -----------------------------------------------------------


def deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def zip_write(path: Path, members: list[tuple[str, bytes, int, int]]) -> None:
    """A zip file by hand: (name, deflated data, CRC-32, size) per member, so that a member
    can be a deflate stream made without compressing its gigabyte."""
    body, directory = bytearray(), bytearray()
    for name, data, crc, size in members:
        encoded, offset = name.encode(), len(body)
        body += struct.pack(
            "<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0
        )
        body += encoded + data
        directory += struct.pack(
            "<IHHHHHHIIIHHHHHII",
            *(0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded)),
            *(0, 0, 0, 0, 0, offset),
        )
        directory += encoded
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0
    )
    path.write_bytes(bytes(body + directory + end))


def workbook_members(tmp_path: Path, sheet_xml: bytes | None = None):
    """The members of a real workbook with an `attendance` sheet (openpyxl's), its sheet
    replaced by `sheet_xml` when given."""
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "attendance"
    workbook.active.append(["course", "date", "status", "hours"])
    source = tmp_path / "source.xlsx"
    workbook.save(source)
    members = []
    with zipfile.ZipFile(source) as archive:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename == "xl/worksheets/sheet1.xml" and sheet_xml is not None:
                data = sheet_xml
            members.append((info.filename, deflate(data), zlib.crc32(data), len(data)))
    return members


SHEET_START = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
HEADER_ROW = (
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>course</t></is></c>'
    b'<c r="B1" t="inlineStr"><is><t>date</t></is></c></row>'
)


def zip_bomb(path: Path, tmp_path: Path, gigabytes: float = 1.25) -> int:
    """An .xlsx whose attendance sheet expands to `gigabytes` of rows from about 1 MB: the
    1 MB chunk is deflated once after a full flush, so its bytes repeat as they are."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    chunk = row * (1024 * 1024 // len(row))
    repeats = int(gigabytes * 1024)
    start, end = SHEET_START + b"<sheetData>" + HEADER_ROW, b"</sheetData></worksheet>"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = compressor.compress(start) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    tail = compressor.compress(end) + compressor.flush()
    crc = zlib.crc32(start)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(end, crc)
    size = len(start) + len(chunk) * repeats + len(end)
    members = [m for m in workbook_members(tmp_path) if m[0] != "xl/worksheets/sheet1.xml"]
    members.append(("xl/worksheets/sheet1.xml", head + block * repeats + tail, crc, size))
    zip_write(path, members)
    return size


# --- Hostile files, each in a process --------------------------------------------------------


@pytest.mark.usefixtures("tenant_a")
def test_json_nested_200000_deep_is_refused_without_recursion(tmp_path):
    path = tmp_path / "deep.json"
    path.write_text(FORMAT + '"attendance": ' + "[" * 200_000 + "]" * 200_000 + "}")
    refused("200,000-deep JSON", path, "i mere end 10 niveauer; formatet bruger højst 4")


@pytest.mark.usefixtures("tenant_a")
def test_xlsx_that_is_no_zip_file_is_refused(tmp_path):
    path = tmp_path / "not-a-zip.xlsx"
    path.write_text("ref;name\nc1;Føtex\n", encoding="utf-8")
    refused("xlsx not a zip", path, "ikke et Excel-regneark (.xlsx): et regneark er en zip-fil")


@pytest.mark.usefixtures("tenant_a")
def test_xlsx_zip_bomb_is_refused_from_the_zip_directory(tmp_path):
    path = tmp_path / "bomb.xlsx"
    size = zip_bomb(path, tmp_path)
    assert path.stat().st_size < 5 * 1024 * 1024 and size > 1024**3  # 1.25 GB from ~1 MB
    refused("xlsx zip bomb (1.25 GB unpacked)", path, "udpakket; højst 50,0 MB er tilladt")


@pytest.mark.usefixtures("tenant_a")
def test_xlsx_of_too_many_members_is_refused_before_its_directory_is_read(tmp_path):
    path = tmp_path / "members.xlsx"
    empty = (b"", zlib.crc32(b""), 0)
    members = workbook_members(tmp_path)
    members += [(f"xl/media/{n}.bin", deflate(b""), *empty[1:]) for n in range(5000)]
    zip_write(path, members)
    refused("xlsx of 5,000 members", path, "består af flere end 200 dele")


@pytest.mark.usefixtures("tenant_a")
def test_xlsx_declaring_16384_columns_and_a_million_rows_reads_only_its_cells(tmp_path):
    # Rows 2 .. 1,048,575 missing and the dimension claiming XFD1048576: the reader used to
    # fill every row to 16,384 columns (17 billion cells). One bad row at the very end.
    sheet = (
        SHEET_START
        + b'<dimension ref="A1:XFD1048576"/><sheetData>'
        + HEADER_ROW
        + b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>f1</t></is></c>'
        + b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
        + b"</sheetData></worksheet>"
    )
    path = tmp_path / "sparse.xlsx"
    zip_write(path, workbook_members(tmp_path, sheet))
    refused("xlsx claiming 16,384 x 1,048,576 cells", path, "attendance[f1#1].course: ukendt")


@pytest.mark.usefixtures("tenant_a")
def test_file_one_byte_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.json"
    text = json.dumps(GOOD)
    path.write_text(text + " " * (LIMITS.max_file_bytes + 1 - len(text)), encoding="utf-8")
    assert path.stat().st_size == LIMITS.max_file_bytes + 1
    refused("20 MB + 1 byte", path, "Filen fylder 20,0 MB; en importfil må højst fylde 20,0 MB")


@pytest.mark.usefixtures("tenant_a")
def test_a_200_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "huge.json"
    with path.open("wb") as file:  # sparse: 200 MB long, nothing on the disk
        file.truncate(200 * 1024 * 1024)
    refused("200 MB", path, "Filen fylder 200,0 MB")


@pytest.mark.usefixtures("tenant_a")
def test_a_section_over_its_row_limit_is_refused_before_it_is_checked(tmp_path):
    most = MAX_ROWS["attendance"]
    row = '{"course": "f1", "date": "2025-01-06", "status": "present", "hours": 4}'
    path = tmp_path / "rows.json"
    path.write_text(FORMAT + '"attendance": [' + ",".join([row] * (most + 1)) + "]}")
    run = refused(
        "attendance of 250,001 rows", path, "attendance: har 250.001 rækker; højst 250.000"
    )
    assert "afvist med 1 fejl" in run.err


@pytest.mark.usefixtures("tenant_a")
def test_1_4_million_errors_print_the_first_200_and_a_count(tmp_path):
    # Within every limit (1,470,002 values): 70,000 attendance rows of 20 unknown keys each.
    row = json.dumps(dict.fromkeys("abcdefghijklmnopqrst", 0), separators=(",", ":"))
    path = tmp_path / "errors.json"
    path.write_text(FORMAT + '"attendance": [' + ",".join([row] * 70_000) + "]}")
    run = refused("1,400,000 errors", path, "afvist med 1.400.000 fejl; intet er gemt")
    lines = run.err.splitlines()
    assert sum(": ukendt felt" in line for line in lines) == 200
    assert "  ... og 1.399.800 fejl mere" in lines


@pytest.mark.usefixtures("tenant_a")
def test_an_xlsx_sheet_over_its_row_limit_stops_being_read(tmp_path):
    rows = b"".join(b'<row><c t="inlineStr"><is><t>f%d</t></is></c></row>' % n for n in range(200))
    sheet = SHEET_START + b"<sheetData>" + HEADER_ROW + rows + b"</sheetData></worksheet>"
    path = tmp_path / "rows.xlsx"
    zip_write(path, workbook_members(tmp_path, sheet))
    refused(
        "xlsx sheet past its row limit",
        path,
        "Arket attendance har mere end 100 rækker; højst 100 pr. sektion",
        IMPORT_LIMITS=json.dumps({"max_rows": {"attendance": 100}}),
    )


# --- Without a process: the messages ----------------------------------------------------------


def test_json_of_750000_empty_objects_is_refused_before_it_is_parsed(tmp_path):
    from dataimport.formats import FileFormatError, load_import_file

    path = tmp_path / "objects.json"
    path.write_text(FORMAT + '"attendance": [' + ",".join(["{}"] * 750_000) + "]}")
    with pytest.raises(FileFormatError, match="har omkring 1.500.002 værdier; højst 1.500.000"):
        load_import_file(path)


def test_json_depth_counts_brackets_outside_strings_only():
    from dataimport.formats import json_shape

    assert json_shape(b'{"a": [{"b": "[[[[\\",{{"}, [1, 2]]}') == (3, 6)
    assert json_shape(b'["\\\\", [[]]]') == (3, 4)


@pytest.mark.usefixtures("tenant_a")
def test_a_database_refusal_is_reported_in_danish():
    from django.db import IntegrityError

    from dataimport.services import database_problem

    with schema_context("alpha"):
        Company.objects.create(
            name="A", cvr="35954716", branche="detail", sector="private", import_ref="c1"
        )
        try:
            with transaction.atomic():
                Company.objects.create(
                    name="B", cvr="35954716", branche="detail", sector="private", import_ref="c1"
                )
        except IntegrityError as exc:
            problem = database_problem(exc)
    text = str(problem)
    assert text.startswith("companies: en række findes allerede i jobcentret")
    assert "import_ref" in text  # the constraint's name says which
    assert "duplicate key" not in text and "violates" not in text


# --- Three imports of one file at once ---------------------------------------------------------

RACE = copy.deepcopy(GOOD)
for _centre in RACE["centres"]:
    _centre.pop("consultant_email")  # no committed user for it


def _race_cleanup() -> None:
    refs = {s: [r["ref"] for r in RACE[s]] for s in ("companies", "centres", "contracts")}
    with schema_context("alpha"):
        Attendance.objects.filter(
            course__import_ref__in=[r["ref"] for r in RACE["courses"]]
        ).delete()
        Course.objects.filter(import_ref__in=[r["ref"] for r in RACE["courses"]]).delete()
        Place.objects.filter(contract__import_ref__in=refs["contracts"]).delete()
        Contract.objects.filter(import_ref__in=refs["contracts"]).delete()
        Centre.objects.filter(import_ref__in=refs["centres"]).delete()
        Company.objects.filter(import_ref__in=refs["companies"]).delete()
        Candidate.objects.filter(import_ref__in=[r["ref"] for r in RACE["candidates"]]).delete()
        JobcenterCost.objects.filter(year__in=[r["year"] for r in RACE["jobcenter_costs"]]).delete()


@pytest.mark.usefixtures("django_db_setup")
def test_three_imports_of_one_file_at_once_import_it_once(django_db_blocker, tmp_path):
    """Real concurrency: three threads, three database connections, committed rows.

    Before the lock two of them ended in PostgreSQL's English "duplicate key value violates
    unique constraint"; now the imports run one after the other and the later two find
    everything there."""
    path = tmp_path / "race.json"
    path.write_text(json.dumps(RACE), encoding="utf-8")
    start = threading.Barrier(3)
    answers: list[tuple[str, str]] = []

    def one_import() -> None:
        out = StringIO()
        try:
            with django_db_blocker.unblock():
                start.wait()
                call_command(
                    "import_jobcenter_data",
                    "--schema",
                    "alpha",
                    str(path),
                    "--today",
                    IMPORTED_ON.isoformat(),
                    stdout=out,
                    stderr=out,
                )
            answers.append(("ok", out.getvalue()))
        except CommandError as exc:
            answers.append(("refused", f"{out.getvalue()}\n{exc}"))
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=one_import) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        outputs = "\n---\n".join(text for _, text in answers)
        assert [kind for kind, _ in answers] == ["ok"] * 3, outputs
        assert "duplicate key" not in outputs
        imported = [text for _, text in answers if "Importen er gennemført." in text]
        already = [text for _, text in answers if "Filen er allerede importeret" in text]
        assert len(imported) == 1 and len(already) == 2, outputs
        assert "courses: 3 nye, 0 ændrede, 0 uændrede" in imported[0]
        assert all("courses: 0 nye, 0 ændrede, 3 uændrede" in text for text in already)
        with django_db_blocker.unblock(), schema_context("alpha"):
            assert Course.objects.filter(import_ref__in=["f1", "f2", "f3"]).count() == 3
            assert Attendance.objects.filter(course__import_ref__in=["f1", "f3"]).count() == 3
    finally:
        with django_db_blocker.unblock():
            _race_cleanup()
            connections.close_all()


@pytest.mark.usefixtures("tenant_a")
def test_an_import_waiting_too_long_for_another_gives_up_in_danish(settings):
    settings.IMPORT_LIMITS = {"lock_wait_seconds": 1}
    held, release = threading.Event(), threading.Event()

    def other_import() -> None:  # another connection holds the jobcentre's import lock
        try:
            with schema_context("alpha"), transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(hashtext('import:alpha'))")
                held.set()
                release.wait(30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_import)
    thread.start()
    try:
        assert held.wait(30)
        before = row_counts()
        notices: list[str] = []
        with schema_context("alpha"), pytest.raises(ImportFailed) as failed:
            jobcenter_data_import(
                data=copy.deepcopy(RACE), today=IMPORTED_ON, notice=notices.append
            )
        assert notices == [
            "En anden import til jobcentret er i gang; venter på, at den bliver færdig."
        ]
        assert "har været i gang i mere end 1 sekunder" in str(failed.value.problems[0])
        assert row_counts() == before
    finally:
        release.set()
        thread.join(30)
