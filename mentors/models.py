"""Virksomhedsmentor (a company employee), fremmøde (attendance) and mentor hours."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from codes import numbers
from codes.lists import AttendanceStatus  # noqa: F401 - re-exported; the list lives in codes/
from codes.onerow import OneRow
from codes.tracking import ChangeTracked

from . import rules


class Mentor(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bruger"),
        on_delete=models.CASCADE,
        related_name="mentor",
    )
    company = models.ForeignKey(
        "centers.Company",
        verbose_name=_("virksomhed"),
        on_delete=models.PROTECT,
        related_name="mentors",
    )
    centres = models.ManyToManyField(
        "centers.Centre", verbose_name=_("virksomhedscentre"), related_name="mentors"
    )
    phone = models.CharField(_("telefon"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("virksomhedsmentor")
        verbose_name_plural = _("virksomhedsmentorer")

    def __str__(self):
        return str(self.user)


class MentorTraining(models.Model):
    """Mentor courses (mentorkursus) and network meetings a mentor attended."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Mentorkursus")
        NETWORK_MEETING = "network_meeting", _("Netværksmøde")

    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="trainings"
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("titel"), max_length=200)
    date = models.DateField(_("dato"))

    class Meta:
        verbose_name = _("mentoruddannelse")
        verbose_name_plural = _("mentoruddannelse")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.title} ({self.date:%d.%m.%Y})"


@dataclass(frozen=True)
class ReplacedEntry:
    """Another person's entry of a day that a save replaced: what the saver is told."""

    status_label: str
    hours: Decimal
    recorded_by: object
    recorded_at: datetime


