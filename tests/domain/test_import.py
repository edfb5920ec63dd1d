"""import_jobcenter_data: all-or-nothing, idempotent by ref, every error in Danish."""

import copy
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django_tenants.utils import schema_context

from candidates.cpr_crypto import cpr_hmac
from candidates.models import Candidate, Course, Extension
from centers.models import Centre, Company, Place
from contracts.models import Contract
from dataimport.formats import load_import_file
from dataimport.services import ImportFailed, jobcenter_data_import
from mentors.models import Attendance
from reports.models import JobcenterCost
from tests.conftest import ROOT, make_user

# The `today` the import is run with (its dates must not lie after it): after the file's last
# date. Not a frozen clock: the import takes its day as an argument.
IMPORTED_ON = date(2026, 10, 31)
MODELS = (JobcenterCost, Company, Centre, Contract, Place, Candidate, Course, Extension, Attendance)

GOOD = {
    "format": "virksomhedscenter/v1",
    "jobcenter_costs": [{"year": 2025, "jobkonsulent_salaries": 375000, "mentor_courses": 50000}],
    "companies": [
        {
            "ref": "c1",
            "name": "Føtex Middelfart",
            "cvr": "35954716",
            "p_number": "1012345678",
            "branche": "detail",
            "sector": "private",
        },
        {
            "ref": "c2",
            "name": "Netto Middelfart",
            "cvr": "35954716",
            "p_number": "1012345679",
            "branche": "detail",
            "sector": "private",
        },
    ],
    "centres": [
        {
            "ref": "vc1",
            "company": "c1",
            "name": "Virksomhedscenter Føtex",
            "model": "netvaerksbaseret",
            "network_companies": ["c2"],
            "work_tasks": ["bageri", "kasse"],
            "special_requirements": "Ren straffeattest",
            "consultant_email": "konsulent@alpha.test",
        },
    ],
    "contracts": [
        {
            "ref": "k1",
            "centre": "vc1",
            "start": "2025-01-01",
            "end": "2025-12-31",
            "places": 2,
            "mentor_hours_per_week": 10,
            "payment": {"model": "per_place_month", "amount": 1500},
            "establishment_amount": 5000,
        },
    ],
    "candidates": [
        {
            "ref": "p1",
            "cpr": "0203851234",
            "name": "Anna Andersen",
            "birth_date": "1985-03-02",
            "benefit": "kontanthjaelp",
            "matchgruppe": 4,
            "barriers": ["sprog"],
        },
        {
            "ref": "p2",
            "cpr": "1107034321",
            "name": "Bo Berg",
            "birth_date": "2003-07-11",
            "benefit": "uddannelseshjaelp",
        },
        {
            "ref": "p3",
            "cpr": "0909901111",
            "name": "Cem Celik",
            "birth_date": "1990-09-09",
            "benefit": "sygedagpenge",
        },
    ],
    "courses": [
        {
            "ref": "f1",
            "candidate": "p1",
            "contract": "k1",
            "start": "2025-01-06",
            "planned_end": "2025-04-06",
            "end": "2025-04-03",
            "hours_per_week": 20,
            "outcome": "ordinaert_job",
            "self_supporting_4w": True,
        },
        {
            "ref": "f2",
            "candidate": "p2",
            "contract": "k1",
            "start": "2025-01-06",
            "planned_end": "2025-07-06",
            "end": "2025-06-30",
            "hours_per_week": 15,
            "outcome": "uddannelse",
            "extension_reason": "Skal afklares længere",
            "representatives_consulted_on": "2025-03-20",
        },
        {
            "ref": "f3",
            "candidate": "p3",
            "contract": "k1",
            "start": "2025-04-07",
            "planned_end": "2025-07-06",
            "hours_per_week": 10,
        },
    ],
    "attendance": [
        {"course": "f1", "date": "2025-01-06", "status": "present", "hours": 4},
        {"course": "f1", "date": "2025-01-07", "status": "sick"},
        {"course": "f3", "date": "2025-04-07", "status": "present", "hours": 2},
    ],
}


