"""Writes of the virksomhedsmentor's work: attendance, mentor hours, notes and flags.

Every change goes through one function here, which takes the acting user and writes the
audit log, so the course's jobkonsulent can see who changed what and when.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.emails import email_send
from accounts.roles import ROLE_MENTOR
from accounts.services import user_create
from audit.services import audit_record
from codes import clock, parse
from codes.lists import PaymentModel
from sso import rules as sso_rules
from sso.selectors import identity_providers, sign_in_policy

from . import rules
from .models import (
    Attendance,
    AttendanceFlag,
    AttendanceStatus,
    Mentor,
    MentorGrant,
    MentorHours,
    MentorSettings,
    OvoYear,
    ProgressNote,
    ReplacedEntry,
)

MAX_DAY_HOURS = Decimal(24)
MAX_WEEK_MENTOR_HOURS = Decimal(168)
# "Two days in a row absent without notice flags automatically" (issue 6).
AUTO_FLAG_ABSENT_DAYS = 2
ONE_PER_COURSE_DAY = "attendance_one_per_course_day"


def previous_working_day(day: date) -> date:
    """The weekday before `day`: Friday for a Monday. A weekend does not break a row."""
    day -= timedelta(days=1)
    while day.isoweekday() > 5:
        day -= timedelta(days=1)
    return day


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.isoweekday() > 5:
        day += timedelta(days=1)
    return day


def _decimal(value, *, field: str) -> Decimal:
    """A finite Decimal from a number or a Danish/English decimal string ("4,5" or "4.5").

    Through codes.parse, so NaN, sNaN and infinity are refused like words are; the callers
    check the bounds with their own sentence."""
    if isinstance(value, Decimal) and value.is_finite():
        return value
    try:
        return parse.parse_number(value, places=6)
    except parse.ParseError as exc:
        if str(exc) == parse.NUMBER_MESSAGE:
            raise ValidationError(parse.number_message(field)) from None
        raise ValidationError(str(exc)) from None


def course_covers(course, day: date) -> bool:
    """True if the candidate is placed in the course's place on `day`."""
    return course.start <= day and (course.end is None or day <= course.end)


def _attendance_label(attendance: Attendance) -> str:
    """The day and status, no name (audit rows name no person: audit.rules.neutral_label)."""
    return f"{attendance.date:%d.%m.%Y} {attendance.get_status_display()}"


@transaction.atomic
def attendance_record(
    *, course, date: date, status: str, hours, acting_user, today: date | None = None
) -> Attendance:
    """Record (or correct) one day's attendance of a course.

    `hours` are worked hours and count only when the candidate was present (0 otherwise).
    Raises ValidationError (Danish) for an unknown status, hours outside 0-24 for a
    present day, a day in the future or a day outside the course; nothing is changed then.
    Two working days in a row absent without notice raise an automatic flag.
    Two saves of the same day at once never fail: the last one wins, and when it replaced
    another person's entry, the result's `replaced_entry` says whose (for the saver's page).
    """
    today = today or clock.today()
    if status not in AttendanceStatus.values:
        raise ValidationError("Vælg mødt, syg, udeblevet uden besked eller aftalt fravær.")
    if date > today:
        raise ValidationError("Der kan ikke registreres fremmøde for en dag i fremtiden.")
    if not course_covers(course, date):
        raise ValidationError(f"{course.candidate.name} var ikke i forløb den {date:%d.%m.%Y}.")
    if status == AttendanceStatus.PRESENT:
        hours = _decimal(hours, field="Timer")
        if not Decimal(0) < hours <= MAX_DAY_HOURS:
            raise ValidationError("Timer for en dag med fremmøde skal være mellem 0,1 og 24.")
        hours = hours.quantize(Decimal("0.1"))
    else:
        hours = Decimal(0)

    attendance, created = _attendance_upsert(
        course=course, date=date, status=status, hours=hours, acting_user=acting_user
    )
    if created:
        audit_record(
            acting_user=acting_user,
            action="attendance.record",
            obj=attendance,
            fields=["status", "hours"],
            label=_attendance_label(attendance),
        )
    else:
        changed = [
            name
            for name, value in (("status", status), ("hours", hours))
            if getattr(attendance, name) != value
        ]
        if not changed:
            return attendance
        if attendance.recorded_by_id != getattr(acting_user, "pk", None):
            attendance.replaced_entry = ReplacedEntry(
                status_label=str(attendance.get_status_display()),
                hours=attendance.hours,
                recorded_by=attendance.recorded_by,
                recorded_at=attendance.recorded_at,
            )
        attendance.status = status
        attendance.hours = hours
        attendance.recorded_by = acting_user
        attendance.save(update_fields=["status", "hours", "recorded_by", "recorded_at"])
        audit_record(
            acting_user=acting_user,
            action="attendance.correct",
            obj=attendance,
            fields=changed,
            label=_attendance_label(attendance),
        )

    if status == AttendanceStatus.ABSENT:
        _attendance_flag_if_absent_in_a_row(course=course, day=date)
    return attendance


