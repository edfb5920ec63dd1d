"""Check an import file section by section and turn it into typed rows.

Every problem is collected (section, ref, field, Danish message) so the person importing
sees all of them at once; nothing is written unless there are none.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

from candidates import rules as course_rules
from codes import parse
from codes.cpr import CPR_INVALID_MESSAGE, cpr_birth_date, cpr_normalise
from codes.cvr import cvr_is_valid, p_number_is_valid
from codes.lab import NORMAL_COURSE_WEEKS, default_target_group
from codes.lists import (
    NETWORK_MODELS,
    AttendanceStatus,
    Barrier,
    Benefit,
    Branche,
    ContractStatus,
    Education,
    LabourMarketYears,
    LegalFrame,
    OrganisationModel,
    Outcome,
    PaymentModel,
    Sector,
    TargetGroup,
)

from .formats import FORMAT, SECTIONS
from .limits import import_limits


@dataclass(frozen=True)
class Problem:
    section: str
    ref: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.section}[{self.ref}]" if self.ref else self.section
        return f"{where}.{self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class Missing(Exception):
    pass


@dataclass
class Section:
    """One section's valid rows by ref (attendance: by (course ref, date))."""

    rows: dict = field(default_factory=dict)


class Problems(list):
    """The problems found: the first `keep` of them, and the `total` count.

    A file of millions of errors (2.87 million once, 2 GB of them) keeps its first ones
    and a number; every append past `keep` only counts.
    """

    def __init__(self, keep: int):
        super().__init__()
        self.keep = keep
        self.total = 0

    def append(self, problem: Problem) -> None:
        self.total += 1
        if len(self) < self.keep:
            super().append(problem)

    def add(self, section: str, ref: str, field_name: str, message: str) -> None:
        """append(Problem(...)), with no Problem made past `keep` (a million cost seconds)."""
        self.total += 1
        if len(self) < self.keep:
            super().append(Problem(section, ref, field_name, message))


class Checker:
    """Parses values and records problems for the current section and row."""

    def __init__(self):
        self.problems = Problems(import_limits().errors_shown)
        self.section = ""
        self.ref = ""

    def problem(self, field_name: str, message: str) -> None:
        self.problems.add(self.section, self.ref, field_name, message)

    # Each parser returns the parsed value or raises Missing after recording a problem.
    def get(self, item: dict, name: str, parse, required: bool = True, default=None):
        value = item.get(name)
        if value is None or value == "":
            if required:
                self.problem(name, "mangler")
                raise Missing
            return default
        try:
            return parse(value)
        except (ValueError, TypeError, InvalidOperation) as exc:
            self.problem(name, str(exc) if str(exc) else f"ugyldig værdi: {value!r}")
            raise Missing from exc

    def optional(self, item: dict, name: str, parse, default=None):
        return self.get(item, name, parse, required=False, default=default)


def as_problem(message: str) -> str:
    """A rule's Danish sentence in the problem list's style ("felt: ugyldigt ..."): the same
    words as the form shows, starting in lower case after the field name."""
    return message[:1].lower() + message[1:].rstrip(".")


def parse_text(value) -> str:
    if not isinstance(value, str | int | float):
        raise ValueError(f"skal være tekst, ikke {type(value).__name__}")
    return str(value).strip()


def parse_date(value, *, earliest: date | None = None) -> date:
    """An ISO date within codes.parse's sane window (2000-01-01 .. today + 5 years)."""
    try:
        day = date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{value!r} er ikke en dato (ÅÅÅÅ-MM-DD)") from None
    try:
        return parse.parse_day(day, earliest=earliest)
    except parse.ParseError as exc:
        raise ValueError(as_problem(str(exc))) from None


def parse_birth_date(value) -> date:
    """A birth date: the window reaches back to 1900 (a person born before 2000 is usual)."""
    return parse_date(value, earliest=parse.BIRTH_EARLIEST_DATE)


MAX_INT = 2_147_483_647  # PostgreSQL integer
MAX_AMOUNT = Decimal("9999999999.99")  # the money columns: 12 digits, 2 decimals
MAX_HOURS_PER_WEEK = Decimal(168)


