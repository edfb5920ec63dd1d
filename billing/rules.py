"""The payment rules of a Centerkontrakt, as pure functions of dates and terms (issue 8).

Nothing here touches the database: `selectors.py` loads the rows (course weeks, logged
mentor hours) in bulk and hands them in, so the arithmetic can be read and tested alone.

Money is Decimal throughout and rounded to øre (ROUND_HALF_UP) only when a line's amount
is fixed; totals are sums of rounded lines, as on a paper bill.

Source: the payment models written into a Centerkontrakt (DOMAIN.md, "Payment models": a
fixed amount per candidate per *started* week, mentor release as hours x rate, a fixed
amount per place per month, a one-off establishment amount, mentor training instead of
money). docs/RULES.md lists each rule here with its test.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from codes.lists import PaymentModel

from .models import Rule

ORE = Decimal("0.01")
QUANTITY = Decimal("0.0001")
# A logged week more than 20 % below the agreed hours is flagged (issue 8).
SHORTFALL_LIMIT = Decimal("0.8")
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")


def round_ore(amount: Decimal) -> Decimal:
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def parse_month(value: str) -> date:
    """'2025-02' -> date(2025, 2, 1). Raises ValidationError (Danish) for anything else."""
    match = MONTH_RE.match((value or "").strip())
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 2000 <= year <= 2100 and 1 <= month <= 12:
            return date(year, month, 1)
    raise ValidationError(
        _("Ugyldig måned: “%(value)s”. Skriv måneden som ÅÅÅÅ-MM, fx 2025-02."),
        params={"value": value},
        code="invalid_month",
    )


def month_last_day(month: date) -> date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def _d(day: date) -> str:
    return date_format(day, "d.m.Y")


def _given(value: Decimal | None) -> Decimal:
    """A term the payment model requires; the contract's check constraints guarantee it."""
    if value is None:
        raise ValueError("a payment term the payment model requires is missing")
    return value


@dataclass(frozen=True)
class Terms:
    """One version of a contract's payment terms and the day it applies from."""

    version: int
    valid_from: date
    payment_model: str
    places: int
    payment_amount: Decimal | None
    payment_hourly_rate: Decimal | None
    payment_hours_per_week: Decimal | None
    establishment_amount: Decimal

    @classmethod
    def of(cls, row, *, version: int, valid_from: date) -> "Terms":
        return cls(
            version=version,
            valid_from=valid_from,
            payment_model=row.payment_model,
            places=row.places,
            payment_amount=row.payment_amount,
            payment_hourly_rate=row.payment_hourly_rate,
            payment_hours_per_week=row.payment_hours_per_week,
            establishment_amount=row.establishment_amount or Decimal(0),
        )


@dataclass(frozen=True)
class Segment:
    """Days start..end (inclusive) under one version of the terms."""

    start: date
    end: date
    terms: Terms

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class TermsTimeline:
    """A contract's period and its versions; amendments apply from their valid_from."""

    contract_start: date
    contract_end: date
    versions: tuple[Terms, ...]  # sorted by (valid_from, version)

    def at(self, day: date) -> Terms | None:
        """The terms on `day`, or None outside the contract's period."""
        if not self.contract_start <= day <= self.contract_end:
            return None
        current = None
        for terms in self.versions:
            if terms.valid_from <= day:
                current = terms
        return current

    def segments(self, start: date, end: date) -> list[Segment]:
        """The period start..end cut to the contract and split where the terms change."""
        start, end = max(start, self.contract_start), min(end, self.contract_end)
        result = []
        for i, terms in enumerate(self.versions):
            seg_start = max(start, terms.valid_from)
            # A later version on the same day replaces this one at once (an empty range).
            following = [v.valid_from for v in self.versions[i + 1 :]]
            seg_end = min([end, *(f - timedelta(days=1) for f in following)])
            if seg_start <= seg_end:
                result.append(Segment(seg_start, seg_end, terms))
        return result


@dataclass(frozen=True)
class CourseWeek:
    """A started course week as loaded by the selector: week 1 begins on the start day."""

    course_id: int
    place_number: int
    week_no: int
    week_start: date
    course_end: date