@dataclass
class AllPresent:
    """What "alle mødt" did: marked present now, and left as they were (with the reason)."""

    marked: list = field(default_factory=list)
    already: int = 0
    without_hours: list = field(default_factory=list)


@transaction.atomic
def attendance_all_present(*, courses, centre, date: date, acting_user, today: date | None = None):
    """Mark every candidate of `centre` placed on `date` present with the day's planned hours.

    `courses` is the acting user's scope (a mentor's courses); only those of `centre` count.
    A candidate already registered that day (mødt, syg, ...) is left alone, so a second tap
    changes nothing and a correction made first stands; a candidate with no planned hours
    that day is left for the mentor to fill in (present needs hours). Each day goes through
    `attendance_record`, the same upsert and audit as a single tap.
    """
    from .selectors import attendance_rows

    today = today or clock.today()
    if date > today:
        raise ValidationError("Der kan ikke registreres fremmøde for en dag i fremtiden.")
    rows = attendance_rows(courses.filter(contract__centre=centre), days=[date])[date]
    result = AllPresent()
    by_id = {c.pk: c for c in courses.filter(pk__in=[row.course_id for row in rows])}
    for row in rows:
        if row.status:
            result.already += 1
        elif row.planned_hours <= 0:
            result.without_hours.append(row.candidate_name)
        else:
            attendance_record(
                course=by_id[row.course_id],
                date=date,
                status=AttendanceStatus.PRESENT,
                hours=row.planned_hours,
                acting_user=acting_user,
                today=today,
            )
            result.marked.append(row.candidate_name)
    return result


def _attendance_upsert(*, course, date: date, status: str, hours, acting_user):
    """The day's row, locked, and whether this call created it (with status and hours).

    An upsert: `select_for_update()` locks nothing while the row does not exist, so two
    saves of a new day both try the insert; PostgreSQL lets one in and makes the other wait
    for it, and the other then takes the row that won, locked, and updates it - the last
    writer wins, neither answers 500 (issue 19). Only the one-per-day constraint is caught.
    """
    rows = Attendance.objects.select_for_update(of=("self",)).select_related("recorded_by")
    attendance = rows.filter(course=course, date=date).first()
    if attendance is not None:
        return attendance, False
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                course=course, date=date, status=status, hours=hours, recorded_by=acting_user
            )
    except IntegrityError as exc:
        if _constraint_name(exc) != ONE_PER_COURSE_DAY:
            raise
        return rows.get(course=course, date=date), False
    return attendance, True


def _constraint_name(exc: IntegrityError) -> str | None:
    """The name of the constraint PostgreSQL says was violated (psycopg's diagnostics)."""
    diag = getattr(exc.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None)


def _attendance_flag_if_absent_in_a_row(*, course, day: date) -> AttendanceFlag | None:
    """Raise the automatic flag when `day` and a neighbouring working day are both absences.

    A correction may complete a row from either side, so both neighbours are checked.
    An open automatic flag already covers a continuing absence.
    """
    neighbours = [previous_working_day(day), next_working_day(day)]
    absent_days = sorted(
        Attendance.objects.filter(
            course=course, date__in=neighbours, status=AttendanceStatus.ABSENT
        ).values_list("date", flat=True)
    )
    if not absent_days:
        return None
    if AttendanceFlag.objects.filter(
        course=course, source=AttendanceFlag.Source.AUTOMATIC, resolved_at__isnull=True
    ).exists():
        return None
    first = min(absent_days[0], day)
    last = max(absent_days[-1], day)
    return attendance_flag_raise(
        course=course,
        date=last,
        reason=(
            f"Udeblevet uden besked {AUTO_FLAG_ABSENT_DAYS} arbejdsdage i træk "
            f"({first:%d.%m.%Y}-{last:%d.%m.%Y})."
        ),
        acting_user=None,
    )


