"""Import a jobcentre's data (format virksomhedscenter/v1) into the current tenant schema.

All or nothing: the file is checked completely first, then written in one transaction.
Idempotent by `ref`: importing the same file twice changes nothing; a changed file updates
the rows it names. Writes are bulk (100,000 attendance rows in seconds).
Two imports into one jobcentre run one after the other (a per-jobcentre advisory lock), so
the second sees what the first wrote: the same file twice at once is imported once.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.db import DataError, IntegrityError, OperationalError, connection, transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from accounts.roles import ROLE_JOBKONSULENT
from audit.services import audit_record
from candidates.cpr_crypto import cpr_hmac
from candidates.models import Candidate, Course, CourseHours, Extension
from centers.models import (
    Centre,
    Company,
    Place,
    Workplace,
    WorkplaceEmployees,
    WorkplaceStatement,
)
from contracts.models import Contract
from mentors.models import Attendance
from reports.models import JobcenterCost
from reports.today import forget as today_figures_forget

from . import limits as lim
from .limits import ImportLimits, import_limits
from .validation import ExistingRefs, Problem, validate

BATCH = 5000


class ImportFailed(Exception):
    """Nothing was written. `problems` holds the first of them (dataimport/limits.py's
    errors_shown), `total` how many there were."""

    def __init__(self, problems: list[Problem]):
        self.total = getattr(problems, "total", len(problems))
        super().__init__(f"{self.total} fejl")
        self.problems = list(problems)

    def lines(self) -> list[str]:
        """The problems as printed: the first ones, then how many more."""
        lines = [str(problem) for problem in self.problems]
        if self.total > len(self.problems):
            lines.append(lim.errors_more(self.total - len(self.problems)))
        return lines


@dataclass
class Counts:
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    def __str__(self) -> str:
        return f"{self.new} nye, {self.changed} ændrede, {self.unchanged} uændrede"


@dataclass
class ImportResult:
    counts: dict[str, Counts] = field(default_factory=dict)

    @property
    def changed_anything(self) -> bool:
        return any(c.new or c.changed for c in self.counts.values())

    @property
    def summary(self) -> str:
        """One Danish sentence for the person importing."""
        if self.changed_anything:
            return "Importen er gennemført."
        return "Filen er allerede importeret: intet er ændret (alle rækker fandtes i forvejen)."


Progress = Callable[[str, int, int], None]


def _existing_refs() -> ExistingRefs:
    consultants = {
        email.lower(): pk
        for pk, email in get_user_model()
        .objects.filter(groups__name=ROLE_JOBKONSULENT)
        .values_list("pk", "email")
    }
    return ExistingRefs(
        companies=set(
            Company.objects.exclude(import_ref=None).values_list("import_ref", flat=True)
        ),
        centres=set(Centre.objects.exclude(import_ref=None).values_list("import_ref", flat=True)),
        contracts={
            ref: (start, end)
            for ref, start, end in Contract.objects.exclude(import_ref=None).values_list(
                "import_ref", "start", "end"
            )
        },
        candidates=set(
            Candidate.objects.exclude(import_ref=None).values_list("import_ref", flat=True)
        ),
        courses={
            ref: (start, end, planned)
            for ref, start, end, planned in Course.objects.exclude(import_ref=None).values_list(
                "import_ref", "start", "end", "planned_end"
            )
        },
        consultants=consultants,
    )


def _upsert(model, rows: dict[str, dict], progress: Progress | None, label: str):
    """Create or update rows by import_ref; returns (Counts, {ref: pk})."""
    counts = Counts()
    existing = {o.import_ref: o for o in model.objects.filter(import_ref__in=list(rows))}
    new, changed = [], []
    fields: set[str] = set()
    for ref, values in rows.items():
        obj = existing.get(ref)
        if obj is None:
            new.append(model(import_ref=ref, **values))
            continue
        diff = {k: v for k, v in values.items() if getattr(obj, k) != v}
        if diff:
            for k, v in diff.items():
                setattr(obj, k, v)
            fields.update(diff)
            changed.append(obj)
        else:
            counts.unchanged += 1
    model.objects.bulk_create(new, batch_size=BATCH)
    if changed:
        # bulk_update runs no auto_now: the changed time (the API's changed-since) is set here.
        if any(f.name == "updated_at" for f in model._meta.fields):
            now = timezone.now()
            for obj in changed:
                obj.updated_at = now
            fields.add("updated_at")
        model.objects.bulk_update(changed, sorted(fields), batch_size=BATCH)
    counts.new, counts.changed = len(new), len(changed)
    if progress:
        progress(label, len(rows), len(rows))
    ids = {o.import_ref: o.pk for o in existing.values()}
    ids.update({o.import_ref: o.pk for o in new})
    return counts, ids


def _workplaces_ensure(
    companies: dict[str, dict], company_ids: dict[str, int], statements: dict, *, today: date
) -> None:
    """The company's P-number stays its one workplace (docs/import-format.md): create it or
    update its address, record `employees` as its ordinary employees stated on the import
    day when they changed, and the written statement on the ratio when given; centres of the
    company without a workplace are placed there."""
    for ref, row in companies.items():
        company_id = company_ids[ref]
        workplaces = Workplace.objects.filter(company_id=company_id)
        workplace = (
            workplaces.filter(p_number=row["p_number"]).first() if row["p_number"] else None
        ) or (workplaces.first() if workplaces.count() == 1 else None)
        values = {
            "name": row["name"],
            "p_number": row["p_number"],
            "address": row["address"],
            "postal_code": row["postal_code"],
            "city": row["city"],
        }
        if workplace is None:
            workplace = Workplace.objects.create(company_id=company_id, **values)
        else:
            Workplace.objects.filter(pk=workplace.pk).update(**values)
        latest = workplace.employee_counts.order_by("-stated_on", "-id").first()
        employees = row["employees"]
        if employees is not None and (latest is None or latest.ordinary_employees != employees):
            WorkplaceEmployees.objects.create(
                workplace=workplace,
                ordinary_employees=employees,
                stated_on=today,
                stated_by="Import",
            )
        given_on = statements.get(ref)
        if given_on and not workplace.statements.filter(given_on=given_on).exists():
            WorkplaceStatement.objects.create(
                workplace=workplace,
                given_on=given_on,
                employer_name=row["contact_name"] or row["name"],
                representative_name=row["union_rep"],
                representative_role="tillidsrepræsentant",
                ratio_reasonable=True,
                text="Importeret: rimeligt forhold bekræftet skriftligt.",
            )
        Centre.objects.filter(company_id=company_id, workplace__isnull=True).update(
            workplace=workplace, updated_at=timezone.now()
        )


def _assign_places(courses: dict, contract_ids: dict) -> dict[str, int]:
    """Give each course of the file a place number: its current one when still free, else
    the lowest place free for its whole period (a running course holds it open-ended).

    Returns {course ref: place number}; raises ImportFailed when a contract has more
    simultaneous courses than places.
    """
    far = date.max
    existing_place = dict(
        Course.objects.filter(import_ref__in=list(courses)).values_list(
            "import_ref", "place__number"
        )
    )
    occupied: dict[int, dict[int, list]] = {}
    # Courses in the database that the file does not name keep their places.
    others = (
        Course.objects.filter(contract_id__in=set(contract_ids.values()))
        .exclude(import_ref__in=list(courses))
        .values_list("contract_id", "place__number", "start", "end")
    )
    for contract_id, place_number, start, end in others:
        occupied.setdefault(contract_id, {}).setdefault(place_number, []).append(
            (start, end or far)
        )
    problems: list[Problem] = []
    numbers = {}
    places_of = dict(
        Contract.objects.filter(pk__in=set(contract_ids.values())).values_list("pk", "places")
    )
    ordered = sorted(courses.items(), key=lambda kv: (kv[1]["start"], kv[0]))
    for ref, row in ordered:
        contract_id = contract_ids[row["contract"]]
        span = (row["start"], row["end"] or far)
        taken = occupied.setdefault(contract_id, {})

        def free(number, taken=taken, span=span):
            return all(s > span[1] or e < span[0] for s, e in taken.get(number, []))

        preferred = existing_place.get(ref)
        choices = ([preferred] if preferred else []) + list(range(1, places_of[contract_id] + 1))
        number = next((n for n in choices if n <= places_of[contract_id] and free(n)), None)
        if number is None:
            problems.append(
                Problem(
                    "courses",
                    ref,
                    "start",
                    f"ingen ledig plads i kontrakten {row['contract']} "
                    f"fra {row['start']}: alle {places_of[contract_id]} pladser er optaget",
                )
            )
            continue
        taken.setdefault(number, []).append(span)
        numbers[ref] = number
    if problems:
        raise ImportFailed(problems)
    return numbers


def jobcenter_data_import(
    *,
    data: dict,
    today: date,
    acting_user=None,
    progress: Progress | None = None,
    notice: Callable[[str], None] | None = None,
) -> ImportResult:
    """Check and import `data` into the current jobcentre. Raises ImportFailed (nothing
    written) with every problem found (the first ones kept, all counted).

    A section past its row limit is refused before anything else. While another import into
    the jobcentre runs, this one waits for it (`notice` is told), up to the limit's
    lock_wait_seconds, then checks the file against what that import wrote.
    """
    limits = import_limits()
    too_many = rows_problems(data, limits)
    if too_many:
        raise ImportFailed(too_many)
    result = ImportResult()
    try:
        with transaction.atomic():
            _import_lock(limits, notice)
            checked, problems = validate(data, existing=_existing_refs(), today=today)
            if problems:
                raise ImportFailed(problems)
            _write(checked["sections"], result, progress, today=today)
            # Bulk writes send no signals: the dashboard's figures of today are counted
            # again once the import commits (reports/today.py).
            today_figures_forget()
            audit_record(
                acting_user=acting_user,
                action="import",
                obj=None,
                label=", ".join(f"{k}: {v}" for k, v in result.counts.items()),
            )
    except (IntegrityError, DataError) as exc:
        # The checks above mirror the database's rules; this is the last line, reached when
        # someone saved a row by hand meanwhile.
        raise ImportFailed([database_problem(exc)]) from exc
    return result


def rows_problems(data: dict, limits: ImportLimits) -> list[Problem]:
    """A problem for each section with more rows than its limit."""
    return [
        Problem(section, "", "", lim.too_many_rows(section, len(rows), limits))
        for section, most in limits.max_rows.items()
        if isinstance(rows := data.get(section), list) and len(rows) > most
    ]


def _import_lock(limits: ImportLimits, notice: Callable[[str], None] | None) -> None:
    """Serialise imports into this jobcentre until the transaction ends (as billing does
    per month): the second import then checks the file against what the first wrote."""
    key = f"import:{connection.schema_name}"  # type: ignore[attr-defined]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext(%s))", [key])
        if cursor.fetchone()[0]:
            return
        if notice:
            notice("En anden import til jobcentret er i gang; venter på, at den bliver færdig.")
        cursor.execute("SELECT current_setting('lock_timeout')")
        lock_timeout = cursor.fetchone()[0]
        cursor.execute(
            "SELECT set_config('lock_timeout', %s, true)", [f"{limits.lock_wait_seconds}s"]
        )
        try:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
        except OperationalError as exc:  # lock_timeout: 55P03 lock_not_available
            raise ImportFailed(
                [
                    Problem(
                        "import",
                        "",
                        "",
                        "en anden import til jobcentret har været i gang i mere end "
                        f"{limits.lock_wait_seconds} sekunder; prøv igen, når den er færdig",
                    )
                ]
            ) from exc
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [lock_timeout])


# The database's refusals by SQLSTATE class, in Danish; the constraint's name says which.
DATABASE_REFUSALS = {
    "23505": "findes allerede i jobcentret (gemt af en anden imens)",
    "23P01": "overlapper en række, der er gemt i jobcentret imens (fx et forløb på samme "
    "plads eller for samme kandidat)",
    "23503": "henviser til en række, der er slettet imens",
    "23502": "mangler en værdi, som databasen kræver",
    "23514": "har en værdi uden for databasens grænser",
}
SECTION_OF_TABLE = {
    model._meta.db_table: section
    for model, section in (
        (JobcenterCost, "jobcenter_costs"),
        (Company, "companies"),
        (Centre, "centres"),
        (Centre.network_companies.through, "centres"),
        (Contract, "contracts"),
        (Place, "contracts"),
        (Candidate, "candidates"),
        (Course, "courses"),
        (CourseHours, "courses"),
        (Extension, "courses"),
        (Attendance, "attendance"),
    )
}


def database_problem(exc: Exception) -> Problem:
    """The database's refusal (IntegrityError, DataError) as a Danish problem: the section
    from the table, what went wrong from the SQLSTATE, the constraint by its name - never
    PostgreSQL's English sentence."""
    diag = getattr(exc.__cause__, "diag", None)
    state = getattr(exc.__cause__, "sqlstate", None) or ""
    table = getattr(diag, "table_name", None) or ""
    constraint = getattr(diag, "constraint_name", None) or getattr(diag, "column_name", None)
    if isinstance(exc, DataError):
        what = "en værdi passer ikke i databasen (for lang tekst eller for stort tal)"
    else:
        what = "en række " + DATABASE_REFUSALS.get(state, "blev afvist af databasen")
    detail = f" ({constraint})" if constraint else ""
    return Problem(
        SECTION_OF_TABLE.get(table, "database"),
        "",
        "",
        f"{what}{detail}; intet er gemt. Importér filen igen: rækker, der findes, opdateres, "
        "og fejlene vises med række og felt",
    )


