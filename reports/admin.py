"""The background jobs' state, read-only, for the jobcentre's admin (is the worker running?).
The jobcentre's costs have their own page (reports:settings): not in the admin."""

from django.contrib import admin

from accounts.admin import JobcentreOnlyAdminMixin, ReadOnlyAdminMixin

from .models import JobRun


@admin.register(JobRun)
class JobRunAdmin(JobcentreOnlyAdminMixin, ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "state", "created_at", "finished_at", "requested_by"]
    list_filter = ["kind", "state"]
    readonly_fields = [f.name for f in JobRun._meta.fields]
