"""Kandidat (a citizen in job training) and Forløb (a course: one candidate in one place)."""

from datetime import date

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import ArrayField, DateRangeField, RangeOperators
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.functions import Coalesce, Upper
from django.utils.translation import gettext_lazy as _

from centers.models import ImportRefMixin
from codes.lab import rules_version_by_id

# The code lists live in the ground floor (codes/); these names stay importable from here.
from codes.lists import (  # noqa: F401 - re-exported for older imports
    DIRECT_SUCCESS_OUTCOMES,
    Barrier,
    Benefit,
    Education,
    LabourMarketYears,
    LegalFrame,
    Outcome,
    TargetGroup,
    codes,
)
from codes.tracking import ChangeTracked
from contracts import rules as place_rules

from . import rules
from .cpr_crypto import CprHmacField, EncryptedCprField
from .rules import FOLLOW_UP_WEEKS, UNGE_AGE_LIMIT  # noqa: F401 - re-exported
from .validators import cpr_masked, validate_cpr


class Candidate(ChangeTracked, ImportRefMixin):
    # What a list of candidates leaves out: the encrypted number (see cpr_masked).
    LIST_DEFERRED = ("cpr",)
    # What the candidate list's rows show (cpr_masked reads birth_date and cpr_hmac).
    LIST_COLUMNS = ("name", "birth_date", "cpr_hmac", "benefit")

    # Encrypted at rest; found and kept unique by its blind index (candidates/cpr_crypto.py).
    # Both are emptied when the candidate is anonymised (GDPR retention, audit/gdpr.py).
    cpr = EncryptedCprField(_("CPR-nummer"), null=True, validators=[validate_cpr])
    cpr_hmac = CprHmacField(_("CPR-indeks"), unique=True, null=True)
    name = models.CharField(_("navn"), max_length=200)
    birth_date = models.DateField(_("fødselsdato"))
    phone = models.CharField(_("telefon"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    benefit = models.CharField(_("ydelse"), max_length=20, choices=Benefit.choices)
    on_benefit_over_1_year = models.BooleanField(
        _("på offentlig forsørgelse over 1 år"), default=False
    )
    matchgruppe = models.PositiveSmallIntegerField(_("matchgruppe"), null=True, blank=True)
    # The current target group (LAB § 6); its history is TargetGroupChange. "ikke angivet"
    # until known: the course start asks for it (the durations of LAB § 61 depend on it).
    target_group = models.CharField(
        _("målgruppe"),
        max_length=40,
        choices=TargetGroup.choices,
        default=TargetGroup.IKKE_ANGIVET,
    )
    education = models.CharField(
        _("uddannelse"), max_length=40, choices=Education.choices, blank=True
    )
    labour_market_years = models.CharField(
        _("år på arbejdsmarkedet"), max_length=10, choices=LabourMarketYears.choices, blank=True
    )
    barriers = ArrayField(
        models.CharField(max_length=20, choices=Barrier.choices),
        verbose_name=_("barrierer"),
        default=list,
        blank=True,
    )
    wishes = models.TextField(_("ønsker til arbejde"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # Set when name, CPR, contact and notes were erased; the anonymous facts stay.
    anonymised_at = models.DateTimeField(_("anonymiseret"), null=True, blank=True)
    # Changed-since filtering of the integration API (api/): bumped by every save(), also
    # with update_fields (codes.tracking.ChangeTracked).
    updated_at = models.DateTimeField(_("ændret"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("kandidat")
        verbose_name_plural = _("kandidater")
        ordering = ["name"]
        # The candidate list's sort orders (candidates/filters.py), each ending in the key
        # the list pages by (documents/paging.py); read backwards for the descending ones.
        indexes = [
            models.Index(fields=["name", "id"], name="candidate_name_id"),
            models.Index(fields=["birth_date", "id"], name="candidate_birth_date_id"),
            models.Index(fields=["created_at", "id"], name="candidate_created_id"),
            # The search's "name contains" (icontains: UPPER(name) LIKE UPPER('%...%')) found
            # by trigrams (pg_trgm) instead of reading every name.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="candidate_name_trgm"),
        ]
        constraints = [
            # A CPR number (its index) until the candidate is anonymised, none after.
            models.CheckConstraint(
                condition=Q(anonymised_at__isnull=True, cpr_hmac__regex=r"^[0-9a-f]{64}$")
                | Q(anonymised_at__isnull=False, cpr_hmac__isnull=True, cpr__isnull=True),
                name="candidate_cpr_hmac_hex",
            ),
            models.CheckConstraint(
                condition=Q(matchgruppe__isnull=True) | Q(matchgruppe__range=(1, 5)),
                name="candidate_matchgruppe_1_5",
            ),
            models.CheckConstraint(
                condition=Q(benefit__in=codes(Benefit)), name="candidate_benefit_code"
            ),
            models.CheckConstraint(
                condition=Q(barriers__contained_by=codes(Barrier)), name="candidate_barrier_codes"
            ),
            models.CheckConstraint(
                condition=Q(target_group__in=codes(TargetGroup)),
                name="candidate_target_group_code",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def cpr_masked(self) -> str:
        """DDMMYY-XXXX. A list loads the candidate without `cpr` (LIST_DEFERRED): the six
        digits shown are the birth date the number encodes (every write sets `birth_date`
        from the number, the import refuses one that differs), so no number is decrypted
        for a row that shows none of it (issue 24). None left (anonymised): all X."""
        if "cpr" in self.get_deferred_fields():
            return self.cpr_masked_of(self.birth_date, self.cpr_hmac)
        return cpr_masked(self.cpr or "")

    @staticmethod
    def cpr_masked_of(birth_date, cpr_hmac) -> str:
        """`cpr_masked` of a row read as plain values (birth date and blind index), the
        number not read: DDMMYY-XXXX, all X when the number is gone."""
        return cpr_masked(f"{birth_date:%d%m%y}XXXX" if cpr_hmac else "")

    @property
    def barrier_labels(self) -> list[str]:
        labels = dict(Barrier.choices)
        return [str(labels.get(b, b)) for b in self.barriers]

    def age_on(self, day: date) -> int:
        return rules.age_on(birth_date=self.birth_date, day=day)


class DateRange(Func):
    """daterange(start, end, '[]'); an open end (NULL) runs on until the course is ended."""

    function = "daterange"
    output_field = DateRangeField()


class Course(ChangeTracked, ImportRefMixin):
    candidate = models.ForeignKey(
        Candidate, verbose_name=_("kandidat"), on_delete=models.PROTECT, related_name="courses"
    )
    contract = models.ForeignKey(
        "contracts.Contract",
        verbose_name=_("kontrakt"),
        on_delete=models.PROTECT,
        related_name="courses",
    )
    place = models.ForeignKey(
        "centers.Place", verbose_name=_("plads"), on_delete=models.PROTECT, related_name="courses"
    )
    start = models.DateField(_("start"))
    planned_end = models.DateField(_("planlagt slut"))
    end = models.DateField(_("faktisk slut"), null=True, blank=True)
    legal_frame = models.CharField(
        _("lovgrundlag"),
        max_length=40,
        choices=LegalFrame.choices,
        default=LegalFrame.VIRKSOMHEDSPRAKTIK,
    )
    goals = models.TextField(_("mål"), blank=True)
    # The target group and rules version (codes.lab) the course started under: its limits
    # come from them, whatever later changes. Empty for courses started before they were
    # recorded (they keep the concept's 13/26 weeks, rules.CONCEPT_LIMITS).
    target_group = models.CharField(
        _("målgruppe ved start"), max_length=40, choices=TargetGroup.choices, blank=True
    )
    rules_version = models.CharField(_("regelversion"), max_length=20, blank=True)
    outcome = models.CharField(
        _("udslusning"), max_length=30, choices=Outcome.choices, null=True, blank=True
    )
    self_supporting_4w = models.BooleanField(
        _("selvforsørgende efter 4 uger"), null=True, blank=True
    )
    self_supporting_13w = models.BooleanField(
        _("selvforsørgende efter 13 uger"), null=True, blank=True
    )
    self_supporting_26w = models.BooleanField(
        _("selvforsørgende efter 26 uger"), null=True, blank=True
    )
    # The date of the course's latest follow-up note (None: none yet), kept by a trigger
    # on the notes (migration 0011) whatever writes them: the due list's "no note for
    # NOTE_INTERVAL_DAYS" and the course list read it instead of every course's notes.
    last_note_on = models.DateField(_("seneste notat"), null=True, editable=False)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # Changed-since filtering of the integration API (api/): bumped by every save(), also
    # with update_fields (codes.tracking.ChangeTracked).
    updated_at = models.DateTimeField(_("ændret"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("forløb")
        verbose_name_plural = _("forløb")
        ordering = ["-start"]
        # The course list's order (newest first, paged by key: documents/paging.py).
        # The running courses (the due list, the mentor's day, occupancy) and the ended
        # ones by end date (the follow-ups 4, 13 and 26 weeks after): no scan of ten years.
        indexes = [
            models.Index(fields=["start", "id"], name="course_start_id"),
            # It carries the columns the due list, the staff-ratio headroom and the places
            # held on a day read of each running course, so they read no table row
            # (Copenhagen's 2,400 running courses: 2,480 buffers -> 21, issue 24).
            models.Index(
                fields=["start"],
                condition=Q(end__isnull=True),
                name="course_running",
                include=["id", "candidate", "contract", "place", "planned_end", "last_note_on"],
            ),
            # A candidate's running course (the candidate list's state and centre per row):
            # the planner took the GiST no-overlap index for it, a slow probe per row.
            models.Index(
                fields=["candidate"], condition=Q(end__isnull=True), name="course_running_candidate"
            ),
            models.Index(fields=["end"], condition=Q(end__isnull=False), name="course_ended_end"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__gte=F("start")), name="course_planned_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=F("start")),
                name="course_end_after_start",
            ),
            # A course ends with an outcome code, and only an ended course has one.
            models.CheckConstraint(
                condition=Q(end__isnull=True, outcome__isnull=True)
                | Q(end__isnull=False, outcome__isnull=False, outcome__in=codes(Outcome)),
                name="course_ended_with_outcome",
            ),
            models.CheckConstraint(
                condition=Q(legal_frame__in=codes(LegalFrame)), name="course_legal_frame_code"
            ),
            models.CheckConstraint(
                condition=Q(target_group="") | Q(target_group__in=codes(TargetGroup)),
                name="course_target_group_code",
            ),
            models.CheckConstraint(
                condition=Q(end__isnull=False)
                | Q(
                    self_supporting_4w__isnull=True,
                    self_supporting_13w__isnull=True,
                    self_supporting_26w__isnull=True,
                ),
                name="course_follow_up_only_after_end",
            ),
            # A place holds at most one course at a time. A running course counts to its
            # planned end here, so the place can be booked from the day after
            # (contracts.rules.occupies); the services refuse extending or ending it past
            # a booked successor, and keep an overdue course's place held.
            ExclusionConstraint(
                name="course_one_per_place_at_a_time",
                expressions=[
                    ("place", RangeOperators.EQUAL),
                    (
                        DateRange("start", Coalesce("end", "planned_end"), Value("[]")),
                        RangeOperators.OVERLAPS,
                    ),
                ],
            ),
            # A candidate is in at most one course at a time.
            ExclusionConstraint(
                name="course_one_per_candidate_at_a_time",
                expressions=[
                    ("candidate", RangeOperators.EQUAL),
                    (DateRange("start", "end", Value("[]")), RangeOperators.OVERLAPS),
                ],
            ),
        ]

    def __str__(self):
        return f"{self.candidate} {self.start:%d.%m.%Y}"

    @property
    def is_running(self) -> bool:
        return self.end is None

    def weeks_on(self, day: date) -> int:
        """Course week number of `day`: days 1-7 are week 1."""
        return rules.week_number(start=self.start, day=day)

    def follow_up_due_on(self, weeks: int) -> date | None:
        return rules.follow_up_due_on(end=self.end, weeks=weeks)

    @property
    def rules_version_obj(self):
        """The codes.lab.RulesVersion the course started under, or None."""
        return rules_version_by_id(self.rules_version)

    @property
    def limits(self) -> rules.CourseLimits:
        """How long this course may run (rules.course_limits of its stored version/group)."""
        return rules.course_limits(
            version=self.rules_version_obj,
            target_group=self.target_group or None,
            legal_frame=self.legal_frame,
        )

    def occupies(self, first: date, last: date | None = None) -> bool:
        """Does the course hold its place on a day of first..last (rules.occupies)?"""
        return rules.occupies(start=self.start, end=self.end, first=first, last=last)

    @staticmethod
    def occupying_q(
        first: date, last: date | None = None, prefix: str = "", today: date | None = None
    ) -> Q:
        """The courses holding their place on a day of first..last (contracts.rules)."""
        return place_rules.occupying_q(first, last, prefix, today=today)


class CourseHours(models.Model):
    """Weekly hours from a date: a ramp-up such as 10 -> 20 -> 30 is three rows."""

    course = models.ForeignKey(
        Course, verbose_name=_("forløb"), on_delete=models.CASCADE, related_name="hours"
    )
    valid_from = models.DateField(_("gælder fra"))
    hours_per_week = models.DecimalField(_("timer pr. uge"), max_digits=4, decimal_places=1)

    class Meta:
        verbose_name = _("ugentlige timer")
        verbose_name_plural = _("ugentlige timer")
        ordering = ["course", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "valid_from"], name="course_hours_one_per_date"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0, hours_per_week__lte=60),
                name="course_hours_0_60",
            ),
        ]

    def __str__(self):
        return f"{self.hours_per_week} t/uge fra {self.valid_from:%d.%m.%Y}"


class Extension(models.Model):
    """Forlængelse: a new planned end beyond 13 (or 26) weeks, with its reason."""

    course = models.ForeignKey(
        Course, verbose_name=_("forløb"), on_delete=models.CASCADE, related_name="extensions"
    )
    previous_planned_end = models.DateField(_("tidligere planlagt slut"))
    new_planned_end = models.DateField(_("ny planlagt slut"))
    reason = models.TextField(_("begrundelse"))
    # Required by the service beyond 13 weeks; an extension within 13 weeks needs none.
    representatives_consulted_on = models.DateField(
        _("medarbejderrepræsentanter hørt den"), null=True, blank=True
    )
    # Beyond 26 weeks: the very special need (LAB § 61, stk. 2, 2. pkt.), apart from the
    # reason; required by the service there.
    very_special_need = models.TextField(_("helt særligt behov"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("oprettet af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("forlængelse")
        verbose_name_plural = _("forlængelser")
        ordering = ["course", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(new_planned_end__gt=F("previous_planned_end")),
                name="extension_moves_end_later",
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="extension_reason_required"),
        ]

    def __str__(self):
        return f"{self.course}: {self.new_planned_end:%d.%m.%Y}"


class TargetGroupChange(models.Model):
    """Målgruppe from a date: the history of a candidate's target group (the current one is
    Candidate.target_group). Recorded at visitation, on the candidate page, or by the
    migration that derived it from the benefit."""

    class Source(models.TextChoices):
        REGISTRERET = "registreret", _("Registreret")
        VISITATION = "visitation", _("Ved visitation")
        MIGRERING = "migrering", _("Afledt af ydelsen ved overgang")

    candidate = models.ForeignKey(
        Candidate,
        verbose_name=_("kandidat"),
        on_delete=models.CASCADE,
        related_name="target_group_changes",
    )
    target_group = models.CharField(_("målgruppe"), max_length=40, choices=TargetGroup.choices)
    valid_from = models.DateField(_("gælder fra"))
    source = models.CharField(
        _("kilde"), max_length=20, choices=Source.choices, default=Source.REGISTRERET
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registreret af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("målgruppeskift")
        verbose_name_plural = _("målgruppeskift")
        ordering = ["candidate", "-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_group__in=codes(TargetGroup)),
                name="target_group_change_code",
            ),
        ]

    def __str__(self):
        return f"{self.candidate}: {self.target_group} fra {self.valid_from:%d.%m.%Y}"


class Goal(models.Model):
    """Mål and delmål with progression marks, agreed for one course."""

    class Progress(models.IntegerChoices):
        NOT_STARTED = 0, _("Ikke påbegyndt")
        STARTED = 1, _("I gang")
        PROGRESS = 2, _("God fremgang")
        REACHED = 3, _("Nået")

    course = models.ForeignKey(
        Course, verbose_name=_("forløb"), on_delete=models.CASCADE, related_name="goal_set"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("hovedmål"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sub_goals",
    )
    text = models.CharField(_("mål"), max_length=300)
    progress = models.PositiveSmallIntegerField(
        _("progression"), choices=Progress.choices, default=Progress.NOT_STARTED
    )

    class Meta:
        verbose_name = _("mål")
        verbose_name_plural = _("mål")
        ordering = ["course", "parent_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__range=(0, 3)), name="goal_progress_0_3"),
        ]

    def __str__(self):
        return self.text


class ReferralStatus(models.TextChoices):
    VENTER = "venter", _("På venteliste")
    VISITERET = "visiteret", _("Visiteret til forløb")
    TILBAGEKALDT = "tilbagekaldt", _("Tilbagekaldt")


class Referral(ChangeTracked, models.Model):
    """Henvisning: a candidate referred to the venteliste, waiting for a fitting place."""

    Status = ReferralStatus

    candidate = models.ForeignKey(
        Candidate, verbose_name=_("kandidat"), on_delete=models.PROTECT, related_name="referrals"
    )
    referred_on = models.DateField(_("henvist den"))
    reason = models.TextField(_("begrundelse for henvisning"))
    wishes = models.TextField(_("kandidatens ønsker"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.VENTER
    )
    course = models.OneToOneField(
        Course,
        verbose_name=_("forløb"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referral",
    )
    closed_on = models.DateField(_("afsluttet den"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("henvist af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    # Changed-since filtering of the integration API (api/): bumped by every save(), also
    # with update_fields (codes.tracking.ChangeTracked).
    updated_at = models.DateTimeField(_("ændret"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("henvisning")
        verbose_name_plural = _("henvisninger")
        ordering = ["referred_on", "id"]
        indexes = [models.Index(fields=["status", "referred_on"], name="referral_status_date")]
        constraints = [
            # Never two places in the queue for one person.
            models.UniqueConstraint(
                fields=["candidate"],
                condition=Q(status="venter"),
                name="referral_one_waiting_per_candidate",
            ),
            models.CheckConstraint(
                condition=Q(status__in=codes(ReferralStatus)), name="referral_status_code"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="referral_reason_required"),
            models.CheckConstraint(
                condition=Q(status="visiteret", course__isnull=False)
                | (~Q(status="visiteret") & Q(course__isnull=True)),
                name="referral_placed_has_course",
            ),
        ]

    def __str__(self):
        return f"{self.candidate} {self.referred_on:%d.%m.%Y}"

    def days_waited(self, today: date) -> int:
        return ((self.closed_on or today) - self.referred_on).days


class FollowUpNote(models.Model):
    """Opfølgning: the jobkonsulent's (at least) weekly note on a running course."""

    course = models.ForeignKey(
        Course, verbose_name=_("forløb"), on_delete=models.CASCADE, related_name="notes"
    )
    date = models.DateField(_("dato"))
    text = models.TextField(_("notat"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrevet af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("opfølgningsnotat")
        verbose_name_plural = _("opfølgningsnotater")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["course", "-date"], name="note_course_date")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="note_text_required"),
        ]

    def __str__(self):
        return f"{self.course}: {self.date:%d.%m.%Y}"