@dataclass
class Line:
    key: str
    rule: str
    description: str
    period_start: date
    period_end: date
    terms_version: int
    quantity: Decimal
    rate: Decimal
    amount: Decimal
    course_id: int | None = None
    week_no: int | None = None
    place_number: int | None = None
    hours_agreed: Decimal | None = None
    hours_logged: Decimal | None = None
    shortfall: bool = False


@dataclass
class Computed:
    """What one contract pays for one period, line by line."""

    lines: list[Line] = field(default_factory=list)
    trainings: list[dict] = field(default_factory=list)

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal(0))

    @property
    def hours_shortfall(self) -> bool:
        return any(line.shortfall for line in self.lines)


def per_candidate_week_lines(timeline: TermsTimeline, weeks: list[CourseWeek]) -> list[Line]:
    """Every started course week costs the week amount once, in the month the week starts.

    Days 1-7 of a course are week 1, days 8-14 week 2, ...: a 10-day course is 2 weeks.
    The terms on the week's first day decide whether and how much it is charged.
    """
    lines = []
    for week in weeks:
        terms = timeline.at(week.week_start)
        if terms is None or terms.payment_model != PaymentModel.PER_CANDIDATE_WEEK:
            continue
        week_end = min(week.week_start + timedelta(days=6), week.course_end)
        lines.append(
            Line(
                key=f"week:{week.course_id}:{week.week_no}",
                rule=Rule.PER_CANDIDATE_WEEK,
                description=_("Forløb %(course)s, plads %(place)s, uge %(week)s")
                % {"course": week.course_id, "place": week.place_number, "week": week.week_no},
                period_start=week.week_start,
                period_end=week_end,
                terms_version=terms.version,
                quantity=Decimal(1),
                rate=_given(terms.payment_amount),
                amount=round_ore(_given(terms.payment_amount)),
                course_id=week.course_id,
                week_no=week.week_no,
                place_number=week.place_number,
            )
        )
    return lines


def mentor_hours_lines(
    segments: list[Segment], logged_by_monday: dict[date, Decimal]
) -> list[Line]:
    """Agreed hours a week x hourly rate for every (ISO, Monday-Sunday) week of the period.

    A week cut by the period, the contract's start or end, or an amendment is paid pro rata
    by day: hours x rate x days / 7. The hours the centre's mentors logged for that week are
    put beside the agreed hours; logged below 80 % of agreed is flagged as a shortfall.
    """
    lines = []
    for seg in segments:
        terms = seg.terms
        if terms.payment_model != PaymentModel.MENTOR_HOURS:
            continue
        hours, rate = _given(terms.payment_hours_per_week), _given(terms.payment_hourly_rate)
        monday = seg.start - timedelta(days=seg.start.weekday())
        while monday <= seg.end:
            part_start = max(monday, seg.start)
            part_end = min(monday + timedelta(days=6), seg.end)
            days = (part_end - part_start).days + 1
            logged = logged_by_monday.get(monday, Decimal(0))
            iso_year, iso_week, _weekday = monday.isocalendar()
            lines.append(
                Line(
                    key=f"hours:{part_start.isoformat()}",
                    rule=Rule.MENTOR_HOURS,
                    description=_("Uge %(week)s %(year)s, %(start)s–%(end)s (%(days)s/7 dage)")
                    % {
                        "week": iso_week,
                        "year": iso_year,
                        "start": _d(part_start),
                        "end": _d(part_end),
                        "days": days,
                    },
                    period_start=part_start,
                    period_end=part_end,
                    terms_version=terms.version,
                    quantity=(hours * days / 7).quantize(QUANTITY, rounding=ROUND_HALF_UP),
                    rate=rate,
                    # Multiply before dividing: exact whenever the result is.
                    amount=round_ore(hours * rate * days / 7),
                    hours_agreed=hours,
                    hours_logged=logged,
                    shortfall=hours > 0 and logged < hours * SHORTFALL_LIMIT,
                )
            )
            monday += timedelta(days=7)
    return lines


@dataclass(frozen=True)
class Grant:
    """A mentor-support grant as loaded by the selector (mentors.models.MentorGrant)."""

    grant_id: int
    start: date
    end: date
    hours_per_week: Decimal
    hourly_rate: Decimal
    place_number: int
    course_id: int | None = None


