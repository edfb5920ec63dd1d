"""Writes on candidates and courses: the rules of a candidate's way through a centre."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from audit.services import audit_record
from centers.models import Place
from codes import clock
from codes.cpr import CPR_INVALID_MESSAGE, cpr_birth_date, cpr_normalise
from codes.lab import rules_version_on
from codes.lists import TargetGroup
from contracts.models import Contract
from contracts.services import staff_ratio_check

from . import rules
from .cpr_crypto import cpr_hmac
from .models import (
    Barrier,
    Benefit,
    Candidate,
    Course,
    CourseHours,
    Extension,
    FollowUpNote,
    Goal,
    LegalFrame,
    Outcome,
    Referral,
    TargetGroupChange,
)
from .selectors import place_free_from


def _course_integrity_error(exc: IntegrityError) -> ValidationError:
    """Translate the database's last-line refusals into the Danish message a user reads."""
    text = str(exc)
    if "course_one_per_place_at_a_time" in text:
        return ValidationError("Pladsen er optaget i den periode.")
    if "course_one_per_candidate_at_a_time" in text:
        return ValidationError("Kandidaten er allerede i et forløb i den periode.")
    if "course_within_contract" in text:
        return ValidationError("Forløbet skal ligge inden for kontraktens periode.")
    return ValidationError("Forløbet kunne ikke gemmes: det strider mod en regel i databasen.")


@transaction.atomic
def course_start(
    *,
    candidate,
    contract: Contract,
    start: date,
    hours_per_week: Decimal,
    acting_user,
    legal_frame: str = LegalFrame.VIRKSOMHEDSPRAKTIK,
    goals: str = "",
    place: Place | None = None,
    target_group: str | None = None,
) -> Course:
    """Start a course in a free place of the contract (chosen automatically unless given).

    The rules version in force on the start day (codes.lab) and the candidate's target group
    decide the first period (LAB § 61: 4 weeks for dagpenge and job-ready recipients, 13 for
    the others); both are stored on the course. A `target_group` given here (the visitation
    form) is recorded on the candidate from the start day first; without one the
    candidate's current group applies, and "ikke angivet" is refused. The planned end is the
    contract's normal length within that period (rules.normal_planned_end): a longer course
    is an extension (course_extend), whatever the contract's course_weeks says. Raises
    ValidationError (Danish) when the start is outside the contract, the target group is
    missing, the hours are out of bounds, the candidate is already in a course, or no place
    is free.
    """
    if not contract.covers(start):
        raise ValidationError(
            f"Startdatoen skal ligge i kontraktens periode "
            f"({contract.start:%d.%m.%Y}-{contract.end:%d.%m.%Y})."
        )
    group = target_group or candidate.target_group
    problem = rules.target_group_problem(group)
    if problem:
        raise ValidationError({"target_group": problem})
    version = rules_version_on(start)
    limits = rules.course_limits(version=version, target_group=group, legal_frame=legal_frame)
    problem = rules.hours_problem(
        hours_per_week=hours_per_week, legal_frame=legal_frame, max_hours=limits.max_hours_per_week
    )
    if problem:
        raise ValidationError(problem)
    if (
        candidate.courses.filter(end__isnull=True).exists()
        or candidate.courses.filter(end__gte=start).exists()
    ):
        raise ValidationError(f"{candidate} er allerede i et forløb.")
    staff_ratio_check(
        centre=contract.centre,
        day=start,
        adding=1,
        asking="et nyt forløb kan ikke starte",
        needs_statement=True,
        today=clock.today(),
    )
    # Lock the contract's places so two consultants cannot take the same free place.
    list(Place.objects.select_for_update().filter(contract=contract))
    if place is None:
        place = place_free_from(contract=contract, day=start, today=clock.today())
        if place is None:
            raise ValidationError(
                f"Der er ingen ledig plads i {contract.centre} fra {start:%d.%m.%Y}."
            )
    planned_end = rules.normal_planned_end(
        start=start,
        contract_weeks=contract.course_weeks,
        contract_end=contract.end,
        max_weeks=limits.initial_weeks,
    )
    if group != candidate.target_group:
        candidate_set_target_group(
            candidate=candidate,
            target_group=group,
            valid_from=start,
            acting_user=acting_user,
            source=TargetGroupChange.Source.VISITATION,
        )
    try:
        with transaction.atomic():
            course = Course.objects.create(
                candidate=candidate,
                contract=contract,
                place=place,
                start=start,
                planned_end=planned_end,
                legal_frame=legal_frame,
                goals=goals,
                target_group=group,
                rules_version=version.id if version else "",
            )
    except IntegrityError as exc:
        raise _course_integrity_error(exc) from exc
    CourseHours.objects.create(course=course, valid_from=start, hours_per_week=hours_per_week)
    audit_record(acting_user=acting_user, action="course.start", obj=course)
    return course


