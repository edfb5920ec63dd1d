"""Search, filters and sorting of the candidate lists (django-filter)."""

import django_filters
from django.db.models import CharField, F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from codes.cpr import cpr_birth_dates, cpr_normalise

from .cpr_crypto import cpr_hmac
from .models import Barrier, Benefit, Candidate, Course, Outcome, Referral


def _search_people(queryset, prefix: str, value: str):
    """Name contains, or the CPR number (with or without dash) matches the digits.

    CPR numbers are encrypted (candidates/cpr_crypto.py): a full number is found by its
    blind index; 6-9 digits match on their first 6, the birth date they encode (DDMMYY, a
    look-up of its dates in the birth date's index), since the last 4 cannot be searched
    without decrypting every row; fewer digits match the start of DDMMYY. The name is found
    through its trigram index (candidate_name_trgm).
    """
    value = value.strip()
    digits = cpr_normalise(value)
    q = Q(**{f"{prefix}name__icontains": value})
    if digits.isdigit() and len(digits) == 10:
        q |= Q(**{f"{prefix}cpr_hmac": cpr_hmac(digits)})
    elif digits.isdigit() and len(digits) >= 6:
        q |= Q(**{f"{prefix}birth_date__in": cpr_birth_dates(digits[:6])})
    elif digits.isdigit():
        queryset = queryset.annotate(
            _ddmmyy=Func(
                F(f"{prefix}birth_date"),
                Value("DDMMYY"),
                function="to_char",
                output_field=CharField(),
            )
        )
        q |= Q(_ddmmyy__startswith=digits)
    return queryset.filter(q)


class CandidateFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søg (navn eller CPR)"), method="search")
    benefit = django_filters.ChoiceFilter(label=_("Ydelse"), choices=Benefit.choices)
    barrier = django_filters.ChoiceFilter(
        label=_("Barriere"), choices=Barrier.choices, method="filter_barrier"
    )
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            ("venter", _("På venteliste")),
            ("forloeb", _("I forløb")),
            ("ingen", _("Hverken venteliste eller forløb")),
        ],
        method="filter_state",
    )
    sort = django_filters.OrderingFilter(
        label=_("Sortér efter"),
        fields=(("name", "name"), ("birth_date", "birth_date"), ("created_at", "created_at")),
        field_labels={
            "name": _("Navn"),
            "birth_date": _("Fødselsdato"),
            "created_at": _("Oprettet"),
        },
    )

    class Meta:
        model = Candidate
        fields: list = []

    def search(self, queryset, name, value):
        return _search_people(queryset, "", value)

    def filter_barrier(self, queryset, name, value):
        return queryset.filter(barriers__contains=[value])

    def filter_state(self, queryset, name, value):
        if value == "venter":
            return queryset.filter(waiting=True)
        if value == "forloeb":
            return queryset.filter(in_course=True)
        return queryset.filter(waiting=False, in_course=False)


class ReferralFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søg (navn eller CPR)"), method="search")
    benefit = django_filters.ChoiceFilter(
        label=_("Ydelse"), choices=Benefit.choices, field_name="candidate__benefit"
    )
    barrier = django_filters.ChoiceFilter(
        label=_("Barriere"), choices=Barrier.choices, method="filter_barrier"
    )
    sort = django_filters.OrderingFilter(
        label=_("Sortér efter"),
        fields=(("referred_on", "referred_on"), ("candidate__name", "name")),
        field_labels={"referred_on": _("Ventetid"), "candidate__name": _("Navn")},
    )

    class Meta:
        model = Referral
        fields: list = []

    def search(self, queryset, name, value):
        return _search_people(queryset, "candidate__", value)

    def filter_barrier(self, queryset, name, value):
        return queryset.filter(candidate__barriers__contains=[value])


class CourseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Søg (navn, CPR eller center)"), method="search")
    state = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[("igang", _("I gang")), ("afsluttet", _("Afsluttet"))],
        method="filter_state",
    )
    centre = django_filters.NumberFilter(label=_("Center-id"), field_name="contract__centre_id")
    mine = django_filters.BooleanFilter(
        label=_("Kun mine centre"),
        method="filter_mine",
        widget=django_filters.widgets.BooleanWidget(),
    )
    outcome = django_filters.ChoiceFilter(label=_("Udslusning"), choices=Outcome.choices)
    start_after = django_filters.DateFilter(
        label=_("Startet fra"), field_name="start", lookup_expr="gte"
    )
    sort = django_filters.OrderingFilter(
        label=_("Sortér efter"),
        fields=(
            ("start", "start"),
            ("planned_end", "planned_end"),
            ("candidate__name", "name"),
            ("contract__centre__name", "centre"),
        ),
        field_labels={
            "start": _("Start"),
            "planned_end": _("Planlagt slut"),
            "candidate__name": _("Navn"),
            "contract__centre__name": _("Center"),
        },
    )

    class Meta:
        model = Course
        fields: list = []

    def search(self, queryset, name, value):
        value = value.strip()
        return _search_people(queryset, "candidate__", value) | queryset.filter(
            contract__centre__name__icontains=value
        )

    def filter_state(self, queryset, name, value):
        return queryset.filter(end__isnull=(value == "igang"))

    def filter_mine(self, queryset, name, value):
        if value:
            return queryset.filter(contract__centre__consultant=self.request.user)
        return queryset