def _write(sections: dict, result: ImportResult, progress: Progress | None, *, today: date) -> None:
    counts = Counts()
    for year, values in sections["jobcenter_costs"].items():
        _obj, created = JobcenterCost.objects.get_or_create(year=year, defaults=values)
        if created:
            counts.new += 1
        elif any(getattr(_obj, k) != v for k, v in values.items()):
            JobcenterCost.objects.filter(pk=_obj.pk).update(**values)
            counts.changed += 1
        else:
            counts.unchanged += 1
    result.counts["jobcenter_costs"] = counts

    statements = {ref: row.pop("ratio_statement_on") for ref, row in sections["companies"].items()}
    result.counts["companies"], company_ids = _upsert(
        Company, sections["companies"], progress, "companies"
    )
    company_ids.update(
        _ids_for(Company, _refs_in(sections["centres"], "company", "network_companies"))
    )

    centre_rows = {
        ref: {k: v for k, v in row.items() if k not in ("company", "network_companies")}
        | {"company_id": company_ids[row["company"]]}
        for ref, row in sections["centres"].items()
    }
    result.counts["centres"], centre_ids = _upsert(Centre, centre_rows, progress, "centres")
    network = Centre.network_companies.through
    network.objects.filter(centre_id__in=[centre_ids[r] for r in sections["centres"]]).delete()
    network.objects.bulk_create(
        [
            network(centre_id=centre_ids[ref], company_id=company_ids[other])
            for ref, row in sections["centres"].items()
            for other in row["network_companies"]
        ]
    )
    _workplaces_ensure(sections["companies"], company_ids, statements, today=today)
    centre_ids.update(_ids_for(Centre, {row["centre"] for row in sections["contracts"].values()}))

    contract_rows = {
        ref: {k: v for k, v in row.items() if k != "centre"}
        | {"centre_id": centre_ids[row["centre"]]}
        for ref, row in sections["contracts"].items()
    }
    result.counts["contracts"], contract_ids = _upsert(
        Contract, contract_rows, progress, "contracts"
    )
    contract_ids.update(
        _ids_for(Contract, {row["contract"] for row in sections["courses"].values()})
    )
    _places_ensure(contract_ids.values())

    result.counts["candidates"], candidate_ids = _upsert(
        Candidate, _adopt_by_cpr(sections["candidates"]), progress, "candidates"
    )
    candidate_ids.update(
        _ids_for(Candidate, {row["candidate"] for row in sections["courses"].values()})
    )

    courses = sections["courses"]
    place_numbers = _assign_places(courses, contract_ids)
    place_ids = {
        (contract_id, number): pk
        for pk, contract_id, number in Place.objects.filter(
            contract_id__in=set(contract_ids.values())
        ).values_list("pk", "contract_id", "number")
    }
    course_rows = {}
    for ref, row in courses.items():
        contract_id = contract_ids[row["contract"]]
        course_rows[ref] = {
            k: v
            for k, v in row.items()
            if k not in ("candidate", "contract", "hours_per_week", "extension")
        } | {
            "candidate_id": candidate_ids[row["candidate"]],
            "contract_id": contract_id,
            "place_id": place_ids[(contract_id, place_numbers[ref])],
        }
    result.counts["courses"], course_ids = _upsert(Course, course_rows, progress, "courses")
    _course_hours_and_extensions(courses, course_ids)

    course_ids.update(_ids_for(Course, {ref for ref, _day in sections["attendance"]}))
    result.counts["attendance"] = _attendance_upsert(sections["attendance"], course_ids, progress)