@transaction.atomic
def course_change_hours(
    *, course: Course, valid_from: date, hours_per_week: Decimal, acting_user
) -> CourseHours:
    """Record new weekly hours from a date (a ramp-up step)."""
    if valid_from < course.start or (course.end and valid_from > course.end):
        raise ValidationError("Datoen skal ligge i forløbet.")
    problem = rules.hours_problem(
        hours_per_week=hours_per_week,
        legal_frame=course.legal_frame,
        max_hours=course.limits.max_hours_per_week,
    )
    if problem:
        raise ValidationError(problem)
    row, _created = CourseHours.objects.update_or_create(
        course=course, valid_from=valid_from, defaults={"hours_per_week": hours_per_week}
    )
    audit_record(acting_user=acting_user, action="course.hours", obj=course, fields=["hours"])
    return row


def _successor_check(*, course: Course, last_day: date, doing: str) -> None:
    """A course booked in the same place after this one (visitation books a place from the
    day after the planned end) bounds this one's last day: refuse, saying until when."""
    successor = (
        Course.objects.filter(place_id=course.place_id, start__gt=course.start)
        .order_by("start")
        .first()
    )
    if successor is not None and last_day >= successor.start:
        until = successor.start - timedelta(days=1)
        raise ValidationError(
            f"Pladsen er booket til et nyt forløb fra {successor.start:%d.%m.%Y}, så forløbet "
            f"kan højst {doing} {until:%d.%m.%Y}."
        )


@transaction.atomic
def course_extend(
    *,
    course: Course,
    new_planned_end: date,
    reason: str,
    representatives_consulted_on: date | None,
    acting_user,
    very_special_need: str = "",
) -> Extension:
    """Extend a running course within the limits of its target group and rules version
    (Course.limits, rules.extension_problem): never for a 4-week group beyond its 4 weeks;
    a reason always; beyond 13 (or 26) weeks the date the employees' representatives were
    consulted; beyond 26 weeks a very special need in its own field, 13 weeks at a time."""
    if course.end is not None:
        raise ValidationError("Et afsluttet forløb kan ikke forlænges.")
    if new_planned_end <= course.planned_end:
        raise ValidationError("Den nye slutdato skal ligge efter den nuværende planlagte slut.")
    if new_planned_end > course.contract.end:
        raise ValidationError(
            f"Forløbet kan ikke forlænges ud over kontraktens slutdato "
            f"{course.contract.end:%d.%m.%Y}."
        )
    problem = rules.extension_problem(
        start=course.start,
        planned_end=new_planned_end,
        reason=reason,
        consulted_on=representatives_consulted_on,
        limits=course.limits,
        current_planned_end=course.planned_end,
        very_special_need=very_special_need,
    )
    if problem:
        raise ValidationError(problem)
    _successor_check(course=course, last_day=new_planned_end, doing="forlænges til og med")
    extension = Extension.objects.create(
        course=course,
        previous_planned_end=course.planned_end,
        new_planned_end=new_planned_end,
        reason=reason.strip(),
        representatives_consulted_on=representatives_consulted_on,
        very_special_need=(very_special_need or "").strip(),
        created_by=acting_user,
    )
    course.planned_end = new_planned_end
    course.save(update_fields=["planned_end"])
    audit_record(
        acting_user=acting_user, action="course.extend", obj=course, fields=["planned_end"]
    )
    return extension