@pytest.fixture
def alpha(tenant_a):
    make_user(tenant_a, "jobkonsulent", email="konsulent@alpha.test")
    with schema_context("alpha"):
        yield


def table_counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def run(data, today=IMPORTED_ON):
    return jobcenter_data_import(data=copy.deepcopy(data), today=today)


@pytest.mark.usefixtures("alpha")
def test_good_file_imports_everything():
    result = run(GOOD)
    assert str(result.counts["courses"]) == "3 nye, 0 ændrede, 0 uændrede"
    centre = Centre.objects.get(import_ref="vc1")
    assert centre.requires_clean_record  # derived from "Ren straffeattest"
    assert centre.consultant.email == "konsulent@alpha.test"
    assert list(centre.network_companies.values_list("name", flat=True)) == ["Netto Middelfart"]
    contract = Contract.objects.get(import_ref="k1")
    assert contract.status == "ended"
    assert contract.establishment_amount == Decimal(5000)
    assert contract.place_set.count() == 2
    f1, f2, f3 = (Course.objects.get(import_ref=r) for r in ("f1", "f2", "f3"))
    # f1 and f2 run together in places 1 and 2; f3 takes place 1 after f1 ended.
    assert (f1.place.number, f2.place.number, f3.place.number) == (1, 2, 1)
    assert f1.self_supporting_4w is True
    assert f2.extensions.get().representatives_consulted_on == date(2025, 3, 20)
    assert f3.end is None and f3.outcome is None
    assert f1.hours.get().hours_per_week == 20
    assert Attendance.objects.get(course=f1, date=date(2025, 1, 7)).status == "sick"
    assert JobcenterCost.objects.get(year=2025).mentor_courses == 50000


@pytest.mark.usefixtures("alpha")
def test_same_file_twice_changes_nothing():
    run(GOOD)
    before = table_counts()
    snapshot = list(Course.objects.order_by("import_ref").values())
    result = run(GOOD)
    assert not result.changed_anything
    assert table_counts() == before
    assert list(Course.objects.order_by("import_ref").values()) == snapshot


@pytest.mark.usefixtures("alpha")
def test_changed_file_updates_the_rows_it_names():
    run(GOOD)
    changed = copy.deepcopy(GOOD)
    changed["companies"][0]["name"] = "Føtex Middelfart A/S"
    changed["courses"][2].update(end="2025-06-30", outcome="fleksjob")
    changed["attendance"][1].update(status="present", hours=3)
    result = run(changed)
    assert str(result.counts["companies"]) == "0 nye, 1 ændrede, 1 uændrede"
    assert Company.objects.get(import_ref="c1").name == "Føtex Middelfart A/S"
    assert Course.objects.get(import_ref="f3").outcome == "fleksjob"
    assert Attendance.objects.get(date=date(2025, 1, 7)).hours == 3


@pytest.mark.usefixtures("alpha")
def test_a_candidate_registered_by_hand_is_adopted_not_duplicated():
    from tests.factories import CandidateFactory

    CandidateFactory(cpr="0203851234", birth_date=date(1985, 3, 2), name="Anna A.")
    run(GOOD)
    assert Candidate.objects.filter(cpr_hmac=cpr_hmac("0203851234")).count() == 1
    assert Candidate.objects.get(cpr_hmac=cpr_hmac("0203851234")).import_ref == "p1"


def bad(path: str, value):
    """GOOD with one value replaced; path like 'courses.0.start' (value None deletes)."""
    data = copy.deepcopy(GOOD)
    *parents, last = path.split(".")
    target = data
    for part in parents:
        target = target[int(part)] if part.isdigit() else target[part]
    if value is None:
        del target[int(last) if last.isdigit() else last]
    else:
        target[int(last) if last.isdigit() else last] = value
    return data