def _refs_in(rows: dict, *names: str) -> set[str]:
    refs = set()
    for row in rows.values():
        for name in names:
            value = row[name]
            refs.update(value if isinstance(value, list) else [value])
    return refs


def _ids_for(model, refs) -> dict[str, int]:
    """Ids of rows already in the database that the file refers to without listing them."""
    return dict(model.objects.filter(import_ref__in=list(refs)).values_list("import_ref", "pk"))


def _adopt_by_cpr(rows: dict) -> dict:
    """A candidate registered by hand gets the file's ref instead of a duplicate.

    CPR numbers are encrypted: candidates are matched by the blind index, in one query for
    the whole file. The rows get their `cpr_hmac`, so a changed number updates it too.
    """
    rows = {ref: row | {"cpr_hmac": cpr_hmac(row["cpr"])} for ref, row in rows.items()}
    by_hmac = {row["cpr_hmac"]: ref for ref, row in rows.items()}
    adopt = {}
    for pk, index, import_ref in Candidate.objects.filter(cpr_hmac__in=list(by_hmac)).values_list(
        "pk", "cpr_hmac", "import_ref"
    ):
        if import_ref is None:
            adopt[pk] = by_hmac[index]
        elif import_ref != by_hmac[index]:
            raise ImportFailed(
                [
                    Problem(
                        "candidates", by_hmac[index], "cpr", f"CPR-nummeret tilhører {import_ref}"
                    )
                ]
            )
    if adopt:
        Candidate.objects.filter(pk__in=adopt).update(
            import_ref=Case(*(When(pk=pk, then=Value(ref)) for pk, ref in adopt.items()))
        )
    return rows