def mentor_grant_lines(
    segments: list[Segment], grants: list[Grant], logged_by_monday: dict[date, Decimal]
) -> list[Line]:
    """A `mentor_hours` contract with mentor-support grants pays the grants, not its own
    agreed hours: each grant's hours a week x its rate for every (ISO) week of the grant's
    period inside the billed period and the contract, pro rata by day as `mentor_hours_lines`.

    Source: LAB § 167 (support granted to a person for a period, per place when the
    mentor serves several); DOMAIN payment model 2 (hours x rate). The centre's logged
    hours of a week are set beside the hours of every grant running that week; below
    80 % is flagged on each of its lines.
    """
    lines = []
    for seg in segments:
        if seg.terms.payment_model != PaymentModel.MENTOR_HOURS:
            continue
        for grant in grants:
            start, end = max(seg.start, grant.start), min(seg.end, grant.end)
            monday = start - timedelta(days=start.weekday())
            while monday <= end:
                part_start, part_end = max(monday, start), min(monday + timedelta(days=6), end)
                days = (part_end - part_start).days + 1
                hours, rate = grant.hours_per_week, grant.hourly_rate
                whom = (
                    _("forløb %(course)s") % {"course": grant.course_id}
                    if grant.course_id
                    else _("plads %(place)s") % {"place": grant.place_number}
                )
                lines.append(
                    Line(
                        key=f"grant:{grant.grant_id}:{part_start.isoformat()}",
                        rule=Rule.MENTOR_HOURS,
                        description=_(
                            "Mentorstøtte (bevilling %(grant)s, %(whom)s), %(start)s–%(end)s "
                            "(%(days)s/7 dage)"
                        )
                        % {
                            "grant": grant.grant_id,
                            "whom": whom,
                            "start": _d(part_start),
                            "end": _d(part_end),
                            "days": days,
                        },
                        period_start=part_start,
                        period_end=part_end,
                        terms_version=seg.terms.version,
                        quantity=(hours * days / 7).quantize(QUANTITY, rounding=ROUND_HALF_UP),
                        rate=rate,
                        amount=round_ore(hours * rate * days / 7),
                        course_id=grant.course_id,
                        place_number=grant.place_number,
                        hours_agreed=hours,
                        hours_logged=logged_by_monday.get(monday, Decimal(0)),
                    )
                )
                monday += timedelta(days=7)
    # The week's granted hours against the week's logged hours.
    granted: dict[date, Decimal] = {}
    for line in lines:
        monday = line.period_start - timedelta(days=line.period_start.weekday())
        granted[monday] = granted.get(monday, Decimal(0)) + _given(line.hours_agreed)
    for line in lines:
        monday = line.period_start - timedelta(days=line.period_start.weekday())
        line.shortfall = _given(line.hours_logged) < granted[monday] * SHORTFALL_LIMIT
    lines.sort(key=lambda line: (line.period_start, line.key))
    return lines


def per_place_month_lines(segments: list[Segment]) -> list[Line]:
    """Places x amount per calendar month; a part month is paid by day (days / days in month)."""
    lines = []
    for seg in segments:
        terms = seg.terms
        if terms.payment_model != PaymentModel.PER_PLACE_MONTH:
            continue
        part_start = seg.start
        while part_start <= seg.end:
            last = month_last_day(part_start)
            part_end = min(last, seg.end)
            days, days_in_month = (part_end - part_start).days + 1, last.day
            lines.append(
                Line(
                    key=f"places:{part_start.isoformat()}",
                    rule=Rule.PER_PLACE_MONTH,
                    description=_("%(places)s pladser, %(start)s–%(end)s (%(days)s/%(dim)s dage)")
                    % {
                        "places": terms.places,
                        "start": _d(part_start),
                        "end": _d(part_end),
                        "days": days,
                        "dim": days_in_month,
                    },
                    period_start=part_start,
                    period_end=part_end,
                    terms_version=terms.version,
                    quantity=(Decimal(terms.places) * days / days_in_month).quantize(
                        QUANTITY, rounding=ROUND_HALF_UP
                    ),
                    rate=_given(terms.payment_amount),
                    amount=round_ore(
                        terms.places * _given(terms.payment_amount) * days / days_in_month
                    ),
                    place_number=None,
                )
            )
            part_start = part_end + timedelta(days=1)
    return lines