BAD_INPUT = [
    ("format", "andet/v9", "format: skal være"),
    ("companies.0.cvr", "35954717", "companies[c1].cvr: 35954717 er ikke et gyldigt CVR-nummer"),
    ("companies.0.branche", "landbrug", "companies[c1].branche: ukendt kode 'landbrug'"),
    ("companies.1.p_number", "1012345678", "companies[c2].p_number: bruges også af c1"),
    ("companies.0.name", None, "companies[c1].name: mangler"),
    ("companies.1.ref", "c1", "companies[c1].ref: optræder mere end én gang"),
    ("centres.0.company", "c9", "centres[vc1].company: ukendt virksomhed 'c9'"),
    ("centres.0.model", "virtuelt", "centres[vc1].network_companies: kun netværks-"),
    ("centres.0.consultant_email", "nogen@andet.dk", "ingen jobkonsulent med e-mailen"),
    ("contracts.0.places", 0, "contracts[k1].places: en kontrakt skal have mellem 1 og 1000"),
    ("contracts.0.places", "INFINITY", "contracts[k1].places: 'INFINITY' er ikke et helt tal"),
    ("contracts.0.places", 10**20, "contracts[k1].places: 100000000000000000000 er for stort"),
    ("contracts.0.payment.amount", 1e13, "er for stort"),
    ("companies.0.employees", -3, "companies[c1].employees: -3 er negativ"),
    ("attendance.0.hours", 2.25, "har mere end 1 decimal"),
    ("contracts.0.end", "2024-12-31", "contracts[k1].end: slutdatoen ligger før startdatoen"),
    ("contracts.0.payment", {"model": "per_place_month"}, "kræver et beløb"),
    ("contracts.0.payment", {"model": "mentor_hours", "hourly_rate": 200}, "mentor_hours kræver"),
    ("contracts.0.establishment_amount", -5, "er negativ"),
    ("contracts.0.start", "1. januar 2025", "er ikke en dato"),
    ("candidates.0.cpr", "3002851234", "candidates[p1].cpr: ugyldigt CPR-nummer"),
    ("candidates.1.cpr", "0203851234", "candidates[p2].cpr: samme CPR-nummer som p1"),
    ("candidates.0.birth_date", "1985-03-03", "candidates[p1].birth_date: passer ikke"),
    ("candidates.0.matchgruppe", 7, "matchgruppe: skal være 1-5"),
    ("candidates.0.benefit", "loen", "candidates[p1].benefit: ukendt kode"),
    ("courses.0.candidate", "p9", "courses[f1].candidate: ukendt kandidat"),
    ("courses.0.start", "2024-12-30", "forløbet skal ligge i kontraktens periode"),
    ("courses.0.outcome", None, "courses[f1].outcome: et afsluttet forløb skal have"),
    ("courses.0.outcome", "job", "courses[f1].outcome: ukendt kode"),
    ("courses.1.representatives_consulted_on", None, "forløb over 13 uger kræver"),
    ("courses.0.self_supporting_4w", "måske", "er ikke ja/nej"),
    ("courses.0.hours_per_week", 70, "højst 60 timer"),
    ("attendance.0.date", "2025-05-01", "ligger uden for forløbet"),
    ("attendance.1.date", "2025-01-06", "har allerede fremmøde den 2025-01-06"),
    ("attendance.0.hours", 0, "mødt kræver timer"),
    ("attendance.1.hours", 2, "kun en mødt dag har timer"),
    ("attendance.0.status", "ferie", "ukendt kode 'ferie'"),
    ("companies.0.nmae", "Føtex", "companies[c1].nmae: ukendt felt"),
    ("contracts.0.payment.rate", 200, "contracts[k1].rate: ukendt felt"),
    ("centres.0.network_companies", ["c1", "c2"], "må ikke indeholde centrets egen"),
    ("courses.1.representatives_consulted_on", "2024-06-01", "skal ligge i forløbet"),
    ("jobcenter_costs.0.mentor_courses", None, "jobcenter_costs[#1].mentor_courses: mangler"),
]


@pytest.mark.parametrize(("path", "value", "message"), BAD_INPUT, ids=[b[0] for b in BAD_INPUT])
@pytest.mark.usefixtures("alpha")
def test_bad_input_is_refused_with_a_danish_message_and_nothing_is_written(path, value, message):
    before = table_counts()
    with pytest.raises(ImportFailed) as failed:
        run(bad(path, value))
    assert any(message in str(p) for p in failed.value.problems), failed.value.problems
    assert table_counts() == before