def _places_ensure(contract_ids) -> None:
    have = set(
        Place.objects.filter(contract_id__in=list(contract_ids)).values_list(
            "contract_id", "number"
        )
    )
    Place.objects.bulk_create(
        [
            Place(contract_id=pk, number=n)
            for pk, places in Contract.objects.filter(pk__in=list(contract_ids)).values_list(
                "pk", "places"
            )
            for n in range(1, places + 1)
            if (pk, n) not in have
        ]
    )


def _course_hours_and_extensions(courses: dict, course_ids: dict) -> None:
    ids = [course_ids[ref] for ref in courses]
    hours = {
        (cid, day): row
        for row in CourseHours.objects.filter(course_id__in=ids)
        for cid, day in [(row.course_id, row.valid_from)]
    }
    new_hours, changed_hours = [], []
    for ref, row in courses.items():
        key = (course_ids[ref], row["start"])
        current = hours.get(key)
        if current is None:
            new_hours.append(
                CourseHours(
                    course_id=key[0], valid_from=key[1], hours_per_week=row["hours_per_week"]
                )
            )
        elif current.hours_per_week != row["hours_per_week"]:
            current.hours_per_week = row["hours_per_week"]
            changed_hours.append(current)
    CourseHours.objects.bulk_create(new_hours, batch_size=BATCH)
    CourseHours.objects.bulk_update(changed_hours, ["hours_per_week"], batch_size=BATCH)

    have = set(
        Extension.objects.filter(course_id__in=ids).values_list("course_id", "new_planned_end")
    )
    Extension.objects.bulk_create(
        [
            Extension(course_id=course_ids[ref], **row["extension"])
            for ref, row in courses.items()
            if row["extension"]
            and (course_ids[ref], row["extension"]["new_planned_end"]) not in have
        ],
        batch_size=BATCH,
    )


