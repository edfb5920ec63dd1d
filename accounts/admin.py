"""The jobcentre's admin manages people in the Django admin: users, their roles, active or
not, and a link to set a new password; besides, reference data without a page of its own
(centers/admin.py) and the job runs' state (reports/admin.py). No case is in the admin
(issue 17): the cases have their own pages with their own role checks and read logging,
and the admin has no business reading them.

The admin is staff, never a superuser: what it may do is its role's permissions
(accounts.roles). It never sets or sees a password, and no secret is shown: allauth's
two-factor authenticators (TOTP secrets, recovery seeds) and e-mail confirmation keys are
taken off the admin site here (with allauth's e-mail address records).
"""

# The allauth admin modules are imported (registering their models) before the models
# holding secrets are taken off the site below; autodiscover finds them imported already
# and does not register them again.
import allauth.account.admin  # noqa: F401 - imported for its registrations
import allauth.mfa.admin  # noqa: F401 - imported for its registrations
from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.translation import gettext_lazy as _
from django_tenants.utils import get_public_schema_name

from .models import LoginLock, User
from .services import user_roles_set

# TOTP secrets and recovery-code seeds; e-mail confirmation keys: never in the admin. The
# e-mail address records have nothing to manage (no verification; the address is the
# user's, edited on the user).
NOT_IN_ADMIN = (Authenticator, EmailConfirmation, EmailAddress)
for _model in NOT_IN_ADMIN:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class UserAddForm(forms.ModelForm):
    """A new user gets no password from the admin: they set it themselves by the link."""

    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "title", "groups"]


class UserChangeForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["email", "first_name", "last_name", "title", "is_active", "groups"]


def _on_platform() -> bool:
    """The admin site is shared with the platform (public schema), whose operators keep
    Django's own user admin: they are the platform's superusers, not a jobcentre's."""
    return connection.schema_name == get_public_schema_name()


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeForm
    add_form = UserAddForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "groups"]
    search_fields = ["email", "first_name", "last_name"]
    # No password hash, no staff or superuser flags, no single permissions, no MFA data:
    # the roles (groups) are the rights, and staff status follows the admin role.
    fieldsets = (
        (None, {"fields": ("email",)}),
        (_("Navn"), {"fields": ("first_name", "last_name", "title")}),
        (_("Roller"), {"fields": ("is_active", "groups")}),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "first_name", "last_name", "title", "groups"),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]
    # A plain multiple select: Django's two-box widget draws unlabelled controls and
    # icon-only buttons (axe: aria-prohibited-attr; the walk: content wider than its box).
    filter_horizontal = ()
    actions = ["send_password_reset"]
    # The platform's user admin, as it was before issue 17.
    platform_fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Navn"), {"fields": ("first_name", "last_name", "title")}),
        (
            _("Roller og rettigheder"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups")},
        ),
        (_("Datoer"), {"fields": ("last_login", "date_joined")}),
    )
    platform_add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),
    )

    def get_fieldsets(self, request, obj=None):
        if _on_platform():
            return self.platform_fieldsets if obj else self.platform_add_fieldsets
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        # The dates are the system's (Django's split date/time inputs had one label for two).
        return self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if _on_platform():
            kwargs["form"] = BaseUserAdmin.form if obj else BaseUserAdmin.add_form
        return super().get_form(request, obj, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change and not _on_platform():
            obj.set_unusable_password()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if _on_platform():
            return
        # The roles through the service (which keeps staff status with the admin role).
        roles = [group.name for group in form.cleaned_data.get("groups", [])]
        user_roles_set(user=form.instance, roles=roles)
        if not change:
            self._send_reset(request, form.instance)

    def has_delete_permission(self, request, obj=None):
        # On the platform a user cannot be deleted: the deletion would follow the user into
        # the jobcentres' tables (audit log, signatures), which the public schema does not
        # hold - a server error on the confirmation page. Operators deactivate instead.
        if _on_platform():
            return False
        return super().has_delete_permission(request, obj)

    def user_change_password(self, request, id, form_url=""):  # noqa: A002 - Django's name
        # A jobcentre's admin never sets a password it would then know: it sends the link.
        if not _on_platform():
            raise PermissionDenied
        return super().user_change_password(request, id, form_url)

    def _send_reset(self, request, user) -> None:
        form = ResetPasswordForm(data={"email": user.email})
        if form.is_valid():
            form.save(request)

    @admin.action(description=_("Send link til ny adgangskode"), permissions=["change"])
    def send_password_reset(self, request, queryset):
        users = list(queryset.filter(is_active=True))
        for user in users:
            self._send_reset(request, user)
        self.message_user(
            request,
            _("Link til ny adgangskode sendt til %(count)d brugere.") % {"count": len(users)},
            messages.SUCCESS,
        )


class JobcentreOnlyAdminMixin:
    """A model of a jobcentre's schema: the admin site is shared with the platform (public
    schema), which has no such table; there the model is not shown and its pages refuse
    (a list opened there by its address was a server error)."""

    @staticmethod
    def _in_jobcentre() -> bool:
        return not _on_platform()

    def has_module_permission(self, request):
        return self._in_jobcentre() and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return self._in_jobcentre() and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args):
        return self._in_jobcentre() and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None):
        return self._in_jobcentre() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._in_jobcentre() and super().has_delete_permission(request, obj)


class ReadOnlyAdminMixin:
    """Shown, never added, changed or deleted in the admin (whatever the permissions)."""

    def has_add_permission(self, request, *args):  # noqa: ARG002 - Django's hook
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False

    def has_delete_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(BaseGroupAdmin):
    """A jobcentre's roles and their permissions are defined in code (accounts.roles) and
    made on every migrate: shown, never edited there (the platform keeps Django's)."""

    filter_horizontal = ()  # the native multiple select (see UserAdmin)

    def has_add_permission(self, request):
        return _on_platform() and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return _on_platform() and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _on_platform() and super().has_delete_permission(request, obj)


@admin.register(LoginLock)
class LoginLockAdmin(admin.ModelAdmin):
    """A locked-out colleague is let in again by deleting the lock."""

    list_display = ["email", "failures", "window_start", "locked_until"]
    search_fields = ["email"]

    def has_add_permission(self, request):  # noqa: ARG002 - Django's hook
        return False

    def has_change_permission(self, request, obj=None):  # noqa: ARG002 - Django's hook
        return False