def parse_int(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str | float):
        raise ValueError(f"{value!r} er ikke et helt tal")
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} er ikke et helt tal") from None
    if not number.is_finite() or number != number.to_integral_value():
        raise ValueError(f"{value!r} er ikke et helt tal")
    if abs(number) > MAX_INT:
        raise ValueError(f"{value} er for stort")
    return int(number)


def parse_amount(value) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(f"{value!r} er ikke et tal")
    try:  # codes.parse: finite numbers only (no NaN, sNaN, Infinity), "4,5" as 4.5
        number = parse.parse_number(value, places=2)
    except parse.ParseError as exc:
        if str(exc) == parse.NUMBER_MESSAGE:
            raise ValueError(f"{value!r} er ikke et tal") from None
        raise ValueError(f"{value} har mere end 2 decimaler") from None
    if number < 0:
        raise ValueError(f"{value} er negativ; beløb og timer kan ikke være negative")
    if number > MAX_AMOUNT:
        raise ValueError(f"{value} er for stort")
    if number != number.quantize(Decimal("0.01")):
        raise ValueError(f"{value} har mere end 2 decimaler")
    return number


def parse_hours(value) -> Decimal:
    """Hours a week: 0-168 with at most one decimal."""
    number = parse_amount(value)
    if number > MAX_HOURS_PER_WEEK:
        raise ValueError(f"{value} timer er mere end en uge har")
    if number != number.quantize(Decimal("0.1")):
        raise ValueError(f"{value} har mere end 1 decimal")
    return number


def parse_count(value) -> int:
    number = parse_int(value)
    if number < 0:
        raise ValueError(f"{value} er negativ")
    return number


def parse_course_weeks(value) -> int:
    """A contract's normal course length: 1 to 13 weeks (LAB § 61). A longer course is an
    extension of that course, so a file that sets a longer default is refused, not capped."""
    weeks = parse_int(value)
    if not 1 <= weeks <= NORMAL_COURSE_WEEKS:
        raise ValueError(
            f"skal være mellem 1 og {NORMAL_COURSE_WEEKS} uger: et forløb ud over "
            f"{NORMAL_COURSE_WEEKS} uger er en forlængelse af det enkelte forløb efter en "
            "individuel vurdering (LAB § 61), med extension_reason og "
            "representatives_consulted_on på forløbet i courses"
        )
    return weeks


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "ja", "1", "yes"}:
        return True
    if text in {"false", "nej", "0", "no"}:
        return False
    raise ValueError(f"{value!r} er ikke ja/nej (true/false)")


def parse_code(choices):
    allowed = [c.value for c in choices]

    def parse(value) -> str:
        if value not in allowed:
            raise ValueError(f"ukendt kode {value!r}; tilladt: {', '.join(allowed)}")
        return value

    return parse


def parse_codes(choices):
    one = parse_code(choices)

    def parse(value) -> list[str]:
        if not isinstance(value, list):
            raise ValueError("skal være en liste")
        return [one(v) for v in value]

    return parse


def parse_text_list(value) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("skal være en liste af tekster")
    return [v.strip() for v in value if v.strip()]


def parse_cvr(value) -> str:
    text = str(value).strip()
    if not cvr_is_valid(text):
        raise ValueError(f"{text} er ikke et gyldigt CVR-nummer (8 cifre, modulus 11)")
    return text


def parse_p_number(value) -> str:
    text = str(value).strip()
    if not p_number_is_valid(text):
        raise ValueError(f"{text} er ikke et gyldigt P-nummer (10 cifre)")
    return text


def parse_cpr(value) -> str:
    text = cpr_normalise(value)
    if cpr_birth_date(text) is None:
        raise ValueError(as_problem(CPR_INVALID_MESSAGE))
    return text


def section_items(checker: Checker, data: dict, name: str) -> list[dict]:
    items = data.get(name, [])
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        checker.problems.append(Problem(name, "", "", "skal være en liste af objekter"))
        return []
    return items


