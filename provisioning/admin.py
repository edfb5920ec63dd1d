from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _

from tenants.admin import PlatformOnlyAdminMixin

from .forms import JobcenterCreationForm
from .models import JobcenterCreation
from .services import jobcenter_creation_queue


@admin.register(JobcenterCreation)
class JobcenterCreationAdmin(PlatformOnlyAdminMixin, admin.ModelAdmin):
    """Create a jobcentre as a background run: the form queues it, the run's page polls its
    steps (jobs/_status.html) until it is done or says why it failed."""

    list_display = ["name", "schema_name", "state", "step", "created_at", "finished_at"]
    readonly_fields = [f.name for f in JobcenterCreation._meta.fields]

    def has_change_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False

    def get_urls(self):
        own = [
            path(
                "<int:pk>/status/",
                self.admin_site.admin_view(self.status_view),
                name="provisioning_jobcentercreation_status",
            ),
        ]
        return own + super().get_urls()

    def _platform_superuser(self, request) -> None:
        if not (self._on_platform() and request.user.is_superuser):
            raise PermissionDenied

    def add_view(self, request, form_url="", extra_context=None):  # noqa: ARG002 - Django's hook
        self._platform_superuser(request)
        form = JobcenterCreationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                run = jobcenter_creation_queue(**form.cleaned_data, acting_user=request.user)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("admin:provisioning_jobcentercreation_change", run.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Opret jobcenter"),
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/provisioning/jobcentercreation/add.html", context)

    def change_view(self, request, object_id, form_url="", extra_context=None):  # noqa: ARG002
        self._platform_superuser(request)
        run = get_object_or_404(JobcenterCreation, pk=object_id)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Oprettelse af %(name)s") % {"name": run.name},
            "run": run,
            "opts": self.model._meta,
        }
        return TemplateResponse(
            request, "admin/provisioning/jobcentercreation/status.html", context
        )

    def status_view(self, request, pk: int):
        self._platform_superuser(request)
        run = get_object_or_404(JobcenterCreation, pk=pk)
        return TemplateResponse(request, "provisioning/_creation_status.html", {"run": run})