@transaction.atomic
def course_end(*, course: Course, end: date, outcome: str, acting_user) -> Course:
    """End a course with an udslusning code; its place is free from the next day.

    Raises ValidationError if the outcome code is unknown, end is before start or after the
    contract's end, or the course has already ended.
    """
    if course.end is not None:
        raise ValidationError("Forløbet er allerede afsluttet.")
    if outcome not in Outcome.values:
        raise ValidationError(f"Ukendt udslusningskode: {outcome}.")
    if end < course.start:
        raise ValidationError("Slutdatoen ligger før forløbets start.")
    if end > course.contract.end:
        raise ValidationError("Slutdatoen ligger efter kontraktens udløb.")
    _successor_check(course=course, last_day=end, doing="slutte den")
    course.end = end
    course.outcome = outcome
    if course.planned_end > end:
        course.planned_end = max(end, course.start)
    try:
        with transaction.atomic():
            course.save(update_fields=["end", "outcome", "planned_end"])
    except IntegrityError as exc:
        raise _course_integrity_error(exc) from exc
    audit_record(
        acting_user=acting_user, action="course.end", obj=course, fields=["end", "outcome"]
    )
    return course


@transaction.atomic
def course_record_follow_up(
    *, course: Course, weeks: int, self_supporting: bool, today: date, acting_user
) -> Course:
    """Record whether the person is self-supporting 4, 13 or 26 weeks after the course."""
    if weeks not in rules.FOLLOW_UP_WEEKS:
        raise ValidationError("Opfølgning sker efter 4, 13 eller 26 uger.")
    due = course.follow_up_due_on(weeks)
    if due is None:
        raise ValidationError("Opfølgning kan først registreres, når forløbet er afsluttet.")
    if today < due:
        raise ValidationError(f"Opfølgningen efter {weeks} uger falder først den {due:%d.%m.%Y}.")
    field = f"self_supporting_{weeks}w"
    setattr(course, field, self_supporting)
    course.save(update_fields=[field])
    audit_record(acting_user=acting_user, action="course.follow_up", obj=course, fields=[field])
    return course


CANDIDATE_EDITABLE_FIELDS = (
    "name",
    "phone",
    "email",
    "benefit",
    "on_benefit_over_1_year",
    "matchgruppe",
    "education",
    "labour_market_years",
    "barriers",
    "wishes",
)


@transaction.atomic
def candidate_create(*, cpr: str, name: str, benefit: str, acting_user, **fields) -> Candidate:
    """Register a candidate. The birth date follows from the CPR number.

    Raises ValidationError (Danish) when the CPR number is invalid or already registered:
    one person is one candidate, never a duplicate.
    """
    cpr = cpr_normalise(cpr)
    birth_date = cpr_birth_date(cpr)
    if birth_date is None:
        raise ValidationError({"cpr": CPR_INVALID_MESSAGE})
    if Candidate.objects.filter(cpr_hmac=cpr_hmac(cpr)).exists():
        raise ValidationError({"cpr": "Der findes allerede en kandidat med dette CPR-nummer."})
    if not (name or "").strip():
        raise ValidationError({"name": "Navnet skal udfyldes."})
    if benefit not in Benefit.values:
        raise ValidationError({"benefit": "Vælg en ydelse fra listen."})
    unknown = [b for b in fields.get("barriers") or [] if b not in Barrier.values]
    if unknown:
        raise ValidationError({"barriers": f"Ukendte barrierer: {', '.join(unknown)}."})
    extra = {k: v for k, v in fields.items() if k in CANDIDATE_EDITABLE_FIELDS}
    candidate = Candidate(
        cpr=cpr, name=name.strip(), benefit=benefit, birth_date=birth_date, **extra
    )
    candidate.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:  # a colleague registered the same CPR a moment ago
        raise ValidationError(
            {"cpr": "Der findes allerede en kandidat med dette CPR-nummer."}
        ) from exc
    audit_record(acting_user=acting_user, action="candidate.create", obj=candidate)
    return candidate