ALLOWED_KEYS = {
    "jobcenter_costs": {"year", "jobkonsulent_salaries", "mentor_courses"},
    "companies": {
        "ref",
        "name",
        "cvr",
        "p_number",
        "branche",
        "sector",
        "address",
        "postal_code",
        "city",
        "employees",
        "contact_name",
        "contact_email",
        "contact_phone",
        "union_rep",
        "ratio_statement_on",
    },
    "centres": {
        "ref",
        "company",
        "name",
        "model",
        "network_companies",
        "work_tasks",
        "special_requirements",
        "requires_clean_record",
        "support_activities",
        "consultant_email",
    },
    "contracts": {
        "ref",
        "centre",
        "start",
        "end",
        "places",
        "mentor_hours_per_week",
        "payment",
        "establishment_amount",
        "goals_text",
        "goal_ordinary_job_pct",
        "goal_education_pct",
        "target_group",
        "target_age_min",
        "target_age_max",
        "target_barriers",
        "status",
        "course_weeks",
    },
    "candidates": {
        "ref",
        "cpr",
        "name",
        "birth_date",
        "benefit",
        "matchgruppe",
        "maalgruppe",
        "education",
        "labour_market_years",
        "barriers",
        "on_benefit_over_1_year",
        "wishes",
        "phone",
        "email",
    },
    "courses": {
        "ref",
        "candidate",
        "contract",
        "start",
        "planned_end",
        "end",
        "hours_per_week",
        "legal_frame",
        "outcome",
        "self_supporting_4w",
        "self_supporting_13w",
        "self_supporting_26w",
        "extension_reason",
        "representatives_consulted_on",
    },
    "attendance": {"course", "date", "status", "hours"},
}
PAYMENT_KEYS = {"model", "amount", "hourly_rate", "hours_per_week"}


def unknown_keys(checker: Checker, item: dict, allowed: set[str]) -> bool:
    """Unknown keys are errors: almost always a typing error that would lose data silently."""
    extra = sorted(set(item) - allowed)
    for key in extra:
        checker.problem(key, "ukendt felt")
    return bool(extra)


def check_refs(checker: Checker, items: list[dict]) -> list[tuple[str, dict]]:
    """Pairs of (ref, item) with a ref; duplicates and missing refs are problems."""
    seen, result = set(), []
    for index, item in enumerate(items, start=1):
        ref = item.get("ref")
        checker.ref = str(ref) if ref not in (None, "") else f"#{index}"
        if ref in (None, ""):
            checker.problem("ref", "mangler")
            continue
        ref = str(ref)
        if ref in seen:
            checker.problem("ref", "optræder mere end én gang i filen")
            continue
        seen.add(ref)
        if unknown_keys(checker, item, ALLOWED_KEYS[checker.section]):
            continue
        result.append((ref, item))
    return result


@dataclass
class ExistingRefs:
    """What the jobcentre already holds, by import ref, to resolve references to it."""

    companies: set
    centres: set
    contracts: dict  # ref -> (start, end)
    candidates: set
    courses: dict  # ref -> (start, end or None, planned_end)
    consultants: dict  # e-mail -> user id