@transaction.atomic
def attendance_flag_raise(*, course, date: date, reason: str, acting_user) -> AttendanceFlag:
    """Flag an attendance problem for the centre's jobkonsulent, who is e-mailed.

    `acting_user` None means the system raised it (two days absent in a row).
    Raises ValidationError (Danish) without a reason.
    """
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("Skriv kort, hvad problemet er.")
    source = (
        AttendanceFlag.Source.AUTOMATIC if acting_user is None else AttendanceFlag.Source.MENTOR
    )
    try:
        with transaction.atomic():
            flag = AttendanceFlag.objects.create(
                course=course, date=date, source=source, reason=reason, raised_by=acting_user
            )
    except IntegrityError:
        raise ValidationError("Der er allerede et åbent fremmødeproblem for forløbet.") from None
    audit_record(acting_user=acting_user, action="attendance_flag.raise", obj=flag)

    consultant = course.contract.centre.consultant
    if consultant is not None and consultant.email:
        # Sent only once the flag is stored: a rolled-back flag mails nobody.
        email_send(
            to=[consultant.email],
            template="mentors/email/attendance_flag",
            context={
                "course": course,
                "date": date,
                "reason": reason,
                "url": _tenant_url(reverse("mentors:consultant_course", args=[course.pk])),
            },
            fail_silently=True,
        )
    return flag


@transaction.atomic
def attendance_flag_resolve(*, flag: AttendanceFlag, acting_user) -> AttendanceFlag:
    """Close an attendance flag (the jobkonsulent has followed up)."""
    if flag.resolved_at is not None:
        return flag
    flag.resolved_at = timezone.now()
    flag.resolved_by = acting_user
    flag.save(update_fields=["resolved_at", "resolved_by"])
    audit_record(acting_user=acting_user, action="attendance_flag.resolve", obj=flag)
    return flag


@transaction.atomic
def mentor_hours_record(*, mentor: Mentor, centre, week: date, hours, acting_user) -> MentorHours:
    """Record (or correct) the mentor's hours on a centre in the week containing `week`.

    Raises ValidationError (Danish) when the mentor is not the centre's mentor or the
    hours are outside 0-168.
    """
    if not mentor.centres.filter(pk=centre.pk).exists():
        raise ValidationError("Du er ikke mentor i det virksomhedscenter.")
    try:  # the week feeds billing: no week of year 1 or 9999
        week = parse.parse_day(week)
    except parse.ParseError as exc:
        raise ValidationError(str(exc)) from None
    hours = _decimal(hours, field="Timer")
    if not Decimal(0) <= hours <= MAX_WEEK_MENTOR_HOURS:
        raise ValidationError("Mentortimer for en uge skal være mellem 0 og 168.")
    week_start = week - timedelta(days=week.isoweekday() - 1)
    row, created = MentorHours.objects.update_or_create(
        mentor=mentor,
        centre=centre,
        week_start=week_start,
        defaults={"hours": hours.quantize(Decimal("0.1"))},
    )
    audit_record(
        acting_user=acting_user,
        action="mentor_hours.record" if created else "mentor_hours.correct",
        obj=row,
        fields=["hours"],
    )
    return row


@transaction.atomic
def progress_note_create(
    *,
    course,
    date: date,
    acting_user,
    work_tasks: str = "",
    attendance: str = "",
    cooperation: str = "",
    next_step: str = "",
) -> ProgressNote:
    """Write a progress note (dialogguide). Raises ValidationError (Danish) if it is empty."""
    texts = {
        "work_tasks": work_tasks.strip(),
        "attendance": attendance.strip(),
        "cooperation": cooperation.strip(),
        "next_step": next_step.strip(),
    }
    if not any(texts.values()):
        raise ValidationError("Skriv mindst ét af punkterne i dialogguiden.")
    note = ProgressNote.objects.create(course=course, date=date, written_by=acting_user, **texts)
    audit_record(
        acting_user=acting_user,
        action="progress_note.create",
        obj=note,
        fields=[k for k, v in texts.items() if v],
    )
    return note