@pytest.mark.usefixtures("alpha")
def test_dates_after_the_day_of_the_import_are_refused():
    with pytest.raises(ImportFailed) as failed:
        run(GOOD, today=date(2025, 5, 1))
    assert "courses[f2].end: 2025-06-30 ligger efter dags dato (2025-05-01)" in [
        str(p) for p in failed.value.problems
    ]


@pytest.mark.usefixtures("alpha")
def test_follow_up_that_is_not_due_yet_is_refused():
    data = bad("courses.0.self_supporting_13w", True)
    with pytest.raises(ImportFailed) as failed:
        run(data, today=date(2025, 5, 1))
    assert "opfølgningen efter 13 uger er ikke faldet endnu" in str(failed.value.problems[0])


@pytest.mark.usefixtures("alpha")
def test_more_courses_at_once_than_places_is_refused():
    data = bad("courses.2.start", "2025-04-01")
    data["courses"][2]["planned_end"] = "2025-06-29"
    with pytest.raises(ImportFailed) as failed:
        run(data)
    assert [str(p) for p in failed.value.problems] == [
        "courses[f3].start: ingen ledig plads i kontrakten k1 fra 2025-04-01: "
        "alle 2 pladser er optaget"
    ]
    assert Course.objects.count() == 0


@pytest.mark.usefixtures("alpha")
def test_overlapping_courses_of_one_candidate_are_refused():
    data = bad("courses.2.candidate", "p1")
    data["courses"][2].update(start="2025-04-01", planned_end="2025-06-29")
    with pytest.raises(ImportFailed) as failed:
        run(data)
    assert "kandidaten er allerede i forløbet f1" in " ".join(map(str, failed.value.problems))


@pytest.mark.usefixtures("alpha")
def test_a_mistake_is_reported_once_not_again_for_every_row_that_refers_to_it():
    with pytest.raises(ImportFailed) as failed:
        run(bad("companies.0.cvr", "12345678"))
    assert [str(p) for p in failed.value.problems] == [
        "companies[c1].cvr: 12345678 er ikke et gyldigt CVR-nummer (8 cifre, modulus 11)"
    ]


@pytest.mark.usefixtures("alpha")
def test_all_problems_are_reported_at_once():
    data = bad("companies.0.cvr", "1")
    data["candidates"][0]["cpr"] = "x"
    data["jobcenter_costs"][0]["year"] = 1999
    with pytest.raises(ImportFailed) as failed:
        run(data)
    assert {p.section for p in failed.value.problems} == {
        "jobcenter_costs",
        "companies",
        "candidates",
    }


@pytest.mark.usefixtures("alpha")
def test_command_prints_errors_and_exits_nonzero_with_nothing_written(tmp_path, capsys):
    path = tmp_path / "data.json"
    path.write_text(json.dumps(bad("companies.0.cvr", "12345678")), encoding="utf-8")
    before = table_counts()
    with pytest.raises(CommandError, match="afvist med 1 fejl; intet er gemt"):
        call_command(
            "import_jobcenter_data", "--schema", "alpha", str(path), "--today", "2026-10-31"
        )
    assert "companies[c1].cvr: 12345678 er ikke et gyldigt CVR-nummer" in capsys.readouterr().err
    with schema_context("alpha"):
        assert table_counts() == before


