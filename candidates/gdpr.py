"""GDPR: everything held about one candidate (right of access), and anonymisation after the
retention period (storage limitation).

Anonymisation keeps the anonymous facts the statistics are made of - courses, places,
dates, hours, attendance, outcomes, follow-ups, benefit, matchgruppe, education, barriers -
and removes what identifies the person or describes them in words: name, CPR number,
contact, wishes and every free-text note (referrals, follow-up notes, goals, extensions,
mentors' progress notes, attendance flags). The birth date keeps its year and month (the
1st of the month) unless that would move a course across the under-25 line.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from audit.selectors import audit_events_for_candidate
from audit.services import audit_record

from .attendance import readers as attendance_readers
from .models import (
    UNGE_AGE_LIMIT,
    Candidate,
    Course,
    CourseHours,
    Extension,
    FollowUpNote,
    Goal,
    Referral,
)

ERASED = "(anonymiseret)"


# --- Right of access ------------------------------------------------------------------------


def _plain(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if hasattr(value, "as_tuple"):  # Decimal
        return str(value)
    return value


def rows_plain(queryset, fields: list[str]) -> list[dict]:
    """The rows of `queryset` as JSON-ready dicts of `fields`."""
    return [{f: _plain(v) for f, v in row.items()} for row in queryset.values(*fields)]


def candidate_personal_data(*, candidate: Candidate) -> dict:
    """Everything the jobcentre holds about one candidate, as plain JSON-ready data.

    A fixed number of queries whatever the number of courses (one per table).
    """
    courses = Course.objects.filter(candidate=candidate)
    return {
        "kandidat": {
            "id": candidate.pk,
            "navn": candidate.name,
            "cpr": candidate.cpr,
            "foedselsdato": _plain(candidate.birth_date),
            "telefon": candidate.phone,
            "email": candidate.email,
            "ydelse": candidate.get_benefit_display(),
            "over_1_aar_paa_ydelse": candidate.on_benefit_over_1_year,
            "matchgruppe": candidate.matchgruppe,
            "uddannelse": candidate.get_education_display(),
            "aar_paa_arbejdsmarkedet": candidate.get_labour_market_years_display(),
            "barrierer": candidate.barrier_labels,
            "oensker": candidate.wishes,
            "oprettet": _plain(candidate.created_at),
        },
        "henvisninger": rows_plain(
            Referral.objects.filter(candidate=candidate).order_by("referred_on"),
            ["referred_on", "reason", "wishes", "status", "closed_on"],
        ),
        "forloeb": rows_plain(
            courses.order_by("start"),
            [
                "id",
                "contract__centre__name",
                "place__number",
                "start",
                "planned_end",
                "end",
                "legal_frame",
                "goals",
                "outcome",
                "self_supporting_4w",
                "self_supporting_13w",
                "self_supporting_26w",
            ],
        ),
        "timer": rows_plain(
            CourseHours.objects.filter(course__in=courses).order_by("course", "valid_from"),
            ["course_id", "valid_from", "hours_per_week"],
        ),
        "maal": rows_plain(
            Goal.objects.filter(course__in=courses).order_by("course", "pk"),
            ["course_id", "text", "progress"],
        ),
        "forlaengelser": rows_plain(
            Extension.objects.filter(course__in=courses).order_by("course", "pk"),
            ["course_id", "previous_planned_end", "new_planned_end", "reason"],
        ),
        "opfoelgningsnotater": rows_plain(
            FollowUpNote.objects.filter(course__in=courses).order_by("course", "pk"),
            ["course_id", "date", "text"],
        ),
        # The mentors' attendance, progress notes and alerts (mentors/gdpr.py).
        **attendance_readers.personal_data(courses=courses),
        "adgangslog": rows_plain(
            audit_events_for_candidate(candidate_id=candidate.pk).order_by("at"),
            ["at", "actor_role", "action", "purpose"],
        ),
    }


# --- Retention ------------------------------------------------------------------------------


def candidates_due_for_anonymisation(*, today: date):
    """Candidates whose last course ended more than the retention ago, none running; and
    candidates never placed whose last referral (or registration) is that old."""
    years = settings.CANDIDATE_RETENTION_YEARS
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    running = Course.objects.filter(candidate=OuterRef("pk"), end__isnull=True)
    any_course = Course.objects.filter(candidate=OuterRef("pk"))
    recent_referral = Referral.objects.filter(candidate=OuterRef("pk"), referred_on__gte=cutoff)
    return (
        Candidate.objects.filter(anonymised_at__isnull=True)
        .annotate(last_end=Max("courses__end"))
        .exclude(Exists(running))
        .filter(
            Q(Exists(any_course), last_end__lt=cutoff)
            | Q(~Exists(any_course), ~Exists(recent_referral), created_at__date__lt=cutoff)
        )
    )


def _coarse_birth_date(candidate: Candidate, course_starts: list[date]) -> date:
    coarse = candidate.birth_date.replace(day=1)

    def young(born: date, day: date) -> bool:
        age = day.year - born.year - ((day.month, day.day) < (born.month, born.day))
        return age < UNGE_AGE_LIMIT

    if any(young(coarse, s) != young(candidate.birth_date, s) for s in course_starts):
        return candidate.birth_date
    return coarse


@dataclass
class AnonymisationResult:
    candidate_ids: list[int] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.candidate_ids)


@transaction.atomic
def candidates_anonymise(*, candidate_ids: list[int], acting_user=None) -> AnonymisationResult:
    """Erase the identifying data of the given candidates (idempotent: the anonymised are
    skipped). One UPDATE per related table, whatever the number of candidates."""
    candidates = list(
        Candidate.objects.select_for_update()
        .filter(pk__in=candidate_ids, anonymised_at__isnull=True)
        .order_by("pk")
    )
    result = AnonymisationResult()
    if not candidates:
        return result
    ids = [c.pk for c in candidates]
    starts: dict[int, list[date]] = {}
    for candidate_id, start in Course.objects.filter(candidate_id__in=ids).values_list(
        "candidate_id", "start"
    ):
        starts.setdefault(candidate_id, []).append(start)
    now = timezone.now()
    for candidate in candidates:
        candidate.birth_date = _coarse_birth_date(candidate, starts.get(candidate.pk, []))
        candidate.name = f"Anonymiseret kandidat {candidate.pk}"
        candidate.cpr = candidate.cpr_hmac = None
        candidate.phone = candidate.email = candidate.wishes = ""
        candidate.anonymised_at = now
        candidate.updated_at = now  # the API's changed-since: bulk_update runs no auto_now
    # bulk_update writes the attributes as they are (no pre_save): the index goes with them.
    Candidate.objects.bulk_update(
        candidates,
        [
            "birth_date",
            "name",
            "cpr",
            "cpr_hmac",
            "phone",
            "email",
            "wishes",
            "anonymised_at",
            "updated_at",
        ],
    )
    courses = Course.objects.filter(candidate_id__in=ids)
    Referral.objects.filter(candidate_id__in=ids).update(reason=ERASED, wishes="")
    courses.update(goals="")
    Goal.objects.filter(course__in=courses).update(text=ERASED)
    Extension.objects.filter(course__in=courses).update(reason=ERASED)
    FollowUpNote.objects.filter(course__in=courses).update(text=ERASED)
    attendance_readers.erase(courses=courses)
    for candidate in candidates:
        audit_record(
            acting_user=acting_user,
            action="candidate.anonymise",
            obj=candidate,
            fields=["name", "cpr", "phone", "email", "wishes", "birth_date", "notes"],
        )
    result.candidate_ids = ids
    return result
