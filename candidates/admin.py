from django.contrib import admin

from .models import Candidate, Course, CourseHours, Extension, Goal


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ["name", "cpr_masked", "birth_date", "benefit", "matchgruppe"]
    list_filter = ["benefit", "matchgruppe", "education", "labour_market_years"]
    search_fields = ["name", "=cpr", "email", "phone"]


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
class CourseAdmin(admin.ModelAdmin):
    list_display = ["candidate", "contract", "place", "start", "planned_end", "end", "outcome"]
    list_filter = ["outcome", "legal_frame", "contract__centre"]
    search_fields = ["candidate__name", "=candidate__cpr", "contract__centre__name"]
    date_hierarchy = "start"
    autocomplete_fields = ["candidate"]
    list_select_related = ["candidate", "contract__centre", "place"]
    inlines = [CourseHoursInline, GoalInline, ExtensionInline]