@transaction.atomic
def candidate_set_target_group(
    *,
    candidate: Candidate,
    target_group: str,
    valid_from: date,
    acting_user,
    source: str = TargetGroupChange.Source.REGISTRERET,
) -> TargetGroupChange:
    """Record the candidate's target group (LAB § 6) from a date, keeping the history.

    The current group (Candidate.target_group) is the one of the latest valid_from; a change
    dated before a later one only fills in the history. Raises ValidationError (Danish) for
    an unknown code or "ikke angivet" (the history records a known group).
    """
    if target_group not in TargetGroup.values or target_group == TargetGroup.IKKE_ANGIVET:
        raise ValidationError({"target_group": "Vælg en målgruppe fra listen."})
    change = TargetGroupChange.objects.create(
        candidate=candidate,
        target_group=target_group,
        valid_from=valid_from,
        source=source,
        created_by=acting_user,
    )
    latest = candidate.target_group_changes.order_by("-valid_from", "-id").first()
    if latest is not None and candidate.target_group != latest.target_group:
        candidate.target_group = latest.target_group
        candidate.save(update_fields=["target_group"])
    audit_record(
        acting_user=acting_user,
        action="candidate.target_group",
        obj=candidate,
        fields=["target_group"],
    )
    return change


@transaction.atomic
def candidate_update(*, candidate: Candidate, acting_user, **fields) -> Candidate:
    """Change a candidate's contact and profile fields (never the CPR number).

    Only fields that differ are written; the audit event names them ("candidate.update").
    Raises ValidationError (Danish) for a field that cannot be changed here, an empty name,
    an unknown benefit or barrier; nothing is changed then.
    """
    changed = []
    if "name" in fields:
        fields["name"] = (fields["name"] or "").strip()
        if not fields["name"]:
            raise ValidationError({"name": "Navnet skal udfyldes."})
    if "benefit" in fields and fields["benefit"] not in Benefit.values:
        raise ValidationError({"benefit": "Vælg en ydelse fra listen."})
    unknown = [b for b in fields.get("barriers") or [] if b not in Barrier.values]
    if unknown:
        raise ValidationError({"barriers": f"Ukendte barrierer: {', '.join(unknown)}."})
    for field, value in fields.items():
        if field not in CANDIDATE_EDITABLE_FIELDS:
            raise ValidationError(f"Feltet {field} kan ikke ændres her.")
        if getattr(candidate, field) != value:
            setattr(candidate, field, value)
            changed.append(field)
    if not changed:
        return candidate
    candidate.full_clean(validate_unique=False, validate_constraints=False)
    candidate.save(update_fields=changed)
    audit_record(acting_user=acting_user, action="candidate.update", obj=candidate, fields=changed)
    return candidate