def validate(data: dict, *, existing: ExistingRefs, today: date) -> tuple[dict, list[Problem]]:
    """Return (sections of parsed rows, problems)."""
    c = Checker()
    if data.get("format") != FORMAT:
        c.problems.append(Problem("format", "", "", f"skal være {FORMAT!r}"))
        return {}, c.problems
    unknown = set(data) - set(SECTIONS) - {"format"}
    for name in sorted(unknown):
        c.problems.append(Problem(name, "", "", "ukendt sektion"))
    out = {name: {} for name in SECTIONS}
    # Refs the file lists for each section, valid or not: a row that refers to a listed but
    # invalid row is skipped without a second message, so each mistake is reported once.
    listed = {
        name: {str(i.get("ref")) for i in data.get(name) or [] if isinstance(i, dict)}
        for name in SECTIONS
    }

    def reported(section: str, ref: str) -> bool:
        return ref in listed[section] and ref not in out[section]

    c.section = "jobcenter_costs"
    for index, item in enumerate(section_items(c, data, "jobcenter_costs"), start=1):
        c.ref = f"#{index}"
        if unknown_keys(c, item, ALLOWED_KEYS["jobcenter_costs"]):
            continue
        try:
            year = c.get(item, "year", parse_int)
            if not 2000 <= year <= 2100:
                c.problem("year", f"{year} ligger ikke mellem 2000 og 2100")
                continue
            if year in out["jobcenter_costs"]:
                c.problem("year", f"{year} optræder mere end én gang")
                continue
            out["jobcenter_costs"][year] = {
                "jobkonsulent_salaries": c.get(item, "jobkonsulent_salaries", parse_amount),
                "mentor_courses": c.get(item, "mentor_courses", parse_amount),
            }
        except Missing:
            continue

    c.section = "companies"
    for ref, item in check_refs(c, section_items(c, data, "companies")):
        c.ref = ref
        try:
            out["companies"][ref] = {
                "name": c.get(item, "name", parse_text),
                "cvr": c.get(item, "cvr", parse_cvr),
                "p_number": c.optional(item, "p_number", parse_p_number, ""),
                "branche": c.get(item, "branche", parse_code(Branche)),
                "sector": c.get(item, "sector", parse_code(Sector)),
                "address": c.optional(item, "address", parse_text, ""),
                "postal_code": c.optional(item, "postal_code", parse_text, ""),
                "city": c.optional(item, "city", parse_text, ""),
                "employees": c.optional(item, "employees", parse_count),
                "contact_name": c.optional(item, "contact_name", parse_text, ""),
                "contact_email": c.optional(item, "contact_email", parse_text, ""),
                "contact_phone": c.optional(item, "contact_phone", parse_text, ""),
                "union_rep": c.optional(item, "union_rep", parse_text, ""),
                "ratio_statement_on": c.optional(item, "ratio_statement_on", parse_date),
            }
        except Missing:
            continue
        row = out["companies"][ref]
        if row["ratio_statement_on"] and not row["union_rep"]:
            c.problem("ratio_statement_on", "kræver union_rep (hvem der gav tilkendegivelsen)")
        if row["ratio_statement_on"] and row["ratio_statement_on"] > today:
            c.problem("ratio_statement_on", "ligger efter importdagen")
    p_numbers = {}
    for ref, row in out["companies"].items():
        if row["p_number"] and row["p_number"] in p_numbers:
            c.ref = ref
            c.problem("p_number", f"bruges også af {p_numbers[row['p_number']]}")
        p_numbers[row["p_number"]] = ref
    company_refs = set(out["companies"]) | existing.companies

    c.section = "centres"
    for ref, item in check_refs(c, section_items(c, data, "centres")):
        c.ref = ref
        try:
            company = c.get(item, "company", parse_text)
            if reported("companies", company):
                continue
            if company not in company_refs:
                c.problem("company", f"ukendt virksomhed {company!r}")
                continue
            model = c.get(item, "model", parse_code(OrganisationModel))
            network = c.optional(item, "network_companies", parse_text_list, [])
            if network and model not in NETWORK_MODELS:
                c.problem("network_companies", "kun netværks- og satellitbaserede centre har dem")
                continue
            if any(reported("companies", n) for n in network):
                continue
            if company in network:
                c.problem("network_companies", "må ikke indeholde centrets egen virksomhed")
                continue
            missing = [n for n in network if n not in company_refs]
            if missing:
                c.problem("network_companies", f"ukendt virksomhed {', '.join(missing)}")
                continue
            requirements = c.optional(item, "special_requirements", parse_text, "")
            email = c.optional(item, "consultant_email", parse_text)
            if email and email.lower() not in existing.consultants:
                c.problem("consultant_email", f"ingen jobkonsulent med e-mailen {email}")
                continue
            out["centres"][ref] = {
                "company": company,
                "network_companies": network,
                "name": c.get(item, "name", parse_text),
                "organisation_model": model,
                "work_tasks": c.optional(item, "work_tasks", parse_text_list, []),
                "special_requirements": requirements,
                "requires_clean_record": c.optional(
                    item,
                    "requires_clean_record",
                    parse_bool,
                    "straffeattest" in requirements.lower(),
                ),
                "support_activities": c.optional(item, "support_activities", parse_text_list, []),
                "consultant_id": existing.consultants.get(email.lower()) if email else None,
            }
        except Missing:
            continue
    centre_refs = set(out["centres"]) | existing.centres

    c.section = "contracts"
    for ref, item in check_refs(c, section_items(c, data, "contracts")):
        c.ref = ref
        try:
            centre = c.get(item, "centre", parse_text)
            if reported("centres", centre):
                continue
            if centre not in centre_refs:
                c.problem("centre", f"ukendt center {centre!r}")
                continue
            start = c.get(item, "start", parse_date)
            end = c.get(item, "end", parse_date)
            if end < start:
                c.problem("end", "slutdatoen ligger før startdatoen")
                continue
            places = c.get(item, "places", parse_int)
            if not 1 <= places <= 1000:
                c.problem("places", "en kontrakt skal have mellem 1 og 1000 pladser")
                continue
            payment = item.get("payment")
            if not isinstance(payment, dict):
                c.problem("payment", "mangler (et objekt med model og beløb)")
                continue
            if unknown_keys(c, payment, PAYMENT_KEYS):
                continue
            model = c.get(payment, "model", parse_code(PaymentModel))
            amount = c.optional(payment, "amount", parse_amount)
            rate = c.optional(payment, "hourly_rate", parse_amount)
            paid_hours = c.optional(payment, "hours_per_week", parse_hours)
            if model in (PaymentModel.PER_CANDIDATE_WEEK, PaymentModel.PER_PLACE_MONTH) and (
                amount is None
            ):
                c.problem("payment.amount", f"betalingsmodellen {model} kræver et beløb")
                continue
            if model == PaymentModel.MENTOR_HOURS and (rate is None or paid_hours is None):
                c.problem("payment", "mentor_hours kræver hourly_rate og hours_per_week")
                continue
            age_min = c.optional(item, "target_age_min", parse_int)
            age_max = c.optional(item, "target_age_max", parse_int)
            for name, age in (("target_age_min", age_min), ("target_age_max", age_max)):
                if age is not None and not 0 <= age <= 120:
                    c.problem(name, "skal være en alder mellem 0 og 120")
                    raise Missing
            if age_min is not None and age_max is not None and age_max < age_min:
                c.problem("target_age_max", "ligger under target_age_min")
                continue
            goal_job = c.optional(item, "goal_ordinary_job_pct", parse_int)
            goal_edu = c.optional(item, "goal_education_pct", parse_int)
            for name, pct in (
                ("goal_ordinary_job_pct", goal_job),
                ("goal_education_pct", goal_edu),
            ):
                if pct is not None and not 0 <= pct <= 100:
                    c.problem(name, "skal være mellem 0 og 100")
                    raise Missing
            status = c.optional(item, "status", parse_code(ContractStatus))
            if status is None:
                status = (
                    ContractStatus.ENDED
                    if end < today
                    else ContractStatus.ACTIVE
                    if start <= today
                    else ContractStatus.SIGNED
                )
            out["contracts"][ref] = {
                "centre": centre,
                "start": start,
                "end": end,
                "places": places,
                "mentor_hours_per_week": c.optional(
                    item, "mentor_hours_per_week", parse_hours, Decimal(10)
                ),
                "payment_model": model,
                "payment_amount": amount,
                "payment_hourly_rate": rate,
                "payment_hours_per_week": paid_hours,
                "establishment_amount": c.optional(
                    item, "establishment_amount", parse_amount, Decimal(0)
                ),
                "course_weeks": c.optional(
                    item, "course_weeks", parse_course_weeks, NORMAL_COURSE_WEEKS
                ),
                "goals_text": c.optional(item, "goals_text", parse_text, ""),
                "goal_ordinary_job_pct": goal_job,
                "goal_education_pct": goal_edu,
                "target_group": c.optional(item, "target_group", parse_text, ""),
                "target_age_min": age_min,
                "target_age_max": age_max,
                "target_barriers": c.optional(item, "target_barriers", parse_codes(Barrier), []),
                "status": status,
            }
        except Missing:
            continue
    contract_periods = dict(existing.contracts)
    contract_periods.update({r: (v["start"], v["end"]) for r, v in out["contracts"].items()})
    contract_places = {r: v["places"] for r, v in out["contracts"].items()}

    c.section = "candidates"
    cprs = {}
    for ref, item in check_refs(c, section_items(c, data, "candidates")):
        c.ref = ref
        try:
            cpr = c.get(item, "cpr", parse_cpr)
            if cpr in cprs:
                c.problem("cpr", f"samme CPR-nummer som {cprs[cpr]}")
                continue
            cprs[cpr] = ref
            birth = c.optional(item, "birth_date", parse_birth_date, cpr_birth_date(cpr))
            if birth != cpr_birth_date(cpr):
                c.problem("birth_date", "passer ikke med CPR-nummeret")
                continue
            matchgruppe = c.optional(item, "matchgruppe", parse_int)
            if matchgruppe is not None and not 1 <= matchgruppe <= 5:
                c.problem("matchgruppe", "skal være 1-5")
                continue
            # maalgruppe (LAB § 6) is optional: a new candidate without it gets the default
            # its benefit implies (codes.lab.default_target_group); a known one keeps its own.
            target_group = {}
            maalgruppe = c.optional(item, "maalgruppe", parse_code(TargetGroup))
            if maalgruppe is not None:
                target_group["target_group"] = maalgruppe
            elif ref not in existing.candidates:
                target_group["target_group"] = default_target_group(item.get("benefit"))
            out["candidates"][ref] = {
                "cpr": cpr,
                "name": c.get(item, "name", parse_text),
                "birth_date": birth,
                "benefit": c.get(item, "benefit", parse_code(Benefit)),
                "matchgruppe": matchgruppe,
                **target_group,
                "education": c.optional(item, "education", parse_code(Education), ""),
                "labour_market_years": c.optional(
                    item, "labour_market_years", parse_code(LabourMarketYears), ""
                ),
                "barriers": c.optional(item, "barriers", parse_codes(Barrier), []),
                "on_benefit_over_1_year": c.optional(
                    item, "on_benefit_over_1_year", parse_bool, False
                ),
                "wishes": c.optional(item, "wishes", parse_text, ""),
                "phone": c.optional(item, "phone", parse_text, ""),
                "email": c.optional(item, "email", parse_text, ""),
            }
        except Missing:
            continue
    candidate_refs = set(out["candidates"]) | existing.candidates

    c.section = "courses"
    for ref, item in check_refs(c, section_items(c, data, "courses")):
        c.ref = ref
        try:
            candidate = c.get(item, "candidate", parse_text)
            contract = c.get(item, "contract", parse_text)
            if reported("candidates", candidate) or reported("contracts", contract):
                continue
            if candidate not in candidate_refs:
                c.problem("candidate", f"ukendt kandidat {candidate!r}")
                continue
            if contract not in contract_periods:
                c.problem("contract", f"ukendt kontrakt {contract!r}")
                continue
            start = c.get(item, "start", parse_date)
            planned_end = c.get(item, "planned_end", parse_date)
            end = c.optional(item, "end", parse_date)
            c_start, c_end = contract_periods[contract]
            if planned_end < start:
                c.problem("planned_end", "ligger før start")
                continue
            if end is not None and end < start:
                c.problem("end", "ligger før start")
                continue
            for name, day in (("start", start), ("end", end)):
                if day is not None and day > today:
                    c.problem(name, f"{day} ligger efter dags dato ({today})")
                    raise Missing
            if start < c_start or planned_end > c_end or (end and end > c_end):
                c.problem(
                    "start",
                    f"forløbet skal ligge i kontraktens periode {c_start} - {c_end}",
                )
                continue
            outcome = c.optional(item, "outcome", parse_code(Outcome))
            if (end is None) != (outcome is None):
                c.problem(
                    "outcome",
                    "et afsluttet forløb skal have en udslusningskode, "
                    "og kun et afsluttet forløb kan have en",
                )
                continue
            follow = {}
            for weeks in course_rules.FOLLOW_UP_WEEKS:
                name = f"self_supporting_{weeks}w"
                value = c.optional(item, name, parse_bool)
                if value is not None and not course_rules.follow_up_has_fallen_due(
                    end=end, weeks=weeks, today=today
                ):
                    c.problem(name, f"opfølgningen efter {weeks} uger er ikke faldet endnu")
                    raise Missing
                follow[name] = value
            hours = c.get(item, "hours_per_week", parse_hours)
            legal_frame = c.optional(
                item, "legal_frame", parse_code(LegalFrame), LegalFrame.VIRKSOMHEDSPRAKTIK
            )
            problem = course_rules.hours_problem(hours_per_week=hours, legal_frame=legal_frame)
            if problem:
                c.problem("hours_per_week", as_problem(problem))
                continue
            last_day = max(planned_end, end or planned_end)
            extension = None
            # A course beyond 13 weeks comes in with its extension (reason and the date the
            # employees' representatives were consulted), as if course_extend had made it;
            # without them it is refused, never imported as a plain long course.
            if course_rules.is_extended(start=start, last_day=last_day):
                reason = c.optional(item, "extension_reason", parse_text, "")
                consulted = c.optional(item, "representatives_consulted_on", parse_date)
                if not reason or consulted is None:
                    weeks_end = course_rules.weeks_end(start=start, weeks=NORMAL_COURSE_WEEKS)
                    c.problem(
                        "extension_reason",
                        f"forløb over {NORMAL_COURSE_WEEKS} uger kræver extension_reason og "
                        f"representatives_consulted_on: forløbet varer til {last_day}, ud over "
                        f"de {NORMAL_COURSE_WEEKS} uger, der slutter {weeks_end}; angiv "
                        "begrundelsen for forlængelsen og datoen, hvor "
                        "medarbejderrepræsentanterne blev hørt",
                    )
                    continue
                if not start <= consulted <= last_day:
                    c.problem("representatives_consulted_on", "skal ligge i forløbet")
                    continue
                extension = {
                    "previous_planned_end": min(
                        course_rules.weeks_end(start=start, weeks=NORMAL_COURSE_WEEKS), last_day
                    ),
                    "new_planned_end": last_day,
                    "reason": reason,
                    "representatives_consulted_on": consulted,
                }
            out["courses"][ref] = {
                "candidate": candidate,
                "contract": contract,
                "start": start,
                "planned_end": planned_end,
                "end": end,
                "legal_frame": legal_frame,
                "outcome": outcome,
                "hours_per_week": hours,
                "extension": extension,
                **follow,
            }
        except Missing:
            continue
    _check_candidate_overlaps(c, out["courses"])
    course_periods = {r: (v[0], v[1]) for r, v in existing.courses.items()}
    course_periods.update({r: (v["start"], v["end"]) for r, v in out["courses"].items()})

    c.section = "attendance"
    for index, item in enumerate(section_items(c, data, "attendance"), start=1):
        c.ref = f"#{index}"
        if unknown_keys(c, item, ALLOWED_KEYS["attendance"]):
            continue
        try:
            course = c.get(item, "course", parse_text)
            c.ref = f"{course}#{index}"
            if reported("courses", course):
                continue
            if course not in course_periods:
                c.problem("course", f"ukendt forløb {course!r}")
                continue
            day = c.get(item, "date", parse_date)
            start, end = course_periods[course]
            if day < start or day > (end or today):
                c.problem("date", f"{day} ligger uden for forløbet ({start} - {end or today})")
                continue
            if (course, day) in out["attendance"]:
                c.problem("date", f"forløbet har allerede fremmøde den {day}")
                continue
            status = c.get(item, "status", parse_code(AttendanceStatus))
            hours = c.optional(item, "hours", parse_hours, Decimal(0))
            if status == AttendanceStatus.PRESENT and not Decimal(0) < hours <= 24:
                c.problem("hours", "mødt kræver timer mellem 0 og 24")
                continue
            if status != AttendanceStatus.PRESENT and hours != 0:
                c.problem("hours", "kun en mødt dag har timer")
                continue
            out["attendance"][(course, day)] = {"status": status, "hours": hours}
        except Missing:
            continue
    return {"sections": out, "contract_places": contract_places}, c.problems


def _check_candidate_overlaps(c: Checker, courses: dict) -> None:
    """A candidate is in at most one course at a time (within the file; the database's
    exclusion constraint covers courses registered outside it)."""
    by_candidate: dict[str, list] = {}
    for ref, row in courses.items():
        by_candidate.setdefault(row["candidate"], []).append((row["start"], row["end"], ref))
    c.section = "courses"
    for periods in by_candidate.values():
        periods.sort(key=lambda p: (p[0], p[2]))
        latest_end, latest_ref = None, None
        for start, end, ref in periods:
            if latest_ref is not None and (latest_end is None or latest_end >= start):
                c.ref = ref
                c.problem(
                    "start", f"kandidaten er allerede i forløbet {latest_ref} på det tidspunkt"
                )
            if latest_ref is None or (latest_end is not None and (end is None or end > latest_end)):
                latest_end, latest_ref = end, ref
