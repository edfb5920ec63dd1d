from django.contrib import admin

from .models import Attendance, Mentor, MentorHours, MentorTraining


class MentorTrainingInline(admin.TabularInline):
    model = MentorTraining
    extra = 0


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    list_display = ["user", "company", "phone"]
    list_filter = ["company", "centres"]
    search_fields = ["user__email", "user__first_name", "user__last_name", "company__name"]
    filter_horizontal = ["centres"]
    list_select_related = ["user", "company"]
    inlines = [MentorTrainingInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["course", "date", "status", "hours", "recorded_by"]
    list_filter = ["status", "course__contract__centre"]
    search_fields = ["course__candidate__name"]
    date_hierarchy = "date"
    list_select_related = ["course__candidate", "recorded_by"]
    raw_id_fields = ["course"]


@admin.register(MentorHours)
class MentorHoursAdmin(admin.ModelAdmin):
    list_display = ["mentor", "centre", "week_start", "hours"]
    list_filter = ["centre"]
    date_hierarchy = "week_start"
    list_select_related = ["mentor__user", "centre"]