@transaction.atomic
def referral_create(
    *, candidate: Candidate, reason: str, wishes: str, referred_on: date, acting_user
) -> Referral:
    """Refer a candidate to the venteliste with the reason and the candidate's wishes.

    Refused when the candidate already waits or is in a running course.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": "Angiv begrundelsen for henvisningen."})
    if Referral.objects.filter(candidate=candidate, status=Referral.Status.VENTER).exists():
        raise ValidationError(f"{candidate} står allerede på ventelisten.")
    if candidate.courses.filter(end__isnull=True).exists():
        raise ValidationError(f"{candidate} er allerede i et forløb.")
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                candidate=candidate,
                referred_on=referred_on,
                reason=reason.strip(),
                wishes=(wishes or "").strip(),
                created_by=acting_user,
            )
    except IntegrityError as exc:
        raise ValidationError(f"{candidate} står allerede på ventelisten.") from exc
    audit_record(acting_user=acting_user, action="referral.create", obj=referral)
    return referral


@transaction.atomic
def candidate_refer_by_cpr(
    *,
    cpr: str,
    reason: str,
    wishes: str,
    referred_on: date,
    acting_user,
    new_only: bool = False,
    **candidate_fields,
) -> tuple[Referral, bool]:
    """Refer the person with this CPR number to the venteliste, registering them first when
    they are not yet a candidate (then `candidate_fields` - name, benefit, ... - are needed).

    Both or nothing: a refused referral leaves no new candidate behind. `new_only` (the
    registration form, where the person was looked up as new) refuses a CPR number that was
    registered in the meantime. Returns the referral and whether the candidate was created.
    Raises ValidationError (Danish) as candidate_create and referral_create do.
    """
    existing = None if new_only else Candidate.objects.filter(cpr_hmac=cpr_hmac(cpr)).first()
    if existing is None and not (
        (candidate_fields.get("name") or "").strip() and candidate_fields.get("benefit")
    ):
        raise ValidationError(
            {"name": "Personen er ikke registreret som kandidat: angiv navn og ydelse."}
        )
    # A new candidate's wishes are those of the referral (one field on the form).
    candidate = existing or candidate_create(
        cpr=cpr, acting_user=acting_user, **({"wishes": wishes} | candidate_fields)
    )
    referral = referral_create(
        candidate=candidate,
        reason=reason,
        wishes=wishes,
        referred_on=referred_on,
        acting_user=acting_user,
    )
    return referral, existing is None


@transaction.atomic
def referral_withdraw(*, referral: Referral, today: date, acting_user) -> Referral:
    """Take a candidate off the venteliste without a course."""
    if referral.status != Referral.Status.VENTER:
        raise ValidationError("Kun en ventende henvisning kan tilbagekaldes.")
    referral.status = Referral.Status.TILBAGEKALDT
    referral.closed_on = today
    referral.save(update_fields=["status", "closed_on"])
    audit_record(
        acting_user=acting_user,
        action="referral.withdraw",
        obj=referral,
        fields=["status", "closed_on"],
    )
    return referral


@transaction.atomic
def referral_place(
    *,
    referral: Referral,
    contract: Contract,
    start: date,
    hours_per_week: Decimal,
    acting_user,
    legal_frame: str = LegalFrame.VIRKSOMHEDSPRAKTIK,
    target_group: str | None = None,
) -> Course:
    """Visitation: start a course for a waiting candidate in a free place of the contract,
    and take the candidate off the venteliste. Errors as course_start."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.VENTER:
        raise ValidationError("Kandidaten står ikke længere på ventelisten.")
    if contract.centre.requires_clean_record and (
        Barrier.KRIMINALITET in referral.candidate.barriers
    ):
        raise ValidationError(f"{contract.centre} kræver ren straffeattest.")
    course = course_start(
        candidate=referral.candidate,
        contract=contract,
        start=start,
        hours_per_week=hours_per_week,
        legal_frame=legal_frame,
        acting_user=acting_user,
        target_group=target_group,
    )
    referral.status = Referral.Status.VISITERET
    referral.course = course
    referral.closed_on = start
    referral.save(update_fields=["status", "course", "closed_on"])
    audit_record(
        acting_user=acting_user,
        action="referral.place",
        obj=referral,
        fields=["status", "course", "closed_on"],
    )
    return course


@transaction.atomic
def goal_create(*, course: Course, text: str, acting_user, parent: Goal | None = None) -> Goal:
    """Add a goal (mål) or, with a parent, a sub-goal (delmål) to a course."""
    if not (text or "").strip():
        raise ValidationError({"text": "Skriv målet."})
    if parent is not None and (parent.course_id != course.pk or parent.parent_id is not None):
        raise ValidationError({"parent": "Et delmål skal høre under et hovedmål i samme forløb."})
    goal = Goal.objects.create(course=course, parent=parent, text=text.strip()[:300])
    audit_record(acting_user=acting_user, action="goal.create", obj=goal)
    return goal


@transaction.atomic
def goal_set_progress(*, goal: Goal, progress: int, acting_user) -> Goal:
    """Mark a goal's progression (0 not started .. 3 reached)."""
    if progress not in Goal.Progress.values:
        raise ValidationError({"progress": "Ukendt progression."})
    if goal.progress != progress:
        goal.progress = progress
        goal.save(update_fields=["progress"])
        audit_record(acting_user=acting_user, action="goal.progress", obj=goal, fields=["progress"])
    return goal


@transaction.atomic
def follow_up_note_create(
    *, course: Course, noted_on: date, text: str, today: date, acting_user
) -> FollowUpNote:
    """Write a follow-up note on a course (dated within the course, never in the future)."""
    if not (text or "").strip():
        raise ValidationError({"text": "Skriv notatet."})
    if noted_on > today:
        raise ValidationError({"date": "Et notat kan ikke dateres ud i fremtiden."})
    if noted_on < course.start:
        raise ValidationError({"date": "Notatets dato ligger før forløbets start."})
    note = FollowUpNote.objects.create(
        course=course, date=noted_on, text=text.strip(), created_by=acting_user
    )
    audit_record(acting_user=acting_user, action="note.create", obj=note)
    return note
