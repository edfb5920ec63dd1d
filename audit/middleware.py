"""The client's IP for every audit event written while a request runs, and the Django admin's
use in the audit log.

Reads of personal data are declared by the views that read (audit/reads.py); changes are
logged by the services that make them. The admin is the exception: its pages are Django's,
so every request under /admin/ by a signed-in user of a jobcentre is logged here (the admin
is the audit log's own concern, not a page of another app), and each save or deletion the
admin makes is logged with its changed fields from the admin's own change record (LogEntry).
"""

import json

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db import connection
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import translation
from django.utils.text import capfirst
from django_tenants.utils import get_public_schema_name

from .context import client_ip, current_ip
from .services import audit_record

ADMIN_PREFIX = "/admin/"
# The admin's own login and logout are allauth's sign-in, which is logged there.
ADMIN_NOT_LOGGED = ("/admin/login/", "/admin/logout/", "/admin/jsi18n/")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class AuditMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            response = self.get_response(request)
            if _is_admin_use(request):
                _admin_request_record(request, response)
            return response
        finally:
            current_ip.reset(token)


def _in_jobcentre() -> bool:
    # The platform's admin (public schema) has no audit log; its closing procedure keeps
    # its own record (tenants.models.JobcenterClosure).
    return connection.schema_name != get_public_schema_name()


def _is_admin_use(request) -> bool:
    user = getattr(request, "user", None)
    return bool(
        request.path.startswith(ADMIN_PREFIX)
        and not request.path.startswith(ADMIN_NOT_LOGGED)
        and user is not None
        and user.is_authenticated
        and _in_jobcentre()
    )


def _admin_request_record(request, response) -> None:
    """One event per admin request: "admin.view" for a page, "admin.submit" for a form
    sent; the model and the object's id when the URL names them, the path in the label."""
    match = getattr(request, "resolver_match", None)
    model_admin = getattr(getattr(match, "func", None), "model_admin", None)
    object_type = model_admin.opts.label_lower if model_admin is not None else ""
    object_id = (match.kwargs.get("object_id") or "") if match is not None else ""
    fields, label = [], f"{request.method} {request.get_full_path()} -> {response.status_code}"
    if request.method not in SAFE_METHODS and request.POST.get("action"):
        # A change-list action (e.g. deleting several): which one, on which ids.
        fields = [f"action:{request.POST['action']}"]
        label += " ids " + ",".join(request.POST.getlist("_selected_action"))
    audit_record(
        acting_user=request.user,
        action="admin.view" if request.method in SAFE_METHODS else "admin.submit",
        obj=None,
        object_type=object_type[:60],
        object_id=str(object_id)[:40],
        label=label[:200],
        fields=fields,
        ip=client_ip(request),
        purpose="Administration af brugere og stamdata",
        is_access=request.method in SAFE_METHODS,
    )


ADMIN_ACTIONS = {ADDITION: "admin.add", CHANGE: "admin.change", DELETION: "admin.delete"}


@receiver(post_save, sender=LogEntry, dispatch_uid="audit.admin_change_record")
def admin_change_record(sender, instance: LogEntry, created: bool, **kwargs):  # noqa: ARG001
    """Each save and deletion made in the admin, with the changed fields as the admin lists
    them ("changed": the form's field labels), in the append-only audit log."""
    if not created or not _in_jobcentre():
        return
    content_type = instance.content_type
    object_type = f"{content_type.app_label}.{content_type.model}" if content_type else ""
    audit_record(
        acting_user=instance.user,
        action=ADMIN_ACTIONS.get(instance.action_flag, "admin.change"),
        obj=None,
        object_type=object_type,
        object_id=str(instance.object_id or "")[:40],
        # By type and id: the log names no person, it outlives an anonymisation unchanged.
        label=f"{object_type} {instance.object_id}",
        fields=_changed_fields(instance),
        purpose="Administration af brugere og stamdata",
    )


def _changed_fields(entry: LogEntry) -> list[str]:
    """The field names of the change: the admin records its form's labels (in the default
    language), which are the model fields' verbose names."""
    try:
        parts = json.loads(entry.change_message or "[]")
    except ValueError:  # an old plain-text message
        return []
    labels: list[str] = []
    for part in parts if isinstance(parts, list) else []:
        for verb in ("added", "changed", "deleted"):
            labels += [str(f) for f in (part.get(verb) or {}).get("fields", [])]
    model = entry.content_type.model_class() if entry.content_type else None
    names = {}
    if model is not None:
        with translation.override(None):
            names = {
                str(capfirst(f.verbose_name)): f.name
                for f in model._meta.get_fields()
                if getattr(f, "verbose_name", None)
            }
    return [names.get(label, label) for label in labels]