@pytest.mark.usefixtures("alpha")
def test_command_refuses_unreadable_files_and_unknown_jobcentres(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": ', encoding="utf-8")
    with pytest.raises(CommandError, match="ikke gyldig JSON"):
        call_command("import_jobcenter_data", "--schema", "alpha", str(broken))
    with pytest.raises(CommandError, match="findes intet jobcenter"):
        call_command("import_jobcenter_data", "--schema", "gamma", str(broken))
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_jobcenter_data", "--schema", "alpha", str(tmp_path / "nope.json"))


@pytest.mark.usefixtures("alpha")
def test_command_imports_into_the_named_jobcentre_only(tmp_path, capsys):
    path = tmp_path / "data.json"
    path.write_text(json.dumps(GOOD), encoding="utf-8")
    call_command("import_jobcenter_data", "--schema", "alpha", str(path), "--today", "2026-10-31")
    out = capsys.readouterr().out
    assert "attendance: 3/3" in out  # progress
    assert "courses: 3 nye, 0 ændrede, 0 uændrede" in out
    with schema_context("alpha"):
        assert Course.objects.count() == 3
    with schema_context("beta"):
        assert Course.objects.count() == 0


@pytest.mark.usefixtures("alpha")
def test_xlsx_workbook_imports_like_the_json(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for section in (
        "jobcenter_costs",
        "companies",
        "centres",
        "contracts",
        "candidates",
        "courses",
        "attendance",
    ):
        rows = GOOD[section]
        columns = []
        for row in rows:
            for key, value in row.items():
                names = [f"payment_{k}" for k in value] if key == "payment" else [key]
                columns += [n for n in names if n not in columns]
        sheet = workbook.create_sheet(section)
        sheet.append(columns)
        for row in rows:
            flat = {**row, **{f"payment_{k}": v for k, v in row.get("payment", {}).items()}}
            if flat.get("cpr", "").startswith("0"):
                flat["cpr"] = int(flat["cpr"])  # as Excel stores it: the leading 0 is lost
            sheet.append(
                [
                    "; ".join(flat[c]) if isinstance(flat.get(c), list) else flat.get(c)
                    for c in columns
                ]
            )
    path = tmp_path / "data.xlsx"
    workbook.save(path)
    result = run(load_import_file(path))
    assert str(result.counts["attendance"]) == "3 nye, 0 ændrede, 0 uændrede"
    assert Candidate.objects.get(import_ref="p1").cpr == "0203851234"
    # The same data as JSON afterwards changes nothing.
    assert not run(GOOD).changed_anything


@pytest.mark.parametrize("name", ["middelfart", "skive"])
@pytest.mark.usefixtures("alpha")
def test_example_files_import_cleanly_and_idempotently(name):
    data = load_import_file(ROOT / "docs" / "examples" / f"{name}.json")
    for centre in data["centres"]:
        centre.pop("consultant_email", None)
    first = run(data, today=date(2026, 11, 25))
    assert first.counts["courses"].new > 100
    assert first.counts["attendance"].new > 10000
    assert not run(data, today=date(2026, 11, 25)).changed_anything


def test_import_format_is_documented():
    doc = (ROOT / "docs" / "import-format.md").read_text(encoding="utf-8")
    for key in ("jobcenter_costs", "network_companies", "self_supporting_4w", "hourly_rate"):
        assert key in doc


@pytest.mark.usefixtures("alpha")
def test_the_documented_example_imports():
    doc = (ROOT / "docs" / "import-format.md").read_text(encoding="utf-8")
    example = json.loads(doc.split("## A complete example")[1].split("```json")[1].split("```")[0])
    for centre in example["centres"]:
        centre.pop("consultant_email")
    result = run(example, today=date(2026, 11, 25))
    assert result.counts["courses"].new == 2


@pytest.mark.usefixtures("alpha")
def test_an_import_has_the_dashboards_figures_of_today_counted_again(
    django_capture_on_commit_callbacks,
):
    """An import updates rows in bulk, which sends no signals; it lets the dashboard's kept
    count of today go itself (reports/today.py): a course the file ends is no longer
    counted as holding its place."""
    from reports.today import today_figures

    day = date(2025, 5, 1)  # f2 and f3 run (f3 from 7 April), f1 has ended
    with django_capture_on_commit_callbacks(execute=True):
        run(GOOD)
    assert today_figures(today=day, limit=10).places["occupied"] == 2
    changed = copy.deepcopy(GOOD)
    changed["courses"][2].update(end="2025-04-30", outcome="fleksjob")
    with django_capture_on_commit_callbacks(execute=True):
        run(changed)
    assert today_figures(today=day, limit=10).places["occupied"] == 1