@transaction.atomic
def mentor_invite(
    *,
    first_name: str,
    last_name: str,
    email: str,
    company,
    centres: list,
    acting_user,
    base_url: str,
) -> Mentor:
    """Create a mentor's account (role mentor, no password) and e-mail a password-set link.

    `base_url` is the jobcentre's own address ("https://skive.example.dk"): the user
    exists only in this jobcentre's schema, so the link works only there.
    Raises ValidationError (Danish) for an e-mail in use, no centre, or a centre that the
    company has no part in.
    """
    if not centres:
        raise ValidationError("Vælg mindst ét virksomhedscenter.")
    for centre in centres:
        if (
            centre.company_id != company.pk
            and not centre.network_companies.filter(pk=company.pk).exists()
        ):
            raise ValidationError(f"{company.name} er ikke en del af {centre.name}.")
    user = user_create(
        email=email,
        password=None,
        roles=[ROLE_MENTOR],
        first_name=first_name,
        last_name=last_name,
    )
    mentor = Mentor.objects.create(user=user, company=company)
    mentor.centres.set(centres)
    audit_record(acting_user=acting_user, action="mentor.invite", obj=mentor)

    site_url = base_url.rstrip("/")
    policy = sign_in_policy()
    mitid = identity_providers(sso_rules.AUDIENCE_MENTOR).exists()
    email_send(
        to=[user.email],
        template="mentors/email/mentor_invitation",
        context={
            "user": user,
            "jobcentre": getattr(getattr(connection, "tenant", None), "name", ""),
            # No password to choose where the mentors sign in with MitID Erhverv only.
            "link": ""
            if (mitid and policy.mentor_sso_required)
            else site_url + password_set_path(user),
            "mitid_link": site_url + mitid_invitation_path(user) if mitid else "",
            "site_url": site_url,
        },
    )
    return mentor


def mentor_centre_cvrs(mentor: Mentor) -> dict[int, set[str]]:
    """Each of the mentor's centres with the CVRs of its companies (own and network)."""
    result: dict[int, set[str]] = {}
    for centre in mentor.centres.select_related("company").prefetch_related("network_companies"):
        result[centre.pk] = {centre.company.cvr} | {c.cvr for c in centre.network_companies.all()}
    return result


def _mitid_label(login) -> str:
    parts = [f"MitID Erhverv: CVR {login.cvr or '-'}"]
    if login.p_number:
        parts.append(f"P-nr. {login.p_number}")
    if login.org_name:
        parts.append(login.org_name)
    return "; ".join(parts)


@transaction.atomic
def mentor_centres_end_for_login(*, mentor: Mentor, login, acting_user) -> list:
    """End the mentor's access to each centre whose companies do not include the CVR
    MitID Erhverv gave at this login (the mentor changed company). Returns the centres
    ended, each audited."""
    kept = set(
        rules.centres_for_company_login(cvr=login.cvr, centre_cvrs=mentor_centre_cvrs(mentor))
    )
    ended = [centre for centre in mentor.centres.order_by("name") if centre.pk not in kept]
    for centre in ended:
        mentor.centres.remove(centre)
        audit_record(
            acting_user=acting_user,
            action="mentor.centre_end_by_login",
            obj=mentor,
            label=f"{centre.name}: {_mitid_label(login)}",
        )
    return ended


@transaction.atomic
def mentor_mitid_link(*, mentor: Mentor, sociallogin, request, login) -> Mentor:
    """Link an invited mentor's account to their MitID Erhverv identity (the professional's
    persistent id); later logins find the mentor by that id alone.

    Raises ValidationError (Danish) when the CVR is none of the mentor's centres' companies.
    """
    kept = rules.centres_for_company_login(cvr=login.cvr, centre_cvrs=mentor_centre_cvrs(mentor))
    if not kept:
        raise ValidationError(
            f"Dit MitID Erhverv-login er for virksomheden med CVR {login.cvr or '(intet)'}"
            f"{' (' + login.org_name + ')' if login.org_name else ''}, men invitationen er "
            f"til en mentor hos {mentor.company.name} (CVR {mentor.company.cvr}). Log ind "
            "med din MitID Erhverv-identitet for den virksomhed, eller kontakt jobcentret."
        )
    sociallogin.connect(request, mentor.user)
    audit_record(
        acting_user=mentor.user,
        action="mentor.mitid_link",
        obj=mentor,
        label=_mitid_label(login),
    )
    return mentor