def _attendance_upsert(rows: dict, course_ids: dict, progress: Progress | None) -> Counts:
    counts = Counts()
    ids = {course_ids[ref] for ref, _day in rows}
    existing = {
        (cid, day): (pk, status, hours)
        for pk, cid, day, status, hours in Attendance.objects.filter(course_id__in=ids).values_list(
            "pk", "course_id", "date", "status", "hours"
        )
    }
    new, changed = [], []
    total = len(rows)
    for done, ((ref, day), row) in enumerate(rows.items(), start=1):
        key = (course_ids[ref], day)
        current = existing.get(key)
        if current is None:
            new.append(Attendance(course_id=key[0], date=day, **row))
        elif (current[1], current[2]) != (row["status"], row["hours"]):
            changed.append(Attendance(pk=current[0], course_id=key[0], date=day, **row))
        else:
            counts.unchanged += 1
        if len(new) >= BATCH:
            Attendance.objects.bulk_create(new)
            counts.new += len(new)
            new = []
            if progress:
                progress("attendance", done, total)
    Attendance.objects.bulk_create(new)
    counts.new += len(new)
    Attendance.objects.bulk_update(changed, ["status", "hours"], batch_size=BATCH)
    counts.changed = len(changed)
    if progress:
        progress("attendance", total, total)
    return counts
