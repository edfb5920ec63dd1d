import subprocess
import tempfile

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django_tenants.admin import TenantAdminMixin
from django_tenants.utils import get_public_schema_name

from .forms import JobcenterCloseForm
from .models import Domain, Jobcenter, JobcenterClosure
from .services import jobcenter_close, jobcenter_dump_command


class PlatformOnlyAdminMixin:
    """The jobcentres are the platform's, not a jobcentre's: the admin site is shared by
    both URL confs, and a jobcentre's own administrator (a superuser in its schema) would
    otherwise list and edit every jobcentre and its domains from its own host."""

    @staticmethod
    def _on_platform() -> bool:
        return connection.schema_name == get_public_schema_name()

    def has_module_permission(self, request):
        return self._on_platform() and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._on_platform() and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._on_platform() and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._on_platform() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._on_platform() and super().has_delete_permission(request, obj)


class DomainInline(PlatformOnlyAdminMixin, admin.StackedInline):
    # Stacked: each field with its own label (the tabular inline's inputs had none, axe).
    model = Domain
    extra = 0


@admin.register(Jobcenter)
class JobcenterAdmin(PlatformOnlyAdminMixin, TenantAdminMixin, admin.ModelAdmin):
    list_display = ["name", "municipality_code", "schema_name", "created_at"]
    search_fields = ["name", "municipality_code", "schema_name"]
    readonly_fields = ["closing"]
    inlines = [DomainInline]

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        # Never one click: deleting the row left the schema and all its personal data behind.
        # A jobcentre is closed by the procedure below (copy, typed confirmation, record).
        return False

    @admin.display(description=_("Luk jobcentret"))
    def closing(self, obj):
        if obj is None or obj.pk is None or obj.schema_name == get_public_schema_name():
            return "-"
        return format_html(
            '<a href="{}">{}</a> · <a href="{}">{}</a>',
            reverse("admin:tenants_jobcenter_dump", args=[obj.pk]),
            _("Hent en kopi af alle data (pg_dump)"),
            reverse("admin:tenants_jobcenter_close", args=[obj.pk]),
            _("Luk jobcentret ..."),
        )

    def get_urls(self):
        own = [
            path(
                "<int:pk>/luk/",
                self.admin_site.admin_view(self.close_view),
                name="tenants_jobcenter_close",
            ),
            path(
                "<int:pk>/kopi/",
                self.admin_site.admin_view(self.dump_view),
                name="tenants_jobcenter_dump",
            ),
        ]
        return own + super().get_urls()

    def _closable(self, request, pk: int) -> Jobcenter:
        jobcenter = get_object_or_404(Jobcenter, pk=pk)
        if not (self._on_platform() and request.user.is_superuser):
            raise PermissionDenied
        if jobcenter.schema_name == get_public_schema_name():
            raise PermissionDenied
        return jobcenter

    def close_view(self, request, pk: int):
        jobcenter = self._closable(request, pk)
        form = JobcenterCloseForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                closure = jobcenter_close(
                    jobcenter=jobcenter,
                    mode=form.cleaned_data["mode"],
                    confirmation=form.cleaned_data["confirmation"],
                    reason=form.cleaned_data["reason"],
                    acting_user=request.user,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(name)s er lukket.") % {"name": closure.name})
                return redirect("admin:tenants_jobcenterclosure_change", closure.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Luk %(name)s") % {"name": jobcenter.name},
            "jobcenter": jobcenter,
            "form": form,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/tenants/jobcenter/close.html", context)

    def dump_view(self, request, pk: int):
        """The whole schema as a pg_dump file. Written to a temporary file first, so that a
        failing dump answers with its reason instead of a cut-off download."""
        jobcenter = self._closable(request, pk)
        command, env = jobcenter_dump_command(jobcenter=jobcenter)
        target = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
        result = subprocess.run(  # noqa: S603 - a fixed command; the schema name is validated
            command, stdout=target, stderr=subprocess.PIPE, env=env, check=False
        )
        if result.returncode != 0:
            target.close()
            messages.error(
                request,
                _("Kopien kunne ikke laves: %(reason)s")
                % {"reason": result.stderr.decode("utf-8", "replace").strip()[:300]},
            )
            return redirect("admin:tenants_jobcenter_change", jobcenter.pk)
        target.seek(0)
        name = f"{jobcenter.schema_name}-{timezone.localdate():%Y%m%d}.dump"
        response = FileResponse(
            target, as_attachment=True, filename=name, content_type="application/octet-stream"
        )
        response["Cache-Control"] = "no-store"
        return response


@admin.register(JobcenterClosure)
class JobcenterClosureAdmin(PlatformOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["name", "schema_name", "mode", "archive_schema", "closed_at", "closed_by"]
    readonly_fields = [f.name for f in JobcenterClosure._meta.fields]

    def has_add_permission(self, request, *args):  # noqa: ARG002 - Django's hook
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False