def mentor_mitid_refused(*, user, reason: str, login) -> None:
    """Record a refused MitID Erhverv login (nothing else changes)."""
    audit_record(
        acting_user=user,
        action="mentor.mitid_refused",
        obj=None,
        object_type="mentor",
        label=f"{_mitid_label(login)}: {reason}"[:200],
    )


def _tenant_url(path: str) -> str:
    """An absolute URL at the current jobcentre's primary domain (mails have no request)."""
    tenant = getattr(connection, "tenant", None)
    domain = tenant.get_primary_domain() if tenant is not None else None
    if domain is None:
        return path
    return f"{'http' if settings.DEBUG else 'https'}://{domain.domain}{path}"


def mitid_invitation_path(user) -> str:
    """The invitation's link to sign in with MitID Erhverv the first time: the same
    one-time key as the password link (it is spent by the first login, which changes the
    user's last login)."""
    key = password_set_path(user).rstrip("/").rsplit("/", 1)[-1]
    return reverse("mentors:mitid_invitation", kwargs={"key": invitation_key_for_url(key)})


# The key's last part is hex: its digits are written as letters g-p in the invitation's URL,
# so that it never holds a CPR-shaped run of ten digits (logs, Referer headers).
_HEX_DIGITS_TO_LETTERS = str.maketrans("0123456789", "ghijklmnop")
_LETTERS_TO_HEX_DIGITS = str.maketrans("ghijklmnop", "0123456789")


def invitation_key_for_url(key: str) -> str:
    head, _sep, digest = key.rpartition("-")
    return f"{head}-{digest.translate(_HEX_DIGITS_TO_LETTERS)}" if head else key


def invitation_key_from_url(key: str) -> str:
    head, _sep, digest = key.rpartition("-")
    return f"{head}-{digest.translate(_LETTERS_TO_HEX_DIGITS)}" if head else key


def password_set_path(user) -> str:
    """allauth's password-reset-from-key path for `user`: `<uid base36>-<token>`.

    The token is allauth's own (e-mail aware) one, so allauth's view accepts it; it is
    spent as soon as the password is set, since it hashes the password.
    """
    from allauth.account import app_settings as allauth_settings
    from allauth.account.utils import user_pk_to_url_str

    token = allauth_settings.PASSWORD_RESET_TOKEN_GENERATOR().make_token(user)
    return reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(user), "key": token},
    )


@transaction.atomic
def mentor_settings_update(*, ended_course_weeks: int, acting_user) -> MentorSettings:
    """Set how many weeks after its end a course stays visible to the centre's mentors.

    Raises ValidationError (Danish) outside 0-52 weeks; writes the audit log when changed.
    """
    settings_row = MentorSettings.for_update()
    if settings_row.ended_course_weeks == ended_course_weeks:
        return settings_row
    settings_row.ended_course_weeks = ended_course_weeks
    settings_row.full_clean()
    settings_row.save(update_fields=["ended_course_weeks"])
    audit_record(
        acting_user=acting_user,
        action="mentor_settings.update",
        obj=settings_row,
        fields=["ended_course_weeks"],
    )
    return settings_row


def _grant_validate(*, place, course, start: date, end: date, hours_per_week, hourly_rate):
    """The Danish refusals for a grant (the period rule, the payment model, overlaps)."""
    problem = rules.grant_problem(
        start=start, end=end, hours_per_week=hours_per_week, hourly_rate=hourly_rate
    )
    if problem:
        raise ValidationError(problem)
    contract = place.contract
    models_used = {
        contract.payment_model,
        *contract.amendments.values_list("payment_model", flat=True),
    }
    if PaymentModel.MENTOR_HOURS not in models_used:
        raise ValidationError(
            "Kontrakten betaler ikke mentorstøtte som frikøb af timer; vælg betalingsmodellen "
            "frikøb af mentortimer i kontrakten eller et tillæg først."
        )
    if not (contract.start <= start and end <= contract.end):
        raise ValidationError(
            f"Aftalen skal ligge inden for kontraktens periode "
            f"{contract.start:%d.%m.%Y}-{contract.end:%d.%m.%Y}."
        )
    if course is not None and course.place_id != place.pk:
        raise ValidationError("Forløbet er ikke på denne plads.")
    same = MentorGrant.objects.filter(place=place, course=course)
    for other in same.only("start", "end"):
        if rules.periods_overlap((start, end), (other.start, other.end)):
            raise ValidationError(
                f"Der er allerede en aftale {other.start:%d.%m.%Y}-{other.end:%d.%m.%Y} for "
                f"{'personen' if course else 'pladsen'}; to aftaler kan ikke løbe samtidig."
            )