def establishment_lines(timeline: TermsTimeline, start: date, end: date) -> list[Line]:
    """The one-off establishment amount, once, in the contract's first month."""
    first_month = timeline.contract_start.replace(day=1)
    terms = timeline.at(timeline.contract_start)
    if terms is None or not terms.establishment_amount:
        return []
    # Charged on the contract's start day, which lies in its first month.
    if not start <= timeline.contract_start <= end:
        return []
    return [
        Line(
            key="establishment",
            rule=Rule.ESTABLISHMENT,
            description=_("Etableringsbeløb (kontraktens første måned, %(month)s)")
            % {"month": date_format(first_month, "F Y")},
            period_start=timeline.contract_start,
            period_end=timeline.contract_start,
            terms_version=terms.version,
            quantity=Decimal(1),
            rate=terms.establishment_amount,
            amount=round_ore(terms.establishment_amount),
        )
    ]


def compute(
    *,
    timeline: TermsTimeline,
    start: date,
    end: date,
    weeks: list[CourseWeek],
    logged_by_monday: dict[date, Decimal],
    trainings: list[dict],
    grants: list[Grant] | None = None,
) -> Computed:
    """All lines of one contract for start..end, in the order a bill lists them.

    `grants` are all the contract's mentor-support grants: with any, its mentor-hours
    weeks pay the grants (`mentor_grant_lines`); with none, the contract's agreed hours.
    """
    segments = timeline.segments(start, end)
    mentor_lines = (
        mentor_grant_lines(segments, grants, logged_by_monday)
        if grants
        else mentor_hours_lines(segments, logged_by_monday)
    )
    lines = [
        *establishment_lines(timeline, start, end),
        *per_place_month_lines(segments),
        *mentor_lines,
        *per_candidate_week_lines(timeline, [w for w in weeks if start <= w.week_start <= end]),
    ]
    training_only = any(s.terms.payment_model == PaymentModel.TRAINING_ONLY for s in segments)
    return Computed(lines=lines, trainings=trainings if training_only else [])


# Electronic invoices of a statement (billing/einvoice.py, Peppol BIS Billing 3.0).
# The Danish standard VAT rate (momsloven § 33): 25 %.
VAT_STANDARD_PERCENT = Decimal(25)


def invoice_vat(*, taxable: Decimal, category: str) -> Decimal:
    """The VAT of an invoice's taxable amount in a VAT category (UNCL5305 code).

    Standard rated (S): 25 %, rounded to øre once on the category's total, as EN 16931
    BR-CO-17 computes it (taxable amount x rate / 100, two decimals). Outside the scope of
    VAT (O) and exempt (E): none. A statement's amounts are net of VAT: the contract's
    payment terms are what the municipality pays the company before any VAT.
    Raises ValueError for another code.
    """
    if category == "S":
        return round_ore(taxable * VAT_STANDARD_PERCENT / 100)
    if category in ("O", "E"):
        return Decimal("0.00")
    raise ValueError(f"unknown VAT category {category!r}")


def invoice_line_price(*, quantity: Decimal, rate: Decimal, amount: Decimal) -> tuple:
    """(quantity, unit price) of an invoice line whose net amount is `amount`.

    EN 16931 requires line amount = quantity x price (PEPPOL-EN16931-R120) and a price that
    is never negative (BR-27). A statement line's amount is quantity x rate rounded to øre
    (a part week: hours x rate x days/7), so where that product does not give the amount
    to the øre, the line is invoiced as 1 (or -1) x the amount: the amount always agrees
    with the statement. A negative amount (a correction) has a negative quantity.
    """
    if rate >= 0 and round_ore(quantity * rate) == amount:
        return quantity, rate
    return (Decimal(-1) if amount < 0 else Decimal(1)), abs(amount)


def gln_valid(value: str) -> bool:
    """A GS1 Global Location Number (the Danish public EAN number): 13 digits whose last is
    the GS1 check digit (weights 1 and 3 from the left, GS1 General Specifications §7.9)."""
    if len(value) != 13 or not value.isdigit():
        return False
    digits = [int(c) for c in value]
    total = sum(d * (3 if i % 2 else 1) for i, d in enumerate(digits[:12]))
    return (10 - total % 10) % 10 == digits[12]