class Attendance(models.Model):
    """Fremmøde: one row per course per day."""

    Status = AttendanceStatus
    # Not a field: set by mentors.services.attendance_record when the save replaced another
    # person's entry of the day (two mentors saving at once), so the page can say so.
    replaced_entry: ReplacedEntry | None = None

    course = models.ForeignKey(
        "candidates.Course",
        verbose_name=_("forløb"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    date = models.DateField(_("dato"))
    status = models.CharField(_("status"), max_length=20, choices=AttendanceStatus.choices)
    hours = models.DecimalField(_("timer"), max_digits=4, decimal_places=1, default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registreret af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Indexed for the integration API's changed-since filtering (api/).
    recorded_at = models.DateTimeField(_("registreret"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("fremmøde")
        verbose_name_plural = _("fremmøde")
        ordering = ["course", "date"]
        constraints = [
            models.UniqueConstraint(
                fields=["course", "date"], name="attendance_one_per_course_day"
            ),
            models.CheckConstraint(
                condition=Q(status__in=[c.value for c in AttendanceStatus]),
                name="attendance_status_code",
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=24), name="attendance_hours_0_24"
            ),
            # Hours are worked hours: only a present day has them, and it must have some.
            models.CheckConstraint(
                condition=Q(status="present", hours__gt=0) | (~Q(status="present") & Q(hours=0)),
                name="attendance_hours_only_when_present",
            ),
        ]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.get_status_display()}"


class MentorHours(ChangeTracked, models.Model):
    """Mentor hours spent on the centre in one week (Monday), for `mentor_hours` billing."""

    mentor = models.ForeignKey(
        Mentor, verbose_name=_("mentor"), on_delete=models.CASCADE, related_name="hours_logged"
    )
    centre = models.ForeignKey(
        "centers.Centre",
        verbose_name=_("virksomhedscenter"),
        on_delete=models.CASCADE,
        related_name="mentor_hours",
    )
    week_start = models.DateField(_("uge (mandag)"))
    hours = models.DecimalField(_("timer"), max_digits=5, decimal_places=1)
    # Changed-since filtering of the integration API (api/): bumped by every save(), also
    # with update_fields (codes.tracking.ChangeTracked).
    updated_at = models.DateTimeField(_("ændret"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("mentortimer")
        verbose_name_plural = _("mentortimer")
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "centre", "week_start"], name="mentor_hours_one_per_week"
            ),
            models.CheckConstraint(
                condition=Q(hours__gte=0, hours__lte=168), name="mentor_hours_0_168"
            ),
            # ISO weekday: Monday is 1 (extract isodow).
            models.CheckConstraint(
                condition=Q(week_start__iso_week_day=1), name="mentor_hours_week_starts_monday"
            ),
        ]

    def __str__(self):
        return f"{self.mentor} {self.week_start:%d.%m.%Y}: {numbers.hours(self.hours)}"


class ProgressNote(models.Model):
    """A short progress note (dialogguide) by the mentor, read by the jobkonsulent.

    The four headings are the dialogue guide's: work tasks mastered, attendance,
    cooperation and the next step. Work observations only - never health or case notes.
    """

    course = models.ForeignKey(
        "candidates.Course",
        verbose_name=_("forløb"),
        on_delete=models.CASCADE,
        related_name="progress_notes",
    )
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("skrevet af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    date = models.DateField(_("dato"))
    work_tasks = models.TextField(_("arbejdsopgaver kandidaten mestrer"), blank=True)
    attendance = models.TextField(_("fremmøde"), blank=True)
    cooperation = models.TextField(_("samarbejde"), blank=True)
    next_step = models.TextField(_("næste skridt"), blank=True)
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("udviklingsnote")
        verbose_name_plural = _("udviklingsnoter")
        ordering = ["course", "-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(work_tasks="", attendance="", cooperation="", next_step=""),
                name="progress_note_not_empty",
            ),
        ]

    def __str__(self):
        return f"{_('Udviklingsnote')} {self.date:%d.%m.%Y}"


class AttendanceFlag(models.Model):
    """An attendance problem raised for the course's jobkonsulent.

    Raised by the mentor, or automatically after two working days in a row absent
    without notice (`raised_by` is then empty). Open until the jobkonsulent resolves it.
    """

    class Source(models.TextChoices):
        MENTOR = "mentor", _("Mentor")
        AUTOMATIC = "automatic", _("Automatisk")

    course = models.ForeignKey(
        "candidates.Course",
        verbose_name=_("forløb"),
        on_delete=models.CASCADE,
        related_name="attendance_flags",
    )
    date = models.DateField(_("dato"))
    source = models.CharField(_("kilde"), max_length=20, choices=Source.choices)
    reason = models.TextField(_("begrundelse"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rejst af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("afsluttet"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("afsluttet af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("fremmødeproblem")
        verbose_name_plural = _("fremmødeproblemer")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(source__in=["mentor", "automatic"]), name="attendance_flag_source"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="attendance_flag_reason"),
            # At most one open automatic flag per course: a long absence is one problem.
            models.UniqueConstraint(
                fields=["course"],
                condition=Q(source="automatic", resolved_at__isnull=True),
                name="attendance_flag_one_open_automatic",
            ),
        ]
        indexes = [
            models.Index(
                fields=["course"],
                condition=Q(resolved_at__isnull=True),
                name="attendance_flag_open_idx",
            )
        ]

    def __str__(self):
        return f"{self.course}: {self.date:%d.%m.%Y} ({self.get_source_display()})"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


class MentorSettings(OneRow):
    """The jobcentre's settings for its mentors; one row per jobcentre (schema).

    Here and not in reports.JobcenterSettings: the mentor's reads (mentors.selectors) need
    it, and mentors stands below reports. The settings page (reports) edits it through
    mentors.services.mentor_settings_update.
    """

    ended_course_weeks = models.PositiveSmallIntegerField(
        _("mentorer ser afsluttede forløb i (uger)"),
        default=rules.DEFAULT_ENDED_COURSE_WEEKS,
        validators=[MaxValueValidator(rules.MAX_ENDED_COURSE_WEEKS)],
        help_text=_("Igangværende forløb og forløb afsluttet inden for så mange uger."),
    )

    class Meta:
        verbose_name = _("indstillinger for mentorer")
        verbose_name_plural = _("indstillinger for mentorer")
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="mentor_settings_singleton"),
            models.CheckConstraint(
                condition=Q(ended_course_weeks__lte=rules.MAX_ENDED_COURSE_WEEKS),
                name="mentor_settings_weeks_at_most_52",
            ),
        ]


class MentorGrant(models.Model):
    """Mentorstøtte granted by a written agreement for a period (LAB § 167: at most 6
    months, a new period after a concrete assessment): to a person (a course) or to a
    place when the mentor serves several persons, as hours a week at an hourly rate.

    An extension is a new agreement from the day after the earlier one's end (`extends`).
    billing.rules pays the grants of a `mentor_hours` contract (mentors.rules checks them).
    """

    place = models.ForeignKey(
        "centers.Place",
        verbose_name=_("plads"),
        on_delete=models.PROTECT,
        related_name="mentor_grants",
    )
    # Set for a grant to one person (the course in the place); empty for the place itself.
    course = models.ForeignKey(
        "candidates.Course",
        verbose_name=_("forløb (person)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentor_grants",
    )
    start = models.DateField(_("fra"))
    end = models.DateField(_("til og med"))
    hours_per_week = models.DecimalField(_("timer pr. uge"), max_digits=5, decimal_places=1)
    hourly_rate = models.DecimalField(_("timesats (kr.)"), max_digits=8, decimal_places=2)
    purpose = models.TextField(_("formål"), blank=True)
    extends = models.OneToOneField(
        "self",
        verbose_name=_("forlænger aftalen"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extended_by",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bevilget af"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("oprettet"), auto_now_add=True)

    class Meta:
        verbose_name = _("bevilling af mentorstøtte")
        verbose_name_plural = _("bevillinger af mentorstøtte")
        ordering = ["start", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="mentor_grant_end_after_start"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gt=0, hours_per_week__lte=rules.MAX_GRANT_HOURS),
                name="mentor_grant_hours_range",
            ),
            models.CheckConstraint(
                condition=Q(hourly_rate__gte=0), name="mentor_grant_rate_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.place} {self.start:%d.%m.%Y}-{self.end:%d.%m.%Y}"


class OvoYear(models.Model):
    """The jobcentre's figures for the year's cap on mentor support and other guidance and
    upskilling (ØVO, LAB § 203 a from 2026), entered by the jobcentre: the cap per
    full-time person, the full-time persons in the target groups, and its ØVO spending
    outside the centres. The KPI page puts the centres' mentor spending beside them."""

    year = models.PositiveSmallIntegerField(_("år"), unique=True)
    cap_per_person = models.DecimalField(
        _("loft pr. fuldtidsperson (kr.)"), max_digits=10, decimal_places=2
    )
    full_time_persons = models.DecimalField(
        _("fuldtidspersoner i målgrupperne"), max_digits=10, decimal_places=1
    )
    other_spending = models.DecimalField(
        _("øvrige udgifter til vejledning, opkvalificering og mentor (kr.)"),
        max_digits=14,
        decimal_places=2,
        default=0,
    )

    class Meta:
        verbose_name = _("udgiftsloft for mentor og øvrig vejledning (ØVO)")
        verbose_name_plural = _("udgiftslofter for mentor og øvrig vejledning (ØVO)")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__range=(2026, 2100)), name="ovo_year_from_2026"
            ),
            models.CheckConstraint(
                condition=Q(cap_per_person__gte=0, other_spending__gte=0, full_time_persons__gt=0),
                name="ovo_year_figures_positive",
            ),
        ]

    def __str__(self):
        return str(self.year)