@transaction.atomic
def mentor_grant_create(
    *,
    place,
    start: date,
    end: date,
    hours_per_week: Decimal,
    hourly_rate: Decimal,
    acting_user,
    course=None,
    purpose: str = "",
    extends: MentorGrant | None = None,
) -> MentorGrant:
    """Grant mentor support by a written agreement: to a person (`course`) or to a place.

    At most 6 months per agreement (LAB § 167); an extension is a new agreement
    (`mentor_grant_extend`). Raises ValidationError (Danish) and grants nothing for a
    longer period, hours outside 0-37, a negative rate, a period outside the contract, a
    contract that does not pay mentor hours, or an agreement overlapping another for the
    same person or place.
    """
    # Locks the place: two grants for it are decided one at a time.
    place = type(place).objects.select_for_update().select_related("contract").get(pk=place.pk)
    _grant_validate(
        place=place,
        course=course,
        start=start,
        end=end,
        hours_per_week=hours_per_week,
        hourly_rate=hourly_rate,
    )
    grant = MentorGrant.objects.create(
        place=place,
        course=course,
        start=start,
        end=end,
        hours_per_week=hours_per_week,
        hourly_rate=hourly_rate,
        purpose=purpose,
        extends=extends,
        created_by=acting_user,
    )
    audit_record(acting_user=acting_user, action="mentor_grant.create", obj=grant)
    return grant


def mentor_grant_extend(
    *, grant: MentorGrant, end: date, acting_user, hours_per_week=None, hourly_rate=None
) -> MentorGrant:
    """A new agreement from the day after `grant` ends, for the same person or place;
    hours and rate as before unless given. Raises ValidationError (Danish) as
    `mentor_grant_create`, or when the agreement was extended already."""
    if MentorGrant.objects.filter(extends=grant).exists():
        raise ValidationError("Aftalen er allerede forlænget.")
    return mentor_grant_create(
        place=grant.place,
        course=grant.course,
        start=rules.extension_start(grant.end),
        end=end,
        hours_per_week=grant.hours_per_week if hours_per_week is None else hours_per_week,
        hourly_rate=grant.hourly_rate if hourly_rate is None else hourly_rate,
        purpose=grant.purpose,
        extends=grant,
        acting_user=acting_user,
    )


OVO_FIELDS = ("cap_per_person", "full_time_persons", "other_spending")


@transaction.atomic
def ovo_year_save(*, year: int, acting_user, **fields) -> OvoYear:
    """Enter (or change) one year's ØVO figures: the cap per full-time person, the
    full-time persons in the target groups, the other ØVO spending. Raises ValidationError
    (Danish) for a year before 2026 (the cap starts then), no persons or a negative
    amount; changes nothing then."""
    if set(fields) - set(OVO_FIELDS):
        raise TypeError(f"ovo_year_save: unknown fields {sorted(set(fields) - set(OVO_FIELDS))}")
    if not 2026 <= year <= 2100:
        raise ValidationError({"year": "Loftet gælder fra 2026; skriv et år 2026-2100."})
    if fields.get("full_time_persons") is not None and fields["full_time_persons"] <= 0:
        raise ValidationError(
            {"full_time_persons": "Antallet af fuldtidspersoner skal være over 0."}
        )
    for name in ("cap_per_person", "other_spending"):
        if fields.get(name) is not None and fields[name] < 0:
            raise ValidationError({name: "Beløbet kan ikke være negativt."})
    row = OvoYear.objects.select_for_update().filter(year=year).first() or OvoYear(year=year)
    changed = [name for name, value in fields.items() if getattr(row, name) != value]
    for name, value in fields.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    if changed:
        audit_record(acting_user=acting_user, action="ovo_year.save", obj=row, fields=changed)
    return row
