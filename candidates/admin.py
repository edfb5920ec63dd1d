from django.contrib import admin

from .cpr_crypto import cpr_hmac, cpr_normalise
from .models import Candidate, Course, CourseHours, Extension, Goal


class CprSearchMixin:
    """A search term that is a CPR number finds the candidate by its blind index (the column
    itself is encrypted and cannot be searched)."""

    cpr_hmac_path = "cpr_hmac"

    def get_search_results(self, request, queryset, search_term):
        result, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        digits = cpr_normalise(search_term)
        if len(digits) == 10 and digits.isdigit():
            result |= queryset.filter(**{self.cpr_hmac_path: cpr_hmac(digits)})
        return result, may_have_duplicates


@admin.register(Candidate)
class CandidateAdmin(CprSearchMixin, admin.ModelAdmin):
    list_display = ["name", "cpr_masked", "birth_date", "benefit", "matchgruppe"]
    list_filter = ["benefit", "matchgruppe", "education", "labour_market_years"]
    search_fields = ["name", "email", "phone"]
    exclude = ["cpr_hmac"]


class CourseHoursInline(admin.TabularInline):
    model = CourseHours
    extra = 0


class ExtensionInline(admin.TabularInline):
    model = Extension
    extra = 0


class GoalInline(admin.TabularInline):
    model = Goal
    extra = 0


@admin.register(Course)
class CourseAdmin(CprSearchMixin, admin.ModelAdmin):
    list_display = ["candidate", "contract", "place", "start", "planned_end", "end", "outcome"]
    list_filter = ["outcome", "legal_frame", "contract__centre"]
    search_fields = ["candidate__name", "contract__centre__name"]
    cpr_hmac_path = "candidate__cpr_hmac"
    date_hierarchy = "start"
    autocomplete_fields = ["candidate"]
    list_select_related = ["candidate", "contract__centre", "place"]
    inlines = [CourseHoursInline, GoalInline, ExtensionInline]
