from django.contrib import admin

from .models import JobcenterCost, JobRun


@admin.register(JobRun)
class JobRunAdmin(admin.ModelAdmin):
    list_display = ["kind", "state", "created_at", "finished_at", "requested_by"]
    list_filter = ["kind", "state"]
    readonly_fields = [f.name for f in JobRun._meta.fields]


@admin.register(JobcenterCost)
class JobcenterCostAdmin(admin.ModelAdmin):
    list_display = ["year", "jobkonsulent_salaries", "mentor_courses"]
